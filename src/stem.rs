//! Stage 3: Indonesian stemming.
//!
//! A confix-stripping stemmer in the Nazief–Adriani / Enhanced Confix
//! Stripping family, validated against a root list we wrote ourselves
//! (`data/roots.txt`), with conservative rules for words whose root is not
//! in the list.
//!
//! Input is one word; its ASCII capitals are folded first. Words that are not then
//! made only of ASCII letters `a`–`z` (with at most one inner hyphen), or
//! that are longer than [`MAX_WORD_BYTES`] bytes, are returned unchanged
//! (in lower case): numbers, codes and foreign scripts are not Indonesian
//! affixed words.
//!
//! The steps, in order; the first candidate found in the root list wins:
//!
//! 1. A word in the root list is its own stem: `pemilu`, `pegawai`,
//!    `bupati`, `disiplin`, `relawan` (a lexeme, not `rela` + `-wan`),
//!    `pemerintah` (government, kept apart from `perintah`, an order).
//!    Adverbs made with the confix se-…-nya (`sebaiknya`) are kept whole.
//! 2. Reduplication `a-b`: both halves are stemmed; when they agree the
//!    common stem is returned (`kawan-kawan`, `ditawar-tawar` → `tawar`,
//!    `tembak-menembak` → `tembak`), otherwise the word is kept whole
//!    (`hiruk-pikuk`, `sayur-mayur`: rhyming compounds are their own
//!    lexemes). A meN- left half is matched against its nasalized twin
//!    (`memanggil-manggil` → `panggil`).
//! 3. Suffixes, outermost first: particle (`-lah -kah -tah -pun`), then
//!    possessive (`-nya -ku -mu`), then derivational (`-kan -an -i`); each
//!    bare remainder is looked up. A word ending in `-kan` is read as
//!    root-final `k` + `-an` before `-kan` (`gerakan` → `gerak`).
//! 4. Prefixes, up to three deep (`di- ke- se- ber- ter- per- meN- peN-`
//!    and the proclitics `ku- kau-`), with the meN-/peN- morphophonemics
//!    undone (`menegur` → `tegur`, `memukul` → `pukul`, `menyapu` → `sapu`,
//!    `mengomentari` → `komentar`, `mengkampanyekan` → `kampanye`). A word
//!    ending in `-an` (`-kan` included) loses it first, checked by the
//!    forbidden confixes `be-i di-an ke-i ke-kan me-an se-i se-kan ter-an`
//!    (`memakan` is not me-pak-an, so `makan`); any other word keeps its
//!    ending first, so a root ending in a particle, possessive or `-i`
//!    wins (`bermasalah` → `masalah`, `membeli` → `beli`).
//! 5. No root found: `-pun` and `-nya` are stripped, then one prefix
//!    (`di-`, meN-, `ber-`, `ter-`) with a suffix it combines with or none,
//!    or a confix (`peN-…-an`, `per-…-an`, `ke-…-an`, and the two-letter
//!    `me- be- te-` with a suffix), when the rest looks like a root of at
//!    least [`MIN_FALLBACK_STEM`] letters (plausible first and last
//!    letters; `-i` kept after `s`). Anything else (loan words, names) is
//!    kept.
//!
//! Spelling variants are separate roots (`himbauan` → `himbau`,
//! `imbauan` → `imbau`): a lexicon lists both.
//!
//! [`Stemmer`] wraps [`stem`] in a bounded cache for streams of words.
//!
//! ```
//! use warta::stem::{Stemmer, stem};
//!
//! assert_eq!(stem("mengkampanyekannya"), "kampanye");
//! assert_eq!(stem("pemilu"), "pemilu");
//! let mut stemmer = Stemmer::new();
//! assert_eq!(stemmer.stem("pelanggaran"), "langgar");
//! ```

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::data;
use crate::fxhash::FxBuildHasher;

