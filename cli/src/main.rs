//! The `warta` command-line tool: clean, classify and score Indonesian news
//! read as JSON Lines or plain text, and stem or tokenize text for debugging.
//!
//! Exit status: 0 when every record was processed (or standard output was
//! closed early); 2 when some input lines were errors (each still got an
//! error line); 1 on a fatal error (an unreadable file, bad arguments).

mod eval;
mod input;
mod json;
mod limits;
mod output;
mod pipeline;
mod pull;
mod report;
mod signals;
mod text;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use warta::{Classifier, Offsets, Topic};

use crate::input::{Form, Inputs, Item, Raw, ReadOptions};
use crate::output::{ClassifyOutput, CleanOutput, OutputFormat, ParagraphsShown, Rows};
use crate::pipeline::{StreamOptions, write_failed};

/// jemalloc: on ten copies of the corpus, one thread 10.8% and two threads
/// 7.3% faster than with glibc's allocator (medians of the per-round ratios
/// in 11 alternating rounds), for 23 MiB of peak memory against 20. Records
/// of 10 MB cost more (page faults while copying into new blocks of
/// megabytes): README's twenty of them peak at 62 against 50 MiB in
/// `classify`, and `clean` takes 0.8 against 0.3 s. mimalloc was faster on
/// one thread but slower on two, with 53–85 MiB.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
    /// Reads JSON Lines with "id" and "text" (or plain text with --text);
    /// writes one line per record, in order: {"id", the input's other
    /// fields, "text" (the content), "dateline", "paragraphs": [{"start",
    /// "end", "boilerplate"}]}, offsets in bytes into the input text. Bad
    /// records become {"id", "line", "error"}.
    Clean(StreamArgs),
    /// Score every paragraph for the eight topics, with evidence.
    ///
    /// Reads JSON Lines with "id" and "text" (or plain text with --text);
    /// writes one line per record, in order: {"id", the input's other
    /// fields, "labels", "scores", "dateline", "sign_off", "offsets",
    /// "paragraphs"}; each piece of evidence has the matched "text".
    /// Bad records become {"id", "line", "error"}. --format csv or tsv
    /// writes a table instead.
    Classify {
        #[command(flatten)]
        lexicon: LexiconArgs,
        #[command(flatten)]
        output: ClassifyArgs,
        #[command(flatten)]
        stream: StreamArgs,
    },
    /// Classify a gold file's texts and score them against its labels.
    Eval(EvalArgs),
    /// Write one self-contained HTML page to look at the articles: an
    /// overview with charts, a filterable list, and each article with its
    /// evidence highlighted. Reads what `classify` reads; works offline.
    Report {
        /// The HTML file to write.
        #[arg(long, short, value_name = "FILE", default_value = "report.html")]
        output: PathBuf,
        #[command(flatten)]
        lexicon: LexiconArgs,
        #[command(flatten)]
        stream: StreamArgs,
    },
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
    /// Print or check lexicons.
    #[command(subcommand)]
    Lexicon(LexiconCommand),
}

#[derive(Subcommand)]
enum LexiconCommand {
    /// Print the embedded default lexicon (TOML), to copy and edit.
    Show,
    /// Check a lexicon file: print every problem, not only the first, as
    /// FILE:LINE:COLUMN: MESSAGE (warnings say `warning:`). Exit status 1
    /// when it has errors.
    Check {
        /// The lexicon TOML file.
        file: PathBuf,
        /// No summary on standard error.
        #[arg(long, short)]
        quiet: bool,
    },
}

