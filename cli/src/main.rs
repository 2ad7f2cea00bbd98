//! The `warta` command-line tool: clean, classify and score Indonesian news
//! read as JSON Lines, and stem or tokenize text for debugging.
//!
//! Exit status: 0 when every record was processed (or standard output was
//! closed early); 2 when some input lines were errors (each still got an
//! error line); 1 on a fatal error (an unreadable file, bad arguments, a
//! standard output closed from the start); 130 after an interrupt, which
//! ends the output between two lines.

mod eval;
mod input;
mod limits;
mod ordered;
mod output;
mod pipeline;
mod signals;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use warta::jsonl::DEFAULT_MAX_LINE_BYTES;
use warta::{Classifier, Offsets};

use crate::input::ReadOptions;
use crate::output::{Classified, Cleaned};
use crate::pipeline::{StreamOptions, json_line};

/// Clean, tokenize, stem and classify Indonesian election news.
#[derive(Parser)]
#[command(
    name = "warta",
    version,
    after_help = "Exit status: 0 when every record was processed (or standard output was closed early), \
                  2 when some input lines were errors (each still got an error line), \
                  1 on a fatal error (an unreadable file, bad arguments)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Split articles into paragraphs and mark boilerplate.
    ///
    /// Reads JSON Lines with "id" and "text"; writes one line per non-blank
    /// input line, in order: {"id", "text" (the content), "dateline",
    /// "paragraphs": [{"start", "end", "boilerplate"}]}, offsets in bytes
    /// into the input text. Bad lines become {"id", "line", "error"}.
    Clean(StreamArgs),
    /// Score every paragraph for the eight topics, with evidence.
    ///
    /// Reads JSON Lines with "id" and "text"; writes one line per non-blank
    /// input line, in order: {"id", "offsets", "labels", "scores",
    /// "dateline", "sign_off", "paragraphs"}, where "offsets" names the
    /// unit of every offset ("bytes" or "chars"). Bad lines become {"id",
    /// "line", "error"}.
    Classify {
        #[command(flatten)]
        lexicon: LexiconArgs,
        /// The unit of offsets in the output: bytes into the UTF-8 text, or
        /// chars (Unicode code points, as Python indexes strings).
        #[arg(long, value_enum, default_value_t = OffsetUnit::Bytes)]
        offsets: OffsetUnit,
        #[command(flatten)]
        stream: StreamArgs,
    },
    /// Classify a gold file's texts and score them against its labels.
    Eval(EvalArgs),
    /// Stem words given as arguments, or one per line on standard input.
    Stem {
        /// Words to stem; none reads standard input.
        words: Vec<String>,
    },
    /// Print the tokens of a text as TSV: start, end (bytes), kind, normalized, stem.
    Tokens {
        /// The text; none reads all of standard input.
        text: Option<String>,
    },
}

/// The `--offsets` choices.
#[derive(Clone, Copy, clap::ValueEnum)]
enum OffsetUnit {
    Bytes,
    Chars,
}

impl From<OffsetUnit> for Offsets {
    fn from(unit: OffsetUnit) -> Self {
        match unit {
            OffsetUnit::Bytes => Offsets::Bytes,
            OffsetUnit::Chars => Offsets::Chars,
        }
    }
}

#[derive(Args)]
struct StreamArgs {
    /// JSON Lines inputs; none or `-` reads standard input. Line numbers
    /// restart per file; with several files, error lines name the file.
    paths: Vec<String>,
    #[command(flatten)]
    common: CommonArgs,
    /// Replace invalid UTF-8 and lone surrogate escapes with U+FFFD instead
    /// of rejecting the line.
    #[arg(long)]
    lossy: bool,
    /// Longest input line, in bytes; longer lines become error lines.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_LINE_BYTES)]
    max_line_bytes: usize,
    /// Most records per parallel chunk, 1 to 1000000 (default: 128 per
    /// thread).
    #[arg(long, value_name = "N", value_parser = limits::count(limits::MAX_CHUNK))]
    chunk: Option<usize>,
    /// Most bytes of text read but not yet written (K, M, G suffixes);
    /// bounds memory whatever the records' sizes. One longer record is
    /// still read, alone.
    #[arg(long, value_name = "BYTES", default_value = "64M", value_parser = limits::parse_bytes)]
    max_bytes_in_flight: usize,
}

