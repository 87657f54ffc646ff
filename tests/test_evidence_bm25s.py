"""Evidence ranking gives exactly what bm25s gives: same words, same float32 scores, same ties.

evidence.py scores with bm25s's BM25 ("lucene", k1 = 1.5, b = 0.75) without building bm25s's sparse
index; these tests build that index, as ankiexport once did, and compare every sentence's score."""

from __future__ import annotations

import random
import re
from pathlib import Path

import bm25s
import pytest
import Stemmer

from ankiexport import evidence
from ankiexport.evidence import EvidenceIndex
from ankiexport.extract import extract
from ankiexport.heuristics import QUESTION_SYNONYMS
from ankiexport.model import Article, QuizItem
from ankiexport.readers import read_article
from ankiexport.readers.text import parse_text

from .conftest import FIXTURES, SEED
from .seedlike import random_spec, render_html, render_text

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


def bm25s_ranking(texts: list[str], question: str, language: str) -> list[tuple[float, int]]:
    """The sentences' scores the way ankiexport computed them with bm25s's own index."""
    stemmer = Stemmer.Stemmer(evidence.STEMMERS.get(language, "english"))

    def tokenize(items: list[str]) -> list[list[str]]:
        tokens: list[list[str]] = bm25s.tokenize(
            items, stopwords=BM25S_STOPWORDS.get(language, "en_plus"), stemmer=stemmer.stemWords,
            return_ids=False, show_progress=False)
        return tokens

    corpus = tokenize(texts)
    if not any(corpus):
        return []  # bm25s cannot index sentences without a word
    words = tokenize([question])[0]
    if not words:
        return []
    synonyms = QUESTION_SYNONYMS.get(language, {})
    stem = stemmer.stemWord
    query = words + [stem(s) for w in words for base, more in synonyms.items() if stem(base) == w for s in more]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    scores = retriever.get_scores(query)
    order = sorted(range(len(texts)), key=lambda i: (-float(scores[i]), i))
    return [(float(scores[i]), i) for i in order if scores[i] > 0]


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


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "xx"])
def test_stop_words_are_bm25s_lists(language: str) -> None:
    names = BM25S_STOPWORDS.get(language, "en_plus")
    assert evidence.analyzer(language).stopwords == frozenset(bm25s.tokenization._infer_stopwords(names))


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
def test_words_are_bm25s_tokens(language: str) -> None:
    analyzer = evidence.analyzer(language)
    ours = analyzer.words(EDGES)
    stemmed = [analyzer.stems(ours).get(word, word) for word in ours]
    sentences: list[list[str]] = [[]]
    for word in stemmed:
        if word == "\x00":
            sentences.append([])
        else:
            sentences[-1].append(word)
    stemmer = Stemmer.Stemmer(evidence.STEMMERS[language])
    expected = bm25s.tokenize(EDGES, stopwords=BM25S_STOPWORDS[language], stemmer=stemmer.stemWords,
                              return_ids=False, show_progress=False)
    assert sentences[:-1] == expected and sentences[-1] == []


def test_characters_read_as_spaces_are_not_word_characters() -> None:
    assert not re.findall(r"\w", evidence._NON_WORD)


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