/// Longest word, in bytes, that is stemmed; longer words are returned as is.
pub const MAX_WORD_BYTES: usize = 40;

/// Fewest letters a rule-only (not root-validated) stem may keep.
pub const MIN_FALLBACK_STEM: usize = 4;

/// Most prefixes stripped from one word (`di-per-ber-…` never goes deeper).
const MAX_PREFIXES: usize = 3;

/// Entries the [`Stemmer`] cache holds before it is cleared.
const CACHE_CAPACITY: usize = 1 << 17;

static ROOTS: LazyLock<HashSet<&'static str, FxBuildHasher>> =
    LazyLock::new(|| parse_roots(include_str!("../data/roots.txt")).collect());

/// Entries of a root list: one word per line, `#` starts a comment.
fn parse_roots(text: &str) -> impl Iterator<Item = &str> {
    data::entries(text).map(|(_, entry)| entry)
}

/// Whether `word` is in the root list.
fn is_root(word: &str) -> bool {
    ROOTS.contains(word)
}

/// Stems one word, folding its ASCII capitals first (`Berkampanye` →
/// `kampanye`).
///
/// Returns a slice of `word` when the stem is part of it, an owned string
/// when the word had capitals or a meN-/peN- nasal had to be turned back
/// into the root's first consonant (`memukul` → `pukul`). A word that is
/// not an Indonesian affixed word (see the module docs) comes back as it
/// is, in lower case.
///
/// ```
/// use warta::stem::stem;
///
/// assert_eq!(stem("memukul"), "pukul");
/// assert_eq!(stem("Berkampanye"), "kampanye");
/// assert_eq!(stem("PEMILU"), "pemilu");
/// assert_eq!(stem("2024"), "2024");
/// ```
pub fn stem(word: &str) -> Cow<'_, str> {
    // Only ASCII capitals can fold into a stemmable word, and folding
    // them keeps the length.
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        let lower = word.to_ascii_lowercase();
        return Cow::Owned(stem_lower(&lower).into_owned());
    }
    stem_lower(word)
}

/// Stems one word in lower case.
fn stem_lower(word: &str) -> Cow<'_, str> {
    if !is_stemmable(word) {
        return Cow::Borrowed(word);
    }
    match word.split_once('-') {
        Some((left, right)) => {
            let left_stem = stem_single(left);
            let same = |right_stem: &str| left_stem.text() == right_stem;
            if same(&stem_single(right).text()) || nasal_twin(left, right).is_some_and(|s| same(&s))
            {
                left_stem.text()
            } else {
                Cow::Borrowed(word)
            }
        }
        None => stem_single(word).text(),
    }
}

/// The stem of the right half of a meN-/peN- reduplication, which repeats
/// the nasalized root without its prefix (memanggil-manggil,
/// meniru-nirukan).
fn nasal_twin(left: &str, right: &str) -> Option<String> {
    let prefix = left.get(..2).filter(|p| *p == "me" || *p == "pe")?;
    Some(stem_single(&[prefix, right].concat()).text().into_owned())
}

/// Lower-case ASCII letters, at most one hyphen between two letter runs.
fn is_stemmable(word: &str) -> bool {
    let halves_ok = |half: &str| !half.is_empty() && half.bytes().all(|b| b.is_ascii_lowercase());
    word.len() <= MAX_WORD_BYTES
        && match word.split_once('-') {
            Some((left, right)) => halves_ok(left) && halves_ok(right),
            None => halves_ok(word),
        }
}

/// A candidate stem: an optional restored first consonant and a slice of
/// the input word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Piece<'a> {
    head: &'static str,
    tail: &'a str,
}

impl<'a> Piece<'a> {
    fn slice(tail: &'a str) -> Self {
        Piece { head: "", tail }
    }

    fn len(&self) -> usize {
        self.head.len() + self.tail.len()
    }

