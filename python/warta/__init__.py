"""Clean, tokenize, stem and classify Indonesian news articles.

warta strips the boilerplate scrapers leave in Indonesian news (``BACA
JUGA:`` lines, captions, bylines, tag footers), tokenizes and stems the
Indonesian, and scores every paragraph for eight election-neutrality topics
with keyword lexicons, each label with its evidence: the matched words as
spans into the text. The work is done in Rust; ``Classifier.classify_many``
runs on all cores without the GIL.

>>> import warta
>>> classifier = warta.Classifier()
>>> text = "Bupati meminta ASN menjaga netralitas selama Pilkada 2024."
>>> article = classifier.classify(text)
>>> article["labels"]
['neutrality_warning']
>>> evidence = article["paragraphs"][0]["evidence"]
>>> sorted({s["text"] for e in evidence for s in e["spans"]})
['ASN', 'meminta', 'menjaga netralitas', 'netralitas']
>>> all(text[s["start"]:s["end"]] == s["text"] for e in evidence for s in e["spans"])
True
"""

from ._warta import TOPICS, Classifier, __version__, clean, stem, tokenize

__all__ = ["TOPICS", "Classifier", "__version__", "clean", "stem", "tokenize"]
