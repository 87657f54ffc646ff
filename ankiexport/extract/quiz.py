"""Quiz items: the questions of the multiple-choice section. A text dump carries no options or answers."""

from __future__ import annotations

from ..model import Article, Item, QuizItem
from .blocks import Blocks


def extract(article: Article, blocks: Blocks) -> list[Item]:
    return [QuizItem(chapter=block.chapter, span=block.span, question=block.text) for block in blocks.quiz_paragraphs]
