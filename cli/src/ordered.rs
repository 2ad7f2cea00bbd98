//! Ordered parallel mapping in bounded memory, for the streaming loop.
//!
//! Items are taken from the input one chunk at a time and mapped in
//! parallel with rayon; results come out in input order. While one chunk is
//! being mapped, the next is read on another rayon thread, so reading and
//! mapping overlap; at most two chunks of input and one of output are alive,
//! however long the input.

use rayon::prelude::*;

/// Maps `input` through `f` in parallel, `chunk_size` items at a time,
/// yielding the results in input order.
pub fn par_map_ordered<I, R, F>(input: I, chunk_size: usize, f: F) -> impl Iterator<Item = R>
where
    I: Iterator + Send,
    I::Item: Send,
    R: Send,
    F: Fn(I::Item) -> R + Sync + Send,
{
    OrderedChunks {
        input,
        chunk_size: chunk_size.max(1),
        f,
        ahead: None,
        out: Vec::new().into_iter(),
    }
}

struct OrderedChunks<I: Iterator, R, F> {
    input: I,
    chunk_size: usize,
    f: F,
    /// The chunk read while the previous one was mapped; `None` before the
    /// first call.
    ahead: Option<Vec<I::Item>>,
    out: std::vec::IntoIter<R>,
}

impl<I, R, F> Iterator for OrderedChunks<I, R, F>
where
    I: Iterator + Send,
    I::Item: Send,
    R: Send,
    F: Fn(I::Item) -> R + Sync + Send,
{
    type Item = R;

    fn next(&mut self) -> Option<R> {
        if let Some(result) = self.out.next() {
            return Some(result);
        }
        let chunk_size = self.chunk_size;
        let chunk = match self.ahead.take() {
            Some(chunk) => chunk,
            None => read_chunk(&mut self.input, chunk_size),
        };
        if chunk.is_empty() {
            return None;
        }
        let (f, input) = (&self.f, &mut self.input);
        let (results, ahead) = rayon::join(
            // Split down to single records: otherwise the last runs of a
            // chunk (tens of records) are left to one worker while the
            // others sleep until the next chunk.
            || {
                chunk
                    .into_par_iter()
                    .with_max_len(1)
                    .map(f)
                    .collect::<Vec<R>>()
            },
            || read_chunk(input, chunk_size),
        );
        self.ahead = Some(ahead);
        self.out = results.into_iter();
        self.out.next()
    }
}

fn read_chunk<I: Iterator>(input: &mut I, chunk_size: usize) -> Vec<I::Item> {
    let mut chunk = Vec::with_capacity(chunk_size);
    chunk.extend(input.take(chunk_size));
    chunk
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_count_are_kept_for_every_chunk_size() {
        // (items, chunk size)
        let cases = [
            (0, 3),
            (1, 1),
            (5, 1),
            (7, 3),
            (9, 3),
            (1000, 7),
            (10, 0),
            (10, 100),
        ];
        for (n, chunk) in cases {
            let got: Vec<usize> = par_map_ordered(0..n, chunk, |i| i * 2).collect();
            let expected: Vec<usize> = (0..n).map(|i| i * 2).collect();
            assert_eq!(got, expected, "n={n} chunk={chunk}");
        }
    }

    #[test]
    fn input_is_read_at_most_one_chunk_ahead() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let read = AtomicUsize::new(0);
        let input = (0..100).inspect(|_| {
            read.fetch_add(1, Ordering::Relaxed);
        });
        let mut out = par_map_ordered(input, 10, |i| i);
        for taken in 1..=100usize {
            assert_eq!(out.next(), Some(taken - 1));
            let chunks_started = taken.div_ceil(10);
            let read = read.load(Ordering::Relaxed);
            assert!(
                read <= (chunks_started + 1) * 10,
                "read {read} after taking {taken}"
            );
        }
        assert_eq!(out.next(), None);
    }
}
