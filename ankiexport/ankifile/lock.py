"""The lock file: each note's GUID, content hash and ``mod`` as last released, so a rebuild changes
the ``mod`` of exactly the notes whose content changed.

Anki's default import rule is "update notes if newer": a note already in a student's collection (same
GUID) is overwritten only when the incoming ``mod`` is strictly newer, and a note type's templates and
CSS only when its ``mod`` is. Without a lock every build stamps every note with the build time, so a
release overwrites every note, including the student's own edits to notes the author never touched.
With the lock:

- an unchanged note keeps its recorded ``mod``: Anki logs it as a duplicate and leaves it alone;
- a changed (or new) note gets the build time (``SOURCE_DATE_EPOCH``, else now), and always at least
  one second more than its recorded ``mod``, so the edit arrives;
- a note type's ``mod`` moves only when its templates or CSS (:attr:`NoteType.look_hash`) change;
- a note no longer built stays in the lock as ``retired`` (an import cannot delete it from students'
  collections); if it comes back with the same content it keeps its ``mod``.

The file is JSON with sorted keys, one entry per note, so it diffs well when CI commits it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import AnkiexportError, short
from ..markup import html_to_text, normalise_space
from ..notes import NoteSpec
from .atomic import write_text_atomic
from .writer import MAX_TIMESTAMP, DeckSpec

LOCK_FORMAT = 1
LOCK_SUFFIX = ".lock.json"
ITEM_LABEL_CHARS = 80  # the human-readable label of each entry, for reviewing the lock in a diff


class LockError(AnkiexportError):
    """A lock file cannot be read or written."""


@dataclass(frozen=True)
class LockedNote:
    item: str  # "kind · chapter · front", for people reading the file
    hash: str
    mod: int
    retired: bool = False


@dataclass(frozen=True)
class LockedNoteType:
    name: str
    look: str
    mod: int


@dataclass(frozen=True)
class Lock:
    notes: Mapping[str, LockedNote]  # by GUID
    note_types: Mapping[int, LockedNoteType]  # by note type id


EMPTY = Lock({}, {})


@dataclass(frozen=True)
class Locked:
    """A build's decks with their ``mod`` values settled by the lock, and the lock to write back."""

    decks: tuple[DeckSpec, ...]
    model_mods: dict[int, int]
    timestamp: int  # the newest mod in the package: an unchanged deck rebuilds to the same bytes
    lock: Lock
    changed: int  # notes whose mod moved (new or edited)


def lock_path_for(manifest: str | Path) -> Path:
    """The lock beside a manifest: ``sources/nmt.yaml`` → ``sources/nmt.lock.json``."""
    manifest = Path(manifest)
    return manifest.with_name(manifest.stem + LOCK_SUFFIX)


def content_hash(note: NoteSpec) -> str:
    """Hash of what an import writes into a student's note: its note type, fields and tags."""
    digest = hashlib.sha256(str(note.note_type.id).encode())
    for part in (*note.fields, "\x1e", *note.tags):
        digest.update(b"\x1f" + part.encode())
    return digest.hexdigest()[:24]


def _label(note: NoteSpec) -> str:
    front = normalise_space(html_to_text(note.fields[0])) if note.fields else ""
    label = " · ".join(p for p in (note.kind, " › ".join(note.chapter), front) if p)
    return label if len(label) <= ITEM_LABEL_CHARS else label[: ITEM_LABEL_CHARS - 1] + "…"


def apply_lock(decks: Sequence[DeckSpec], lock: Lock, now: int) -> Locked:
    """Settle every note's and note type's ``mod`` against ``lock``; ``now`` stamps what changed."""
    entries: dict[str, LockedNote] = {}
    changed = 0
    settled: list[DeckSpec] = []
    note_types = {}
    for deck in decks:
        notes = []
        for note in deck.notes:
            digest = content_hash(note)
            before = lock.notes.get(note.guid)
            if before is not None and before.hash == digest:
                mod = before.mod
            else:
                mod = max(now, before.mod + 1) if before is not None else now
                changed += 1
            entries[note.guid] = LockedNote(_label(note), digest, mod)
            notes.append(replace(note, mod=mod))
            note_types[note.note_type.id] = note.note_type
        settled.append(replace(deck, notes=tuple(notes)))
    for guid, old in lock.notes.items():
        if guid not in entries:
            entries[guid] = replace(old, retired=True)
    types = dict(lock.note_types)
    for type_id, note_type in sorted(note_types.items()):
        before_type = lock.note_types.get(type_id)
        if before_type is not None and before_type.look == note_type.look_hash:
            type_mod = before_type.mod
        else:
            type_mod = max(now, before_type.mod + 1) if before_type is not None else now
        types[type_id] = LockedNoteType(note_type.name, note_type.look_hash, type_mod)
    model_mods = {type_id: types[type_id].mod for type_id in note_types}
    mods = [n.mod for d in settled for n in d.notes] + list(model_mods.values())
    return Locked(tuple(settled), model_mods, max(mods, default=now), Lock(entries, types), changed)


def read_lock(path: str | Path) -> Lock:
    """The lock at ``path``; a missing file is an empty lock (the first release)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return EMPTY
    except (OSError, UnicodeDecodeError) as exc:
        raise LockError(f"cannot read the lock file ({exc})", path=str(path),
                        remedy="check the file, or delete it to start a new lock") from exc
    try:
        data = json.loads(text)
        if data.get("format") != LOCK_FORMAT:
            raise ValueError(f"format {short(data.get('format'))}, expected {LOCK_FORMAT}")
        notes = {str(guid): LockedNote(str(e["item"]), str(e["hash"]), _int(e["mod"]), bool(e.get("retired")))
                 for guid, e in data["notes"].items()}
        types = {int(type_id): LockedNoteType(str(e["name"]), str(e["look"]), _int(e["mod"]))
                 for type_id, e in data["note_types"].items()}
    except json.JSONDecodeError as exc:
        raise LockError(f"the lock file is not valid JSON ({exc.msg})", path=str(path), line=exc.lineno,
                        remedy="restore it from version control") from exc
    except RecursionError as exc:
        raise LockError("the lock file nests too deeply to be a lock", path=str(path),
                        remedy="restore it from version control") from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LockError(f"the lock file is malformed ({short(exc)})", path=str(path),
                        remedy="restore it from version control") from exc
    return Lock(notes, types)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"mod must be an integer, not {short(value)}")
    if not 0 <= value <= MAX_TIMESTAMP:
        raise ValueError(f"mod {value} is not a time between 1970 and 2107")
    return value


def dump_lock(lock: Lock) -> str:
    payload = {
        "format": LOCK_FORMAT,
        "note_types": {str(type_id): {"name": t.name, "look": t.look, "mod": t.mod}
                       for type_id, t in sorted(lock.note_types.items())},
        "notes": {guid: {"item": e.item, "hash": e.hash, "mod": e.mod, **({"retired": True} if e.retired else {})}
                  for guid, e in sorted(lock.notes.items())},
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_lock(lock: Lock, path: str | Path) -> Path:
    """Write the lock atomically; unchanged content leaves the file (and its timestamp) untouched."""
    path = Path(path)
    text = dump_lock(lock)
    try:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return path
    except OSError:
        pass  # unreadable: rewrite it below, where a real failure is reported
    return write_text_atomic(path, text, what="the lock file", error=LockError)
