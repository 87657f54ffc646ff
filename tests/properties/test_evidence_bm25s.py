"""Evidence ranking gives exactly what bm25s gives: same words, same float32 scores, same ties.

evidence.py scores with bm25s's BM25 ("lucene", k1 = 1.5, b = 0.75) without bm25s (and its numpy and
scipy); these tests build bm25s's index, as ankiexport once did, and compare every sentence's score."""

from __future__ import annotations

import random
from pathlib import Path

import bm25s
import pytest
import Stemmer
from hypothesis import given
from hypothesis import strategies as st

from ankiexport import evidence
from ankiexport.evidence import EvidenceIndex
from ankiexport.extract import extract
from ankiexport.model import Article, QuizItem
from ankiexport.readers import read_article
from ankiexport.readers.text.dump import parse_text
from ankiexport.rules.heuristics import QUESTION_SYNONYMS
from ankiexport.rules.stopwords import STOPWORDS

from ..conftest import FIXTURES, SEED
from ..seedlike import random_spec, render_html, render_text

# bm25s.tokenize's names for the stop-word lists ankiexport/stopwords.py copies.
BM25S_STOPWORDS = {"en": "en_plus", "de": "german", "fr": "french", "es": "spanish"}

# Words that test the tokeniser's edges: non-ASCII word and non-word characters, one-letter words,
# digits and underscores, case that lowercases to two characters, a stray NUL.
EDGES = [
    "The teacher’s café serves naïve crème brûlée – twice a day, at 9:30 and 10:45.",
    "İstanbul and STRASSE and Straße; ΟΔΟΣ and ΣΟΦΙΑ (Greek), x_y = 3.14, a b c d e.",
    "ΟΔΟΣ.ΑΒ and ΛΟΓΟΣ'ΑΒ: a final sigma depends on what follows; 300 K is a Kelvin sign.",
    "Ångström-scale “quoted” words… and a\u00a0non-breaking space, 5 km² in total.",
    "It’s a teacher’s “plain” text – nearly ASCII — with… • bullets\u00a0and ‘quotes’.",
    "Zellatmung: Die Mitochondrien bilden ATP aus Glukose und Sauerstoff.",
    "Un arbre binaire équilibré garde sa hauteur logarithmique; ¿verdad? ¡Sí!",
    "a\x00b c\x00 NUL\x00inside",
    "... — ! 1 2 3",
    "",
]


def bm25s_scores(texts: list[str], question: str, language: str) -> list[float]:
    """The texts' scores the way ankiexport computed them with bm25s's own index."""
    stemmer = Stemmer.Stemmer(evidence.STEMMERS.get(language, "english"))

    def tokenize(items: list[str]) -> list[list[str]]:
        tokens: list[list[str]] = bm25s.tokenize(
            items, stopwords=BM25S_STOPWORDS.get(language, "en_plus"), stemmer=stemmer.stemWords,
            return_ids=False, show_progress=False)
        return tokens

    corpus = tokenize(texts)
    words = tokenize([question])[0]
    if not any(corpus) or not words:
        return [0.0] * len(texts)  # bm25s cannot index texts without a word, nor score no word
    synonyms = QUESTION_SYNONYMS.get(language, {})
    stem = stemmer.stemWord
    query = words + [stem(s) for w in words for base, more in synonyms.items() if stem(base) == w for s in more]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    return [float(score) for score in retriever.get_scores(query)]


def bm25s_ranking(texts: list[str], question: str, language: str) -> list[tuple[float, int]]:
    scores = bm25s_scores(texts, question, language)
    order = sorted(range(len(texts)), key=lambda i: (-scores[i], i))
    return [(scores[i], i) for i in order if scores[i] > 0]


def assert_same_ranking(index: EvidenceIndex, questions: list[str]) -> int:
    compared = 0
    for question in questions:
        expected = bm25s_ranking(index.texts, question, index.language)
        assert index.ranked(question) == expected, question
        compared += len(expected)
    return compared


def questions_of(article: Article) -> list[str]:
    return [item.question for item in extract(article) if isinstance(item, QuizItem)]


def test_the_parameters_are_bm25s_defaults() -> None:
    default = bm25s.BM25()
    assert (default.method, default.idf_method, default.k1, default.b, default.dtype) == \
        ("lucene", "lucene", evidence.BM25_K1, evidence.BM25_B, "float32")


