//! [`map_pulled`]: workers that read their own items, for inputs that
//! never wait on a writer (files, memory).
//!
//! Each worker takes the input in turn and reads a run of items itself,
//! then maps them and hands the results to the calling thread, which puts
//! them back in input order. An item is read and mapped on one core, where
//! a reader thread would read it on one and a worker use it on another: on
//! ten copies of the corpus, `warta classify` with two workers so was 1.02x
//! and 1.07x as fast as with two that were handed their records by a
//! reader thread (medians of the per-round ratios in two runs of 21
//! alternating rounds of the whole process, on two cores).
//!
//! The calling thread is one of the workers: whenever the result it is to
//! yield next is not ready, it reads and maps a run itself. So `threads`
//! threads share `threads` cores with no consumer thread beside them to
//! wake, and one thread does everything on the calling thread.

use std::collections::{BTreeMap, VecDeque};
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Mutex, PoisonError};

use super::StreamLimits;
use super::budget::Budget;

/// The most items a worker reads in one turn.
const RUN_ITEMS: usize = 32;

/// A worker's turn ends once it has read this many bytes.
const RUN_BYTES: usize = 128 << 10;

/// Maps every item of `input` through `map` on `threads` threads (at least
/// one): the calling thread and `threads - 1` worker threads, each of
/// which reads `input` itself, a run of items at a time. `consume` gets the
/// results in input order, on the calling thread, which maps a run itself
/// whenever the next result is not ready yet. Returns what `consume`
/// returns.
///
/// For an input that never waits on a writer: a regular file, or items
/// already in memory. A worker holds the input while it reads, so an input
/// that may pause (a pipe, a socket) would hold back the items the workers
/// have read: give such an input to [`map_ordered`](super::map_ordered),
/// which reads on a thread of its own.
///
/// The bound is that of [`map_ordered`](super::map_ordered): items read
/// and not yet yielded weigh at most `limits.max_bytes_in_flight`
/// together (as `weight` counts them), plus one item that did not fit,
/// held for the next turn; an item heavier than the whole budget is read
/// when nothing else is in flight. A turn reads at most
/// `limits.max_batch_items` items (1 to 32) and stops after 128 KiB.
///
/// When `consume` returns (early or not) or panics, the workers stop after
/// their turn; a panic in `input`, `weight` or `map` stops the others and
/// is resumed on the calling thread. A worker thread that cannot be
/// started leaves its share to the others (the calling thread, at least).
///
/// ```
/// use warta::stream::{StreamLimits, map_pulled};
///
/// let texts = vec!["Satu.".to_owned(), "Dua dan tiga.".to_owned()];
/// let classifier = warta::Classifier::default();
/// let paragraphs: Vec<usize> = map_pulled(
///     texts.into_iter(),
///     2,
///     StreamLimits::default(),
///     String::len,
///     |text: String| classifier.classify(&text).paragraphs.len(),
///     |results| results.collect(),
/// );
/// assert_eq!(paragraphs, [1, 1]);
/// ```
pub fn map_pulled<T, I, R, W, M, C>(
    input: I,
    threads: usize,
    limits: StreamLimits,
    weight: W,
    map: M,
    consume: C,
) -> T
where
    I: Iterator + Send,
    I::Item: Send,
    R: Send,
    W: Fn(&I::Item) -> usize + Sync,
    M: Fn(I::Item) -> R + Sync,
    C: FnOnce(&mut Pulled<'_, R>) -> T,
{
    let shared = Shared {
        input: Mutex::new(Turns {
            input,
            next: 0,
            held: None,
            ended: false,
        }),
        budget: Budget::new(limits.max_bytes_in_flight),
        items: limits.max_batch_items.clamp(1, RUN_ITEMS),
    };
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel();
        for k in 1..threads.max(1) {
            let sender = sender.clone();
            let (shared, weight, map) = (&shared, &weight, &map);
            // One that cannot start leaves its runs to the others.
            let _ = std::thread::Builder::new()
                .name(format!("warta-worker-{k}"))
                .spawn_scoped(scope, move || shared.work(weight, map, &sender));
        }
        drop(sender);
        // The calling thread's turn at the input, behind a `dyn` so that
        // `Pulled` names only its results' type.
        let here = || match shared.take_run(&weight) {
            Take::Run(run) => Take::Run(map_run(run, &map)),
            Take::NoRoom(bytes) => Take::NoRoom(bytes),
            Take::Done => Take::Done,
        };
        let mut results = Pulled {
            receiver,
            pending: BTreeMap::new(),
            current: VecDeque::new(),
            next: 0,
            budget: &shared.budget,
            here: &here,
            input_done: false,
        };
        // Done, early (an error, a closed output) or not, or panicking: the
        // workers stop after their turn, and those waiting for room wake
        // up, so that the scope can join them.
        let _stop = Stop(&shared);
        consume(&mut results)
    })
}

