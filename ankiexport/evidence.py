"""Evidence for answer-less quiz questions: the article's passages that best answer them.

Every sentence of the article (outside the quiz itself) is ranked against the question with BM25 as
``bm25s.BM25()`` scores it: bm25s's words and stop words (stopwords.py), Snowball stems from
PyStemmer, the "lucene" variant in float32. The best sentences are shown in their passage: the
paragraph they stand in (a window of sentences around them when the paragraph is long), with the list
a paragraph ending in ":" introduces. Questions are never evidence (an FAQ's question does not answer
a quiz's). tests/test_evidence_bm25s.py checks every score against bm25s itself.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from .markup import html_to_text
from .model import Article, Block, BlockKind, ChapterPath, Evidence, Item, QuizItem, Section, Span
from .rules.heuristics import (
    EVIDENCE_CLEAR_MARGIN,
    EVIDENCE_MAX_PASSAGES,
    EVIDENCE_MIN_ASKED_SHARE,
    EVIDENCE_MIN_SHARE,
    EVIDENCE_PASSAGE_MAX_WORDS,
    EVIDENCE_WINDOW,
    QUESTION_END,
    QUESTION_SYNONYMS,
    SENTENCE_SPLIT,
    word_count,
)
from .rules.stopwords import STOPWORDS

# PyStemmer's algorithms for the languages ankiexport detects (English for any other).
STEMMERS = {"en": "english", "de": "german", "fr": "french", "es": "spanish"}
# bm25s's BM25() defaults: the "lucene" variant (Kamphuis et al., ECIR 2020), k1 = 1.5, b = 0.75.
BM25_K1 = 1.5
BM25_B = 0.75
# bm25s.tokenize's words: runs of two or more word characters in the lowercased text.
TOKEN = re.compile(r"(?u)\b\w\w+\b")
# What to do with a quiz question that has no options or no answer key (`--quiz-without-answer`).
QUIZ_WITHOUT_ANSWER = ("evidence", "skip")


class Analyzer:
    """bm25s.tokenize's analysis for one language, with the question synonyms."""

    def __init__(self, language: str) -> None:
        import Stemmer  # PyStemmer: imported on first use (only answer-less quizzes need it)

        self.stopwords = STOPWORDS.get(language, STOPWORDS["en"])
        self.stemmer: Any = Stemmer.Stemmer(STEMMERS.get(language, "english"))
        # A question word whose stem is a synonym's base brings the other words' stems along.
        self.synonyms: dict[str, list[str]] = {}
        for base, more in QUESTION_SYNONYMS.get(language, {}).items():
            self.synonyms.setdefault(self.stemmer.stemWord(base), []).extend(self.stemmer.stemWords(more))

    def terms(self, text: str) -> list[str]:
        """The stems of the text's words, stop words left out, in order."""
        words = [word for word in TOKEN.findall(text.lower()) if word not in self.stopwords]
        stems: list[str] = self.stemmer.stemWords(words)
        return stems

    def query(self, question: str) -> list[str]:
        """The question's terms, then the stems of their synonyms."""
        terms = self.terms(question)
        return terms + [synonym for term in terms for synonym in self.synonyms.get(term, ())]


@cache  # (one stemmer per language and process)
def analyzer(language: str) -> Analyzer:
    return Analyzer(language)


def float32(value: float) -> float:
    """The value rounded to float32, as numpy stores it in bm25s's arrays."""
    return array("f", (value,))[0]


