"""Multiple-choice quiz cards: complete quizzes mark the key, answer-less ones show evidence.

Every deck here is imported into a real collection with the official ``anki`` package and its cards
rendered by Anki itself; the card HTML is then read with BeautifulSoup and shown in real Chromium.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from ankiexport.cli import main
from ankiexport.notetypes import QUIZ
from ankiexport.release import ankicheck

from .. import browser
from ..conftest import FIXTURES, SEED

CELLS = FIXTURES / "quizzes" / "cells.quiz.yaml"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
PLANTS = "Which of these are found in plant cells but not in animal cells?"
ATP = "Which organelle makes most of a cell's ATP?"
RECEPTORS = "Which sensory receptors does Neuromuscular Therapy target to enhance movement control?"

Cli = Callable[..., Result]


def build_and_import(cli: Cli, collection: Any, tmp_path: Path, *args: str) -> list[ankicheck.StoredNote]:
    out = tmp_path / "deck.apkg"
    done = cli("build", *args, "-o", out, env=EPOCH)
    assert done.exit_code == 0, done.output
    counts = ankicheck.import_package(collection, out)
    assert counts.conflicting == 0 and counts.missing_notetype == 0
    # By note id, which is the package's order: the article's (Source names no line, see notes.py).
    return ankicheck.stored_notes(collection)


def quiz_notes(notes: list[ankicheck.StoredNote]) -> list[ankicheck.StoredNote]:
    return [n for n in notes if n.note_type == QUIZ.name]


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def text(node: Any) -> str:
    return " ".join(node.get_text(" ").split())


# --- Answer-less questions: evidence ------------------------------------------------------------


def test_seed_quiz_backs_show_the_passages_that_answer_them_in_order(cli: Cli, collection: Any,
                                                                     tmp_path: Path) -> None:
    notes = build_and_import(cli, collection, tmp_path, SEED)
    quiz = quiz_notes(notes)
    assert [n.fields["Question"] for n in quiz] == [
        "Which of the following is a core principle of Neuromuscular Therapy?",
        "What is the main goal of Neuromuscular Therapy (NMT)?",
        "Which sensory receptors does Neuromuscular Therapy target to enhance movement control?",
    ]
    best = []
    for note in quiz:
        back = soup(note.cards[0][1])
        passages = back.select(".ae-evidence blockquote.ae-passage")
        assert len(passages) == 1  # only the passage that clearly answers
        for passage in passages:  # each passage names its chapter
            chapter = passage.select_one(".ae-chapter")
            assert chapter is not None and text(chapter)
        best.append((text(passages[0]), text(passages[0].select_one(".ae-chapter"))))
        # Never "no answer" above a passage that holds the answer: the passage is quoted as such.
        assert "gives no answer" not in text(back)
        assert text(back.select_one(".ae-evidence .ae-label")) == "From the article"
    core, goal, receptors = best
    # The core-principles passage, with the list of principles it introduces.
    assert "built on several core principles" in core[0] and "Relieving Trigger Points" in core[0]
    assert "Increasing Flexibility" in core[0]
    assert core[1] == "Core Principles of Neuromuscular Therapy"
    # A passage on balancing the nervous and musculoskeletal systems.
    assert re.search(r"balanc\w* the central nervous system with the musculoskeletal system", goal[0])
    # The passage naming proprioceptors.
    assert "sensory receptors called proprioceptors" in receptors[0]
    assert receptors[1] == "Neuromuscular Therapy Explained"


def test_answer_less_quiz_notes_need_review_and_others_do_not(cli: Cli, collection: Any,
                                                              tmp_path: Path) -> None:
    notes = build_and_import(cli, collection, tmp_path, SEED, CELLS)
    for note in notes:
        answer_less = note.note_type == QUIZ.name and not note.fields["Answer"]
        assert ("needs-review" in note.tags) == answer_less, (note.fields, note.tags)
    assert sum("needs-review" in n.tags for n in notes) == 3


def test_skip_leaves_answer_less_questions_out(cli: Cli, collection: Any, tmp_path: Path) -> None:
    notes = build_and_import(cli, collection, tmp_path, SEED, CELLS, "--quiz-without-answer", "skip")
    quiz = quiz_notes(notes)
    assert len(notes) == 34 + 2
    assert [n.fields["Question"] for n in quiz] == [
        "Which organelle makes most of a cell's ATP?",
        "Which of these are found in plant cells but not in animal cells?",
    ]
    assert not any("needs-review" in n.tags for n in notes)


def test_bad_quiz_without_answer_value_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    done = cli("build", SEED, "-o", tmp_path / "x.apkg", "--quiz-without-answer", "guess")
    assert done.exit_code == 2 and "evidence" in done.output
    assert not (tmp_path / "x.apkg").exists()


def test_inspect_reports_each_quiz_item(cli: Cli) -> None:
    seed = json.loads(cli("inspect", SEED, "--json").output)
    assert seed["quiz"] == {"evidence-only": 3}
    quiz = [i for i in seed["items"] if i["kind"] == "quiz"]
    assert [i["status"] for i in quiz] == ["evidence-only"] * 3
    assert "proprioceptors" in quiz[2]["evidence"][0]["text"]
    assert quiz[0]["evidence"][0]["chapter"] == "Core Principles of Neuromuscular Therapy"

    skipped = json.loads(cli("inspect", SEED, "--json", "--quiz-without-answer", "skip").output)
    assert skipped["quiz"] == {"skipped": 3}
    assert len([i for i in skipped["items"] if i["kind"] == "quiz"]) == 3

    cells = json.loads(cli("inspect", CELLS, "--json").output)
    assert cells["quiz"] == {"complete": 2}
    assert cells["items"][1]["fields"]["correct"] == "A,C"

    table = cli("inspect", SEED).output
    assert table.count("[evidence-only]") == 3


def test_a_question_nothing_in_the_article_answers_is_skipped(cli: Cli, tmp_path: Path) -> None:
    article = tmp_path / "tides.txt"
    article.write_text(
        "Tides\n\nWhat Tides Are\n\nTides: The regular rise and fall of the sea caused by the Moon's pull.\n\n"
        "Test your knowledge with multiple choice flashcards\n\n"
        "Which enzyme digests starch in saliva?\n\nWhat causes the tides?\n", encoding="utf-8")
    found = json.loads(cli("inspect", article, "--json").stdout)
    quiz = {i["fields"]["question"]: i for i in found["items"] if i["kind"] == "quiz"}
    assert quiz["Which enzyme digests starch in saliva?"]["status"] == "skipped"
    assert quiz["What causes the tides?"]["status"] == "evidence-only"
    assert "Moon's pull" in quiz["What causes the tides?"]["evidence"][0]["text"]


# --- Complete quizzes ---------------------------------------------------------------------------


def check_complete_card(note: ankicheck.StoredNote, options: list[str], correct: list[str]) -> None:
    """The rendered front lists every option and gives nothing away; the back marks the key."""
    front, back = (soup(side) for side in note.cards[0])
    shown = [text(li) for li in front.select(".ae-choices li")]
    assert shown == options
    assert not front.select(".ae-right") and "✓" not in text(front)
    marked = [text(li).removeprefix("✓ ") for li in back.select(".ae-choices li.ae-right")]
    assert marked == correct
    assert all(text(li).startswith("✓") for li in back.select(".ae-choices li.ae-right"))
    unmarked = [text(li) for li in back.select(".ae-choices li.ae-wrong")]
    assert sorted(unmarked + marked) == sorted(options)
    assert "needs-review" not in note.tags


def test_yaml_quiz_file_imports_and_renders_in_anki(cli: Cli, collection: Any, tmp_path: Path) -> None:
    notes = build_and_import(cli, collection, tmp_path, CELLS)
    assert [n.decks for n in notes] == [("Biology::Cell Biology Check",)] * 2
    atp, plants = notes
    check_complete_card(atp, ["Mitochondrion", "Ribosome", "Golgi apparatus", "Lysosome"], ["Mitochondrion"])
    back = soup(atp.cards[0][1])
    assert "electron transport chain" in text(back.select_one(".ae-explanation"))
    assert text(back.select_one(".ae-chapter")) == "Organelles"
    assert "Cell_Biology_Check::Organelles" in atp.tags
    assert not atp.fields["Shuffle"]

    check_complete_card(plants, ["Cell wall", "Nucleus", "Chloroplast", "Mitochondrion"],
                        ["Cell wall", "Chloroplast"])
    assert "Choose 2 answers" in text(soup(plants.cards[0][0]))
    assert plants.fields["Shuffle"] == "y"


def test_quiz_text_is_escaped_and_sanitised(cli: Cli, collection: Any, tmp_path: Path) -> None:
    quiz = tmp_path / "x.quiz.yaml"
    quiz.write_text(
        "title: Markup\nquestions:\n"
        "  - question: Which tag runs script, <script> or <b>?\n"
        "    options: ['<script>alert(1)</script>', '<b>bold</b>']\n"
        "    correct: A\n", encoding="utf-8")
    note = quiz_notes(build_and_import(cli, collection, tmp_path, quiz))[0]
    front, back = note.cards[0]
    assert "<script>alert" not in front + back
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in note.fields["Options"]


def test_json_ld_quiz_imports_and_renders_in_anki(cli: Cli, collection: Any, tmp_path: Path) -> None:
    """schema.org Quiz JSON-LD in an HTML page: suggested and accepted answers become the options."""
    notes = quiz_notes(build_and_import(cli, collection, tmp_path, FIXTURES / "quizzes" / "enzymes.html"))
    by_question = {n.fields["Question"]: n for n in notes}
    amylase = by_question["Which molecule does the enzyme amylase break down?"]
    check_complete_card(amylase, ["Protein", "Starch", "Fat", "DNA"], ["Starch"])
    assert "splits starch into sugars" in text(soup(amylase.cards[0][1]).select_one(".ae-explanation"))
    heat = by_question["What happens to most enzymes when they are heated far above body temperature?"]
    check_complete_card(heat, ["They work faster and faster", "Their active site changes shape and they stop working",
                               "They turn into fats"], ["Their active site changes shape and they stop working"])


def test_manifest_quiz_answers_import_and_render_in_anki(cli: Cli, collection: Any, tmp_path: Path) -> None:
    """A teacher's options and key for one of the seed's answer-less questions, in a manifest override."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "nmt.txt").write_bytes(SEED.read_bytes())
    manifest = tmp_path / "course.yaml"
    manifest.write_text(
        "deck: Medicine::NMT\narticles: [articles/nmt.txt]\noverrides:\n  articles/nmt.txt:\n    quiz:\n"
        "      - question: Which sensory receptors does Neuromuscular Therapy target to enhance movement control?\n"
        "        options: [Photoreceptors, Proprioceptors, Chemoreceptors, Thermoreceptors]\n"
        "        correct: Proprioceptors\n"
        "        explanation: They sense the body's position and the muscles' tension.\n", encoding="utf-8")
    notes = build_and_import(cli, collection, tmp_path, manifest, "--kinds", "quiz")
    by_question = {n.fields["Question"]: n for n in quiz_notes(notes)}
    answered = by_question[RECEPTORS]
    check_complete_card(answered, ["Photoreceptors", "Proprioceptors", "Chemoreceptors", "Thermoreceptors"],
                        ["Proprioceptors"])
    back = soup(answered.cards[0][1])
    assert "muscles' tension" in text(back.select_one(".ae-explanation"))
    assert not back.select(".ae-evidence")
    # The seed's other two questions keep their evidence and stay marked for review.
    others = [n for q, n in by_question.items() if q != RECEPTORS]
    assert len(others) == 2 and all("needs-review" in n.tags and n.fields["Evidence"] for n in others)


