"""The extractors' fast paths give what the slow ones give: the blocks sorted once by place, and the
substring test made before HAS_COPULA's search."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ankiexport.extract import Blocks
from ankiexport.extract.prose import may_have_copula
from ankiexport.heuristics import COPULAS, HAS_COPULA
from ankiexport.model import Article, Block, BlockKind, Section
from ankiexport.readers import read_article

from .conftest import FIXTURES, SEED
from .seedlike import random_spec, render_html, render_text

WHITE_SPACE = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
COPULA_WORDS = COPULAS.removeprefix("(?:").removesuffix(")").split("|")


def test_every_white_space_but_the_space_leaves_it_to_the_regex() -> None:
    for space in WHITE_SPACE:
        for word in COPULA_WORDS:
            for form in (word, word.upper(), word.title(), word.replace("i", "İ"), word.replace("i", "ı"),
                         word.replace("s", "ſ")):
                text = f"The thing{space}{form}{space}a thing."
                assert (HAS_COPULA.search(text) is not None) <= may_have_copula(text), repr(text)


@settings(max_examples=settings.default.max_examples * 8)
@given(st.lists(st.sampled_from([*COPULA_WORDS, "isn", "ares", "X", "İs", "ıs", "ſon", "eſt", "IS", "Sind",
                                 " ", "  ", "\t", "\xa0", "\n", "’", ".", ""]), max_size=10).map("".join)
       | st.text(alphabet="isartendoIS \t\xa0ıſİ’", max_size=20))
def test_the_substring_test_never_hides_a_copula(text: str) -> None:
    if HAS_COPULA.search(text):
        assert may_have_copula(text)


def test_blocks_by_place_are_the_blocks_each_extractor_walked(tmp_path: Path) -> None:
    rng = random.Random(3)
    paths = [SEED, *sorted((FIXTURES / "articles").glob("*.txt"))]
    for number, render in enumerate([render_text, render_html] * 3):
        paths.append(tmp_path / f"{number}.{'txt' if render is render_text else 'html'}")
        paths[-1].write_text(render(random_spec(rng, number)), encoding="utf-8")
    seen = dict.fromkeys(Blocks.__slots__, 0)
    for path in paths:
        article = read_article(path)
        blocks = Blocks(article)

        def where(kinds: tuple[BlockKind, ...], sections: tuple[Section, ...], article: Article = article,
                  ) -> list[Block]:
            return [b for b in article.blocks if b.kind in kinds and b.section in sections]

        paragraph, bullet, every = (BlockKind.PARAGRAPH,), (BlockKind.BULLET,), tuple(BlockKind)
        assert blocks.opening_paragraphs == where(paragraph, (Section.INTRO, Section.BODY))
        assert blocks.body_paragraphs == where(paragraph, (Section.BODY,))
        assert blocks.body_bullets == where(bullet, (Section.BODY,))
        assert blocks.takeaway_bullets == where(bullet, (Section.TAKEAWAYS,))
        assert blocks.faq == where(every, (Section.FAQ,))
        assert blocks.quiz_paragraphs == where(paragraph, (Section.QUIZ,))
        for name in seen:
            seen[name] += len(getattr(blocks, name))
    assert all(seen.values()), seen  # every place was tried
