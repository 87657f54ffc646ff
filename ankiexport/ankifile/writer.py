"""Decks → ``.apkg``: the only module that talks to genanki.

genanki's sharp edges, handled here:
- it stamps one global ``mod`` on every note: each note's own ``mod`` is written afterwards, since
  Anki updates an existing note only when the incoming ``mod`` is strictly newer;
- it stores zip entries uncompressed with the current time: the package is re-zipped with DEFLATE,
  fixed entry times and a fixed order, so equal inputs give equal bytes;
- it writes straight to the target: output goes through :mod:`.atomic`, so a failed or killed build
  never leaves a half-written deck.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sqlite3
import time
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildError
from ..model import MediaFile
from ..notes import NoteSpec
from ..notetypes import NoteType
from ..scratch import ScratchFolder
from .atomic import atomic_output, write_remedy

# genanki is imported where a collection is written, not with ankiexport: a parallel build's reading
# processes never use it.
if TYPE_CHECKING:
    import genanki

# Zip entry times cannot predate 1980; SOURCE_DATE_EPOCH values before it are clamped.
# Nor can they pass 2107 (2107-12-31 23:59:59 UTC): later build times and lock mods are refused.
MAX_TIMESTAMP = 4354819199
ZIP_EPOCH_MIN = 315_532_800
# SQLite stamps the file header (bytes 96-99) with the version of the library that last wrote it, the
# one machine-dependent part of the collection: it is informational only and pinned to this value
# (any fixed release will do), so builds on machines with different SQLite versions match.
SQLITE_HEADER_VERSION = 3_031_000
SQLITE_HEADER_VERSION_OFFSET = 96
# Layout settings that a SQLite build may default differently; fixed for byte-identical files.
SQLITE_LAYOUT_PRAGMAS = ("PRAGMA page_size = 4096", "PRAGMA auto_vacuum = NONE", "PRAGMA encoding = 'UTF-8'")
# DEFLATE effort: zipping is the one serial step of a parallel build, and the fastest level makes a
# package only a little bigger.
ZIP_LEVEL = 1


@dataclass(frozen=True)
class DeckSpec:
    name: str
    notes: tuple[NoteSpec, ...]
    media: tuple[MediaFile, ...] = ()
    deck_id: int | None = None
    description: str = ""

    @property
    def id(self) -> int:
        return self.deck_id if self.deck_id is not None else deck_id_for(self.name)


@dataclass(frozen=True)
class Package:
    decks: tuple[DeckSpec, ...]
    timestamp: int
    model_mods: dict[int, int] = field(default_factory=dict)  # note type id → mod, default timestamp

    @property
    def notes(self) -> tuple[NoteSpec, ...]:
        return tuple(n for d in self.decks for n in d.notes)


def refuse_empty(package: Package, path: Path) -> None:
    """An empty package is an error, in every output format."""
    if not package.notes:
        raise BuildError("the deck would be empty", path=str(path),
                         remedy="check that the articles hold definitions, FAQs or quiz items "
                                "(`ankiexport inspect ARTICLE`)")


def deck_id_for(name: str) -> int:
    """A deck id derived from the deck name, in the range genanki recommends (2**30 .. 2**31)."""
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")
    return (1 << 30) + digest % (1 << 30)


def deck_name_problem(name: str) -> str | None:
    """Why Anki would rename the deck ``name`` on import (it drops control characters and turns an
    empty level into "blank"), or None."""
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "holds a control character (a line break or tab)"
    if any(not level.strip() for level in name.split("::")):
        return "has an empty level (nothing between two '::', or at an end)"
    return None


def build_time() -> int:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value:
        remedy = "set it to seconds since 1970, e.g. $(git log -1 --format=%ct)"
        try:
            seconds = int(value)
        except ValueError as exc:
            raise BuildError(f"SOURCE_DATE_EPOCH is not an integer: {value[:40]!r}", remedy=remedy) from exc
        if not 0 <= seconds <= MAX_TIMESTAMP:
            raise BuildError(f"SOURCE_DATE_EPOCH {seconds} is not a time between 1970 and 2107", remedy=remedy)
        return seconds
    return int(time.time())


def genanki_model(note_type: NoteType) -> genanki.Model:
    import genanki

    return genanki.Model(
        note_type.id,
        note_type.name,
        fields=[{"name": f.name, "id": f.id} for f in note_type.fields],
        templates=[{"name": t.name, "id": t.id, "qfmt": t.front, "afmt": t.back} for t in note_type.templates],
        css=note_type.css,
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
    )


class CollectionWriter:
    """A package's collection, written note by note.

    A batch adds each article's notes as soon as a worker has read it, so writing the collection (the
    one serial step of a parallel build) overlaps the reading instead of following it::

        with CollectionWriter(timestamp) as writer:
            writer.add(deck_id, note)           # for every note, in any order
            writer.finish(package, path)        # the package those notes make, written atomically

    genanki writes the schema, the notes and the decks; each note is written with its own ``mod``
    (a lock keeps unchanged notes' ``mod``), since genanki would stamp one time on all of them.
    """

    def __init__(self, timestamp: int) -> None:
        import genanki

        self._note = genanki.Note
        self._deck = genanki.Deck
        self._timestamp = timestamp
        self._models: dict[int, genanki.Model] = {}
        self._arrived: list[str] = []  # GUIDs in the order they were written
        self._tmpdir = ScratchFolder()  # reclaimed by a later build if this process is killed
        self._db_path = os.path.join(self._tmpdir.path, "collection.anki2")
        self._conn = sqlite3.connect(self._db_path)
        for pragma in SQLITE_LAYOUT_PRAGMAS:
            self._conn.execute(pragma)
        # A scratch file, zipped afterwards: durability comes from the atomic rename of the .apkg.
        self._conn.execute("PRAGMA journal_mode = OFF")
        self._conn.execute("PRAGMA synchronous = OFF")
        self._cursor = self._conn.cursor()
        # Note and card ids only need to be unique in the package; Anki matches notes by GUID.
        self._ids = itertools.count(timestamp * 1000)
        genanki.Package([]).write_to_db(self._cursor, timestamp, self._ids)  # the schema and the col row

    def __enter__(self) -> CollectionWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()
        self._tmpdir.cleanup()

    def add(self, deck_id: int, note: NoteSpec) -> None:
        model = self._models.get(note.note_type.id)
        if model is None:  # one genanki.Model per note type, not one per note
            model = self._models[note.note_type.id] = genanki_model(note.note_type)
        with warnings.catch_warnings():
            # Fields are nh3's HTML already; genanki's regex check of them can only misfire, in many lines.
            warnings.filterwarnings("ignore", message="^Field contained the following invalid HTML tags")
            self._note(model=model, fields=list(note.fields), tags=list(note.tags), guid=note.guid,
                       due=len(self._arrived)).write_to_db(self._cursor, note.mod or self._timestamp, deck_id,
                                                           self._ids)
        self._arrived.append(note.guid)

    def finish(self, package: Package, path: str | Path) -> Path:
        """Write ``package`` (whose notes are the ones added) to ``path``. An empty package is an error."""
        path = Path(path)
        refuse_empty(package, path)
        self._number_new_cards(package)
        cursor = self._cursor
        # Each deck and the note types its notes use, as genanki's Deck.write_to_db stores them, but
        # in one pass: that method reads and rewrites the col row's JSON once per deck.
        (decks_json, models_json) = cursor.execute("SELECT decks, models FROM col").fetchone()
        decks, stored = json.loads(decks_json), json.loads(models_json)
        for spec in package.decks:
            decks[str(spec.id)] = self._deck(spec.id, spec.name, description=spec.description).to_json()
            for note_type_id in dict.fromkeys(note.note_type.id for note in spec.notes):
                stored[str(note_type_id)] = self._models[note_type_id].to_json(package.timestamp, spec.id)
        cursor.execute("UPDATE col SET decks = ?", (json.dumps(decks),))
        for model_id, mod in package.model_mods.items():
            if str(model_id) in stored:
                stored[str(model_id)]["mod"] = mod
        cursor.execute("UPDATE col SET models = ?", (json.dumps(stored, sort_keys=True),))
        self._conn.commit()
        # VACUUM rewrites the file table by table, leaving out its free pages (a smaller package);
        # its working copy stays in memory.
        self._conn.execute("PRAGMA temp_store = MEMORY")
        self._conn.execute("VACUUM")
        self._conn.close()
        _pin_sqlite_version(self._db_path)
        collection = Path(self._db_path).read_bytes()
        media = sorted({m.name: m for d in package.decks for m in d.media}.values(), key=lambda m: m.name)
        try:
            with atomic_output(path) as tmp, zipfile.ZipFile(tmp, "w") as archive:
                def put(name: str, data: bytes | str) -> None:
                    archive.writestr(_zip_info(name, package.timestamp), data, compresslevel=ZIP_LEVEL)

                put("collection.anki2", collection)
                put("media", json.dumps({str(i): m.name for i, m in enumerate(media)}, sort_keys=True))
                for i, m in enumerate(media):
                    put(str(i), m.data)
        except OSError as exc:
            raise BuildError(f"cannot write the deck ({exc.strerror})", path=str(path),
                             remedy=write_remedy(exc)) from exc
        return path

    def _number_new_cards(self, package: Package) -> None:
        """New cards are studied in package order: deck by deck, each deck's notes in article order.
        Notes arrive in article order, which differs where a deck's notes are not all together in it
        (chapter subdecks): the cards of the notes out of place are renumbered."""
        wanted = [note.guid for note in package.notes]
        moved = [(position, guid) for position, (guid, arrived) in enumerate(zip(wanted, self._arrived, strict=True))
                 if guid != arrived]
        if not moved:
            return
        # genanki's schema has no index on notes.guid: notes are matched to their ids once, and cards
        # are updated through the ix_cards_nid index.
        ids = dict(self._cursor.execute("SELECT guid, id FROM notes").fetchall())
        self._cursor.executemany("UPDATE cards SET due = ? WHERE nid = ?",
                                 [(position, ids[guid]) for position, guid in moved])


def _pin_sqlite_version(db_path: str) -> None:
    # In place: a large collection is never copied to change four bytes.
    with open(db_path, "r+b") as db:
        db.seek(SQLITE_HEADER_VERSION_OFFSET)
        db.write(SQLITE_HEADER_VERSION.to_bytes(4, "big"))


def _zip_info(name: str, timestamp: int) -> zipfile.ZipInfo:
    when = time.gmtime(max(timestamp, ZIP_EPOCH_MIN))
    info = zipfile.ZipInfo(name, date_time=when[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, whatever the building machine
    info.external_attr = 0o644 << 16
    return info


def write_apkg(package: Package, path: str | Path) -> Path:
    """Write ``package`` to ``path`` atomically and reproducibly. An empty package is an error."""
    with CollectionWriter(package.timestamp) as writer:
        for spec in package.decks:
            deck_id = spec.id
            for note in spec.notes:
                writer.add(deck_id, note)
        return writer.finish(package, path)
