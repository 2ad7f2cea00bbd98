//! The streaming loop of `clean` and `classify`: read, process in parallel
//! chunks, write in order, report.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use warta::Topic;
use warta::jsonl::Record;
use warta::stream::{BatchEnds, StreamLimits, map_ordered, map_pulled, map_pulled_in};

use crate::input::{InputError, Item, Raw, display_name};
use crate::output::ErrorLine;
use crate::signals;

/// Exit status when some input lines were errors.
pub const EXIT_RECORD_ERRORS: u8 = 2;

/// How to run a stream.
pub struct StreamOptions {
    /// Records per parallel chunk.
    pub chunk: usize,
    /// Bytes of text read and not yet written, at most (one longer record
    /// is still read, alone).
    pub max_bytes_in_flight: usize,
    pub quiet: bool,
    /// The threads read their records themselves, the calling thread
    /// among them (see [`warta::stream::map_pulled`]).
    pub pull: bool,
    /// Threads in all, as `--threads` counts them (with a reader thread,
    /// those of rayon's global pool).
    pub threads: usize,
    /// With `pull` and more than one thread: the threads besides the
    /// calling one, started ahead of the run.
    pub workers: Option<rayon::ThreadPool>,
}

/// What a command writes for each input record; called on worker threads.
pub trait Format: Sync {
    /// Written once, before the first record.
    fn header(&self) -> anyhow::Result<Vec<u8>> {
        Ok(Vec::new())
    }

    /// The output of one record.
    fn record(&self, record: &Record) -> anyhow::Result<Processed>;

    /// The output of a record that could not be read; `file` names its
    /// input when there are several.
    fn error(&self, error: &InputError, file: Option<&str>) -> anyhow::Result<Vec<u8>> {
        json_line(&ErrorLine { error, file }, 128)
    }
}

/// One record's output.
pub struct Processed {
    pub bytes: Vec<u8>,
    /// The article's topics as bits (bit `i` for `Topic::ALL[i]`), for
    /// the summary; `None` when the command does not classify.
    pub labels: Option<u8>,
    /// Whether the record was written (`--topic` leaves some out).
    pub written: bool,
}

/// One input line's output, serialized on a worker thread.
enum Output {
    Record {
        json: Vec<u8>,
        text_bytes: usize,
        labels: Option<u8>,
        written: bool,
    },
    Error {
        json: Vec<u8>,
        source: usize,
        line: usize,
    },
    Fatal(anyhow::Error),
}

/// Serializes `value` as one JSON line.
pub fn json_line<T: Serialize>(value: &T, capacity: usize) -> anyhow::Result<Vec<u8>> {
    let mut json = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut json, value)?;
    json.push(b'\n');
    Ok(json)
}

/// Runs `format` over every item of `inputs` (read from the inputs named
/// by `names`) and writes one output per record to standard output, in
/// order.
pub fn run<I, F>(
    command: &str,
    names: Vec<String>,
    inputs: I,
    options: StreamOptions,
    format: &F,
) -> anyhow::Result<ExitCode>
where
    I: Iterator<Item = Raw> + Send + 'static,
    F: Format,
{
    let several = names.len() > 1;
    let names_for_workers = names.clone();
    let limits = StreamLimits {
        max_batch_items: options.chunk,
        max_bytes_in_flight: options.max_bytes_in_flight,
    };
    let map_one = |raw: Raw| match raw.parse(&names_for_workers) {
        Item::Record(record) => match format.record(&record) {
            Ok(processed) => Output::Record {
                json: processed.bytes,
                text_bytes: record.text.len(),
                labels: processed.labels,
                written: processed.written,
            },
            Err(e) => Output::Fatal(e),
        },
        Item::Error { source, error } => {
            let file = several.then(|| display_name(&names_for_workers[source]));
            match format.error(&error, file) {
                Ok(json) => Output::Error {
                    json,
                    source,
                    line: error.line.unwrap_or(1),
                },
                Err(e) => Output::Fatal(e),
            }
        }
        Item::Fatal(e) => Output::Fatal(e),
    };
    let consume = |outputs: &mut dyn BatchEnds<Item = Output>| {
        write_in_order(command, &names, &options, format, outputs)
    };
    if let Some(workers) = &options.workers {
        return map_pulled_in(workers, inputs, limits, Raw::bytes, &map_one, |outputs| {
            consume(outputs)
        });
    }
    if options.pull {
        return map_pulled(
            inputs,
            options.threads,
            limits,
            Raw::bytes,
            &map_one,
            |outputs| consume(outputs),
        );
    }
    consume(&mut map_ordered(inputs, limits, Raw::bytes, &map_one))
}

