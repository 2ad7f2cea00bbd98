//! Ordered parallel mapping in bounded memory, for the streaming loop.
//!
//! A reader thread reads ahead within a budget of *bytes* (not records),
//! and each batch mapped in parallel with rayon is whatever has been read
//! when the previous one is done, so a record from a pipe that stays open
//! is mapped and written as soon as it arrives instead of waiting for a
//! chunk to fill. Results come out in input order.

use std::collections::VecDeque;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use rayon::prelude::*;

/// How [`par_map_streaming`] bounds its batches and its read-ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    /// The most items mapped in one parallel batch (at least 1).
    pub max_batch_items: usize,
    /// The most bytes (as the weight function counts them) of items read
    /// but not yet yielded, read-ahead included. One item heavier than the
    /// whole budget is still read, alone.
    pub max_bytes_in_flight: usize,
}

/// Maps `input` through `f` in parallel and yields the results in input
/// order, reading `input` on a thread of its own within a budget of bytes.
///
/// `weight` tells how many bytes an item holds (an article: its text).
/// Items read but not yet yielded never weigh more than
/// `limits.max_bytes_in_flight` together, unless a single item does (it is
/// then the only one), plus the one item the reader holds while it waits
/// for room.
/// Each batch mapped in parallel is what has been read when the previous
/// batch is done (at least one item, at most `limits.max_batch_items`), so
/// an input that pauses (a pipe kept open) gets its items mapped and
/// yielded as soon as they are read. [`Streaming::at_batch_end`] tells a
/// writer when to flush.
///
/// When the returned iterator is dropped early, the reader thread stops
/// after the item it is reading. Fails only when the thread cannot start.
///
pub fn par_map_streaming<I, W, R, F>(
    input: I,
    limits: StreamLimits,
    weight: W,
    f: F,
) -> std::io::Result<Streaming<I::Item, R, F>>
where
    I: Iterator + Send + 'static,
    I::Item: Send + 'static,
    W: Fn(&I::Item) -> usize + Send + 'static,
    R: Send,
    F: Fn(I::Item) -> R + Sync + Send,
{
    let budget = Arc::new(Budget {
        state: Mutex::new(BudgetState::default()),
        freed: Condvar::new(),
        limit: limits.max_bytes_in_flight,
    });
    let (sender, receiver) = mpsc::channel();
    let reader_budget = Arc::clone(&budget);
    // A plain thread, not a rayon task: it may block on a read for as long
    // as the input is idle, and must not hold up a rayon worker meanwhile.
    std::thread::Builder::new()
        .name("warta-reader".to_owned())
        .spawn(move || {
            for item in input {
                let bytes = weight(&item);
                if !reader_budget.acquire(bytes) || sender.send((item, bytes)).is_err() {
                    break;
                }
            }
        })?;
    Ok(Streaming {
        receiver,
        budget,
        max_batch: limits.max_batch_items.max(1),
        f,
        out: VecDeque::new(),
        ended: false,
    })
}

/// Bytes in flight between the reader thread and the consumer.
struct Budget {
    state: Mutex<BudgetState>,
    freed: Condvar,
    limit: usize,
}

#[derive(Default)]
struct BudgetState {
    in_flight: usize,
    /// The consumer is gone: the reader stops.
    closed: bool,
}

impl Budget {
    /// Waits until `bytes` more fit in the budget (or nothing is in
    /// flight), then counts them; `false` when the consumer is gone.
    fn acquire(&self, bytes: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while !state.closed
            && state.in_flight > 0
            && state.in_flight.saturating_add(bytes) > self.limit
        {
            state = self
                .freed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.in_flight = state.in_flight.saturating_add(bytes);
        !state.closed
    }

    fn release(&self, bytes: usize) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.in_flight = state.in_flight.saturating_sub(bytes);
        self.freed.notify_all();
    }

    fn close(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.closed = true;
        self.freed.notify_all();
    }

    #[cfg(test)]
    fn in_flight(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .in_flight
    }
}

/// The iterator [`par_map_streaming`] returns.
pub struct Streaming<T, R, F> {
    receiver: Receiver<(T, usize)>,
    budget: Arc<Budget>,
    max_batch: usize,
    f: F,
    /// The mapped batch not yet yielded, with each item's weight.
    out: VecDeque<(R, usize)>,
    ended: bool,
}

