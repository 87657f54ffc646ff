"""Definitions: body paragraphs of the form "Term: definition sentence."."""

from __future__ import annotations

from ..heuristics import split_lead
from ..markup import html_after_colon
from ..model import Article, BlockKind, Definition, Item, Section


def extract(article: Article) -> list[Item]:
    items: list[Item] = []
    for block in article.blocks:
        if block.kind is not BlockKind.PARAGRAPH or block.section is not Section.BODY:
            continue
        split = split_lead(block.text)
        if split is None:
            continue
        term, _ = split
        items.append(Definition(chapter=block.chapter, span=block.span, term=term,
                                definition=html_after_colon(block.html)))
    return items