    /// The candidate's text, written into `buf`.
    fn write<'b>(&self, buf: &'b mut [u8; MAX_WORD_BYTES]) -> &'b str {
        let len = self.len().min(MAX_WORD_BYTES);
        let (head, tail) = (self.head.as_bytes(), self.tail.as_bytes());
        for (slot, byte) in buf.iter_mut().zip(head.iter().chain(tail)) {
            *slot = *byte;
        }
        std::str::from_utf8(&buf[..len]).unwrap_or("")
    }

    fn text(&self) -> Cow<'a, str> {
        if self.head.is_empty() {
            Cow::Borrowed(self.tail)
        } else {
            Cow::Owned([self.head, self.tail].concat())
        }
    }

    fn is_root(&self) -> bool {
        let mut buf = [0; MAX_WORD_BYTES];
        is_root(self.write(&mut buf))
    }

    /// Drops the first `n` bytes of the candidate's text; `n` covers the
    /// head, since every prefix is longer than a restored consonant.
    fn drop_front(&self, n: usize, restore: &'static str) -> Option<Self> {
        let tail = self.tail.get(n.checked_sub(self.head.len())?..)?;
        Some(Piece {
            head: restore,
            tail,
        })
    }
}

/// Derivational suffixes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Suffix {
    Kan,
    An,
    I,
}

/// Derivational prefixes and proclitics.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Prefix {
    Di,
    Ke,
    Se,
    Ber,
    Ter,
    Per,
    Me,
    Pe,
    Ku,
    Kau,
}

impl Prefix {
    /// Prefixes that only ever stand first in a word.
    fn is_outermost_only(self) -> bool {
        matches!(self, Prefix::Di | Prefix::Me | Prefix::Ku | Prefix::Kau)
    }

    /// Nazief–Adriani's forbidden prefix–suffix pairs.
    fn allows(self, suffix: Option<Suffix>) -> bool {
        !matches!(
            (self, suffix),
            (Prefix::Ber, Some(Suffix::I))
                | (Prefix::Di, Some(Suffix::An))
                | (Prefix::Ke, Some(Suffix::I | Suffix::Kan))
                | (Prefix::Me, Some(Suffix::An))
                | (Prefix::Se, Some(Suffix::I | Suffix::Kan))
                | (Prefix::Ter, Some(Suffix::An))
        )
    }
}

/// One way to read the start of a word as a prefix: the prefix, how many
/// bytes it covers, and the consonant its nasal replaced.
#[derive(Clone, Copy, Debug)]
struct Reading {
    prefix: Prefix,
    len: usize,
    restore: &'static str,
}

/// Up to four readings of a word's prefix, most likely first.
#[derive(Default)]
struct Readings {
    items: [Option<Reading>; 4],
    count: usize,
}

impl Readings {
    fn push(&mut self, prefix: Prefix, len: usize, restore: &'static str) {
        if let Some(slot) = self.items.get_mut(self.count) {
            *slot = Some(Reading {
                prefix,
                len,
                restore,
            });
            self.count += 1;
        }
    }

    fn iter(&self) -> impl Iterator<Item = Reading> + '_ {
        self.items.iter().flatten().copied()
    }
}

