"""Blocks of the form "Lead: explanation" → items of one class; shared by several extractors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..markup import html_after_colon
from ..model import Block, Definition, Item
from ..rules.heuristics import SPEAKER_MAX_WORDS, SPEAKER_MIN_SPEAKERS, SPEAKER_MIN_TURNS, split_lead, word_count


def speakers(leads: Sequence[str]) -> set[str]:
    """The leads that are interview turns: short ones of which at least two recur (SPEAKER_MIN_*)."""
    counts = Counter(lead.casefold() for lead in leads if word_count(lead) <= SPEAKER_MAX_WORDS)
    recurring = {lead for lead, n in counts.items() if n >= SPEAKER_MIN_TURNS}
    return recurring if len(recurring) >= SPEAKER_MIN_SPEAKERS else set()


def lead_items(blocks: Sequence[Block], make: type[Definition]) -> list[Item]:
    """An item of class ``make`` for every block that splits into lead and text, speakers' turns aside."""
    splits = [(block, split) for block in blocks if (split := split_lead(block.text)) is not None]
    turns = speakers([split[0] for _, split in splits])
    return [make(chapter=block.chapter, span=block.span, term=split[0], definition=html_after_colon(block.html))
            for block, split in splits if split[0].casefold() not in turns]
