//! The data files of `data/`: line lists, and the diagnostics that point
//! into any of them by file, line and column.

/// The entries of a line list (`data/roots.txt`, `data/abbreviations.txt`,
/// `data/top_level_domains.txt`): one entry a line, `#` starts a comment,
/// blank lines skipped. Yields each entry, trimmed, with its 1-based line.
pub(crate) fn entries(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.split('#').next().unwrap_or("").trim()))
        .filter(|(_, entry)| !entry.is_empty())
}

/// Top-level domains that mark `word.tld` as a web domain, lower case.
pub(crate) static TOP_LEVEL_DOMAINS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| {
        entries(include_str!("../data/top_level_domains.txt"))
            .map(|(_, tld)| tld)
            .collect()
    });

/// Whether `label` is a known top-level domain, ignoring ASCII case.
pub(crate) fn is_top_level_domain(label: &[u8]) -> bool {
    TOP_LEVEL_DOMAINS
        .iter()
        .any(|t| t.as_bytes().eq_ignore_ascii_case(label))
}

/// A problem in a data file (a lexicon, a boilerplate marker file): where
/// it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}:{line}:{column}: {message}")]
#[non_exhaustive]
pub struct Diagnostic {
    /// The file (or other origin) the text came from.
    pub origin: String,
    /// The 1-based line of the problem.
    pub line: usize,
    /// The 1-based column, in chars, of the problem.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at byte `offset` of `source`, which came from `origin`.
    pub(crate) fn at(
        origin: &str,
        source: &str,
        offset: usize,
        message: impl std::fmt::Display,
    ) -> Self {
        let (line, column) = line_column(source, offset);
        Diagnostic {
            origin: origin.to_owned(),
            line,
            column,
            message: message.to_string(),
        }
    }

    /// A diagnostic for a TOML parse error of `source`.
    pub(crate) fn from_toml(origin: &str, source: &str, error: &toml::de::Error) -> Self {
        let offset = error.span().map_or(0, |span| span.start);
        Diagnostic::at(origin, source, offset, error.message().trim())
    }
}

/// Line and column lookups in one source text that stay linear however
/// many there are: line starts are found once, and a lookup at or after
/// the previous one on the same line counts chars from there.
pub(crate) struct LineIndex<'s> {
    source: &'s str,
    /// Byte offset of each line's start.
    starts: Vec<usize>,
    /// The last lookup: (byte offset, its column).
    last: std::cell::Cell<(usize, usize)>,
}

impl<'s> LineIndex<'s> {
    pub(crate) fn new(source: &'s str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex {
            source,
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// The 1-based line of byte `offset`.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }

    /// The 1-based line and column (in chars) of byte `offset`, as
    /// [`line_column`] counts them.
    pub(crate) fn line_column(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line(offset);
        let line_start = self.starts[line - 1];
        let (last_offset, last_column) = self.last.get();
        let from = if last_offset >= line_start && last_offset <= offset {
            last_offset
        } else {
            line_start
        };
        #[cfg(test)]
        SCANNED.with(|n| n.set(n.get() + offset - from));
        let counted = self.source[from..offset].chars().count();
        let column = if from == line_start {
            counted + 1
        } else {
            last_column + counted
        };
        self.last.set((offset, column));
        (line, column)
    }

    /// A diagnostic at byte `offset`, from `origin`.
    pub(crate) fn diagnostic(
        &self,
        origin: &str,
        offset: usize,
        message: impl std::fmt::Display,
    ) -> Diagnostic {
        let (line, column) = self.line_column(offset);
        Diagnostic {
            origin: origin.to_owned(),
            line,
            column,
            message: message.to_string(),
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Bytes scanned on this thread to find lines and columns.
    pub(crate) static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The 1-based line and column (in chars) of byte `offset` in `source`.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    #[cfg(test)]
    SCANNED.with(|n| n.set(n.get() + offset));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_skip_comments_and_blanks_and_keep_line_numbers() {
        let text = "# heading\n\nsatu\n  dua  # note\n#\ntiga";
        let got: Vec<_> = entries(text).collect();
        assert_eq!(got, [(3, "satu"), (4, "dua"), (6, "tiga")]);
    }

    #[test]
    fn line_and_column_count_chars_and_survive_bad_offsets() {
        let source = "a = 1\nbé = x\n";
        // (byte offset, expected line and column)
        let cases = [
            (0, (1, 1)),
            (6, (2, 1)),
            (9, (2, 3)),
            (8, (2, 2)),
            (99, (3, 1)),
        ];
        for (offset, expected) in cases {
            assert_eq!(line_column(source, offset), expected, "{offset}");
        }
    }

    #[test]
    fn the_line_index_agrees_with_counting_from_the_start() {
        let source = "a = 1\nbé = x\n\nçç\nlast";
        let index = LineIndex::new(source);
        // In order, backwards and out of range.
        let offsets: Vec<usize> = (0..source.len() + 3)
            .chain((0..source.len()).rev())
            .collect();
        for offset in offsets {
            assert_eq!(
                index.line_column(offset),
                line_column(source, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn top_level_domains_are_one_lower_case_list() {
        assert!(is_top_level_domain(b"COM") && is_top_level_domain(b"id"));
        assert!(!is_top_level_domain(b"pdf"));
        assert!(
            TOP_LEVEL_DOMAINS
                .iter()
                .all(|t| *t == t.to_ascii_lowercase())
        );
    }
}
