"""FAQs: in the FAQ section, a line ending in "?" asks; the lines after it answer."""

from __future__ import annotations

from ..model import Article, Block, Faq, Item, Span
from .blocks import Blocks


def _is_question(block: Block) -> bool:
    return block.text.rstrip().endswith("?")


def extract(article: Article, blocks: Blocks) -> list[Item]:
    items: list[Item] = []
    question: Block | None = None
    answer: list[Block] = []

    def flush() -> None:
        # A question with no answer (a truncated page) is not a card.
        if question is not None and answer:
            items.append(Faq(chapter=question.chapter, span=Span(question.span.start, answer[-1].span.end),
                             question=question.text, answer="<br>".join(b.html for b in answer)))

    for block in blocks.faq:
        if _is_question(block):
            flush()
            question, answer = block, []
        elif question is not None:
            answer.append(block)
    flush()
    return items
