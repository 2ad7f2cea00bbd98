//! Classifying batches and endless streams of articles, in parallel (with
//! the `parallel` feature) and in memory bounded by a byte budget.
//!
//! Two streaming maps, both with results in input order:
//!
//! - [`map_ordered`], for any input: with the `parallel` feature a reader
//!   thread reads the input ahead within a budget of *bytes* (not
//!   records), and each batch mapped in parallel with rayon is whatever
//!   has been read when the previous batch is done, so an input that
//!   pauses (a pipe fed by `tail -f`) gets each item mapped and yielded as
//!   soon as it is read. [`Classifier::classify_stream`] classifies with
//!   it.
//! - `map_pulled` (with the `parallel` feature), for an input that never
//!   waits on a writer (a regular file, items in memory): the calling
//!   thread and worker threads take turns reading the input themselves,
//!   so that each item is read and mapped on one core, and `threads`
//!   threads keep that many cores busy and no more; `warta classify`
//!   reads files so. `map_pulled_in` does the same on the threads of a
//!   rayon pool, which can start work (compiling patterns, say) before
//!   the input is ready.
//!
//! Both results implement [`BatchEnds`], for a writer that flushes when a
//! batch ends.
//!
//! The bound: items read but not yet yielded weigh at most
//! [`StreamLimits::max_bytes_in_flight`] together, plus the one item the
//! reader has just read and waits to hand over. An item that alone weighs
//! more than the budget is still read; it is then the only one in flight
//! (besides the one the reader holds). Without the `parallel` feature the
//! same calls map one item after another on the calling thread, so only one
//! item is in flight.

#[cfg(feature = "parallel")]
use std::collections::VecDeque;
#[cfg(feature = "parallel")]
use std::sync::mpsc::{self, Receiver, TryRecvError};
#[cfg(feature = "parallel")]
use std::sync::{Arc, Mutex, PoisonError};

#[cfg(feature = "parallel")]
use rayon::prelude::*;

use crate::classify::{Article, Classifier};

#[cfg(feature = "parallel")]
mod budget;
#[cfg(feature = "parallel")]
mod pulled;

#[cfg(feature = "parallel")]
use budget::Budget;
#[cfg(feature = "parallel")]
pub use pulled::{Pulled, map_pulled, map_pulled_in};

/// Results in input order that say when a batch of them ends: what
/// [`map_ordered`] and `map_pulled` give, for a writer that flushes at the
/// end of each batch (so that an input that pauses gets its results out)
/// and not after every result.
///
/// ```
/// use std::io::Write;
/// use warta::stream::{BatchEnds, StreamLimits, map_ordered};
///
/// fn write_all(results: &mut dyn BatchEnds<Item = String>, out: &mut impl Write) {
///     while let Some(line) = results.next() {
///         out.write_all(line.as_bytes()).unwrap();
///         if results.at_batch_end() {
///             out.flush().unwrap();
///         }
///     }
/// }
///
/// let mut out = Vec::new();
/// write_all(&mut map_ordered(0..3u32, StreamLimits::default(), |_| 1, |i| format!("{i}\n")), &mut out);
/// assert_eq!(out, b"0\n1\n2\n");
/// ```
pub trait BatchEnds: Iterator {
    /// Whether no further result is ready yet: the next one may have to
    /// wait (for the input, or for a thread to map it).
    fn at_batch_end(&mut self) -> bool;
}

impl<I, R, F> BatchEnds for OrderedMap<I, R, F>
where
    I: Iterator,
    I::Item: Send,
    R: Send,
    F: Fn(I::Item) -> R + Sync + Send,
{
    fn at_batch_end(&mut self) -> bool {
        OrderedMap::at_batch_end(self)
    }
}

