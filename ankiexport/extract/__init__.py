"""Extraction: an ordered list of small extractors, one per item kind.

Each extractor takes an :class:`Article`, with its blocks sorted by place (:class:`Blocks`), and
returns the items of its kind (an empty list when nothing matches). Examples are not items of their
own: the last rule attaches them to the item they illustrate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..model import Article, Item
from . import (
    appositions,
    clozes,
    definitions,
    duplicates,
    examples,
    faqs,
    glossaries,
    keypoints,
    lists,
    processes,
    prose,
    questions,
    quiz,
    takeaways,
)
from .blocks import Blocks

Extractor = Callable[[Article, Blocks], list[Item]]

EXTRACTORS: tuple[tuple[str, Extractor], ...] = (
    ("definition", definitions.extract),
    # Prose definitions are definitions too (same kind, same note type): "--kinds definition" keeps them.
    ("definition", prose.extract),
    ("definition", glossaries.extract),
    ("keypoint", keypoints.extract),
    ("takeaway", takeaways.extract),
    ("faq", faqs.extract),
    ("term", appositions.extract),
    ("question", questions.extract),
    ("question", processes.extract),
    ("list", lists.extract),
    ("cloze", clozes.extract),
    ("quiz", quiz.extract),
)

# Every kind a note can be made of: the extractors' kinds, plus "chapter" items that the example
# rule makes for chapters with an example but no definition.
KINDS: tuple[str, ...] = (*dict.fromkeys(name for name, _ in EXTRACTORS), "chapter")


def extract(article: Article, kinds: Iterable[str] | None = None) -> list[Item]:
    """All items of the article, in article order; ``kinds`` limits which kinds are kept."""
    items: list[Item] = [*article.structured]
    blocks = Blocks(article)
    for _name, extractor in EXTRACTORS:
        items.extend(extractor(article, blocks))
    items = examples.attach(article, blocks, items)
    items = duplicates.drop(items)
    wanted: Sequence[str] = tuple(kinds) if kinds is not None else KINDS
    kept = [item for item in items if item.kind in wanted]
    return sorted(kept, key=lambda item: (item.span.start, item.span.end))
