"""The Python API: spans, parity with `warta classify`, order, lexicons."""

from __future__ import annotations

import json
import pathlib
import warnings

import pytest

import warta
from conftest import ROOT, run_cli, spans, to_code_points
from fixtures import articles, jsonl

# Our own text, heavy in non-ASCII before and between the matched words:
# curly quotes, dashes, accents, no-break spaces, emoji (astral plane, so
# one code point but four UTF-8 bytes), a combining accent.
NON_ASCII = (
    "KOTA BARU, KABARKITA.ID – Wali Kota “Andréa” meminta seluruh ASN 🙏🏽 menjaga "
    "netralitas selama Pilkada 2024 — ASN yang terbukti melanggar akan dijatuhi sanksi.\n\n"
    "BACA JUGA: Café di Kota Baru Ramai Dikunjungi 😀\n\n"
    "Bawaslu menerima laporan dugaan politik uang: amplop berisi Rp50.000 dibagikan "
    "kepada pemilih e\u0301 di TPS\u00a007 😡. (ant)"
)


def check_spans(text: str, result) -> int:
    """Checks every span of a result against `text`; returns how many
    evidence spans there were."""
    evidence = 0
    for key, span in spans(result):
        start, end = span["start"], span["end"]
        assert 0 <= start <= end <= len(text), (key, span)
        if "text" in span:
            assert text[start:end] == span["text"], (key, span)
        if key == "spans":
            evidence += 1
            assert span["text"], span
    return evidence


def test_evidence_spans_index_the_python_string():
    text = NON_ASCII
    article = warta.Classifier().classify(text)
    assert check_spans(text, article) >= 5
    assert {"neutrality_warning", "sanction_threat", "money_politics"} <= set(article["labels"])
    words = {s["text"] for p in article["paragraphs"] for e in p["evidence"] for s in e["spans"]}
    assert {"netralitas", "sanksi", "amplop"} <= words
    # Paragraphs, dateline and sign-off index the Python string too.
    paragraphs = [text[p["start"]:p["end"]] for p in article["paragraphs"]]
    assert paragraphs[1] == "BACA JUGA: Café di Kota Baru Ramai Dikunjungi 😀"
    assert article["paragraphs"][1]["boilerplate"] == "read_also"
    assert paragraphs[2].endswith("😡. (ant)")
    assert text[article["sign_off"]["start"]:article["sign_off"]["end"]] == "(ant)"
    dateline = text[article["dateline"]["start"]:article["dateline"]["end"]]
    assert dateline.startswith("KOTA BARU, KABARKITA.ID")


def test_spans_hold_on_every_fixture_article():
    classifier = warta.Classifier()
    total = 0
    for record in articles(60):
        total += check_spans(record["text"], classifier.classify(record["text"]))
    assert total > 100


def test_classify_equals_the_cli_record(warta_bin):
    records = articles(40) + [
        {"id": "non-ascii", "text": NON_ASCII},
        {"id": "empty", "text": ""},
    ]
    data = jsonl(records).encode()
    lines = run_cli(warta_bin, "classify", "--quiet", "--offsets", "chars", input=data)
    assert len(lines) == len(records)
    classifier = warta.Classifier()
    for record, line in zip(records, lines):
        cli = json.loads(line)
        assert cli.pop("id") == record["id"]
        assert cli["offsets"] == "chars"
        assert classifier.classify(record["text"]) == cli, record["id"]
    # The byte offsets of the CLI's default output are the same places.
    for record, line in zip(records, run_cli(warta_bin, "classify", "--quiet", input=data)):
        cli = json.loads(line)
        assert cli.pop("offsets") == "bytes"
        assert to_code_points(record["text"], cli)["paragraphs"] == json.loads(
            classifier.classify_jsonl(json.dumps(record), offsets="chars")[0]
        )["paragraphs"]