class BM25:
    """``bm25s.BM25()``'s scores of texts given as their terms, rounded where bm25s rounds: each
    idf and each term's weight in a text to float32, and a text's score summed in float32."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self.counts = [Counter(terms) for terms in documents]  # each term's tf in each text
        average = sum(map(len, documents)) / max(len(documents), 1)
        # Each text's k1 * ((1 - b) + b * L / avgL), L its number of terms.
        self.norms = [BM25_K1 * ((1 - BM25_B) + BM25_B * len(terms) / average) if terms else 0.0
                      for terms in documents]

    def weights(self, term: str) -> dict[int, float]:
        """The term's weight in each text it is in: idf * tf / (norm + tf)."""
        found = {number: counts[term] for number, counts in enumerate(self.counts) if term in counts}
        idf = float32(math.log(1 + (len(self.counts) - len(found) + 0.5) / (len(found) + 0.5)))
        return {number: float32(idf * (tf / (self.norms[number] + tf))) for number, tf in found.items()}

    def scores(self, query: Sequence[str]) -> list[float]:
        """Each text's score: the sum of its query terms' weights (a repeated term counts again)."""
        totals = [0.0] * len(self.counts)
        for term in query:
            for number, weight in self.weights(term).items():
                totals[number] = float32(totals[number] + weight)
        return totals


@dataclass(frozen=True)
class Passage:
    """A paragraph (with the bullets it introduces) or a lone bullet: what a card may quote."""

    htmls: tuple[str, ...]  # the paragraph's sentences
    texts: tuple[str, ...]  # the same as plain text
    bullets: tuple[Block, ...]  # the list it introduces, if it ends in ":"
    chapter: ChapterPath
    span: Span


def passages(article: Article) -> list[Passage]:
    """The article's passages outside the quiz, in order, each paragraph cut into sentences."""
    blocks = [b for b in article.blocks if b.section is not Section.QUIZ and b.kind is not BlockKind.HEADING]
    result: list[Passage] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        first = index
        if block.kind is BlockKind.PARAGRAPH and block.text.rstrip().endswith(":"):
            while index < len(blocks) and blocks[index].kind is BlockKind.BULLET \
                    and blocks[index].chapter == block.chapter:
                index += 1
        bullets = tuple(blocks[first:index])
        htmls = tuple(part for piece in SENTENCE_SPLIT.split(block.html) if (part := piece.strip()))
        end = bullets[-1].span.end if bullets else block.span.end
        result.append(Passage(htmls, tuple(map(html_to_text, htmls)), bullets, block.chapter,
                              Span(block.span.start, end)))
    return result


class EvidenceIndex:
    """A BM25 index over one article's sentences, built once and asked many questions."""

    def __init__(self, article: Article) -> None:
        self.language = article.language
        self.analyzer = analyzer(article.language)
        self.passages = passages(article)
        self.texts: list[str] = []  # the ranked sentences (and bullets), questions left out
        self.places: list[tuple[int, int]] = []  # each one's passage and position in it
        for number, passage in enumerate(self.passages):
            for position, text in enumerate([*passage.texts, *(b.text for b in passage.bullets)]):
                if not text.rstrip().endswith("?"):
                    self.texts.append(text)
                    self.places.append((number, position))
        self.bm25 = BM25([self.analyzer.terms(text) for text in self.texts])
        self.title_terms = frozenset(self.analyzer.terms(article.title))

    def ranked(self, question: str) -> list[tuple[float, int]]:
        """(score, sentence number) of the sentences matching the question, best first (the first of
        equals first). Every weight is positive, so a sentence matches if it scores."""
        scores = self.bm25.scores(self.analyzer.query(question))
        return sorted(((score, number) for number, score in enumerate(scores) if score),
                      key=lambda found: (-found[0], found[1]))

    def evidence(self, question: str, limit: int = EVIDENCE_MAX_PASSAGES) -> tuple[Evidence, ...]:
        """The passages holding the best sentences, best first; each passage at most once."""
        ranked = self.ranked(question)
        chosen: list[Evidence] = []
        seen: set[int] = set()
        for score, sentence in ranked:
            if score < ranked[0][0] * EVIDENCE_MIN_SHARE or len(chosen) >= limit:
                break
            number, position = self.places[sentence]
            if number not in seen:
                seen.add(number)
                passage = self.passages[number]
                html, text = render(passage, position)
                chosen.append(Evidence(html, passage.chapter, passage.span, text))
        return tuple(chosen)


    def answer(self, question: str) -> Evidence | None:
        """The one passage that clearly answers the question, or None: it holds most of the asked
        terms (EVIDENCE_MIN_ASKED_SHARE) and outscores every other passage (EVIDENCE_CLEAR_MARGIN)."""
        best: dict[int, tuple[float, int]] = {}  # each passage's best sentence, best passage first
        for score, sentence in self.ranked(question):
            best.setdefault(self.places[sentence][0], (score, sentence))
        if not best:
            return None
        scores = list(best.values())
        if len(scores) > 1 and scores[0][0] < EVIDENCE_CLEAR_MARGIN * scores[1][0]:
            return None
        number, position = self.places[scores[0][1]]
        passage = self.passages[number]
        if not self.asks_about(question, passage):
            return None
        html, text = render(passage, position)
        return Evidence(html, passage.chapter, passage.span, text)

    def asks_about(self, question: str, passage: Passage) -> bool:
        """Whether the passage holds enough of the question's asked terms (or their synonyms)."""
        asked = [term for term in dict.fromkeys(self.analyzer.terms(question)) if term not in self.title_terms]
        if not asked:
            return False
        held = set(self.analyzer.terms(" ".join((*passage.texts, *(b.text for b in passage.bullets)))))
        found = sum(term in held or any(s in held for s in self.analyzer.synonyms.get(term, ())) for term in asked)
        return found >= EVIDENCE_MIN_ASKED_SHARE * len(asked)