impl<T, R, F> Streaming<T, R, F> {
    /// Whether the last item yielded was the last of its batch: a writer
    /// that flushes then keeps its output as prompt as its input.
    pub fn at_batch_end(&self) -> bool {
        self.out.is_empty()
    }
}

impl<T, R, F> Iterator for Streaming<T, R, F>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync + Send,
{
    type Item = R;

    fn next(&mut self) -> Option<R> {
        if self.out.is_empty() && !self.ended {
            // Wait for one item, then take what else is ready, up to the batch size.
            let mut batch = Vec::new();
            match self.receiver.recv() {
                Ok(first) => batch.push(first),
                Err(_) => self.ended = true,
            }
            while !batch.is_empty() && batch.len() < self.max_batch {
                match self.receiver.try_recv() {
                    Ok(item) => batch.push(item),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        self.ended = true;
                        break;
                    }
                }
            }
            let f = &self.f;
            self.out = batch
                .into_par_iter()
                .with_max_len(1)
                .map(|(item, bytes)| (f(item), bytes))
                .collect::<Vec<_>>()
                .into();
        }
        let (result, bytes) = self.out.pop_front()?;
        self.budget.release(bytes);
        Some(result)
    }
}

impl<T, R, F> Drop for Streaming<T, R, F> {
    fn drop(&mut self) {
        self.budget.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_keeps_order_and_count_for_any_limits() {
        // (items, batch, budget)
        let cases = [
            (0, 3, 10),
            (1, 1, 0),
            (50, 1, 1),
            (50, 7, 0),
            (1000, 1024, 100),
            (1000, 3, usize::MAX),
        ];
        for (n, batch, budget) in cases {
            let limits = StreamLimits {
                max_batch_items: batch,
                max_bytes_in_flight: budget,
            };
            let got: Vec<usize> = par_map_streaming(0..n, limits, |&i| i % 17, |i| i * 2)
                .unwrap()
                .collect();
            let expected: Vec<usize> = (0..n).map(|i| i * 2).collect();
            assert_eq!(got, expected, "n={n} batch={batch} budget={budget}");
        }
    }

    #[test]
    fn streaming_bounds_bytes_in_flight_not_items() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // Items weigh 1 to 1000 bytes; the budget is 3000 bytes. Whatever
        // the batch size, what was read and not yet yielded never weighs
        // more than the budget plus the one item the reader holds.
        let weights: Vec<usize> = (0..2000).map(|i| 1 + (i * 7919) % 1000).collect();
        let read = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&read);
        let input = weights.clone().into_iter().inspect(move |&w| {
            counter.fetch_add(w, Ordering::SeqCst);
        });
        let limits = StreamLimits {
            max_batch_items: 1_000_000,
            max_bytes_in_flight: 3000,
        };
        let stream = par_map_streaming(input, limits, |&w| w, |w| w).unwrap();
        let mut yielded = 0;
        let mut worst = 0;
        for w in stream {
            yielded += w;
            // Between items the reader keeps reading: give it time to fill
            // the budget, so the bound is tested at its fullest.
            std::thread::yield_now();
            let in_flight = read.load(Ordering::SeqCst) - yielded;
            worst = worst.max(in_flight);
        }
        assert_eq!(yielded, weights.iter().sum::<usize>());
        assert!(worst <= 3000 + 1000, "{worst} bytes in flight");
    }

    #[test]
    fn streaming_yields_what_an_idle_input_has_sent() {
        use std::sync::mpsc::channel;
        use std::time::Duration;
        // An input that sends three items and then stays open, as a pipe
        // fed by `tail -f` does: all three come out while it is still open.
        let (feed, input) = channel::<String>();
        let (results, got) = channel();
        let consumer = std::thread::spawn(move || {
            let limits = StreamLimits {
                max_batch_items: 128,
                max_bytes_in_flight: 1 << 20,
            };
            let stream =
                par_map_streaming(input.into_iter(), limits, String::len, |s| s.len()).unwrap();
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
    fn budget_lets_one_heavy_item_through_alone() {
        let budget = Budget {
            state: Mutex::new(BudgetState::default()),
            freed: Condvar::new(),
            limit: 10,
        };
        assert!(budget.acquire(1000));
        assert_eq!(budget.in_flight(), 1000);
        budget.release(1000);
        assert!(budget.acquire(4));
        assert!(budget.acquire(6));
        assert_eq!(budget.in_flight(), 10);
        budget.close();
        assert!(!budget.acquire(1));
    }
}