def test_classify_jsonl_writes_the_cli_lines_byte_for_byte(warta_bin):
    records = articles(50) + [{"text": NON_ASCII}]
    data = jsonl(records) + "\n   \n" + '{"id": "x", "text": 5}\n' + "not json\n"
    expected = run_cli(warta_bin, "classify", "--quiet", input=data.encode())
    classifier = warta.Classifier()
    assert classifier.classify_jsonl(data) == expected
    assert classifier.classify_jsonl(data.encode(), threads=1) == expected
    chars = run_cli(warta_bin, "classify", "--quiet", "--offsets", "chars", input=data.encode())
    assert classifier.classify_jsonl(data, offsets="chars") == chars != expected
    with pytest.raises(ValueError, match='offsets must be "bytes" or "chars"'):
        classifier.classify_jsonl(data, offsets="lines")
    assert len(expected) == len(records) + 2
    assert json.loads(expected[-1])["error"].startswith("invalid JSON")


def test_classify_many_keeps_the_order():
    texts = [r["text"] for r in articles(120)] + ["", NON_ASCII]
    classifier = warta.Classifier()
    one_by_one = [classifier.classify(t) for t in texts]
    for threads in (None, 1, 2, 3):
        assert classifier.classify_many(texts, threads=threads) == one_by_one, threads
    # Any iterable of str, a generator included.
    assert classifier.classify_many(t for t in texts[:5]) == one_by_one[:5]
    assert classifier.classify_many([]) == []


def test_classify_many_rejects_what_is_not_text():
    classifier = warta.Classifier()
    with pytest.raises(TypeError, match=r"texts\[1\] is int, not str"):
        classifier.classify_many(["ASN netral", 7])
    with pytest.raises(TypeError, match="not a single str"):
        classifier.classify_many("ASN netral")
    with pytest.raises(ValueError, match="threads must be at least 1"):
        classifier.classify_many(["ASN netral"], threads=0)
    with pytest.raises(TypeError):
        classifier.classify(b"ASN netral")


BAD_LEXICON = """\
extends = "default"

[[term]]
topic = "no_such_topic"
weight = 0.6
terms = ["netral"]
"""


def test_a_bad_lexicon_raises_value_error_naming_file_line_and_column(tmp_path, warta_bin):
    path = tmp_path / "bad.toml"
    path.write_text(BAD_LEXICON)
    with pytest.raises(ValueError) as caught:
        warta.Classifier(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:"), message
    line, column = message[len(str(path)) + 1:].split(":")[:2]
    assert int(line) >= 1 and int(column) >= 1, message
    # The same message as the CLI's.
    import subprocess

    done = subprocess.run(
        [str(warta_bin), "classify", "--lexicon", str(path)],
        input=b"", capture_output=True, check=False,
    )
    assert done.returncode == 1
    assert done.stderr.decode().strip() == f"warta: error: {message}"
    # A str path works as well as a PathLike, and names the file the same.
    with pytest.raises(ValueError, match=f"^{str(path)}:"):
        warta.Classifier(str(path))


def test_a_missing_lexicon_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="cannot read lexicon .*missing.toml"):
        warta.Classifier(tmp_path / "missing.toml")


