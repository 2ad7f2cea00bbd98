//! Argument value parsers for the limits a user can set.

use clap::builder::RangedU64ValueParser;

/// The largest `--chunk`: a chunk's records are mapped together, and more
/// than this gives no more parallelism.
pub const MAX_CHUNK: u64 = 1_000_000;

/// The largest `--threads`: more threads than this only thrash.
pub const MAX_THREADS: u64 = 1024;

/// A parser for a count from `min` to `max`; clap's message names the range.
pub fn count(min: u64, max: u64) -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(min..=max)
}

/// Parses a size in bytes: a plain number, or one with a `K`, `M` or `G`
/// suffix (powers of 1024; `KiB`, `MiB`, `GiB` and `B` are accepted too).
pub fn parse_bytes(value: &str) -> Result<usize, String> {
    let trimmed = value.trim();
    let upper = trimmed.to_ascii_uppercase();
    let digits_end = upper
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(upper.len());
    let (number, suffix) = upper.split_at(digits_end);
    let shift = match suffix.trim() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => {
            return Err(format!(
                "`{trimmed}` is not a size (such as 65536, 512K, 256M, 2G)"
            ));
        }
    };
    let number: usize = number
        .parse()
        .map_err(|_| format!("`{trimmed}` is not a size (such as 65536, 512K, 256M, 2G)"))?;
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{trimmed}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_suffixes() {
        let cases = [
            ("65536", Ok(65536)),
            ("512K", Ok(512 << 10)),
            ("256m", Ok(256 << 20)),
            ("2GiB", Ok(2 << 30)),
            ("0", Ok(0)),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_bytes(input), expected, "{input}");
        }
        for bad in ["", "M", "-1", "1.5G", "12T", "99999999999999999999999G"] {
            assert!(parse_bytes(bad).is_err(), "{bad}");
        }
        // The CLI's written default for --max-line-bytes is the library's.
        assert_eq!(parse_bytes("64M"), Ok(warta::jsonl::DEFAULT_MAX_LINE_BYTES));
    }
}