@pytest.mark.parametrize(("language", "name"), [("en", "STOPWORDS_EN_PLUS"), ("de", "STOPWORDS_GERMAN"),
                                              ("fr", "STOPWORDS_FRENCH"), ("es", "STOPWORDS_SPANISH")])
def test_the_copied_stop_words_are_bm25s_lists(language: str, name: str) -> None:
    assert STOPWORDS[language] == frozenset(getattr(bm25s.stopwords, name))


def test_a_language_without_a_list_uses_the_english_one() -> None:
    assert evidence.analyzer("xx").stopwords == STOPWORDS["en"]


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
def test_terms_are_bm25s_tokens(language: str) -> None:
    stemmer = Stemmer.Stemmer(evidence.STEMMERS[language])
    expected = bm25s.tokenize(EDGES, stopwords=BM25S_STOPWORDS[language], stemmer=stemmer.stemWords,
                              return_ids=False, show_progress=False)
    assert [evidence.analyzer(language).terms(text) for text in EDGES] == expected


def test_the_seed_and_fixtures_rank_as_with_bm25s() -> None:
    compared = 0
    for path in [SEED, *sorted((FIXTURES / "articles").glob("*.txt"))]:
        article = read_article(path)
        questions = [*questions_of(article), "What is the main goal?", "Was ist das Ziel?", "Pourquoi?"]
        compared += assert_same_ranking(EvidenceIndex(article), questions)
    assert compared > 100


@pytest.mark.parametrize("render", [render_text, render_html])
def test_generated_articles_rank_as_with_bm25s(render: object, tmp_path: Path) -> None:
    rng = random.Random(5)
    compared = 0
    for number in range(6):
        path = tmp_path / f"{number}.{'txt' if render is render_text else 'html'}"
        path.write_text(render(random_spec(rng, number)), encoding="utf-8")  # type: ignore[operator]
        article = read_article(path)
        compared += assert_same_ranking(EvidenceIndex(article), questions_of(article))
    assert compared > 50


def test_unusual_characters_rank_as_with_bm25s() -> None:
    article = parse_text("Edges\n\nWords\n\n" + "\n\n".join(text for text in EDGES if text.strip()) + "\n", "e.txt")
    index = EvidenceIndex(article)
    assert len(index.texts) >= 6
    assert assert_same_ranking(index, ["Which café serves crème brûlée?", "What is in İstanbul, Straße and ΟΔΟΣ?",
                                       "How big is an Ångström?", "Was bilden die Mitochondrien?",
                                       "What is inside the NUL?", "x_y = 3.14?"]) > 5


# Words and characters the ranking must tell apart: stop words, one-letter words, stems shared by
# several words, non-ASCII words, white space of every kind, the synonyms of questions.
PIECES = ["the", "a", "water", "waters", "watered", "rain", "raining", "café", "Straße", "x_y", "9",
          "\x00", " ", "  ", "\t", "\n", ".", ",", "’s", "–", "\u00a0", "İ", "ΟΔΟΣ", "goal", "aims", "main"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@given(st.lists(TEXTS, max_size=8), TEXTS, st.sampled_from(["en", "de", "fr"]))
def test_any_texts_score_as_with_bm25s(texts: list[str], question: str, language: str) -> None:
    analyzer = evidence.analyzer(language)
    scores = evidence.BM25([analyzer.terms(text) for text in texts]).scores(analyzer.query(question))
    assert scores == bm25s_scores(texts, question, language)


def test_a_question_word_asked_twice_counts_twice() -> None:
    texts = ["Rain falls on the water.", "Water, water everywhere.", "Dry land.", "The goal of rain."]
    analyzer = evidence.analyzer("en")
    bm25 = evidence.BM25([analyzer.terms(text) for text in texts])
    for question in ["Why water and rain, water?", "What is the main aim and goal?"]:
        scores = bm25.scores(analyzer.query(question))
        assert scores == bm25s_scores(texts, question, "en") and any(scores)
    once, twice = bm25.scores(["water"]), bm25.scores(["water", "water"])
    assert twice == [2 * score for score in once] and any(once)
