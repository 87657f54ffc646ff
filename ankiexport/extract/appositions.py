"""Definitions inside a sentence: "… sensory receptors called proprioceptors, which play …" names
proprioceptors; "… trigger points, which are tight areas within muscle tissue …" defines trigger points.

Kind "term" (the Definition note type): these are not the page's own definitions, so examples do not
join them and ``--kinds definition`` leaves them out. A term the page defines already keeps its own card; one card per
term (the first), and a "which are" term must come up again on the page (what it teaches, not an aside).
"""

from __future__ import annotations

import re

from ..markup import text_to_html
from ..model import Article, BlockKind, Definition, Item, Section, Term
from ..rules.heuristics import (
    APPOSITION_TERM_MAX_WORDS,
    APPOSITION_TERM_MIN_MENTIONS,
    CALLED_TERM,
    DETERMINERS,
    LIST_LEAD_PRONOUN,
    PROSE_DEFINITION_MIN_WORDS,
    SENTENCE_SPLIT,
    SUBJECT_FUNCTION_WORDS,
    WHICH_ARE,
    word_count,
)
from . import definitions, prose
from .blocks import Blocks

_STOP = SUBJECT_FUNCTION_WORDS | DETERMINERS | frozenset(
    "and or as such into onto with from by at over under between through about like "
    "und oder mit aus bei nach zu über unter zwischen durch für gegen "
    "et ou avec par pour sur sous dans entre y o con por para sobre entre sin".split())


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def noun_phrase(before: str) -> str | None:
    """The last words before the comma that can name a term: back to a function word or a verb form."""
    words: list[str] = []
    for word in reversed(before.split()):
        bare = word.strip("\"'“”()").casefold()
        if bare in _STOP or bare.endswith(("ing", "ed")) or (not bare.isalpha() and "-" not in bare):
            break
        words.insert(0, word)
        if len(words) == APPOSITION_TERM_MAX_WORDS:
            break
    return " ".join(words) or None


def called(sentence: str) -> tuple[str, str] | None:
    found = CALLED_TERM.search(sentence)
    if found is None:
        return None
    rest = (sentence[: found.start()].rstrip() + sentence[found.end():]).strip()
    return found["term"], rest


def which_are(sentence: str, page: str) -> tuple[str, str] | None:
    found = WHICH_ARE.search(sentence.rstrip("."))
    if found is None:
        return None
    term = noun_phrase(found["before"])
    if term is None or LIST_LEAD_PRONOUN.fullmatch(_capital(term)):
        return None
    singular = found["copula"].casefold() in ("is", "ist", "est", "es")
    if singular and found["predicate"].split()[0].casefold() not in DETERMINERS:
        return None  # "Lean protein, which is essential for …" qualifies; "…, which is a …" defines
    if found["copula"] == "are" and not term.endswith("s"):
        return None  # "… on the Web, which are the … APIs": the clause belongs to a noun further back
    if len(re.findall(rf"\b{re.escape(term)}\b", page, re.IGNORECASE)) < APPOSITION_TERM_MIN_MENTIONS:
        return None
    return term, found["predicate"].strip() + "."


def extract(article: Article, blocks: Blocks) -> list[Item]:
    page = " ".join(block.text for block in article.blocks)
    known = [item.term for item in (*definitions.extract(article, blocks), *prose.extract(article, blocks))
             if isinstance(item, Definition)]
    items: list[Item] = []
    for block in article.blocks:
        if block.kind is BlockKind.HEADING or block.section not in (Section.INTRO, Section.BODY):
            continue
        for sentence in SENTENCE_SPLIT.split(block.text):
            found = called(sentence) or which_are(sentence, page)
            if found is None:
                continue
            term, definition = _capital(found[0]), _capital(found[1])
            if word_count(definition) < PROSE_DEFINITION_MIN_WORDS:
                continue
            if any(_overlaps(term, k) for k in known):
                continue
            known.append(term)
            items.append(Term(chapter=block.chapter, span=block.span, term=term,
                                    definition=text_to_html(definition)))
    return items


def _overlaps(a: str, b: str) -> bool:
    """One term ends the other ("Myofascial trigger points" / "Trigger points"): the same card."""
    wa, wb = prose.content_words(a), prose.content_words(b)
    n = min(len(wa), len(wb))
    return n > 0 and all(prose.same_word(x, y) for x, y in zip(wa[-n:], wb[-n:], strict=True))
