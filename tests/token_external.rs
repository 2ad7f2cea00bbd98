//! Surface-token agreement with the Universal Dependencies test treebanks in
//! `../shared/external`. Needs `../shared`: ignored by default, and fails
//! when it is missing (CI runs it with `--include-ignored`).
//!
//! UD splits clitics into syntactic words but keeps the surface token as a
//! multiword-token line (`1-2`); we compare spans of surface tokens, since
//! warta keeps clitics attached. Set `WARTA_SHOW_TOKEN_ERRORS` to print the
//! disagreements of every sentence.

use std::collections::HashSet;
use std::path::Path;

use warta::token::tokenize;

/// Span-level precision, recall and F1 of our tokens against the gold
/// surface tokens of every sentence of a CoNLL-U file.
fn surface_scores(conllu: &str) -> (f64, f64, f64) {
    let (mut gold_total, mut ours_total, mut agreed) = (0usize, 0usize, 0usize);
    for sentence in conllu.split("\n\n") {
        let Some(text) = sentence.lines().find_map(|l| l.strip_prefix("# text = ")) else {
            continue;
        };
        let mut gold = HashSet::new();
        let mut cursor = 0;
        let mut skip_until = 0;
        for line in sentence.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (Some(id), Some(form)) = (cols.next(), cols.next()) else {
                continue;
            };
            if id.contains('.') {
                continue;
            }
            let last = match id.split_once('-') {
                Some((_, to)) => to.parse().unwrap_or(0),
                None => {
                    let n: usize = id.parse().unwrap_or(0);
                    if n <= skip_until {
                        continue;
                    }
                    n
                }
            };
            skip_until = last;
            if let Some(at) = text[cursor..].find(form) {
                let start = cursor + at;
                gold.insert((start, start + form.len()));
                cursor = start + form.len();
            }
        }
        let ours: HashSet<_> = tokenize(text).map(|t| (t.start, t.end)).collect();
        if std::env::var_os("WARTA_SHOW_TOKEN_ERRORS").is_some() {
            let show = |spans: &HashSet<(usize, usize)>, other: &HashSet<(usize, usize)>| {
                let mut missing: Vec<_> =
                    spans.difference(other).map(|&(s, e)| &text[s..e]).collect();
                missing.sort_unstable();
                missing
            };
            eprintln!(
                "gold only {:?} ours only {:?}",
                show(&gold, &ours),
                show(&ours, &gold)
            );
        }
        gold_total += gold.len();
        ours_total += ours.len();
        agreed += gold.intersection(&ours).count();
    }
    let precision = agreed as f64 / ours_total.max(1) as f64;
    let recall = agreed as f64 / gold_total.max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);
    (precision, recall, f1)
}

#[test]
#[ignore = "needs ../shared"]
fn surface_token_f1_on_ud_test_sets() {
    let floors = [
        ("id_csui-ud-test.conllu", 0.975),
        ("id_gsd-ud-test.conllu", 0.99),
    ];
    for (file, floor) in floors {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/external")
            .join(file);
        let conllu =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (p, r, f1) = surface_scores(&conllu);
        eprintln!("{file}: precision {p:.4} recall {r:.4} F1 {f1:.4}");
        assert!(
            f1 >= floor,
            "{file}: surface-token F1 {f1:.4} below {floor}"
        );
    }
}
