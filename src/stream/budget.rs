//! Bytes read and not yet consumed, shared by whoever reads (a reader
//! thread, or workers that read their own items) and the consumer.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// A budget of bytes in flight. Those who read wait for room: the reader
/// thread of [`map_ordered`](super::map_ordered), or the worker threads of
/// [`map_pulled`](super::map_pulled), several at a time.
pub(super) struct Budget {
    pub(super) state: Mutex<BudgetState>,
    pub(super) freed: Condvar,
    limit: usize,
}

#[derive(Default)]
pub(super) struct BudgetState {
    pub(super) in_flight: usize,
    /// The highest level at or below which a waiting thread can go on;
    /// `None` when no thread waits.
    wake_at: Option<usize>,
    /// The consumer is gone: nothing more is counted in.
    closed: bool,
    /// How many times a thread has started to wait for room (tests only).
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
        let mut state = self.lock();
        let level = self.room_for(bytes);
        if state.in_flight > level {
            state = self.wait_down_to(state, level.min(self.limit / 2));
        }
        if state.closed {
            return false;
        }
        state.in_flight = state.in_flight.saturating_add(bytes);
        true
    }

    /// Counts `bytes` in if they fit (or nothing is in flight); `false`
    /// when they were not counted: they did not fit, or the budget was
    /// closed.
    pub(super) fn take(&self, bytes: usize) -> bool {
        let mut state = self.lock();
        if state.closed || state.in_flight > self.room_for(bytes) {
            return false;
        }
        state.in_flight = state.in_flight.saturating_add(bytes);
        true
    }

    /// Waits until `bytes` more would fit, without counting them in (a
    /// [`Budget::take`] may still find them not fitting, when another
    /// thread took the room first); `false` when the budget is closed.
    pub(super) fn wait_for_room(&self, bytes: usize) -> bool {
        let state = self.wait_down_to(self.lock(), self.room_for(bytes));
        !state.closed
    }

    /// The most bytes that may be in flight for `bytes` more to fit: an
    /// item heavier than the whole budget fits only when nothing is.
    fn room_for(&self, bytes: usize) -> usize {
        self.limit.saturating_sub(bytes)
    }

    /// Waits until the bytes in flight are down to `level`, or the budget
    /// is closed.
    fn wait_down_to<'s>(
        &'s self,
        mut state: MutexGuard<'s, BudgetState>,
        level: usize,
    ) -> MutexGuard<'s, BudgetState> {
        #[cfg(test)]
        if !state.closed && state.in_flight > level {
            state.waits += 1;
            self.freed.notify_all();
        }
        while !state.closed && state.in_flight > level {
            // A release wakes every waiter once the highest level is
            // reached; those whose level is lower say theirs again.
            state.wake_at = Some(state.wake_at.map_or(level, |at| at.max(level)));
            state = self
                .freed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state
    }

    pub(super) fn release(&self, bytes: usize) {
        let mut state = self.lock();
        state.in_flight = state.in_flight.saturating_sub(bytes);
        if state.wake_at.is_some_and(|level| state.in_flight <= level) {
            state.wake_at = None;
            self.freed.notify_all();
        }
    }

    /// Whether the consumer is gone: nothing more is counted in.
    pub(super) fn is_closed(&self) -> bool {
        self.lock().closed
    }

    pub(super) fn close(&self) {
        self.lock().closed = true;
        self.freed.notify_all();
    }

    fn lock(&self) -> MutexGuard<'_, BudgetState> {
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
    fn take_counts_only_what_fits() {
        let budget = Budget::new(10);
        assert!(budget.take(6));
        assert!(!budget.take(5), "11 bytes in a budget of 10");
        assert!(budget.take(4));
        budget.release(10);
        // Heavier than the whole budget: only alone.
        assert!(budget.take(1000));
        assert!(!budget.take(1));
        budget.release(1000);
        budget.close();
        assert!(!budget.take(1) && !budget.wait_for_room(1));
    }

    /// Starts a thread that waits for room for `bytes` (with `acquire`,
    /// counting them in) and says when it is done; returns once it waits.
    fn waiter(budget: &Arc<Budget>, bytes: usize, acquire: bool) -> mpsc::Receiver<bool> {
        let (done, counted) = mpsc::channel();
        let shared = Arc::clone(budget);
        let waits = budget.lock().waits;
        std::thread::spawn(move || {
            let ok = if acquire {
                shared.acquire(bytes)
            } else {
                shared.wait_for_room(bytes)
            };
            done.send(ok).unwrap();
        });
        // It has started waiting once the count of waits moves.
        let state = budget
            .freed
            .wait_while(budget.lock(), |s| s.waits == waits)
            .unwrap();
        drop(state);
        counted
    }

    #[test]
    fn a_wait_for_room_ends_as_soon_as_the_bytes_fit() {
        let budget = Arc::new(Budget::new(10));
        assert!(budget.take(8));
        let fits = waiter(&budget, 4, false);
        budget.release(1);
        assert!(
            fits.recv_timeout(Duration::from_millis(100)).is_err(),
            "7 + 4 > 10"
        );
        budget.release(1);
        assert_eq!(fits.recv_timeout(Duration::from_secs(60)), Ok(true));
        // Waiting counts nothing in.
        assert_eq!(budget.lock().in_flight, 6);
    }

    #[test]
    fn waiters_for_different_room_each_go_on_at_their_own_level() {
        let budget = Arc::new(Budget::new(10));
        assert!(budget.take(10));
        let small = waiter(&budget, 2, false);
        let large = waiter(&budget, 6, false);
        budget.release(1);
        assert!(small.recv_timeout(Duration::from_millis(100)).is_err());
        budget.release(1);
        assert_eq!(small.recv_timeout(Duration::from_secs(60)), Ok(true));
        assert!(
            large.recv_timeout(Duration::from_millis(100)).is_err(),
            "8 + 6 > 10"
        );
        budget.release(4);
        assert_eq!(large.recv_timeout(Duration::from_secs(60)), Ok(true));
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
    fn closing_wakes_a_waiter() {
        let budget = Arc::new(Budget::new(10));
        assert!(budget.take(10));
        let fits = waiter(&budget, 5, false);
        let counted = waiter(&budget, 5, true);
        budget.close();
        assert_eq!(fits.recv_timeout(Duration::from_secs(60)), Ok(false));
        assert_eq!(counted.recv_timeout(Duration::from_secs(60)), Ok(false));
        assert_eq!(budget.lock().in_flight, 10);
    }
}
