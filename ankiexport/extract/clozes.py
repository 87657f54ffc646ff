"""Cloze notes: a sentence whose key term the page emphasises, with that term as the gap.

"The <strong>mitochondrion</strong> is the powerhouse of the cell." → "The {{c1::mitochondrion}} is the
powerhouse of the cell.", the chapter on the back. The term must be what the sentence defines (its
subject before "is a/the …", or the name after "called"); only body paragraphs (not examples), only
complete sentences of card size that do not open on a pronoun, one gap per sentence, one cloze per term.
"""

from __future__ import annotations

import html
import re

from ..model import Article, BlockKind, Cloze, Item, Section
from ..rules.heuristics import (
    CLOZE_DEFINED_AFTER,
    CLOZE_NAMED_BEFORE,
    CLOZE_SENTENCE_MAX_WORDS,
    CLOZE_SENTENCE_MIN_WORDS,
    CLOZE_TERM_MAX_WORDS,
    DETERMINERS,
    EMPHASISED,
    EVALUATIVE,
    LIST_LEAD_PRONOUN,
    SENTENCE_SPLIT,
    word_count,
)
from .blocks import Blocks
from .examples import is_example


def cloze_text(sentence: str, term: str) -> str | None:
    """The sentence as HTML with the term as its one gap, or None when the term is no gap of it."""
    found = list(re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", sentence))
    if len(found) != 1:
        return None
    at = found[0]
    before, after = sentence[: at.start()], sentence[at.end():]
    subject = before.strip().casefold() in ("", *DETERMINERS)
    defined = CLOZE_DEFINED_AFTER.match(after)
    # A capitalised name after "called" is a title ("a book called Le Monde Primitif"), not a term.
    named = CLOZE_NAMED_BEFORE.search(before) and not all(w[:1].isupper() for w in term.split())
    if not ((subject and defined and not EVALUATIVE.match(defined["first"])) or named):
        return None
    return (html.escape(sentence[: at.start()], quote=False) + "{{c1::" + html.escape(term, quote=False) + "}}"
            + html.escape(sentence[at.end():], quote=False))


def extract(article: Article, blocks: Blocks) -> list[Item]:
    items: list[Item] = []
    seen: set[str] = set()
    for block in article.blocks:
        if (block.kind is not BlockKind.PARAGRAPH or block.section not in (Section.INTRO, Section.BODY)
                or is_example(block) or "<" not in block.html):
            continue
        sentences = SENTENCE_SPLIT.split(block.text)
        for found in EMPHASISED.finditer(block.html):
            term = html.unescape(found["inner"]).strip()
            if (term.casefold() in seen or word_count(term) > CLOZE_TERM_MAX_WORDS or "::" in term
                    or not any(c.isalpha() for c in term)):
                continue
            sentence = next((s.strip() for s in sentences if term in s), None)
            if (sentence is None or not sentence.endswith(".") or LIST_LEAD_PRONOUN.match(sentence)
                    or not CLOZE_SENTENCE_MIN_WORDS <= word_count(sentence) <= CLOZE_SENTENCE_MAX_WORDS
                    or any(item.sentence == sentence for item in items if isinstance(item, Cloze))):
                continue
            text = cloze_text(sentence, term)
            if text is None:
                continue
            seen.add(term.casefold())
            items.append(Cloze(chapter=block.chapter, span=block.span, text=text, sentence=sentence))
    return items
