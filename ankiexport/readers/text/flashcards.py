"""Other study sites' flashcard pages saved as text: their question/answer layouts → Q&A items.

Three layouts are recognised, each only when its markers are unmistakable (precision before recall:
a page that merely looks like cards is left to the article parser, which then finds nothing):

- *Q/A* (Brainscape): a line "Q", the question, a line "A", the answer, then the self-rating strip;
- *CARD n: Front: … Back: …* (Stuvia study guides): hard-wrapped lines, cards running into each other;
- *Front/Back columns* (Cram): a "Front" and a "Back" column header, then a short term line followed by
  the sentences of its back, term after term.

A card cut off by the end of the file (no answer, or an answer ending mid-word) is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ...markup import text_to_html
from ...model import Faq, Item, Span
from ...rules import chrome
from ...rules.heuristics import SENTENCE_END, unbulleted, word_count

# Chapter of every card item, so its note gets a chapter tag like the article's sections do.
CARDS_CHAPTER = "Flashcards"

QUESTION_MARK = re.compile(r"Q")
ANSWER_MARK = re.compile(r"A")
# Brainscape needs at least two Q/A pairs before a lone "Q" line is believed to be a card marker.
QA_MIN_PAIRS = 2
FRONT_BACK_CARD = re.compile(r"CARD\s+\d+\s*:\s*Front\s*:", re.IGNORECASE)
_FRONT_BACK_SPLIT = re.compile(
    r"CARD\s+\d+\s*:\s*Front\s*:\s*(?P<front>.+?)\s*Back\s*:\s*(?P<back>.+?)\s*(?=CARD\s+\d+\s*:|\Z)",
    re.IGNORECASE | re.DOTALL,
)
# A Stuvia section line ("SECTION 1: DIGITAL FLASHCARD SET (60 Cards)") or a page number (",2").
_GUIDE_FURNITURE = re.compile(r"(SECTION \d+\s*:\s*)?[A-Z0-9][A-Z0-9 &/,:'-]*\(\d+ Cards\)|[,.]?\d{1,3}")
_COLUMN_FRONT, _COLUMN_BACK = re.compile(r"Front", re.IGNORECASE), re.compile(r"Back", re.IGNORECASE)
# Cram: a term line is short and not a sentence ("Darius", "Xerxes-king of Persia").
TERM_MAX_WORDS = 8
# Phrase endings that close a card's text; a closing quote counts (Brainscape mnemonics end in ’).
_CARD_END = re.compile(r"[.!?…)\"”»’']\s*$")


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str  # stripped


def is_furniture(text: str) -> bool:
    return chrome.is_chrome(text) or chrome.first_match(chrome.OTHER_SITES, text) is not None


def _card(question: list[SourceLine], answer: list[SourceLine], sep: str = "<br>") -> Faq:
    return Faq(chapter=(CARDS_CHAPTER,), span=Span(question[0].number, answer[-1].number),
               question=" ".join(q.text for q in question),
               answer=sep.join(text_to_html(a.text) for a in answer))


def _qa_cards(lines: list[SourceLine]) -> tuple[list[Item], int] | None:
    marks = [i for i, ln in enumerate(lines) if QUESTION_MARK.fullmatch(ln.text)]
    answers = [i for i, ln in enumerate(lines) if ANSWER_MARK.fullmatch(ln.text)]
    if min(len(marks), len(answers)) < QA_MIN_PAIRS:
        return None
    items: list[Item] = []
    for n, start in enumerate(marks):
        end = marks[n + 1] if n + 1 < len(marks) else len(lines)
        body = lines[start + 1 : end]
        split = next((i for i, ln in enumerate(body) if ANSWER_MARK.fullmatch(ln.text)), None)
        if split is None:
            continue  # the page was cut before this card's answer
        question = [ln for ln in body[:split] if not is_furniture(ln.text)]
        answer: list[SourceLine] = []
        for ln in body[split + 1 :]:
            if is_furniture(ln.text):
                break  # the rating strip and the next card's number follow the answer
            answer.append(ln)
        last_card = end == len(lines)
        if question and answer and not (last_card and not _CARD_END.search(answer[-1].text)
                                        and answer[-1] is body[-1]):
            items.append(_card(question, answer))
    return items, marks[0]


def _front_back_cards(lines: list[SourceLine]) -> tuple[list[Item], int] | None:
    first = next((i for i, ln in enumerate(lines) if FRONT_BACK_CARD.match(ln.text)), None)
    if first is None:
        return None
    kept = [ln for ln in lines[first:] if not _GUIDE_FURNITURE.fullmatch(ln.text)]
    # Join the hard-wrapped lines, remembering where each line starts so spans stay right.
    text, starts = "", []
    for ln in kept:
        starts.append((len(text), ln.number))
        text += ln.text + " "
    items: list[Item] = []
    for found in _FRONT_BACK_SPLIT.finditer(text):
        front, back = found["front"].strip(), found["back"].strip()
        cut = found.end() >= len(text.rstrip()) and not _CARD_END.search(back)
        if cut or not front or not back:
            continue
        first_line = max(n for pos, n in starts if pos <= found.start())
        last_line = max(n for pos, n in starts if pos <= found.end("back") - 1)
        items.append(Faq(chapter=(CARDS_CHAPTER,), span=Span(first_line, last_line), question=front,
                         answer=text_to_html(back)))
    return items, first


def _is_term(text: str) -> bool:
    return word_count(text) <= TERM_MAX_WORDS and not SENTENCE_END.search(text) and not text.endswith(":")


def _column_cards(lines: list[SourceLine]) -> tuple[list[Item], int] | None:
    texts = [unbulleted(ln.text) for ln in lines]
    header = next((i for i in range(len(texts) - 1)
                   if _COLUMN_FRONT.fullmatch(texts[i]) and _COLUMN_BACK.fullmatch(texts[i + 1])), None)
    if header is None:
        return None
    items: list[Item] = []
    term: SourceLine | None = None
    back: list[SourceLine] = []

    def flush(at_end: bool) -> None:
        if term is not None and back and not (at_end and not _CARD_END.search(back[-1].text)):
            items.append(_card([term], back))

    for ln in lines[header + 2 :]:
        if is_furniture(ln.text):
            continue
        if _is_term(ln.text):
            flush(at_end=False)
            term, back = ln, []
        elif term is not None:
            back.append(ln)
    flush(at_end=True)
    return items, header


LAYOUTS: tuple[Callable[[list[SourceLine]], tuple[list[Item], int] | None], ...] = (
    _qa_cards, _front_back_cards, _column_cards)


def find_cards(stripped: list[str]) -> tuple[list[Item], int] | None:
    """The page's cards and the index (among its non-blank lines) of the line where the card layout
    starts, or None when the page is not a flashcard page (then it is parsed as an article).
    ``stripped`` holds every line of the page, stripped, blank ones included."""
    lines = [SourceLine(i + 1, s) for i, s in enumerate(stripped) if s]
    for layout in LAYOUTS:
        found = layout(lines)
        if found is not None:
            return found
    return None
