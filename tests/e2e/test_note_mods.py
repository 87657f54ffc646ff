"""Each note's own modification time reaches the package and a real collection (Anki updates by it)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ankiexport import load
from ankiexport.ankifile.writer import DeckSpec, Package, write_apkg
from ankiexport.notes import article_notes
from ankiexport.release import ankicheck

from ..conftest import SEED

STAMP = 1_700_000_000


def test_per_note_mods_reach_notes_and_cards(tmp_path: Path, collection: Any) -> None:
    loaded = load(SEED)
    notes = article_notes(loaded.article, loaded.items, mod=STAMP)
    # Some notes keep the package time, some are older (unchanged since an earlier release), one has none.
    mods = [STAMP - 86_400 * (i % 3) for i in range(len(notes))]
    notes = [replace(n, mod=m) for n, m in zip(notes, mods, strict=True)]
    notes[0] = replace(notes[0], mod=0)
    out = write_apkg(Package((DeckSpec("Mods", tuple(notes)),), STAMP), tmp_path / "mods.apkg")

    ankicheck.import_package(collection, out)
    stored = {n.guid: n.mod for n in ankicheck.stored_notes(collection, render=False)}
    assert stored == {n.guid: n.mod or STAMP for n in notes}
    card_mods = {nid: mod for nid, mod in collection.db.all("SELECT nid, mod FROM cards")}
    note_ids = dict(collection.db.all("SELECT guid, id FROM notes"))
    assert {g: card_mods[note_ids[g]] for g in stored} == stored
