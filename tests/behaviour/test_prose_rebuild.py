"""The prose kinds keep the identity rule: editing one sentence changes only the notes made from it."""

from __future__ import annotations

from pathlib import Path

from ankiexport import load
from ankiexport.notes import article_notes

from ..conftest import FIXTURES

ARTICLE = FIXTURES / "articles" / "vulkane.txt"


def notes(path: Path) -> dict[str, tuple[str, ...]]:
    loaded = load(path)
    return {note.guid: tuple(note.fields) for note in article_notes(loaded.article, loaded.items)}


def changed(edit: tuple[str, str], tmp_path: Path) -> tuple[set[str], set[str], set[str]]:
    """(GUIDs updated in place, GUIDs gone, GUIDs new) after one edit of the article."""
    text = ARTICLE.read_text(encoding="utf-8")
    assert edit[0] in text
    edited = tmp_path / ARTICLE.name
    edited.write_text(text.replace(*edit), encoding="utf-8")
    before, after = notes(ARTICLE), notes(edited)
    kept = before.keys() & after.keys()
    return {g for g in kept if before[g] != after[g]}, before.keys() - after.keys(), after.keys() - before.keys()


def test_editing_an_answer_updates_only_its_question(tmp_path: Path) -> None:
    updated, gone, new = changed(("the pressure on it falls", "the pressure on it drops"), tmp_path)
    assert len(updated) == 1 and not gone and not new


def test_editing_a_list_item_updates_only_its_list(tmp_path: Path) -> None:
    updated, gone, new = changed(("• Cinder cones", "• Cinder cones (scoria cones)"), tmp_path)
    assert len(updated) == 1 and not gone and not new


def test_editing_a_term_definition_updates_only_that_term(tmp_path: Path) -> None:
    updated, gone, new = changed(("bowl-shaped hollows", "bowl-shaped pits"), tmp_path)
    assert len(updated) == 1 and not gone and not new


def test_rewording_a_lead_in_replaces_only_its_list(tmp_path: Path) -> None:
    updated, gone, new = changed(("into several types by their shape", "into several types by their form"), tmp_path)
    assert not updated and len(gone) == 1 and len(new) == 1