@pytest.mark.parametrize(("body", "line", "message"), [
    ("title: T\nquestions:\n  - question: Q?\n    options: [a, b]\n    correct: C\n", 5, "names no option"),
    ("title: T\nquestions:\n  - question: Q?\n    options: [a, b, c, d, e, f, g, h, i]\n    correct: A\n",
     4, "2 to 8 options, this one has 9"),
    ("title: T\nquestions:\n  - question: Q?\n    options: [a]\n    correct: A\n", 4, "2 to 8 options"),
    ("title: T\nquestions:\n  - question: Q?\n    options: [a, a]\n    correct: A\n", 4, "the same"),
    ("title: T\nquestions:\n  - question: Q?\n    optoins: [a, b]\n    correct: A\n", 4, "did you mean 'options'"),
    ("title: T\nquestions:\n  - question: Q?\n    options: [a, b]\n", 3, "missing key 'correct' in 'questions[1]'"),
    ("title: T\nquestions: []\n", 2, "no questions"),
    ("questions:\n  - question: Q?\n", 1, "missing key 'title'"),
    ("title: T\nshuffle: often\nquestions: []\n", 2, "'shuffle' must be true or false"),
    ("title: T\nquestions:\n  - question: Q?\n    options: [a, b]\n    correct: A\n"
     "  - question: q?\n    options: [a, b]\n    correct: B\n", 6, "asked twice (first on line 3)"),
    ("title: T\nquestions:\n  - question: [Q?\n", 3, "invalid YAML"),
])
def test_bad_quiz_files_fail_with_file_line_and_remedy(tmp_path: Path, cli: Cli, body: str, line: int,
                                                       message: str) -> None:
    quiz = tmp_path / "bad.quiz.yaml"
    quiz.write_text(body, encoding="utf-8")
    out = tmp_path / "x.apkg"
    done = cli("build", quiz, "-o", out)
    assert done.exit_code == 1, done.output
    assert f"bad.quiz.yaml:{line}: " in done.output and message in done.output and " — " in done.output
    assert not out.exists()


