//! End-to-end tests of the `warta` binary: bad input, ordering, exit
//! status, broken pipes, odd texts, and agreement with `score.py`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use proptest::prelude::*;
use serde_json::Value;

mod common;

use common::{temp_dir, warta};

#[test]
fn bad_lines_become_error_lines_with_exit_2() {
    let deep_text = format!("{{\"id\":\"a\",\"text\":{}}}", "[".repeat(100_000));
    let deep_top = "[".repeat(100_000);
    // (extra args, line, expected id, expected error substring)
    let cases: Vec<(&[&str], Vec<u8>, Value, &str)> = vec![
        (
            &[],
            br#"{"id":"a","text":}"#.to_vec(),
            "a".into(),
            "invalid JSON: expected value",
        ),
        (
            &[],
            br#"{"id":"a","text":"abc"#.to_vec(),
            "a".into(),
            "EOF while parsing a string",
        ),
        (
            &[],
            br#"{"id":"a"}"#.to_vec(),
            "a".into(),
            "no \"text\" field",
        ),
        (
            &[],
            br#"{"id":"a","text":5}"#.to_vec(),
            "a".into(),
            "\"text\" is a number, not a string",
        ),
        (
            &[],
            b"{\"id\":\"a\",\"text\":\"x\xFFy\"}".to_vec(),
            "a".into(),
            "invalid UTF-8 at byte 19",
        ),
        (
            &[],
            br#"{"id":"a","text":"x\ud800y"}"#.to_vec(),
            "a".into(),
            "lone surrogate escape `\\ud800` at byte 19",
        ),
        (
            &[],
            deep_text.into_bytes(),
            "a".into(),
            "recursion limit exceeded",
        ),
        (
            &[],
            deep_top.into_bytes(),
            "<stdin>:1".into(),
            "invalid JSON: EOF while parsing a list",
        ),
        (
            &["--max-line-bytes", "40"],
            format!("{{\"id\":\"a\",\"text\":\"{}\"}}", "x".repeat(100)).into_bytes(),
            "a".into(),
            "line is longer than 40 bytes",
        ),
        (
            &[],
            b"[1,2]".to_vec(),
            "<stdin>:1".into(),
            "top-level value is an array, not an object",
        ),
        (
            &[],
            b"\"just text\"".to_vec(),
            "<stdin>:1".into(),
            "top-level value is a string, not an object",
        ),
    ];
    for command in ["clean", "classify"] {
        for (extra, line, id, message) in &cases {
            let mut args = vec![command, "--quiet"];
            args.extend_from_slice(extra);
            let mut input = line.clone();
            input.extend_from_slice(b"\n{\"id\":\"next\",\"text\":\"ok\"}\n");
            let run = warta(&args, &input);
            let lines = run.lines();
            let what = format!(
                "{command} {}",
                String::from_utf8_lossy(&line[..line.len().min(60)])
            );
            assert_eq!(run.code, 2, "{what}: {}", run.stderr);
            assert_eq!(lines.len(), 2, "{what}");
            assert_eq!(
                (&lines[0]["id"], &lines[0]["line"]),
                (id, &Value::from(1)),
                "{what}"
            );
            let error = lines[0]["error"].as_str().unwrap_or_default();
            assert!(error.contains(message), "{what}: {error}");
            assert_eq!(lines[1]["id"], "next", "{what}");
            assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
        }
    }
}

#[test]
fn lossy_turns_bad_text_into_records() {
    let cases: &[&[u8]] = &[
        b"{\"id\":\"u\",\"text\":\"x\xFF\xFEy\"}",
        br#"{"id":"u","text":"x\udc00y\ud800"}"#,
    ];
    for line in cases {
        let run = warta(&["clean", "--quiet", "--lossy"], line);
        let lines = run.lines();
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["id"], "u");
        assert!(
            lines[0]["text"]
                .as_str()
                .unwrap_or_default()
                .contains('\u{FFFD}')
        );
    }
}

#[test]
fn ids_are_echoed_as_written_and_blank_lines_skipped() {
    let input = concat!(
        "{\"id\":\"x\",\"text\":\"a\"}\n",
        "\n",
        "  \t \r\n",
        "{\"id\":12345678901234567890123,\"text\":\"b\"}\n",
        "{\"id\":1.50,\"text\":\"c\"}\r\n",
        "{\"id\":-0.0e5,\"text\":\"d\"}\n",
        "{\"text\":\"e\"}\n",
        "{\"id\":null,\"text\":\"f\"}",
    );
    // (command, expected line prefixes)
    for command in ["clean", "classify"] {
        let run = warta(&[command, "-q"], input.as_bytes());
        assert_eq!(run.code, 0, "{}", run.stderr);
        let out = String::from_utf8_lossy(&run.stdout).into_owned();
        let prefixes: Vec<&str> = out
            .lines()
            .map(|l| &l[..l.find(',').unwrap_or(l.len())])
            .collect();
        assert_eq!(
            prefixes,
            [
                r#"{"id":"x""#,
                r#"{"id":12345678901234567890123"#,
                r#"{"id":1.50"#,
                r#"{"id":-0.0e5"#,
                r#"{"id":"<stdin>:7""#,
                r#"{"id":"<stdin>:8""#,
            ],
            "{command}"
        );
    }
}

#[test]
fn order_and_count_are_kept_across_chunks_and_threads() {
    let mut input = String::new();
    let mut expected = Vec::new();
    for i in 0..1000 {
        if i % 7 == 3 {
            input.push_str(&format!("{{\"id\":{i},\"text\":{i}}}\n"));
        } else {
            input.push_str(&format!(
                "{{\"id\":{i},\"text\":\"Paragraf {i}.\\n\\nBaris kedua.\"}}\n"
            ));
        }
        expected.push(i);
    }
    for command in ["clean", "classify"] {
        let run = warta(
            &[command, "-q", "--threads", "2", "--chunk", "3"],
            input.as_bytes(),
        );
        let ids: Vec<i64> = run
            .lines()
            .iter()
            .map(|l| l["id"].as_i64().unwrap_or(-1))
            .collect();
        assert_eq!(ids, expected, "{command}");
        assert_eq!(run.code, 2, "{command}");
    }
}