/// The `--offsets` choices.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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
    /// Inputs; none or `-` reads standard input; `.gz` (gzip) inputs are
    /// decompressed. JSON Lines: line numbers restart per file, a record
    /// without "id" gets `FILE:LINE`, and with several files error lines
    /// name the file.
    paths: Vec<String>,
    /// The inputs are plain text, one article per file, its id the path; a
    /// directory stands for every *.txt (and *.txt.gz) file under it,
    /// recursively, in sorted order.
    #[arg(long)]
    text: bool,
    /// How offsets into the text are counted: UTF-8 bytes, or chars (code
    /// points, as Python indexes a str). Every output line names its unit
    /// in "offsets".
    #[arg(long, value_enum, default_value_t = OffsetUnit::Bytes)]
    offsets: OffsetUnit,
    #[command(flatten)]
    common: CommonArgs,
    /// Replace invalid UTF-8 and lone surrogate escapes with U+FFFD instead
    /// of rejecting the line.
    #[arg(long)]
    lossy: bool,
    /// Longest input line (with --text: longest file), in bytes (K, M, G
    /// suffixes); longer ones become error lines.
    #[arg(long, value_name = "BYTES", default_value = "64M", value_parser = limits::parse_bytes)]
    max_line_bytes: usize,
    /// Most records per parallel chunk, 1 to 1000000 (default: 512 per
    /// thread). Workers that read files themselves take at most 32 at a
    /// time, or this many if fewer.
    #[arg(long, value_name = "N", value_parser = limits::count(1, limits::MAX_CHUNK))]
    chunk: Option<usize>,
    /// Most bytes of input read but not yet written (K, M, G suffixes);
    /// bounds memory whatever the records' sizes. One longer record is
    /// still read, alone. The default keeps a few batches per thread ahead
    /// of the workers, and the text still in the processor's caches.
    #[arg(long, value_name = "BYTES", default_value = "4M", value_parser = limits::parse_bytes)]
    max_bytes_in_flight: usize,
}

#[derive(Args)]
struct ClassifyArgs {
    /// Output format: JSON Lines, or a table with a header row.
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    format: OutputFormat,
    /// What a table row is (csv and tsv only; default: articles). Articles:
    /// id, the first record's other fields, labels, one score column per
    /// topic, content_paragraphs, error. Paragraphs: id, paragraph (index),
    /// start_byte, end_byte (start_char, end_char with --offsets chars),
    /// labels, scores, evidence (the matched words), error.
    #[arg(long, value_enum)]
    rows: Option<Rows>,
    /// Which paragraphs to write: all, those carrying a topic, or none.
    #[arg(long, value_enum, default_value_t = ParagraphsShown::All)]
    paragraphs: ParagraphsShown,
    /// Write only articles that carry this topic (repeatable: any of them).
    #[arg(long, value_name = "TOPIC", value_parser = parse_topic)]
    topic: Vec<Topic>,
}

fn parse_topic(id: &str) -> Result<Topic, String> {
    id.parse()
        .map_err(|e: warta::topic::UnknownTopic| e.to_string())
}

#[derive(Args)]
struct CommonArgs {
    /// Worker threads, up to 1024; 0 or none: all cores.
    #[arg(long, value_name = "N", value_parser = limits::count(0, limits::MAX_THREADS))]
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
        Err(e) if !e.use_stderr() => {
            // Help and version go to standard output and are no failure.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // clap's own errors in the wording of every other error.
            let rendered = e.render().to_string();
            let message = rendered.strip_prefix("error: ").unwrap_or(&rendered);
            eprint!("warta: error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("warta: error: {}", message(&e));
            ExitCode::FAILURE
        }
    };
    // An interrupt taken during the last write ends the run with its status.
    signals::wait_if_interrupted();
    code
}

