//! Python bindings for warta, built by maturin as the module `warta._warta`
//! and re-exported by the package `warta`.
//!
//! Every result is the library's own serialization (the same serde output
//! `warta classify` writes), turned into Python objects by `json.loads`,
//! so the fields stay those of the command line. Offsets are code points
//! (`with_offsets(Offsets::Chars)` of an `Article` or a `Document`, as
//! `warta classify --offsets chars`; `OffsetMap` for tokens), so
//! `text[start:end]` is what they point at.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::{
    PyFileNotFoundError, PyOSError, PyPermissionError, PyRuntimeError, PyTypeError, PyUserWarning,
    PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};
use rayon::prelude::*;
use serde::Serialize;
use warta::jsonl::{Id, RecordReader};
use warta::{LoadError, OffsetMap, Offsets};

/// Scores Indonesian news articles for the eight election-neutrality topics.
///
/// `Classifier()` uses the lexicon embedded in warta; `Classifier(path)`
/// loads a lexicon TOML file (one that starts with `extends = "default"`
/// adds to the embedded one). A lexicon with mistakes raises `ValueError`
/// naming file, line and column; a file that cannot be read raises
/// `OSError` (`FileNotFoundError`, `PermissionError`). Terms that
/// duplicate each other after stemming are issued as `UserWarning`s and
/// listed in `warnings`.
///
/// A classifier is immutable and safe to share between threads; build it
/// once and reuse it.
#[pyclass(frozen, module = "warta")]
struct Classifier {
    inner: warta::Classifier,
    /// What `repr()` shows.
    repr: String,
}

#[pymethods]
impl Classifier {
    #[new]
    #[pyo3(signature = (lexicon = None))]
    fn new(py: Python<'_>, lexicon: Option<PathBuf>) -> PyResult<Self> {
        let inner = match &lexicon {
            None => warta::Classifier::default(),
            Some(path) => py
                .detach(|| warta::Classifier::builder().lexicon_file(path).build())
                .map_err(load_error)?,
        };
        for warning in inner.lexicon().warnings() {
            let message = std::ffi::CString::new(warning.to_string().replace('\0', "\\0"))?;
            PyErr::warn(py, &py.get_type::<PyUserWarning>(), &message, 1)?;
        }
        let repr = match &lexicon {
            None => "warta.Classifier()".to_owned(),
            Some(path) => {
                let path = PyString::new(py, &path.display().to_string());
                format!("warta.Classifier({})", path.repr()?)
            }
        };
        Ok(Classifier { inner, repr })
    }

