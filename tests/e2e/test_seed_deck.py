"""The first slice's acceptance: the seed → an importable, update-safe deck (checked in real Anki)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ankiexport.release import ankicheck
from ankiexport.rules.chrome import CHROME

from ..conftest import SEED, run_ankiexport

# Phrases of the page's chrome that must never reach a card.
CHROME_PHRASES = ["Sign up for free", "StudySmarter Editorial Team", "Save Article", "Jump to a key chapter",
                  "daily AI limit", "minutes reading time", "About StudySmarter", "Teachers",
                  "Millions of flashcards", "Study Planner", "Table of contents"]

ARTICLE_TAG = "Neuromuscular_Therapy"


@pytest.fixture(scope="module")
def seed_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deck") / "x.apkg"
    done = run_ankiexport("build", SEED, "-o", out, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert done.returncode == 0, done.stderr
    return out


def kind_of(note: ankicheck.StoredNote) -> str:
    return next(t.split("::", 1)[1] for t in note.tags if t.startswith("kind::"))


def test_seed_imports_with_expected_items(seed_deck: Path, collection: object) -> None:
    counts = ankicheck.import_package(collection, seed_deck)
    notes = ankicheck.stored_notes(collection)
    assert counts.new == len(notes) and counts.conflicting == 0
    kinds = Counter(kind_of(n) for n in notes)
    assert kinds["definition"] == 4
    assert kinds["takeaway"] == 6
    assert kinds["faq"] == 5
    assert kinds["quiz"] == 3
    assert {n.decks for n in notes} == {("Medicine::Neuromuscular Therapy",)}


def test_seed_definitions_carry_their_chapter_tags(seed_deck: Path, collection: object) -> None:
    ankicheck.import_package(collection, seed_deck)
    definitions = {(n.fields["Term"], t) for n in ankicheck.stored_notes(collection, render=False)
                   if kind_of(n) == "definition" for t in n.tags if not t.startswith("kind::")}
    assert definitions == {
        ("Neuromuscular Therapy", f"{ARTICLE_TAG}::Neuromuscular_Therapy_Definition"),
        ("Neuromuscular Therapy", f"{ARTICLE_TAG}::What_is_Neuromuscular_Therapy"),
        ("Soft Tissue Manipulation", f"{ARTICLE_TAG}::Soft_Tissue_Manipulation"),
        ("Neuromuscular Therapy (NMT)", f"{ARTICLE_TAG}::Neuromuscular_Therapy_Explained"),
    }
    by_kind = {kind_of(n): n for n in ankicheck.stored_notes(collection, render=False)}
    assert f"{ARTICLE_TAG}::FAQ" in by_kind["faq"].tags
    assert f"{ARTICLE_TAG}::Quiz" in by_kind["quiz"].tags
    assert f"{ARTICLE_TAG}::Key_takeaways" in by_kind["takeaway"].tags


def test_no_field_holds_page_chrome(seed_deck: Path, collection: object) -> None:
    ankicheck.import_package(collection, seed_deck)
    for note in ankicheck.stored_notes(collection, render=False):
        for name, value in note.fields.items():
            for phrase in CHROME_PHRASES:
                assert phrase.lower() not in value.lower(), (note.guid, name, phrase)
    assert CHROME["en"], "the chrome table is not empty"


def test_every_card_renders_both_sides(seed_deck: Path, collection: object) -> None:
    ankicheck.import_package(collection, seed_deck)
    notes = ankicheck.stored_notes(collection)
    assert sum(len(n.cards) for n in notes) == len(notes)  # no reverse cards unless asked
    for note in notes:
        for question, answer in note.cards:
            assert question.strip() and answer.strip()
            assert ankicheck.BLANK_SIDE_MARKER not in question + answer
            assert len(answer) > len(question)


def test_quiz_back_quotes_the_answering_passage_from_the_article(seed_deck: Path, collection: object) -> None:
    ankicheck.import_package(collection, seed_deck)
    quiz = [n for n in ankicheck.stored_notes(collection) if kind_of(n) == "quiz"]
    assert [n.fields["Question"] for n in quiz] == [
        "Which of the following is a core principle of Neuromuscular Therapy?",
        "What is the main goal of Neuromuscular Therapy (NMT)?",
        "Which sensory receptors does Neuromuscular Therapy target to enhance movement control?",
    ]
    for note in quiz:
        assert "From the article" in note.cards[0][1] and "gives no answer" not in note.cards[0][1]


def test_importing_the_same_deck_twice_adds_nothing(seed_deck: Path, collection: object) -> None:
    first = ankicheck.import_package(collection, seed_deck)
    second = ankicheck.import_package(collection, seed_deck)
    assert first.new == 37
    assert second.new == 0 and second.updated == 0 and second.duplicate == 37
    assert len(ankicheck.stored_notes(collection, render=False)) == 37


def test_edited_definition_updates_in_place(tmp_path: Path, collection: object) -> None:
    old_text = "Soft Tissue Manipulation: A therapeutic approach that involves the targeted use of manual force"
    new_text = "Soft Tissue Manipulation: A hands-on approach that involves the targeted use of manual force"
    source = SEED.read_text(encoding="utf-8")
    assert old_text in source
    edited = tmp_path / "edited" / SEED.name
    edited.parent.mkdir()
    edited.write_text(source.replace(old_text, new_text), encoding="utf-8")

    v1, v2 = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    assert run_ankiexport("build", SEED, "-o", v1, env={"SOURCE_DATE_EPOCH": "1700000000"}).returncode == 0
    assert run_ankiexport("build", edited, "-o", v2, env={"SOURCE_DATE_EPOCH": "1700000100"}).returncode == 0

    ankicheck.import_package(collection, v1)
    before = {n.guid: n for n in ankicheck.stored_notes(collection, render=False)}
    counts = ankicheck.import_package(collection, v2)
    after = {n.guid: n for n in ankicheck.stored_notes(collection, render=False)}

    assert counts.new == 0 and counts.conflicting == 0
    assert after.keys() == before.keys()
    changed = [g for g in after if after[g].fields != before[g].fields]
    assert len(changed) == 1
    assert after[changed[0]].fields["Definition"].startswith("A hands-on approach")


def test_cli_writes_nothing_for_a_missing_article(tmp_path: Path) -> None:
    out = tmp_path / "x.apkg"
    done = run_ankiexport("build", tmp_path / "nope.txt", "-o", out)
    assert done.returncode == 1
    assert "nope.txt" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