/// How [`map_ordered`] and [`Classifier::classify_stream`] bound their
/// read-ahead and their batches.
///
/// ```
/// use warta::stream::StreamLimits;
///
/// // At most 16 MiB of text read but not yet yielded.
/// let limits = StreamLimits { max_bytes_in_flight: 16 << 20, ..StreamLimits::default() };
/// assert_eq!(limits.max_batch_items, StreamLimits::default().max_batch_items);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    /// The most bytes (as the weight function counts them: for an article,
    /// its text) of items read but not yet yielded, read-ahead included;
    /// the reader holds one more item while it waits for room. An item
    /// heavier than the whole budget is still read, and is then the only
    /// one in flight. Default: 4 MiB, as `warta classify`: a few batches
    /// of news articles per thread ahead of the workers, the text still in
    /// the processor's caches when it is classified.
    pub max_bytes_in_flight: usize,
    /// The most items mapped in one parallel batch (0 counts as 1). A batch
    /// is what has been read when the previous one is done, so this only
    /// caps how long the first result of a batch waits for the others.
    /// For `map_pulled`, the most items a worker reads in one turn (at
    /// most 32). Default: 1024.
    pub max_batch_items: usize,
}

impl Default for StreamLimits {
    fn default() -> Self {
        StreamLimits {
            max_bytes_in_flight: 4 << 20,
            max_batch_items: 1024,
        }
    }
}

/// Maps `input` through `f` and yields the results in input order; with
/// the `parallel` feature in parallel on rayon's thread pool (on the
/// calling thread when the pool has one thread), reading `input` on a
/// thread of its own within a budget of bytes.
///
/// `weight` tells how many bytes an item holds (an article: its text's
/// length). Items read but not yet yielded never weigh more than
/// `limits.max_bytes_in_flight` together, unless a single item does (it is
/// then the only one), plus the one item the reader holds while it waits
/// for room. Each batch mapped in parallel is what has been read when the
/// previous batch is done (at least one item, at most
/// `limits.max_batch_items`), so an input that pauses has its items mapped
/// and yielded as soon as they are read; [`OrderedMap::at_batch_end`] tells
/// a writer when to flush.
///
/// When the returned iterator is dropped early, the reader thread stops
/// after the item it is reading. A panic in `input` or `weight` is resumed
/// on the thread that iterates. Should the reader thread fail to start, the
/// input is mapped on the calling thread, one item at a time.
///
/// Without the `parallel` feature, each item is read, mapped and yielded in
/// turn on the calling thread.
///
/// ```
/// use warta::stream::{StreamLimits, map_ordered};
///
/// let lines = vec!["satu".to_owned(), "dua".to_owned(), "tiga".to_owned()];
/// let limits = StreamLimits { max_bytes_in_flight: 8, ..StreamLimits::default() };
/// let lengths: Vec<usize> = map_ordered(lines.into_iter(), limits, String::len, |s| s.len()).collect();
/// assert_eq!(lengths, [4, 3, 4]);
/// ```
pub fn map_ordered<I, W, R, F>(
    input: I,
    limits: StreamLimits,
    weight: W,
    f: F,
) -> OrderedMap<I, R, F>
where
    I: Iterator + Send + 'static,
    I::Item: Send + 'static,
    W: Fn(&I::Item) -> usize + Send + 'static,
    R: Send,
    F: Fn(I::Item) -> R + Sync + Send,
{
    #[cfg(feature = "parallel")]
    {
        match spawn_reader(input, limits, weight) {
            Ok(reader) => OrderedMap {
                inner: Inner::Threaded(Box::new(Threaded {
                    reader,
                    max_batch: limits.max_batch_items.max(1),
                    out: VecDeque::new(),
                    ended: false,
                })),
                f,
            },
            Err(input) => OrderedMap {
                inner: Inner::Inline(input),
                f,
            },
        }
    }
    #[cfg(not(feature = "parallel"))]
    {
        let _ = (limits, weight);
        OrderedMap {
            inner: Inner::Inline(input),
            f,
        }
    }
}

/// The iterator [`map_ordered`] returns: the results in input order.
pub struct OrderedMap<I: Iterator, R, F> {
    inner: Inner<I, R>,
    f: F,
}

enum Inner<I: Iterator, R> {
    /// Read, mapped and yielded one item at a time on the calling thread.
    Inline(I),
    /// Read on a reader thread, mapped in parallel batches.
    #[cfg(feature = "parallel")]
    Threaded(Box<Threaded<I::Item, R>>),
    #[cfg(not(feature = "parallel"))]
    #[allow(dead_code)]
    Never(std::marker::PhantomData<R>),
}

