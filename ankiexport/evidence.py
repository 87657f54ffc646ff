"""Evidence for answer-less quiz questions: the article's passages that best answer them.

Every sentence of the article (outside the quiz itself) is ranked against the question with BM25
(``bm25s``'s words, stop words and scores, Snowball stemming from ``PyStemmer``), and the best
sentences are shown in their passage: the paragraph they stand in (a window of sentences around them
when the paragraph is long), with the list a paragraph ending in ":" introduces. Questions are never
evidence (an FAQ's question does not answer a quiz's).

One article is a few dozen sentences asked a handful of questions: bm25s's machinery for large
corpora (numpy and scipy imports, a sparse matrix of every weight) cost more than everything else
here, so the scores are computed as bm25s computes them, term by term when a question asks
(``BM25``); tests/test_evidence_bm25s.py checks every score against bm25s itself.
"""

from __future__ import annotations

import importlib.util
import math
import re
import string
from array import array
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count, filterfalse, repeat
from operator import itemgetter
from pathlib import Path
from types import ModuleType
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
STOPWORDS = {"en": "STOPWORDS_EN_PLUS", "de": "STOPWORDS_GERMAN", "fr": "STOPWORDS_FRENCH",
             "es": "STOPWORDS_SPANISH"}
STEMMERS = {"en": "english", "de": "german", "fr": "french", "es": "spanish"}
# The commonest stop word, taken out of an article's text before it is split into words: "the" is one
# English word in twenty (one in five in generated articles), and each word split, hashed and looked
# up costs some 900 instructions; a search of the whole text costs some 35,000 (so rarer words do not
# pay: "of", "and", "to" made the index dearer).
COMMON_STOPWORDS = {"en": ("the",)}


@dataclass(frozen=True)
class Passage:
    """A paragraph (with the bullets it introduces) or a lone bullet: what a card may quote."""

    htmls: tuple[str, ...]  # the paragraph's sentences
    texts: tuple[str, ...]  # the same as plain text
    bullets: tuple[Block, ...]  # the list it introduces, if it ends in ":"
    chapter: ChapterPath
    span: Span


def split_sentences(fragment: str) -> tuple[list[str], list[str]]:
    """A fragment's sentences, as HTML and as text."""
    # SENTENCE_SPLIT cuts after ".", "!" or "?" followed by a space and a capital; most fragments (one
    # sentence, its stop at the end) are spared the regular expression, which tries every position.
    head = fragment[:-2]
    if "." in head or "!" in head or "?" in head:
        htmls = [part for piece in SENTENCE_SPLIT.split(fragment) if (part := piece.strip())]
    else:
        part = fragment.strip()
        htmls = [part] if part else []
    if "<" not in fragment and "&" not in fragment:
        return htmls, htmls  # no tag, no entity: the text is the HTML
    return htmls, [html_to_text(part) for part in htmls]


# (enum members fetched from their class cost a dictionary lookup in the metaclass at every test)
_QUIZ, _HEADING, _PARAGRAPH, _BULLET = Section.QUIZ, BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.BULLET
_NO_BULLETS: tuple[Block, ...] = ()


def _groups(article: Article) -> list[tuple[Block, tuple[Block, ...]]]:
    """Each passage's block, with the bullets a paragraph ending in ":" introduces."""
    blocks = [b for b in article.blocks if b.section is not _QUIZ and b.kind is not _HEADING]
    result = []
    index, count = 0, len(blocks)
    while index < count:
        block = blocks[index]
        index += 1
        if block.kind is _PARAGRAPH and block.text.rstrip().endswith(":"):
            first = index
            while index < count and blocks[index].kind is _BULLET and blocks[index].chapter == block.chapter:
                index += 1
            result.append((block, tuple(blocks[first:index])))
        else:
            result.append((block, _NO_BULLETS))
    return result


def _passage(block: Block, bullets: tuple[Block, ...], htmls: list[str], texts: list[str]) -> Passage:
    end = bullets[-1].span.end if bullets else block.span.end
    return Passage(tuple(htmls), tuple(texts), bullets, block.chapter, Span(block.span.start, end))


