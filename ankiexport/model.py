"""The document model: what readers produce and extractors consume.

All frozen dataclasses: every pipeline stage returns new values, so each stage can be tested alone.
Text fields named ``html`` hold *safe* inline HTML (escaped or sanitised by the reader); fields named
``text`` hold the same content as plain text, used for matching and identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import ClassVar

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


@dataclass(frozen=True)
class Article:
    title: str
    source: str  # what to call the article in messages: usually the file name
    blocks: tuple[Block, ...]
    chapters: tuple[Chapter, ...] = ()
    subject: str | None = None
    language: str = "en"
    identity: str | None = None  # a manifest's stable id; the subject and title otherwise
    url: str | None = None
    summary: str | None = None  # the page's meta description, shown in the deck's description
    media: tuple[MediaFile, ...] = ()
    structured: tuple[Item, ...] = ()  # items a reader found in structured data (e.g. JSON-LD)
    warnings: tuple[str, ...] = ()
    deck: str | None = None  # the article's own deck (Markdown front matter), when the plan names none
    tags: tuple[str, ...] = ()  # the article's own tags for its notes (Markdown front matter)

    @cached_property  # asked once per note
    def key(self) -> str:
        """The article's identity for GUIDs: a manifest id, else its subject and title — never its file
        path, nor its URL (the same page is saved from several addresses, and sites move pages)."""
        return normalise_key(self.identity or (f"{self.subject}::{self.title}" if self.subject else self.title))


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
    # The chapter as the article prints it, when a manifest renames it: keys use it, so a display
    # rename never changes a GUID.
    printed_chapter: ChapterPath | None = field(default=None, kw_only=True)

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
        return "::".join((*(self.printed_chapter or self.chapter), self.term))

    def fields(self) -> dict[str, str]:
        return {"term": self.term, "definition": self.definition, "example": self.example}


@dataclass(frozen=True)
class KeyPoint(Definition):
    """A "• Lead: text" bullet inside a chapter."""

    kind: ClassVar[str] = "keypoint"


@dataclass(frozen=True)
class ChapterNote(Definition):
    """A chapter with an example but no definition: heading → opening passage, so the example has a home."""

    kind: ClassVar[str] = "chapter"


@dataclass(frozen=True)
class Term(Definition):
    """A term a sentence defines in passing: "… receptors called proprioceptors, which …"."""

    kind: ClassVar[str] = "term"


@dataclass(frozen=True)
class Takeaway(Definition):
    kind: ClassVar[str] = "takeaway"

    @property
    def key(self) -> str:
        # Takeaways sit in the article-level section, so the lead alone names them.
        return self.term


@dataclass(frozen=True)
class QuestionAnswer(Item):
    """A question and its answer: the Q&A note type's item kinds share these fields."""

    question: str  # plain text
    answer: str  # html

    @property
    def key(self) -> str:
        return self.question

    def fields(self) -> dict[str, str]:
        return {"question": self.question, "answer": self.answer}


@dataclass(frozen=True)
class Faq(QuestionAnswer):
    kind: ClassVar[str] = "faq"


@dataclass(frozen=True)
class Question(QuestionAnswer):
    """A question the page asks in a heading ("Wie entsteht Erdöl?"), answered by the passage under it."""

    kind: ClassVar[str] = "question"


@dataclass(frozen=True)
class ListCard(Question):
    """A sentence or heading that introduces a short list: it asks for the list, the items answer."""

    kind: ClassVar[str] = "list"


@dataclass(frozen=True)
class Cloze(Item):
    """A key sentence with its emphasised key term as the gap: "The {{c1::mitochondrion}} is …"."""

    text: str  # html, holding one {{c1::…}}
    sentence: str  # the sentence as plain text: what names the note
    kind: ClassVar[str] = "cloze"

    @property
    def key(self) -> str:
        return self.sentence

    def fields(self) -> dict[str, str]:
        return {"text": self.text}


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


@dataclass(frozen=True)
class Evidence:
    """A passage of the article that may answer an answer-less question."""

    html: str
    chapter: ChapterPath
    span: Span
    text: str = ""  # the same passage as plain text (for `inspect`)


def normalise_key(text: str) -> str:
    """Case- and whitespace-insensitive form used in identities, so a re-capitalised title keeps its GUIDs."""
    return " ".join(text.split()).casefold()
