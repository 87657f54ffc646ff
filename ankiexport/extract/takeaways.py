"""Key takeaways: the bullets of the "… - Key takeaways" section."""

from __future__ import annotations

from ..markup import html_after_colon
from ..model import Article, Item, Takeaway
from ..rules.heuristics import split_lead
from ..rules.language import label
from .blocks import Blocks

# A takeaway bullet without a "Lead:" has no natural front; it is asked as this prompt (in the
# article's language) plus the article title ("Key takeaway — Photosynthesis (1)").
UNLED_PROMPT = "takeaway"  # the name of the label in rules.language.LABELS


def extract(article: Article, blocks: Blocks) -> list[Item]:
    items: list[Item] = []
    prompt = label(article.language, UNLED_PROMPT)
    for block in blocks.takeaway_bullets:
        split = split_lead(block.text)
        if split is not None:
            items.append(Takeaway(chapter=block.chapter, span=block.span, term=split[0],
                                  definition=html_after_colon(block.html)))
        else:
            items.append(Takeaway(chapter=block.chapter, span=block.span,
                                  term=f"{prompt} — {article.title} ({len(items) + 1})", definition=block.html))
    return items
