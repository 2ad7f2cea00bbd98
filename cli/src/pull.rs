//! Workers that read their own records: for inputs that are regular files
//! and more than one worker thread.
//!
//! Each worker takes the input in turn and reads a run of records itself,
//! then maps them and hands the results to the calling thread, which puts
//! them back in input order. A record is read, parsed, classified and
//! serialized on one core, where a reader thread would read it on one and
//! the worker use it on another: on ten copies of the corpus, two workers
//! so were 1.02x and 1.07x as fast as two that were handed their records
//! by a reader thread (medians of the per-round ratios in two runs of 21
//! alternating rounds of the whole process, on two cores).
//!
//! A read from a regular file never waits on a writer, so a worker never
//! holds records back while it waits for more; a pipe or a terminal, which
//! may pause for as long as it likes, is read by a thread of its own
//! instead (see [`warta::stream::map_ordered`]).

use std::collections::{BTreeMap, VecDeque};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Condvar, Mutex, PoisonError};

/// The most records a worker reads in one turn.
const RUN_RECORDS: usize = 32;

/// A worker's turn ends once it has read this many bytes.
const RUN_BYTES: usize = 128 << 10;

/// Whether every input named in `names` is a regular file (`-` is
/// standard input, which is not).
pub fn all_regular_files(names: &[String]) -> bool {
    !names.is_empty()
        && names
            .iter()
            .all(|name| name != "-" && std::fs::metadata(name).is_ok_and(|m| m.is_file()))
}

/// The results in input order, as the workers hand them over.
pub trait Ordered<R> {
    /// The next result; `None` at the end.
    fn next_result(&mut self) -> Option<R>;

    /// Whether no further result is ready yet: a writer flushes then.
    fn at_batch_end(&mut self) -> bool;
}

impl<I, R, F> Ordered<R> for warta::stream::OrderedMap<I, R, F>
where
    I: Iterator,
    I::Item: Send,
    R: Send,
    F: Fn(I::Item) -> R + Sync + Send,
{
    fn next_result(&mut self) -> Option<R> {
        self.next()
    }

    fn at_batch_end(&mut self) -> bool {
        warta::stream::OrderedMap::at_batch_end(self)
    }
}

/// Maps every item of `input` through `map` on `threads` workers that read
/// the input themselves, `records` at most per turn, with at most
/// `max_bytes` (as `weight` counts them) read and not yet consumed, unless
/// one item alone weighs more; `consume` gets the results in input order.
///
/// Gives `input` back, untouched, when no worker thread can start.
pub fn run<T, I, R, W, M, C>(
    input: I,
    threads: usize,
    records: usize,
    max_bytes: usize,
    weight: W,
    map: &M,
    consume: C,
) -> Result<T, I>
where
    I: Iterator + Send,
    I::Item: Send,
    R: Send,
    W: Fn(&I::Item) -> usize + Sync,
    M: Fn(I::Item) -> R + Sync,
    C: FnOnce(&mut dyn Ordered<R>) -> T,
{
    let shared = Shared {
        input: Mutex::new(Turns {
            input,
            next: 0,
            held: None,
            ended: false,
        }),
        budget: Budget {
            state: Mutex::new(BudgetState::default()),
            freed: Condvar::new(),
            limit: max_bytes,
        },
        stop: AtomicBool::new(false),
        records: records.clamp(1, RUN_RECORDS),
    };
    let outcome = std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel();
        let mut started = 0;
        for k in 0..threads.max(1) {
            let sender = sender.clone();
            let (shared, weight) = (&shared, &weight);
            let spawned = std::thread::Builder::new()
                .name(format!("warta-worker-{k}"))
                .spawn_scoped(scope, move || shared.work(weight, map, &sender));
            started += usize::from(spawned.is_ok());
        }
        drop(sender);
        if started == 0 {
            return None;
        }
        let mut results = InOrder {
            receiver,
            pending: BTreeMap::new(),
            current: VecDeque::new(),
            next: 0,
            budget: &shared.budget,
        };
        // Done, early (an error, a closed output) or not, or panicking: the
        // workers stop after their turn, and one waiting for room wakes
        // up, so that the scope can join them.
        let _stop = Stop(&shared);
        Some(consume(&mut results))
    });
    match outcome {
        Some(consumed) => Ok(consumed),
        None => Err(shared
            .input
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .input),
    }
}

