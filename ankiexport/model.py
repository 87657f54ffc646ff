"""The document model: what readers produce and extractors consume.

All frozen dataclasses: every pipeline stage returns new values, so each stage can be tested alone.
Text fields named ``html`` hold *safe* inline HTML (escaped or sanitised by the reader); fields named
``text`` hold the same content as plain text, used for matching and identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any, ClassVar

ChapterPath = tuple[str, ...]


class BlockKind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    BULLET = "bullet"


class Section(str, Enum):
    """Which part of the page a block belongs to; markers in the page switch sections."""

    INTRO = "intro"  # before the first chapter heading
    BODY = "body"
    TAKEAWAYS = "takeaways"
    FAQ = "faq"
    QUIZ = "quiz"


@dataclass(frozen=True)
class Span:
    """1-based, inclusive source line range."""

    start: int
    end: int

    def __reduce__(self) -> tuple[Any, ...]:
        return (_span, (self.start, self.end))  # see "Pickling" below


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    html: str
    span: Span
    chapter: ChapterPath = ()
    section: Section = Section.BODY
    level: int = 0  # heading level (1 = top chapter); 0 for non-headings


@dataclass(frozen=True)
class Chapter:
    title: str
    path: ChapterPath
    span: Span

    @property
    def level(self) -> int:
        return len(self.path)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_chapter, (self.title, self.path, self.span.start, self.span.end))


@dataclass(frozen=True)
class Article:
    title: str
    source: str  # what to call the article in messages: usually the file name
    blocks: tuple[Block, ...]
    chapters: tuple[Chapter, ...] = ()
    subject: str | None = None
    language: str = "en"
    identity: str | None = None  # a manifest's stable id; the title otherwise
    url: str | None = None
    media: tuple[MediaFile, ...] = ()
    structured: tuple[Item, ...] = ()  # items a reader found in structured data (e.g. JSON-LD)
    warnings: tuple[str, ...] = ()

    @cached_property  # asked once per note
    def key(self) -> str:
        """The article's identity for GUIDs: a manifest id, else its title — never its file path."""
        return normalise_key(self.identity or self.title)


@dataclass(frozen=True)
class MediaFile:
    name: str  # content-hashed, path-free
    data: bytes = field(repr=False)


# --- Items: what extractors return -------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    chapter: ChapterPath
    span: Span
    kind: ClassVar[str] = "item"

    @property
    def key(self) -> str:
        """The part of the item that names it: hashed into the note GUID, so never the answer text."""
        raise NotImplementedError

    def fields(self) -> dict[str, str]:
        raise NotImplementedError


@dataclass(frozen=True)
class Definition(Item):
    term: str  # plain text
    definition: str  # html
    example: str = ""  # html
    kind: ClassVar[str] = "definition"

    @property
    def key(self) -> str:
        return "::".join((*self.chapter, self.term))

    def fields(self) -> dict[str, str]:
        return {"term": self.term, "definition": self.definition, "example": self.example}

    def __reduce__(self) -> tuple[Any, ...]:
        # The subclasses below add no field: each travels as its own class with these values.
        return (_definition, (type(self), self.chapter, self.span.start, self.span.end, self.term,
                              self.definition, self.example))


@dataclass(frozen=True)
class KeyPoint(Definition):
    """A "• Lead: text" bullet inside a chapter."""

    kind: ClassVar[str] = "keypoint"


@dataclass(frozen=True)
class ChapterNote(Definition):
    """A chapter with an example but no definition: heading → opening passage, so the example has a home."""

    kind: ClassVar[str] = "chapter"


@dataclass(frozen=True)
class Takeaway(Definition):
    kind: ClassVar[str] = "takeaway"

    @property
    def key(self) -> str:
        # Takeaways sit in the article-level section, so the lead alone names them.
        return self.term


@dataclass(frozen=True)
class Faq(Item):
    question: str  # plain text
    answer: str  # html
    kind: ClassVar[str] = "faq"

    @property
    def key(self) -> str:
        return self.question

    def fields(self) -> dict[str, str]:
        return {"question": self.question, "answer": self.answer}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_faq, (self.chapter, self.span.start, self.span.end, self.question, self.answer))


# A card lists at most this many options (letters A–H); more is an error in hand-written quizzes.
MAX_OPTIONS = 8


