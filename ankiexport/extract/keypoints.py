"""Key points: "• Lead: text" bullets inside chapters (lead → explanation cards, not definitions)."""

from __future__ import annotations

from ..model import Article, Item, KeyPoint
from .blocks import Blocks
from .leads import lead_items


def extract(article: Article, blocks: Blocks) -> list[Item]:
    return lead_items(blocks.body_bullets, KeyPoint)