/// With one worker the reader thread parses the lines (it has a core of
/// its own); with as many workers as cores or more, the workers do. Both
/// must give the same records and the same errors.
#[test]
fn lines_parsed_by_the_reader_or_by_the_workers_give_the_same_output() {
    let mut input = b"\xEF\xBB\xBF{\"id\":\"bom\",\"text\":\"Awal.\"}\n".to_vec();
    for i in 0..300 {
        let line = match i % 9 {
            0 => format!("{{\"id\":{i},\"text\":\"ASN wajib netral saat pemilu {i}.\"}}"),
            1 => format!("{{\"text\":\"Tanpa id, baris {i}.\\n\\nBACA JUGA: Lain\"}}"),
            2 => format!("{{\"id\":\"s{i}\",\"text\":{i}}}"),
            3 => format!("{{\"id\":\"t{i}\",\"text\":\"terpotong"),
            4 => "   ".to_owned(),
            5 => format!("{{\"id\":\"u{i}\",\"text\":\"\\ud800 tunggal\"}}"),
            6 => format!("{{\"id\":\"x{i}\",\"text\":\"{}\"}}", "panjang ".repeat(40)),
            7 => format!("[{i}]"),
            _ => format!(
                "{{\"id\":\"k{i}\",\"outlet\":\"A\",\"text\":\"Bawaslu minta ASN netral.\"}}"
            ),
        };
        input.extend_from_slice(line.as_bytes());
        input.push(b'\n');
    }
    input.extend_from_slice(b"{\"id\":\"bad\",\"text\":\"\xFF\"}\n");
    for command in ["clean", "classify"] {
        let run = |threads: &str| {
            warta(
                &[
                    command,
                    "-q",
                    "--threads",
                    threads,
                    "--max-line-bytes",
                    "200",
                ],
                &input,
            )
        };
        let (reader, workers) = (run("1"), run("8"));
        assert_eq!(reader.code, 2, "{command}: {}", reader.stderr);
        assert_eq!(
            (reader.code, &reader.stdout),
            (workers.code, &workers.stdout),
            "{command}"
        );
        let blank = (0..300).filter(|i| i % 9 == 4).count();
        assert_eq!(reader.lines().len(), 1 + 300 - blank + 1, "{command}");
    }
}

/// The threads read files themselves (each its own records), on one
/// thread or several; an input that is no regular file (standard input,
/// a pipe, here `/dev/null`, which adds no record) has a reader thread.
/// All must give the same records, errors, file names and line numbers,
/// in input order, whatever the chunk and the read-ahead budget.
#[test]
fn threads_reading_files_themselves_give_what_a_reader_thread_gives() {
    let dir = temp_dir("pull");
    let mut files = Vec::new();
    for (f, name) in ["a.jsonl", "b.jsonl"].iter().enumerate() {
        let mut input = String::new();
        for i in 0..400 {
            input.push_str(&match i % 6 {
                0 => {
                    format!("{{\"id\":\"{f}-{i}\",\"text\":\"ASN wajib netral saat pemilu {i}.\"}}")
                }
                1 => format!("{{\"text\":\"Tanpa id {i}.\\n\\nBACA JUGA: Lain\"}}"),
                2 => format!("{{\"id\":{i},\"text\":{i}}}"),
                3 => "   ".to_owned(),
                4 => format!(
                    "{{\"id\":\"p{i}\",\"text\":\"{}\"}}",
                    "Bawaslu minta ASN netral. ".repeat(i % 40)
                ),
                _ => format!("[{i}]"),
            });
            input.push('\n');
        }
        let path = dir.join(name);
        std::fs::write(&path, input).unwrap();
        files.push(path.to_str().unwrap().to_owned());
    }
    let (a, b) = (files[0].as_str(), files[1].as_str());
    for command in ["clean", "classify"] {
        let run = |extra: &[&str], inputs: &[&str]| {
            let mut args = vec![command, "-q"];
            args.extend_from_slice(extra);
            args.extend_from_slice(inputs);
            warta(&args, b"")
        };
        let reader = run(&["--threads", "1"], &[a, b, "/dev/null"]);
        assert_eq!(reader.code, 2, "{command}: {}", reader.stderr);
        assert_eq!(reader.lines().len(), 2 * (400 - 400 / 6 - 1), "{command}");
        for extra in [
            &["--threads", "1"][..],
            &["--threads", "2"],
            &["--threads", "3", "--chunk", "1"],
            &["--threads", "4", "--max-bytes-in-flight", "1000"],
        ] {
            let workers = run(extra, &[a, b]);
            assert_eq!(
                (workers.code, &workers.stdout),
                (reader.code, &reader.stdout),
                "{command} {extra:?}"
            );
        }
    }
}

#[test]
fn several_files_restart_line_numbers_and_name_the_file_in_errors() {
    let dir = temp_dir("several");
    let a = dir.join("a.jsonl");
    let b = dir.join("b.jsonl");
    std::fs::write(&a, "{\"id\":\"a1\",\"text\":\"x\"}\n{\"nope\":1}\n").unwrap();
    std::fs::write(&b, "\n{\"id\":\"b1\"}\n").unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let run = warta(&["clean", a, b], b"");
    let lines = run.lines();
    assert_eq!(run.code, 2);
    let got: Vec<(Value, Value, Value)> = lines
        .iter()
        .map(|l| (l["id"].clone(), l["line"].clone(), l["file"].clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("a1".into(), Value::Null, Value::Null),
            (format!("{a}:2").into(), 2.into(), a.into()),
            ("b1".into(), 2.into(), b.into()),
        ]
    );
    assert!(
        run.stderr.contains(&format!("first error at {a} line 2")),
        "{}",
        run.stderr
    );
}

