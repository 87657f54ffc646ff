"""Evidence ranking and passage rendering on small articles written for the purpose."""

from __future__ import annotations

from ankiexport.evidence import EvidenceIndex, resolve_quizzes
from ankiexport.model import QuizItem, Span
from ankiexport.readers.text.dump import parse_text

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