def test_correct_accepts_letters_texts_numbers_and_lists() -> None:
    from ankiexport.readers.quizfile import correct_indexes

    options = ["Red", "Green", "Blue"]
    assert correct_indexes("b", options) == (1,)
    assert correct_indexes("Blue", options) == (2,)
    assert correct_indexes(["A", "Blue"], options) == (0, 2)
    assert correct_indexes("A, C", options) == (0, 2)
    assert correct_indexes(2, options) == (1,)
    assert correct_indexes("D", options) is None
    assert correct_indexes("Purple", options) is None
    assert correct_indexes(True, options) is None


def test_quiz_files_in_sources_are_not_manifests(tmp_path: Path, cli: Cli) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "cells.quiz.yaml").write_text(CELLS.read_text(encoding="utf-8"), encoding="utf-8")
    (sources / "biology.yaml").write_text("deck: Biology\narticles: [cells.quiz.yaml]\n", encoding="utf-8")
    done = cli("build", "--out-dir", tmp_path / "dist", sources / "biology.yaml")
    assert done.exit_code == 0, done.output
    assert "notes     2 (2 quiz)" in done.output
    from ankiexport.manifest import find_manifests

    assert find_manifests(sources) == [sources / "biology.yaml"]


# --- In a real browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """Quiz cards as Anki renders them (question, answer), by question; built once for the module."""
    tmp_path = tmp_path_factory.mktemp("rendered")
    runner = CliRunner()
    with ankicheck.open_collection(tmp_path / "collection.anki2") as collection:
        notes = build_and_import(lambda *a, **k: runner.invoke(main, [str(x) for x in a], **k),
                                 collection, tmp_path, SEED, CELLS)
    return {n.fields["Question"]: n.cards[0] for n in quiz_notes(notes)}




