"""What changed between two releases of a deck: notes added, removed and changed, matched by GUID.

GUID is what Anki matches on, so it is what the changelog matches on too: a note whose GUID changed
shows up as one removed and one added, which is exactly what a student's collection will see.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..ankifile.reader import Apkg, ApkgNote, chapter_of
from ..markup import normalise_space, visible_text

REMOVED_NOTICE = ("Importing an .apkg never deletes notes: students keep the removed notes until they "
                  "delete them by hand (find them in Anki's browser by their chapter tag, as the README shows).")
SNIPPET = 80  # characters of a field shown in Markdown


@dataclass(frozen=True)
class NoteSummary:
    guid: str
    chapter: str
    note_type: str
    fields: dict[str, str]

    @property
    def title(self) -> str:
        first = next(iter(self.fields.values()), "")
        return visible_text(first) or "(empty)"


@dataclass(frozen=True)
class FieldChange:
    old: str
    new: str


@dataclass(frozen=True)
class NoteChange:
    note: NoteSummary  # as in the new release
    fields: dict[str, FieldChange]
    tags: tuple[tuple[str, ...], tuple[str, ...]] | None  # (old, new) when they differ
    note_type: tuple[str, str] | None  # (old, new) name when the note moved to another note type


@dataclass(frozen=True)
class DeckDiff:
    old: str
    new: str
    added: tuple[NoteSummary, ...]
    removed: tuple[NoteSummary, ...]
    changed: tuple[NoteChange, ...]
    unchanged: int
    restyled: tuple[str, ...]  # note types whose templates or CSS changed

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.restyled)


def _summary(apkg: Apkg, note: ApkgNote) -> NoteSummary:
    return NoteSummary(note.guid, chapter_of(apkg, note), apkg.note_type_name(note), apkg.field_map(note))


def diff_apkgs(old: Apkg, new: Apkg) -> DeckDiff:
    old_notes = {n.guid: n for n in old.notes}
    new_notes = {n.guid: n for n in new.notes}
    added = tuple(_summary(new, n) for g, n in new_notes.items() if g not in old_notes)
    removed = tuple(_summary(old, n) for g, n in old_notes.items() if g not in new_notes)
    changed: list[NoteChange] = []
    unchanged = 0
    for guid, note in new_notes.items():
        before = old_notes.get(guid)
        if before is None:
            continue
        old_fields, new_fields = old.field_map(before), new.field_map(note)
        fields = {name: FieldChange(old_fields.get(name, ""), value)
                  for name, value in new_fields.items() if old_fields.get(name, "") != value}
        fields.update({name: FieldChange(value, "") for name, value in old_fields.items() if name not in new_fields})
        tags = (before.tags, note.tags) if sorted(before.tags) != sorted(note.tags) else None
        types = (old.note_type_name(before), new.note_type_name(note))
        note_type = types if types[0] != types[1] else None
        if fields or tags or note_type:
            changed.append(NoteChange(_summary(new, note), fields, tags, note_type))
        else:
            unchanged += 1
    restyled = tuple(sorted(nt.name for nt in new.note_types.values()
                            if nt.id in old.note_types and old.note_types[nt.id].look != nt.look))
    return DeckDiff(str(old.path), str(new.path), added, removed, tuple(changed), unchanged, restyled)


def _by_chapter(items: Iterable[Any], chapter: Any) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {}
    for item in items:
        groups.setdefault(chapter(item), []).append(item)
    return dict(sorted(groups.items()))


# Characters that make Markdown of card text: emphasis, code, links and images, HTML, tables, entities.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~&])")
# What GitHub links by itself in plain text: @mentions, #issues and bare URLs (a word joiner breaks them).
_AUTOLINKS = {"@": "@\u2060", "#": "#\u2060", "://": ":\u2060//", "www.": "www\u2060."}
_AUTOLINK = re.compile("|".join(re.escape(k) for k in _AUTOLINKS))


def literal(text: str) -> str:
    """Text from a deck as Markdown that shows it as it is and links, mentions or embeds nothing."""
    text = _AUTOLINK.sub(lambda m: _AUTOLINKS[m.group(0)], normalise_space(text))
    return _MARKDOWN.sub(r"\\\1", text)


def _snippet(field_html: str) -> str:
    text = visible_text(field_html)
    text = text if len(text) <= SNIPPET else text[: SNIPPET - 1].rstrip() + "…"
    return literal(text) or "(empty)"


def to_markdown(diff: DeckDiff, *, title: str | None = None) -> str:
    lines = [f"## {title or diff.new}", ""]
    lines.append(f"{len(diff.added)} added, {len(diff.changed)} changed, {len(diff.removed)} removed, "
                 f"{diff.unchanged} unchanged.")
    if diff.restyled:
        lines += ["", "Card layout updated (templates or styling): " + ", ".join(map(literal, diff.restyled)) + "."]
    sections: list[tuple[str, list[Any], Any]] = [
        ("Added", list(diff.added), lambda n: n.chapter),
        ("Changed", list(diff.changed), lambda c: c.note.chapter),
        ("Removed", list(diff.removed), lambda n: n.chapter),
    ]
    for heading, items, chapter in sections:
        if not items:
            continue
        lines += ["", f"### {heading} ({len(items)})"]
        if heading == "Removed":
            lines += ["", f"> {REMOVED_NOTICE}"]
        for group, members in _by_chapter(items, chapter).items():
            lines += ["", f"**{_snippet(group)}**", ""]
            for member in members:
                lines.append(_markdown_item(member))
    return "\n".join(lines) + "\n"


def _code(text: str) -> str:
    """Inline code that survives backticks in the text (GUIDs may hold any printable character)."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _markdown_item(member: NoteSummary | NoteChange) -> str:
    if isinstance(member, NoteSummary):
        return f"- {_snippet(member.title)} ({literal(member.note_type)}, {_code(member.guid)})"
    what = [literal(name) for name in member.fields]
    if member.tags:
        what.append("tags")
    if member.note_type:
        what.append(f"note type {literal(member.note_type[0])} → {literal(member.note_type[1])}")
    return f"- {_snippet(member.note.title)} ({_code(member.note.guid)}): {', '.join(what)}"


def _summary_json(note: NoteSummary) -> dict[str, Any]:
    return {"guid": note.guid, "chapter": note.chapter, "note_type": note.note_type, "fields": note.fields}


def to_json(diff: DeckDiff) -> str:
    payload = {
        "old": diff.old,
        "new": diff.new,
        "added": [_summary_json(n) for n in diff.added],
        "removed": [_summary_json(n) for n in diff.removed],
        "changed": [
            {**_summary_json(c.note),
             "changed_fields": {name: {"old": f.old, "new": f.new} for name, f in c.fields.items()},
             "tags": {"old": list(c.tags[0]), "new": list(c.tags[1])} if c.tags else None,
             "note_type_change": list(c.note_type) if c.note_type else None}
            for c in diff.changed
        ],
        "unchanged": diff.unchanged,
        "restyled_note_types": list(diff.restyled),
        "removed_notice": REMOVED_NOTICE if diff.removed else None,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)
