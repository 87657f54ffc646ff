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
  collections); if it comes back with the same content it keeps its ``mod``;
- a note whose key changed (a renamed chapter or title, a reworded question) takes the GUID of the
  previous note it clearly matches (:func:`match_renames`), so its review history stays attached.

A build without a lock reads the same from the deck already at its output path (:func:`lock_from_apkg`).

The file is JSON with sorted keys, one entry per note, so it diffs well when CI commits it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ..errors import AnkiexportError, short
from ..markup import html_to_text, normalise_space
from ..notes import NoteSpec, guid_for
from ..notetypes import look_hash
from .atomic import write_text_atomic
from .reader import Apkg, ApkgNote
from .writer import MAX_TIMESTAMP, DeckSpec

LOCK_FORMAT = 1
LOCK_SUFFIX = ".lock.json"
ITEM_LABEL_CHARS = 80  # the human-readable label of each entry, for reviewing the lock in a diff
# How alike (difflib ratio of the notes' own text, chapter and source left out) a new note and a
# previous one must be to count as the same note renamed: "What is NMT?" → "What is NMT, exactly?"
# with the same answer is far above it; two different definitions of one term fall well below.
RENAME_SIMILARITY = 0.85
REPORTED_NOTES = 5  # notes named in a build's message about renames or removed notes; the rest are counted
# Fields that say where a note sits, not what it teaches: a rename changes them, never the note.
PLACE_FIELDS = frozenset({"Chapter", "Source", "Reverse", "Shuffle"})


class LockError(AnkiexportError):
    """A lock file cannot be read or written."""


@dataclass(frozen=True)
class LockedNote:
    item: str  # "kind · chapter · front", for people reading the file
    hash: str
    mod: int
    retired: bool = False
    content: str = ""  # hash of the note's own text (match_text): finds it again after a rename
    key: str = ""  # the GUID the note's key gives, when it kept another one through a rename


@dataclass(frozen=True)
class LockedNoteType:
    name: str
    look: str
    mod: int


@dataclass(frozen=True)
class Lock:
    notes: Mapping[str, LockedNote]  # by GUID
    note_types: Mapping[int, LockedNoteType]  # by note type id
    # Each note's own text (match_text) when the previous state is a deck: lets near matches count.
    texts: Mapping[str, str] = field(default_factory=dict)


EMPTY = Lock({}, {})


@dataclass(frozen=True)
class Locked:
    """A build's decks with their ``mod`` values settled by the lock, and the lock to write back."""

    decks: tuple[DeckSpec, ...]
    model_mods: dict[int, int]
    timestamp: int  # the newest mod in the package: an unchanged deck rebuilds to the same bytes
    lock: Lock
    changed: int  # notes whose mod moved (new or edited)
    renamed: tuple[str, ...] = ()  # "new label ← old label" for each note that kept a GUID through a rename
    removed: tuple[str, ...] = ()  # labels of the previous notes this build no longer makes


def lock_path_for(manifest: str | Path) -> Path:
    """The lock beside a manifest: ``sources/nmt.yaml`` → ``sources/nmt.lock.json``."""
    manifest = Path(manifest)
    return manifest.with_name(manifest.stem + LOCK_SUFFIX)


def content_hash(note: NoteSpec) -> str:
    """Hash of what an import writes into a student's note: its note type, fields and tags."""
    return _hash(note.note_type.id, note.fields, note.tags)


def _hash(note_type_id: int, fields: Sequence[str], tags: Sequence[str]) -> str:
    digest = hashlib.sha256(str(note_type_id).encode())
    for part in (*fields, "\x1e", *tags):
        digest.update(b"\x1f" + part.encode())
    return digest.hexdigest()[:24]


def match_text(kind: str, fields: Mapping[str, str]) -> str:
    """What a note teaches, as plain text: its kind and fields, without those that say where it sits."""
    parts = [normalise_space(html_to_text(v)) for name, v in fields.items() if name not in PLACE_FIELDS]
    return "\n".join((kind, *parts))


def _match_text(note: NoteSpec) -> str:
    return match_text(note.kind, dict(zip(note.note_type.field_names, note.fields, strict=False)))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _kind_of(note: ApkgNote) -> str:
    return next((t[len("kind::"):] for t in note.tags if t.startswith("kind::")), "")


def lock_from_apkg(apkg: Apkg) -> Lock:
    """The previous state a deck file holds: each note's GUID, content hash, ``mod`` and text."""
    notes: dict[str, LockedNote] = {}
    texts: dict[str, str] = {}
    for note in apkg.notes:
        fields = apkg.field_map(note)
        text = texts[note.guid] = match_text(_kind_of(note), fields)
        front = next(iter(fields.values()), "")
        label = " · ".join(p for p in (_kind_of(note), *(normalise_space(html_to_text(f))
                                                         for f in (fields.get("Chapter", ""), front))) if p)
        label = label if len(label) <= ITEM_LABEL_CHARS else label[: ITEM_LABEL_CHARS - 1] + "…"
        notes[note.guid] = LockedNote(label, _hash(note.note_type_id, note.fields, note.tags), note.mod,
                                      content=text_hash(text))
    types = {t.id: LockedNoteType(t.name, look_hash(t.css, t.templates), t.mod) for t in apkg.note_types.values()}
    return Lock(notes, types, texts)


def _label(note: NoteSpec) -> str:
    front = normalise_space(html_to_text(note.fields[0])) if note.fields else ""
    label = " · ".join(p for p in (note.kind, " › ".join(note.chapter), front) if p)
    return label if len(label) <= ITEM_LABEL_CHARS else label[: ITEM_LABEL_CHARS - 1] + "…"