fn is_vowel(byte: u8) -> bool {
    matches!(byte, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The possible prefix readings of `word`.
fn prefix_readings(word: &str) -> Readings {
    let mut out = Readings::default();
    let at = |i: usize| word.as_bytes().get(i).copied().unwrap_or(0);
    let starts = |p: &str| word.starts_with(p);
    if starts("di") {
        out.push(Prefix::Di, 2, "");
    } else if starts("ke") {
        out.push(Prefix::Ke, 2, "");
        if starts("kau") {
            out.push(Prefix::Kau, 3, "");
        }
    } else if starts("ku") {
        out.push(Prefix::Ku, 2, "");
    } else if starts("se") {
        out.push(Prefix::Se, 2, "");
    } else if starts("kau") {
        out.push(Prefix::Kau, 3, "");
    } else if starts("be") {
        if starts("belajar") {
            out.push(Prefix::Ber, 3, "");
        } else if starts("ber") {
            out.push(Prefix::Ber, 3, "");
            out.push(Prefix::Ber, 2, "");
        } else {
            out.push(Prefix::Ber, 2, "");
        }
    } else if starts("ter") {
        out.push(Prefix::Ter, 3, "");
        out.push(Prefix::Ter, 2, "");
    } else if starts("me") {
        nasal_readings(&mut out, Prefix::Me, at(2), at(3), at(4));
    } else if starts("pe") {
        if starts("pelajar") {
            out.push(Prefix::Per, 3, "");
        } else if starts("per") {
            out.push(Prefix::Per, 3, "");
            out.push(Prefix::Per, 2, "");
        } else {
            nasal_readings(&mut out, Prefix::Pe, at(2), at(3), at(4));
        }
    }
    out
}

/// meN-/peN- readings; `c2 c3 c4` are the letters after `me`/`pe`.
fn nasal_readings(out: &mut Readings, prefix: Prefix, c2: u8, c3: u8, c4: u8) {
    match (c2, c3) {
        (b'n', b'g') => {
            if is_vowel(c4) {
                out.push(prefix, 4, "");
                out.push(prefix, 4, "k");
            } else if c4 != 0 {
                // meng-/peng- before g h k q x, and before other consonants
                // in non-standard spellings (pengrusakan).
                out.push(prefix, 4, "");
            }
            if c4 == b'e' {
                // menge-/penge- before one-syllable roots: mengebom, pengecat.
                out.push(prefix, 5, "");
            }
            out.push(prefix, 2, "");
        }
        (b'n', b'y') => {
            if is_vowel(c4) {
                out.push(prefix, 4, "s");
            }
            out.push(prefix, 2, "");
        }
        (b'n', c) if is_vowel(c) => {
            out.push(prefix, 3, "t");
            out.push(prefix, 2, "");
        }
        (b'n', b'c' | b'd' | b'j' | b'z' | b's' | b't') => out.push(prefix, 3, ""),
        (b'm', c) if is_vowel(c) => {
            out.push(prefix, 3, "p");
            out.push(prefix, 2, "");
        }
        (b'm', b'b' | b'f' | b'v' | b'p') => out.push(prefix, 3, ""),
        (b'l' | b'r' | b'w' | b'y' | b'm' | b'n', _) => out.push(prefix, 2, ""),
        // pe- before other consonants: pekerja, petani, pegawai.
        (c, _) if prefix == Prefix::Pe && c != 0 && !is_vowel(c) => out.push(prefix, 2, ""),
        _ => {}
    }
}

/// Strips `suffix` when at least `min` bytes remain.
fn strip<'a>(word: &'a str, suffix: &str, min: usize) -> Option<&'a str> {
    word.strip_suffix(suffix).filter(|rest| rest.len() >= min)
}

fn strip_particle(word: &str) -> Option<&str> {
    ["lah", "kah", "tah", "pun"]
        .iter()
        .find_map(|p| strip(word, p, 2))
}

fn strip_possessive(word: &str) -> Option<&str> {
    ["nya", "ku", "mu"].iter().find_map(|p| strip(word, p, 2))
}

/// Derivational readings of `word`'s end, most likely first: a `-kan` word
/// is read as root-final `k` + `-an` before `-kan`.
fn derivational_readings(word: &str) -> [Option<(&str, Suffix)>; 2] {
    if word.ends_with("kan") {
        [
            strip(word, "an", 3).map(|rest| (rest, Suffix::An)),
            strip(word, "kan", 2).map(|rest| (rest, Suffix::Kan)),
        ]
    } else if let Some(rest) = strip(word, "an", 2) {
        [Some((rest, Suffix::An)), None]
    } else {
        [strip(word, "i", 2).map(|rest| (rest, Suffix::I)), None]
    }
}