impl<I: Iterator, R, F> OrderedMap<I, R, F> {
    /// Whether the last item yielded was the last of its batch, so that the
    /// next one may wait for input: a writer that flushes then keeps its
    /// output as prompt as its input.
    ///
    /// ```
    /// use std::io::Write;
    /// use warta::stream::{StreamLimits, map_ordered};
    ///
    /// let mut out = std::io::BufWriter::new(Vec::new());
    /// let mut lines = map_ordered(0..10u32, StreamLimits::default(), |_| 4, |i| format!("{i}\n"));
    /// while let Some(line) = lines.next() {
    ///     out.write_all(line.as_bytes()).unwrap();
    ///     if lines.at_batch_end() {
    ///         out.flush().unwrap();
    ///     }
    /// }
    /// assert_eq!(out.into_inner().unwrap().len(), 20);
    /// ```
    pub fn at_batch_end(&self) -> bool {
        match &self.inner {
            Inner::Inline(_) => true,
            #[cfg(feature = "parallel")]
            Inner::Threaded(threaded) => threaded.out.is_empty(),
            #[cfg(not(feature = "parallel"))]
            Inner::Never(_) => true,
        }
    }
}

impl<I, R, F> Iterator for OrderedMap<I, R, F>
where
    I: Iterator,
    I::Item: Send,
    R: Send,
    F: Fn(I::Item) -> R + Sync + Send,
{
    type Item = R;

    fn next(&mut self) -> Option<R> {
        match &mut self.inner {
            Inner::Inline(input) => input.next().map(&self.f),
            #[cfg(feature = "parallel")]
            Inner::Threaded(threaded) => threaded.next(&self.f),
            #[cfg(not(feature = "parallel"))]
            Inner::Never(_) => None,
        }
    }
}

/// The consumer's side of a reader thread.
#[cfg(feature = "parallel")]
struct Threaded<T, R> {
    reader: Reader<T>,
    max_batch: usize,
    /// The mapped batch not yet yielded, with each item's weight.
    out: VecDeque<(R, usize)>,
    ended: bool,
}

#[cfg(feature = "parallel")]
impl<T: Send, R: Send> Threaded<T, R> {
    fn next<F: Fn(T) -> R + Sync + Send>(&mut self, f: &F) -> Option<R> {
        if self.out.is_empty() && !self.ended {
            // Wait for one item, then take what else is ready, up to the batch size.
            let mut batch = Vec::new();
            match self.reader.receiver.recv() {
                Ok(first) => batch.push(first),
                Err(_) => self.end(),
            }
            while !batch.is_empty() && batch.len() < self.max_batch {
                match self.reader.receiver.try_recv() {
                    Ok(item) => batch.push(item),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        self.end();
                        break;
                    }
                }
            }
            self.out = map_batch(batch, f, rayon::current_num_threads());
        }
        let (result, bytes) = self.out.pop_front()?;
        self.reader.budget.release(bytes);
        Some(result)
    }

    /// The reader is done: a panic in it is resumed here, so that a failed
    /// input never looks like one that ended.
    fn end(&mut self) {
        self.ended = true;
        if let Some(Err(panic)) = self.reader.thread.take().map(|thread| thread.join()) {
            std::panic::resume_unwind(panic);
        }
    }
}

/// Maps a batch on a pool of `threads` threads, keeping its order.
///
/// With one thread, the batch is mapped on the calling thread itself: the
/// pool's one worker would do the same work while this thread waits for it,
/// and a run then hands every batch over and back. The calling thread also
/// writes what it maps while it is still in its cache. On ten copies of the
/// corpus, `warta classify --threads 1` took 0.49 s against 0.55 s so
/// (medians of 15 alternating runs).
#[cfg(feature = "parallel")]
fn map_batch<T, R, F>(batch: Vec<(T, usize)>, f: &F, threads: usize) -> VecDeque<(R, usize)>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync + Send,
{
    if threads <= 1 {
        return batch
            .into_iter()
            .map(|(item, bytes)| (f(item), bytes))
            .collect();
    }
    batch
        .into_par_iter()
        // Split down to single items: otherwise the last runs of a batch
        // are left to one worker while the others sleep.
        .with_max_len(1)
        .map(|(item, bytes)| (f(item), bytes))
        .collect::<Vec<_>>()
        .into()
}

/// A reader thread and what the consumer shares with it.
#[cfg(feature = "parallel")]
struct Reader<T> {
    receiver: Receiver<(T, usize)>,
    budget: Arc<Budget>,
    thread: Option<std::thread::JoinHandle<()>>,
}

