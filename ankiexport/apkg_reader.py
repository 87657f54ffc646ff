"""Read an ``.apkg`` back: note types (templates, CSS), notes, their cards' decks, and media.

Reads the legacy collection (``collection.anki21`` or ``collection.anki2``, JSON note types) that
genanki writes and that Anki writes when "Support older Anki versions" is ticked on export. A
package holding only the newer ``collection.anki21b`` (zstd, protobuf note types) is refused with
that remedy rather than half-read.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cardtemplate import CardTemplate
from .errors import InputError

FIELD_SEPARATOR = "\x1f"
CLOZE_KIND = 1  # a note type's "type" in the legacy JSON: 0 standard, 1 cloze


@dataclass(frozen=True)
class StoredNoteType:
    id: int
    name: str
    field_names: tuple[str, ...]
    templates: tuple[CardTemplate, ...]
    css: str
    is_cloze: bool


@dataclass(frozen=True)
class PackagedNote:
    id: int
    guid: str
    note_type: StoredNoteType
    fields: dict[str, str]
    tags: tuple[str, ...]
    card_decks: dict[int, str]  # template ord → deck name, for the cards the package holds


@dataclass(frozen=True)
class PackageContents:
    path: Path
    notes: tuple[PackagedNote, ...]
    media: dict[str, bytes]  # file name → bytes

    @property
    def note_types(self) -> tuple[StoredNoteType, ...]:
        return tuple({n.note_type.id: n.note_type for n in self.notes}.values())


def _error(path: Path, what: str, remedy: str) -> InputError:
    return InputError(what, path=str(path), remedy=remedy)


def _note_types(models: dict[str, Any]) -> dict[int, StoredNoteType]:
    types = {}
    for raw in models.values():
        fields = tuple(f["name"] for f in sorted(raw["flds"], key=lambda f: f["ord"]))
        templates = tuple(CardTemplate(t["name"], t["qfmt"], t["afmt"])
                          for t in sorted(raw["tmpls"], key=lambda t: t["ord"]))
        types[int(raw["id"])] = StoredNoteType(int(raw["id"]), raw["name"], fields, templates,
                                               raw.get("css", ""), raw.get("type", 0) == CLOZE_KIND)
    return types


def _read_collection(db_path: str, path: Path) -> list[PackagedNote]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        models_json, decks_json = conn.execute("SELECT models, decks FROM col").fetchone()
        types = _note_types(json.loads(models_json))
        deck_names = {int(k): d["name"] for k, d in json.loads(decks_json).items()}
        cards: dict[int, dict[int, str]] = {}
        for nid, ord_, did in conn.execute("SELECT nid, ord, did FROM cards ORDER BY nid, ord"):
            cards.setdefault(nid, {})[ord_] = deck_names.get(did, "(Deck)")
        notes = []
        for nid, guid, mid, tags, flds in conn.execute(
                "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"):
            note_type = types.get(mid)
            if note_type is None:
                raise _error(path, f"note {guid} uses note type {mid}, which the package does not hold",
                             "re-export the deck from Anki")
            values = flds.split(FIELD_SEPARATOR)
            values += [""] * (len(note_type.field_names) - len(values))  # extra values are dropped, as in Anki
            notes.append(PackagedNote(nid, guid, note_type, dict(zip(note_type.field_names, values, strict=False)),
                                      tuple(tags.split()), cards.get(nid, {})))
        return notes
    except sqlite3.DatabaseError as exc:
        raise _error(path, f"the package's collection cannot be read ({exc})",
                     "re-export the deck from Anki") from exc
    finally:
        conn.close()


def read_apkg(path: str | Path) -> PackageContents:
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise _error(path, "no such file", "check the path") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise _error(path, "not an Anki package (not a zip archive)",
                     "pass an .apkg exported from Anki or written by `ankiexport build`") from exc
    with archive, tempfile.TemporaryDirectory(prefix="ankiexport-") as tmpdir:
        names = set(archive.namelist())
        collection = next((n for n in ("collection.anki21", "collection.anki2") if n in names), None)
        if "collection.anki21b" in names or collection is None:
            raise _error(path, "the package uses Anki's newer export format only",
                         "export again from Anki with \"Support older Anki versions\" ticked")
        db_path = os.path.join(tmpdir, "collection.db")
        Path(db_path).write_bytes(archive.read(collection))
        notes = _read_collection(db_path, path)
        media: dict[str, bytes] = {}
        if "media" in names:
            try:
                media_map = json.loads(archive.read("media") or b"{}")
            except ValueError as exc:
                raise _error(path, "the package's media list is not JSON", "re-export the deck") from exc
            media = {name: archive.read(entry) for entry, name in media_map.items() if entry in names}
    return PackageContents(path, tuple(notes), media)
