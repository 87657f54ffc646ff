"""Cloze notes in a real Anki collection: the gap hidden on the front, shown on the back, the chapter
on the back only, and a second import of the same deck adds nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ankiexport.release import ankicheck

from ..conftest import FIXTURES, run_ankiexport

ARTICLE = FIXTURES / "articles" / "vulkane.txt"


def test_cloze_notes_import_render_and_reimport_without_duplicates(tmp_path: Path, collection: Any) -> None:
    out = tmp_path / "clozes.apkg"
    done = run_ankiexport("build", ARTICLE, "--kinds", "cloze", "-o", out)
    assert done.returncode == 0, done.stderr
    first = ankicheck.import_package(collection, out)
    assert first.new == 2 and first.missing_notetype == 0
    notes = {n.fields["Text"]: n for n in ankicheck.stored_notes(collection)}
    magma = notes["{{c1::Magma}} is the molten rock stored in a chamber beneath the volcano."]
    assert magma.note_type == "ankiexport Cloze" and "kind::cloze" in magma.tags
    assert len(magma.cards) == 1
    front, back = (re.sub(r"<[^>]+>", "", side) for side in magma.cards[0])  # what the student sees
    assert "Magma" not in front and "[...]" in front and "molten rock" in front
    assert "Magma" in back and "Inside a volcano" in back and "Inside a volcano" not in front

    # Anki logs an unchanged note met again as "duplicate": matched by GUID, not added a second time.
    again = ankicheck.import_package(collection, out)
    assert again.new == 0 and again.updated == 0 and again.conflicting == 0
    stored = ankicheck.stored_notes(collection, render=False)
    assert len(stored) == 2 and sorted(n.guid for n in stored) == sorted(n.guid for n in notes.values())