/// A root reached by stripping prefixes from `piece`, if any; `used` are
/// the prefixes already stripped, outermost first.
fn strip_prefixes<'a>(
    piece: Piece<'a>,
    used: &[Prefix],
    suffix: Option<Suffix>,
) -> Option<Piece<'a>> {
    if used.len() >= MAX_PREFIXES {
        return None;
    }
    let mut buf = [0; MAX_WORD_BYTES];
    let text = piece.write(&mut buf);
    for reading in prefix_readings(text).iter() {
        if used.contains(&reading.prefix)
            || (!used.is_empty() && reading.prefix.is_outermost_only())
        {
            continue;
        }
        let Some(rest) = piece
            .drop_front(reading.len, reading.restore)
            .filter(|rest| rest.len() >= 3)
        else {
            continue;
        };
        let outer = used.first().copied().unwrap_or(reading.prefix);
        if rest.is_root() && outer.allows(suffix) {
            return Some(rest);
        }
        let mut deeper = [reading.prefix; MAX_PREFIXES];
        deeper[..used.len()].copy_from_slice(used);
        if let Some(found) = strip_prefixes(rest, &deeper[..=used.len()], suffix) {
            return Some(found);
        }
    }
    None
}

fn prefixed_root(word: &str, suffix: Option<Suffix>) -> Option<Piece<'_>> {
    strip_prefixes(Piece::slice(word), &[], suffix)
}

/// Adverbs made with the confix se-…-nya (sebaiknya, selanjutnya) are
/// lexemes of their own, not inflections of their root.
fn is_se_nya_adverb(word: &str) -> bool {
    word.strip_prefix("se")
        .and_then(|w| w.strip_suffix("nya"))
        .is_some_and(is_root)
}

/// Stems a word without hyphens.
fn stem_single(word: &str) -> Piece<'_> {
    if is_root(word) || is_se_nya_adverb(word) {
        return Piece::slice(word);
    }
    let no_particle = strip_particle(word).unwrap_or(word);
    let inflected = strip_possessive(no_particle).unwrap_or(no_particle);
    let derived = derivational_readings(inflected);
    let bare = [Some(no_particle), Some(inflected)]
        .into_iter()
        .chain(derived.iter().map(|d| d.map(|(rest, _)| rest)))
        .flatten();
    for candidate in bare {
        if is_root(candidate) {
            return Piece::slice(candidate);
        }
    }
    let with_suffix = || {
        derived
            .iter()
            .flatten()
            .find_map(|&(rest, suffix)| prefixed_root(rest, Some(suffix)))
    };
    let unsuffixed = || {
        [word, no_particle, inflected]
            .into_iter()
            .find_map(|w| prefixed_root(w, None))
    };
    // `-kan`/`-an` are stripped before prefixes, checked by the forbidden
    // confixes (memakan: me-an is forbidden, so makan, not pak); a root
    // ending in a particle, possessive or `-i` is preferred over stripping
    // it (bermasalah: masalah; membeli: beli, not bel).
    let found = if inflected.ends_with("an") {
        with_suffix().or_else(unsuffixed)
    } else {
        unsuffixed().or_else(with_suffix)
    };
    found.unwrap_or_else(|| fallback(word))
}

