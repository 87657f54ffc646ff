"""Read an ``.apkg`` back (zip → media map + SQLite collection) with the standard library only.

``diff`` and ``verify`` work on the published files themselves, not on the sources, so they can compare
a release with the one before it however each was built. Both layouts Anki exports are read:

- the legacy one genanki and ankiexport write: ``collection.anki2``/``.anki21`` (note types and decks
  as JSON in the col row), a JSON ``media`` map, media stored as they are;
- Anki's current one (2.1.50 on, "Support older Anki versions" unticked): a ``meta`` entry naming
  version 3, ``collection.anki21b`` compressed with zstd (note types, fields, templates and decks in
  tables of their own, their settings as protobuf), the media map as zstd-compressed protobuf, and
  every media file compressed with zstd. Its ``collection.anki2`` only holds a "please update" note.

Every unpacked size is capped as it is unpacked, whatever the archive claims.
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

# The first present is the package's collection (a current export's collection.anki2 is a dummy).
COLLECTION_NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")
ZSTD_COLLECTION = "collection.anki21b"
# The ``meta`` entry's version from which collection, media map and media files are zstd-compressed.
ZSTD_PACKAGE_VERSION = 3
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
FIELD_SEPARATOR = "\x1f"
CLOZE_TYPE = 1  # a note type's "type" in the legacy JSON: 0 standard, 1 cloze

# Bounds for reading someone else's package: a deck of 100,000 long notes is a few hundred MB.
MAX_COLLECTION_BYTES = 1024**3
MAX_MEDIA_BYTES = 1024**3  # all media files together (the preview reads them)
MAX_MEDIA_MAP_BYTES = 64 * 1024**2  # a media map of a million file names
READ_SECONDS = 60  # for every query on one collection
TOO_BIG = "this is not a deck to import; ask its author for a smaller one"
DAMAGED = "the file is damaged: download or rebuild it"


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
    zstd: bool = False  # Anki's current layout: media files are zstd-compressed

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
        if name is None:
            raise ApkgError("no Anki collection in the archive", path=source,
                            remedy="this is not an Anki deck package: export the deck from Anki as an .apkg")
        try:
            version = _package_version(archive, source) if "meta" in entries else 2
            if version > ZSTD_PACKAGE_VERSION:
                raise ApkgError(f"the package is of a newer layout (version {version}) than ankiexport reads",
                                path=source, remedy="export with 'Support older Anki versions' ticked")
            zstd = version == ZSTD_PACKAGE_VERSION
            media = _media_map(archive, source, zstd) if "media" in entries else {}
            db_path = extract_collection(archive, name, Path(tmpdir), source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RecursionError) as exc:
            raise ApkgError(f"a zip entry cannot be read ({short(exc)})", path=source,
                            remedy="the file is damaged: download or rebuild it") from exc
        with connect_read_only(db_path, source) as conn:
            try:
                return _read_collection(path, entries, media, conn, zstd)
            except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
                raise ApkgError(f"the collection cannot be read ({short(exc)})", path=source,
                                remedy="the file is damaged or not an Anki package: rebuild it") from exc


def _package_version(archive: zipfile.ZipFile, source: str) -> int:
    """The ``meta`` entry's version (a protobuf ``PackageMetadata``): 1 and 2 legacy, 3 current."""
    fields = proto_fields(_read_entry(archive, "meta", source, MAX_MEDIA_MAP_BYTES))
    return next((v for n, v in fields if n == 1 and isinstance(v, int)), 0)


