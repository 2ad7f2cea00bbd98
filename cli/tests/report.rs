//! `warta report` rendered in headless Chromium: the highlighted evidence
//! matches `warta classify`, filters filter, hostile text stays text.
//!
//! These tests need Debian's `chromium` (or `$CHROMIUM`); they fail, not
//! skip, without it (`.ci/run` installs it).

mod common;

use common::temp_dir;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/report.jsonl");
const HOSTILE_ID: &str = "hostile-<b>1</b>";

/// Runs `warta ARGS`: exit status, standard output, standard error.
fn warta(args: &[&str], stdin: &[u8]) -> (i32, Vec<u8>, String) {
    let run = common::warta(args, stdin);
    (run.code, run.stdout, run.stderr)
}

/// Writes a report of `input` (a path, or `-` with `stdin`) into `dir`.
fn report(dir: &Path, input: &str, stdin: &[u8]) -> PathBuf {
    let path = dir.join("report.html");
    let out = path.to_str().expect("UTF-8 temp path");
    let (code, _, stderr) = warta(&["report", "-q", "-o", out, input], stdin);
    assert_eq!(code, 0, "warta report failed: {stderr}");
    path
}

/// `warta classify` of the fixture, by id.
fn classified() -> BTreeMap<String, Value> {
    let (code, stdout, stderr) = warta(&["classify", "-q", FIXTURE], b"");
    assert_eq!(code, 0, "{stderr}");
    stdout
        .split(|&b| b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| {
            let record: Value = serde_json::from_slice(line).expect("JSON line");
            (record["id"].as_str().expect("string id").to_owned(), record)
        })
        .collect()
}

/// Evidence spans of one classified article, per topic, whatever the
/// evidence shape: an entry with `spans: [...]` counts each span, one with
/// `start`/`end` counts one.
fn spans_per_topic(article: &Value) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for paragraph in article["paragraphs"].as_array().expect("paragraphs") {
        for evidence in paragraph["evidence"].as_array().expect("evidence") {
            let topic = evidence["topic"].as_str().expect("topic").to_owned();
            let n = match evidence.get("spans") {
                Some(Value::Array(spans)) => spans.len(),
                _ => usize::from(evidence.get("start").is_some()),
            };
            *counts.entry(topic).or_default() += n;
        }
    }
    counts
}

// ---- Chromium ----

fn chromium() -> String {
    let name = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".to_owned());
    let found = Command::new(&name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        found,
        "`{name}` cannot be run: these tests need headless Chromium \
         (`apt-get install -y chromium`, or set CHROMIUM=/path/to/chromium)"
    );
    name
}

/// Runs headless Chromium on `url` with `args` in a fresh profile and
/// returns its standard output.
fn run_chromium(args: &[&str], url: &str) -> String {
    let profile = temp_dir(&format!("profile-{:x}", hash(url) ^ hash(&args.concat())));
    let child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read the output on another thread (a full pipe would stall Chromium)
    // and give up after a while rather than hang the test run.
    let pid = child.id();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || send.send(child.wait_with_output()));
    let out = match receive.recv_timeout(Duration::from_secs(180)) {
        Ok(out) => out.expect("chromium output"),
        Err(_) => {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("chromium did not finish in 180 s on {url}");
        }
    };
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        out.status.success(),
        "chromium failed on {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 DOM")
}

fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The DOM of `page` with `hash` as the view state, after its script ran.
fn dom(page: &Path, hash: &str) -> Dom {
    let url = format!("file://{}{hash}", page.display());
    Dom::parse(&run_chromium(
        &["--dump-dom", "--virtual-time-budget=5000"],
        &url,
    ))
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ---- a small parser for the DOM Chromium serializes ----

#[derive(Debug, Default)]
struct Element {
    tag: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Element(usize),
    Text(String),
}

/// Serialized HTML as a tree; element 0 is the document.
struct Dom {
    elements: Vec<Element>,
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

impl Dom {
    fn parse(html: &str) -> Dom {
        let mut elements = vec![Element::default()];
        let mut stack = vec![0usize];
        let mut rest = html;
        while !rest.is_empty() {
            let top = *stack.last().expect("document stays open");
            if let Some(after) = rest.strip_prefix("<!--") {
                rest = after.split_once("-->").map_or("", |(_, r)| r);
            } else if rest.starts_with("<!") {
                rest = rest.split_once('>').map_or("", |(_, r)| r);
            } else if let Some(after) = rest.strip_prefix("</") {
                let (name, r) = after.split_once('>').expect("end tag closes");
                let name = name.trim().to_ascii_lowercase();
                rest = r;
                if let Some(at) = stack.iter().rposition(|&e| elements[e].tag == name) {
                    stack.truncate(at.max(1));
                }
            } else if rest.starts_with('<')
                && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic())
            {
                let (element, self_closing, r) = start_tag(&rest[1..]);
                rest = r;
                let index = elements.len();
                let tag = element.tag.clone();
                elements.push(element);
                elements[top].children.push(Node::Element(index));
                if tag == "script" || tag == "style" {
                    let end = rest.find(&format!("</{tag}")).expect("raw text ends");
                    elements[index]
                        .children
                        .push(Node::Text(rest[..end].to_owned()));
                    rest = &rest[end..];
                    rest = rest.split_once('>').map_or("", |(_, r)| r);
                } else if !self_closing && !VOID.contains(&tag.as_str()) {
                    stack.push(index);
                }
            } else {
                // Serialized text never holds a `<`; a stray one is text.
                let end = rest
                    .char_indices()
                    .skip(1)
                    .find(|&(_, c)| c == '<')
                    .map_or(rest.len(), |(i, _)| i);
                elements[top]
                    .children
                    .push(Node::Text(unescape(&rest[..end])));
                rest = &rest[end..];
            }
        }
        Dom { elements }
    }

    fn attr(&self, e: usize, name: &str) -> Option<&str> {
        self.elements[e]
            .attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every element under `root` (itself included), in document order.
    fn descendants(&self, root: usize) -> Vec<usize> {
        let mut out = vec![root];
        let mut i = 0;
        while i < out.len() {
            let children = self.elements[out[i]]
                .children
                .iter()
                .filter_map(|c| match c {
                    Node::Element(e) => Some(*e),
                    Node::Text(_) => None,
                });
            let at = i + 1;
            let kids: Vec<usize> = children.collect();
            out.splice(at..at, kids);
            i += 1;
        }
        out
    }

    fn all(&self, root: usize, tag: &str) -> Vec<usize> {
        self.descendants(root)
            .into_iter()
            .filter(|&e| self.elements[e].tag == tag)
            .collect()
    }

    fn by_id(&self, id: &str) -> usize {
        self.descendants(0)
            .into_iter()
            .find(|&e| self.attr(e, "id") == Some(id))
            .unwrap_or_else(|| panic!("no element #{id}"))
    }

    fn with_class(&self, root: usize, class: &str) -> Vec<usize> {
        self.descendants(root)
            .into_iter()
            .filter(|&e| {
                self.attr(e, "class")
                    .is_some_and(|c| c.split_whitespace().any(|c| c == class))
            })
            .collect()
    }

    fn text(&self, e: usize) -> String {
        let mut out = String::new();
        for child in &self.elements[e].children {
            match child {
                Node::Text(t) => out.push_str(t),
                Node::Element(c) => out.push_str(&self.text(*c)),
            }
        }
        out
    }
}

/// Parses a start tag after its `<`: the element, whether it ends in `/>`,
/// and the rest of the input.
fn start_tag(s: &str) -> (Element, bool, &str) {
    let name_end = s
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .expect("tag name ends");
    let mut element = Element {
        tag: s[..name_end].to_ascii_lowercase(),
        ..Element::default()
    };
    let mut rest = &s[name_end..];
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("/>") {
            return (element, true, r);
        }
        if let Some(r) = rest.strip_prefix('>') {
            return (element, false, r);
        }
        if let Some(r) = rest.strip_prefix('/') {
            rest = r;
            continue;
        }
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
            .expect("attribute name ends");
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let value = if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            let (value, after) = match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = r[1..].find(q).expect("quoted value ends") + 1;
                    (&r[1..end], &r[end + 1..])
                }
                _ => {
                    let end = r
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(r.len());
                    (&r[..end], &r[end..])
                }
            };
            rest = after;
            unescape(value)
        } else {
            String::new()
        };
        element.attrs.push((name, value));
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&end| end <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ---- the tests ----

