"""Definitions a page gives as markup in its prose: two-column glossary tables (term | meaning) and
``<abbr title>`` expansions whose letters are the title's initials."""

from __future__ import annotations

import html

import lxml.html

from ..markup import text_to_html
from ..model import Article, Block, Definition, Item, Section
from ..rules.heuristics import (
    ABBR,
    DEFINITION_TERM_MAX_WORDS,
    GLOSSARY_HEADER,
    GLOSSARY_MEANING_MIN_WORDS,
    GLOSSARY_TABLE_MIN_ROWS,
    REFERENCE_CHAPTER,
    SUBJECT_FUNCTION_WORDS,
    word_count,
)
from .blocks import Blocks


def table_rows(fragment: str) -> list[list[str]]:
    """Each row of each table in the fragment, as the plain text of its cells."""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return [[" ".join(cell.text_content().split()) for cell in row if cell.tag in ("td", "th")]
            for table in root.iter("table") for row in table.iter("tr")]


def glossary(rows: list[list[str]]) -> list[tuple[str, str]]:
    """The (term, meaning) pairs when the rows form a glossary, else none."""
    if rows and len(rows[0]) == 2 and GLOSSARY_HEADER.fullmatch(rows[0][0]):
        rows = rows[1:]
    if len(rows) < GLOSSARY_TABLE_MIN_ROWS or any(len(row) != 2 for row in rows):
        return []
    for term, meaning in rows:
        if (not term or word_count(term) > DEFINITION_TERM_MAX_WORDS or word_count(meaning) < GLOSSARY_MEANING_MIN_WORDS
                or sum(c.isalpha() for c in meaning) < sum(c.isdigit() for c in meaning)):
            return []
    return [(term, meaning) for term, meaning in rows]


_UNSPELT = SUBJECT_FUNCTION_WORDS | frozenset("and und et y".split())  # words an abbreviation skips


def expands(abbr: str, title: str) -> bool:
    """Whether the abbreviation's letters are the title's words' initials, in order, a word's later
    letters allowed where it is a compound ("DWD": "Deutscher Wetterdienst")."""
    letters = "".join(c for c in abbr if c.isalpha()).casefold()
    words = [w.casefold() for w in title.replace("-", " ").split() if w.casefold() not in _UNSPELT]
    if len(letters) < 2 or not abbr.replace(".", "").isupper() or not words:
        return False
    return _spells(letters, words)


def _spells(letters: str, words: list[str]) -> bool:
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    if not letters or letters[0] != word[0]:
        return False
    # The word gives its initial and perhaps more letters of its later parts, in order.
    for used in range(1, len(letters) + 1):
        if _spells(letters[used:], rest):
            return True
        if used < len(letters) and letters[used] not in word[1:]:
            return False
        word = word[word.index(letters[used], 1):] if used < len(letters) else word
    return False


def _in_prose(block: Block, headings: dict[tuple[str, ...], str]) -> bool:
    title = headings.get(block.chapter, "")
    return block.section in (Section.INTRO, Section.BODY) and not REFERENCE_CHAPTER.fullmatch(title.strip())


def extract(article: Article, blocks: Blocks) -> list[Item]:
    headings = {chapter.path: chapter.title for chapter in article.chapters}
    items: list[Item] = []
    seen: set[str] = set()
    for block in article.blocks:
        if not _in_prose(block, headings):
            continue
        found: list[tuple[str, str]] = []
        if "<table" in block.html:
            found += glossary(table_rows(block.html))
        if "<abbr" in block.html:
            found += [(html.unescape(m["abbr"]).strip(), html.unescape(m["title"]).strip())
                      for m in ABBR.finditer(block.html) if expands(html.unescape(m["abbr"]).strip(),
                                                                    html.unescape(m["title"]))]
        for term, meaning in found:
            if term.casefold() in seen:
                continue
            seen.add(term.casefold())
            items.append(Definition(chapter=block.chapter, span=block.span, term=term,
                                    definition=text_to_html(meaning)))
    return items