def _media_map(archive: zipfile.ZipFile, source: str, zstd: bool) -> dict[str, str]:
    """Zip entry name → file name: JSON in the legacy layout, zstd-compressed protobuf
    (``MediaEntries``, the n-th entry stored as "n") in the current one."""
    raw = _read_entry(archive, "media", source, MAX_MEDIA_MAP_BYTES)
    if zstd or raw.startswith(ZSTD_MAGIC):
        raw = unzstd(raw, MAX_MEDIA_MAP_BYTES, "the media map", source)
    if not zstd:
        value = json.loads(raw)
        if not isinstance(value, dict):
            raise ApkgError("the media map is not a JSON object", path=source, remedy="rebuild the deck")
        return {str(k): str(v) for k, v in value.items()}
    media: dict[str, str] = {}
    for number, entry in proto_fields(raw):
        if number == 1 and isinstance(entry, bytes):
            name = next((v for n, v in proto_fields(entry) if n == 1 and isinstance(v, bytes)), b"")
            media[str(len(media))] = name.decode("utf-8")
    return media


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("truncated protobuf varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def proto_fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """A protobuf message's top-level fields as (number, value): varints as ints, length-delimited
    ones as bytes (a string, or a message to read in turn); fixed-width ones as their bytes."""
    fields: list[tuple[int, int | bytes]] = []
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire in (1, 2, 5):
            if wire == 2:
                size, pos = _varint(data, pos)
            else:
                size = 8 if wire == 1 else 4
            if pos + size > len(data):
                raise ValueError("truncated protobuf field")
            value, pos = data[pos:pos + size], pos + size
        else:
            raise ValueError(f"protobuf wire type {wire} is not read")
        fields.append((number, value))
    return fields


def _proto_text(data: bytes, number: int) -> str:
    return next((v.decode("utf-8") for n, v in proto_fields(data) if n == number and isinstance(v, bytes)), "")


def unzstd(data: bytes, limit: int, what: str, source: str) -> bytes:
    """``data`` decompressed, refused beyond ``limit`` bytes (whatever its frame header claims)."""
    import zstandard

    try:
        with zstandard.ZstdDecompressor().stream_reader(data) as reader:
            out = reader.read(limit + 1)
            while len(out) <= limit:
                more = reader.read(limit + 1 - len(out))
                if not more:
                    break
                out += more
    except zstandard.ZstdError as exc:
        raise ApkgError(f"{what} is not valid zstd ({short(exc)})", path=source, remedy=DAMAGED) from exc
    if len(out) > limit:
        raise ApkgError(f"{what} unpacks to more than {limit // 1024**2} MiB", path=source, remedy=TOO_BIG)
    return out


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
        if name != ZSTD_COLLECTION:
            shutil.copyfileobj(packed, out)  # (the zip reader stops at the declared size)
            return target
        import zstandard

        written = 0
        try:
            with zstandard.ZstdDecompressor().stream_reader(packed) as reader:
                while chunk := reader.read(1024**2):
                    written += len(chunk)
                    if written > MAX_COLLECTION_BYTES:
                        raise ApkgError(f"{name} unpacks to more than {MAX_COLLECTION_BYTES // 1024**2} MiB",
                                        path=source, remedy=TOO_BIG)
                    out.write(chunk)
        except zstandard.ZstdError as exc:
            raise ApkgError(f"{name} is not valid zstd ({short(exc)})", path=source, remedy=DAMAGED) from exc
    return target


def _unicase(a: str, b: str) -> int:
    a, b = a.casefold(), b.casefold()
    return (a > b) - (a < b)


class _ReadOnly:
    """A foreign collection opened read-only: no views or triggers (an Anki collection has none, and
    a recursive view never ends), schema code untrusted, and every query within :data:`READ_SECONDS`."""

    def __init__(self, db_path: Path, source: str) -> None:
        self.source = source
        self.conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        # The current schema's name columns use Anki's own collation; without it no index on them reads.
        self.conn.create_collation("unicase", _unicase)
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


def _read_collection(path: Path, entries: tuple[str, ...], media: dict[str, str], conn: sqlite3.Connection,
                     zstd: bool = False) -> Apkg:
    cursor = conn.cursor()
    tables = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "notetypes" in tables:  # the current schema: note types and decks in tables of their own
        note_types, decks = _note_types_from_tables(cursor), _decks_from_table(cursor)
    else:
        note_types, decks = _note_types_from_json(_json_column(cursor, "models")), {
            int(d["id"]): str(d["name"]) for d in _json_column(cursor, "decks").values()}
    notes = tuple(
        ApkgNote(id=nid, guid=guid, note_type_id=mid, fields=tuple(flds.split(FIELD_SEPARATOR)),
                 tags=tuple(tags.split()), mod=mod)
        for nid, guid, mid, flds, tags, mod in cursor.execute(
            "SELECT id, guid, mid, flds, tags, mod FROM notes ORDER BY id"))
    cards = tuple(ApkgCard(id=cid, note_id=nid, deck_id=did, ord=ord_)
                  for cid, nid, did, ord_ in cursor.execute("SELECT id, nid, did, ord FROM cards ORDER BY id"))
    return Apkg(path=path, entries=entries, media=media, note_types=note_types, decks=decks, notes=notes,
                cards=cards, zstd=zstd)


def _note_types_from_json(models: dict[str, Any]) -> dict[int, ApkgNoteType]:
    return {
        int(m["id"]): ApkgNoteType(
            id=int(m["id"]), name=str(m["name"]),
            field_names=tuple(str(f["name"]) for f in sorted(m["flds"], key=lambda f: f["ord"])),
            templates=tuple((str(t["name"]), str(t["qfmt"]), str(t["afmt"]))
                            for t in sorted(m["tmpls"], key=lambda t: t["ord"])),
            css=str(m.get("css", "")), mod=int(m.get("mod", 0)), is_cloze=m.get("type", 0) == CLOZE_TYPE)
        for m in models.values()
    }


# Protobuf field numbers of Anki's notetypes.proto: Notetype.Config (kind, css) and
# CardTemplate.Config (front and back formats).
NOTETYPE_KIND, NOTETYPE_CSS = 1, 3
TEMPLATE_FRONT, TEMPLATE_BACK = 1, 2


def _note_types_from_tables(cursor: sqlite3.Cursor) -> dict[int, ApkgNoteType]:
    fields: dict[int, list[str]] = {}
    for ntid, name in cursor.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(str(name))
    templates: dict[int, list[tuple[str, str, str]]] = {}
    for ntid, name, config in cursor.execute("SELECT ntid, name, config FROM templates ORDER BY ntid, ord"):
        templates.setdefault(ntid, []).append(
            (str(name), _proto_text(config, TEMPLATE_FRONT), _proto_text(config, TEMPLATE_BACK)))
    note_types = {}
    for ntid, name, mtime, config in cursor.execute("SELECT id, name, mtime_secs, config FROM notetypes"):
        kind = next((v for n, v in proto_fields(config) if n == NOTETYPE_KIND and isinstance(v, int)), 0)
        note_types[int(ntid)] = ApkgNoteType(
            id=int(ntid), name=str(name), field_names=tuple(fields.get(ntid, ())),
            templates=tuple(templates.get(ntid, ())), css=_proto_text(config, NOTETYPE_CSS), mod=int(mtime),
            is_cloze=kind == CLOZE_TYPE)
    return note_types


def _decks_from_table(cursor: sqlite3.Cursor) -> dict[int, str]:
    # The current schema separates a deck name's levels with U+001F where the JSON had "::".
    return {int(did): str(name).replace(FIELD_SEPARATOR, "::")
            for did, name in cursor.execute("SELECT id, name FROM decks")}


def media_files(apkg: Apkg) -> dict[str, bytes]:
    """The package's media files by name (for the preview, which inlines images), within
    :data:`MAX_MEDIA_BYTES` unpacked."""
    source = str(apkg.path)
    too_big = ApkgError(f"the media files unpack to more than {MAX_MEDIA_BYTES // 1024**2} MiB", path=source,
                        remedy="preview a deck with fewer or smaller media files")
    try:
        with zipfile.ZipFile(apkg.path) as archive:
            wanted = [(entry, name) for entry, name in apkg.media.items() if entry in apkg.entries]
            if sum(archive.getinfo(entry).file_size for entry, _ in wanted) > MAX_MEDIA_BYTES:
                raise too_big
            files, left = {}, MAX_MEDIA_BYTES
            for entry, name in wanted:
                data = archive.read(entry)
                if apkg.zstd:
                    data = unzstd(data, left, "the media files", source)
                left -= len(data)
                if left < 0:
                    raise too_big
                files[name] = data
            return files
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ApkgError(f"a media file cannot be read ({short(exc)})", path=source,
                        remedy="the file is damaged: download or rebuild it") from exc
