//! End-to-end tests of the `warta` binary for data work: plain-text and
//! gzip inputs, fields passed through, CSV and TSV tables read back by
//! Python's `csv` and pandas, filters, the lexicon subcommand, messages, and
//! `eval` on our own gold fixture. Every text here has non-ASCII characters.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

mod common;

use common::{Run, temp_dir, warta};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Three articles of our own with non-ASCII text, and fields around it,
/// written by hand so the field order is as given.
fn articles_jsonl() -> String {
    [
        r#"{"url":"https://contoh.invalid/1?a=\"b\"","id":"k1","outlet":"Warta “Timur”","text":"Bupati Ingatkan ASN Netral\n\nSEMARANG – Bupati meminta ASN menjaga netralitas selama pilkada. ASN yang terbukti melanggar akan dikenai sanksi oleh Bawaslu.","tags":["pilkada", "asn"],"n":1.50}"#,
        r#"{"outlet":"Kabar, Selatan","text":"Harga cabai naik — pedagang di pasar mengeluh.\n\nPembeli café memilih tomat.","tags":[],"n":null}"#,
        r#"{"id":7,"text":"Bawaslu menemukan politik uang: amplop berisi Rp50.000 dibagikan kepada pemilih menjelang pencoblosan pilkada.","outlet":"Suara\nBaru","labels":"input labels are not passed","n":3}"#,
    ]
    .iter()
    .map(|line| format!("{line}\n"))
    .collect()
}