#[cfg(feature = "parallel")]
impl<T> Drop for Reader<T> {
    fn drop(&mut self) {
        // The reader stops after the item it is reading; it is not joined,
        // as that item may never come (an idle pipe).
        self.budget.close();
    }
}

/// Starts the thread that reads `input` within the budget; gives `input`
/// back when the thread cannot start.
#[cfg(feature = "parallel")]
fn spawn_reader<I, W>(input: I, limits: StreamLimits, weight: W) -> Result<Reader<I::Item>, I>
where
    I: Iterator + Send + 'static,
    I::Item: Send + 'static,
    W: Fn(&I::Item) -> usize + Send + 'static,
{
    let budget = Arc::new(Budget::new(limits.max_bytes_in_flight));
    let (sender, receiver) = mpsc::channel();
    let reader_budget = Arc::clone(&budget);
    // Taken back out when the thread does not start; locked once per run.
    let slot = Arc::new(Mutex::new(Some(input)));
    let reader_slot = Arc::clone(&slot);
    // A plain thread, not a rayon task: it may block on a read for as long
    // as the input is idle, and must not hold up a rayon worker meanwhile.
    let spawned = std::thread::Builder::new()
        .name("warta-reader".to_owned())
        .spawn(move || {
            let input = reader_slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            for item in input.into_iter().flatten() {
                let bytes = weight(&item);
                if !reader_budget.acquire(bytes) || sender.send((item, bytes)).is_err() {
                    break;
                }
            }
        });
    match spawned {
        Ok(thread) => Ok(Reader {
            receiver,
            budget,
            thread: Some(thread),
        }),
        Err(_) => match slot.lock().unwrap_or_else(PoisonError::into_inner).take() {
            Some(input) => Err(input),
            // Unreachable: a thread that did not start took nothing.
            None => Ok(Reader {
                receiver,
                budget,
                thread: None,
            }),
        },
    }
}

