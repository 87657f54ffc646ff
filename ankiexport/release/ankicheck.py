"""Checks against the official Anki backend (the optional ``anki`` extra, AGPL, never a runtime need).

Used by ``ankiexport verify`` and by the tests: import an ``.apkg`` into a collection exactly as the
desktop app does, then read notes back and render every card.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AnkiexportError


@dataclass(frozen=True)
class ImportCounts:
    new: int
    updated: int
    duplicate: int
    conflicting: int
    missing_notetype: int
    empty_first_field: int


@dataclass(frozen=True)
class StoredNote:
    guid: str
    note_type: str
    fields: dict[str, str]
    tags: tuple[str, ...]
    mod: int
    decks: tuple[str, ...]
    cards: tuple[tuple[str, str], ...]  # rendered (question, answer) per card


def available() -> bool:
    try:
        import anki.collection  # noqa: F401
    except ImportError:
        return False
    return True


def _require() -> Any:
    try:
        from anki import collection
    except ImportError as exc:
        raise AnkiexportError("the official Anki backend is not installed",
                              remedy="pip install 'ankiexport[anki]'") from exc
    return collection


@contextmanager
def open_collection(path: str | Path) -> Iterator[Any]:
    """Open (creating if needed) an Anki collection file; closed on exit."""
    collection = _require()
    col = collection.Collection(os.fspath(path))
    try:
        yield col
    finally:
        col.close()


def _import(col: Any, apkg: str | Path) -> Any:
    collection = _require()
    options = col._backend.get_import_anki_package_presets()
    return col.import_anki_package(
        collection.ImportAnkiPackageRequest(package_path=os.fspath(apkg), options=options)).log


def import_package(col: Any, apkg: str | Path) -> ImportCounts:
    """Import with the options the desktop app pre-fills (update notes when newer)."""
    log = _import(col, apkg)
    return ImportCounts(new=len(log.new), updated=len(log.updated), duplicate=len(log.duplicate),
                        conflicting=len(log.conflicting), missing_notetype=len(log.missing_notetype),
                        empty_first_field=len(log.empty_first_field))


def stored_notes(col: Any, *, render: bool = True) -> list[StoredNote]:
    notes = []
    for nid in sorted(col.find_notes("")):
        note = col.get_note(nid)
        cards = note.cards()
        rendered: list[tuple[str, str]] = []
        if render:
            for card in cards:
                output = card.render_output(reload=True)
                rendered.append((output.question_text, output.answer_text))
        notes.append(StoredNote(
            guid=note.guid,
            note_type=note.note_type()["name"],
            fields=dict(note.items()),
            tags=tuple(sorted(note.tags)),
            mod=note.mod,
            decks=tuple(sorted({col.decks.name(c.did) for c in cards})),
            cards=tuple(rendered),
        ))
    return notes


BLANK_SIDE_MARKER = "front-of-card-is-blank"


@dataclass(frozen=True)
class ImportLog:
    """GUIDs per outcome of one import, as Anki's log reports them."""

    new: tuple[str, ...]
    updated: tuple[str, ...]
    duplicate: tuple[str, ...]
    conflicting: tuple[str, ...]


def import_log(col: Any, apkg: str | Path) -> ImportLog:
    """Import like :func:`import_package`, and name the notes of each outcome by GUID."""
    log = _import(col, apkg)

    def guids(entries: Any) -> tuple[str, ...]:
        found = []
        for entry in entries:
            try:
                found.append(col.get_note(entry.id.nid).guid)
            except Exception:  # a conflicting note may have no note of its own in the collection
                found.append(f"nid:{entry.id.nid}")
        return tuple(found)

    return ImportLog(new=guids(log.new), updated=guids(log.updated), duplicate=guids(log.duplicate),
                     conflicting=guids(log.conflicting))


def note_type_looks(col: Any) -> dict[int, tuple[tuple[tuple[str, str, str], ...], str]]:
    """Each note type's templates (name, front, back) and CSS, keyed by id. Reopen the collection after
    an import before calling this: the open one may hand back a cached, stale note type."""
    looks = {}
    for entry in col.models.all_names_and_ids():
        model = col.models.get(entry.id)
        templates = tuple((str(t["name"]), str(t["qfmt"]), str(t["afmt"])) for t in model["tmpls"])
        looks[int(entry.id)] = (templates, str(model["css"]))
    return looks
