"""Read an ``.apkg`` back (zip → media map + SQLite collection) with the standard library only.

``diff`` and ``verify`` work on the published files themselves, not on the sources, so they can compare
a release with the one before it however each was built. Only the legacy layout that genanki and
ankiexport write (``collection.anki2``/``.anki21``, a JSON ``media`` map) is read; a ``.colpkg`` or the
zstd-compressed ``collection.anki21b`` of newer Anki exports is reported as unsupported.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import AnkiexportError, short
from ..markup import visible_text

COLLECTION_NAMES = ("collection.anki21", "collection.anki2")
FIELD_SEPARATOR = "\x1f"
CLOZE_TYPE = 1  # a note type's "type" in the legacy JSON: 0 standard, 1 cloze

# Bounds for reading someone else's package: a deck of 100,000 long notes is a few hundred MB.
MAX_COLLECTION_BYTES = 1024**3
MAX_MEDIA_BYTES = 1024**3  # all media files together (the preview reads them)
READ_SECONDS = 60  # for every query on one collection


class ApkgError(AnkiexportError):
    """An ``.apkg`` cannot be read at all (not a zip, no collection, not SQLite)."""


@dataclass(frozen=True)
class ApkgNoteType:
    id: int
    name: str
    field_names: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, front, back)
    css: str
    mod: int
    is_cloze: bool = False

    @property
    def look(self) -> tuple[tuple[tuple[str, str, str], ...], str]:
        """What students see of the note type: a change here needs a newer ``mod`` to reach them."""
        return self.templates, self.css


@dataclass(frozen=True)
class ApkgNote:
    id: int
    guid: str
    note_type_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    mod: int


@dataclass(frozen=True)
class ApkgCard:
    id: int
    note_id: int
    deck_id: int
    ord: int


@dataclass(frozen=True)
class Apkg:
    path: Path
    entries: tuple[str, ...]
    media: dict[str, str]  # zip entry name → file name
    note_types: dict[int, ApkgNoteType]
    decks: dict[int, str]
    notes: tuple[ApkgNote, ...]
    cards: tuple[ApkgCard, ...]

    def field_map(self, note: ApkgNote) -> dict[str, str]:
        note_type = self.note_types.get(note.note_type_id)
        names = note_type.field_names if note_type else ()
        return {(names[i] if i < len(names) else f"Field {i + 1}"): value for i, value in enumerate(note.fields)}

    def note_type_name(self, note: ApkgNote) -> str:
        note_type = self.note_types.get(note.note_type_id)
        return note_type.name if note_type else f"note type {note.note_type_id}"

    def deck_names(self, note: ApkgNote) -> tuple[str, ...]:
        return tuple(sorted({self.decks.get(c.deck_id, str(c.deck_id)) for c in self.cards if c.note_id == note.id}))


_SOUND = re.compile(r"\[sound:([^\]]+)\]")
# Attributes through which a field can pull in a media file from the collection's media folder.
MEDIA_ATTRIBUTES = ("src", "data")


def media_references(field_html: str) -> list[str]:
    """Local media file names a field refers to (``<img src>``, ``[sound:…]``); URLs are not media."""
    from bs4 import BeautifulSoup

    names = [m.group(1) for m in _SOUND.finditer(field_html)]
    for tag in BeautifulSoup(field_html, "html.parser").find_all(True):
        for attribute in MEDIA_ATTRIBUTES:
            value = tag.get(attribute)
            if isinstance(value, str) and value and not urlsplit(value).scheme:
                names.append(unquote(value))
    return names


def chapter_of(apkg: Apkg, note: ApkgNote) -> str:
    """The chapter a note belongs to: its Chapter field (ankiexport note types), else its deck."""
    chapter = visible_text(apkg.field_map(note).get("Chapter", ""))
    decks = apkg.deck_names(note)
    deck = decks[0] if decks else ""
    return " › ".join(p for p in (deck, chapter) if p) or "(no chapter)"


def _json_column(cursor: sqlite3.Cursor, column: str) -> dict[str, Any]:
    (raw,) = cursor.execute(f"SELECT {column} FROM col").fetchone()
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError(f"col.{column} is not a JSON object")
    return value


def read_apkg(path: str | Path) -> Apkg:
    """Read an ``.apkg``; :class:`ApkgError` names the file and what is wrong with it."""
    path = Path(path)
    source = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise ApkgError("no such file", path=source, remedy="check the path") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise ApkgError(f"not a zip archive ({exc})", path=source,
                        remedy="rebuild the deck; an .apkg is a zip file") from exc
    with archive, tempfile.TemporaryDirectory(prefix="ankiexport-read-") as tmpdir:
        entries = tuple(archive.namelist())
        name = next((n for n in COLLECTION_NAMES if n in entries), None)
        if "collection.anki21b" in entries:
            # Newer exports also carry a collection.anki2, but it only holds a "please update Anki" note.
            raise ApkgError("the package is in Anki's newer export format (collection.anki21b)", path=source,
                            remedy="export with 'Support older Anki versions', or rebuild with ankiexport")
        if name is None:
            raise ApkgError("no collection.anki2 in the archive", path=source,
                            remedy="export with 'Support older Anki versions', or rebuild with ankiexport")
        try:
            media_raw = json.loads(_read_entry(archive, "media", source)) if "media" in entries else {}
            db_path = extract_collection(archive, name, Path(tmpdir), source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RecursionError) as exc:
            raise ApkgError(f"a zip entry cannot be read ({short(exc)})", path=source,
                            remedy="the file is damaged: download or rebuild it") from exc
        if not isinstance(media_raw, dict):
            raise ApkgError("the media map is not a JSON object", path=source, remedy="rebuild the deck")
        media = {str(k): str(v) for k, v in media_raw.items()}
        with connect_read_only(db_path, source) as conn:
            try:
                return _read_collection(path, entries, media, conn)
            except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
                raise ApkgError(f"the collection cannot be read ({short(exc)})", path=source,
                                remedy="the file is damaged or not an Anki package: rebuild it") from exc


def _read_entry(archive: zipfile.ZipFile, name: str, source: str, limit: int = MAX_COLLECTION_BYTES) -> bytes:
    if archive.getinfo(name).file_size > limit:
        raise ApkgError(f"{name} unpacks to more than {limit // 1024**2} MiB", path=source,
                        remedy="this is not a deck to import; ask its author for a smaller one")
    return archive.read(name)


def extract_collection(archive: zipfile.ZipFile, name: str, folder: Path, source: str) -> Path:
    """Unpack the collection into ``folder``, streamed and within :data:`MAX_COLLECTION_BYTES`."""
    info = archive.getinfo(name)
    if info.file_size > MAX_COLLECTION_BYTES:
        raise ApkgError(f"{name} unpacks to more than {MAX_COLLECTION_BYTES // 1024**2} MiB", path=source,
                        remedy="this is not a deck to import; ask its author for a smaller one")
    target = folder / "collection.sqlite"
    with archive.open(info) as packed, target.open("wb") as out:
        shutil.copyfileobj(packed, out)  # (the zip reader stops at the declared size)
    return target


class _ReadOnly:
    """A foreign collection opened read-only: no views or triggers (an Anki collection has none, and
    a recursive view never ends), schema code untrusted, and every query within :data:`READ_SECONDS`."""

    def __init__(self, db_path: Path, source: str) -> None:
        self.source = source
        self.conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        deadline = time.monotonic() + READ_SECONDS
        self.expired: Callable[[], bool] = lambda: time.monotonic() > deadline
        self.conn.set_progress_handler(lambda: int(self.expired()), 1_000)

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.conn.execute("PRAGMA trusted_schema = OFF")
            self.conn.execute("PRAGMA query_only = ON")
            found = self.conn.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger') LIMIT 1").fetchone()
        except sqlite3.Error as exc:
            self.__exit__(type(exc), exc, None)
            raise ApkgError(f"the collection cannot be read ({short(exc)})", path=self.source,
                            remedy="the file is damaged or not an Anki package: rebuild it") from exc
        if found:
            self.conn.close()
            raise ApkgError(f"the collection holds a {found[0]} ({short(found[1])}), which Anki never writes",
                            path=self.source, remedy="this is not a deck Anki or ankiexport wrote: do not import it")
        return self.conn

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        self.conn.close()
        if error is not None and self.expired():
            raise ApkgError(f"reading the collection took more than {READ_SECONDS} s", path=self.source,
                            remedy="this is not a deck to import; ask its author for a smaller one") from error


def connect_read_only(db_path: Path, source: str) -> _ReadOnly:
    """``with connect_read_only(db, source) as conn:`` — see :class:`_ReadOnly`."""
    return _ReadOnly(db_path, source)


def _read_collection(path: Path, entries: tuple[str, ...], media: dict[str, str], conn: sqlite3.Connection) -> Apkg:
    cursor = conn.cursor()
    models = _json_column(cursor, "models")
    decks = _json_column(cursor, "decks")
    note_types = {
        int(m["id"]): ApkgNoteType(
            id=int(m["id"]), name=str(m["name"]),
            field_names=tuple(str(f["name"]) for f in sorted(m["flds"], key=lambda f: f["ord"])),
            templates=tuple((str(t["name"]), str(t["qfmt"]), str(t["afmt"]))
                            for t in sorted(m["tmpls"], key=lambda t: t["ord"])),
            css=str(m.get("css", "")), mod=int(m.get("mod", 0)), is_cloze=m.get("type", 0) == CLOZE_TYPE)
        for m in models.values()
    }
    notes = tuple(
        ApkgNote(id=nid, guid=guid, note_type_id=mid, fields=tuple(flds.split(FIELD_SEPARATOR)),
                 tags=tuple(tags.split()), mod=mod)
        for nid, guid, mid, flds, tags, mod in cursor.execute(
            "SELECT id, guid, mid, flds, tags, mod FROM notes ORDER BY id"))
    cards = tuple(ApkgCard(id=cid, note_id=nid, deck_id=did, ord=ord_)
                  for cid, nid, did, ord_ in cursor.execute("SELECT id, nid, did, ord FROM cards ORDER BY id"))
    return Apkg(path=path, entries=entries, media=media, note_types=note_types,
                decks={int(d["id"]): str(d["name"]) for d in decks.values()}, notes=notes, cards=cards)


def media_files(apkg: Apkg) -> dict[str, bytes]:
    """The package's media files by name (for the preview, which inlines images)."""
    try:
        with zipfile.ZipFile(apkg.path) as archive:
            wanted = [(entry, name) for entry, name in apkg.media.items() if entry in apkg.entries]
            if sum(archive.getinfo(entry).file_size for entry, _ in wanted) > MAX_MEDIA_BYTES:
                raise ApkgError(f"the media files unpack to more than {MAX_MEDIA_BYTES // 1024**2} MiB",
                                path=str(apkg.path), remedy="preview a deck with fewer or smaller media files")
            return {name: archive.read(entry) for entry, name in wanted}
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ApkgError(f"a media file cannot be read ({exc})", path=str(apkg.path),
                        remedy="the file is damaged: download or rebuild it") from exc