#[test]
fn unreadable_inputs_are_fatal_and_named() {
    let dir = temp_dir("unreadable");
    let missing = dir.join("missing.jsonl");
    let missing = missing.to_str().unwrap();
    let dir_name = dir.to_str().unwrap();
    // (args, expected stderr substring)
    let cases = [
        (vec!["classify", missing], format!("cannot open {missing}")),
        (
            vec!["clean", dir_name],
            format!("{dir_name} is a directory"),
        ),
        (
            vec!["eval", "--gold", missing],
            format!("cannot open {missing}"),
        ),
        (
            vec!["classify", "--threads"],
            "a value is required".to_owned(),
        ),
        (
            vec!["classify", "--no-such-flag"],
            "unexpected argument".to_owned(),
        ),
    ];
    for (args, message) in cases {
        warta(&args, b"").assert_fails_with(&message);
    }
}

#[test]
fn closed_stdout_ends_quietly() {
    let dir = temp_dir("pipe");
    let path = dir.join("many.jsonl");
    let line = "{\"id\":1,\"text\":\"Bawaslu mengingatkan ASN agar netral.\\n\\nBACA JUGA: Berita lain\"}\n";
    std::fs::write(&path, line.repeat(200_000)).unwrap();
    for command in ["clean", "classify"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_warta"))
            .args([command, path.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        assert!(first.starts_with("{\"id\":1,"), "{first}");
        drop(stdout);
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!stderr.contains("panic"), "{command}: {stderr}");
        assert_eq!(status.code(), Some(0), "{command}: {stderr}");
    }
}

/// Checks every paragraph and evidence span of an output line lies on
/// char boundaries of `text`, and that evidence spans carry their words.
fn assert_spans_valid(text: &str, line: &Value, what: &str) {
    let check = |span: &Value| {
        let (start, end) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        assert!(start <= end && end <= text.len(), "{what}: {start}..{end}");
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{what}: {start}..{end}"
        );
        (start, end)
    };
    for p in line["paragraphs"].as_array().expect("paragraphs") {
        check(p);
        for e in p["evidence"].as_array().into_iter().flatten() {
            for span in e["spans"].as_array().expect("spans") {
                let (start, end) = check(span);
                assert_eq!(span["text"].as_str(), Some(&text[start..end]), "{what}");
            }
        }
    }
}

const EVIDENCE_TEXT: &str = "“Pemilu” Damai di Desa\n\nJelang pilkada, Bawaslu meminta ASN menjaga netralitas. \
    ASN yang terbukti melanggar akan dikenai sanksi. Hal ini berlaku bagi semua ASN.";

#[test]
fn evidence_names_its_topic_what_fired_and_its_spans() {
    let input = serde_json::json!({"id": "a", "text": EVIDENCE_TEXT}).to_string() + "\n";
    let run = warta(&["classify", "-q"], input.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = &run.lines()[0];
    assert_eq!(line["offsets"], "bytes");
    assert_spans_valid(EVIDENCE_TEXT, line, "evidence");
    let evidence: Vec<&Value> = line["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["evidence"].as_array().unwrap())
        .collect();
    let sanksi = evidence
        .iter()
        .find(|e| e["fired"] == serde_json::json!({"kind": "term", "name": "sanksi"}))
        .expect("sanksi fired");
    assert_eq!(sanksi["topic"], "sanction_threat");
    assert_eq!(sanksi["spans"][0]["text"], "sanksi");
    // One entry per firing: no (topic, fired) pair twice in a paragraph.
    for p in line["paragraphs"].as_array().unwrap() {
        let keys: Vec<String> = p["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| format!("{} {} {}", e["topic"], e["fired"], e["negated"]))
            .collect();
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), keys.len(), "{keys:?}");
    }
}

#[test]
fn offsets_chars_counts_code_points_and_says_so() {
    let input = serde_json::json!({"id": "a", "text": EVIDENCE_TEXT}).to_string() + "\n";
    let bytes = &warta(&["classify", "-q"], input.as_bytes()).lines()[0];
    let chars = &warta(&["classify", "-q", "--offsets", "chars"], input.as_bytes()).lines()[0];
    assert_eq!(chars["offsets"], "chars");
    let code_points: Vec<char> = EVIDENCE_TEXT.chars().collect();
    let (pb, pc) = (&bytes["paragraphs"][1], &chars["paragraphs"][1]);
    let to_chars = |b: &Value| {
        EVIDENCE_TEXT[..b.as_u64().unwrap() as usize]
            .chars()
            .count() as u64
    };
    assert_eq!(pc["start"].as_u64(), Some(to_chars(&pb["start"])));
    // The curly quotes make bytes and chars differ.
    assert_ne!(pc["start"], pb["start"]);
    for e in pc["evidence"].as_array().unwrap() {
        for span in e["spans"].as_array().unwrap() {
            let (start, end) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            let words: String = code_points[start..end].iter().collect();
            assert_eq!(span["text"].as_str(), Some(words.as_str()));
        }
    }
}

#[test]
fn classify_output_reads_back_into_the_library_types() {
    let input = serde_json::json!({"id": "a", "text": EVIDENCE_TEXT}).to_string() + "\n";
    let run = warta(&["classify", "-q"], input.as_bytes());
    let line = String::from_utf8(run.stdout).unwrap();
    let article: warta::Article = serde_json::from_str(&line).expect("reads back");
    let expected = warta::Classifier::default().classify(EVIDENCE_TEXT);
    assert_eq!(
        serde_json::to_value(&article).unwrap(),
        serde_json::to_value(&expected).unwrap()
    );
    assert!(!article.labels.is_empty());
}

#[test]
fn odd_texts_are_processed_normally() {
    let big = "kata ".repeat(2_000_000);
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("white space", " \t \u{00A0}\n\u{3000}".to_owned()),
        ("zero width", "\u{200B}\u{FEFF}\n\u{2060}".to_owned()),
        ("NUL", "a\u{0}b\n\u{0}".to_owned()),
        ("lone CR", "baris satu\rbaris dua\r".to_owned()),
        ("U+2028", "satu\u{2028}dua\u{2029}tiga".to_owned()),
        (
            "combining marks",
            "e\u{0301}\u{0301}\u{0301} ASN\u{0308}".to_owned(),
        ),
        ("emoji", "👍🏽 Pemilu damai 🇮🇩 👨‍👩‍👧".to_owned()),
        ("RTL", "مرحبا ASN שלום".to_owned()),
        ("full width", "ＡＳＮ　ｗａｊｉｂ　ｎｅｔｒａｌ".to_owned()),
        ("10 MB paragraph", big),
    ];
    let mut input = Vec::new();
    for (name, text) in &cases {
        serde_json::to_writer(&mut input, &serde_json::json!({"id": name, "text": text})).unwrap();
        input.push(b'\n');
    }
    for command in ["clean", "classify"] {
        let run = warta(&[command, "-q", "--chunk", "2"], &input);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        let lines = run.lines();
        assert_eq!(lines.len(), cases.len(), "{command}");
        for ((name, text), line) in cases.iter().zip(&lines) {
            assert_eq!(line["id"], *name, "{command}");
            assert_spans_valid(text, line, &format!("{command} {name}"));
        }
    }
}

