"""The inputs people have: Markdown notes, URLs, a Notion export and standard input, built by the CLI and
imported into a real Anki collection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ankiexport.release import ankicheck

from ..conftest import FIXTURES, run_ankiexport

MARKDOWN = FIXTURES / "markdown"


def built(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "deck.apkg"
    done = run_ankiexport("build", *args, "-o", out, "-q", "-j", "1")
    assert done.returncode == 0, done.stderr
    return out


def test_markdown_notes_in_two_languages_import_as_labelled(tmp_path: Path, collection: Any) -> None:
    ankicheck.import_package(collection, built(tmp_path, MARKDOWN / "cells.md", MARKDOWN / "zellen.md"))
    notes = {(n.note_type.split()[-1], next(iter(n.fields.values()))): n
             for n in ankicheck.stored_notes(collection)}
    assert set(notes) >= {
        ("Definition", "Mitochondrion"), ("Definition", "Ribosome"), ("Definition", "Chloroplast"),
        ("Q&A", "What does the cell membrane do?"), ("Q&A", "Which organelle holds the genetic material?"),
        ("Definition", "Zellkern"), ("Definition", "Zellmembran"),
        ("Q&A", "Wo findet die Fotosynthese statt?"), ("Q&A", "Was entsteht bei der Fotosynthese?"),
    }
    assert len(notes) == 9
    zellkern = notes["Definition", "Zellkern"]
    assert zellkern.decks == ("Biologie::Zellen",) and "klasse-9" in zellkern.tags
    assert "biology" in notes["Definition", "Ribosome"].tags
    assert all(n.cards and all(q and a for q, a in n.cards) for n in notes.values())
