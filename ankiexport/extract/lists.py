"""List cards: a sentence ending in ":" over a short bulleted list ("Key benefits of X include:") asks
for the list; the items answer."""

from __future__ import annotations

import html

from ..model import Article, Block, BlockKind, Item, ListCard, Section, Span, Takeaway
from ..rules.heuristics import (
    LIST_COUNTS,
    LIST_CUE,
    LIST_ITEM_MAX_WORDS,
    LIST_LEAD_MAX_WORDS,
    LIST_LEAD_MIN_WORDS,
    LIST_LEAD_PRONOUN,
    LIST_LEAD_PRONOUN_END,
    LIST_MAX_ITEMS,
    LIST_MIN_ITEMS,
    LIST_NEAR_COPY_SHARE,
    SENTENCE_SPLIT,
    SUBJECT_ENDING_MAX_CHARS,
    SUBJECT_STEM_MIN_CHARS,
    split_lead,
    word_count,
)
from . import takeaways
from .blocks import Blocks
from .prose import content_words


def _answer(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(text, quote=False)}</li>" for text in items) + "</ul>"


def list_items(bullets: list[Block]) -> list[str] | None:
    """What the bullets name: their leads when every one is "Lead: text", else the bullets when short."""
    if not LIST_MIN_ITEMS <= len(bullets) <= LIST_MAX_ITEMS:
        return None
    leads = [split_lead(b.text) for b in bullets]
    if all(lead is not None for lead in leads):
        return [lead[0] for lead in leads if lead is not None]
    if any(lead is not None or ":" in b.text or word_count(b.text) > LIST_ITEM_MAX_WORDS
           for lead, b in zip(leads, bullets, strict=True)):
        return None  # explanations, or half of them led ("installed packages: what can we import?")
    return [b.text.strip().rstrip(".;,") for b in bullets]


def lead_in(paragraph: str) -> str | None:
    """The paragraph's last sentence when it ends in ":", with the sentence before when it opens on a pronoun."""
    if not paragraph.rstrip().endswith(":"):
        return None
    sentences = SENTENCE_SPLIT.split(paragraph.strip())
    lead = sentences[-1]
    if word_count(lead) > LIST_LEAD_MAX_WORDS or not LIST_CUE.search(lead) or LIST_LEAD_PRONOUN_END.search(lead):
        return None
    if LIST_LEAD_PRONOUN.match(lead):
        if len(sentences) < 2 or LIST_LEAD_PRONOUN.match(sentences[-2]):
            return None  # "It focuses on … This therapy involves:" names its subject nowhere
        lead = f"{sentences[-2]} {lead}"
    return lead if word_count(lead) >= LIST_LEAD_MIN_WORDS else None


def stated_count(lead: str) -> int | None:
    """The number of items the lead-in announces ("three levels", "3 main categories"), if any."""
    for word in lead.casefold().split():
        if word.isdigit():
            return int(word)
        if word in LIST_COUNTS:
            return LIST_COUNTS[word]
    return None


def near_copy(named: list[str], summaries: list[list[str]]) -> bool:
    """Whether a takeaway already says the list ("Core Principles: Relieves trigger points, improves
    circulation, …" over "Relieving Trigger Points", "Improving Circulation", …)."""
    words = [w for text in named for w in content_words(text)]
    return any(sum(_stem_in(w, summary) for w in words) >= LIST_NEAR_COPY_SHARE * len(words)
               for summary in map(_by_stem_start, summaries))


def _by_stem_start(words: list[str]) -> dict[str, list[str]]:
    # Words of one stem start alike: comparing within a group keeps the check linear in the page.
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[:SUBJECT_STEM_MIN_CHARS], []).append(word)
    return groups


def _stem_in(word: str, groups: dict[str, list[str]]) -> bool:
    return any(_same_stem(word, s) for s in groups.get(word[:SUBJECT_STEM_MIN_CHARS], ()))


def _same_stem(a: str, b: str) -> bool:
    """"relieving"/"relieves", "improved"/"improving": one stem, different endings."""
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return a == b or common >= max(SUBJECT_STEM_MIN_CHARS, min(len(a), len(b)) - SUBJECT_ENDING_MAX_CHARS)


def _lead_lists(article: Article, blocks_by_place: Blocks) -> list[Item]:
    summaries = [content_words(item.definition) for item in takeaways.extract(article, blocks_by_place)
                 if isinstance(item, Takeaway)]
    items: list[Item] = []
    blocks = article.blocks
    for index, block in enumerate(blocks):
        if block.kind is not BlockKind.PARAGRAPH or block.section is not Section.BODY:
            continue
        front = lead_in(block.text)
        if front is None:
            continue
        bullets: list[Block] = []
        for after in blocks[index + 1:]:
            if after.kind is not BlockKind.BULLET or after.chapter != block.chapter:
                break
            bullets.append(after)
        named = list_items(bullets)
        count = stated_count(front)
        if named is not None and count in (None, len(named)) and not near_copy(named, summaries):
            items.append(ListCard(chapter=block.chapter, span=Span(block.span.start, bullets[-1].span.end),
                                  question=front, answer=_answer(named)))
    return items


def extract(article: Article, blocks: Blocks) -> list[Item]:
    return _lead_lists(article, blocks)
