"""Release checks for an ``.apkg``: structure (standard library only), and with the official backend
(the optional ``anki`` extra) a real import, card rendering and the upgrade from the previous release.

Every check yields problems, one line each; a deck with no problem is fit to publish.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..ankifile.reader import (
    COLLECTION_NAMES,
    MAX_COLLECTION_BYTES,
    MAX_MEDIA_BYTES,
    Apkg,
    ApkgError,
    connect_read_only,
    extract_collection,
    media_references,
    read_apkg,
)
from ..markup import visible_text
from ..preview import cloze
from ..preview.cardtemplate import MAX_CARDS_PER_NOTE, MAX_SECTION_DEPTH, section_depth
from ..sanitize import CSS_REMOTE_LOAD, active_html, dangerous_tex
from . import ankicheck
from .diff import DeckDiff, diff_apkgs

REQUIRED_TABLES = ("col", "notes", "cards", "revlog", "graves")
# Anki splits tags on whitespace and searches them with these characters special; "::" joins levels.
_TAG_INVALID = re.compile(r'[\s"\x00-\x1f]')


@dataclass(frozen=True)
class Upgrade:
    """What Anki did when NEW was imported over OLD (the import log, as counts)."""

    new: int
    updated: int
    unchanged: int
    conflicting: int


@dataclass(frozen=True)
class Report:
    path: Path
    notes: int = 0
    cards: int = 0
    problems: tuple[str, ...] = ()
    rendered: bool = False  # the official backend imported the deck and rendered every card
    upgrade: Upgrade | None = None
    skipped: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(path: str | Path, previous: str | Path | None = None, *, use_anki: bool | None = None) -> Report:
    """Check ``path`` (and its upgrade from ``previous``); ``use_anki=None`` uses the backend if installed."""
    path = Path(path)
    problems = _zip_problems(path)
    if problems:
        return Report(path, problems=tuple(problems))
    try:
        apkg = read_apkg(path)
    except ApkgError as exc:
        return Report(path, problems=(str(exc),))
    problems += [f"{path}: {p}" for p in structure_problems(apkg)]
    anki = ankicheck.available() if use_anki is None else use_anki
    skipped: tuple[str, ...] = ()
    if not anki:
        skipped = ("import and rendering in Anki (pip install 'ankiexport[anki]')",)
    elif not problems:
        problems += [f"{path}: {p}" for p in _in_anki(render_problems, path)]
    upgrade = None
    if previous is not None:
        try:
            old = read_apkg(previous)
        except ApkgError as exc:
            return Report(path, notes=len(apkg.notes), cards=len(apkg.cards),
                          problems=(*problems, f"{exc} (the previous release)"), skipped=skipped)
        diff = diff_apkgs(old, apkg)
        problems += [f"{path}: {p}" for p in readded_problems(diff)]
        if anki and not problems:
            try:
                upgrade, more = upgrade_in_anki(Path(previous), path, old, apkg, diff)
            except Exception as exc:  # Anki's backend: see _in_anki
                upgrade, more = None, [_backend_failure(exc)]
            problems += [f"{path}: {p}" for p in more]
        elif not anki:
            problems += [f"{path}: {p}" for p in predicted_upgrade_problems(old, apkg)]
    return Report(path, notes=len(apkg.notes), cards=len(apkg.cards), problems=tuple(problems),
                  rendered=anki and not problems, upgrade=upgrade, skipped=skipped)


def _backend_failure(exc: Exception) -> str:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    first = first if len(first) <= 160 else first[:159] + "…"
    return f"Anki could not import the deck ({first}) — if a disk is full, free space in $TMPDIR"


def _in_anki(check: Callable[[Path], list[str]], path: Path) -> list[str]:
    """A check run in Anki's backend; its failure (a full disk, an unreadable package) is a problem
    line: the backend raises its own error types, which only the anki package defines."""
    try:
        problems: list[str] = check(path)
    except Exception as exc:
        return [_backend_failure(exc)]
    return problems


def _zip_problems(path: Path) -> list[str]:
    if not path.is_file():
        return [f"{path}: no such file — check the path"]
    if not zipfile.is_zipfile(path):
        return [f"{path}: not a zip archive — the file is damaged or not an .apkg: rebuild it"]
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_COLLECTION_BYTES + MAX_MEDIA_BYTES:
                return [f"{path}: the archive unpacks to {unpacked // 1024**2} MiB — this is not a deck to import"]
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        return [f"{path}: the zip archive is damaged ({exc}) — rebuild the deck"]
    if bad is not None:
        return [f"{path}: zip entry {bad!r} fails its CRC check — the file is damaged: rebuild the deck"]
    return []


def _template_problems(apkg: Apkg) -> list[str]:
    """Templates and notes beyond what Anki can render (its backend crashes on deep sections)."""
    problems = [f"note type {nt.name!r}, card {name!r}: sections nest deeper than {MAX_SECTION_DEPTH} levels — "
                "this is not a deck to import"
                for nt in apkg.note_types.values() for name, front, back in nt.templates
                if max(section_depth(front), section_depth(back)) > MAX_SECTION_DEPTH]
    clozes = {nt.id for nt in apkg.note_types.values() if nt.is_cloze}
    problems += [f"note {note.guid}: {len(numbers)} cloze numbers, more than {MAX_CARDS_PER_NOTE} cards — "
                 "split the note" for note in apkg.notes if note.note_type_id in clozes
                 and len(numbers := cloze.numbers(note.fields)) > MAX_CARDS_PER_NOTE]
    return problems


def structure_problems(apkg: Apkg) -> list[str]:
    """Problems visible without Anki: schema, templates, media map, GUIDs, first fields, media
    references, tags, TeX that runs."""
    problems = _schema_problems(apkg) + _template_problems(apkg)
    problems += _media_map_problems(apkg)
    guids = Counter(n.guid for n in apkg.notes)
    problems += [f"GUID {g!r} is used by {count} notes — Anki would merge them: give each note its own GUID"
                 for g, count in sorted(guids.items()) if count > 1]
    if "" in guids:
        problems.append("a note has an empty GUID — rebuild the deck")
    present = set(apkg.media.values())
    for note in apkg.notes:
        label = f"note {note.guid}"
        note_type = apkg.note_types.get(note.note_type_id)
        if note_type is None:
            problems.append(f"{label}: its note type {note.note_type_id} is not in the package — rebuild the deck")
            continue
        if len(note.fields) != len(note_type.field_names):
            problems.append(f"{label}: {len(note.fields)} fields, but {note_type.name} has "
                            f"{len(note_type.field_names)} — rebuild the deck")
        first = note.fields[0] if note.fields else ""
        if not visible_text(first) and not media_references(first):
            problems.append(f"{label} ({note_type.name}): the first field "
                            f"{note_type.field_names[0] if note_type.field_names else ''!r} is empty — "
                            "Anki skips such notes on import: fill it or drop the item")
        for name in sorted({r for f in note.fields for r in media_references(f)}):
            if name not in present:
                problems.append(f"{label}: refers to media file {name!r}, which is not in the package — "
                                "add the file or remove the reference")
        for tag in note.tags:
            if _TAG_INVALID.search(tag) or any(not part for part in tag.split("::")):
                problems.append(f"{label}: invalid tag {tag!r} — tags hold no spaces or quotes and no empty "
                                "'::' level")
    note_ids = {n.id for n in apkg.notes}
    with_cards = {c.note_id for c in apkg.cards}
    for card in apkg.cards:
        if card.note_id not in note_ids:
            problems.append(f"card {card.id}: its note {card.note_id} is missing — rebuild the deck")
        if card.deck_id not in apkg.decks:
            problems.append(f"card {card.id}: its deck {card.deck_id} is missing — rebuild the deck")
    problems += [f"note {n.guid}: has no card — check the note type's templates"
                 for n in apkg.notes if n.id not in with_cards]
    return problems + tex_problems(apkg) + active_html_problems(apkg)


def tex_problems(apkg: Apkg) -> list[str]:
    """Templates and fields holding TeX that MathJax in Anki's reviewer makes into a link, a style, a
    load or a definition (see :mod:`ankiexport.sanitize`): script on a click, requests as cards show."""
    problems = []
    for note_type in sorted(apkg.note_types.values(), key=lambda t: t.id):
        for name, front, back in note_type.templates:
            for side, template in (("front", front), ("back", back)):
                macros = dangerous_tex(template)
                if macros:
                    problems.append(f"note type {note_type.name!r}, card {name!r} ({side}): {_live_tex(macros)}")
    for note in apkg.notes:
        for name, value in apkg.field_map(note).items():
            macros = dangerous_tex(value)
            if macros:
                problems.append(f"note {note.guid}: field {name!r}: {_live_tex(macros)}")
    return problems


def active_html_problems(apkg: Apkg) -> list[str]:
    """Fields with HTML that runs script or loads a URL as the card shows; templates and CSS that load
    remote URLs or carry event handlers (a shared note type's own <script> is its author's)."""
    problems = []
    for note_type in sorted(apkg.note_types.values(), key=lambda t: t.id):
        if CSS_REMOTE_LOAD.search(note_type.css):
            problems.append(f"note type {note_type.name!r}: its CSS loads a remote URL as cards show — "
                            "bundle the file in the deck or remove it")
        for name, front, back in note_type.templates:
            for side, template in (("front", front), ("back", back)):
                if found := active_html(template, template=True):
                    problems.append(f"note type {note_type.name!r}, card {name!r} ({side}): {_live_html(found)}")
    for note in apkg.notes:
        for name, value in apkg.field_map(note).items():
            if found := active_html(value):
                problems.append(f"note {note.guid}: field {name!r}: {_live_html(found)}")
    return problems


def _live_html(found: tuple[str, ...]) -> str:
    return (f"HTML {' '.join(found)} can run script or load URLs in Anki's reviewer — remove it "
            "(`ankiexport build` sanitises fields)")


def _live_tex(macros: tuple[str, ...]) -> str:
    return (f"TeX {' '.join(macros)} can run script or load URLs in Anki's reviewer — remove it "
            "(`ankiexport build` defuses it)")


def _schema_problems(apkg: Apkg) -> list[str]:
    name = next(n for n in COLLECTION_NAMES if n in apkg.entries)
    with tempfile.TemporaryDirectory(prefix="ankiexport-verify-") as tmpdir, \
            zipfile.ZipFile(apkg.path) as archive:
        db = extract_collection(archive, name, Path(tmpdir), str(apkg.path))
        with connect_read_only(db, str(apkg.path)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            (integrity,) = conn.execute("PRAGMA integrity_check").fetchone()
            rows = conn.execute("SELECT count(*) FROM col").fetchone()[0] if "col" in tables else 0
    problems = [f"{name}: table {t!r} is missing — not an Anki collection" for t in REQUIRED_TABLES
                if t not in tables]
    if integrity != "ok":
        problems.append(f"{name}: SQLite integrity check failed ({integrity}) — rebuild the deck")
    if rows != 1:
        problems.append(f"{name}: the col table has {rows} rows, not 1 — rebuild the deck")
    if not apkg.notes:
        problems.append("the package holds no notes — check the sources")
    return problems


def _media_map_problems(apkg: Apkg) -> list[str]:
    problems = []
    names = Counter(apkg.media.values())
    for entry, name in sorted(apkg.media.items()):
        if entry not in apkg.entries:
            problems.append(f"media map: entry {entry!r} ({name!r}) is not in the zip — rebuild the deck")
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            problems.append(f"media map: {name!r} is not a plain file name — rename the file")
        elif names[name] > 1:
            problems.append(f"media map: {name!r} is listed {names[name]} times — keep one")
    return problems


def readded_problems(diff: DeckDiff) -> list[str]:
    """Notes that left under one GUID and came back under another: students would get a second copy."""
    problems = []
    removed = {(n.note_type, n.title): n for n in diff.removed}
    for note in diff.added:
        twin = removed.get((note.note_type, note.title))
        if twin is not None:
            problems.append(f"note {note.guid} ({note.title[:40]}) re-adds removed note {twin.guid} under a new "
                            "GUID — students would get a second copy: keep the item's key stable")
    return problems


def predicted_upgrade_problems(old: Apkg, new: Apkg) -> list[str]:
    """What an import of NEW over OLD would get wrong, predicted from the two files (no Anki needed).

    Anki updates a matched note only when the incoming ``mod`` is newer, a note type's templates and
    CSS only when its ``mod`` is newer, and forks a note type whose fields or templates were renamed.
    """
    problems = []
    old_mod = {n.guid: n.mod for n in old.notes}
    new_mod = {n.guid: n.mod for n in new.notes}
    for change in diff_apkgs(old, new).changed:
        guid = change.note.guid
        if new_mod[guid] <= old_mod[guid]:
            problems.append(_stale_note(guid, change.note.title, new_mod[guid], old_mod[guid]))
    for note_type in new.note_types.values():
        before = old.note_types.get(note_type.id)
        if before is None:
            continue
        if before.field_names != note_type.field_names or [t[0] for t in before.templates] != [
                t[0] for t in note_type.templates]:
            problems.append(f"note type {note_type.name!r}: fields or templates renamed — Anki would fork it "
                            "and stop updating its notes: keep note-type schemas frozen")
        elif before.look != note_type.look and note_type.mod <= before.mod:
            problems.append(_stale_look(note_type.name))
    return problems


def _stale_note(guid: str, title: str, new_mod: int, old_mod: int) -> str:
    return (f"note {guid} ({title[:40]}) changed but its mod {new_mod} is not newer than {old_mod} — the edit "
            "would never reach students: rebuild with a later SOURCE_DATE_EPOCH or with the lock file")


def _stale_look(name: str) -> str:
    return (f"note type {name!r}: templates or CSS changed but its mod is not newer — students would keep the "
            "old look: rebuild with the lock file")


def render_problems(path: Path) -> list[str]:
    """Import into a fresh collection and render every card: no note skipped, no blank side."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="ankiexport-verify-") as tmpdir, \
            ankicheck.open_collection(Path(tmpdir) / "collection.anki2") as col:
        counts = ankicheck.import_package(col, path)
        if counts.conflicting or counts.missing_notetype or counts.empty_first_field:
            problems.append(f"Anki import: {counts.conflicting} conflicting, {counts.missing_notetype} with a "
                            f"missing note type, {counts.empty_first_field} with an empty first field — "
                            "fix those notes")
        for note in ankicheck.stored_notes(col):
            for index, (question, answer) in enumerate(note.cards, start=1):
                front, back = visible_text(question), visible_text(answer)
                where = f"note {note.guid} card {index} ({note.note_type})"
                if not front or ankicheck.BLANK_SIDE_MARKER in question:
                    problems.append(f"{where}: empty front — fill the fields its front template shows")
                elif not back or back == front or ankicheck.BLANK_SIDE_MARKER in answer:
                    problems.append(f"{where}: empty back — fill the fields its back template shows")
    return problems