def test_quiz_cards_look_right_in_the_preview_page_in_chromium(tmp_path: Path, cli: Cli) -> None:
    """`ankiexport preview` of complete and evidence-only quizzes, shown in Chromium. The screenshot is
    kept in test-artifacts/ for a person to look at; the page's cards are checked here."""
    manifest = tmp_path / "quizzes.yaml"
    shutil.copy(SEED, tmp_path / "seed.txt")
    shutil.copy(CELLS, tmp_path / CELLS.name)
    manifest.write_text(f"deck: Quiz check\narticles: [seed.txt, {CELLS.name}]\n", encoding="utf-8")
    page = tmp_path / "preview.html"
    done = cli("preview", manifest, "-o", page, "--kinds", "quiz")
    assert done.exit_code == 0, done.output
    browser.screenshot(page, browser.ARTIFACTS / "quiz-preview.png", width=1000, height=4200)
    sides = [soup(t.decode_contents()) for t in soup(page.read_text(encoding="utf-8")).find_all("template")]
    backs = [side for side in sides if side.select(".ae-prompt") and side.select("hr#answer")]
    by_question = {text(b.select_one(".ae-prompt")): b for b in backs}
    assert len(by_question) == 5
    assert [text(li) for li in by_question[PLANTS].select("li.ae-right")] == ["✓ Cell wall", "✓ Chloroplast"]
    assert "proprioceptors" in text(by_question[RECEPTORS].select_one("blockquote.ae-passage"))