# bm25s's ``BM25()`` defaults, which the ranking keeps: the "lucene" variant (Kamphuis et al., ECIR
# 2020) with k1 = 1.5, b = 0.75, and float32 scores.
BM25_K1 = 1.5
BM25_B = 0.75
# bm25s.tokenize's words: its token_pattern r"(?u)\b\w\w+\b" (runs of two or more word characters)
# in the lowercased text (see _split_words).
TOKEN = re.compile(r"(?u)\b\w\w+\b")
_ASCII_WORD = frozenset(string.ascii_letters + string.digits + "_")
# UTF-8 bytes: ASCII letters lowercased, ASCII non-word characters made spaces; NUL and non-ASCII kept.
# Non-ASCII characters \w does not match that ASCII texts commonly hold (typographic quotes, dashes,
# ellipsis, bullet, no-break space): spaces do as well, and leave the text ASCII.
_NON_WORD = "’‘“”–—…•\xa0"
_ASCII_WORDS = bytes(ord(chr(c).lower()) if chr(c) in _ASCII_WORD else c if c == 0 or c >= 128 else 32
                     for c in range(256))
# How many words' stems an analyser keeps (see Analyzer.stem_words): a few MB, and the vocabulary of
# many articles (1,000 generated articles use fewer than 1,000 words).
STEM_CACHE = 50_000
# Texts are analysed together, joined by this mark (its NUL is kept as a word of its own).
_MARK = "\x00"
_JOIN = " \x00 "

# Values rounded to float32 as numpy rounds them (to nearest, ties to even): array("f", values).