def upgrade_in_anki(old_path: Path, new_path: Path, old: Apkg, new: Apkg,
                    diff: DeckDiff) -> tuple[Upgrade, list[str]]:
    """Import OLD then NEW into one collection, as a student updating would, and read Anki's log."""
    problems = []
    changed = {c.note.guid for c in diff.changed}
    with tempfile.TemporaryDirectory(prefix="ankiexport-upgrade-") as tmpdir:
        col_path = Path(tmpdir) / "collection.anki2"
        with ankicheck.open_collection(col_path) as col:
            ankicheck.import_package(col, old_path)
        with ankicheck.open_collection(col_path) as col:
            log = ankicheck.import_log(col, new_path)
        # Reopened: after an import the same collection object may hand back stale note types.
        with ankicheck.open_collection(col_path) as col:
            looks = ankicheck.note_type_looks(col)
    upgrade = Upgrade(new=len(log.new), updated=len(log.updated), unchanged=len(log.duplicate),
                      conflicting=len(log.conflicting))
    if log.conflicting:
        problems.append(f"upgrade from {old_path}: {len(log.conflicting)} conflicting notes (their note type "
                        "changed schema) — Anki will not update them: keep note-type schemas frozen")
    added = len(diff.added)
    if upgrade.new != added:
        problems.append(f"upgrade from {old_path}: Anki added {upgrade.new} notes where the release adds {added} "
                        "— notes were added again instead of updated: keep GUIDs stable")
    old_mod = {n.guid: n.mod for n in old.notes}
    titles = {c.note.guid: c.note.title for c in diff.changed}
    problems += [_stale_note(guid, titles[guid], new_mod, old_mod[guid]) + " (Anki left it as it was)"
                 for guid, new_mod in sorted((n.guid, n.mod) for n in new.notes)
                 if guid in changed and guid not in set(log.updated)]
    problems += [_stale_look(nt.name) + " (Anki kept the old one)" for nt in new.note_types.values()
                 if nt.id in old.note_types and looks.get(nt.id) != nt.look]
    return upgrade, problems