/// Rule-only stem of a word whose root is not in the list: `-pun` and
/// `-nya` are stripped (other particles and possessives end many roots:
/// istilah, ilmu), then one prefix with a suffix it combines with.
fn fallback(word: &str) -> Piece<'_> {
    let word = strip(word, "pun", 3).unwrap_or(word);
    let word = strip(word, "nya", 3).unwrap_or(word);
    let readings = prefix_readings(word);
    let Some(reading) = readings.iter().next() else {
        return Piece::slice(word);
    };
    // Two-letter me-/be-/pe-/te- and the agentive peN- start many names
    // and loan words (Merauke, Bengkulu, penalti); they need a suffix too.
    let needs_suffix = reading.len == 2 && reading.prefix != Prefix::Di;
    let suffixes: &[&str] = match (reading.prefix, needs_suffix) {
        (Prefix::Di | Prefix::Me | Prefix::Ter, false) => &["kan", "i", ""],
        (Prefix::Di | Prefix::Me | Prefix::Ter, true) => &["kan", "i"],
        (Prefix::Ber, false) => &["kan", "an", ""],
        (Prefix::Ber, true) => &["kan", "an"],
        (Prefix::Pe | Prefix::Ke | Prefix::Per, _) => &["an"],
        (Prefix::Se | Prefix::Ku | Prefix::Kau, _) => &[],
    };
    let Some(rest) = Piece::slice(word).drop_front(reading.len, reading.restore) else {
        return Piece::slice(word);
    };
    suffixes
        .iter()
        .find_map(|suffix| {
            let tail = rest.tail.strip_suffix(suffix)?;
            // Loan words end in -si (informasi); Tala's rule keeps their -i.
            if *suffix == "i" && tail.ends_with('s') {
                return None;
            }
            let piece = Piece {
                head: rest.head,
                tail,
            };
            let mut buf = [0; MAX_WORD_BYTES];
            let ok = piece.len() >= MIN_FALLBACK_STEM && is_plausible_root(piece.write(&mut buf));
            ok.then_some(piece)
        })
        .unwrap_or(Piece::slice(word))
}

/// Whether `text` starts like an Indonesian root (a vowel, a consonant and
/// a vowel, or a cluster roots begin with), has a vowel, and does not end
/// in two consonants other than `ng` (pelanggan must not become langg).
fn is_plausible_root(text: &str) -> bool {
    const CLUSTERS: [&str; 19] = [
        "bl", "br", "dr", "fl", "fr", "gl", "gr", "kh", "kl", "kr", "ng", "ny", "pl", "pr", "sk",
        "sp", "st", "sy", "tr",
    ];
    let bytes = text.as_bytes();
    let onset_ok = match bytes {
        [first, second, ..] => {
            is_vowel(*first) || is_vowel(*second) || CLUSTERS.iter().any(|c| text.starts_with(c))
        }
        _ => false,
    };
    let coda_ok = match bytes {
        [.., a, b] => is_vowel(*a) || is_vowel(*b) || (*a, *b) == (b'n', b'g'),
        _ => false,
    };
    onset_ok && coda_ok && bytes.iter().copied().any(is_vowel)
}

/// A stemmer with a cache, for streams of words.
///
/// The cache holds at most 131,072 words (or the capacity given
/// to [`Stemmer::with_capacity`]) and is cleared when it is full, so memory
/// stays flat (about 12 MB at the default capacity) over any number of
/// articles, while the working vocabulary of news stays cached.
#[derive(Debug)]
pub struct Stemmer {
    /// Word → position of its stem in `stems`; two tables so a cache hit
    /// is one hash lookup (a map of stems cannot be read, then written, in
    /// one borrow).
    index: HashMap<Box<str>, usize, FxBuildHasher>,
    stems: Vec<Box<str>>,
    capacity: usize,
}

impl Default for Stemmer {
    fn default() -> Self {
        Self::with_capacity(CACHE_CAPACITY)
    }
}