/// An error and its causes, each said once: a cause whose words the
/// message before it already holds is left out.
fn message(e: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !message.contains(&text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
        }
    }
    message
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    signals::check_stdout_open()?;
    match cli.command {
        Command::Clean(args) => {
            let (names, read, mut options) = stream_setup(&args)?;
            start_up(&mut options, || Ok(()))?;
            let inputs = Inputs::new(names.clone(), read);
            let format = CleanOutput {
                offsets: args.offsets.into(),
            };
            pipeline::run("clean", names, inputs, options, &format)
        }
        Command::Classify {
            lexicon,
            output,
            stream: args,
        } => {
            let table = output.format != OutputFormat::Jsonl;
            let rows = match (output.rows, table) {
                (Some(_), false) => anyhow::bail!("--rows applies to --format csv and tsv"),
                (rows, _) => rows.unwrap_or(Rows::Articles),
            };
            if rows == Rows::Paragraphs && output.paragraphs == ParagraphsShown::None {
                anyhow::bail!("--rows paragraphs writes paragraphs; --paragraphs none leaves none");
            }
            let (names, read, mut options) = stream_setup(&args)?;
            let classifier = start_up(&mut options, || lexicon.classifier(args.common.quiet))?;
            let mut inputs = Inputs::new(names.clone(), read);
            // A table's columns are those of the first record: read ahead to it.
            let mut lead = Vec::new();
            let mut columns = Vec::new();
            if table && rows == Rows::Articles {
                while lead.len() < MAX_READ_AHEAD {
                    let Some(item) = inputs.next() else { break };
                    let item = item.parse(&names);
                    let done = !matches!(item, Item::Error { .. });
                    if let Item::Record(record) = &item {
                        columns = ClassifyOutput::columns_of(&record.fields);
                    }
                    lead.push(Raw::Item(item));
                    if done {
                        break;
                    }
                }
            }
            let format = ClassifyOutput {
                classifier,
                format: output.format,
                rows,
                paragraphs: output.paragraphs,
                topics: output.topic,
                columns,
                offsets: args.offsets.into(),
            };
            let inputs = lead.into_iter().chain(inputs);
            pipeline::run("classify", names, inputs, options, &format)
        }
        Command::Report {
            output,
            lexicon,
            stream: args,
        } => {
            if args.offsets != OffsetUnit::Bytes {
                anyhow::bail!("--offsets does not apply to report: the page counts offsets itself");
            }
            let (names, read, options) = stream_setup(&args)?;
            let classifier = lexicon.classifier(args.common.quiet)?;
            let name = lexicon
                .lexicon
                .as_ref()
                .map_or_else(|| "default".to_owned(), |path| path.display().to_string());
            let inputs = Inputs::new(names.clone(), read);
            report::run(&classifier, &names, inputs, &options, &output, &name)
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
        Command::Lexicon(LexiconCommand::Check { file, quiet }) => check_lexicon(&file, quiet),
        Command::Lexicon(LexiconCommand::Show) => {
            let mut out = io::stdout().lock();
            let source = warta::lexicon::DEFAULT_SOURCE.as_bytes();
            match out.write_all(source).and_then(|()| out.flush()) {
                Ok(()) => Ok(ExitCode::SUCCESS),
                Err(e) => write_failed(e),
            }
        }
    }
}

