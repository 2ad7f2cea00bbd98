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
    let shared = Shared::new(input, limits);
    std::thread::scope(|scope| {
        shared.run(threads.max(1) - 1, &weight, &map, consume, |k, work| {
            // One that cannot start leaves its runs to the others.
            let _ = std::thread::Builder::new()
                .name(format!("warta-worker-{k}"))
                .spawn_scoped(scope, work);
        })
    })
}

/// [`map_pulled`] with the threads of `pool` as its worker threads: every
/// thread of the pool and the calling thread read and map, so that
/// `pool.current_num_threads() + 1` threads share the work.
///
/// For threads started ahead of the input: a task spawned on `pool`
/// before this call (compiling the boilerplate markers while the calling
/// thread loads a lexicon, say) runs first, and its thread goes on to read
/// and map when it is done, with no thread started or ended in between.
/// `warta classify` on two cores so took 5% less time on one copy of the
/// corpus (1,576 articles, about 50 ms) than with a thread started for
/// the markers and then another for the records; on ten copies the
/// difference was within the noise.
///
/// A worker whose task waits behind others on a busy pool starts when a
/// thread is free, and the calling thread maps meanwhile: the results all
/// come even if none is free before the end. The call returns when every
/// worker task has run (one that starts after the end finds nothing left
/// and ends at once). Panics reach the caller as in [`map_pulled`].
///
/// ```
/// use warta::stream::{StreamLimits, map_pulled_in};
///
/// let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
/// // The markers compile on the pool's thread while this thread goes on.
/// pool.spawn(warta::clean::prepare_markers);
/// let classifier = warta::Classifier::default();
/// let texts = vec!["BACA JUGA: Judul Lain".to_owned(), "Satu. Dua.".to_owned()];
/// let paragraphs: Vec<usize> = map_pulled_in(
///     &pool,
///     texts.into_iter(),
///     StreamLimits::default(),
///     String::len,
///     |text: String| classifier.classify(&text).paragraphs.len(),
///     |results| results.collect(),
/// );
/// assert_eq!(paragraphs, [1, 1]);
/// ```
pub fn map_pulled_in<T, I, R, W, M, C>(
    pool: &rayon::ThreadPool,
    input: I,
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
    let shared = Shared::new(input, limits);
    pool.in_place_scope(|scope| {
        shared.run(
            pool.current_num_threads(),
            &weight,
            &map,
            consume,
            |_, work| {
                scope.spawn(move |_| work());
            },
        )
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
    /// The input has ended, after `.0` items in all.
    Ended(usize),
    /// The consumer is gone, or a worker panicked.
    Done,
}

impl<I: Iterator> Shared<I> {
    fn new(input: I, limits: StreamLimits) -> Self {
        Shared {
            input: Mutex::new(Turns {
                input,
                next: 0,
                held: None,
                ended: false,
            }),
            budget: Budget::new(limits.max_bytes_in_flight),
            items: limits.max_batch_items.clamp(1, RUN_ITEMS),
        }
    }

    /// Starts `workers` worker threads, each with `start(k, work)` (`k`
    /// from 1), then gives `consume` the results of their runs and of the
    /// calling thread's own, in input order.
    fn run<'s, T, R, W, M, C>(
        &'s self,
        workers: usize,
        weight: &'s W,
        map: &'s M,
        consume: C,
        mut start: impl FnMut(usize, Box<dyn FnOnce() + Send + 's>),
    ) -> T
    where
        I: Send,
        I::Item: Send,
        R: Send + 's,
        W: Fn(&I::Item) -> usize + Sync,
        M: Fn(I::Item) -> R + Sync,
        C: FnOnce(&mut Pulled<'_, R>) -> T,
    {
        let (sender, receiver) = mpsc::channel();
        for k in 1..=workers {
            let sender = sender.clone();
            start(k, Box::new(move || self.work(weight, map, &sender)));
        }
        drop(sender);
        // The calling thread's turn at the input, behind a `dyn` so that
        // `Pulled` names only its results' type.
        let here = || match self.take_run(weight) {
            Take::Run(run) => Take::Run(map_run(run, map)),
            Take::NoRoom(bytes) => Take::NoRoom(bytes),
            Take::Ended(items) => Take::Ended(items),
            Take::Done => Take::Done,
        };
        let mut results = Pulled {
            receiver,
            pending: BTreeMap::new(),
            current: VecDeque::new(),
            next: 0,
            budget: &self.budget,
            here: &here,
            input_done: false,
            items: None,
        };
        // Done, early (an error, a closed output) or not, or panicking: the
        // workers stop after their turn, and those waiting for room wake
        // up, so that the scope can join them.
        let _stop = Stop(self);
        consume(&mut results)
    }

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
                    Take::Ended(_) | Take::Done => break,
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
            // A turn reads at least one item unless the input has ended.
            Take::Ended(turns.next)
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
    /// How many items the input had, once it has ended.
    items: Option<usize>,
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
                    Take::Ended(items) => {
                        self.input_done = true;
                        self.items = Some(items);
                    }
                    Take::Done => self.input_done = true,
                }
            }
            // Every item yielded: the end, without waiting for the workers
            // to learn it (one that has not started yet, a pool's task
            // behind others, would keep the channel open).
            if self.items == Some(self.next) {
                return None;
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]
        #[test]
        fn on_a_pool_every_item_comes_out_once_in_order(
            weights in proptest::collection::vec(0usize..5000, 0..400),
            pool_threads in 1usize..4,
            records in 0usize..40,
            budget in proptest::prop_oneof![
                proptest::strategy::Just(0usize),
                0usize..20_000,
                proptest::strategy::Just(usize::MAX),
            ],
        ) {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(pool_threads).build().unwrap();
            let expected: Vec<usize> = weights.iter().map(|w| w * 2).collect();
            let got: Vec<usize> = map_pulled_in(
                &pool,
                weights.into_iter(),
                limits(budget, records),
                |&w| w,
                |w: usize| w * 2,
                |results| results.collect(),
            );
            proptest::prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn a_task_started_on_the_pool_first_runs_first_and_its_thread_then_maps() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let (started, task_thread) = mpsc::channel();
        let task_done = std::sync::Arc::new(AtomicBool::new(false));
        let done = task_done.clone();
        pool.spawn(move || {
            started.send(std::thread::current().id()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(20));
            done.store(true, Ordering::SeqCst);
        });
        let task_thread = task_thread.recv().unwrap();
        let caller = std::thread::current().id();
        // Items that take a while (0.2 s in all), so that the pool's thread,
        // free after its task, takes runs too.
        let mapped: Vec<(usize, bool, bool)> = map_pulled_in(
            &pool,
            0..2000usize,
            limits(usize::MAX, 4),
            |_| 1,
            |i: usize| {
                std::thread::sleep(std::time::Duration::from_micros(100));
                let here = std::thread::current().id();
                assert!(here == caller || here == task_thread);
                (i, here == task_thread, task_done.load(Ordering::SeqCst))
            },
            |results| results.collect(),
        );
        assert!(mapped.iter().enumerate().all(|(k, &(i, _, _))| i == k));
        let on_pool: Vec<_> = mapped.iter().filter(|&&(_, pool, _)| pool).collect();
        assert!(
            !on_pool.is_empty() && on_pool.len() < 2000,
            "{} on the pool",
            on_pool.len()
        );
        // Its thread mapped only after the task was done.
        assert!(on_pool.iter().all(|&&(_, _, after_task)| after_task));
    }

    #[test]
    fn a_pool_busy_for_the_whole_run_leaves_it_to_the_calling_thread() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let (release, wait) = mpsc::channel::<()>();
        pool.spawn(move || wait.recv().unwrap());
        let caller = std::thread::current().id();
        let on_caller = map_pulled_in(
            &pool,
            0..500usize,
            limits(100, 4),
            |_| 1,
            |i: usize| (i, std::thread::current().id() == caller),
            |results| {
                let all: Vec<(usize, bool)> = results.collect();
                // Only now is the pool's thread free, for a worker task that
                // finds the input done.
                release.send(()).unwrap();
                all
            },
        );
        assert_eq!(on_caller, (0..500).map(|i| (i, true)).collect::<Vec<_>>());
    }

    #[test]
    fn a_panic_in_a_pool_worker_reaches_the_caller() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let caller = std::thread::current().id();
        let caught = std::panic::catch_unwind(AssertUnwindSafe(|| {
            map_pulled_in(
                &pool,
                0..10_000usize,
                limits(1000, 4),
                |_| 1,
                |i: usize| {
                    // Only a pool thread panics: the run must not hang.
                    assert!(std::thread::current().id() == caller || i % 97 != 0, "boom");
                    std::thread::sleep(std::time::Duration::from_micros(10));
                    i
                },
                |results| results.count(),
            )
        }));
        assert!(caught.is_err());
        // The pool is still usable after.
        assert_eq!(pool.install(|| 1 + 1), 2);
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
