"""Inputs that crash naive text code: nothing but clean errors, ever.

Every function of the package gets each text; a result must keep its
invariants (spans inside the text, matched words equal to their spans),
and the only exception allowed is the documented one: a `str` holding a
lone surrogate cannot be UTF-8, so it raises `UnicodeEncodeError` (a
`ValueError`) naming its position.
"""

from __future__ import annotations

import json

import pytest

import warta
from conftest import spans

MB = 1 << 20

CRASHERS = {
    "empty": "",
    "blank": " \t\n\r\n \u00a0\u3000\n",
    "newlines only": "\n" * 10_000,
    "carriage returns": "ASN\rnetral\r\rsanksi\r",
    "nul and controls": "ASN\x00 netral\x01\x02\x1b[31m sanksi\x7f\x85 pemilu\x0b\x0c",
    "bidi overrides": "\u202eASN netral\u202c \u2066pemilu\u2069 \u200fsanksi\u200e \u061c",
    "zero-width": "A\u200bS\u200cN\u200d net\ufeffral pemilu\u2060",
    "emoji": "🗳️🇮🇩👩🏽‍💼 ASN netral 😀😀😀 pemilu 👨‍👩‍👧‍👦" * 50,
    "lone combining marks": "\u0301\u0308\u0301 ASN \u0301netral\u0301 \u20dd pemilu\u0327",
    "combining pile": "e" + "\u0301" * 10_000,
    "one letter, 1 MB": "a" * MB,
    "one letter with spaces": "a " * (MB // 8),
    "one huge line": ("ASN wajib netral selama pemilu dan pilkada, yang melanggar dikenai sanksi. " * 14_000),
    "many paragraphs": "ASN netral.\n\nBACA JUGA: x\n\n" * 20_000,
    "punctuation storm": "-–—.,;:!?\"'“”‘’()[]{}" * 5_000,
    "digits and money": "Rp" * 1000 + "1.000.000," * 1000 + "16/10/2023" * 500,
    "urls": "https://a.b/" + "x" * 100_000 + " www." * 1000 + "@" * 1000,
    "replacement chars": "\ufffd" * 10_000 + " ASN netral",
    "private use and noncharacters": "\ue000\uffff\U0010fffe ASN netral \U000f0000 pemilu",
    "astral letters": "𝐀𝐒𝐍 𝐧𝐞𝐭𝐫𝐚𝐥 " * 1000,
    "full-width": "ＡＳＮ ｎｅｔｒａｌ ｐｅｍｉｌｕ ｓａｎｋｓｉ",
    "hyphen runs": "-" * 100_000 + "kawan-kawan-" * 1000,
    "dateline only": "JAKARTA, ANTARA – ",
    "sign-off only": "(ant)",
    "boilerplate only": "BACA JUGA: x\n\nTags: a b c\n\nPenulis: Dewi",
}

SURROGATES = {
    "lone high surrogate": "ASN netral \ud800 pemilu",
    "lone low surrogate": "\udfff",
    "reversed pair": "ASN \udc00\ud800 sanksi",
}


def check(text: str, result) -> None:
    for _, span in spans(result):
        assert 0 <= span["start"] <= span["end"] <= len(text), span
        if "text" in span:
            assert text[span["start"]:span["end"]] == span["text"], span


@pytest.mark.parametrize("name", list(CRASHERS))
def test_crashing_input_gives_a_result(name):
    text = CRASHERS[name]
    classifier = warta.Classifier()
    article = classifier.classify(text)
    check(text, article)
    assert set(article) == {"offsets", "labels", "scores", "dateline", "sign_off", "paragraphs"}
    check(text, warta.clean(text))
    tokens = warta.tokenize(text)
    for token in tokens:
        assert text[token["start"]:token["end"]] == token["text"]
    if len(text) < 100_000:
        for word in text.split()[:200]:
            assert isinstance(warta.stem(word), str)
    assert isinstance(warta.stem(text), str)
    assert classifier.classify_many([text, text], threads=2) == [article, article]
    lines = classifier.classify_jsonl(json.dumps({"id": name, "text": text}))
    assert len(lines) == 1 and json.loads(lines[0])["id"] == name


@pytest.mark.parametrize("name", list(SURROGATES))
def test_a_lone_surrogate_is_a_clean_value_error(name):
    text = SURROGATES[name]
    classifier = warta.Classifier()
    calls = [
        lambda: classifier.classify(text),
        lambda: classifier.classify_many(["ASN netral", text]),
        lambda: warta.clean(text),
        lambda: warta.tokenize(text),
        lambda: warta.stem(text),
        lambda: classifier.classify_jsonl(text),
    ]
    for call in calls:
        with pytest.raises(UnicodeEncodeError, match="surrogates not allowed") as caught:
            call()
        assert isinstance(caught.value, ValueError)


def test_bad_json_lines_give_error_records_not_exceptions():
    classifier = warta.Classifier()
    data = b"\n".join(
        [
            b'{"id": 1, "text": "ASN netral"}',
            b'{"id": 5, "text": "a\xffb"}',
            b'{"id": 2, "text": "\\ud800"}',
            b"[" * 100_000,
            b'{"id": 3}',
            b'"just a string"',
            b'{"id": [1], "text": "x"}',
            b"",
            b'{"id": 4, "text": "ok"}',
        ]
    )
    lines = [json.loads(line) for line in classifier.classify_jsonl(data)]
    assert [line.get("error") is None for line in lines] == [True, False, False, False, False, False, False, True]
    assert lines[1] == {"id": 5, "line": 2, "error": "invalid UTF-8 at byte 20 of the line"}
    assert lines[2]["error"].startswith("lone surrogate escape `\\ud800`")
    assert lines[-1]["id"] == 4
    lossy = [json.loads(line) for line in classifier.classify_jsonl(data, lossy=True)]
    assert lossy[1].get("error") is None and lossy[2].get("error") is None
    with pytest.raises(TypeError, match="data is int, not str or bytes"):
        classifier.classify_jsonl(5)
