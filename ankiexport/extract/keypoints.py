"""Key points: "• Lead: text" bullets inside chapters (lead → explanation cards, not definitions)."""

from __future__ import annotations

from ..heuristics import split_lead
from ..markup import html_after_colon
from ..model import Article, BlockKind, Item, KeyPoint, Section


def extract(article: Article) -> list[Item]:
    items: list[Item] = []
    for block in article.blocks:
        if block.kind is not BlockKind.BULLET or block.section is not Section.BODY:
            continue
        split = split_lead(block.text)
        if split is None:
            continue
        items.append(KeyPoint(chapter=block.chapter, span=block.span, term=split[0],
                              definition=html_after_colon(block.html)))
    return items