@lru_cache(maxsize=1)
def _bm25s_stopwords() -> ModuleType:
    """bm25s's stop-word lists (``bm25s/stopwords.py``, plain tuples of words), loaded without
    importing the bm25s package: its ``__init__`` imports numpy and scipy.sparse, 0.35 s of CPU in
    every process that ranks, for a sparse-matrix index that one article does not need."""
    package = importlib.util.find_spec("bm25s")  # a top-level name: found, not imported
    if package is None or not package.submodule_search_locations:
        raise ModuleNotFoundError("bm25s is not installed (pip install bm25s)", name="bm25s")
    path = Path(next(iter(package.submodule_search_locations))) / "stopwords.py"
    spec = importlib.util.spec_from_file_location("ankiexport._bm25s_stopwords", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Analyzer:
    """bm25s.tokenize's analysis for one language (lowercase, words of two or more characters, the
    language's stop words dropped, Snowball stems from PyStemmer), with the question synonyms."""

    def __init__(self, language: str) -> None:
        import Stemmer  # PyStemmer: imported on first use (only answer-less quizzes need it)

        self.stopwords = frozenset(getattr(_bm25s_stopwords(), STOPWORDS.get(language, "STOPWORDS_EN_PLUS")))
        self.dropped = self.stopwords | _ASCII_WORD  # one-character words: only str.split makes them
        self.stemmer: Any = Stemmer.Stemmer(STEMMERS.get(language, "english"))
        self._stems: dict[str, str] = {}  # (see stem_words)
        # (as words between spaces; a word that does not count either way)
        self.common = tuple(f" {word} " for word in COMMON_STOPWORDS.get(language, ()) if word in self.dropped)
        # A question word whose stem is a synonym's base brings the other words' stems along.
        self.synonyms: dict[str, list[str]] = {}
        for base, more in QUESTION_SYNONYMS.get(language, {}).items():
            self.synonyms.setdefault(self.stemmer.stemWord(base), []).extend(self.stemmer.stemWords(more))

    def split(self, texts: Sequence[str], *, common: bool = False) -> list[str]:
        """Every word of the texts, those that do not count too (bar the commonest ones with
        ``common``), in order, each text's followed by the mark."""
        if not texts:
            return []
        # (the mark after the last text joined on too: a concatenation would copy the whole again)
        joined = _JOIN.join([*texts, ""])
        if joined.count(_MARK) != len(texts):  # a text with a NUL of its own: a space does as well
            joined = _JOIN.join([*(text.replace(_MARK, " ") for text in texts), ""])
        return _split_words(joined, self.common if common else ())

    def words(self, texts: Sequence[str]) -> list[str]:
        """The words that count in the texts (not yet stemmed), in order, each text's followed by
        the mark."""
        return list(filterfalse(self.dropped.__contains__, self.split(texts)))

    def stems(self, words: Sequence[str]) -> dict[str, str]:
        return dict(zip(words, self.stemmer.stemWords(words), strict=True))

    def stem_words(self, words: Collection[str]) -> list[str]:
        """The words' stems, in the words' order. Stems found before are looked up: PyStemmer's own
        cache (a Python call per word) costs some 1,600 instructions a word, the lookups here in C
        less than half of that, and articles share most of their words. The dict is emptied past
        STEM_CACHE words, so a long batch does not grow it without bound."""
        known = self._stems
        if len(known) > STEM_CACHE:
            known.clear()
        missing = list(filterfalse(known.__contains__, words))
        if missing:
            known.update(zip(missing, self.stemmer.stemWords(missing), strict=True))
        return list(map(known.__getitem__, words))

    def query(self, question: str) -> list[str]:
        return self.queries([question])[0]

    def queries(self, questions: Sequence[str]) -> list[list[str]]:
        """Each question's terms: its words' stems in order, then its synonyms' (all the questions
        split and stemmed at once: a split and a stemWords call cost some 20,000 instructions)."""
        words = self.words(questions)
        stem = self.stems(list(set(words)))
        result: list[list[str]] = []
        terms: list[str] = []
        synonyms = self.synonyms
        for word in words:
            if word == _MARK:
                result.append(terms + [s for term in terms if term in synonyms for s in synonyms[term]])
                terms = []
            else:
                terms.append(stem[word])
        return result


def _split_words(text: str, common: Sequence[str] = ()) -> list[str]:
    """bm25s.tokenize's words of the text (lowercased), the mark kept as a word, less the ``common``
    words (each between spaces) where they stand alone. For speed, one bytes.translate lowercases
    ASCII letters and turns the other ASCII characters \\w does not match into spaces, and str.split
    does the rest; the few pieces holding non-ASCII characters (which may or may not be word
    characters: "café", "teacher’s") are lowercased and split by the regex."""
    if text.isascii():
        return _without(text.encode("ascii").translate(_ASCII_WORDS).decode("ascii"), common).split()
    lowered = "Σ" in text  # the one letter str.lower lowercases by context (final sigma)
    if lowered:
        text = text.lower()
    for mark in _NON_WORD:
        if mark in text:
            text = text.replace(mark, " ")
    if text.isascii():
        return _without(text.encode("ascii").translate(_ASCII_WORDS).decode("ascii"), common).split()
    words = _without(text.encode("utf-8").translate(_ASCII_WORDS).decode("utf-8"), common).split()
    for piece in set(filterfalse(str.isascii, words)):
        found = TOKEN.findall(piece if lowered else piece.lower())
        at = words.index(piece)
        while True:
            words[at : at + 1] = found
            try:
                at = words.index(piece, at + len(found))
            except ValueError:
                break
    return words


def _without(text: str, words: Sequence[str]) -> str:
    """The text without the words (" the "): a space stays in each one's place. Of a word twice in
    a row ("the the") the second stays, a word like any other to the caller."""
    for word in words:
        if word in text:
            text = text.replace(word, " ")
    return text


@lru_cache(maxsize=8)
def analyzer(language: str) -> Analyzer:
    return Analyzer(language)


class BM25:
    """``bm25s.BM25()`` scoring, computed the way bm25s computes it so scores, rankings and ties stay
    the same: idf = ln(1 + (N - df + 0.5) / (df + 0.5)) rounded to float32; a term's weight in a
    sentence of L terms is idf * tf / (k1 * ((1 - b) + b * L / avgL) + tf) in float64, rounded to
    float32; a sentence's score is the float32 sum of its query terms' weights, in query order.

    bm25s builds a sparse matrix of every term's weight in every sentence; here a term's weights are
    worked out when a question first asks for it. One article has a few dozen sentences and a
    handful of questions: building bm25s's index for it cost more than the rest of the evidence.
    ``frequencies(terms)`` gives each term's frequency in each sentence it is in."""

    def __init__(self, lengths: Sequence[int],
                 frequencies: Callable[[Collection[str]], dict[str, dict[int, float]]]) -> None:
        average = sum(lengths) / len(lengths) if lengths else 0.0
        self.count = len(lengths)
        # (no words at all: no term has a weight, and avgL is 0)
        self.norms = [BM25_K1 * ((1 - BM25_B) + BM25_B * length / average) for length in lengths] if average else []
        self.frequencies = frequencies
        self._weights: dict[str, dict[int, float]] = {}
        self._idf: dict[int, float] = {}  # by df

    def weigh(self, terms: Iterable[str]) -> None:
        """Work out the weights of the terms not known yet (their frequencies all found at once)."""
        new = set(terms).difference(self._weights)
        if not new:
            return
        norms, idfs, count = self.norms, self._idf, self.count
        found = self.frequencies(new)
        # Every weight of every term in one list, made float32 by one array: per term, an array and
        # a comprehension of its own cost a quarter more. (tf is a float: int / float costs twice
        # float / float, with the same result.)
        weights: list[float] = []
        for frequencies in found.values():
            df = len(frequencies)
            idf = idfs.get(df)
            if idf is None:
                idf = idfs[df] = array("f", [math.log(1 + (count - df + 0.5) / (df + 0.5))])[0]
            for number, tf in frequencies.items():
                weights.append(idf * (tf / (norms[number] + tf)))
        rounded = iter(array("f", weights))
        known = self._weights
        for term, frequencies in found.items():
            # (zip stops at the term's last sentence before it takes another weight)
            known[term] = dict(zip(frequencies, rounded))  # noqa: B905

    def weights(self, term: str) -> dict[int, float]:
        """The term's weight in each sentence it is in."""
        found = self._weights.get(term)
        if found is None:
            self.weigh((term,))
            found = self._weights[term]
        return found

    def scores(self, query: Sequence[str]) -> array[float]:
        """Each sentence's score (0.0 for a sentence matching none of the terms): float32 sums,
        like numpy's, since the array rounds each sum it stores. (Added weight by weight in a Python
        loop, ranking costs a fifth less than with each term's weights summed by map and array in C
        into a dict: the array leaves nothing to merge, nor to sort by sentence.)"""
        totals = array("f", bytes(4 * self.count))
        known = self._weights
        for term in query:
            weights = known.get(term)
            if weights is None:
                self.weigh(query)
                weights = known[term]
            for number, weight in weights.items():
                totals[number] += weight
        return totals


# Every code a text may hold but the mark (see _Terms.frequencies).
_CODES = bytes(range(1, 256))


class _Terms:
    """Where each stem of the texts occurs: every text's length in stems, and for a stem, how often
    it stands in each text it is in (texts in order).

    Indexing every word into a dict in a Python loop cost half of the evidence stage, when the
    questions ask for a dozen stems out of hundreds. So each distinct stem gets a character of its
    own, the texts are written as one string of these (a character per word that counts, the mark
    after each text), and the stems asked for are counted in what is left of that string once every
    other character is deleted. Every word passes through C alone (split, set, dict lookups, join)."""

    def __init__(self, analyzer: Analyzer, texts: Sequence[str]) -> None:
        words = analyzer.split(texts, common=True)
        distinct = set(words)
        counted = list(distinct - analyzer.dropped - {_MARK})
        stems = analyzer.stem_words(counted)
        # (chr and zip in C: a comprehension cost about as much as the stemming)
        self._codes = dict(zip(set(stems), map(chr, count(1))))  # noqa: B905 (as many as the stems)
        code = dict.fromkeys(distinct, "")  # (a word that does not count is no character)
        code.update(zip(counted, map(self._codes.__getitem__, stems), strict=True))
        code[_MARK] = _MARK
        # (itemgetter looks every word up in one C call: a fifth cheaper than map; it needs a word,
        # and gives a lone word's character itself, which join takes as well)
        self._text = "".join(itemgetter(*words)(code)) if words else ""
        self.lengths: list[int] = list(map(len, self._text.split(_MARK)[:-1]))
        # (bytes.translate deletes characters for a tenth of what str.translate's dict lookups cost;
        # an article of more than 255 stems, which bytes cannot code, is counted in the str)
        self._bytes = self._text.encode("latin-1") if len(self._codes) < len(_CODES) else None

    def frequencies(self, terms: Collection[str]) -> dict[str, dict[int, float]]:
        """Each term's frequency in each text it is in (none for a term of no text).

        Finding each stem's characters one by one (str.find, then the text it falls in) cost some
        3,500 instructions a time; here the stems asked for are all that is left of the coded texts
        but the marks, and one loop counts them text by text."""
        found: dict[str, dict[int, float]] = {term: {} for term in terms}
        asked = {self._codes[term]: counts for term, counts in found.items() if term in self._codes}
        if not asked:
            return found
        codes: dict[Any, dict[int, float]] = asked  # (by character, or as bytes give them, by ord)
        pieces: list[Any]
        if self._bytes is not None:
            pieces = self._bytes.translate(None, _CODES.translate(None, "".join(asked).encode("latin-1"))).split(b"\0")
            codes = {ord(character): counts for character, counts in asked.items()}
        else:
            table: dict[int, str | None] = dict.fromkeys(range(1, len(self._codes) + 1))
            table.update({ord(character): character for character in asked})
            pieces = self._text.translate(table).split(_MARK)
        for number, piece in compress(enumerate(pieces), pieces):  # (the texts holding any)
            for character in piece:
                counts = codes[character]
                counts[number] = counts.get(number, 0.0) + 1.0
        return found


class EvidenceIndex:
    """A BM25 index over one article's sentences, built once and asked many questions."""

    def __init__(self, article: Article) -> None:
        self.language = article.language
        self.analyzer = analyzer(self.language)
        self._groups = _groups(article)
        self._sentences: list[tuple[list[str], list[str]]] = []
        self._passages: dict[int, Passage] = {}
        self._found: dict[tuple[int, int], Evidence] = {}
        # The ranked sentences: passage, position and text; questions (ending in "?") are left out.
        # (two lists of numbers, not a tuple made for each sentence)
        numbers: list[int] = []
        positions: list[int] = []
        texts: list[str] = []
        for number, (block, bullets) in enumerate(self._groups):
            sentences = split_sentences(block.html)
            candidates = sentences[1]
            self._sentences.append(sentences)
            if bullets:
                candidates = [*candidates, *[b.text for b in bullets]]
            if "?" in "".join(candidates):
                for position, text in enumerate(candidates):
                    if not text.rstrip().endswith("?"):
                        numbers.append(number)
                        positions.append(position)
                        texts.append(text)
            else:
                numbers.extend(repeat(number, len(candidates)))
                positions.extend(range(len(candidates)))
                texts.extend(candidates)
        self._numbers, self._positions = numbers, positions
        self.texts = texts
        self._terms = _Terms(self.analyzer, texts)
        self.bm25 = BM25(self._terms.lengths, self._terms.frequencies)
        self._queries: dict[str, list[str]] = {}

    def ask(self, questions: Sequence[str]) -> None:
        """Analyse the questions and weigh their terms ahead, all at once (``ranked`` would do it
        question by question: each analysis and each search of the article costs as much for one
        question as for all)."""
        self._queries.update(zip(questions, self.analyzer.queries(questions), strict=True))
        self.bm25.weigh([term for terms in self._queries.values() for term in terms])

    def passage(self, number: int) -> Passage:
        found = self._passages.get(number)
        if found is None:
            (block, bullets), (htmls, texts) = self._groups[number], self._sentences[number]
            found = self._passages[number] = _passage(block, bullets, htmls, texts)
        return found

    def ranked(self, question: str) -> list[tuple[float, int]]:
        """(score, sentence number) of the sentences matching the question, best first (the first of
        equals first)."""
        query = self._queries.get(question)
        if query is None:
            query = self._queries[question] = self.analyzer.query(question)
        scores = self.bm25.scores(query)
        # the matching sentences in order, then best first: the sort is stable, reversed too, so
        # equals keep sentence order (every weight is positive, so a sentence matches if it scores)
        order = list(compress(range(len(scores)), scores))
        order.sort(key=scores.__getitem__, reverse=True)
        return list(zip(map(scores.__getitem__, order), order))  # noqa: B905 (the same numbers)

    def evidence(self, question: str, limit: int = EVIDENCE_MAX_PASSAGES) -> tuple[Evidence, ...]:
        """The passages holding the best sentences, best first; each passage at most once."""
        ranked = self.ranked(question)
        if not ranked:
            return ()
        floor = ranked[0][0] * EVIDENCE_MIN_SHARE
        chosen: list[Evidence] = []
        seen: set[int] = set()
        for score, sentence in ranked:
            if score < floor or len(chosen) >= limit:
                break
            number, position = self._numbers[sentence], self._positions[sentence]
            if number in seen:
                continue
            seen.add(number)
            found = self._found.get((number, position))
            if found is None:  # not yet shown for another question
                passage = self.passage(number)
                html, text = render(passage, position)
                # (html, chapter, span, text: positional, see extract/leads.py)
                found = self._found[number, position] = Evidence(html, passage.chapter, passage.span, text)
            chosen.append(found)
        return tuple(chosen)


def render(passage: Passage, hit: int) -> tuple[str, str]:
    """The passage as card HTML (the matching sentence marked) and as plain text; a long paragraph
    is cut to a window of sentences around the match."""
    count = len(passage.htmls)
    first, last = 0, count - 1
    if count > 1 and word_count(" ".join((*passage.texts, *(b.text for b in passage.bullets)))) > \
            EVIDENCE_PASSAGE_MAX_WORDS:
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
    if mode == "evidence":
        asked = [item.question for item in items if isinstance(item, QuizItem) and not item.complete]
        if asked:
            index = EvidenceIndex(article)
            index.ask(asked)
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
            # replace(item, evidence=found), field by field: dataclasses.replace (a Python loop over the
            # fields) cost 22,000 instructions, three times this copy
            kept.append(QuizItem(item.chapter, item.span, item.question, item.options, item.correct,
                                 item.explanation, found, item.shuffle))
        else:
            skipped.append(item)
    return kept, skipped