/// What the workers share.
struct Shared<I: Iterator> {
    input: Mutex<Turns<I>>,
    /// Also how the workers learn to stop: it is closed when the consumer
    /// is done or a worker panicked.
    budget: Budget,
    /// The most items per turn.
    items: usize,
}

/// Stops the workers when dropped: closes the budget.
struct Stop<'s, I: Iterator>(&'s Shared<I>);

impl<I: Iterator> Drop for Stop<'_, I> {
    fn drop(&mut self) {
        self.0.budget.close();
    }
}

/// The input, taken in turns.
struct Turns<I: Iterator> {
    input: I,
    /// The index of the next item to be read.
    next: usize,
    /// An item read that did not fit in the budget: the next turn starts
    /// with it.
    held: Option<(I::Item, usize)>,
    ended: bool,
}

/// A run of items or results, with their weights, from item `.0` on.
type Run<T> = (usize, Vec<(T, usize)>);

/// What a turn at the input gave.
enum Take<T> {
    Run(Run<T>),
    /// The next item does not fit in the budget yet; it weighs `.0`.
    NoRoom(usize),
    /// The input has ended, or the consumer is gone.
    Done,
}

impl<I: Iterator> Shared<I> {
    /// One worker thread: reads a run, maps it, hands it over, until the
    /// input ends or the consumer stops.
    fn work<R, W, M>(&self, weight: &W, map: &M, sender: &mpsc::Sender<Run<R>>)
    where
        W: Fn(&I::Item) -> usize,
        M: Fn(I::Item) -> R,
    {
        let worked = panic::catch_unwind(AssertUnwindSafe(|| {
            loop {
                match self.take_run(weight) {
                    Take::Run(run) => {
                        if sender.send(map_run(run, map)).is_err() {
                            break;
                        }
                    }
                    // Waits without the input, so that the calling thread,
                    // which frees the room, is never kept from it.
                    Take::NoRoom(bytes) => {
                        if !self.budget.wait_for_room(bytes) {
                            break;
                        }
                    }
                    Take::Done => break,
                }
            }
        }));
        if let Err(panic) = worked {
            // The consumer would wait for this run forever: everyone stops,
            // and the scope passes the panic on.
            self.budget.close();
            panic::resume_unwind(panic);
        }
    }