    /// The lexicon's warnings: terms that duplicate each other after stemming.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.inner
            .lexicon()
            .warnings()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Classifies one article.
    ///
    /// Returns the fields of a `warta classify --offsets chars` output line
    /// but the id: `offsets` (`"chars"`), `labels`, `scores`, `dateline`,
    /// `sign_off` and `paragraphs` (each with `start`, `end`,
    /// `boilerplate`, `labels`, `scores` and `evidence`: `topic`, `fired`,
    /// `spans` and, when a negation decided it, `negated`). Offsets are
    /// indices into `text` as a Python string, so
    /// `text[s["start"]:s["end"]] == s["text"]` for every evidence span.
    ///
    /// Raises `UnicodeEncodeError` (a `ValueError`) when `text` holds a
    /// lone surrogate.
    fn classify<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text = text.to_str()?;
        let json = py.detach(|| article_json(&self.inner, text))?;
        loads(py)?.call1((json,))
    }

    /// Classifies many articles in parallel; the results keep their order.
    ///
    /// `texts` is any iterable of `str`. Runs without the GIL on `threads`
    /// worker threads (default: all cores). Returns one dict per text, as
    /// `classify` does.
    #[pyo3(signature = (texts, threads = None))]
    fn classify_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let objects = strings(texts)?;
        let texts: Vec<&str> = objects
            .iter()
            .map(|s| s.to_str())
            .collect::<PyResult<_>>()?;
        let pool = pool(threads)?;
        let jsons: Vec<Result<String, Error>> = py.detach(|| {
            let work = || {
                texts
                    .par_iter()
                    .with_max_len(1)
                    .map(|text| article_json(&self.inner, text))
                    .collect()
            };
            match &pool {
                Some(pool) => pool.install(work),
                None => work(),
            }
        });
        let loads = loads(py)?;
        let list = PyList::empty(py);
        for json in jsons {
            list.append(loads.call1((json?,))?)?;
        }
        Ok(list)
    }

    /// Classifies JSON Lines exactly as `warta classify` does.
    ///
    /// `data` is JSON Lines (`str` or `bytes`), one `{"id", "text"}` record
    /// per line. Returns, for every non-blank line in order, the line
    /// `warta classify` writes for it (without the newline): the record,
    /// or `{"id", "line", "error"}` for a line that cannot be read, line
    /// numbers counting from the start of `data`; a line without an id is
    /// named `<stdin>:LINE`, as the CLI names it reading standard input. `offsets` is the unit of
    /// the records' offsets, as `--offsets`: `"bytes"` into the UTF-8 text
    /// (the default) or `"chars"`. `lossy=True` replaces invalid UTF-8 and
    /// lone surrogate escapes as `--lossy` does. Runs without the GIL on
    /// `threads` worker threads (default: all cores).
    #[pyo3(signature = (data, threads = None, offsets = "bytes", lossy = false))]
    fn classify_jsonl(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        threads: Option<usize>,
        offsets: &str,
        lossy: bool,
    ) -> PyResult<Vec<String>> {
        let offsets = match offsets {
            "bytes" => Offsets::Bytes,
            "chars" => Offsets::Chars,
            other => {
                return Err(PyValueError::new_err(format!(
                    "offsets must be \"bytes\" or \"chars\", not {other:?}"
                )));
            }
        };
        let bytes: &[u8] = if let Ok(text) = data.cast::<PyString>() {
            text.to_str()?.as_bytes()
        } else if let Ok(bytes) = data.cast::<PyBytes>() {
            bytes.as_bytes()
        } else {
            return Err(PyTypeError::new_err(format!(
                "data is {}, not str or bytes",
                type_name(data)
            )));
        };
        let pool = pool(threads)?;
        let lines: Result<Vec<String>, Error> = py.detach(|| {
            let items: Vec<_> = RecordReader::new(bytes)
                .lossy(lossy)
                .collect::<Result<_, _>>()?;
            let work = || {
                items
                    .par_iter()
                    .with_max_len(1)
                    .map(|item| match item {
                        Ok(record) => {
                            let article = self.inner.classify(&record.text).with_offsets(offsets);
                            serde_json::to_string(&Classified {
                                id: &named(&record.id, record.line),
                                article: &article,
                            })
                        }
                        Err(error) => serde_json::to_string(&ErrorLine {
                            id: &named(
                                error.id.as_ref().unwrap_or(&Id::Line(error.line)),
                                error.line,
                            ),
                            line: error.line,
                            error: error.kind.to_string(),
                        }),
                    })
                    .collect::<Result<Vec<String>, _>>()
                    .map_err(Error::from)
            };
            match &pool {
                Some(pool) => pool.install(work),
                None => work(),
            }
        });
        Ok(lines?)
    }

    fn __repr__(&self) -> String {
        self.repr.clone()
    }
}

/// A record's id as `warta classify` names it when reading standard
/// input: its own, or `<stdin>:LINE` when it has none.
fn named(id: &Id, line: usize) -> Id {
    match id {
        Id::Line(_) => Id::String(format!("<stdin>:{line}")),
        other => other.clone(),
    }
}

/// A `warta classify` error line.
#[derive(Serialize)]
struct ErrorLine<'a> {
    id: &'a Id,
    line: usize,
    error: String,
}

/// A `warta classify` output line: the id, then the article's own fields.
#[derive(Serialize)]
struct Classified<'a> {
    id: &'a Id,
    #[serde(flatten)]
    article: &'a warta::Article<'a>,
}

/// Splits an article into paragraphs and marks boilerplate.
///
/// Returns `text` (the clean text: content paragraphs without dateline,
/// sign-off and inline markers, joined by blank lines), `paragraphs` (each
/// with `start`, `end`, `boilerplate` and, when some were cut out, `cuts`),
/// `dateline` and `sign_off`; offsets are indices into `text` as a Python
/// string.
#[pyfunction]
fn clean<'py>(py: Python<'py>, text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyAny>> {
    let text = text.to_str()?;
    let json = py.detach(|| -> Result<String, Error> {
        let document = warta::clean::clean(text);
        let clean_text = document.clean_text();
        let mut value = serde_json::to_value(document.with_offsets(Offsets::Chars))?;
        if let serde_json::Value::Object(map) = &mut value {
            map.insert("text".to_owned(), clean_text.into());
        }
        Ok(serde_json::to_string(&value)?)
    })?;
    loads(py)?.call1((json,))
}