/// `warta lexicon check`: every problem of a lexicon file.
fn check_lexicon(path: &std::path::Path, quiet: bool) -> anyhow::Result<ExitCode> {
    let name = path.display().to_string();
    let source =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
    let problems = warta::lexicon::Lexicon::check_toml(&source, &name);
    let mut report = String::new();
    for error in &problems.errors {
        report.push_str(&format!("{error}\n"));
    }
    for warning in &problems.warnings {
        let d = warning;
        report.push_str(&format!(
            "{}:{}:{}: warning: {}\n",
            d.origin, d.line, d.column, d.message
        ));
    }
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_all(report.as_bytes()).and_then(|()| out.flush()) {
        return write_failed(e);
    }
    if !quiet {
        eprintln!(
            "warta lexicon check: {name}: {} errors, {} warnings",
            problems.errors.len(),
            problems.warnings.len()
        );
    }
    Ok(if problems.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// How many leading error records a table's header waits for before it
/// gives up on finding the first record's fields.
const MAX_READ_AHEAD: usize = 1000;

/// Lists the inputs and checks they can be opened (so a typo fails before
/// any output), sets up the thread pool, and gathers the options.
fn stream_setup(args: &StreamArgs) -> anyhow::Result<(Vec<String>, ReadOptions, StreamOptions)> {
    let form = if args.text { Form::Text } else { Form::Jsonl };
    let names = input::sources(&args.paths, form)?;
    if names.is_empty() && !args.common.quiet {
        eprintln!(
            "warta: warning: no *.txt files in {}",
            args.paths.join(", ")
        );
    }
    if args.max_line_bytes == 0 {
        anyhow::bail!("--max-line-bytes must be at least 1");
    }
    // Files are read by the threads that process them, each its own
    // records, the main thread among them: `--threads N` keeps N cores
    // busy and no more (one thread does everything on the main thread),
    // and rayon's pool, which they do not use, is never started.
    let pull = pull::all_regular_files(&names);
    let threads = if pull {
        thread_count(args.common.threads)
    } else {
        init_threads(args.common.threads)?;
        rayon::current_num_threads()
    };
    // Otherwise (a pipe, standard input) a reader thread reads; it parses
    // when the workers leave it a core: on two cores, one worker took 9%
    // less time so (medians of 15 alternating runs on the 10x corpus,
    // 2026-12-03). When the workers take every core, they parse, and the
    // reader only reads.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let read = ReadOptions {
        max_line_bytes: args.max_line_bytes,
        lossy: args.lossy,
        form,
        keep_fields: true,
        parse_on_read: !pull && threads < cores,
    };
    let options = StreamOptions {
        chunk: args.chunk.unwrap_or(RECORDS_PER_THREAD * threads).max(1),
        max_bytes_in_flight: args.max_bytes_in_flight,
        quiet: args.common.quiet,
        pull,
        threads,
        workers: None,
    };
    Ok((names, read, options))
}

/// Compiles the cleaning stage's patterns, and meanwhile runs `load` (which
/// loads the lexicon) on this thread. On files with more than one thread,
/// the run's worker threads start here (`options.workers`), and the
/// boilerplate markers compile on the first of them, which then goes on to
/// read and map records with no thread started in between: on two cores
/// the markers (9–15 ms in six runs) beside the lexicon (4–10 ms) and then
/// the dateline patterns (4–10 ms). With a reader thread, the markers
/// compile on a thread of their own. One thread is one thread from the
/// start: everything compiles on it, at first use.
fn start_up<T>(
    options: &mut StreamOptions,
    load: impl FnOnce() -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let failed = || anyhow::anyhow!("cannot compile the embedded boilerplate markers");
    if options.pull && options.threads > 1 {
        // A pool that cannot be started leaves `map_pulled` to start its
        // threads, and the markers to compile below.
        options.workers = rayon::ThreadPoolBuilder::new()
            .num_threads(options.threads - 1)
            .thread_name(|k| format!("warta-worker-{}", k + 1))
            .build()
            .ok();
    }
    if let Some(workers) = &options.workers {
        let (compiled, markers) = std::sync::mpsc::channel();
        workers.spawn(move || {
            let _ = compiled.send(std::panic::catch_unwind(warta::clean::prepare_markers).is_ok());
        });
        let loaded = load()?;
        warta::clean::prepare_patterns();
        return match markers.recv() {
            Ok(true) => Ok(loaded),
            _ => Err(failed()),
        };
    }
    if options.threads > 1 {
        return std::thread::scope(|scope| {
            let cleaner = scope.spawn(warta::clean::prepare_markers);
            let loaded = load();
            warta::clean::prepare_patterns();
            cleaner.join().map_err(|_| failed())?;
            loaded
        });
    }
    load()
}

/// The default chunk, per worker thread. Each chunk ends with threads
/// waiting for its slowest article, so chunks are long: 512 news articles
/// per thread took 10% less wall time than 128 on two cores. Memory is
/// bounded by --max-bytes-in-flight, not by the chunk.
const RECORDS_PER_THREAD: usize = 512;

/// The threads `--threads` asks for, counted as rayon counts its pool's:
/// `0` or none is `RAYON_NUM_THREADS` when that is a number above 0, else
/// one per core.
fn thread_count(threads: Option<usize>) -> usize {
    match threads {
        Some(n) if n > 0 => n,
        _ => std::env::var("RAYON_NUM_THREADS")
            .ok()
            .and_then(|n| n.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

fn init_threads(threads: Option<usize>) -> anyhow::Result<()> {
    if let Some(threads) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_asked_for_are_the_threads_counted() {
        assert_eq!(thread_count(Some(3)), 3);
        assert_eq!(thread_count(Some(1)), 1);
        // 0 and none both mean rayon's default, at least one thread.
        assert_eq!(thread_count(Some(0)), thread_count(None));
        assert!(thread_count(None) >= 1);
    }
}