    /// The next run of items and the index of its first, read within the
    /// budget. Never waits for room: a turn whose first item does not fit
    /// holds it for the next turn and says so.
    fn take_run<W: Fn(&I::Item) -> usize>(&self, weight: &W) -> Take<I::Item> {
        let mut turns = self.input.lock().unwrap_or_else(PoisonError::into_inner);
        let first = turns.next;
        let mut run = Vec::new();
        let mut run_bytes = 0usize;
        while run.len() < self.items && run_bytes < RUN_BYTES {
            let (item, bytes) = match turns.held.take() {
                Some(held) => held,
                None if turns.ended => break,
                None => match turns.input.next() {
                    Some(item) => {
                        let bytes = weight(&item);
                        (item, bytes)
                    }
                    None => {
                        turns.ended = true;
                        break;
                    }
                },
            };
            // Not counted in: no room, or the budget is closed (the
            // consumer is gone, or a worker panicked), which ends the turn
            // and every later one.
            if !self.budget.take(bytes) {
                turns.held = Some((item, bytes));
                if run.is_empty() {
                    return if self.budget.is_closed() {
                        Take::Done
                    } else {
                        Take::NoRoom(bytes)
                    };
                }
                break;
            }
            run_bytes = run_bytes.saturating_add(bytes);
            run.push((item, bytes));
        }
        turns.next += run.len();
        if run.is_empty() {
            Take::Done
        } else {
            Take::Run((first, run))
        }
    }
}

/// Maps each item of `run`, keeping its weight.
fn map_run<T, R>((first, run): Run<T>, map: &impl Fn(T) -> R) -> Run<R> {
    let mapped = run
        .into_iter()
        .map(|(item, bytes)| (map(item), bytes))
        .collect();
    (first, mapped)
}

/// The results of [`map_pulled`] in input order: an iterator for its
/// `consume`, which maps runs itself while the next result is not ready.
pub struct Pulled<'s, R> {
    receiver: Receiver<Run<R>>,
    /// Runs that came before their turn, by their first item's index.
    pending: BTreeMap<usize, Vec<(R, usize)>>,
    current: VecDeque<(R, usize)>,
    /// The index of the first item of the next run to yield.
    next: usize,
    budget: &'s Budget,
    /// Reads and maps a run on the calling thread.
    here: &'s dyn Fn() -> Take<R>,
    /// No run is left to take here.
    input_done: bool,
}

impl<R> Pulled<'_, R> {
    fn file(&mut self, (first, run): Run<R>) {
        self.pending.insert(first, run);
    }
}

impl<R> super::BatchEnds for Pulled<'_, R> {
    /// Whether no further result is ready yet, so that the next one may
    /// have to be mapped or waited for: a writer flushes then.
    fn at_batch_end(&mut self) -> bool {
        if !self.current.is_empty() {
            return false;
        }
        while let Ok(run) = self.receiver.try_recv() {
            self.file(run);
        }
        !self.pending.contains_key(&self.next)
    }
}

