"""Blocks of the form "Lead: explanation" → items of one class; shared by several extractors."""

from __future__ import annotations

from ..heuristics import split_lead
from ..markup import html_after_colon
from ..model import Article, BlockKind, Definition, Item, Section


def lead_items(article: Article, kind: BlockKind, section: Section, make: type[Definition]) -> list[Item]:
    """An item of class ``make`` for every ``kind`` block in ``section`` that splits into lead and text."""
    items: list[Item] = []
    for block in article.blocks:
        if block.kind is not kind or block.section is not section:
            continue
        split = split_lead(block.text)
        if split is not None:
            items.append(make(chapter=block.chapter, span=block.span, term=split[0],
                              definition=html_after_colon(block.html)))
    return items
