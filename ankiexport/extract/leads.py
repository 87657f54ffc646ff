"""Blocks of the form "Lead: explanation" → items of one class; shared by several extractors."""

from __future__ import annotations

from collections.abc import Sequence

from ..markup import html_after_colon
from ..model import Block, Definition, Item
from ..rules.heuristics import split_lead


def lead_items(blocks: Sequence[Block], make: type[Definition]) -> list[Item]:
    """An item of class ``make`` for every block that splits into lead and text."""
    items: list[Item] = []
    for block in blocks:
        split = split_lead(block.text)
        if split is not None:
            items.append(make(chapter=block.chapter, span=block.span, term=split[0],
                              definition=html_after_colon(block.html)))
    return items