/// Splits a text into tokens.
///
/// Returns one dict per token: `start` and `end` (indices into `text` as a
/// Python string), `kind` (`word`, `number`, `date`, `money`, `url`,
/// `abbreviation`, `punctuation` or `symbol`), `text` (as written),
/// `normalized` (lower case, quotes, dashes and full-width letters folded)
/// and `stem` (for words; `None` for other tokens).
#[pyfunction]
fn tokenize<'py>(py: Python<'py>, text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyAny>> {
    let text = text.to_str()?;
    let json = py.detach(|| -> Result<String, Error> {
        let map = OffsetMap::new(text);
        let tokens: Vec<TokenOut> = warta::token::tokenize(text)
            .map(|token| {
                let normalized = token.normalized().into_owned();
                let stem = (token.kind == warta::token::TokenKind::Word)
                    .then(|| warta::stem::stem(&normalized).into_owned());
                TokenOut {
                    end: map.char_offset(token.end),
                    kind: token.kind,
                    normalized,
                    start: map.char_offset(token.start),
                    stem,
                    text: token.text,
                }
            })
            .collect();
        Ok(serde_json::to_string(&tokens)?)
    })?;
    loads(py)?.call1((json,))
}

/// A token as `tokenize` returns it; the fields in alphabetical order, the
/// order of the keys of its dicts.
#[derive(Serialize)]
struct TokenOut<'a> {
    end: usize,
    kind: warta::token::TokenKind,
    normalized: String,
    start: usize,
    stem: Option<String>,
    text: &'a str,
}

/// Stems one Indonesian word as `warta stem` does: trimmed and lower-cased
/// first (`"Berkampanye"` → `"kampanye"`).
#[pyfunction]
fn stem(word: &str) -> String {
    warta::stem::stem(&word.trim().to_lowercase()).into_owned()
}

/// The article's serialization with code-point offsets.
fn article_json(classifier: &warta::Classifier, text: &str) -> Result<String, Error> {
    let article = classifier.classify(text).with_offsets(Offsets::Chars);
    Ok(serde_json::to_string(&article)?)
}

/// What can go wrong off the GIL.
#[derive(Debug)]
enum Error {
    Json(serde_json::Error),
    Io(std::io::Error),
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Json(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        match e {
            Error::Json(e) => PyRuntimeError::new_err(format!("serializing a result: {e}")),
            Error::Io(e) => PyOSError::new_err(e.to_string()),
        }
    }
}

/// A lexicon error as the Python exception a caller expects, with the
/// library's message.
fn load_error(e: LoadError) -> PyErr {
    let message = e.to_string();
    match &e {
        LoadError::Io { source, .. } => match source.kind() {
            std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(message),
            std::io::ErrorKind::PermissionDenied => PyPermissionError::new_err(message),
            _ => PyOSError::new_err(message),
        },
        _ => PyValueError::new_err(message),
    }
}

/// `json.loads`.
fn loads(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    py.import("json")?.getattr("loads")
}

/// The items of an iterable, each a `str`.
fn strings<'py>(texts: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyString>>> {
    if texts.is_instance_of::<PyString>() || texts.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(
            "texts must be an iterable of str, not a single str or bytes",
        ));
    }
    let mut out = Vec::with_capacity(texts.len().unwrap_or(0));
    for (i, item) in texts.try_iter()?.enumerate() {
        let item = item?;
        match item.cast_into::<PyString>() {
            Ok(text) => out.push(text),
            Err(e) => {
                return Err(PyTypeError::new_err(format!(
                    "texts[{i}] is {}, not str",
                    type_name(e.into_inner().as_any())
                )));
            }
        }
    }
    Ok(out)
}

fn type_name(object: &Bound<'_, PyAny>) -> String {
    object
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |name| name.to_string())
}

/// The thread pool for `threads` workers: `None` (rayon's global pool, all
/// cores) or one pool per number of threads, kept for reuse.
fn pool(threads: Option<usize>) -> PyResult<Option<Arc<rayon::ThreadPool>>> {
    static POOLS: Mutex<Option<HashMap<usize, Arc<rayon::ThreadPool>>>> = Mutex::new(None);
    let Some(threads) = threads else {
        return Ok(None);
    };
    if threads == 0 {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let mut pools = POOLS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let pools = pools.get_or_insert_with(HashMap::new);
    if let Some(pool) = pools.get(&threads) {
        return Ok(Some(pool.clone()));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("warta-{i}"))
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start {threads} threads: {e}")))?;
    let pool = Arc::new(pool);
    pools.insert(threads, pool.clone());
    Ok(Some(pool))
}

/// Clean, tokenize, stem and classify Indonesian news articles.
#[pymodule]
fn _warta(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Classifier>()?;
    m.add_function(wrap_pyfunction!(clean, m)?)?;
    m.add_function(wrap_pyfunction!(tokenize, m)?)?;
    m.add_function(wrap_pyfunction!(stem, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    let topics = warta::Topic::ALL.map(warta::Topic::id);
    m.add("TOPICS", PyTuple::new(m.py(), topics)?)?;
    Ok(())
}