/// What the workers share.
struct Shared<I: Iterator> {
    input: Mutex<Turns<I>>,
    budget: Budget,
    /// The consumer is done, or a worker panicked: the others stop.
    stop: AtomicBool,
    /// The most records per turn.
    records: usize,
}

/// Stops the workers when dropped.
struct Stop<'s, I: Iterator>(&'s Shared<I>);

impl<I: Iterator> Drop for Stop<'_, I> {
    fn drop(&mut self) {
        self.0.stop.store(true, Ordering::SeqCst);
        self.0.budget.close();
    }
}

/// The input, taken in turns.
struct Turns<I: Iterator> {
    input: I,
    /// The index of the next item to be read.
    next: usize,
    /// An item read that did not fit in the budget beside its turn's
    /// others: the next turn starts with it.
    held: Option<(I::Item, usize)>,
    ended: bool,
}

/// A run of items or results, with their weights, from item `.0` on.
type Run<T> = (usize, Vec<(T, usize)>);

impl<I: Iterator> Shared<I> {
    /// One worker: reads a run, maps it, hands it over, until the input
    /// ends or the consumer stops.
    fn work<R, W, M>(&self, weight: &W, map: &M, sender: &mpsc::Sender<Run<R>>)
    where
        W: Fn(&I::Item) -> usize,
        M: Fn(I::Item) -> R,
    {
        let worked = panic::catch_unwind(AssertUnwindSafe(|| {
            while let Some((first, run)) = self.take_run(weight) {
                let mapped: Vec<(R, usize)> = run
                    .into_iter()
                    .map(|(item, bytes)| (map(item), bytes))
                    .collect();
                if sender.send((first, mapped)).is_err() {
                    break;
                }
            }
        }));
        if let Err(panic) = worked {
            // The consumer would wait for this run forever: everyone stops,
            // and the scope passes the panic on.
            self.stop.store(true, Ordering::SeqCst);
            self.budget.close();
            panic::resume_unwind(panic);
        }
    }

    /// The next run of items and the index of its first, read within the
    /// budget; `None` when there is nothing more to do.
    ///
    /// Only a worker with nothing read waits for room, and it waits holding
    /// the input: every item before the one it holds is then with another
    /// worker, which does not wait, so the consumer gets them all and frees
    /// the room.
    fn take_run<W: Fn(&I::Item) -> usize>(&self, weight: &W) -> Option<Run<I::Item>> {
        let mut turns = self.input.lock().unwrap_or_else(PoisonError::into_inner);
        let first = turns.next;
        let mut run = Vec::new();
        let mut run_bytes = 0usize;
        while run.len() < self.records && run_bytes < RUN_BYTES {
            if self.stop.load(Ordering::SeqCst) {
                return None;
            }
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
            if !self.budget.take(bytes, run.is_empty()) {
                if run.is_empty() {
                    return None; // Closed: the consumer is gone.
                }
                turns.held = Some((item, bytes));
                break;
            }
            run_bytes = run_bytes.saturating_add(bytes);
            run.push((item, bytes));
        }
        turns.next += run.len();
        (!run.is_empty()).then_some((first, run))
    }
}

/// The consumer's side: runs put back in input order.
struct InOrder<'s, R> {
    receiver: Receiver<Run<R>>,
    /// Runs that came before their turn, by their first item's index.
    pending: BTreeMap<usize, Vec<(R, usize)>>,
    current: VecDeque<(R, usize)>,
    /// The index of the first item of the next run to yield.
    next: usize,
    budget: &'s Budget,
}

impl<R> InOrder<'_, R> {
    fn file(&mut self, (first, run): Run<R>) {
        self.pending.insert(first, run);
    }
}

impl<R> Ordered<R> for InOrder<'_, R> {
    fn next_result(&mut self) -> Option<R> {
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
            // Every worker gone with a run missing: one panicked, and the
            // scope passes that on.
            let run = self.receiver.recv().ok()?;
            self.file(run);
        }
    }

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

/// Bytes read and not yet consumed.
struct Budget {
    state: Mutex<BudgetState>,
    freed: Condvar,
    limit: usize,
}

#[derive(Default)]
struct BudgetState {
    in_flight: usize,
    waiting: bool,
    closed: bool,
}

