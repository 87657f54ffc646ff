"""An article's blocks sorted once by where the extractors look: body paragraphs, key-point
bullets, the takeaways, the FAQ, the quiz.

Each extractor used to walk every block of the article and test its kind and section (an enum
member fetched from its class at every test): seven walks of some fifty blocks came to a third of
the extraction's instructions. One walk here sorts them; each extractor reads only its own list.
"""

from __future__ import annotations

from ..model import Article, Block, BlockKind, Section

_PARAGRAPH, _BULLET = BlockKind.PARAGRAPH, BlockKind.BULLET
_INTRO, _BODY, _TAKEAWAYS, _FAQ, _QUIZ = Section.INTRO, Section.BODY, Section.TAKEAWAYS, Section.FAQ, Section.QUIZ


class Blocks:
    """The blocks of one article by place, each list in article order."""

    __slots__ = ("body_bullets", "body_paragraphs", "faq", "opening_paragraphs", "quiz_paragraphs",
                 "takeaway_bullets")

    def __init__(self, article: Article) -> None:
        self.opening_paragraphs: list[Block] = []  # paragraphs of the intro and the body
        self.body_paragraphs: list[Block] = []
        self.body_bullets: list[Block] = []
        self.takeaway_bullets: list[Block] = []
        self.faq: list[Block] = []  # every block of the FAQ section, headings too
        self.quiz_paragraphs: list[Block] = []
        for block in article.blocks:
            section, kind = block.section, block.kind
            if section is _BODY:
                if kind is _PARAGRAPH:
                    self.body_paragraphs.append(block)
                    self.opening_paragraphs.append(block)
                elif kind is _BULLET:
                    self.body_bullets.append(block)
            elif section is _FAQ:
                self.faq.append(block)
            elif kind is _PARAGRAPH:
                if section is _INTRO:
                    self.opening_paragraphs.append(block)
                elif section is _QUIZ:
                    self.quiz_paragraphs.append(block)
            elif kind is _BULLET and section is _TAKEAWAYS:
                self.takeaway_bullets.append(block)
