"""The Python pipeline a newsroom engineer would write instead of warta.

Reads JSON Lines ({"id", "text", ...}), splits each text into lines
(paragraphs), tokenizes them with spaCy's blank Indonesian tokenizer, stems
every alphabetic token with PySastrawi (or PyStemmer's Indonesian Snowball
stemmer), looks the stems up in a small table of topic stems and writes one
JSON line per article with per-paragraph labels and evidence (character
offsets). Prints MB/s of JSON Lines input on standard error.

Needs `pip install spacy PySastrawi` (or `PyStemmer`) in a virtualenv:

    python3 -m venv /tmp/warta-pyenv
    /tmp/warta-pyenv/bin/pip install spacy PySastrawi PyStemmer
    /tmp/warta-pyenv/bin/python benches/python_baseline.py INPUT.jsonl > /dev/null

It is a comparison, not a reimplementation: its labels are far cruder than
warta's, which makes the speed comparison generous to Python.
"""

import argparse
import json
import sys
import time

# Our own small table of topic stems, in the form the stemmers give.
TOPIC_STEMS = {
    "netral": "neutrality_warning",
    "netralitas": "neutrality_warning",
    "imbau": "neutrality_warning",
    "sanksi": "sanction_threat",
    "tindak": "sanction_threat",
    "disiplin": "sanction_threat",
    "hadir": "passive_campaign_attendance",
    "lapor": "violation_report",
    "langgar": "violation_report",
    "adu": "violation_report",
    "pakta": "neutrality_pledge",
    "ikrar": "neutrality_pledge",
    "unggah": "social_media_conduct",
    "medsos": "social_media_conduct",
    "cuti": "campaign_leave",
    "amplop": "money_politics",
    "sembako": "money_politics",
    "suap": "money_politics",
}


def make_stemmer(name):
    """A function from a lower-case word to its stem, and the stemmer's name."""
    if name in ("sastrawi", "auto"):
        try:
            from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

            # The factory's stemmer caches every word it has seen.
            return StemmerFactory().create_stemmer().stem, "PySastrawi"
        except ImportError:
            if name == "sastrawi":
                raise
    import Stemmer

    return Stemmer.Stemmer("indonesian").stemWord, "PyStemmer (indonesian)"


def classify(nlp, stem, text):
    """Per-paragraph labels and evidence for one article."""
    paragraphs = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            paragraphs.append((start, end, line))
        start = end + 1
    out = []
    labels = set()
    for (start, end, _), doc in zip(paragraphs, nlp.pipe(p[2] for p in paragraphs)):
        evidence = []
        for token in doc:
            if not token.is_alpha:
                continue
            topic = TOPIC_STEMS.get(stem(token.lower_))
            if topic:
                begin = start + token.idx
                evidence.append({"topic": topic, "term": token.text,
                                 "start": begin, "end": begin + len(token.text)})
        paragraph_labels = sorted({e["topic"] for e in evidence})
        labels.update(paragraph_labels)
        out.append({"start": start, "end": end, "labels": paragraph_labels,
                    "evidence": evidence})
    return {"labels": sorted(labels), "paragraphs": out}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="JSON Lines with id and text")
    parser.add_argument("--stemmer", choices=["auto", "sastrawi", "pystemmer"], default="auto")
    args = parser.parse_args()

    import spacy

    loading = time.perf_counter()
    nlp = spacy.blank("id")
    stem, stemmer_name = make_stemmer(args.stemmer)
    start = time.perf_counter()
    articles = 0
    labelled = 0
    in_bytes = 0
    out = sys.stdout
    with open(args.input, "rb") as lines:
        for raw in lines:
            in_bytes += len(raw)
            if not raw.strip():
                continue
            record = json.loads(raw)
            result = classify(nlp, stem, record.get("text", ""))
            articles += 1
            labelled += bool(result["labels"])
            out.write(json.dumps({"id": record.get("id"), **result}, ensure_ascii=False))
            out.write("\n")
    out.flush()
    seconds = time.perf_counter() - start
    print(
        f"python baseline (spaCy blank('id') + {stemmer_name}): {articles} articles "
        f"({labelled} labelled), {in_bytes / 1e6:.2f} MB in {seconds:.2f} s = "
        f"{in_bytes / 1e6 / seconds:.2f} MB/s (setup {start - loading:.2f} s not counted)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