impl<R> Iterator for Pulled<'_, R> {
    type Item = R;

    fn next(&mut self) -> Option<R> {
        loop {
            if let Some((result, bytes)) = self.current.pop_front() {
                self.budget.release(bytes);
                return Some(result);
            }
            if let Some(run) = self.pending.remove(&self.next) {
                self.next += run.len();
                self.current = run.into();
                continue;
            }
            if let Ok(run) = self.receiver.try_recv() {
                self.file(run);
                continue;
            }
            // The next run is not here: map one meanwhile. When there is
            // no room, the next run is with a worker thread (runs before
            // it were all yielded, so the room is taken by runs that came
            // after it), which will hand it over.
            if !self.input_done {
                match (self.here)() {
                    Take::Run(run) => {
                        self.file(run);
                        continue;
                    }
                    Take::NoRoom(_) => {}
                    Take::Done => self.input_done = true,
                }
            }
            // Every worker gone with a run missing: one panicked, and the
            // scope passes that on.
            let run = self.receiver.recv().ok()?;
            self.file(run);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::tests::limits;

    /// Runs `items` through the workers and collects what comes out.
    fn pulled(items: Vec<usize>, threads: usize, records: usize, max_bytes: usize) -> Vec<usize> {
        map_pulled(
            items.into_iter(),
            threads,
            limits(max_bytes, records),
            |&w| w,
            |w: usize| w * 2,
            |results| results.collect(),
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn every_item_comes_out_once_in_order(
            weights in proptest::collection::vec(0usize..5000, 0..400),
            threads in 1usize..5,
            records in 0usize..40,
            budget in proptest::prop_oneof![
                proptest::strategy::Just(0usize),
                0usize..20_000,
                proptest::strategy::Just(usize::MAX),
            ],
        ) {
            let expected: Vec<usize> = weights.iter().map(|w| w * 2).collect();
            proptest::prop_assert_eq!(pulled(weights, threads, records, budget), expected);
        }
    }

    #[test]
    fn one_thread_maps_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let on_caller = map_pulled(
            0..1000usize,
            1,
            limits(100, 8),
            |_| 1,
            |_: usize| std::thread::current().id() == caller,
            |results| results.filter(|&here| here).count(),
        );
        assert_eq!(on_caller, 1000);
    }

    #[test]
    fn with_workers_the_calling_thread_maps_too() {
        // Items that take a while to map (0.2 s in all): while the one
        // worker maps its run, the calling thread, missing that run, maps
        // the next one.
        let caller = std::thread::current().id();
        let on_caller = map_pulled(
            0..2000usize,
            2,
            limits(usize::MAX, 4),
            |_| 1,
            |_: usize| {
                std::thread::sleep(std::time::Duration::from_micros(100));
                std::thread::current().id() == caller
            },
            |results| results.filter(|&here| here).count(),
        );
        assert!(
            on_caller > 0 && on_caller < 2000,
            "{on_caller} of 2000 on the caller"
        );
    }

    #[test]
    fn what_is_read_and_not_consumed_stays_within_the_budget() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // Items of 1 to 1000 bytes under a budget of 3000: the bytes read
        // and not yet consumed never pass it (no item is heavier).
        let weights: Vec<usize> = (0..3000).map(|i| 1 + (i * 7919) % 1000).collect();
        let read = AtomicUsize::new(0);
        let consumed = AtomicUsize::new(0);
        let most = map_pulled(
            weights.clone().into_iter().inspect(|&w| {
                read.fetch_add(w, Ordering::SeqCst);
            }),
            3,
            limits(3000, 8),
            |&w| w,
            |w: usize| w,
            |results| {
                let mut most = 0;
                for w in results {
                    // The item just consumed is still counted as read.
                    let ahead = read.load(Ordering::SeqCst) - consumed.load(Ordering::SeqCst);
                    most = most.max(ahead);
                    consumed.fetch_add(w, Ordering::SeqCst);
                    std::thread::yield_now();
                }
                most
            },
        );
        // Beyond the budget: the item just yielded (counted as consumed
        // only after this look) and the one item read that did not fit.
        assert!(most <= 3000 + 1000 + 1000, "{most} bytes ahead");
        assert!(most > 1000, "{most} bytes ahead: nothing was read ahead");
        assert_eq!(
            consumed.load(Ordering::SeqCst),
            weights.iter().sum::<usize>()
        );
    }

    #[test]
    fn a_consumer_that_stops_early_stops_the_workers() {
        let taken = map_pulled(
            (0..1_000_000usize).map(|_| 10),
            2,
            limits(100, 4),
            |&w| w,
            |w: usize| w,
            |results| results.take(5).count(),
        );
        assert_eq!(taken, 5);
    }

    #[test]
    fn a_panic_in_a_worker_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            map_pulled(
                0..10_000usize,
                2,
                limits(1000, 4),
                |_| 1,
                |i: usize| {
                    assert!(i != 5000, "boom");
                    i
                },
                |results| results.count(),
            )
        });
        assert!(caught.is_err());
    }

    #[test]
    fn a_panic_in_the_consumer_leaves_no_worker_waiting() {
        // The workers fill the budget and wait for room the consumer will
        // never free: its panic must still reach the caller.
        let caught = std::panic::catch_unwind(|| {
            map_pulled(
                0..10_000usize,
                2,
                limits(10, 4),
                |_| 1,
                |i: usize| i,
                |results| -> usize {
                    let _ = results.next();
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    panic!("the consumer fails");
                },
            )
        });
        assert!(caught.is_err());
    }
}
