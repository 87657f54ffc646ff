"""Prose definitions: a paragraph opening "X is a …" where X is the chapter's subject.

"A virus, in the simplest terms, is a non-living infectious entity that can only replicate inside a
host organism." under "Defining Virus and Their Types" → Virus: "A non-living infectious entity …".
Precision comes before recall (every rule is in :mod:`ankiexport.rules.heuristics`): only a paragraph's
first sentence, only a complete one, only the copula-plus-article form, never an evaluative predicate
("an integral technique"), one per term per article, and never a term the page already defines
explicitly ("Term: definition"), so the seed keeps exactly its four definitions.
"""

from __future__ import annotations

import re

from ..markup import text_to_html
from ..model import Article, ChapterPath, Definition, Item
from ..rules.heuristics import (
    ABBREVIATIONS,
    COORDINATED_VERB,
    DEFINING_SENTENCE,
    DETERMINERS,
    EVALUATIVE,
    HAS_COPULA,
    HEADING_SUBJECT_FORMS,
    PROSE_DEFINITION_MAX_WORDS,
    PROSE_DEFINITION_MIN_WORDS,
    SENTENCE_BREAK,
    SUBJECT_CONJUNCTION,
    SUBJECT_ENDING_MAX_CHARS,
    SUBJECT_FUNCTION_WORDS,
    SUBJECT_STEM_MIN_CHARS,
    word_count,
)
from . import definitions
from .blocks import Blocks

_WORD = re.compile(r"[^\W_]+")


def first_sentence(text: str) -> str:
    """The paragraph's first sentence, or "" when it never ends (a truncated page)."""
    start = 0
    for found in SENTENCE_BREAK.finditer(text):
        before = text[start : found.start()].split()
        if before and (before[-1].casefold() in ABBREVIATIONS or len(before[-1]) == 2):
            continue  # "z. B." or an initial, not a sentence end
        return text[: found.start()].strip()
    stripped = text.strip()
    return stripped if stripped.endswith((".", "!")) else ""


def heading_subjects(heading: str) -> list[str]:
    """What a heading names: "Defining Virus and Their Types" → ["Virus", "Their Types"]."""
    subject = heading.strip()
    changed = True
    while changed:
        changed = False
        for form in HEADING_SUBJECT_FORMS:
            found = form.fullmatch(subject)
            if found and found["subject"].strip() and found["subject"].strip() != subject:
                subject, changed = found["subject"].strip(), True
    return [subject, *SUBJECT_CONJUNCTION.split(subject)]


def content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if w not in SUBJECT_FUNCTION_WORDS]


def same_word(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= SUBJECT_STEM_MIN_CHARS and long.startswith(short)
                      and len(long) - len(short) <= SUBJECT_ENDING_MAX_CHARS)


def same_subject(a: str, b: str) -> bool:
    wa, wb = content_words(a), content_words(b)
    return bool(wa) and len(wa) == len(wb) and all(same_word(x, y) for x, y in zip(wa, wb, strict=True))


def _term(subject: str, abbr: str | None) -> str:
    words = subject.split()
    if words and words[0].casefold() in DETERMINERS:
        words = words[1:]
    term = " ".join(words)
    term = re.sub(r"^[lLdD]['’]", "", term)
    term = term[:1].upper() + term[1:]
    return f"{term} ({abbr})" if abbr else term


def defining(sentence: str, subjects: list[str]) -> tuple[str, str] | None:
    """(term, definition) when the sentence defines one of ``subjects``, else None."""
    found = DEFINING_SENTENCE.fullmatch(sentence) if HAS_COPULA.search(sentence) else None
    if not found or not any(same_subject(found["subject"], s) for s in subjects):
        return None
    if any(EVALUATIVE.match(word) for word in (found["first"], found["second"] or "")):
        return None
    predicate = found["predicate"].strip()
    if COORDINATED_VERB.search(predicate.split(",", 1)[0]):
        return None
    if not PROSE_DEFINITION_MIN_WORDS <= word_count(predicate) <= PROSE_DEFINITION_MAX_WORDS:
        return None
    return _term(found["subject"], found["abbr"]), predicate[:1].upper() + predicate[1:]


def extract(article: Article, blocks: Blocks) -> list[Item]:
    explicit: list[str] | None = None  # the page's own "Term: definition" terms, found when first needed
    headings = {chapter.path: chapter.title for chapter in article.chapters}
    subjects_of: dict[ChapterPath, list[str]] = {}  # (worked out when a paragraph needs them)
    items: list[Item] = []
    for block in blocks.opening_paragraphs:
        if not HAS_COPULA.search(block.text):
            continue  # nor has its first sentence
        if not block.chapter:
            subjects = [article.title]
        elif block.chapter in headings:
            if block.chapter not in subjects_of:
                subjects_of[block.chapter] = heading_subjects(headings[block.chapter])
            subjects = subjects_of[block.chapter]
        else:
            subjects = []
        found = defining(first_sentence(block.text), subjects)
        if found is None:
            continue
        term, definition = found
        bare = re.sub(r"\s*\([^()]*\)$", "", term)
        if explicit is None:
            explicit = [item.term for item in definitions.extract(article, blocks) if isinstance(item, Definition)]
        known = [*explicit, *(i.term for i in items if isinstance(i, Definition))]
        if any(same_subject(bare, re.sub(r"\s*\([^()]*\)$", "", k)) for k in known):
            continue
        items.append(Definition(chapter=block.chapter, span=block.span, term=term, definition=text_to_html(definition)))
    return items