impl Classifier {
    /// Classifies a stream of texts, in parallel with the `parallel`
    /// feature, and maps each input with its article through `f` on the
    /// worker thread, yielding the results in input order.
    ///
    /// Memory stays within `limits`: the texts read but not yet yielded
    /// weigh at most `limits.max_bytes_in_flight` bytes together, plus the
    /// one text the reader thread holds while it waits for room; a text
    /// longer than the whole budget is still classified, alone. Each text
    /// is classified and yielded as soon as it is read, even when the input
    /// then pauses. See [`map_ordered`], which this is, with the text's
    /// length as weight.
    ///
    /// `f` sees the article while it still borrows the input's text, so it
    /// can serialize or summarize it in parallel.
    ///
    /// ```
    /// use warta::stream::StreamLimits;
    ///
    /// let classifier = warta::Classifier::default();
    /// let texts = vec!["Satu.\n\nDua.".to_owned(), "Tiga.".to_owned()];
    /// let limits = StreamLimits { max_bytes_in_flight: 1 << 20, ..StreamLimits::default() };
    /// let counts: Vec<usize> = classifier
    ///     .classify_stream(texts.into_iter(), limits, |_, article| article.paragraphs.len())
    ///     .collect();
    /// assert_eq!(counts, [2, 1]);
    /// ```
    pub fn classify_stream<'c, I, T, R, F>(
        &'c self,
        input: I,
        limits: StreamLimits,
        f: F,
    ) -> OrderedMap<I, R, impl Fn(T) -> R + Sync + Send + 'c>
    where
        I: Iterator<Item = T> + Send + 'static,
        T: AsRef<str> + Send + 'static,
        R: Send + 'c,
        F: Fn(&T, Article<'_>) -> R + Sync + Send + 'c,
    {
        map_ordered(
            input,
            limits,
            |item: &T| item.as_ref().len(),
            move |item: T| {
                let article = self.classify(item.as_ref());
                f(&item, article)
            },
        )
    }

    /// Classifies `texts` in parallel (with the `parallel` feature); the
    /// articles keep their order and borrow the texts.
    ///
    /// The texts are already in memory and every article is kept, so no
    /// budget applies: for input read as it comes, use
    /// [`classify_stream`](Classifier::classify_stream).
    ///
    /// ```
    /// use warta::{Classifier, Topic};
    ///
    /// let texts = ["Jelang pilkada, ASN diminta menjaga netralitas.", "Harga cabai naik."];
    /// let articles = Classifier::default().classify_batch(&texts);
    /// assert_eq!(articles[0].labels, [Topic::NeutralityWarning]);
    /// assert!(articles[1].labels.is_empty());
    /// ```
    pub fn classify_batch<'a, T: AsRef<str> + Sync>(&self, texts: &'a [T]) -> Vec<Article<'a>> {
        #[cfg(feature = "parallel")]
        let texts = texts.par_iter();
        #[cfg(not(feature = "parallel"))]
        let texts = texts.iter();
        texts.map(|text| self.classify(text.as_ref())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Limits of `max_bytes_in_flight` bytes and `max_batch_items` items
    /// (also for the tests of `map_pulled`).
    pub(super) fn limits(max_bytes_in_flight: usize, max_batch_items: usize) -> StreamLimits {
        StreamLimits {
            max_bytes_in_flight,
            max_batch_items,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn order_and_count_are_kept_for_any_limits(
            weights in proptest::collection::vec(0usize..5000, 0..300),
            budget in prop_oneof![Just(0usize), 0usize..10_000, Just(usize::MAX)],
            batch in prop_oneof![Just(0usize), 1usize..50, Just(usize::MAX)],
        ) {
            let items: Vec<(usize, usize)> = weights.into_iter().enumerate().collect();
            let expected: Vec<usize> = items.iter().map(|&(i, _)| i * 2).collect();
            let got: Vec<usize> =
                map_ordered(items.into_iter(), limits(budget, batch), |&(_, w)| w, |(i, _)| i * 2)
                    .collect();
            prop_assert_eq!(got, expected);
        }
    }

    #[cfg(feature = "parallel")]
    #[test]
    fn one_thread_maps_a_batch_on_the_calling_thread_in_order() {
        let batch: Vec<(u32, usize)> = (0..100).map(|i| (i, 1)).collect();
        let here = std::thread::current().id();
        let mapped = map_batch(batch.clone(), &|i| (i * 3, std::thread::current().id()), 1);
        assert!(mapped.iter().all(|((_, thread), _)| *thread == here));
        let order = |mapped: VecDeque<((u32, std::thread::ThreadId), usize)>| -> Vec<u32> {
            mapped.into_iter().map(|((i, _), _)| i).collect()
        };
        let expected: Vec<u32> = (0..100).map(|i| i * 3).collect();
        assert_eq!(order(mapped), expected);
        // More threads: on the pool, in the same order.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let mapped =
            pool.install(|| map_batch(batch, &|i| (i * 3, std::thread::current().id()), 2));
        assert!(mapped.iter().all(|((_, thread), _)| *thread != here));
        assert_eq!(order(mapped), expected);
    }

    #[cfg(feature = "parallel")]
    #[test]
    fn bytes_in_flight_are_bounded_not_records() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // Items of 1 to 1000 bytes under a budget of 3000 bytes and a batch
        // size that would take them all: what was read and not yet yielded
        // never weighs more than the budget plus the item the reader holds,
        // however many items that is.
        let weights: Vec<usize> = (0..2000).map(|i| 1 + (i * 7919) % 1000).collect();
        let read = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&read);
        let input = weights.clone().into_iter().inspect(move |&w| {
            counter.fetch_add(w, Ordering::SeqCst);
        });
        let stream = map_ordered(input, limits(3000, usize::MAX), |&w| w, |w| w);
        let Inner::Threaded(threaded) = &stream.inner else {
            panic!("no reader thread")
        };
        let budget = Arc::clone(&threaded.reader.budget);
        let waits = || budget.state.lock().unwrap().waits;
        // Before anything is yielded, the reader reads until the budget is
        // full and then waits: the read-ahead at its fullest.
        {
            let state = budget
                .freed
                .wait_while(budget.state.lock().unwrap(), |s| s.waits == 0);
            drop(state.unwrap());
        }
        let ahead = read.load(Ordering::SeqCst);
        assert!(ahead <= 3000 + 1000, "{ahead} bytes read ahead");
        // The reader waits with an item that does not fit: it holds more
        // than the budget, which is not more than an item over it.
        assert!(ahead > 3000, "only {ahead} bytes read ahead");
        let mut yielded = 0;
        let mut worst = ahead;
        for w in stream {
            yielded += w;
            // Give the reader a chance to fill the budget again.
            let before = waits();
            for _ in 0..100 {
                if waits() != before {
                    break;
                }
                std::thread::yield_now();
            }
            let in_flight = read.load(Ordering::SeqCst) - yielded;
            worst = worst.max(in_flight);
        }
        assert_eq!(yielded, weights.iter().sum::<usize>());
        assert!(worst <= 3000 + 1000, "{worst} bytes in flight");
    }

    #[test]
    fn an_idle_input_has_what_it_sent_yielded() {
        use std::sync::mpsc::channel;
        use std::time::Duration;
        // An input that sends three items and then stays open, as a pipe
        // fed by `tail -f` does: all three come out while it is still open.
        let (feed, input) = channel::<String>();
        let (results, got) = channel();
        let consumer = std::thread::spawn(move || {
            let stream = map_ordered(input.into_iter(), limits(1 << 20, 128), String::len, |s| {
                s.len()
            });
            for n in stream {
                if results.send(n).is_err() {
                    break;
                }
            }
        });
        for text in ["satu", "dua", "tiga"] {
            feed.send(text.to_owned()).unwrap();
        }
        // The timeout only turns a hang into a failure.
        let wait = Duration::from_secs(60);
        let first_three: Vec<usize> = (0..3).map(|_| got.recv_timeout(wait).unwrap()).collect();
        assert_eq!(first_three, [4, 3, 4]);
        drop(feed);
        assert!(got.recv_timeout(wait).is_err());
        consumer.join().unwrap();
    }

    #[test]
    fn a_heavy_item_goes_through_alone() {
        // Under a budget of 10 bytes, the 1000-byte item waits until the
        // items before it are yielded and holds back those after it: its
        // batch is itself alone.
        let weights = [3, 3, 1000, 3, 3, 3];
        let mut stream = map_ordered(
            weights.into_iter().enumerate(),
            limits(10, usize::MAX),
            |&(_, w)| w,
            |(i, _)| i,
        );
        let mut ends = Vec::new();
        while let Some(i) = stream.next() {
            ends.push((i, stream.at_batch_end()));
        }
        assert_eq!(ends.len(), weights.len());
        assert!(ends.iter().map(|&(i, _)| i).eq(0..weights.len()));
        assert!(ends[1].1, "the item before the heavy one ends a batch");
        assert!(ends[2].1, "the heavy item ends its batch");
    }

    #[cfg(feature = "parallel")]
    #[test]
    fn budget_lets_one_heavy_item_through_alone() {
        let budget = Budget::new(10);
        assert!(budget.acquire(1000));
        budget.release(1000);
        assert!(budget.acquire(4));
        assert!(budget.acquire(6));
        assert_eq!(budget.state.lock().unwrap().in_flight, 10);
        budget.close();
        assert!(!budget.acquire(1));
    }

    #[cfg(feature = "parallel")]
    #[test]
    fn a_panic_in_the_input_is_not_an_end_of_input() {
        let input = (0..10).inspect(|&i| assert!(i < 5, "input broke"));
        let result = std::panic::catch_unwind(|| {
            map_ordered(input, StreamLimits::default(), |_| 1, |i| i).count()
        });
        assert!(result.is_err(), "five items and then a silent end");
    }

    #[test]
    fn batch_and_stream_agree_with_classify() {
        let classifier = Classifier::default();
        let texts = ["Satu.\n\nDua.", "", "Tiga\r\nEmpat\rLima"];
        let one_by_one: Vec<String> = texts
            .iter()
            .map(|t| serde_json::to_string(&classifier.classify(t)).unwrap())
            .collect();
        let batch: Vec<String> = classifier
            .classify_batch(&texts)
            .iter()
            .map(|a| serde_json::to_string(a).unwrap())
            .collect();
        let stream: Vec<String> = classifier
            .classify_stream(texts.into_iter(), limits(8, 2), |_, a| {
                serde_json::to_string(&a).unwrap()
            })
            .collect();
        assert_eq!(batch, one_by_one);
        assert_eq!(stream, one_by_one);
    }
}
