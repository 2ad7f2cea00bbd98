//! The output of `warta classify` and `warta clean` on the shared corpus
//! and every gold set, byte for byte, against digests recorded in
//! `tests/fixtures/output-digests.txt`: work on speed (or on structure)
//! must not change a single output byte, and this says so for ~1,700 real
//! articles at once.
//!
//! When an output change is intended (a lexicon or rule change), record the
//! new digests, and say why in the commit:
//!
//! ```sh
//! WARTA_BLESS_DIGESTS=1 cargo test --release -p warta-cli --test output -- --include-ignored
//! ```

mod common;

use std::fmt::Write as _;
use std::path::Path;

/// The inputs, relative to the workspace root.
const INPUTS: &[&str] = &[
    "../shared/corpus/real-news.jsonl",
    "../shared/gold/seeds.jsonl",
    "../shared/gold/dev.jsonl",
    "../shared/gold/real-dev.jsonl",
];

const DIGESTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/output-digests.txt"
);

/// 64-bit FNV-1a: stable across platforms and toolchains, unlike std's hashers.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[test]
#[ignore = "needs ../shared"]
fn output_is_byte_identical_to_the_recorded_digests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut recorded = String::new();
    for input in INPUTS {
        let path = root.join(input);
        assert!(path.exists(), "{} is missing", path.display());
        let path = path.to_str().expect("UTF-8 path");
        // (digest, length) of one run's standard output.
        let digest = |command: &str, threads: &str| {
            let run = common::warta(&[command, "--quiet", "--threads", threads, path], b"");
            assert_eq!(run.code, 0, "{command} {input}: {}", run.stderr);
            assert!(!run.stdout.is_empty(), "{command} {input}: no output");
            (fnv1a(&run.stdout), run.stdout.len())
        };
        let classify = digest("classify", "1");
        assert_eq!(
            classify,
            digest("classify", "0"),
            "--threads 1 and all cores differ on {input}"
        );
        for (command, (hash, len)) in [("classify", classify), ("clean", digest("clean", "0"))] {
            writeln!(recorded, "{hash:016x} {len:>9} {command} {input}").unwrap();
        }
    }
    if std::env::var_os("WARTA_BLESS_DIGESTS").is_some() {
        let header = "# FNV-1a 64 of stdout, its length in bytes, the command and input.\n\
                      # Written by WARTA_BLESS_DIGESTS=1 (see cli/tests/output.rs).\n\
                      # Read only by output_is_byte_identical_to_the_recorded_digests,\n\
                      # #[ignore = \"needs ../shared\"]: a clone without ../shared\n\
                      # reports it ignored, and fails it with --include-ignored.\n";
        std::fs::write(DIGESTS, format!("{header}{recorded}")).expect("write digests");
        return;
    }
    let expected: String = std::fs::read_to_string(DIGESTS)
        .expect("tests/fixtures/output-digests.txt")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(
        recorded, expected,
        "output changed; if intended, re-bless (see the module docs)"
    );
}

#[test]
fn the_digest_is_fnv1a() {
    // Published FNV-1a 64 test vectors.
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
}
