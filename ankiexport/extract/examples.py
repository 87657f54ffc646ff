"""Examples ("Imagine…", "Consider…", "For example…") join the item they illustrate.

An example goes into the Example field of the nearest definition before it in its chapter, else the
first one after it. A chapter with an example but no definition gets a "chapter" item (heading →
the chapter's opening passage) so the example is never lost and never a card of its own.
"""

from __future__ import annotations

import html
from dataclasses import replace

from ..model import Article, Block, BlockKind, ChapterNote, ChapterPath, Definition, Item, Section
from ..rules.heuristics import EXAMPLE_OPENERS, split_lead
from .blocks import Blocks


def is_example(block: Block) -> bool:
    return (block.section is Section.BODY and block.kind is BlockKind.PARAGRAPH
            and EXAMPLE_OPENERS.match(block.text) is not None)


def _opening_passage(article: Article, chapter: ChapterPath) -> str:
    """The chapter's first paragraph, with the bullet list it introduces when it ends in a colon (the
    leads only of bullets that are key-point cards, so the chapter card does not repeat them)."""
    blocks = [b for b in article.blocks if b.chapter == chapter and b.kind is not BlockKind.HEADING]
    for index, block in enumerate(blocks):
        if block.kind is not BlockKind.PARAGRAPH or is_example(block):
            continue
        passage = block.html
        if block.text.rstrip().endswith(":"):
            bullets = []
            for follower in blocks[index + 1 :]:
                if follower.kind is not BlockKind.BULLET:
                    break
                # A "• Lead: text" bullet is a card of its own: the chapter card lists its lead only.
                lead = split_lead(follower.text) if follower.section is Section.BODY else None
                bullets.append(f"<li>{html.escape(lead[0], quote=False) if lead else follower.html}</li>")
            if bullets:
                passage += "<ul>" + "".join(bullets) + "</ul>"
        return passage
    return ""


def _join(existing: str, example: str) -> str:
    return f"{existing}<br><br>{example}" if existing else example


def attach(article: Article, blocks: Blocks, items: list[Item]) -> list[Item]:
    result = list(items)
    chapter_notes: dict[ChapterPath, int] = {}
    # Where each chapter's definitions stand (examples only change them in place, and the chapter
    # notes appended below are not definitions).
    definitions_in: dict[ChapterPath, list[int]] = {}
    for i, item in enumerate(result):
        if type(item) is Definition:
            definitions_in.setdefault(item.chapter, []).append(i)
    for block in blocks.body_paragraphs:
        if not is_example(block):
            continue
        same_chapter = definitions_in.get(block.chapter, [])
        before = [i for i in same_chapter if result[i].span.start < block.span.start]
        target = before[-1] if before else (same_chapter[0] if same_chapter else None)
        if target is None:
            target = chapter_notes.get(block.chapter)
        if target is None:
            if not block.chapter:
                continue  # an example before any chapter has nothing to illustrate
            heading = next((c for c in article.chapters if c.path == block.chapter), None)
            opening = _opening_passage(article, block.chapter)
            if heading is None or not opening:
                continue
            result.append(ChapterNote(chapter=block.chapter, span=heading.span,
                                      term=heading.title, definition=opening))
            target = chapter_notes[block.chapter] = len(result) - 1
        item = result[target]
        assert isinstance(item, Definition)  # (a Definition or a ChapterNote: the same fields)
        result[target] = replace(item, example=_join(item.example, block.html))
    return result
