"""Definitions: body paragraphs of the form "Term: definition sentence."."""

from __future__ import annotations

from ..model import Article, Definition, Item
from .blocks import Blocks
from .leads import lead_items


def extract(article: Article, blocks: Blocks) -> list[Item]:
    return lead_items(blocks.body_paragraphs, Definition)
