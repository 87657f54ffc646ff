"""Question headings: a chapter titled with a question ("Wie entsteht Erdöl?", "What is Rust?") →
a Q&A note answered by the chapter's opening paragraph, trimmed to whole sentences of card size."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import NamedTuple

from ..markup import text_to_html
from ..model import Article, Block, BlockKind, ChapterPath, Faq, Item, Question, Section, Span, normalise_key
from ..rules.heuristics import (
    ADDRESSED,
    CONTINUATION_OPENER,
    DOUBLE_QUESTION,
    EXAMPLE_OPENERS,
    QUESTION_ANSWER_MAX_WORDS,
    QUESTION_ANSWER_MIN_WORDS,
    QUESTION_HEADING_MAX_WORDS,
    QUESTION_OPENER,
    SENTENCE_END,
    SENTENCE_SPLIT,
    SUBJECT_STEM_MIN_CHARS,
    TITLE_ANSWER_PARAGRAPHS,
    TITLE_ANSWER_SUBJECT_WORDS,
    word_count,
)
from ..rules.stopwords import STOPWORDS
from . import definitions, prose
from .blocks import Blocks
from .prose import content_words, same_word

_STOPWORDS = frozenset().union(*STOPWORDS.values())


class Asked(NamedTuple):
    path: ChapterPath
    question: str
    candidates: list[Block]  # the paragraphs that may answer, first to last
    own: list[Block]  # the blocks under the question, to spot a teaser
    opening_words: int | None


def is_question_heading(title: str) -> bool:
    title = title.strip()
    return (title.endswith("?") and QUESTION_OPENER.match(title) is not None and not DOUBLE_QUESTION.search(title)
            and word_count(title) <= QUESTION_HEADING_MAX_WORDS)


def card_answer(text: str) -> str | None:
    """The paragraph's first sentences up to the word limit, or None when even the first is too long."""
    kept: list[str] = []
    for sentence in SENTENCE_SPLIT.split(text.strip()):
        if word_count(" ".join([*kept, sentence])) > QUESTION_ANSWER_MAX_WORDS:
            break
        kept.append(sentence)
    answer = " ".join(kept)
    if not kept or word_count(answer) < QUESTION_ANSWER_MIN_WORDS or not SENTENCE_END.search(answer):
        return None
    return answer


def shares_word(question: str, answer: str) -> bool:
    """Whether the answer names something the question asks about: an answer about something else
    ("Why CPU monitoring is important?" → "I work at …") is an introduction, not an answer."""
    asked = [w for w in content_words(question) if len(w) >= SUBJECT_STEM_MIN_CHARS and w not in _STOPWORDS]
    said = content_words(answer)
    return any(same_word(a, s) for a in asked for s in said)


def answer_of(block: Block, question: str, *, opening_words: int | None = None) -> str | None:
    """The card-sized answer the paragraph gives to the question, if it gives one; with
    ``opening_words``, the asked-about word must come within the answer's first words."""
    if (block.kind is not BlockKind.PARAGRAPH or block.section not in (Section.INTRO, Section.BODY)
            or EXAMPLE_OPENERS.match(block.text) or CONTINUATION_OPENER.match(block.text)):
        return None
    answer = card_answer(block.text)
    if answer is None:
        return None
    return answer if shares_word(question, " ".join(answer.split()[:opening_words])) else None


def _asked(article: Article, in_chapter: dict[ChapterPath, list[Block]]) -> Iterator[Asked]:
    """Every question the page asks in a title, a heading or a question line standing alone."""
    # The title asks too ("Woher kommt die dicke Luft?"): the intro before the first chapter answers.
    # A title's answer must be about it from its first words: a news intro opens on something else.
    intro = in_chapter.get((), [])
    yield Asked((), article.title, intro[:TITLE_ANSWER_PARAGRAPHS], intro, TITLE_ANSWER_SUBJECT_WORDS)
    for chapter in article.chapters:
        own = in_chapter.get(chapter.path, [])
        yield Asked(chapter.path, chapter.title, own[:1], own, None)
    # Text dumps keep a question line that opens no chapter as a paragraph ("Why do volcanoes erupt?");
    # like a title, it is answered only by a paragraph about it from its first words.
    for block, following in pairwise(article.blocks):
        if (block.kind is BlockKind.PARAGRAPH and block.section in (Section.INTRO, Section.BODY)
                and following.chapter == block.chapter and not ADDRESSED.search(block.text)):
            yield Asked(block.chapter, block.text, [following], [following], TITLE_ANSWER_SUBJECT_WORDS)


def extract(article: Article, blocks: Blocks) -> list[Item]:
    asked = {normalise_key(item.question) for item in article.structured if isinstance(item, Faq)}
    asked.update(normalise_key(block.text) for block in blocks.faq)
    in_chapter: dict[ChapterPath, list[Block]] = {}  # each chapter's own blocks, its heading excluded
    for block in article.blocks:
        if block.kind is not BlockKind.HEADING:
            in_chapter.setdefault(block.chapter, []).append(block)
    defined: set[Span] | None = None  # spans of the page's definitions, found when first needed
    items: list[Item] = []
    for path, title, candidates, own, opening_words in _asked(article, in_chapter):
        question = title.strip()
        if not own or not is_question_heading(question) or normalise_key(question) in asked:
            continue
        if any(normalise_key(b.text) == normalise_key(question) for b in own):
            continue  # a teaser: the linked article's title repeated under its heading
        # The first paragraph that is a sentence answers or nothing does (a byline is no sentence).
        candidates = [b for b in candidates if SENTENCE_END.search(b.text)][:1]
        answers = ((b, answer_of(b, question, opening_words=opening_words)) for b in candidates)
        found = next(((b, a) for b, a in answers if a is not None), None)
        if found is None:
            continue
        block, answer = found
        assert answer is not None
        if defined is None:
            defined = {item.span for item in (*definitions.extract(article, blocks), *prose.extract(article, blocks))}
        if block.span in defined:
            continue  # "Was ist X?" answered by "X ist …": the definition card asks it already
        html = block.html if answer == block.text.strip() else text_to_html(answer)
        asked.add(normalise_key(question))
        items.append(Question(chapter=path, span=block.span, question=question, answer=html))
    return items
