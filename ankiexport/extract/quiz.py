"""Quiz items: the questions of the multiple-choice section. A text dump carries no options or answers."""

from __future__ import annotations

from ..model import Article, BlockKind, Item, QuizItem, Section


def extract(article: Article) -> list[Item]:
    return [
        QuizItem(chapter=block.chapter, span=block.span, question=block.text)
        for block in article.blocks
        if block.section is Section.QUIZ and block.kind is BlockKind.PARAGRAPH
    ]
