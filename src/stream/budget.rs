//! Bytes read and not yet consumed, shared by whoever reads (a reader
//! thread, or workers that read their own items) and the consumer.

use std::sync::{Condvar, Mutex, PoisonError};

/// A budget of bytes in flight. One thread at a time waits for room: the
/// reader thread of [`map_ordered`](super::map_ordered), or the one worker
/// of [`map_pulled`](super::map_pulled) that holds the input.
pub(super) struct Budget {
    pub(super) state: Mutex<BudgetState>,
    pub(super) freed: Condvar,
    limit: usize,
}

#[derive(Default)]
pub(super) struct BudgetState {
    pub(super) in_flight: usize,
    /// The level at or below which the waiting thread can go on.
    wake_at: Option<usize>,
    /// The consumer is gone: nothing more is counted in.
    closed: bool,
    /// How many times a thread has waited for room (tests only).
    #[cfg(test)]
    pub(super) waits: usize,
}

impl Budget {
    pub(super) fn new(limit: usize) -> Budget {
        Budget {
            state: Mutex::new(BudgetState::default()),
            freed: Condvar::new(),
            limit,
        }
    }

    /// Waits until `bytes` more fit (or nothing is in flight), then counts
    /// them; `false` when the consumer is gone.
    ///
    /// A reader that has to wait waits until the budget has drained to
    /// half (or until nothing is in flight), not until one more item
    /// fits: it then reads a run of items in one go, and the two threads
    /// wake each other once per half budget instead of once per item.
    pub(super) fn acquire(&self, bytes: usize) -> bool {
        self.count_in(bytes, self.limit / 2)
    }

    /// Counts `bytes` in if they fit (or nothing is in flight); with
    /// `wait`, waits for them to fit first. `false` when they were not
    /// counted: they did not fit and `wait` was not asked, or the budget
    /// was closed.
    pub(super) fn take(&self, bytes: usize, wait: bool) -> bool {
        if wait {
            return self.count_in(bytes, usize::MAX);
        }
        let mut state = self.lock();
        if state.closed || state.in_flight > self.room_for(bytes) {
            return false;
        }
        state.in_flight = state.in_flight.saturating_add(bytes);
        true
    }

    /// The most bytes that may be in flight for `bytes` more to fit: an
    /// item heavier than the whole budget fits only when nothing is.
    fn room_for(&self, bytes: usize) -> usize {
        self.limit.saturating_sub(bytes)
    }

    /// Counts `bytes` in, first waiting, if they do not fit, until they do
    /// and the bytes in flight are down to `low`; `false` when the budget
    /// is closed.
    fn count_in(&self, bytes: usize, low: usize) -> bool {
        let mut state = self.lock();
        let room = self.room_for(bytes);
        if !state.closed && state.in_flight > room {
            #[cfg(test)]
            {
                state.waits += 1;
                self.freed.notify_all();
            }
            let level = room.min(low);
            state.wake_at = Some(level);
            while !state.closed && state.in_flight > level {
                state = self
                    .freed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            state.wake_at = None;
        }
        if state.closed {
            return false;
        }
        state.in_flight = state.in_flight.saturating_add(bytes);
        true
    }

    pub(super) fn release(&self, bytes: usize) {
        let mut state = self.lock();
        state.in_flight = state.in_flight.saturating_sub(bytes);
        if state.wake_at.is_some_and(|level| state.in_flight <= level) {
            self.freed.notify_all();
        }
    }

    pub(super) fn close(&self) {
        self.lock().closed = true;
        self.freed.notify_all();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BudgetState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn take_without_waiting_counts_only_what_fits() {
        let budget = Budget::new(10);
        assert!(budget.take(6, false));
        assert!(!budget.take(5, false), "11 bytes in a budget of 10");
        assert!(budget.take(4, false));
        budget.release(10);
        // Heavier than the whole budget: only alone.
        assert!(budget.take(1000, false));
        assert!(!budget.take(1, false));
        budget.release(1000);
        budget.close();
        assert!(!budget.take(1, false) && !budget.take(1, true));
    }

    /// Starts a thread that counts `bytes` in (by `acquire` or a waiting
    /// `take`) and says when it has.
    fn waiter(budget: &Arc<Budget>, bytes: usize, acquire: bool) -> mpsc::Receiver<bool> {
        let (done, counted) = mpsc::channel();
        let shared = Arc::clone(budget);
        std::thread::spawn(move || {
            let ok = if acquire {
                shared.acquire(bytes)
            } else {
                shared.take(bytes, true)
            };
            done.send(ok).unwrap();
        });
        // It has started waiting once the count of waits moves.
        let state = budget
            .freed
            .wait_while(budget.lock(), |s| s.waits == 0)
            .unwrap();
        drop(state);
        counted
    }

    #[test]
    fn a_waiting_take_goes_on_as_soon_as_its_bytes_fit() {
        let budget = Arc::new(Budget::new(10));
        assert!(budget.take(8, false));
        let counted = waiter(&budget, 4, false);
        budget.release(1);
        assert!(
            counted.recv_timeout(Duration::from_millis(100)).is_err(),
            "7 + 4 > 10"
        );
        budget.release(1);
        assert_eq!(counted.recv_timeout(Duration::from_secs(60)), Ok(true));
        assert_eq!(budget.lock().in_flight, 10);
    }

    #[test]
    fn a_waiting_reader_goes_on_when_the_budget_is_down_to_half() {
        let budget = Arc::new(Budget::new(10));
        assert!(budget.acquire(9));
        let counted = waiter(&budget, 2, true);
        budget.release(3);
        // 6 + 2 fit, but the reader waits for the budget to drain to 5.
        assert!(counted.recv_timeout(Duration::from_millis(100)).is_err());
        budget.release(1);
        assert_eq!(counted.recv_timeout(Duration::from_secs(60)), Ok(true));
        assert_eq!(budget.lock().in_flight, 7);
    }

    #[test]
    fn closing_wakes_a_waiter_without_counting_it_in() {
        let budget = Arc::new(Budget::new(10));
        assert!(budget.take(10, false));
        let counted = waiter(&budget, 5, false);
        budget.close();
        assert_eq!(counted.recv_timeout(Duration::from_secs(60)), Ok(false));
        assert_eq!(budget.lock().in_flight, 10);
    }
}
