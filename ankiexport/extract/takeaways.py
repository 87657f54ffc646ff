"""Key takeaways: the bullets of the "… - Key takeaways" section."""

from __future__ import annotations

from ..markup import html_after_colon
from ..model import Article, Item, Takeaway
from ..rules.heuristics import split_lead
from .blocks import Blocks

# A takeaway bullet without a "Lead:" has no natural front; it is asked as this prompt plus the
# article title ("Key takeaway — Photosynthesis").
UNLED_PROMPT = "Key takeaway"


def extract(article: Article, blocks: Blocks) -> list[Item]:
    items: list[Item] = []
    for block in blocks.takeaway_bullets:
        split = split_lead(block.text)
        if split is not None:
            items.append(Takeaway(chapter=block.chapter, span=block.span, term=split[0],
                                  definition=html_after_colon(block.html)))
        else:
            items.append(Takeaway(chapter=block.chapter, span=block.span,
                                  term=f"{UNLED_PROMPT} — {article.title} ({len(items) + 1})", definition=block.html))
    return items
