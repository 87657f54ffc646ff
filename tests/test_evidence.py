"""Evidence ranking and passage rendering on small articles written for the purpose."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ankiexport import evidence
from ankiexport.evidence import EvidenceIndex, resolve_quizzes
from ankiexport.model import QuizItem, Span
from ankiexport.readers.text import parse_text

FILLER = " ".join(f"Sentence number {n} talks about rivers and rain in general terms." for n in range(1, 9))

ARTICLE = f"""Water Cycle

Evaporation

{FILLER} The sun heats lakes until their water turns into vapour. {FILLER}

Clouds

Clouds form when vapour cools:

• Condensation: Vapour cools into droplets around dust.
• Growth: Droplets join until they are heavy enough to fall.

Frequently Asked Questions about the water cycle
What turns lake water into vapour?
Heat from the sun does, in every season.

Test your knowledge with multiple choice flashcards

What turns lake water into vapour?
"""


def index() -> EvidenceIndex:
    return EvidenceIndex(parse_text(ARTICLE, "water.txt"))


def test_a_long_paragraph_is_cut_to_the_matching_sentence_and_its_neighbours() -> None:
    found = index().evidence("What turns lake water into vapour?")
    assert found, "the evaporation sentence matches"
    best = found[0]
    assert '<mark class="ae-hit">The sun heats lakes until their water turns into vapour.</mark>' in best.html
    assert best.html.startswith("… ") and best.html.endswith(" …")
    assert best.text.count("Sentence number") == 2  # one neighbour either side
    assert best.chapter == ("Evaporation",)


def test_questions_are_never_evidence() -> None:
    for passage in index().evidence("What turns lake water into vapour?"):
        assert "What turns lake water into vapour?" not in passage.text


def test_a_paragraph_ending_in_a_colon_brings_its_list() -> None:
    found = index().evidence("How do droplets grow heavy enough to fall?")
    assert found[0].chapter == ("Clouds",)
    assert found[0].html.startswith("Clouds form when vapour cools:<ul><li>")
    assert '<li><mark class="ae-hit">Growth: Droplets join until they are heavy enough to fall.</mark></li>' \
        in found[0].html
    assert "• Condensation: Vapour cools into droplets around dust." in found[0].text


def test_resolve_keeps_complete_items_and_skips_on_request() -> None:
    article = parse_text(ARTICLE, "water.txt")
    complete = QuizItem(chapter=("Quiz",), span=Span(1, 1), question="Pick one", options=("a", "b"), correct=(1,))
    open_question = QuizItem(chapter=("Quiz",), span=Span(2, 2), question="What turns lake water into vapour?")
    kept, skipped = resolve_quizzes(article, [complete, open_question], "evidence")
    assert kept[0] is complete and skipped == []
    assert isinstance(kept[1], QuizItem) and kept[1].status == "evidence-only"
    kept, skipped = resolve_quizzes(article, [complete, open_question], "skip")
    assert kept == [complete] and skipped == [open_question]


def test_an_article_of_stop_words_gives_no_evidence() -> None:
    # Sentences with no word that counts: bm25s could not index them (it raised ValueError).
    article = parse_text("Water Cycle\n\nEvaporation\n\nIt is what it is. So be it.\n", "w.txt")
    question = QuizItem(chapter=("Quiz",), span=Span(1, 1), question="What turns lake water into vapour?")
    assert resolve_quizzes(article, [question], "evidence") == ([], [question])


# Words and characters the index must tell apart: stop words, one-letter words, stems shared by
# several words, non-ASCII words, the NUL that marks a text's end, white space of every kind.
PIECES = ["the", "a", "water", "waters", "watered", "rain", "raining", "café", "Straße", "x_y", "9",
          "\x00", " ", "  ", "\t", "\n", ".", ",", "’s", "–", "\u00a0", "İ", "ΟΔΟΣ"]


@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), max_size=8),
       st.sampled_from(["en", "de", "fr"]))
def test_the_term_index_counts_as_the_words_and_stems_say(texts: list[str], language: str) -> None:
    """_Terms codes each stem as a character and counts the characters asked for: the same lengths
    and frequencies as counting the analyser's words and stems one by one."""
    assert_terms_count_as_words_say(evidence.analyzer(language), texts)


def test_the_term_index_of_more_stems_than_a_byte_codes_counts_the_same() -> None:
    """Past 255 stems the coded texts cannot be bytes: the frequencies come from the str."""
    rng = random.Random(3)
    words = [f"q{number}z" for number in range(400)]
    texts = [" ".join(rng.choices(words, k=rng.randrange(1, 30))) + " the rains" for _ in range(60)]
    terms = assert_terms_count_as_words_say(evidence.analyzer("en"), texts)
    assert terms._bytes is None


def assert_terms_count_as_words_say(analyzer: evidence.Analyzer, texts: list[str]) -> evidence._Terms:
    words = analyzer.words(texts)
    stem = analyzer.stems(words)
    lengths: list[int] = [0]
    expected: dict[str, dict[int, int]] = {}
    for word in words:
        if word == "\x00":
            lengths.append(0)
            continue
        lengths[-1] += 1
        counts = expected.setdefault(stem[word], {})
        counts[len(lengths) - 1] = counts.get(len(lengths) - 1, 0) + 1
    terms = evidence._Terms(analyzer, texts)
    assert terms.lengths == lengths[:-1]
    for term, counts in expected.items():
        assert terms.frequencies([term]) == {term: counts}
    assert terms.frequencies([*expected, "absent"]) == {**expected, "absent": {}}
    return terms


@given(st.lists(st.lists(st.sampled_from([*PIECES, "goal", "main", "aims", "why"]), max_size=10).map("".join),
                max_size=6), st.sampled_from(["en", "de", "fr"]))
def test_questions_analysed_together_give_each_question_s_terms(questions: list[str], language: str) -> None:
    """EvidenceIndex.ask analyses all of an article's questions in one go: each gets the terms it
    gets alone."""
    analyzer = evidence.analyzer(language)
    assert analyzer.queries(questions) == [analyzer.queries([question])[0] for question in questions]


def test_questions_asked_ahead_rank_as_asked_one_by_one() -> None:
    questions = ["What turns lake water into vapour?", "Why do clouds form?", "What is the sun?", "Why?"]
    ahead = index()
    ahead.ask(questions)
    assert [ahead.ranked(question) for question in questions] == [index().ranked(question) for question in questions]
    assert ahead.ranked(questions[0])


def test_stems_looked_up_are_the_stemmer_s_and_the_lookup_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    analyzer = evidence.Analyzer("en")
    monkeypatch.setattr(evidence, "STEM_CACHE", 50)
    rng = random.Random(7)
    vocabulary = [f"{rng.choice(['run', 'walk', 'connect', 'cause'])}{rng.choice(['', 's', 'ing', 'ed'])}{n}"
                  for n in range(200)]
    for _ in range(30):
        words = list(set(rng.choices(vocabulary, k=40)))
        assert analyzer.stem_words(words) == analyzer.stemmer.stemWords(words)
        assert len(analyzer._stems) <= 50 + len(words)
