"""Evidence for answer-less quiz questions: the article's passages that best answer them.

Every sentence of the article (outside the quiz itself) is ranked against the question with BM25
(``bm25s``, with Snowball stemming from ``PyStemmer`` and the language's stop words), and the best
sentences are shown in their passage: the paragraph they stand in (a window of sentences around them
when the paragraph is long), with the list a paragraph ending in ":" introduces. Questions are never
evidence (an FAQ's question does not answer a quiz's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from .heuristics import (
    EVIDENCE_MAX_PASSAGES,
    EVIDENCE_MIN_SHARE,
    EVIDENCE_PASSAGE_MAX_WORDS,
    EVIDENCE_WINDOW,
    QUESTION_SYNONYMS,
    SENTENCE_SPLIT,
    word_count,
)
from .markup import html_to_text
from .model import Article, Block, BlockKind, ChapterPath, Evidence, Item, QuizItem, Section, Span

# bm25s stop-word lists and PyStemmer algorithms for the languages ankiexport detects.
STOPWORDS = {"en": "en_plus", "de": "german", "fr": "french", "es": "spanish"}
STEMMERS = {"en": "english", "de": "german", "fr": "french", "es": "spanish"}


@dataclass(frozen=True)
class Sentence:
    html: str
    text: str


@dataclass(frozen=True)
class Passage:
    """A paragraph (with the bullets it introduces) or a lone bullet: what a card may quote."""

    sentences: tuple[Sentence, ...]  # the paragraph's sentences
    bullets: tuple[Sentence, ...]  # the list it introduces, if it ends in ":"
    chapter: ChapterPath
    span: Span


@dataclass(frozen=True)
class Unit:
    """One ranked sentence: which passage it is in, and where (bullets follow the sentences)."""

    passage: int
    index: int
    text: str


def split_sentences(fragment: str) -> tuple[Sentence, ...]:
    parts = [p.strip() for p in SENTENCE_SPLIT.split(fragment) if p.strip()]
    return tuple(Sentence(p, html_to_text(p)) for p in parts)


def _evidence_blocks(article: Article) -> list[Block]:
    return [b for b in article.blocks
            if b.section is not Section.QUIZ and b.kind is not BlockKind.HEADING]


def passages(article: Article) -> list[Passage]:
    blocks = _evidence_blocks(article)
    result: list[Passage] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        bullets: list[Sentence] = []
        end = block.span.end
        if block.kind is BlockKind.PARAGRAPH and block.text.rstrip().endswith(":"):
            while (index < len(blocks) and blocks[index].kind is BlockKind.BULLET
                   and blocks[index].chapter == block.chapter):
                bullets.append(Sentence(blocks[index].html, blocks[index].text))
                end = blocks[index].span.end
                index += 1
        result.append(Passage(split_sentences(block.html), tuple(bullets), block.chapter,
                              Span(block.span.start, end)))
    return result


def _units(found: Sequence[Passage]) -> list[Unit]:
    units = []
    for number, passage in enumerate(found):
        for position, sentence in enumerate((*passage.sentences, *passage.bullets)):
            if not sentence.text.rstrip().endswith("?"):
                units.append(Unit(number, position, sentence.text))
    return units


@lru_cache(maxsize=8)
def _stemmer(language: str) -> Any:
    import Stemmer  # PyStemmer: imported on first use, like bm25s (only answer-less quizzes need them)

    return Stemmer.Stemmer(STEMMERS.get(language, "english"))


def _tokenize(texts: list[str], language: str) -> list[list[str]]:
    import bm25s

    tokens: list[list[str]] = bm25s.tokenize(
        texts, stopwords=STOPWORDS.get(language, "en_plus"), stemmer=_stemmer(language).stemWords,
        return_ids=False, show_progress=False)
    return tokens


def _query(question: str, language: str) -> list[str]:
    words = _tokenize([question], language)[0]
    synonyms = QUESTION_SYNONYMS.get(language, {})
    stem = _stemmer(language).stemWord
    expanded = [stem(s) for w in words for base, more in synonyms.items() if stem(base) == w for s in more]
    return words + expanded


class EvidenceIndex:
    """A BM25 index over one article's sentences, built once and asked many questions."""

    def __init__(self, article: Article) -> None:
        import bm25s

        self.language = article.language
        self.passages = passages(article)
        self.units = _units(self.passages)
        self.retriever: Any = None
        if self.units:
            self.retriever = bm25s.BM25()
            self.retriever.index(_tokenize([u.text for u in self.units], self.language),
                                 show_progress=False)

    def ranked(self, question: str) -> list[tuple[float, Unit]]:
        if self.retriever is None:
            return []
        query = _query(question, self.language)
        if not query:
            return []
        scores = self.retriever.get_scores(query)
        order = sorted(range(len(self.units)), key=lambda i: (-float(scores[i]), i))
        return [(float(scores[i]), self.units[i]) for i in order if scores[i] > 0]

    def evidence(self, question: str, limit: int = EVIDENCE_MAX_PASSAGES) -> tuple[Evidence, ...]:
        """The passages holding the best sentences, best first; each passage at most once."""
        ranked = self.ranked(question)
        if not ranked:
            return ()
        floor = ranked[0][0] * EVIDENCE_MIN_SHARE
        chosen: list[Evidence] = []
        seen: set[int] = set()
        for score, unit in ranked:
            if score < floor or len(chosen) >= limit:
                break
            if unit.passage in seen:
                continue
            seen.add(unit.passage)
            passage = self.passages[unit.passage]
            html, text = render(passage, unit.index)
            chosen.append(Evidence(html=html, chapter=passage.chapter, span=passage.span, text=text))
        return tuple(chosen)