def match_renames(notes: Sequence[NoteSpec], previous: Lock) -> list[str]:
    """Each note's GUID against the previous state, like ``git`` finds renamed files.

    A note's key names a previous note: the one of its GUID, or the one whose GUID it kept through an
    earlier rename (the lock's ``key``). It keeps that GUID when the content is the same. Otherwise it
    takes the GUID of a previous note no other note kept that has the same text, else (when its key is
    new) one at least :data:`RENAME_SIMILARITY` alike, closest pairs first; failing both, the GUID its
    key names — unless another note took that one, which gives it a GUID of its own.
    """
    if not previous.notes:
        return [n.guid for n in notes]
    aliases = {e.key: guid for guid, e in previous.notes.items() if e.key}
    guids = [aliases.get(n.guid, n.guid) for n in notes]
    texts = [_match_text(n) for n in notes]
    final: list[str | None] = [None] * len(notes)
    for i, note in enumerate(notes):
        before = previous.notes.get(guids[i])
        if before is not None and before.hash == content_hash(note):
            final[i] = guids[i]
    taken = {g for g in final if g is not None}
    free = [g for g in previous.notes if g not in taken]
    # A lock written before entries had a content hash still finds a note re-keyed by its whole hash.
    by_content: dict[str, list[str]] = {}
    for guid in free:
        for key in (previous.notes[guid].content, previous.notes[guid].hash):
            if key:
                by_content.setdefault(key, []).append(guid)
    for i in range(len(notes)):
        if final[i] is None:
            same = [g for g in (*by_content.get(text_hash(texts[i]), ()), *by_content.get(content_hash(notes[i]), ()))
                    if g not in taken]
            if same:
                chosen = final[i] = guids[i] if guids[i] in same else same[0]
                taken.add(chosen)
    # Near matches only for notes whose key the previous state does not know (as git pairs deleted and
    # added files): an edit in place keeps its GUID below, and the pairs stay few.
    added = [i for i in range(len(notes)) if final[i] is None and guids[i] not in previous.notes]
    pairs = []
    matcher = SequenceMatcher(autojunk=False)
    for guid in free:
        old = previous.texts.get(guid)
        if guid in taken or old is None:
            continue
        matcher.set_seq2(old)  # difflib indexes its second sequence: once per previous note
        kind = old.split("\n", 1)[0]
        for i in added:
            if notes[i].kind != kind:
                continue
            matcher.set_seq1(texts[i])
            if (matcher.real_quick_ratio() >= RENAME_SIMILARITY and matcher.quick_ratio() >= RENAME_SIMILARITY
                    and (ratio := matcher.ratio()) >= RENAME_SIMILARITY):
                pairs.append((-ratio, i, guid))
    for _, i, guid in sorted(pairs):
        if final[i] is None and guid not in taken:
            final[i] = guid
            taken.add(guid)
    for i in range(len(notes)):
        if final[i] is None and guids[i] not in taken:
            final[i] = guids[i]
            taken.add(guids[i])
    for i in range(len(notes)):
        if final[i] is None:  # its GUID went to the note its previous text moved to
            count = 2
            while (fresh := guid_for(guids[i], "moved", count)) in taken or fresh in previous.notes:
                count += 1
            final[i] = fresh
            taken.add(fresh)
    return [g for g in final if g is not None]  # every note has one by now


def apply_lock(decks: Sequence[DeckSpec], lock: Lock, now: int) -> Locked:
    """Settle every note's GUID (:func:`match_renames`) and every note's and note type's ``mod``
    against ``lock``; ``now`` stamps what changed."""
    entries: dict[str, LockedNote] = {}
    changed = 0
    settled: list[DeckSpec] = []
    note_types = {}
    renamed: list[str] = []
    guids = iter(match_renames([n for deck in decks for n in deck.notes], lock))
    for deck in decks:
        notes = []
        for note in deck.notes:
            guid = next(guids)
            digest = content_hash(note)
            before = lock.notes.get(guid)
            if guid != note.guid and before is not None and before.key != note.guid:
                label = _label(note)
                renamed.append(label if label == before.item else f"{label} ← {before.item}")
            if before is not None and before.hash == digest:
                mod = before.mod
            else:
                mod = max(now, before.mod + 1) if before is not None else now
                changed += 1
            entries[guid] = LockedNote(_label(note), digest, mod, content=text_hash(_match_text(note)),
                                       key=note.guid if note.guid != guid else "")
            notes.append(replace(note, guid=guid, mod=mod))
            note_types[note.note_type.id] = note.note_type
        settled.append(replace(deck, notes=tuple(notes)))
    removed = []
    for guid, old in lock.notes.items():
        if guid not in entries:
            entries[guid] = replace(old, retired=True)
            if not old.retired:
                removed.append(old.item)
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
    return Locked(tuple(settled), model_mods, max(mods, default=now), Lock(entries, types), changed,
                  tuple(renamed), tuple(removed))


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
        notes = {str(guid): LockedNote(str(e["item"]), str(e["hash"]), _int(e["mod"]), bool(e.get("retired")),
                                       str(e.get("content", "")), str(e.get("key", "")))
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
        "notes": {guid: {"item": e.item, "hash": e.hash, "mod": e.mod, **({"retired": True} if e.retired else {}),
                         **({"content": e.content} if e.content else {}), **({"key": e.key} if e.key else {})}
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
