"""Near-identical cards for one term: the first in article order stays, the others go.

"• Inflation: Prices rising over time." in a chapter and again in the key takeaways is one card. Cards
that share a term but say different things (a term defined in two chapters) all stay: each shows its
chapter on the front. Dropping a card never changes another's GUID (a GUID names its own item only).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..markup import html_to_text
from ..model import Definition, Item
from ..rules.heuristics import DUPLICATE_MIN_OVERLAP
from .prose import content_words

_ABBREVIATION = re.compile(r"\s*\([^()]*\)$")


def term_key(term: str) -> str:
    return " ".join(_ABBREVIATION.sub("", term).casefold().split())


def overlap(a: str, b: str) -> float:
    """The Jaccard overlap of two texts' content words."""
    wa, wb = set(content_words(a)), set(content_words(b))
    return len(wa & wb) / len(wa | wb) if wa | wb else 1.0


def drop(items: Sequence[Item]) -> list[Item]:
    kept: list[Item] = []
    seen: dict[str, list[str]] = {}  # each term's backs kept so far, as text
    for item in sorted(items, key=lambda i: (i.span.start, i.span.end)):
        if isinstance(item, Definition):
            key, back = term_key(item.term), html_to_text(item.definition)
            if any(overlap(back, other) >= DUPLICATE_MIN_OVERLAP for other in seen.get(key, ())):
                continue
            seen.setdefault(key, []).append(back)
        kept.append(item)
    return kept