def test_quiz_back_in_night_mode_in_chromium(rendered: dict[str, tuple[str, str]], tmp_path: Path) -> None:
    page = tmp_path / "night.html"
    page.write_text(browser.card_page(rendered[ATP][1], QUIZ.css, night=True), encoding="utf-8")
    browser.screenshot(page, browser.ARTIFACTS / "quiz-back-night.png", height=500)


def keys_in(dom: BeautifulSoup) -> str:
    return "".join(li["data-key"] for li in dom.select(".ae-choices li"))


@pytest.mark.parametrize("forget_window", [False, True], ids=["same-page", "reloaded-page"])
def test_shuffle_moves_options_and_the_back_follows(rendered: dict[str, tuple[str, str]], tmp_path: Path,
                                                    forget_window: bool) -> None:
    front, back = rendered[PLANTS]
    page = tmp_path / "review.html"
    page.write_text(browser.review_page(front, back, QUIZ.css, forget_window=forget_window), encoding="utf-8")
    dom = soup(browser.dump_dom(page))
    # Math.random() pinned to 0: Fisher–Yates swaps each position with the first, A B C D → B C D A.
    assert dom.body["data-front-order"] == "BCDA"
    assert keys_in(dom) == "BCDA"
    assert [text(li) for li in dom.select(".ae-choices li.ae-right")] == ["✓ Chloroplast", "✓ Cell wall"]


def test_options_keep_their_order_without_shuffle(rendered: dict[str, tuple[str, str]], tmp_path: Path) -> None:
    front, back = rendered[ATP]
    page = tmp_path / "review.html"
    page.write_text(browser.review_page(front, back, QUIZ.css), encoding="utf-8")
    dom = soup(browser.dump_dom(page))
    assert dom.body["data-front-order"] == "ABCD" and keys_in(dom) == "ABCD"


def test_quiz_files_and_manifests_read_options_alike(tmp_path: Path, cli: Cli) -> None:
    """One schema reader for both: "Yes"/"No" stay words, "1.10" stays text, a number names an option."""
    (tmp_path / "yn.quiz.yaml").write_text(
        "title: Yes or no\nquestions:\n  - question: Is a virus alive?\n    options: [Yes, No, 1.10]\n"
        "    correct: 2\n", encoding="utf-8")
    done = cli("inspect", tmp_path / "yn.quiz.yaml", "--json")
    assert done.exit_code == 0, done.output
    item = json.loads(done.output)["items"][0]
    assert item["fields"]["options"] == "Yes\nNo\n1.10" and item["fields"]["correct"] == "B"
