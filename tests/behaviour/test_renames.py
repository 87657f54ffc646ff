"""Rename detection: a note whose key changed takes the GUID of the previous note it clearly matches."""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path

from ankiexport import load
from ankiexport.ankifile.lock import RENAME_SIMILARITY, Lock, lock_from_apkg, match_renames, match_text
from ankiexport.ankifile.reader import read_apkg
from ankiexport.ankifile.writer import DeckSpec, Package, write_apkg
from ankiexport.model import Faq, Item
from ankiexport.notes import NoteSpec, article_notes

from ..conftest import ROOT

ARTICLE = ROOT / "tests" / "fixtures" / "articles" / "photosynthesis.txt"


def released(items: list[Item], tmp_path: Path) -> tuple[list[NoteSpec], Lock]:
    """The article's notes, and the previous state a deck of them gives."""
    notes = article_notes(load(ARTICLE).article, items)
    deck = write_apkg(Package((DeckSpec("Bio", tuple(notes)),), 1_700_000_000), tmp_path / "v1.apkg")
    return notes, lock_from_apkg(read_apkg(deck))


def reworded(items: list[Item], question: str, answer: str | None = None) -> list[Item]:
    faq = next(i for i in items if isinstance(i, Faq))
    changed = replace(faq, question=question, answer=faq.answer if answer is None else answer)
    return [changed if i is faq else i for i in items]


def test_a_reworded_question_with_its_answer_keeps_the_guid(tmp_path: Path) -> None:
    items = list(load(ARTICLE).items)
    old, previous = released(items, tmp_path)
    new = article_notes(load(ARTICLE).article, reworded(items, "Where does photosynthesis take place?"))
    assert new[7].guid != old[7].guid and new[7].kind == "faq"
    ratio = SequenceMatcher(None, match_text("faq", new[7].field_map()), previous.texts[old[7].guid]).ratio()
    assert ratio >= RENAME_SIMILARITY
    assert match_renames(new, previous) == [n.guid for n in old]


def test_a_different_question_is_a_new_note(tmp_path: Path) -> None:
    items = list(load(ARTICLE).items)
    old, previous = released(items, tmp_path)
    other = reworded(items, "What do stomata do?", "<p>They let carbon dioxide into the leaf.</p>")
    new = article_notes(load(ARTICLE).article, other)
    ratio = SequenceMatcher(None, match_text("faq", new[7].field_map()), previous.texts[old[7].guid]).ratio()
    assert ratio < RENAME_SIMILARITY
    assert match_renames(new, previous)[7] == new[7].guid != old[7].guid


def test_a_definition_inserted_before_one_of_the_same_term_does_not_take_its_guid(tmp_path: Path) -> None:
    items = list(load(ARTICLE).items)
    old, previous = released(items, tmp_path)
    studied = next(i for i in items if getattr(i, "term", "") == "Chlorophyll")
    inserted = replace(studied, definition="<p>From the Greek for pale green and leaf.</p>")
    at = items.index(studied)
    new = article_notes(load(ARTICLE).article, [*items[:at], inserted, *items[at:]])
    guids = match_renames(new, previous)
    assert guids[at + 1] == old[at].guid  # the studied text keeps its GUID, though its key is now the second
    assert guids[at] not in {n.guid for n in old} and len(set(guids)) == len(guids)
    assert guids[:at] + guids[at + 1:] == [n.guid for n in old]


def test_without_a_previous_state_every_note_keeps_its_own_guid(tmp_path: Path) -> None:
    notes = article_notes(load(ARTICLE).article, load(ARTICLE).items)
    assert match_renames(notes, Lock({}, {})) == [n.guid for n in notes]