/// UTF-8 text of an article's byte range.
fn slice(article: &Value, text: &str, key: &str) -> Vec<String> {
    article["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .filter(|p| (key == "content") == p["boilerplate"].is_null())
        .map(|p| {
            let (start, end) = (p["start"].as_u64().unwrap(), p["end"].as_u64().unwrap());
            text[start as usize..end as usize].to_owned()
        })
        .collect()
}

fn fixture_texts() -> BTreeMap<String, String> {
    std::fs::read_to_string(FIXTURE)
        .expect("fixture")
        .lines()
        .map(|line| {
            let record: Value = serde_json::from_str(line).expect("fixture line");
            (
                record["id"].as_str().unwrap().to_owned(),
                record["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_evidence_span_is_one_mark_and_the_text_is_unchanged() {
    let dir = temp_dir("marks");
    let page = report(&dir, FIXTURE, b"");
    let classified = classified();
    let texts = fixture_texts();
    assert!(classified.len() >= 5);
    let handles: Vec<_> = classified
        .keys()
        .map(|id| {
            let page = page.clone();
            let id = id.clone();
            std::thread::spawn(move || {
                (
                    id.clone(),
                    dom(&page, &format!("#article={}", url_encode(&id))),
                )
            })
        })
        .collect();
    let mut marked = 0;
    for handle in handles {
        let (id, dom) = handle.join().expect("chromium thread");
        let doc = dom.by_id("doc");
        let mut per_topic: BTreeMap<String, usize> = BTreeMap::new();
        for mark in dom.all(doc, "mark") {
            if let Some(topic) = dom.attr(mark, "data-topic") {
                *per_topic.entry(topic.to_owned()).or_default() += 1;
                // Hover and keyboard focus both reach it, and it says why.
                assert_eq!(dom.attr(mark, "tabindex"), Some("0"), "{id}");
                assert_eq!(dom.attr(mark, "aria-describedby"), Some("tip"), "{id}");
                assert!(
                    dom.attr(mark, "data-rule").is_some_and(|r| !r.is_empty()),
                    "{id}"
                );
                assert!(dom.attr(mark, "data-score").is_some(), "{id}");
            }
        }
        let article = &classified[&id];
        assert_eq!(
            per_topic,
            spans_per_topic(article),
            "marks per topic of {id}"
        );
        marked += per_topic.values().sum::<usize>();

        // The paragraphs show the original text, unchanged, and boilerplate
        // is set apart with its kind.
        let text = &texts[&id];
        let shown: Vec<String> = dom
            .with_class(doc, "para")
            .into_iter()
            .filter(|&p| dom.attr(p, "data-boilerplate").is_none())
            .map(|p| dom.text(dom.with_class(p, "ptext")[0]))
            .collect();
        assert_eq!(shown, slice(article, text, "content"), "{id}");
        let boilerplate: Vec<&str> = dom
            .with_class(doc, "para")
            .into_iter()
            .filter_map(|p| dom.attr(p, "data-boilerplate"))
            .collect();
        let expected: Vec<&str> = article["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["boilerplate"].as_str())
            .collect();
        assert_eq!(boilerplate, expected, "{id}");
        // Dateline and sign-off are marked where there are some.
        let datelines = dom.with_class(doc, "dateline").len();
        assert_eq!(
            datelines,
            usize::from(!article["dateline"].is_null()),
            "{id}"
        );
        let sign_offs = dom.with_class(doc, "signoff").len();
        assert_eq!(
            sign_offs,
            usize::from(!article["sign_off"].is_null()),
            "{id}"
        );
    }
    assert!(marked > 20, "the fixtures have evidence: {marked} marks");
}

#[test]
fn a_topic_filter_shows_exactly_the_articles_with_the_topic() {
    let dir = temp_dir("filter");
    let page = report(&dir, FIXTURE, b"");
    let classified = classified();
    let mut checked = 0;
    for topic in ["money_politics", "violation_report"] {
        let dom = dom(&page, &format!("#topic={topic}"));
        let shown: Vec<String> = dom
            .with_class(dom.by_id("items"), "item")
            .into_iter()
            .map(|li| dom.attr(li, "data-id").expect("item id").to_owned())
            .collect();
        let mut expected: Vec<String> = classified
            .iter()
            .filter(|(_, a)| a["labels"].as_array().unwrap().iter().any(|l| l == topic))
            .map(|(id, _)| id.clone())
            .collect();
        let mut sorted = shown.clone();
        sorted.sort();
        expected.sort();
        assert_eq!(sorted, expected, "#topic={topic}");
        assert!(
            expected.len() < classified.len(),
            "{topic} hides some articles"
        );
        // Sorted by the topic's score, highest first.
        let score = |id: &String| classified[id]["scores"][topic].as_f64().unwrap_or(0.0);
        assert!(
            shown.windows(2).all(|w| score(&w[0]) >= score(&w[1])),
            "{shown:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, 2);
    // Outlet and free-text filters too.
    let dom_outlet = dom(&page, "#outlet=Pos+Pesisir&q=cabai");
    let shown: Vec<&str> = dom_outlet
        .with_class(dom_outlet.by_id("items"), "item")
        .into_iter()
        .filter_map(|li| dom_outlet.attr(li, "data-id"))
        .collect();
    assert_eq!(shown, ["pos-103"]);
}

#[test]
fn a_hostile_article_stays_text() {
    let dir = temp_dir("hostile");
    let page = report(&dir, FIXTURE, b"");
    let html = std::fs::read_to_string(&page).expect("report");
    // The data cannot close its element: every script tag in the file is
    // one the page put there (the header, the article chunk, the errors,
    // the code).
    let openings: Vec<&str> = html
        .match_indices("<script")
        .map(|(at, _)| &html[at..])
        .collect();
    assert_eq!(openings.len(), 4, "script tags in the file");
    assert_eq!(
        html.matches("</script").count(),
        4,
        "script end tags in the file"
    );
    for opening in openings {
        assert!(
            [
                r#"<script type="application/json" id="warta-data">{"#,
                r#"<script type="application/json" class="warta-articles">[{"#,
                r#"<script type="application/json" id="warta-errors">["#,
                "<script>// warta report",
            ]
            .iter()
            .any(|ours| opening.starts_with(ours)),
            "{}",
            &opening[..40]
        );
    }

    let dom = dom(&page, &format!("#article={}", url_encode(HOSTILE_ID)));
    let main = dom.by_id("main");
    assert_eq!(dom.attr(main, "data-view"), Some("article"));
    // The article chunk is read and removed; no script element was added.
    assert_eq!(dom.all(0, "script").len(), 3, "script elements in the DOM");
    for tag in ["img", "b", "i", "iframe"] {
        assert!(dom.all(main, tag).is_empty(), "a <{tag}> element appeared");
    }
    let text = dom.text(dom.by_id("doc"));
    for literal in [
        "<script>alert('x')</script>",
        "</mark><mark data-topic=\"money_politics\">palsu</mark>",
        "\"serentak\" & 'damai' <img src=x onerror=alert(2)>",
        "\u{202e}terbalik\u{202c}",
        "\u{2067}isolasi\u{2069}",
        "</script><script>alert(3)</script>",
    ] {
        assert!(text.contains(literal), "{literal:?} is not shown as text");
    }
    let h1 = dom.all(main, "h1")[0];
    assert_eq!(
        dom.text(h1),
        "<script>alert('judul')</script> ASN Diminta Netral"
    );
    // The id, the outlet and a javascript: url are text, never links.
    let facts = dom.text(dom.with_class(main, "facts")[0]);
    assert!(facts.contains(HOSTILE_ID) && facts.contains("Kabar \"Lembah\" <i>palsu</i>"));
    assert!(facts.contains("javascript:alert(1)"));
    assert!(
        dom.all(0, "a")
            .into_iter()
            .filter_map(|a| dom.attr(a, "href"))
            .all(|href| href.starts_with('#')),
        "every link stays inside the page"
    );
    // The fake mark in the text did not become one.
    let fake = dom
        .all(main, "mark")
        .into_iter()
        .filter(|&m| dom.text(m) == "palsu")
        .count();
    assert_eq!(fake, 0);
}

#[test]
fn a_report_of_one_article_opens_on_it_and_the_overview_counts() {
    let dir = temp_dir("one");
    let line = std::fs::read_to_string(FIXTURE)
        .unwrap()
        .lines()
        .find(|l| l.contains("\"kab-002\""))
        .unwrap()
        .to_owned();
    let page = report(&dir, "-", line.as_bytes());
    let dom = dom(&page, "");
    let main = dom.by_id("main");
    assert_eq!(dom.attr(main, "data-view"), Some("article"));
    assert_eq!(
        dom.text(dom.all(main, "h1")[0]),
        "Bawaslu Terima Laporan Kepala Desa Hadiri Kampanye"
    );

    // The overview of the whole fixture: counts and one bar per topic.
    let page = report(&dir, FIXTURE, b"");
    let dom = self::dom(&page, "#view=overview");
    let main = dom.by_id("main");
    let cards: Vec<String> = dom
        .with_class(main, "card")
        .into_iter()
        .map(|c| dom.text(c))
        .collect();
    let classified = classified();
    let articles = classified.len();
    assert!(cards.contains(&format!("{articles}articles")), "{cards:?}");
    let boilerplate: usize = classified
        .values()
        .flat_map(|a| a["paragraphs"].as_array().unwrap())
        .filter(|p| !p["boilerplate"].is_null())
        .count();
    assert!(
        cards.contains(&format!("{boilerplate}boilerplate removed")),
        "{cards:?}"
    );
    let svgs = dom.all(main, "svg");
    assert_eq!(svgs.len(), 4, "topics, boilerplate, outlets, weeks");
    let topic_links: Vec<&str> = dom
        .all(svgs[0], "a")
        .into_iter()
        .filter_map(|a| dom.attr(a, "href"))
        .collect();
    assert_eq!(topic_links.len(), 8);
    assert!(topic_links.contains(&"#view=list&topic=money_politics"));
}

#[test]
fn screenshot_of_an_article() {
    let dir = temp_dir("shot");
    let page = report(&dir, FIXTURE, b"");
    let shot = std::env::var("WARTA_SCREENSHOT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| dir.join("report.png"));
    // The article with one highlight focused, its explanation showing.
    let url = format!("file://{}#article=kab-001&mark=21", page.display());
    run_chromium(
        &[
            "--window-size=1280,720",
            "--virtual-time-budget=5000",
            &format!("--screenshot={}", shot.display()),
        ],
        &url,
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1280, 720));
}

#[test]
fn spans_that_overlap_in_part_nest_and_keep_the_text() {
    let dir = temp_dir("overlap");
    let lexicon = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/overlap.toml");
    let text = "Bawaslu Awasi Pemilu 2024\n\nMenjelang pemilu dan pilkada, tim sukses \
                membagikan amplop merah putih berisi uang dengan bendera partai kepada warga.";
    let line = serde_json::json!({"id": "overlap", "text": text}).to_string();
    let (code, stdout, stderr) = warta(&["classify", "-q", "--lexicon", lexicon], line.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    let article: Value = serde_json::from_slice(&stdout).expect("JSON");
    let out = dir.join("report.html");
    let (code, _, stderr) = warta(
        &[
            "report",
            "-q",
            "--lexicon",
            lexicon,
            "-o",
            out.to_str().unwrap(),
        ],
        line.as_bytes(),
    );
    assert_eq!(code, 0, "{stderr}");

    let dom = dom(&out, "#article=overlap");
    let doc = dom.by_id("doc");
    let mut per_topic: BTreeMap<String, usize> = BTreeMap::new();
    for mark in dom.all(doc, "mark") {
        if let Some(topic) = dom.attr(mark, "data-topic") {
            *per_topic.entry(topic.to_owned()).or_default() += 1;
        }
    }
    assert_eq!(per_topic, spans_per_topic(&article));
    // "merah putih" starts inside "amplop merah" and goes on after it.
    let continued: Vec<String> = dom
        .all(doc, "mark")
        .into_iter()
        .filter(|&m| dom.attr(m, "data-cont").is_some())
        .map(|m| dom.text(m))
        .collect();
    assert_eq!(continued, [" putih"]);
    let shown: Vec<String> = dom
        .with_class(doc, "ptext")
        .into_iter()
        .map(|p| dom.text(p))
        .collect();
    assert_eq!(shown, slice(&article, text, "content"));
}

#[test]
fn bad_input_lines_are_listed_and_the_exit_status_says_so() {
    let dir = temp_dir("errors");
    let out = dir.join("report.html");
    let input = "{\"id\":\"a\",\"text\":\"Pemilu damai.\"}\n{\"id\":\"b\",\"text\":\n";
    let (code, _, stderr) = warta(&["report", "-o", out.to_str().unwrap()], input.as_bytes());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("1 articles, 1 errors"), "{stderr}");
    let html = std::fs::read_to_string(&out).expect("the report is written");
    let opening = r#"<script type="application/json" id="warta-errors">"#;
    let errors = html.split_once(opening).expect("errors element").1;
    let errors: Value = serde_json::from_str(errors.split_once("</script>").unwrap().0).unwrap();
    assert_eq!(errors[0]["line"], 2);
    assert_eq!(errors[0]["id"], "b");
    assert_eq!(errors[0]["file"], "<stdin>");
    assert!(errors[0]["error"].as_str().unwrap().contains("JSON"));
    // A run that cannot read its input leaves no page behind.
    let missing = dir.join("missing.jsonl");
    let out = dir.join("none.html");
    let args = [
        "report",
        "-o",
        out.to_str().unwrap(),
        missing.to_str().unwrap(),
    ];
    let (code, _, stderr) = warta(&args, b"");
    assert_eq!(code, 1);
    assert!(stderr.contains("missing.jsonl"), "{stderr}");
    assert!(!out.exists() && !dir.join("none.html.partial").exists());
}

#[test]
fn offsets_in_chars_are_refused_because_the_page_counts_its_own() {
    let dir = temp_dir("offsets");
    let out = dir.join("report.html");
    let input = b"{\"id\":\"a\",\"text\":\"Pemilu damai.\"}\n";
    let args = ["report", "--offsets", "chars", "-o", out.to_str().unwrap()];
    let (code, _, stderr) = warta(&args, input);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.starts_with("warta: error: --offsets does not apply to report"),
        "{stderr}"
    );
    assert!(!out.exists());
}