def test_a_lexicon_of_our_own_changes_the_labels(tmp_path):
    text = (
        "Menjelang pilkada, tim sukses membagikan durian kepada warga.\n\n"
        "Bawaslu mengawasi tahapan pemilu di setiap desa."
    )
    assert "money_politics" not in warta.Classifier().classify(text)["labels"]
    path = tmp_path / "durian.toml"
    path.write_text(
        'extends = "default"\n\n[[term]]\ntopic = "money_politics"\nweight = 0.9\n'
        'terms = ["durian"]\n'
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mine = warta.Classifier(pathlib.Path(path))
    article = mine.classify(text)
    assert "money_politics" in article["labels"]
    evidence = [e for p in article["paragraphs"] for e in p["evidence"]]
    durian = next(e for e in evidence if e["topic"] == "money_politics")
    assert durian["fired"] == {"kind": "term", "name": "durian"}
    assert [s["text"] for s in durian["spans"]] == ["durian"]
    assert repr(mine) == f"warta.Classifier({str(path)!r})"
    assert repr(warta.Classifier()) == "warta.Classifier()"
    assert mine.warnings == []


def test_lexicon_warnings_are_python_warnings(tmp_path):
    path = tmp_path / "dup.toml"
    path.write_text(
        'extends = "default"\n\n[[term]]\ntopic = "money_politics"\nweight = 0.9\n'
        'terms = ["berkampanye", "mengkampanyekan"]\n'
    )
    with pytest.warns(UserWarning, match=f"^{path}:6:25: duplicate term `mengkampanyekan`"):
        classifier = warta.Classifier(path)
    assert len(classifier.warnings) == 1
    assert classifier.warnings[0].startswith(f"{path}:6:25: duplicate term")


def test_clean_tokenize_and_stem():
    cleaned = warta.clean(NON_ASCII)
    check_spans(NON_ASCII, cleaned)
    kinds = [p["boilerplate"] for p in cleaned["paragraphs"]]
    assert kinds == [None, "read_also", None]
    assert "BACA JUGA" not in cleaned["text"] and "(ant)" not in cleaned["text"]
    assert cleaned["text"].startswith("Wali Kota “Andréa”")
    assert cleaned["sign_off"]["text"] == "(ant)"

    tokens = warta.tokenize(NON_ASCII)
    for token in tokens:
        assert NON_ASCII[token["start"]:token["end"]] == token["text"]
    by_text = {t["text"]: t for t in tokens}
    assert by_text["“"]["kind"] == "punctuation" and by_text["“"]["normalized"] == '"'
    assert by_text["Rp50.000"]["kind"] == "money" and by_text["Rp50.000"]["stem"] is None
    assert by_text["menjaga"]["stem"] == "jaga"
    assert by_text["🙏🏽"]["kind"] == "symbol"

    assert warta.stem("Berkampanye") == "kampanye"
    assert warta.stem("  mengkampanyekannya ") == "kampanye"
    assert warta.stem("") == ""


def test_the_package_is_typed():
    package = pathlib.Path(warta.__file__).parent
    assert (package / "py.typed").is_file()
    stub = (package / "_warta.pyi").read_text()
    for name in ("class Classifier", "def classify_many", "def clean", "def tokenize", "def stem"):
        assert name in stub
    assert warta.Classifier.classify.__doc__ and warta.clean.__doc__
    assert isinstance(warta.__version__, str) and warta.__version__
    # The stub's topic list is the library's.
    topics = {t for r in articles(200) for t in warta.Classifier().classify(r["text"])["labels"]}
    assert len(topics) == 8
    for topic in topics:
        assert f'"{topic}"' in stub
    # Every name of the extension is in the stub, with its methods.
    import ast

    from warta import _warta

    tree = ast.parse(stub)
    names = {
        node.name if not isinstance(node, (ast.AnnAssign, ast.Assign)) else
        (node.target if isinstance(node, ast.AnnAssign) else node.targets[0]).id
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AnnAssign, ast.Assign))
    }
    public = {name for name in dir(_warta) if not name.startswith("_")} | {"__version__"}
    assert public <= names, public - names
    stub_class = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Classifier")
    methods = {n.name for n in stub_class.body if isinstance(n, ast.FunctionDef)}
    assert {m for m in dir(warta.Classifier) if not m.startswith("_")} <= methods


def test_classify_many_lets_other_threads_run():
    """While the articles are classified, the GIL is free: another Python
    thread keeps running (with the GIL held it could not run at all
    between the last text being read and the call returning)."""
    import threading
    import time

    texts = [r["text"] for r in articles(200)] * 5
    marks: dict[str, float] = {}
    ticks: list[float] = []

    def feed():
        yield from texts
        marks["read"] = time.monotonic()

    def work():
        warta.Classifier().classify_many(feed(), threads=1)
        marks["returned"] = time.monotonic()

    worker = threading.Thread(target=work)
    worker.start()
    while worker.is_alive():
        ticks.append(time.monotonic())
    worker.join()
    # Ticks all through the call, its middle third included (a call that
    # held the GIL would let the other thread run only at its edges).
    start, end = marks["read"], marks["returned"]
    third = (end - start) / 3
    middle = [t for t in ticks if start + third < t < end - third]
    assert middle, (len(ticks), marks)