@dataclass(frozen=True)
class QuizItem(Item):
    question: str  # plain text
    options: tuple[str, ...] = ()  # html, in the order given
    correct: tuple[int, ...] = ()  # indexes into options
    explanation: str = ""  # html
    evidence: tuple[Evidence, ...] = ()
    shuffle: bool = False  # let the card shuffle the options at each review
    kind: ClassVar[str] = "quiz"

    @property
    def key(self) -> str:
        return self.question

    @property
    def complete(self) -> bool:
        return bool(self.options) and bool(self.correct)

    @property
    def status(self) -> str:
        """"complete" (options and a key), "evidence-only" (passages of the article) or "unanswered"."""
        if self.complete:
            return "complete"
        return "evidence-only" if self.evidence else "unanswered"

    def fields(self) -> dict[str, str]:
        return {
            "question": self.question,
            "options": "\n".join(self.options),
            "correct": ",".join(chr(ord("A") + i) for i in self.correct),
            "explanation": self.explanation,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return (_quiz_item, (self.chapter, self.span.start, self.span.end, self.question, self.options,
                             self.correct, self.explanation, self.evidence, self.shuffle))


@dataclass(frozen=True)
class Evidence:
    """A passage of the article that may answer an answer-less question."""

    html: str
    chapter: ChapterPath
    span: Span
    text: str = ""  # the same passage as plain text (for `inspect`)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_evidence, (self.html, self.chapter, self.span.start, self.span.end, self.text))


def normalise_key(text: str) -> str:
    """Case- and whitespace-insensitive form used in identities, so a re-capitalised title keeps its GUIDs."""
    # Runs of whitespace made one space, none at the ends: what re.sub(r"\s+", " ", text).strip() gives
    # (str.split, str.strip and the regex's \s test the same characters, str.isspace's), for a tenth
    # of its cost; every note's GUID is made from a key (tests/test_identity.py compares the two).
    return " ".join(text.split()).casefold()


# --- Pickling ------------------------------------------------------------------------------------
# A build's worker processes send every article's chapters and items back to the writing process,
# the busiest one. By default a dataclass pickles as
# its class and a dict of its fields, which unpickling builds and then copies key by key into the new
# instance's __dict__, interning every key again; a Span is a whole object of its own. These
# functions take the fields as arguments and fill a new instance's __dict__ from keywords in field
# order (the object its constructor makes: equal, hashed alike, ``dataclasses.replace`` works), with
# the span's lines among them. Per 100 articles: pickling 77 → 56 M instructions, unpickling 62 → 51 M.
# tests/test_identity.py round-trips every kind.

_new = object.__new__


def _span(start: int, end: int) -> Span:
    span = _new(Span)
    span.__dict__.update(start=start, end=end)
    return span


def _chapter(title: str, path: ChapterPath, start: int, end: int) -> Chapter:
    chapter = _new(Chapter)
    chapter.__dict__.update(title=title, path=path, span=_span(start, end))
    return chapter


def _definition(cls: type[Definition], chapter: ChapterPath, start: int, end: int, term: str, definition: str,
                example: str) -> Definition:
    item = _new(cls)
    item.__dict__.update(chapter=chapter, span=_span(start, end), term=term, definition=definition,
                         example=example)
    return item


def _faq(chapter: ChapterPath, start: int, end: int, question: str, answer: str) -> Faq:
    item = _new(Faq)
    item.__dict__.update(chapter=chapter, span=_span(start, end), question=question, answer=answer)
    return item


def _quiz_item(chapter: ChapterPath, start: int, end: int, question: str, options: tuple[str, ...],
               correct: tuple[int, ...], explanation: str, evidence: tuple[Evidence, ...], shuffle: bool,
               ) -> QuizItem:
    item = _new(QuizItem)
    item.__dict__.update(chapter=chapter, span=_span(start, end), question=question, options=options,
                         correct=correct, explanation=explanation, evidence=evidence, shuffle=shuffle)
    return item


def _evidence(html: str, chapter: ChapterPath, start: int, end: int, text: str) -> Evidence:
    evidence = _new(Evidence)
    evidence.__dict__.update(html=html, chapter=chapter, span=_span(start, end), text=text)
    return evidence