#[test]
fn text_files_and_directories_are_articles_with_their_path_as_id() {
    let dir = fixtures().join("articles");
    let a01 = dir.join("a01.txt");
    let run = warta(&["classify", "-q", "--text", path_str(&dir)], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids: Vec<String> = run
        .lines()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect();
    // Recursively, *.txt only, in sorted path order.
    let expected: Vec<String> = ["a01.txt", "daerah/b02.txt", "daerah/c03.txt"]
        .iter()
        .map(|name| path_str(&dir.join(name)).to_owned())
        .collect();
    assert_eq!(ids, expected);
    let lines = run.lines();
    assert_eq!(
        lines[0]["labels"],
        json!(["neutrality_warning", "sanction_threat", "violation_report"])
    );
    assert_eq!(lines[2]["labels"], json!([]));

    // A file, standard input and a directory give the same article output.
    let text = std::fs::read(&a01).unwrap();
    let from_file = warta(&["classify", "-q", "--text", path_str(&a01)], b"");
    let from_stdin = warta(&["classify", "-q", "--text", "-"], &text);
    let from_none = warta(&["classify", "-q", "--text"], &text);
    let mut first = lines[0].clone();
    assert_eq!(from_file.lines(), [first.clone()]);
    first["id"] = "<stdin>".into();
    assert_eq!(from_stdin.lines(), [first.clone()]);
    assert_eq!(from_none.lines(), [first]);

    // Offsets point into the file's text, which has non-ASCII characters.
    let text = String::from_utf8(text).unwrap();
    for p in lines[0]["paragraphs"].as_array().unwrap() {
        for e in p["evidence"].as_array().unwrap() {
            for span in e["spans"].as_array().unwrap() {
                let (start, end) = (
                    span["start"].as_u64().unwrap() as usize,
                    span["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(text.get(start..end), span["text"].as_str(), "{e}");
            }
        }
    }

    // clean reads them the same way.
    let cleaned = warta(&["clean", "-q", "--text", path_str(&dir)], b"");
    assert_eq!(cleaned.code, 0, "{}", cleaned.stderr);
    let cleaned = cleaned.lines();
    let ids: Vec<&Value> = cleaned.iter().map(|l| &l["id"]).collect();
    assert_eq!(ids, expected.iter().collect::<Vec<_>>());
    assert_eq!(cleaned[0]["paragraphs"][2]["boilerplate"], "read_also");
}

#[test]
fn bad_text_files_become_error_lines_and_an_empty_directory_warns() {
    let dir = temp_dir("bad-text");
    let good = dir.join("baik.txt");
    let bad = dir.join("rusak.txt");
    let big = dir.join("besar.txt");
    std::fs::write(&good, "ASN diminta netral — kata Bupati.").unwrap();
    std::fs::write(&bad, b"Kata \xFF rusak").unwrap();
    std::fs::write(&big, "é".repeat(100)).unwrap();
    let args = |extra: &[&str]| {
        let mut args = vec!["clean", "-q", "--text", "--max-line-bytes", "150"];
        args.extend_from_slice(extra);
        args.extend([path_str(&good), path_str(&bad), path_str(&big)]);
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let strict = args(&[]);
    let run = warta(&strict.iter().map(String::as_str).collect::<Vec<_>>(), b"");
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines = run.lines();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], path_str(&good));
    assert_eq!(lines[1]["id"], path_str(&bad));
    assert_eq!(lines[1]["error"], "invalid UTF-8 at byte 5");
    assert_eq!(lines[1]["file"], path_str(&bad));
    assert_eq!(lines[2]["error"], "file is longer than 150 bytes");

    let lossy = args(&["--lossy"]);
    let run = warta(&lossy.iter().map(String::as_str).collect::<Vec<_>>(), b"");
    assert_eq!(run.lines()[1]["text"], "Kata \u{FFFD} rusak");

    let empty = temp_dir("empty-dir");
    let run = warta(&["classify", "--text", path_str(&empty)], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("warta: warning: no *.txt files in"),
        "{}",
        run.stderr
    );

    // A directory without --text is refused before any output.
    let run = warta(&["classify", path_str(&dir)], b"");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("is a directory (directories of text files are read with --text)"),
        "{}",
        run.stderr
    );
}

#[test]
fn gzip_inputs_are_read_like_plain_ones() {
    let dir = temp_dir("gzip");
    let jsonl = articles_jsonl();
    let plain = dir.join("berita.jsonl");
    let packed = dir.join("berita.jsonl.gz");
    std::fs::write(&plain, &jsonl).unwrap();
    // Two gzip members one after the other, as `cat a.gz b.gz` makes.
    let (head, tail) = jsonl.split_at(jsonl.find('\n').unwrap() + 1);
    std::fs::write(
        &packed,
        [gzip(head.as_bytes()), gzip(tail.as_bytes())].concat(),
    )
    .unwrap();
    let expected = warta(&["classify", "-q", path_str(&plain)], b"");
    assert_eq!(expected.code, 0, "{}", expected.stderr);
    let from_gz = warta(&["classify", "-q", path_str(&packed)], b"");
    let as_text = |run: &Run, name: &str| run.text().replace(name, "NAME");
    assert_eq!(
        as_text(&from_gz, path_str(&packed)),
        as_text(&expected, path_str(&plain))
    );
    let from_stdin = warta(&["classify", "-q"], &gzip(jsonl.as_bytes()));
    assert_eq!(
        as_text(&from_stdin, "<stdin>"),
        as_text(&expected, path_str(&plain))
    );

    // Text files too, in a directory as *.txt.gz.
    let texts = dir.join("teks");
    std::fs::create_dir_all(&texts).unwrap();
    let article = "Bawaslu meminta ASN netral selama pilkada dan pemilu — tanpa kecuali.";
    std::fs::write(texts.join("satu.txt.gz"), gzip(article.as_bytes())).unwrap();
    std::fs::write(texts.join("dua.txt"), article).unwrap();
    let run = warta(&["clean", "-q", "--text", path_str(&texts)], b"");
    let lines = run.lines();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert_eq!(lines[0]["text"], lines[1]["text"]);
    assert!(lines[1]["id"].as_str().unwrap().ends_with("satu.txt.gz"));

    // A broken gzip stream is a fatal read error that names the file.
    let broken = dir.join("rusak.jsonl.gz");
    let mut bytes = gzip(jsonl.as_bytes());
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&broken, bytes).unwrap();
    let run = warta(&["classify", "-q", path_str(&broken)], b"");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with(&format!("warta: error: reading {}", path_str(&broken))),
        "{}",
        run.stderr
    );
}

#[test]
fn other_fields_pass_through_in_order_and_ids_default_to_file_and_line() {
    let dir = temp_dir("fields");
    let path = dir.join("berita.jsonl");
    std::fs::write(&path, articles_jsonl()).unwrap();
    let name = path_str(&path);
    for command in ["classify", "clean"] {
        let run = warta(&[command, "-q", name], b"");
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        let out = run.text();
        let lines: Vec<&str> = out.lines().collect();
        // Values exactly as written (1.50 stays 1.50), in input order, after the id.
        assert!(
            lines[0].starts_with(r#"{"id":"k1","url":"https://contoh.invalid/1?a=\"b\"","outlet":"Warta “Timur”","tags":["pilkada", "asn"],"n":1.50,"#),
            "{command}: {}",
            lines[0]
        );
        assert!(
            lines[1].starts_with(&format!(
                r#"{{"id":"{name}:2","outlet":"Kabar, Selatan","tags":[],"n":null,"#
            )),
            "{command}: {}",
            lines[1]
        );
        let third: Value = serde_json::from_str(lines[2]).unwrap();
        assert_eq!(
            (&third["id"], &third["outlet"], &third["n"]),
            (&json!(7), &json!("Suara\nBaru"), &json!(3))
        );
        // A field the output writes itself is not passed through.
        if command == "classify" {
            assert!(third["labels"].is_array(), "{third}");
            assert!(
                third["labels"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("money_politics")),
                "{third}"
            );
        }
        // ...while clean, which writes no labels, passes it on.
        assert_eq!(
            lines[2].contains("input labels are not passed"),
            command == "clean"
        );
    }
    // Without an id, standard input's records are `<stdin>:line`.
    let run = warta(&["classify", "-q"], articles_jsonl().as_bytes());
    assert_eq!(run.lines()[1]["id"], "<stdin>:2");
}

/// Runs python3 on `script` with `args`; fails the test when python3 or
/// pandas is missing (`.ci/run` installs pandas).
fn python(script: &str, args: &[&str]) -> Value {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs (needed to read the tables back)");
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("python printed JSON")
}

/// Reads a table with Python's csv module and with pandas; prints both as
/// lists of rows of strings.
const READ_TABLE: &str = r#"
import csv, json, sys
import pandas
path, sep = sys.argv[1], sys.argv[2]
with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, delimiter=sep))
frame = pandas.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
print(json.dumps({"csv": rows, "pandas": [list(frame.columns)] + frame.values.tolist()}))
"#;

