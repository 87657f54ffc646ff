"""An article's blocks sorted once by where the extractors look: body paragraphs, key-point
bullets, the takeaways, the FAQ, the quiz. Each extractor reads only its own list."""

from __future__ import annotations

from ..model import Article, Block, BlockKind, Section


class Blocks:
    """The blocks of one article by place, each list in article order."""

    def __init__(self, article: Article) -> None:
        self.opening_paragraphs: list[Block] = []  # paragraphs of the intro and the body
        self.body_paragraphs: list[Block] = []
        self.body_bullets: list[Block] = []
        self.takeaway_bullets: list[Block] = []
        self.faq: list[Block] = []  # every block of the FAQ section, headings too
        self.quiz_paragraphs: list[Block] = []
        for block in article.blocks:
            paragraph, bullet = block.kind is BlockKind.PARAGRAPH, block.kind is BlockKind.BULLET
            if block.section is Section.FAQ:
                self.faq.append(block)
            if paragraph and block.section in (Section.INTRO, Section.BODY):
                self.opening_paragraphs.append(block)
            if paragraph and block.section is Section.BODY:
                self.body_paragraphs.append(block)
            if bullet and block.section is Section.BODY:
                self.body_bullets.append(block)
            if bullet and block.section is Section.TAKEAWAYS:
                self.takeaway_bullets.append(block)
            if paragraph and block.section is Section.QUIZ:
                self.quiz_paragraphs.append(block)
