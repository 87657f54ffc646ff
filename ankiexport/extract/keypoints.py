"""Key points: "• Lead: text" bullets inside chapters (lead → explanation cards, not definitions)."""

from __future__ import annotations

from ..model import Article, BlockKind, Item, KeyPoint, Section
from .leads import lead_items


def extract(article: Article) -> list[Item]:
    return lead_items(article, BlockKind.BULLET, Section.BODY, KeyPoint)