def render(passage: Passage, hit: int) -> tuple[str, str]:
    """The passage as card HTML (the matching sentence marked) and as plain text; a long paragraph
    is cut to a window of sentences around the match."""
    sentences = list(passage.sentences)
    count = len(sentences)
    first, last = 0, count - 1
    words = sum(word_count(s.text) for s in (*sentences, *passage.bullets))
    if words > EVIDENCE_PASSAGE_MAX_WORDS and count > 1:
        centre = min(hit, count - 1)
        first, last = max(0, centre - EVIDENCE_WINDOW), min(count - 1, centre + EVIDENCE_WINDOW)
    shown = list(enumerate(sentences[first : last + 1], start=first))
    bullets = passage.bullets if last == count - 1 else ()
    if len(shown) + len(bullets) < 2:
        hit = -1  # a passage of one sentence needs no marking
    html = " ".join(f'<mark class="ae-hit">{s.html}</mark>' if i == hit else s.html for i, s in shown)
    text = " ".join(s.text for _, s in shown)
    if first > 0:
        html, text = "… " + html, "… " + text
    if last < count - 1:
        html, text = html + " …", text + " …"
    if bullets:
        html += "<ul>" + "".join(f'<li><mark class="ae-hit">{b.html}</mark></li>' if count + i == hit
                                 else f"<li>{b.html}</li>" for i, b in enumerate(bullets)) + "</ul>"
        text += "".join(f"\n• {b.text}" for b in bullets)
    return html, text


# What to do with a quiz question that has no options or no answer key (`--quiz-without-answer`).
QUIZ_WITHOUT_ANSWER = ("evidence", "skip")


def resolve_quizzes(article: Article, items: Sequence[Item], mode: str = "evidence",
                    ) -> tuple[list[Item], list[QuizItem]]:
    """Give answer-less quiz items their evidence (``mode="evidence"``) or leave them out
    (``"skip"``). Returns the items to keep and the quiz items skipped; a question no passage
    matches is skipped in either mode, since its card would have nothing on the back."""
    if mode not in QUIZ_WITHOUT_ANSWER:
        raise ValueError(f"quiz_without_answer must be one of {QUIZ_WITHOUT_ANSWER}, not {mode!r}")
    kept: list[Item] = []
    skipped: list[QuizItem] = []
    index: EvidenceIndex | None = None
    for item in items:
        if not isinstance(item, QuizItem) or item.complete:
            kept.append(item)
            continue
        if mode == "skip":
            skipped.append(item)
            continue
        index = index or EvidenceIndex(article)
        found = index.evidence(item.question)
        if found:
            kept.append(replace(item, evidence=found))
        else:
            skipped.append(item)
    return kept, skipped