#[test]
fn stem_reads_arguments_or_stdin_one_per_line() {
    let from_args = warta(&["stem", "Kampanye", "menyelenggarakan", "ASN"], b"");
    let from_stdin = warta(&["stem"], b"Kampanye\nmenyelenggarakan\r\nASN");
    assert_eq!((from_args.code, from_stdin.code), (0, 0));
    assert_eq!(from_args.stdout, from_stdin.stdout);
    assert_eq!(from_args.stdout.iter().filter(|&&b| b == b'\n').count(), 3);
    assert_eq!(
        String::from_utf8_lossy(&from_args.stdout).lines().nth(2),
        Some("asn")
    );
}

#[test]
fn tokens_prints_valid_byte_spans_as_tsv() {
    let text = "Bupati: ASN wajib netral! 👍 Rp1,5 juta";
    let run = warta(&["tokens", text], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = String::from_utf8_lossy(&run.stdout).into_owned();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("start\tend\tkind\tnormalized\tstem"));
    let mut rows = 0;
    for row in lines {
        let fields: Vec<&str> = row.split('\t').collect();
        assert_eq!(fields.len(), 5, "{row}");
        let (start, end): (usize, usize) = (fields[0].parse().unwrap(), fields[1].parse().unwrap());
        assert!(text.get(start..end).is_some_and(|t| !t.is_empty()), "{row}");
        rows += 1;
    }
    assert!(rows >= 6, "{out}");
}

/// `../shared` beside the project root; the tests that call this are
/// ignored by default and fail without it (and without python3).
fn shared() -> PathBuf {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    let has_python = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        has_python,
        "python3 is needed to run ../shared/tools/score.py"
    );
    assert!(
        shared.join("tools/score.py").exists(),
        "{} not found",
        shared.join("tools/score.py").display()
    );
    shared
}

