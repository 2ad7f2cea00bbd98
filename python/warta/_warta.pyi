"""Typing stub of the Rust extension module that ``warta`` re-exports."""

import os
from collections.abc import Iterable
from typing import Literal, TypedDict

__version__: str

Topic = Literal[
    "neutrality_warning",
    "sanction_threat",
    "passive_campaign_attendance",
    "violation_report",
    "neutrality_pledge",
    "social_media_conduct",
    "campaign_leave",
    "money_politics",
]
"""The id of one of the eight topics."""

TOPICS: tuple[Topic, ...]
"""The eight topic ids, in the library's order."""

Boilerplate = Literal[
    "read_also",
    "related_list",
    "footer",
    "byline",
    "caption",
    "comment_prompt",
    "promo",
    "widget",
]
"""The kind of a boilerplate paragraph."""

TokenKind = Literal[
    "word", "number", "date", "money", "url", "abbreviation", "punctuation", "symbol"
]

class Span(TypedDict):
    """A matched stretch of the text: ``text[start:end] == span["text"]``."""

    start: int
    end: int
    text: str

class Fired(TypedDict, total=False):
    """What fired: a lexicon term or a proximity rule by name, or a carry-over."""

    kind: Literal["term", "near", "carry_over"]
    name: str

class Evidence(TypedDict, total=False):
    """One rule firing for a topic, with every span where its words matched."""

    topic: Topic
    fired: Fired
    spans: list[Span]
    negated: bool

class Paragraph(TypedDict, total=False):
    """A paragraph: content (``boilerplate`` is ``None``) or boilerplate."""

    start: int
    end: int
    boilerplate: Boilerplate | None
    labels: list[Topic]
    scores: dict[Topic, float]
    evidence: list[Evidence]

class Dateline(TypedDict):
    """The dateline split off the first content paragraph."""

    place: str | None
    outlet: str | None
    start: int
    end: int

class SignOff(TypedDict):
    """A trailing sign-off such as ``(ant)``."""

    text: str
    start: int
    end: int

class Article(TypedDict):
    """A classified article: the fields of a ``warta classify`` line but the id."""

    offsets: Literal["bytes", "chars"]
    labels: list[Topic]
    scores: dict[Topic, float]
    dateline: Dateline | None
    sign_off: SignOff | None
    paragraphs: list[Paragraph]

class Cut(TypedDict):
    """A range of a content paragraph that is not scored."""

    start: int
    end: int
    reason: str | dict[str, str]

class CleanParagraph(TypedDict, total=False):
    """A paragraph of a cleaned text."""

    start: int
    end: int
    boilerplate: Boilerplate | None
    cuts: list[Cut]

class Cleaned(TypedDict):
    """A cleaned text: its clean text, paragraphs, dateline and sign-off."""

    text: str
    paragraphs: list[CleanParagraph]
    dateline: Dateline | None
    sign_off: SignOff | None

class Token(TypedDict):
    """A token; ``text[start:end] == token["text"]``."""

    start: int
    end: int
    kind: TokenKind
    text: str
    normalized: str
    stem: str | None

class Classifier:
    """Scores Indonesian news articles for the eight election-neutrality topics.

    ``Classifier()`` uses the embedded lexicon; ``Classifier(path)`` loads a
    lexicon TOML file (one starting with ``extends = "default"`` adds to the
    embedded one). A lexicon with mistakes raises ``ValueError`` naming
    file, line and column; an unreadable file raises ``OSError``. Terms
    that duplicate each other after stemming are issued as ``UserWarning``.
    """

    def __init__(self, lexicon: str | os.PathLike[str] | None = None) -> None: ...
    @property
    def warnings(self) -> list[str]:
        """The lexicon's warnings: terms that duplicate each other after stemming."""

    def classify(self, text: str) -> Article:
        """Classifies one article; offsets (``"chars"``) are indices into ``text``.

        Raises ``UnicodeEncodeError`` (a ``ValueError``) when ``text`` holds
        a lone surrogate.
        """

    def classify_many(self, texts: Iterable[str], threads: int | None = None) -> list[Article]:
        """Classifies many articles in parallel without the GIL, in order.

        ``threads`` defaults to all cores.
        """

    def classify_jsonl(
        self,
        data: str | bytes,
        threads: int | None = None,
        offsets: Literal["bytes", "chars"] = "bytes",
        lossy: bool = False,
    ) -> list[str]:
        """The lines ``warta classify [--offsets chars] [--lossy]`` writes for
        the JSON Lines ``data``.

        One line per non-blank input line, in order; a line that cannot be
        read gives ``{"id", "line", "error"}``.
        """

def clean(text: str) -> Cleaned:
    """Splits an article into paragraphs and marks boilerplate."""

def tokenize(text: str) -> list[Token]:
    """Splits a text into tokens, with their normalized forms and stems."""

def stem(word: str) -> str:
    """Stems one Indonesian word, trimmed and lower-cased first."""