/// Writes `outputs` to standard output as they come, in order, with the
/// progress line and the summary.
fn write_in_order<F: Format>(
    command: &str,
    names: &[String],
    options: &StreamOptions,
    format: &F,
    outputs: &mut dyn BatchEnds<Item = Output>,
) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let mut stats = Stats::default();
    let mut progress = Progress::new(!options.quiet && io::stderr().is_terminal(), options.chunk);
    if let Err(e) = signals::stdout().write_all(&format.header()?) {
        return write_failed(e);
    }
    while let Some(output) = outputs.next() {
        let json = match output {
            Output::Record {
                json,
                text_bytes,
                labels,
                written,
            } => {
                stats.records += 1;
                stats.text_bytes += text_bytes;
                stats.written += usize::from(written);
                if let Some(labels) = labels {
                    let per_topic = stats.per_topic.get_or_insert_default();
                    for (i, count) in per_topic.iter_mut().enumerate() {
                        *count += usize::from(labels >> i & 1 == 1);
                    }
                }
                json
            }
            Output::Error { json, source, line } => {
                stats.errors += 1;
                stats.first_error.get_or_insert((source, line));
                json
            }
            Output::Fatal(e) => {
                progress.finish();
                return match signals::stdout().flush() {
                    Err(flush) if flush.kind() != io::ErrorKind::BrokenPipe => {
                        Err(e.context(format!("also writing output: {flush}")))
                    }
                    _ => Err(e),
                };
            }
        };
        // One line at a time under the lock, so that an interrupt ends the
        // output between two lines; flushed after each batch, so that a
        // feed that pauses (`tail -f`) gets its lines out promptly.
        let mut out = signals::stdout();
        let written = out.write_all(&json).and_then(|()| {
            if outputs.at_batch_end() {
                out.flush()
            } else {
                Ok(())
            }
        });
        drop(out);
        if let Err(e) = written {
            progress.finish();
            return write_failed(e);
        }
        progress.update(&stats, start.elapsed());
    }
    if let Err(e) = signals::stdout().flush() {
        progress.finish();
        return write_failed(e);
    }
    progress.finish();
    if !options.quiet {
        eprintln!("warta {command}: {}", stats.summary(names, start.elapsed()));
        if let Some(per_topic) = stats.per_topic {
            let counts: Vec<String> = Topic::ALL
                .iter()
                .zip(per_topic)
                .map(|(topic, n)| format!("{topic} {n}"))
                .collect();
            eprintln!("warta {command}: articles per topic: {}", counts.join(", "));
        }
    }
    Ok(if stats.errors > 0 {
        ExitCode::from(EXIT_RECORD_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

/// A closed standard output (`warta classify big.jsonl | head`) ends the
/// run quietly with status 0: the reader has all it wanted.
pub fn write_failed(e: io::Error) -> anyhow::Result<ExitCode> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(e).context("writing output")
    }
}

#[derive(Default)]
struct Stats {
    records: usize,
    /// Records written (all but those `--topic` leaves out).
    written: usize,
    /// Articles carrying each topic, when the command classifies.
    per_topic: Option<[usize; Topic::COUNT]>,
    errors: usize,
    text_bytes: usize,
    /// The input index and line of the first error.
    first_error: Option<(usize, usize)>,
}

impl Stats {
    fn summary(&self, names: &[String], elapsed: Duration) -> String {
        let secs = elapsed.as_secs_f64();
        let mb = self.text_bytes as f64 / 1e6;
        let mut line = format!(
            "{} records, {} errors in {secs:.2} s ({mb:.1} MB of text, {:.1} MB/s, {:.0} records/s)",
            self.records,
            self.errors,
            mb / secs.max(1e-9),
            (self.records + self.errors) as f64 / secs.max(1e-9),
        );
        if self.written < self.records {
            line.push_str(&format!("; {} records written", self.written));
        }
        if let Some((source, n)) = self.first_error {
            let name = names.get(source).map_or("?", |name| display_name(name));
            line.push_str(&format!("; first error at {name} line {n}"));
        }
        line
    }
}

/// A progress line on standard error, redrawn once per chunk of records.
struct Progress {
    bar: Option<ProgressBar>,
    every: usize,
    since: usize,
}

impl Progress {
    fn new(show: bool, every: usize) -> Self {
        let bar = show.then(|| {
            let style =
                ProgressStyle::with_template("{spinner} {human_pos} articles {msg} [{elapsed}]")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner());
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(style)
        });
        Progress {
            bar,
            every: every.max(1),
            since: 0,
        }
    }

    fn update(&mut self, stats: &Stats, elapsed: Duration) {
        self.since += 1;
        if self.since < self.every {
            return;
        }
        self.since = 0;
        if let Some(bar) = &self.bar {
            let secs = elapsed.as_secs_f64().max(1e-9);
            let lines = stats.records + stats.errors;
            let mb = stats.text_bytes as f64 / 1e6;
            bar.set_position(lines as u64);
            bar.set_message(format!(
                "({:.0}/s), {mb:.1} MB, {:.1} MB/s",
                lines as f64 / secs,
                mb / secs
            ));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