/// Writes `table` (warta's output) to `path` and reads it back, with
/// `sep` between cells, with Python's csv module and with pandas; asserts
/// the two agree and returns the rows, header first, as JSON arrays of
/// strings.
fn read_table(path: &Path, table: &[u8], sep: &str) -> Value {
    std::fs::write(path, table).unwrap();
    let mut read = python(READ_TABLE, &[path_str(path), sep]);
    assert_eq!(
        read["csv"],
        read["pandas"],
        "{}: csv and pandas agree",
        path.display()
    );
    read["csv"].take()
}

/// The first row of a table [`read_table`] returned.
fn header_row(rows: &[Value]) -> Vec<&str> {
    rows[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect()
}

#[test]
fn tables_read_back_with_python_csv_and_pandas() {
    let dir = temp_dir("tables");
    let input = dir.join("berita.jsonl");
    let mut jsonl = articles_jsonl();
    jsonl.push_str("{\"id\":\"rusak\",\"text\":5}\n");
    std::fs::write(&input, &jsonl).unwrap();
    let name = path_str(&input);
    let reference = warta(&["classify", "-q", name], b"").lines();

    for (format, sep) in [("csv", ","), ("tsv", "\t")] {
        // One row per article: id, fields, labels, scores, content paragraphs, error.
        let run = warta(&["classify", "-q", "--format", format, name], b"");
        assert_eq!(run.code, 2, "{}", run.stderr);
        let rows = read_table(&dir.join(format!("articles.{format}")), &run.stdout, sep);
        let rows = rows.as_array().unwrap();
        let header = header_row(rows);
        assert_eq!(
            header,
            [
                "id",
                "url",
                "outlet",
                "tags",
                "n",
                "labels",
                "neutrality_warning",
                "sanction_threat",
                "passive_campaign_attendance",
                "violation_report",
                "neutrality_pledge",
                "social_media_conduct",
                "campaign_leave",
                "money_politics",
                "content_paragraphs",
                "error"
            ],
            "{format}"
        );
        assert_eq!(rows.len(), 5, "{format}");
        let cell = |row: usize, column: &str| {
            rows[row][header.iter().position(|h| *h == column).unwrap()]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(cell(1, "url"), "https://contoh.invalid/1?a=\"b\"");
        assert_eq!(cell(1, "outlet"), "Warta “Timur”");
        assert_eq!(cell(1, "tags"), r#"["pilkada", "asn"]"#);
        assert_eq!(cell(1, "n"), "1.50");
        assert_eq!(cell(2, "id"), format!("{name}:2"));
        assert_eq!(cell(2, "outlet"), "Kabar, Selatan");
        assert_eq!(cell(2, "n"), "");
        assert_eq!(cell(3, "outlet"), "Suara\nBaru");
        assert_eq!(cell(4, "id"), "rusak");
        assert_eq!(
            cell(4, "error"),
            "line 4: \"text\" is a number, not a string"
        );
        for (row, line) in reference.iter().enumerate().take(3) {
            let labels: Vec<&str> = line["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect();
            assert_eq!(
                cell(row + 1, "labels"),
                labels.join(" "),
                "{format} row {row}"
            );
            for topic in &header[6..14] {
                let expected = line["scores"][*topic].as_f64().unwrap_or(0.0);
                let got: f64 = cell(row + 1, topic).parse().unwrap();
                assert_eq!(got, expected, "{format} row {row} {topic}");
            }
            let content = line["paragraphs"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["boilerplate"].is_null())
                .count();
            assert_eq!(cell(row + 1, "content_paragraphs"), content.to_string());
        }

        // One row per content paragraph, with the matched words.
        let run = warta(
            &[
                "classify",
                "-q",
                "--format",
                format,
                "--rows",
                "paragraphs",
                "--paragraphs",
                "labelled",
                name,
            ],
            b"",
        );
        let rows = read_table(&dir.join(format!("paragraphs.{format}")), &run.stdout, sep);
        let rows = rows.as_array().unwrap();
        let header = header_row(rows);
        assert_eq!(
            header[..5],
            ["id", "paragraph", "start_byte", "end_byte", "labels"]
        );
        assert_eq!(header[13..], ["evidence", "error"]);
        let mut expected = Vec::new();
        for (line, input) in reference.iter().zip(jsonl.lines()) {
            let input: Value = serde_json::from_str(input).unwrap();
            let Some(text) = input["text"].as_str() else {
                continue;
            };
            for (index, p) in line["paragraphs"].as_array().unwrap().iter().enumerate() {
                if p["labels"].as_array().unwrap().is_empty() {
                    continue;
                }
                let mut spans: Vec<(usize, usize)> = p["evidence"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|e| e["spans"].as_array().unwrap())
                    .map(|e| {
                        (
                            e["start"].as_u64().unwrap() as usize,
                            e["end"].as_u64().unwrap() as usize,
                        )
                    })
                    .collect();
                spans.sort_unstable();
                spans.dedup();
                let words: Vec<&str> = spans.iter().map(|&(s, e)| &text[s..e]).collect();
                expected.push(vec![
                    line["id"]
                        .as_str()
                        .map_or_else(|| line["id"].to_string(), str::to_owned),
                    index.to_string(),
                    p["start"].to_string(),
                    p["end"].to_string(),
                    words.join("; "),
                ]);
            }
        }
        let got: Vec<Vec<String>> = rows[1..]
            .iter()
            .filter(|r| r[14] == "")
            .map(|r| {
                [0, 1, 2, 3, 13]
                    .iter()
                    .map(|&i| r[i].as_str().unwrap().to_owned())
                    .collect()
            })
            .collect();
        assert_eq!(got, expected, "{format}");
        assert!(
            got.iter().any(|r| r[4].contains("menjaga netralitas")),
            "{got:?}"
        );
    }
}

#[test]
fn paragraphs_and_topic_filters_and_per_topic_summary() {
    let input = articles_jsonl();
    let all = warta(&["classify"], input.as_bytes());
    assert_eq!(all.code, 0, "{}", all.stderr);
    // The summary counts the articles carrying each topic, all eight named.
    let topics = [
        "neutrality_warning",
        "sanction_threat",
        "passive_campaign_attendance",
        "violation_report",
        "neutrality_pledge",
        "social_media_conduct",
        "campaign_leave",
        "money_politics",
    ];
    let counts: Vec<String> = topics
        .iter()
        .map(|topic| {
            let n = all
                .lines()
                .iter()
                .filter(|l| l["labels"].as_array().unwrap().contains(&json!(topic)))
                .count();
            format!("{topic} {n}")
        })
        .collect();
    let expected = format!(
        "warta classify: articles per topic: {}\n",
        counts.join(", ")
    );
    assert!(all.stderr.contains(&expected), "{}", all.stderr);
    assert!(
        counts
            .iter()
            .any(|c| c.ends_with(" 2") || c.ends_with(" 1"))
    );
    let labelled = warta(
        &["classify", "-q", "--paragraphs", "labelled"],
        input.as_bytes(),
    );
    let none = warta(
        &["classify", "-q", "--paragraphs", "none"],
        input.as_bytes(),
    );
    for ((full, labelled), none) in all.lines().iter().zip(labelled.lines()).zip(none.lines()) {
        let kept: Vec<&Value> = full["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| !p["labels"].as_array().unwrap().is_empty())
            .collect();
        assert_eq!(
            labelled["paragraphs"]
                .as_array()
                .unwrap()
                .iter()
                .collect::<Vec<_>>(),
            kept
        );
        assert_eq!(none["paragraphs"], json!([]));
        assert_eq!(
            (&none["labels"], &none["scores"]),
            (&full["labels"], &full["scores"])
        );
    }

    // Only articles carrying one of the topics; the summary still counts all.
    let run = warta(
        &[
            "classify",
            "--topic",
            "money_politics",
            "--topic",
            "sanction_threat",
        ],
        input.as_bytes(),
    );
    let ids: Vec<Value> = run.lines().iter().map(|l| l["id"].clone()).collect();
    assert_eq!(ids, [json!("k1"), json!(7)]);
    assert!(
        run.stderr.contains("3 records, 0 errors") && run.stderr.contains("; 2 records written"),
        "{}",
        run.stderr
    );

    // Wrong values are refused with the list of topic ids.
    let run = warta(&["classify", "--topic", "netral"], b"");
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("warta: error: invalid value 'netral' for '--topic <TOPIC>': unknown topic id `netral` (expected one of: neutrality_warning,"), "{}", run.stderr);
    for (args, message) in [
        (
            &["classify", "--rows", "paragraphs"][..],
            "--rows applies to --format csv and tsv",
        ),
        (
            &[
                "classify",
                "--format",
                "csv",
                "--rows",
                "paragraphs",
                "--paragraphs",
                "none",
            ][..],
            "--paragraphs none leaves none",
        ),
    ] {
        let run = warta(args, b"");
        assert_eq!(run.code, 1, "{args:?}");
        assert!(
            run.stderr.starts_with("warta: error: ") && run.stderr.contains(message),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn lexicon_show_prints_the_embedded_default() {
    let run = warta(&["lexicon", "show"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ours =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/lexicon.toml")).unwrap();
    assert_eq!(run.stdout, ours);
    // What it prints loads as a lexicon of its own.
    let dir = temp_dir("lexicon-show");
    let copy = dir.join("salinan.toml");
    std::fs::write(&copy, &run.stdout).unwrap();
    let text = "Bupati meminta ASN menjaga netralitas selama pilkada dan pemilu.";
    let with_copy = warta(
        &["classify", "-q", "--text", "--lexicon", path_str(&copy)],
        text.as_bytes(),
    );
    let with_default = warta(&["classify", "-q", "--text"], text.as_bytes());
    assert_eq!(with_copy.stdout, with_default.stdout);
    assert!(
        !with_default.lines()[0]["labels"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn every_error_reads_warta_error_and_says_its_cause_once() {
    let dir = temp_dir("messages");
    let missing = dir.join("tidak-ada.toml");
    let bad_gold = dir.join("gold.jsonl");
    std::fs::write(
        &bad_gold,
        "{\"id\":\"x\",\"text\":\"é\",\"paragraphs\":5}\n",
    )
    .unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["classify", "--no-such-flag"],
        vec!["classify", "--threads"],
        vec!["frobnicate"],
        vec!["classify", "--format", "xlsx"],
        vec!["classify", "--lexicon", path_str(&missing)],
        vec!["eval", "--gold", path_str(&missing)],
        vec!["eval", "--gold", path_str(&bad_gold)],
        vec!["eval", "--gold", path_str(&dir)],
    ];
    for args in cases {
        let run = warta(&args, b"");
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("warta: error: "),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(
            run.stderr.matches("error:").count(),
            1,
            "{args:?}: {}",
            run.stderr
        );
        let first_line = run.stderr.lines().next().unwrap();
        // No cause repeated: each ": "-separated part appears once.
        let parts: Vec<&str> = first_line.split(": ").collect();
        for part in &parts {
            if part.len() > 12 {
                assert_eq!(
                    first_line.matches(part).count(),
                    1,
                    "{args:?}: {first_line}"
                );
            }
        }
    }
    // Help and version are no errors.
    assert_eq!(warta(&["--version"], b"").code, 0);
    assert_eq!(warta(&["classify", "--help"], b"").code, 0);
}

#[test]
fn threads_zero_means_all_cores() {
    let input = articles_jsonl();
    let one = warta(&["classify", "-q", "--threads", "1"], input.as_bytes());
    let all = warta(&["classify", "-q", "--threads", "0"], input.as_bytes());
    assert_eq!((one.code, all.code), (0, 0), "{}", all.stderr);
    assert_eq!(one.stdout, all.stdout);
    let help = warta(&["classify", "--help"], b"");
    assert!(help.text().contains("0 or none: all cores"));
}

/// The paragraphs of an article the way `mkgold.py` numbers them: each
/// non-blank line, trimmed, as (line number, start, end) in bytes.
fn annotated_lines(text: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for (n, line) in text.split('\n').enumerate() {
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let start = pos + (line.len() - line.trim_start().len());
            out.push((n + 1, start, start + trimmed.len()));
        }
        pos += line.len() + 1;
    }
    out
}

#[test]
fn the_gold_fixture_says_what_its_annotation_says() {
    let codes = [
        ("NW", "neutrality_warning"),
        ("ST", "sanction_threat"),
        ("PA", "passive_campaign_attendance"),
        ("VR", "violation_report"),
        ("NP", "neutrality_pledge"),
        ("SM", "social_media_conduct"),
        ("CL", "campaign_leave"),
        ("MP", "money_politics"),
    ];
    let ann = std::fs::read_to_string(fixtures().join("gold.ann")).unwrap();
    let gold = std::fs::read_to_string(fixtures().join("gold.jsonl")).unwrap();
    let gold: Vec<Value> = gold
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut files = Vec::new();
    let mut labels = std::collections::HashMap::new();
    for line in ann
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .filter(|l| !l.is_empty())
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields[0] == "@" {
            files.push((fields[1].to_owned(), fields[2].to_owned()));
        } else {
            labels.insert(
                (fields[0].to_owned(), fields[1].parse::<usize>().unwrap()),
                fields[2].to_owned(),
            );
        }
    }
    let mut built = Vec::new();
    for (id, file) in &files {
        let text = std::fs::read_to_string(fixtures().join("articles").join(file)).unwrap();
        let expected: Vec<Value> = annotated_lines(&text)
            .into_iter()
            .map(|(n, start, end)| {
                let label = &labels[&(id.clone(), n)];
                let (boilerplate, topics) = match label.strip_prefix("B:") {
                    Some(kind) => (json!(kind), vec![]),
                    None if label == "-" => (Value::Null, vec![]),
                    None => {
                        let mut topics: Vec<&str> = label
                            .split(',')
                            .map(|c| codes.iter().find(|(k, _)| k == &c).unwrap().1)
                            .collect();
                        topics.sort_unstable();
                        (Value::Null, topics)
                    }
                };
                json!({"start": start, "end": end, "boilerplate": boilerplate, "topics": topics})
            })
            .collect();
        built.push(json!({"id": id, "source": file, "text": text, "paragraphs": expected}));
    }
    // WARTA_BLESS_GOLD=1 rebuilds gold.jsonl from gold.ann and the articles.
    if std::env::var_os("WARTA_BLESS_GOLD").is_some() {
        let lines: Vec<String> = built.iter().map(Value::to_string).collect();
        std::fs::write(fixtures().join("gold.jsonl"), lines.join("\n") + "\n").unwrap();
        return;
    }
    assert_eq!(gold.len(), built.len());
    for (article, expected) in gold.iter().zip(&built) {
        let id = expected["id"].as_str().unwrap();
        assert_eq!(
            (&article["id"], &article["text"]),
            (&expected["id"], &expected["text"])
        );
        assert_eq!(article["paragraphs"], expected["paragraphs"], "{id}");
    }
}

#[test]
fn eval_runs_on_our_gold_fixture_and_counts_what_classify_says() {
    let gold_path = fixtures().join("gold.jsonl");
    let gold_text = std::fs::read_to_string(&gold_path).unwrap();
    let gold: Vec<Value> = gold_text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let classified = warta(&["classify", "-q"], gold_text.as_bytes()).lines();
    // Per topic: true positives, false positives, false negatives over the
    // gold content paragraphs, each aligned to the output paragraph it
    // overlaps most (the first of equals).
    let mut counts = std::collections::BTreeMap::<String, [u32; 3]>::new();
    for (g, out) in gold.iter().zip(&classified) {
        for gp in g["paragraphs"].as_array().unwrap() {
            if !gp["boilerplate"].is_null() {
                continue;
            }
            let (gs, ge) = (gp["start"].as_i64().unwrap(), gp["end"].as_i64().unwrap());
            let mut best: Option<&Value> = None;
            let mut best_overlap = 0;
            for p in out["paragraphs"].as_array().unwrap() {
                let overlap =
                    ge.min(p["end"].as_i64().unwrap()) - gs.max(p["start"].as_i64().unwrap());
                if overlap > best_overlap {
                    best = Some(p);
                    best_overlap = overlap;
                }
            }
            let ours: Vec<&str> = best.map_or(vec![], |p| {
                p["labels"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l.as_str().unwrap())
                    .collect()
            });
            let theirs: Vec<&str> = gp["topics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect();
            let mut topics: Vec<&str> = ours.iter().chain(&theirs).copied().collect();
            topics.sort_unstable();
            topics.dedup();
            for topic in topics {
                let c = counts.entry(topic.to_owned()).or_default();
                match (ours.contains(&topic), theirs.contains(&topic)) {
                    (true, true) => c[0] += 1,
                    (true, false) => c[1] += 1,
                    _ => c[2] += 1,
                }
            }
        }
    }
    let run = warta(
        &["eval", "-q", "--json", "--gold", path_str(&gold_path)],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let mut errors = 0;
    for (topic, [tp, fp, fn_]) in &counts {
        let (tp, fp, fn_) = (f64::from(*tp), f64::from(*fp), f64::from(*fn_));
        let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 1.0 };
        let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 1.0 };
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        let got = &report["topics"][topic];
        assert!(
            (got["f1"].as_f64().unwrap() - f1).abs() < 0.0015,
            "{topic}: {got} vs {f1}"
        );
        assert_eq!(got["support"].as_f64().unwrap(), tp + fn_, "{topic}");
        errors += usize::from(fp + fn_ > 0.0);
    }
    // The fixture is not all right, so the test sees errors being counted.
    assert!(errors > 0, "{counts:?}");
    let text = warta(&["eval", "--errors", "--gold", path_str(&gold_path)], b"");
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.text().contains("macro_f1="), "{}", text.text());
    assert!(
        text.stderr.contains("warta eval: 3 articles"),
        "{}",
        text.stderr
    );
}

/// The chars `start..end` of `text`, counted in code points.
fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn evidence_carries_its_words_and_offsets_come_in_bytes_or_chars() {
    let text = "Pj Bupati: “ASN Wajib Netral” — Jelang Pilkada\n\nSEMARANG – Bawaslu mengingatkan ASN menjaga netralitas selama pemilu dan pilkada. ASN yang terbukti melanggar dikenai sanksi. (ant)";
    let input = format!("{}\n", json!({"id": "ü1", "text": text}));
    let bytes = warta(&["classify", "-q"], input.as_bytes()).lines();
    let chars = warta(&["classify", "-q", "--offsets", "chars"], input.as_bytes()).lines();
    let (bytes, chars) = (&bytes[0], &chars[0]);
    assert_eq!(
        (&bytes["offsets"], &chars["offsets"]),
        (&json!("bytes"), &json!("chars"))
    );
    let mut evidence = 0;
    for (pb, pc) in bytes["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .zip(chars["paragraphs"].as_array().unwrap())
    {
        let span = |v: &Value| {
            (
                v["start"].as_u64().unwrap() as usize,
                v["end"].as_u64().unwrap() as usize,
            )
        };
        let ((bs, be), (cs, ce)) = (span(pb), span(pc));
        assert_eq!(&text[bs..be], char_slice(text, cs, ce));
        let spans = |p: &Value| -> Vec<Value> {
            p["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|e| e["spans"].as_array().unwrap().clone())
                .collect()
        };
        for (eb, ec) in spans(pb).iter().zip(&spans(pc)) {
            let ((bs, be), (cs, ce)) = (span(eb), span(ec));
            assert_eq!(eb["text"], text[bs..be], "{eb}");
            assert_eq!(ec["text"], char_slice(text, cs, ce), "{ec}");
            assert_eq!(eb["text"], ec["text"]);
            evidence += 1;
        }
    }
    assert!(evidence >= 4, "{bytes}");
    // Past the first non-ASCII character, the two units differ.
    assert_ne!(
        bytes["paragraphs"][1]["start"],
        chars["paragraphs"][1]["start"]
    );
    for (field, name) in [("dateline", "SEMARANG"), ("sign_off", "(ant)")] {
        let (d, c) = (&bytes[field], &chars[field]);
        let (bs, be) = (
            d["start"].as_u64().unwrap() as usize,
            d["end"].as_u64().unwrap() as usize,
        );
        let (cs, ce) = (
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize,
        );
        assert!(text[bs..be].contains(name), "{field}: {d}");
        assert_eq!(text[bs..be], char_slice(text, cs, ce), "{field}");
    }

    // clean names and counts its offsets the same way.
    let cleaned = warta(&["clean", "-q", "--offsets", "chars"], input.as_bytes()).lines();
    assert_eq!(cleaned[0]["offsets"], "chars");
    for (p, c) in chars["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .zip(cleaned[0]["paragraphs"].as_array().unwrap())
    {
        assert_eq!((&p["start"], &p["end"]), (&c["start"], &c["end"]));
    }

    // A table of paragraphs names its offset columns by unit.
    let table = warta(
        &[
            "classify",
            "-q",
            "--format",
            "csv",
            "--rows",
            "paragraphs",
            "--offsets",
            "chars",
        ],
        input.as_bytes(),
    );
    let out = table.text();
    let header = out.lines().next().unwrap();
    assert!(
        header.starts_with("id,paragraph,start_char,end_char,labels,"),
        "{header}"
    );
    let second = out.lines().nth(2).unwrap();
    let fields: Vec<&str> = second.split(',').collect();
    assert_eq!(fields[2], chars["paragraphs"][1]["start"].to_string());
}

#[test]
fn lexicon_check_lists_every_problem_with_file_line_and_column() {
    let dir = temp_dir("lexicon-check");
    let path = dir.join("milik-kami.toml");
    let source = r#"extends = "default"

[remove]
neutrality_warning = ["netral", "kata yang tidak ada"]
bukan_topik = ["sanksi"]

[[term]]
topic = "money_politics"
weight = 0.2
terms = ["serangan fajar", "bagi-bagi amplop", "bagi-bagi amplop", "2024"]

[[term]]
topic = "tidak_ada"
weight = 0.5
terms = ["pemilu"]

[[term]]
topic = "sanction_threat"
weight = 1.5
terms = ["teguran keras"]

[[term]]
topic = "campaign_leave"
weight = 0.5
terms = ["cuti kampanye", "cuti berkampanye"]
"#;
    std::fs::write(&path, source).unwrap();
    let name = path_str(&path);
    let run = warta(&["lexicon", "check", name], b"");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out = run.text();
    let lines: Vec<&str> = out.lines().collect();
    let expected_starts = [
        format!("{name}:4:33: cannot remove `kata yang tidak ada`"),
        format!("{name}:5:15: unknown topic id `bukan_topik`"),
        format!("{name}:10:48: duplicate term `bagi-bagi amplop` for money_politics"),
        format!("{name}:10:68: term `2024` has `2024`, which is not a word"),
        format!("{name}:13:9: unknown topic id `tidak_ada`"),
        format!("{name}:19:10: `weight` must be in (0, 1]"),
        format!("{name}:25:27: warning: duplicate term `cuti berkampanye` for campaign_leave"),
    ];
    assert_eq!(lines.len(), expected_starts.len(), "{out}");
    for (line, start) in lines.iter().zip(&expected_starts) {
        assert!(line.starts_with(start.as_str()), "{line}\nexpected {start}");
    }
    // Each position points at the entry it names.
    for line in &lines {
        let mut parts = line[name.len() + 1..].splitn(3, ':');
        let (l, c) = (
            parts.next().unwrap().parse::<usize>().unwrap(),
            parts.next().unwrap().parse::<usize>().unwrap(),
        );
        let at: String = source
            .lines()
            .nth(l - 1)
            .unwrap()
            .chars()
            .skip(c - 1)
            .collect();
        assert!(!at.trim().is_empty(), "{line}");
    }
    assert!(
        run.stderr.contains("6 errors, 1 warnings"),
        "{}",
        run.stderr
    );
    // classify reports the first of them and stops.
    let run = warta(&["classify", "--lexicon", name], b"");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with(&format!("warta: error: {}", expected_starts[0])),
        "{}",
        run.stderr
    );
    // The default lexicon has no problem.
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/lexicon.toml");
    let run = warta(&["lexicon", "check", path_str(&default)], b"");
    assert_eq!((run.code, run.stdout.len()), (0, 0), "{}", run.text());
}

#[test]
fn an_extends_file_changes_a_default_weight_or_removes_a_default_term() {
    let dir = temp_dir("extends");
    let path = dir.join("ubah.toml");
    std::fs::write(
        &path,
        r#"extends = "default"

[remove]
neutrality_warning = ["netral"]

[[term]]
topic = "money_politics"
weight = 0.1
terms = ["politik uang"]
"#,
    )
    .unwrap();
    let text = "Jelang pilkada dan pemilu, Bawaslu meminta ASN netral. “Politik uang” marak menjelang pencoblosan pilkada.";
    let default = warta(&["classify", "-q", "--text"], text.as_bytes()).lines();
    let changed = warta(
        &["classify", "-q", "--text", "--lexicon", path_str(&path)],
        text.as_bytes(),
    )
    .lines();
    let terms = |line: &Value| -> Vec<(String, String, f64)> {
        let p = &line["paragraphs"][0];
        p["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["fired"]["kind"] == "term")
            .map(|e| {
                let topic = e["topic"].as_str().unwrap().to_owned();
                let score = p["scores"][&topic].as_f64().unwrap_or(0.0);
                (
                    topic,
                    e["fired"]["name"].as_str().unwrap().to_owned(),
                    score,
                )
            })
            .collect()
    };
    let (before, after) = (terms(&default[0]), terms(&changed[0]));
    let has = |terms: &[(String, String, f64)], term: &str| terms.iter().any(|t| t.1 == term);
    assert!(
        has(&before, "netral") && !has(&after, "netral"),
        "{before:?} {after:?}"
    );
    let money = |terms: &[(String, String, f64)]| {
        terms
            .iter()
            .find(|t| t.1 == "politik uang")
            .map(|t| t.2)
            .unwrap()
    };
    assert!(money(&before) >= 0.5, "{before:?}");
    assert_eq!(money(&after), 0.1, "{after:?}");
    // The same term twice in the extends file itself is still an error.
    std::fs::write(&path, "extends = \"default\"\n\n[[term]]\ntopic = \"money_politics\"\nweight = 0.3\nterms = [\"politik uang\", \"politik uang\"]\n").unwrap();
    let run = warta(&["lexicon", "check", path_str(&path)], b"");
    assert_eq!(run.code, 1);
    assert!(
        run.text()
            .contains(":6:26: duplicate term `politik uang` for money_politics"),
        "{}",
        run.text()
    );
}