impl Stemmer {
    /// Creates a stemmer with an empty cache of 131,072 words.
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates a stemmer whose cache is cleared when it holds `capacity`
    /// words (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        Stemmer {
            index: HashMap::default(),
            stems: Vec::new(),
            capacity: capacity.max(1),
        }
    }

    /// Stems one word, as [`stem`] does (folding its case), caching the
    /// result.
    pub fn stem(&mut self, word: &str) -> &str {
        let position = match self.index.get(word) {
            Some(&position) => position,
            None => {
                if self.stems.len() >= self.capacity {
                    self.index.clear();
                    self.stems.clear();
                }
                self.stems.push(stem(word).into());
                self.index.insert(word.into(), self.stems.len() - 1);
                self.stems.len() - 1
            }
        };
        self.stems.get(position).map_or("", |s| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (word, expected stem), one row per rule or known failure mode.
    const CASES: &[(&str, &str)] = &[
        // Roots are never stemmed further.
        ("pemilu", "pemilu"),
        ("pegawai", "pegawai"),
        ("bupati", "bupati"),
        ("disiplin", "disiplin"),
        ("relawan", "relawan"),
        ("pemerintah", "pemerintah"),
        ("netralitas", "netralitas"),
        ("perempuan", "perempuan"),
        // meN- morphophonemics.
        ("menegur", "tegur"),
        ("mengomentari", "komentar"),
        ("memukul", "pukul"),
        ("menyapu", "sapu"),
        ("mengkampanyekan", "kampanye"),
        ("membaca", "baca"),
        ("mendengar", "dengar"),
        ("menulis", "tulis"),
        ("mengambil", "ambil"),
        ("mengirim", "kirim"),
        ("melihat", "lihat"),
        ("merasa", "rasa"),
        ("menyanyi", "nyanyi"),
        ("mengebom", "bom"),
        ("menangis", "tangis"),
        ("mempunyai", "punya"),
        ("memperbaiki", "baik"),
        ("mengetahui", "tahu"),
        // peN- morphophonemics.
        ("pemukul", "pukul"),
        ("penulis", "tulis"),
        ("penyapu", "sapu"),
        ("pengirim", "kirim"),
        ("pelapor", "lapor"),
        ("pengeboman", "bom"),
        ("pengawasan", "awas"),
        // Other prefixes and proclitics.
        ("berkampanye", "kampanye"),
        ("bermain", "main"),
        ("belajar", "ajar"),
        ("bekerja", "kerja"),
        ("berenang", "renang"),
        ("terpilih", "pilih"),
        ("dipilih", "pilih"),
        ("kenetralan", "netral"),
        ("keberpihakan", "pihak"),
        ("diberhentikan", "henti"),
        ("sebuah", "buah"),
        ("kubaca", "baca"),
        ("kaulihat", "lihat"),
        // Suffixes, and the choice between them.
        ("berikan", "beri"),
        ("gerakan", "gerak"),
        ("perbankan", "bank"),
        ("mengatakan", "kata"),
        ("memakan", "makan"),
        ("membeli", "beli"),
        ("menilai", "nilai"),
        ("bermasalah", "masalah"),
        ("bertemu", "temu"),
        ("kenaikan", "naik"),
        // Particles and possessives.
        ("benarkah", "benar"),
        ("apatah", "apa"),
        ("siapapun", "siapa"),
        ("bajumu", "baju"),
        ("kulitkupun", "kulit"),
        ("sanksinya", "sanksi"),
        // One stem for all inflections of a word.
        ("kampanye", "kampanye"),
        ("kampanyenya", "kampanye"),
        ("dikampanyekan", "kampanye"),
        ("mengkampanyekannya", "kampanye"),
        ("laporan", "lapor"),
        ("dilaporkan", "lapor"),
        ("melaporkan", "lapor"),
        ("pelaporan", "lapor"),
        ("pilih", "pilih"),
        ("memilih", "pilih"),
        ("pemilih", "pilih"),
        ("pemilihan", "pilih"),
        ("pihak", "pihak"),
        ("memihak", "pihak"),
        ("berpihak", "pihak"),
        ("langgar", "langgar"),
        ("melanggar", "langgar"),
        ("pelanggaran", "langgar"),
        ("imbau", "imbau"),
        ("imbauan", "imbau"),
        ("mengimbau", "imbau"),
        ("himbauan", "himbau"),
        // Lexicalized derived forms.
        ("kedua", "kedua"),
        ("sebaiknya", "sebaiknya"),
        // Reduplication.
        ("kawan-kawan", "kawan"),
        ("sah-sah", "sah"),
        ("ditawar-tawar", "tawar"),
        ("anak-anaknya", "anak"),
        ("tembak-menembak", "tembak"),
        ("hiruk-pikuk", "hiruk-pikuk"),
        ("memanggil-manggil", "panggil"),
        ("meniru-nirukan", "tiru"),
        ("pengrusakan", "rusak"),
        // per- on a vowel-initial root: a warning is a reminder.
        ("peringatan", "ingat"),
        ("memperingatkan", "ingat"),
        ("diperingatkan", "ingat"),
        ("peringatkan", "ingat"),
        ("peringkat", "peringkat"),
        // Rules alone, for roots not in the list.
        ("dibengkokkan", "bengkok"),
        ("mentraktir", "traktir"),
        ("menyetrika", "setrika"),
        ("dirgahayu", "dirgahayu"),
        ("menkeu", "menkeu"),
        ("pelindo", "pelindo"),
        ("pelanggan", "langgan"),
        ("pencoblosan", "coblos"),
        ("meritokrasi", "meritokrasi"),
        ("bengkulu", "bengkulu"),
        ("penalti", "penalti"),
        // Not stemmable: returned unchanged.
        ("", ""),
        ("2024", "2024"),
        ("covid-19", "covid-19"),
        // Case is folded first.
        ("Memukul", "pukul"),
        ("PEMILU", "pemilu"),
        ("kawan-kawan-kawan", "kawan-kawan-kawan"),
        ("-an", "-an"),
        ("café", "café"),
        ("пемилу", "пемилу"),
    ];

    #[test]
    fn stems_table() {
        let failures: Vec<String> = CASES
            .iter()
            .filter(|(word, expected)| stem(word) != *expected)
            .map(|(word, expected)| format!("{word}: got {}, want {expected}", stem(word)))
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn stem_borrows_unless_a_consonant_is_restored() {
        assert!(matches!(stem("dilaporkan"), Cow::Borrowed("lapor")));
        assert!(matches!(stem("memukul"), Cow::Owned(s) if s == "pukul"));
    }

    #[test]
    fn root_list_is_well_formed() {
        let text = include_str!("../data/roots.txt");
        let mut seen = HashSet::new();
        let mut problems = Vec::new();
        for (number, line) in text.lines().enumerate() {
            let entry = line.split('#').next().unwrap_or("").trim();
            if entry.is_empty() {
                continue;
            }
            if !entry.bytes().all(|b| b.is_ascii_lowercase()) {
                problems.push(format!("data/roots.txt:{}: not a-z: {entry}", number + 1));
            }
            if !seen.insert(entry) {
                problems.push(format!("data/roots.txt:{}: duplicate: {entry}", number + 1));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert!(seen.len() >= 3000, "only {} roots", seen.len());
    }

    #[test]
    fn every_root_is_its_own_stem() {
        let changed: Vec<String> = parse_roots(include_str!("../data/roots.txt"))
            .filter(|root| stem(root) != *root)
            .map(|root| format!("{root} -> {}", stem(root)))
            .collect();
        assert!(changed.is_empty(), "{}", changed.join(", "));
    }

    #[test]
    fn is_root_reads_the_list() {
        for (word, expected) in [
            ("pilih", true),
            ("pemilu", true),
            ("memilih", false),
            ("", false),
        ] {
            assert_eq!(is_root(word), expected, "{word}");
        }
    }

    #[test]
    fn stemmer_matches_stem_and_stays_bounded() {
        let mut stemmer = Stemmer::with_capacity(4);
        for (word, expected) in CASES.iter().chain(CASES) {
            assert_eq!(stemmer.stem(word), *expected, "{word}");
            assert!(stemmer.stems.len() <= 4 && stemmer.index.len() <= 4);
        }
    }
}
