"""The text-dump parser on the seed: structure, chrome, examples, line numbers."""

from __future__ import annotations

from collections import Counter

from ankiexport import load
from ankiexport.model import ChapterNote, Definition, KeyPoint, Span
from ankiexport.readers.text import dump as text_reader
from ankiexport.rules.chrome import CHROME, FAQ_MARKERS, QUIZ_MARKERS, TAKEAWAYS_MARKERS

from ..conftest import SEED

SEED_CHAPTERS = [
    "Neuromuscular Therapy Definition",
    "Core Principles of Neuromuscular Therapy",
    "What is Neuromuscular Therapy",
    "Techniques of Neuromuscular Therapy",
    "Soft Tissue Manipulation",
    "Trigger Point Therapy",
    "Neurosomatic Integration",
    "Physiological Basis of Neuromuscular Therapy",
    "Neuromuscular Therapy Explained",
    "Neuromuscular Therapy Effectiveness",
]


def test_seed_title_subject_language_and_chapters() -> None:
    article = load(SEED).article
    assert article.title == "Neuromuscular Therapy"
    assert article.subject == "Medicine"
    assert article.language == "en"
    assert [c.title for c in article.chapters] == SEED_CHAPTERS


def test_seed_item_counts() -> None:
    kinds = Counter(i.kind for i in load(SEED).items)
    assert kinds == {"definition": 4, "keypoint": 10, "chapter": 2, "takeaway": 6, "faq": 5, "quiz": 3,
                     "term": 2, "question": 2, "list": 3}


def test_definitions_with_source_lines() -> None:
    defs = [(i.term, i.chapter[0], i.span.start) for i in load(SEED).items if type(i) is Definition]
    assert defs == [
        ("Neuromuscular Therapy", "Neuromuscular Therapy Definition", 35),
        ("Neuromuscular Therapy", "What is Neuromuscular Therapy", 56),
        ("Soft Tissue Manipulation", "Soft Tissue Manipulation", 87),
        ("Neuromuscular Therapy (NMT)", "Neuromuscular Therapy Explained", 126),
    ]


def test_five_examples_join_items_and_make_no_cards_of_their_own() -> None:
    items = load(SEED).items
    with_example = [(type(i).__name__, i.chapter[0]) for i in items
                    if isinstance(i, Definition) and i.example]
    assert with_example == [
        ("ChapterNote", "Core Principles of Neuromuscular Therapy"),
        ("Definition", "What is Neuromuscular Therapy"),
        ("Definition", "Soft Tissue Manipulation"),
        ("ChapterNote", "Neurosomatic Integration"),
        ("Definition", "Neuromuscular Therapy Explained"),
    ]
    all_text = " ".join(" ".join(i.fields().values()) for i in items)
    assert all_text.count("Imagine a person") == 1
    assert "<em>releasing tension</em>" in all_text  # *emphasis* → <em>


def test_chapter_note_lists_the_passage_it_opens() -> None:
    notes = [i for i in load(SEED).items if isinstance(i, ChapterNote)]
    core = notes[0]
    assert core.term == "Core Principles of Neuromuscular Therapy"
    assert core.definition.count("<li>") == 4


def test_lead_bullets_are_key_points_not_definitions() -> None:
    items = load(SEED).items
    points = [i.term for i in items if isinstance(i, KeyPoint)]
    assert points[:4] == ["Relieving Trigger Points", "Improving Circulation", "Restoring Postural Imbalances",
                          "Increasing Flexibility"]
    assert not [i for i in items if type(i) is Definition and i.term in points]


def test_no_pattern_mentions_the_seed_subject() -> None:
    patterns = [p.regex.pattern for table in CHROME.values() for p in table]
    patterns += [p.regex.pattern for p in (*TAKEAWAYS_MARKERS, *FAQ_MARKERS, *QUIZ_MARKERS)]
    for pattern in patterns:
        for word in ("neuromuscular", "therapy", "medicine", "muscle"):
            assert word not in pattern.lower()


def test_text_is_escaped() -> None:
    from ankiexport.readers.text.dump import parse_text
    article = parse_text("title\n\nChapter One\n\nLess than: The symbol < compares 2 < 3 and is not a tag.\n",
                         "t.txt")
    defs = [b.html for b in article.blocks]
    assert "&lt;" in defs[-1] and "<" not in defs[-1].replace("&lt;", "")


def test_each_blocks_span_is_its_line() -> None:
    lines = "\n\n".join(f"Paragraph number {n} says what it says." for n in range(3000))
    article = text_reader.parse_text(lines + "\n", "long.txt")
    assert [b.span for b in article.blocks] == [Span(n, n) for n in range(1, 6000, 2)]


def test_repeated_paragraphs_are_dropped_only_when_long() -> None:
    long = "This paragraph has more than eight words in it, so a repeat goes."
    short = "Short lines may repeat freely."
    page = f"Title\n\n{long}\n\n{short}\n\n{long}\n\n{short}\n\n{long[:50]}…\n\n{long[:30]}…\n"
    article = text_reader.parse_text(page, "r.txt")
    # The long teaser goes, the five-word one stays like any short line.
    assert [b.text for b in article.blocks] == [long, short, short, f"{long[:30]}…"]