fn score_py(shared: &Path, gold: &Path, system: &Path, flag: &str) -> Vec<u8> {
    let out = Command::new("python3")
        .arg(shared.join("tools/score.py"))
        .args([gold, system])
        .arg(flag)
        .output()
        .expect("score.py runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
#[ignore = "needs ../shared"]
fn eval_agrees_with_score_py_on_classify_output() {
    let shared = shared();
    let dir = temp_dir("eval");
    for set in ["seeds", "dev"] {
        let gold = shared.join(format!("gold/{set}.jsonl"));
        let input = std::fs::read(&gold).unwrap();
        let out = dir.join(format!("{set}.out"));
        let classified = warta(&["classify", "-q"], &input);
        assert_eq!(classified.code, 0, "{}", classified.stderr);
        std::fs::write(&out, &classified.stdout).unwrap();
        let gold_arg = gold.to_str().unwrap();
        // (warta eval flags, score.py flag)
        for (flags, py_flag) in [(&["--json"][..], "--json"), (&["--errors"][..], "--errors")] {
            let mut args = vec!["eval", "-q", "--gold", gold_arg];
            args.extend_from_slice(flags);
            let ours = warta(&args, b"");
            assert_eq!(ours.code, 0, "{}", ours.stderr);
            let theirs = score_py(&shared, &gold, &out, py_flag);
            if py_flag == "--json" {
                let ours: Value = serde_json::from_slice(&ours.stdout).unwrap();
                let theirs: Value = serde_json::from_slice(&theirs).unwrap();
                assert_eq!(ours, theirs, "{set}");
            } else {
                assert_eq!(
                    String::from_utf8_lossy(&ours.stdout),
                    String::from_utf8_lossy(&theirs),
                    "{set}"
                );
            }
        }
    }
}

#[test]
#[ignore = "needs ../shared"]
fn scorer_agrees_with_score_py_on_perturbed_systems() {
    use warta::eval::{SystemArticle, SystemParagraph, read_gold, score};
    let shared = shared();
    let gold_path = shared.join("gold/dev.jsonl");
    let gold = read_gold(BufReader::new(std::fs::File::open(&gold_path).unwrap())).unwrap();
    let topics = [
        "neutrality_warning",
        "sanction_threat",
        "violation_report",
        "money_politics",
    ];
    let dir = temp_dir("perturbed");
    // Each variant changes the gold paragraphs in a different, deterministic way.
    for variant in 0..5usize {
        let mut system = Vec::new();
        for (a, g) in gold.iter().enumerate() {
            let paragraphs = g
                .paragraphs
                .iter()
                .enumerate()
                .filter(|(p, _)| variant != 3 || (a + p) % 5 != 0)
                .flat_map(|(p, gp)| {
                    let k = a * 31 + p * 7 + variant;
                    let mut labels = gp.topics.clone();
                    if k % 3 == 0 {
                        labels.pop();
                    }
                    if k % 4 == 1 {
                        labels.push(topics[k % topics.len()].to_owned());
                    }
                    let boilerplate = match k % 9 {
                        0 => Some("footer".to_owned()),
                        1 => None,
                        _ => gp.boilerplate.clone(),
                    };
                    let shift = if variant == 2 { 3 } else { 0 };
                    let (start, end) = (
                        gp.start + shift,
                        gp.end.saturating_sub(shift).max(gp.start + shift),
                    );
                    // Variant 4 splits paragraphs in halves: equal overlaps, where the first must win.
                    let middle = if variant == 4 {
                        start + (end - start) / 2
                    } else {
                        end
                    };
                    let first = SystemParagraph {
                        start,
                        end: middle,
                        boilerplate: boilerplate.clone(),
                        labels,
                    };
                    let second = SystemParagraph {
                        start: middle,
                        end,
                        boilerplate,
                        labels: vec![topics[k % topics.len()].to_owned()],
                    };
                    [Some(first), (middle < end).then_some(second)]
                        .into_iter()
                        .flatten()
                })
                .collect();
            let missing = variant == 1 && a % 11 == 4;
            system.push(SystemArticle {
                id: g.id.clone(),
                paragraphs: (!missing).then_some(paragraphs),
            });
        }
        let system_path = dir.join(format!("system{variant}.jsonl"));
        let mut file = std::fs::File::create(&system_path).unwrap();
        for s in &system {
            let line = match &s.paragraphs {
                Some(ps) => {
                    serde_json::json!({"id": s.id, "paragraphs": ps.iter().map(|p| serde_json::json!({
                    "start": p.start, "end": p.end, "boilerplate": p.boilerplate, "labels": p.labels
                })).collect::<Vec<_>>()})
                }
                None => serde_json::json!({"id": s.id, "line": 1, "error": "missing"}),
            };
            writeln!(file, "{line}").unwrap();
        }
        drop(file);
        let report = score(&gold, &system);
        let theirs: Value =
            serde_json::from_slice(&score_py(&shared, &gold_path, &system_path, "--json")).unwrap();
        assert_eq!(
            serde_json::to_value(&report).unwrap(),
            theirs,
            "variant {variant}"
        );
        let theirs_text = score_py(&shared, &gold_path, &system_path, "--errors");
        assert_eq!(
            format!("{report:#}"),
            String::from_utf8_lossy(&theirs_text),
            "variant {variant}"
        );
    }
}

/// What a generated input line is; rendered with its line number as id.
#[derive(Debug, Clone)]
enum Line {
    Blank(String),
    Valid(String),
    NoId(String),
    Broken(usize),
    Garbage(String),
}

impl Line {
    /// The line's bytes, and whether it is blank.
    fn render(&self, n: usize) -> (Vec<u8>, bool) {
        let bytes = match self {
            Line::Blank(s) => return (s.clone().into_bytes(), true),
            Line::Valid(text) => serde_json::json!({"id": n, "text": text})
                .to_string()
                .into_bytes(),
            Line::NoId(text) => serde_json::json!({"text": text}).to_string().into_bytes(),
            Line::Broken(kind) => match kind {
                0 => format!("{{\"id\":{n},\"text\":\"trunc").into_bytes(),
                1 => format!("{{\"id\":{n}}}").into_bytes(),
                2 => format!("{{\"id\":{n},\"text\":[1]}}").into_bytes(),
                3 => [
                    format!("{{\"id\":{n},\"text\":\"").as_bytes(),
                    b"\xC3\x28\"}",
                ]
                .concat(),
                4 => format!("{{\"id\":{n},\"text\":\"\\udfff\"}}").into_bytes(),
                _ => format!("[{n}]").into_bytes(),
            },
            Line::Garbage(s) => s.clone().into_bytes(),
        };
        (bytes, false)
    }
}

fn line_strategy() -> impl Strategy<Value = Line> {
    prop_oneof![
        "[ \t]{0,3}".prop_map(Line::Blank),
        any::<String>().prop_map(Line::Valid),
        any::<String>().prop_map(Line::NoId),
        (0..6usize).prop_map(Line::Broken),
        "[a-z{}\\[\\],:]{1,20}".prop_map(Line::Garbage),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn one_output_line_per_non_blank_input_line_in_order(
        lines in proptest::collection::vec((line_strategy(), any::<bool>()), 0..40)
    ) {
        let mut input = Vec::new();
        let mut expected = Vec::new();
        for (i, (line, crlf)) in lines.iter().enumerate() {
            // The id is the line number, and a line without one gets
            // `<stdin>:N`: either way, the output ids give the numbers of
            // the non-blank lines.
            let (bytes, blank) = line.render(i + 1);
            input.extend_from_slice(&bytes);
            input.extend_from_slice(if *crlf { b"\r\n" } else { b"\n" });
            if !blank {
                expected.push(Value::from(i + 1));
            }
        }
        let run = warta(&["clean", "-q", "--threads", "2", "--chunk", "3"], &input);
        let ids: Vec<Value> = run
            .lines()
            .iter()
            .map(|l| match l["id"].as_str().and_then(|id| id.strip_prefix("<stdin>:")) {
                Some(n) => n.parse::<usize>().map_or_else(|_| l["id"].clone(), Value::from),
                None => l["id"].clone(),
            })
            .collect();
        prop_assert_eq!(ids, expected);
        prop_assert!(run.code == 0 || run.code == 2, "{}", run.stderr);
    }
}

/// Starts `warta args` with standard input and output on pipes.
fn spawn_piped(args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_warta"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("warta starts")
}

#[test]
fn records_from_a_pipe_kept_open_come_out_promptly() {
    use std::sync::mpsc::channel;
    use std::time::Duration;
    for args in [
        &["classify", "-q"][..],
        &["clean", "-q"],
        &["classify", "-q", "--chunk", "1"],
    ] {
        let mut child = spawn_piped(args);
        let mut stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (lines, got) = channel();
        let reader = std::thread::spawn(move || {
            for line in stdout.lines() {
                if lines.send(line.unwrap()).is_err() {
                    break;
                }
            }
        });
        for id in 1..=3 {
            writeln!(stdin, r#"{{"id":{id},"text":"ASN wajib netral."}}"#).unwrap();
        }
        stdin.flush().unwrap();
        // Standard input stays open: the three lines must still come out.
        // The timeout only turns a hang into a failure.
        for id in 1..=3 {
            let line = got
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|e| panic!("{args:?}: line {id} not written: {e}"));
            assert!(line.starts_with(&format!("{{\"id\":{id},")), "{line}");
        }
        drop(stdin);
        assert!(got.recv_timeout(Duration::from_secs(60)).is_err());
        reader.join().unwrap();
        assert_eq!(child.wait().unwrap().code(), Some(0), "{args:?}");
    }
}

/// The peak resident memory of a running process, in KiB (Linux).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .expect("VmHWM");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Reads `lines` output lines of records with id 0, pausing before each.
fn read_record_lines(stdout: &mut impl BufRead, lines: usize, pause: std::time::Duration) {
    let mut out = String::new();
    for _ in 0..lines {
        std::thread::sleep(pause);
        out.clear();
        stdout.read_line(&mut out).unwrap();
        assert!(
            out.starts_with("{\"id\":0,"),
            "{}",
            &out[..out.len().min(200)]
        );
    }
}

/// Pipes `records` records of `text` into `warta args`, reads every output
/// line, and returns the peak memory measured before standard input closes.
fn peak_rss_for(args: &[&str], text: &str, records: usize) -> u64 {
    let mut child = spawn_piped(args);
    let mut stdin = child.stdin.take().unwrap();
    let line = format!("{}\n", serde_json::json!({ "id": 0, "text": text }));
    let writer = std::thread::spawn(move || {
        for _ in 0..records {
            stdin.write_all(line.as_bytes()).unwrap();
        }
        // Kept open until the peak is read.
        stdin
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    read_record_lines(&mut stdout, records, std::time::Duration::ZERO);
    let peak = peak_rss_kib(child.id());
    drop(writer.join().unwrap());
    assert_eq!(child.wait().unwrap().code(), Some(0));
    peak
}

#[test]
fn memory_is_bounded_by_bytes_in_flight_not_by_records() {
    // Records of 2 MB, a budget of 4 MiB: eight times as many records
    // (and a chunk that would hold them all) must not need more memory.
    let text = "Hujan turun sejak pagi di kota. ".repeat(64 * 1024);
    let args = [
        "clean",
        "-q",
        "--threads",
        "2",
        "--chunk",
        "1000",
        "--max-bytes-in-flight",
        "4M",
    ];
    let small = peak_rss_for(&args, &text, 8);
    let large = peak_rss_for(&args, &text, 64);
    assert!(
        (large as f64) < small as f64 * 1.5,
        "peak {small} KiB for 8 records, {large} KiB for 64"
    );
}

#[test]
fn memory_is_bounded_by_bytes_in_flight_when_workers_read_files() {
    // Workers that read a file themselves keep to the same budget: eight
    // times as many records of 2 MB must not need more memory, however
    // slowly the output is taken. The peak is read while the last output
    // line is still being written.
    let dir = temp_dir("pull-memory");
    let text = "Hujan turun sejak pagi di kota. ".repeat(64 * 1024);
    let line = format!("{}\n", serde_json::json!({ "id": 0, "text": text }));
    let mut peaks = Vec::new();
    for records in [8, 64] {
        let path = dir.join(format!("{records}.jsonl"));
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        for _ in 0..records {
            file.write_all(line.as_bytes()).unwrap();
        }
        file.flush().unwrap();
        let path = path.to_str().unwrap();
        let args = [
            "clean",
            "-q",
            "--threads",
            "2",
            "--max-bytes-in-flight",
            "4M",
            path,
        ];
        let mut child = Command::new(env!("CARGO_BIN_EXE_warta"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        read_record_lines(
            &mut stdout,
            records - 1,
            std::time::Duration::from_millis(10),
        );
        peaks.push(peak_rss_kib(child.id()));
        std::io::copy(&mut stdout, &mut std::io::sink()).unwrap();
        assert_eq!(child.wait().unwrap().code(), Some(0));
    }
    let (small, large) = (peaks[0], peaks[1]);
    assert!(
        (large as f64) < small as f64 * 1.5,
        "peak {small} KiB for 8 records, {large} KiB for 64"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn out_of_range_chunk_and_threads_are_refused_before_any_work() {
    // (args, message)
    let cases: [(&[&str], &str); 6] = [
        (&["--chunk", "1000000000000"], "not in 1..=1000000"),
        (&["--chunk", "18446744073709551615"], "not in 1..=1000000"),
        (&["--chunk", "0"], "not in 1..=1000000"),
        (&["--threads", "100000"], "not in 0..=1024"),
        (&["--threads", "1025"], "not in 0..=1024"),
        (&["--max-bytes-in-flight", "12T"], "is not a size"),
    ];
    for command in ["classify", "clean"] {
        for (extra, message) in cases {
            let args: Vec<&str> = [command].iter().chain(extra).copied().collect();
            warta(&args, b"{\"text\":\"ASN netral.\"}\n").assert_fails_with(message);
        }
        // The largest values work, and reserve nothing up front.
        let args = [command, "-q", "--chunk", "1000000", "--threads", "3"];
        let run = warta(&args, b"{\"text\":\"ASN netral.\"}\n");
        assert_eq!((run.code, run.lines().len()), (0, 1), "{}", run.stderr);
    }
}

#[test]
fn every_input_is_checked_before_any_output() {
    let dir = temp_dir("check-all");
    let good = dir.join("good.jsonl");
    std::fs::write(&good, "{\"id\":1,\"text\":\"ASN netral.\"}\n").unwrap();
    let good = good.to_str().unwrap();
    let missing = dir.join("missing.jsonl");
    let missing = missing.to_str().unwrap();
    let sub = dir.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    let sub = sub.to_str().unwrap();
    // (inputs after a good one, message)
    let cases = [
        (vec![good, sub], format!("{sub} is a directory")),
        (vec![good, "-", missing], format!("cannot open {missing}")),
    ];
    for command in ["clean", "classify"] {
        for (inputs, message) in &cases {
            let args: Vec<&str> = [command].iter().chain(inputs).copied().collect();
            let run = warta(&args, b"{\"text\":\"x\"}\n");
            run.assert_fails_with(message);
            // And nothing else.
            assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        }
    }
}

#[test]
fn a_closed_standard_output_is_an_error_not_a_silent_success() {
    let dir = temp_dir("closed-fd");
    let input = dir.join("in.jsonl");
    std::fs::write(&input, "{\"id\":1,\"text\":\"ASN netral.\"}\n").unwrap();
    let input = input.to_str().unwrap();
    for args in [
        vec!["clean", input],
        vec!["classify", input],
        vec!["stem", "pemilihan"],
        vec!["tokens", "ASN netral"],
    ] {
        // `>&-`: descriptor 1 closed, as a careless cron line leaves it.
        let output = Command::new("sh")
            .arg("-c")
            .arg("exec \"$@\" >&-")
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_warta"))
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("standard output is closed"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn sigint_with_stdout_on_a_pipe_never_leaves_half_a_line() {
    // Lines of about 1 MB: the writer is stopped mid-line by a full pipe
    // when the interrupt comes, and must finish that line or none.
    let text = "Bawaslu mengingatkan ASN agar netral. ".repeat(28_000);
    let line = format!("{}\n", serde_json::json!({ "id": 7, "text": text }));
    for command in ["clean", "classify"] {
        let mut child = spawn_piped(&[command, "-q"]);
        let mut stdin = child.stdin.take().unwrap();
        let input = line.clone();
        // Standard input stays open: only the interrupt ends the run.
        let writer = std::thread::spawn(move || {
            for _ in 0..20 {
                if stdin.write_all(input.as_bytes()).is_err() {
                    break;
                }
            }
            stdin
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        assert!(first.ends_with('\n'));
        // Let the writer fill the pipe and block in the middle of a line.
        std::thread::sleep(std::time::Duration::from_millis(300));
        // SAFETY: sends a signal to the child we started.
        assert_eq!(
            unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
            0
        );
        let mut rest = Vec::new();
        stdout.read_to_end(&mut rest).unwrap();
        let status = child.wait().unwrap();
        drop(writer.join().unwrap());
        assert!(
            rest.is_empty() || rest.ends_with(b"\n"),
            "{command}: the output ends in the middle of a line"
        );
        assert_eq!(status.code(), Some(130), "{command}: {status:?}");
        for line in rest.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let value: Value = serde_json::from_slice(line).expect("whole JSON lines");
            assert_eq!(value["id"], 7);
        }
    }
}

/// Starts `warta args` with `input` on standard input (kept open when
/// `keep_open`), reads the first line of output, lets warta block on the
/// full output pipe in the middle of its output, interrupts it (SIGINT),
/// and returns all it wrote and its exit status.
fn interrupted_while_writing(args: &[&str], input: Vec<u8>, keep_open: bool) -> (Vec<u8>, i32) {
    let mut child = spawn_piped(args);
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        // Fails once warta has ended: that is the interrupt's business.
        let _ = stdin.write_all(&input);
        keep_open.then_some(stdin)
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut output = Vec::new();
    stdout.read_until(b'\n', &mut output).unwrap();
    assert!(output.ends_with(b"\n"), "{args:?}: no first line");
    // Let warta fill the pipe and block in the middle of its output, then
    // interrupt it and give the handler time to see the signal before the
    // output is drained.
    std::thread::sleep(std::time::Duration::from_millis(300));
    // SAFETY: sends a signal to the child we started.
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    stdout.read_to_end(&mut output).unwrap();
    let status = child.wait().unwrap();
    drop(writer.join().unwrap());
    (output, status.code().unwrap_or(-1))
}

#[test]
fn sigint_in_stem_and_tokens_never_leaves_half_a_line() {
    // `stem` on words from standard input kept open: only the interrupt
    // ends it, after a whole line.
    let words = "pemilihan\n".repeat(2_000_000).into_bytes();
    let (output, code) = interrupted_while_writing(&["stem"], words, true);
    assert_eq!(code, 130);
    assert!(
        output.ends_with(b"\n"),
        "stem: the output ends in the middle of a line"
    );
    assert!(
        output
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .all(|l| l == b"pilih"),
        "stem: a line is not a whole stem"
    );

    // `tokens` on a long text: millions of lines, cut by the interrupt.
    let text = "Bawaslu mengingatkan ASN agar netral. "
        .repeat(100_000)
        .into_bytes();
    let (output, code) = interrupted_while_writing(&["tokens"], text, false);
    assert_eq!(code, 130);
    assert!(
        output.ends_with(b"\n"),
        "tokens: the output ends in the middle of a line"
    );
    let output = String::from_utf8(output).unwrap();
    let mut lines = output.lines();
    assert_eq!(lines.next(), Some("start\tend\tkind\tnormalized\tstem"));
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 5, "tokens: half a line: {line:?}");
        let start: usize = fields[0].parse().unwrap();
        let end: usize = fields[1].parse().unwrap();
        assert!(start < end, "{line:?}");
        assert!(!fields[3].is_empty(), "tokens: half a line: {line:?}");
    }
}

#[test]
fn sigint_while_records_from_a_file_are_written_never_leaves_half_a_line() {
    // Records from a file, read by the threads that process them (the
    // calling thread among them): the full pipe stops a write in the
    // middle of a line when the interrupt comes. What comes out is every
    // line from the first on, each whole, on one thread and on two.
    let dir = temp_dir("sigint-lines");
    let input = dir.join("articles.jsonl");
    let mut lines = String::new();
    for i in 0..20_000 {
        lines.push_str(&format!(
            "{{\"id\": {i}, \"text\": \"Bupati meminta ASN menjaga netralitas. Nomor {i}.\"}}\n"
        ));
    }
    std::fs::write(&input, lines).unwrap();
    for threads in ["1", "2"] {
        let args = [
            "classify",
            "-q",
            "--threads",
            threads,
            input.to_str().unwrap(),
        ];
        let (output, code) = interrupted_while_writing(&args, Vec::new(), false);
        assert_eq!(code, 130, "{threads} threads");
        assert!(
            output.ends_with(b"\n"),
            "{threads} threads: the output ends in the middle of a line"
        );
        let ids: Vec<u64> = output
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| {
                let value: Value = serde_json::from_slice(l).expect("whole JSON lines");
                value["id"].as_u64().unwrap()
            })
            .collect();
        assert!(ids.len() < 20_000, "{threads} threads: not interrupted");
        assert!(
            ids.iter().copied().eq(0..ids.len() as u64),
            "{threads} threads: lines missing or out of order"
        );
    }
}

#[test]
fn sigint_during_the_eval_report_finishes_the_report() {
    // Every paragraph is scored wrong, so `--errors` writes a report of
    // one line per paragraph, far longer than a pipe holds.
    let dir = temp_dir("eval-sigint");
    let gold = dir.join("gold.jsonl");
    let mut lines = String::new();
    for i in 0..20_000 {
        lines.push_str(&format!(
            "{{\"id\": \"artikel-{i:06}\", \"text\": \"Harga cabai naik.\", \"paragraphs\": \
             [{{\"start\": 0, \"end\": 17, \"boilerplate\": null, \"topics\": [\"neutrality_warning\"]}}]}}\n"
        ));
    }
    std::fs::write(&gold, lines).unwrap();
    let args = ["eval", "-q", "--errors", "--gold", gold.to_str().unwrap()];
    let whole = warta(&args, b"");
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    assert!(whole.stdout.len() > 1 << 20, "{} bytes", whole.stdout.len());
    let (output, code) = interrupted_while_writing(&args, Vec::new(), false);
    assert_eq!(code, 130);
    // Once started, the report is written whole: never a cut one.
    assert!(
        output == whole.stdout,
        "eval: {} of {} bytes",
        output.len(),
        whole.stdout.len()
    );
}

#[test]
fn eval_refuses_gold_files_it_cannot_score_honestly() {
    let dir = temp_dir("eval-gold");
    let ok = r#"{"id": "a", "text": "ASN netral.", "paragraphs": [{"start": 0, "end": 11, "boilerplate": null, "topics": ["neutrality_warning"]}]}"#;
    // (name, contents, message)
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        ("empty", Vec::new(), "no gold articles".to_owned()),
        (
            "dup",
            format!("{ok}\n{ok}\n").into_bytes(),
            "line 2: id \"a\" is already the id of line 1".to_owned(),
        ),
        (
            "topic",
            ok.replace("neutrality_warning", "netralitas").into_bytes(),
            "line 1: unknown topic \"netralitas\"".to_owned(),
        ),
        (
            "span",
            ok.replace("\"end\": 11", "\"end\": 99").into_bytes(),
            "line 1: paragraph 0..99 ends past the text".to_owned(),
        ),
        (
            "utf8",
            [ok.as_bytes(), b"\n\xff\n"].concat(),
            "line 2: invalid UTF-8".to_owned(),
        ),
        (
            "json",
            b"\n{\"id\": 1}\n".to_vec(),
            "line 2: missing field `text`".to_owned(),
        ),
    ];
    for (name, contents, message) in cases {
        let path = dir.join(format!("{name}.jsonl"));
        std::fs::write(&path, contents).unwrap();
        let run = warta(&["eval", "--gold", path.to_str().unwrap()], b"");
        run.assert_fails_with(&message);
    }
    // A file without line breaks is refused at the line limit, and a
    // directory's cause is printed once.
    warta(&["eval", "--gold", "/dev/zero"], b"").assert_fails_with("line 1: longer than");
    warta(&["eval", "--gold", dir.to_str().unwrap()], b"").assert_fails_with("Is a directory");
    // A byte order mark is read as `classify` reads it.
    let path = dir.join("bom.jsonl");
    std::fs::write(&path, format!("\u{FEFF}{ok}\n")).unwrap();
    let run = warta(&["eval", "-q", "--gold", path.to_str().unwrap()], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn lexicon_files_are_bounded_and_causes_printed_once() {
    let dir = temp_dir("lexicon-limits");
    let dir_name = dir.to_str().unwrap();
    let input = b"{\"text\":\"ASN netral.\"}\n";
    warta(&["classify", "--lexicon", "/dev/zero"], input).assert_fails_with("is larger than");
    warta(&["classify", "--lexicon", dir_name], input).assert_fails_with("Is a directory");
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, b"# \xFF\n").unwrap();
    warta(&["classify", "--lexicon", bad.to_str().unwrap()], input)
        .assert_fails_with("bad.toml:1:3: invalid UTF-8");
}

#[test]
fn tokens_warns_when_it_replaced_invalid_utf8() {
    let run = warta(&["tokens"], b"ASN \xFF netral \xC3");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("replaced 2 invalid UTF-8 sequence(s) with U+FFFD"),
        "{}",
        run.stderr
    );
    let run = warta(&["tokens"], "ASN netral é".as_bytes());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}
