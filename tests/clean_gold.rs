//! Boilerplate accuracy on the shared gold sets, scored like
//! `shared/tools/score.py`: each gold paragraph is aligned to the system
//! paragraph with the largest byte overlap. Needs `../shared`: ignored by
//! default, and fails when it is missing (CI runs it with `--include-ignored`).

use std::path::PathBuf;

use serde_json::Value;
use warta::clean::{Paragraph, clean};

/// Boilerplate counts over a gold file.
#[derive(Default)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
    kind_ok: usize,
    kind_n: usize,
    /// Gold content paragraphs marked boilerplate.
    content_lost: Vec<String>,
}

impl Score {
    fn f1(&self) -> f64 {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn kind_accuracy(&self) -> f64 {
        self.kind_ok as f64 / self.kind_n.max(1) as f64
    }
}

fn align(start: usize, end: usize, system: &[Paragraph]) -> Option<&Paragraph> {
    let mut best = None;
    let mut best_overlap = 0;
    for p in system {
        let overlap = end.min(p.end) as isize - start.max(p.start) as isize;
        if overlap > best_overlap {
            best = Some(p);
            best_overlap = overlap;
        }
    }
    best
}

fn score(path: &PathBuf) -> Option<Score> {
    let data = std::fs::read_to_string(path).ok()?;
    let mut s = Score::default();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let article: Value = serde_json::from_str(line).expect("gold line is JSON");
        let text = article["text"].as_str().expect("gold text");
        let doc = clean(text);
        for gp in article["paragraphs"].as_array().expect("gold paragraphs") {
            let (start, end) = (
                gp["start"].as_u64().unwrap_or(0) as usize,
                gp["end"].as_u64().unwrap_or(0) as usize,
            );
            let gold = gp["boilerplate"].as_str();
            let system = align(start, end, &doc.paragraphs)
                .and_then(|p| p.boilerplate)
                .map(|k| k.id());
            match (gold, system) {
                (Some(_), Some(_)) => s.tp += 1,
                (None, Some(_)) => {
                    s.fp += 1;
                    s.content_lost
                        .push(format!("{}: {}", article["id"], &text[start..end]));
                }
                (Some(_), None) => s.fn_ += 1,
                (None, None) => {}
            }
            if gold.is_some() {
                s.kind_n += 1;
                s.kind_ok += usize::from(gold == system);
            }
        }
    }
    Some(s)
}

#[test]
#[ignore = "needs ../shared"]
fn gold_boilerplate_f1_and_kind_accuracy() {
    let gold = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/gold");
    for name in ["dev.jsonl", "seeds.jsonl"] {
        let Some(s) = score(&gold.join(name)) else {
            panic!("{} not found", gold.join(name).display());
        };
        eprintln!(
            "{name}: F1 {:.3}, kind accuracy {:.3}",
            s.f1(),
            s.kind_accuracy()
        );
        assert!(
            s.f1() >= 0.97,
            "{name}: boilerplate F1 {:.3} < 0.97",
            s.f1()
        );
        assert!(
            s.kind_accuracy() >= 0.95,
            "{name}: kind accuracy {:.3} < 0.95",
            s.kind_accuracy()
        );
        assert!(
            s.content_lost.is_empty(),
            "{name}: content marked boilerplate: {:#?}",
            s.content_lost
        );
    }
}