#[derive(Args)]
struct CommonArgs {
    /// Worker threads, 1 to 1024 (default: all cores).
    #[arg(long, value_name = "N", value_parser = limits::count(limits::MAX_THREADS))]
    threads: Option<usize>,
    /// No progress bar and no summary on standard error.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args)]
struct EvalArgs {
    /// The gold file: {"id", "text", "paragraphs": [{"start", "end", "boilerplate", "topics"}]} per line.
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,
    /// List every paragraph scored wrong.
    #[arg(long)]
    errors: bool,
    /// Print the report as JSON (the figures of `score.py --json`).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    lexicon: LexiconArgs,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args)]
struct LexiconArgs {
    /// A lexicon TOML file to score with instead of the embedded default;
    /// one that starts with `extends = "default"` adds to it.
    #[arg(long, value_name = "FILE")]
    lexicon: Option<PathBuf>,
}

impl LexiconArgs {
    /// The classifier for these arguments; lexicon warnings go to standard error.
    fn classifier(&self, quiet: bool) -> anyhow::Result<Classifier> {
        let classifier = match &self.lexicon {
            Some(path) => Classifier::builder().lexicon_file(path).build()?,
            None => Classifier::default(),
        };
        if !quiet {
            for warning in classifier.lexicon().warnings() {
                eprintln!("warta: warning: {warning}");
            }
        }
        Ok(classifier)
    }
}

fn main() -> ExitCode {
    signals::handle_interrupt();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version go to standard output and are no failure.
            return if e.use_stderr() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("warta: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    signals::check_stdout_open()?;
    match cli.command {
        Command::Clean(args) => {
            let (names, options) = stream_setup(&args)?;
            pipeline::run("clean", names, options, |record| {
                let doc = warta::clean::clean(&record.text);
                json_line(&Cleaned::new(record, &doc), record.text.len() + 256)
            })
        }
        Command::Classify {
            lexicon,
            offsets,
            stream: args,
        } => {
            let (names, options) = stream_setup(&args)?;
            // Both take a few milliseconds of start-up: on two workers at once.
            let (classifier, ()) = rayon::join(
                || lexicon.classifier(args.common.quiet),
                warta::clean::prepare,
            );
            let classifier = classifier?;
            pipeline::run("classify", names, options, |record| {
                let article = classifier
                    .classify(&record.text)
                    .with_offsets(offsets.into());
                let line = Classified {
                    id: &record.id,
                    article: &article,
                };
                json_line(&line, 1024)
            })
        }
        Command::Eval(args) => {
            init_threads(args.common.threads)?;
            let classifier = args.lexicon.classifier(args.common.quiet)?;
            eval::run(
                &classifier,
                &args.gold,
                args.errors,
                args.json,
                args.common.quiet,
            )
        }
        Command::Stem { words } => text::stem(&words),
        Command::Tokens { text } => text::tokens(text),
    }
}

/// Checks every input can be read (so a typo or a directory fails before
/// any output),
/// sets up the thread pool, and gathers the options.
fn stream_setup(args: &StreamArgs) -> anyhow::Result<(Vec<String>, StreamOptions)> {
    let names = if args.paths.is_empty() {
        vec!["-".to_owned()]
    } else {
        args.paths.clone()
    };
    for name in names.iter().filter(|name| *name != "-") {
        input::check(name)?;
    }
    if args.max_line_bytes == 0 {
        anyhow::bail!("--max-line-bytes must be at least 1");
    }
    init_threads(args.common.threads)?;
    let options = StreamOptions {
        read: ReadOptions {
            max_line_bytes: args.max_line_bytes,
            lossy: args.lossy,
        },
        chunk: args
            .chunk
            .unwrap_or(RECORDS_PER_THREAD * rayon::current_num_threads())
            .max(1),
        max_bytes_in_flight: args.max_bytes_in_flight,
        quiet: args.common.quiet,
    };
    Ok((names, options))
}

/// The default chunk, per worker thread: enough records to keep a thread
/// busy between chunks, few enough that memory stays small (about 7 MB peak
/// on 2 threads for news articles of a few KB).
const RECORDS_PER_THREAD: usize = 128;

fn init_threads(threads: Option<usize>) -> anyhow::Result<()> {
    if let Some(threads) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()?;
    }
    Ok(())
}
