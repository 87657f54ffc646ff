"""Key takeaways: the bullets of the "… - Key takeaways" section."""

from __future__ import annotations

from ..heuristics import split_lead
from ..markup import html_after_colon
from ..model import Article, Item, Takeaway
from .blocks import Blocks

# A takeaway bullet without a "Lead:" has no natural front; it is asked as this prompt plus the
# article title ("Key takeaway — Photosynthesis").
UNLED_PROMPT = "Key takeaway"


def extract(article: Article, blocks: Blocks) -> list[Item]:
    items: list[Item] = []
    for block in blocks.takeaway_bullets:
        split = split_lead(block.text)
        if split is not None:
            # (chapter, span, term, definition: positional, see leads.py)
            items.append(Takeaway(block.chapter, block.span, split[0], html_after_colon(block.html)))
        else:
            items.append(Takeaway(block.chapter, block.span, f"{UNLED_PROMPT} — {article.title} ({len(items) + 1})",
                                  block.html))
    return items
