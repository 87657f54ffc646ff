"""Definitions: body paragraphs of the form "Term: definition sentence."."""

from __future__ import annotations

from ..model import Article, BlockKind, Definition, Item, Section
from .leads import lead_items


def extract(article: Article) -> list[Item]:
    return lead_items(article, BlockKind.PARAGRAPH, Section.BODY, Definition)