def is_question(text: str) -> bool:
    return QUESTION_END.search(text) is not None


def render(passage: Passage, hit: int) -> tuple[str, str]:
    """The passage as card HTML (the matching sentence marked) and as plain text; a long paragraph
    is cut to a window of sentences around the match."""
    count = len(passage.htmls)
    first, last = 0, count - 1
    words = word_count(" ".join((*passage.texts, *(b.text for b in passage.bullets))))
    if count > 1 and words > EVIDENCE_PASSAGE_MAX_WORDS:
        centre = min(hit, count - 1)
        first, last = max(0, centre - EVIDENCE_WINDOW), min(count - 1, centre + EVIDENCE_WINDOW)
    shown = list(passage.htmls[first : last + 1])
    bullets = [b.html for b in passage.bullets] if last == count - 1 else []
    if len(shown) + len(bullets) > 1:  # (a passage of one sentence needs no marking)
        if first <= hit <= last:
            shown[hit - first] = f'<mark class="ae-hit">{shown[hit - first]}</mark>'
        elif 0 <= hit - count < len(bullets):
            bullets[hit - count] = f'<mark class="ae-hit">{bullets[hit - count]}</mark>'
    html = " ".join(shown)
    text = " ".join(passage.texts[first : last + 1])
    if first > 0:
        html, text = "… " + html, "… " + text
    if last < count - 1:
        html, text = html + " …", text + " …"
    if bullets:
        html += "<ul><li>" + "</li><li>".join(bullets) + "</li></ul>"
        text += "\n• " + "\n• ".join([b.text for b in passage.bullets])
    return html, text


def resolve_quizzes(article: Article, items: Sequence[Item], mode: str = "evidence",
                    ) -> tuple[list[Item], list[QuizItem]]:
    """Give answer-less quiz items the passage that clearly answers them (``mode="evidence"``) or
    leave them out (``"skip"``). Returns the items to keep and the quiz items skipped; a statement
    (not a question: its truth is unknown) and a question no passage clearly answers are skipped in
    either mode, since a card must not teach what the article does not say."""
    if mode not in QUIZ_WITHOUT_ANSWER:
        raise ValueError(f"quiz_without_answer must be one of {QUIZ_WITHOUT_ANSWER}, not {mode!r}")
    kept: list[Item] = []
    skipped: list[QuizItem] = []
    index: EvidenceIndex | None = None
    for item in items:
        if not isinstance(item, QuizItem) or item.complete:
            kept.append(item)
            continue
        if mode == "evidence" and is_question(item.question):
            index = index if index is not None else EvidenceIndex(article)
            found = index.answer(item.question)
            if found is not None:
                kept.append(replace(item, evidence=(found,)))
                continue
        skipped.append(item)
    return kept, skipped