impl Budget {
    /// Counts `bytes` in if they fit (or nothing is in flight); with
    /// `wait`, waits for them to fit first. `false` when they were not
    /// counted: they did not fit and `wait` was not asked, or the budget
    /// was closed.
    fn take(&self, bytes: usize, wait: bool) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let fits =
            |s: &BudgetState| s.in_flight == 0 || s.in_flight.saturating_add(bytes) <= self.limit;
        while !state.closed && !fits(&state) {
            if !wait {
                return false;
            }
            state.waiting = true;
            state = self
                .freed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.waiting = false;
        if state.closed {
            return false;
        }
        state.in_flight = state.in_flight.saturating_add(bytes);
        true
    }

    fn release(&self, bytes: usize) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.in_flight = state.in_flight.saturating_sub(bytes);
        if state.waiting {
            self.freed.notify_all();
        }
    }

    fn close(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.closed = true;
        self.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `items` through the workers and collects what comes out.
    fn pulled(items: Vec<usize>, threads: usize, records: usize, max_bytes: usize) -> Vec<usize> {
        run(
            items.into_iter(),
            threads,
            records,
            max_bytes,
            |&w| w,
            &|w: usize| w * 2,
            |results: &mut dyn Ordered<usize>| {
                let mut out = Vec::new();
                while let Some(r) = results.next_result() {
                    out.push(r);
                }
                out
            },
        )
        .unwrap_or_else(|_| panic!("no worker started"))
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
    fn what_is_read_and_not_consumed_stays_within_the_budget() {
        use std::sync::atomic::AtomicUsize;
        // Items of 1 to 1000 bytes under a budget of 3000: the bytes read
        // and not yet consumed never pass it (no item is heavier).
        let weights: Vec<usize> = (0..3000).map(|i| 1 + (i * 7919) % 1000).collect();
        let read = AtomicUsize::new(0);
        let consumed = AtomicUsize::new(0);
        let most = run(
            weights.clone().into_iter().inspect(|&w| {
                read.fetch_add(w, Ordering::SeqCst);
            }),
            3,
            8,
            3000,
            |&w| w,
            &|w: usize| w,
            |results: &mut dyn Ordered<usize>| {
                let mut most = 0;
                while let Some(w) = results.next_result() {
                    // The item just consumed is still counted as read.
                    let ahead = read.load(Ordering::SeqCst) - consumed.load(Ordering::SeqCst);
                    most = most.max(ahead);
                    consumed.fetch_add(w, Ordering::SeqCst);
                    std::thread::yield_now();
                }
                most
            },
        )
        .unwrap_or_else(|_| panic!("no worker started"));
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
        let taken = run(
            (0..1_000_000usize).map(|_| 10),
            2,
            4,
            100,
            |&w| w,
            &|w: usize| w,
            |results: &mut dyn Ordered<usize>| (0..5).filter_map(|_| results.next_result()).count(),
        )
        .unwrap_or_else(|_| panic!("no worker started"));
        assert_eq!(taken, 5);
    }

    #[test]
    fn a_panic_in_a_worker_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            run(
                0..10_000usize,
                2,
                4,
                1000,
                |_| 1,
                &|i: usize| {
                    assert!(i != 5000, "boom");
                    i
                },
                |results: &mut dyn Ordered<usize>| {
                    let mut n = 0;
                    while results.next_result().is_some() {
                        n += 1;
                    }
                    n
                },
            )
        });
        assert!(caught.is_err());
    }

    #[test]
    fn a_panic_in_the_consumer_leaves_no_worker_waiting() {
        // The workers fill the budget and wait for room the consumer will
        // never free: its panic must still reach the caller.
        let caught = std::panic::catch_unwind(|| {
            run(
                0..10_000usize,
                2,
                4,
                10,
                |_| 1,
                &|i: usize| i,
                |results: &mut dyn Ordered<usize>| -> usize {
                    let _ = results.next_result();
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    panic!("the consumer fails");
                },
            )
        });
        assert!(caught.is_err());
    }

    #[test]
    fn only_regular_files_are_read_by_the_workers() {
        let dir = std::env::temp_dir();
        let file = dir.join(format!("warta-pull-{}.jsonl", std::process::id()));
        std::fs::write(&file, "{}\n").unwrap();
        let file = file.to_str().unwrap().to_owned();
        assert!(all_regular_files(std::slice::from_ref(&file)));
        assert!(!all_regular_files(&[file.clone(), "-".to_owned()]));
        assert!(!all_regular_files(&[dir.to_str().unwrap().to_owned()]));
        assert!(!all_regular_files(&[]));
        std::fs::remove_file(&file).unwrap();
    }
}
