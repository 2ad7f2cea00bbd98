//! Classifying batches and endless streams of articles, in parallel (with
//! the `parallel` feature) and in bounded memory.
//!
//! Items are taken from the input one chunk at a time and mapped in
//! parallel with rayon; results come out in input order. While one chunk is
//! being mapped, the next is read on another rayon thread, so reading and
//! mapping overlap; at most two chunks of input and one of output are alive,
//! however long the input. Without the `parallel` feature, the same calls
//! classify one article after another on the calling thread.

#[cfg(feature = "parallel")]
use rayon::prelude::*;

use crate::classify::{Article, Classifier};

/// Maps `input` through `f`, one item after another (no `parallel`
/// feature).
#[cfg(not(feature = "parallel"))]
fn par_map_ordered<I, R, F>(input: I, _chunk_size: usize, f: F) -> impl Iterator<Item = R>
where
    I: Iterator,
    F: Fn(I::Item) -> R,
{
    input.map(f)
}

/// Maps `input` through `f` in parallel, `chunk_size` items at a time,
/// yielding the results in input order.
#[cfg(feature = "parallel")]
fn par_map_ordered<I, R, F>(input: I, chunk_size: usize, f: F) -> impl Iterator<Item = R>
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

#[cfg(feature = "parallel")]
struct OrderedChunks<I: Iterator, R, F> {
    input: I,
    chunk_size: usize,
    f: F,
    /// The chunk read while the previous one was mapped; `None` before the
    /// first call.
    ahead: Option<Vec<I::Item>>,
    out: std::vec::IntoIter<R>,
}

#[cfg(feature = "parallel")]
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

#[cfg(feature = "parallel")]
fn read_chunk<I: Iterator>(input: &mut I, chunk_size: usize) -> Vec<I::Item> {
    // No capacity reserved up front: a huge chunk size must not allocate
    // before a single item is read.
    input.take(chunk_size).collect()
}

impl Classifier {
    /// Classifies a stream of texts in parallel, `chunk_size` at a time, and
    /// maps each input with its article through `f` on the worker thread,
    /// yielding the results in input order.
    ///
    /// `f` sees the article while it still borrows the input's text, so it
    /// can serialize or summarize it in parallel.
    ///
    /// ```
    /// let classifier = warta::Classifier::default();
    /// let texts = vec!["Satu.\n\nDua.".to_owned(), "Tiga.".to_owned()];
    /// let counts: Vec<usize> = classifier
    ///     .classify_stream(texts.into_iter(), 1024, |_, article| article.paragraphs.len())
    ///     .collect();
    /// assert_eq!(counts, [2, 1]);
    /// ```
    pub fn classify_stream<'c, I, T, R, F>(
        &'c self,
        input: I,
        chunk_size: usize,
        f: F,
    ) -> impl Iterator<Item = R> + 'c
    where
        I: Iterator<Item = T> + Send + 'c,
        T: AsRef<str> + Send,
        R: Send + 'c,
        F: Fn(&T, Article<'_>) -> R + Sync + Send + 'c,
    {
        par_map_ordered(input, chunk_size, move |item| {
            let article = self.classify(item.as_ref());
            f(&item, article)
        })
    }

    /// Classifies `texts` in parallel; the articles keep their order and
    /// borrow the texts.
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
            // No capacity is reserved before reading.
            (3, usize::MAX),
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
            .classify_stream(texts.into_iter(), 2, |_, a| {
                serde_json::to_string(&a).unwrap()
            })
            .collect();
        assert_eq!(batch, one_by_one);
        assert_eq!(stream, one_by_one);
    }
}
