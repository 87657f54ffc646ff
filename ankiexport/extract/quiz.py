"""Quiz items: the questions of the multiple-choice section. A text dump carries no options or answers."""

from __future__ import annotations

from ..model import Article, Item, QuizItem
from .blocks import Blocks


def extract(article: Article, blocks: Blocks) -> list[Item]:
    # (chapter, span, question: positional, see leads.py)
    return [QuizItem(block.chapter, block.span, block.text) for block in blocks.quiz_paragraphs]
