//! `warta report`: one self-contained HTML file to look at a classified
//! corpus in a browser: an overview with charts, a filterable article list,
//! and each article with its evidence highlighted.
//!
//! The articles go into the page as JSON (compact arrays, offsets in UTF-16
//! code units as JavaScript counts them; see [`data`]) in `<script>`
//! elements of [`ARTICLES_PER_SCRIPT`] articles, written as they are
//! classified, chunk by chunk, so memory stays bounded by the chunk and not
//! the corpus. The page's script (`page.js`) renders only
//! what is on screen: one page of the list, or the opened article. It
//! builds the DOM with `textContent` and `createElement` only, so nothing
//! from an article is ever parsed as markup.

mod data;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;
use warta::{Classifier, Topic};

use crate::input::{Inputs, Item, display_name};
use crate::pipeline::{EXIT_RECORD_ERRORS, StreamOptions};

const TEMPLATE: &str = include_str!("page.html");
const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

/// Where the data goes in the template.
const DATA_SLOT: &str = "{{DATA}}";

/// Articles per `<script>` element: browsers parse one huge element slowly
/// (a 318 MB one did not open in five minutes), many small ones quickly,
/// and the page frees each after reading it.
const ARTICLES_PER_SCRIPT: usize = 1000;

/// What the page says about the run, before the articles.
#[derive(Serialize)]
struct Header<'a> {
    generator: String,
    lexicon: &'a str,
    inputs: Vec<&'a str>,
    topics: [&'static str; Topic::COUNT],
}

/// An input line that could not be read, as the page lists it.
#[derive(Serialize)]
struct InputError {
    file: String,
    /// The line in a JSON Lines input; none for a text file.
    line: Option<usize>,
    id: String,
    error: String,
}

/// Reads the inputs named by `names`, classifies every article and writes
/// the report to `output` (through a temporary file beside it, so a failed
/// run leaves no half page). `lexicon` names the lexicon on the page.
pub fn run(
    classifier: &Classifier,
    names: &[String],
    inputs: Inputs,
    options: &StreamOptions,
    output: &Path,
    lexicon: &str,
) -> anyhow::Result<ExitCode> {
    let partial = partial_path(output);
    let file =
        File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    let written = write_report(
        classifier,
        names,
        inputs,
        options,
        BufWriter::new(file),
        lexicon,
    );
    let stats = match written {
        Ok(stats) => stats,
        Err(e) => {
            let _ = fs::remove_file(&partial);
            return Err(e);
        }
    };
    fs::rename(&partial, output).with_context(|| format!("cannot write {}", output.display()))?;
    if !options.quiet {
        let size = fs::metadata(output).map_or(0, |m| m.len());
        eprintln!(
            "warta report: {} articles, {} errors -> {} ({:.1} MB)",
            stats.articles,
            stats.errors,
            output.display(),
            size as f64 / 1e6
        );
    }
    Ok(if stats.errors > 0 {
        ExitCode::from(EXIT_RECORD_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

/// `report.html` -> `report.html.partial`.
fn partial_path(output: &Path) -> PathBuf {
    let mut name = output.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    output.with_file_name(name)
}

struct Stats {
    articles: usize,
    errors: usize,
}

fn write_report(
    classifier: &Classifier,
    names: &[String],
    mut inputs: Inputs,
    options: &StreamOptions,
    mut out: impl Write,
    lexicon: &str,
) -> anyhow::Result<Stats> {
    let (head, tail) = TEMPLATE
        .split_once(DATA_SLOT)
        .context("the page template has no data slot")?;
    let head = head.replace("/*CSS*/", CSS);
    let tail = tail.replace("/*JS*/", JS);
    out.write_all(head.as_bytes())?;

    let header = Header {
        generator: format!("warta {}", env!("CARGO_PKG_VERSION")),
        lexicon,
        inputs: names.iter().map(|name| display_name(name)).collect(),
        topics: Topic::ALL.map(Topic::id),
    };
    out.write_all(br#"<script type="application/json" id="warta-data">"#)?;
    out.write_all(&data::script_safe(&serde_json::to_vec(&header)?))?;
    out.write_all(b"</script>\n")?;

    let mut stats = Stats {
        articles: 0,
        errors: 0,
    };
    let mut errors = Vec::new();
    loop {
        let mut batch = Vec::with_capacity(options.chunk);
        while batch.len() < options.chunk {
            match inputs.next().map(|raw| raw.parse(names)) {
                None => break,
                Some(Item::Record(record)) => {
                    let fields = data::fields(&record);
                    batch.push((record, fields));
                }
                Some(Item::Error { source, error }) => errors.push(InputError {
                    file: display_name(&names[source]).to_owned(),
                    line: error.line,
                    id: error.id.to_string(),
                    error: error.message,
                }),
                Some(Item::Fatal(e)) => return Err(e),
            }
        }
        if batch.is_empty() {
            break;
        }
        let jsons: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|(record, fields)| {
                let article = classifier.classify(&record.text);
                data::article_json(record, fields, &article)
            })
            .collect::<anyhow::Result<_>>()?;
        for json in jsons {
            let at = stats.articles % ARTICLES_PER_SCRIPT;
            if at == 0 {
                if stats.articles > 0 {
                    out.write_all(b"]</script>\n")?;
                }
                out.write_all(br#"<script type="application/json" class="warta-articles">["#)?;
            } else {
                out.write_all(b",")?;
            }
            out.write_all(&json)?;
            stats.articles += 1;
        }
    }
    if stats.articles > 0 {
        out.write_all(b"]</script>\n")?;
    }
    stats.errors = errors.len();
    out.write_all(br#"<script type="application/json" id="warta-errors">"#)?;
    out.write_all(&data::script_safe(&serde_json::to_vec(&errors)?))?;
    out.write_all(b"</script>")?;
    out.write_all(tail.as_bytes())?;
    out.flush()?;
    Ok(stats)
}
