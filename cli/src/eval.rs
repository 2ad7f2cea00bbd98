//! `warta eval`: classify a gold file's texts and score them.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use warta::Classifier;

use warta::eval::{ParagraphError, Report, SystemArticle, SystemParagraph, read_gold, score};

use crate::pipeline::write_failed;
use crate::signals;

/// The paragraphs of an article as `classify` writes them, which is what
/// `score.py` reads: scoring the same JSON keeps the figures identical.
#[derive(Deserialize)]
struct Written {
    paragraphs: Vec<SystemParagraph>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    #[serde(flatten)]
    report: &'a Report,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph_errors: Option<&'a [ParagraphError]>,
}

pub fn run(
    classifier: &Classifier,
    gold_path: &Path,
    errors: bool,
    json: bool,
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let name = gold_path.display();
    let file = File::open(gold_path).with_context(|| format!("cannot open {name}"))?;
    let gold = read_gold(BufReader::new(file)).with_context(|| format!("reading {name}"))?;
    let system = gold
        .par_iter()
        .map(|g| {
            let article = classifier.classify(&g.text);
            let written: Written = serde_json::from_value(serde_json::to_value(&article)?)?;
            Ok(SystemArticle {
                id: g.id.clone(),
                paragraphs: Some(written.paragraphs),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let report = score(&gold, &system);
    let text = if json {
        let out = JsonReport {
            report: &report,
            paragraph_errors: errors.then_some(report.paragraph_errors.as_slice()),
        };
        serde_json::to_string(&out)? + "\n"
    } else if errors {
        format!("{report:#}")
    } else {
        report.to_string()
    };
    // The whole report under the lock: an interrupt (Ctrl-C) while it is
    // written waits for its end instead of cutting it short.
    let mut out = signals::stdout();
    let written = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    drop(out);
    if let Err(e) = written {
        return write_failed(e);
    }
    if !quiet {
        eprintln!(
            "warta eval: {} articles in {:.2} s",
            gold.len(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}
