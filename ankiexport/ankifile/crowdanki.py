"""A package as a CrowdAnki folder (``deck.json`` + ``media/``), the layout deck-as-code
repositories keep under version control (CrowdAnki, Brain Brew).

CrowdAnki's shape: one deck tree, the root named in full and each child by its last level; the note
types, deck options and media list on the root; notes refer to their note type by ``crowdanki_uuid``.
Every uuid here derives from an id the ``.apkg`` uses too, and the notes carry the ``.apkg``'s GUIDs,
so a folder import and a package import update the same notes. Keys are sorted and lines are
indented as CrowdAnki writes them: a rebuild changes only the lines whose notes changed.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BuildError
from ..notetypes import NoteType
from .atomic import atomic_folder, write_remedy
from .writer import DeckSpec, Package, deck_id_for, genanki_model, refuse_empty

DECK_FILE = "deck.json"
MEDIA_FOLDER = "media"
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://ankiexport.invalid/crowdanki")
# Anki's default deck options, as CrowdAnki exports them: an import of the folder makes or reuses
# one option group by this uuid, and leaves a student's own groups alone.
DECK_CONFIG: dict[str, Any] = {
    "__type__": "DeckConfig", "name": "ankiexport", "autoplay": True, "dyn": False, "maxTaken": 60,
    "replayq": True, "timer": 0,
    "lapse": {"delays": [10], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0},
    "new": {"bury": False, "delays": [1, 10], "initialFactor": 2500, "ints": [1, 4, 0], "order": 1,
            "perDay": 20},
    "rev": {"bury": False, "ease4": 1.3, "hardFactor": 1.2, "ivlFct": 1, "maxIvl": 36500, "perDay": 200},
}
# Collection-only keys of a note type (ids, times, sync state): CrowdAnki keeps none of them.
NOTE_TYPE_DROPPED = ("id", "did", "mod", "usn")


def uuid_for(kind: str, key: object) -> str:
    return str(uuid.uuid5(UUID_NAMESPACE, f"{kind}:{key}"))


DECK_CONFIG_UUID = uuid_for("deck-config", "default")


@dataclass
class _Node:
    name: str  # the deck's full name
    spec: DeckSpec | None = None
    children: dict[str, _Node] = field(default_factory=dict)


def _tree(decks: tuple[DeckSpec, ...]) -> _Node:
    """The decks as one tree whose root is their deepest common parent (named in full)."""
    levels = [d.name.split("::") for d in decks]
    common = 0
    while all(len(lv) > common and lv[common] == levels[0][common] for lv in levels):
        common += 1
    if common == 0:
        names = ", ".join(sorted({lv[0] for lv in levels})[:3])
        raise BuildError(f"a CrowdAnki folder holds one deck tree, and these decks have no common parent ({names})",
                         remedy="pass --deck NAME (or --merge) so that every note goes under one deck")
    root = _Node("::".join(levels[0][:common]))
    for spec, lv in zip(decks, levels, strict=True):
        node = root
        for depth in range(common, len(lv)):
            node = node.children.setdefault(lv[depth], _Node("::".join(lv[:depth + 1])))
        node.spec = spec
    return root


def _note_type_json(note_type: NoteType, timestamp: int) -> dict[str, Any]:
    stored = genanki_model(note_type).to_json(timestamp, 0)
    for key in NOTE_TYPE_DROPPED:
        stored.pop(key, None)
    return {**stored, "__type__": "NoteModel", "crowdanki_uuid": uuid_for("note-type", note_type.id)}


def _deck_json(node: _Node, root: bool) -> dict[str, Any]:
    spec = node.spec
    deck_id = spec.id if spec else deck_id_for(node.name)
    return {
        "__type__": "Deck",
        "children": [_deck_json(child, False) for child in node.children.values()],
        "crowdanki_uuid": uuid_for("deck", deck_id),
        "deck_config_uuid": DECK_CONFIG_UUID,
        "desc": spec.description if spec else "",
        "dyn": 0,
        "extendNew": 10,
        "extendRev": 50,
        "name": node.name if root else node.name.rsplit("::", 1)[-1],
        "notes": [{"__type__": "Note", "data": "", "fields": list(note.fields), "flags": 0, "guid": note.guid,
                   "note_model_uuid": uuid_for("note-type", note.note_type.id), "tags": list(note.tags)}
                  for note in (spec.notes if spec else ())],
    }


def deck_json(package: Package) -> dict[str, Any]:
    """The package as CrowdAnki's ``deck.json`` object."""
    note_types = {n.note_type.id: n.note_type for n in package.notes}
    media = sorted({m.name for d in package.decks for m in d.media})
    return {
        **_deck_json(_tree(package.decks), True),
        "deck_configurations": [{**DECK_CONFIG, "crowdanki_uuid": DECK_CONFIG_UUID}],
        "media_files": media,
        "note_models": [_note_type_json(t, package.model_mods.get(t.id, package.timestamp))
                        for _, t in sorted(note_types.items())],
    }


def write_crowdanki(package: Package, path: str | Path) -> Path:
    """Write ``package`` as a CrowdAnki folder at ``path``, atomically. An empty package is an error."""
    path = Path(path)
    refuse_empty(package, path)
    text = json.dumps(deck_json(package), ensure_ascii=False, indent=4, sort_keys=True) + "\n"
    media = {m.name: m.data for d in package.decks for m in d.media}
    try:
        with atomic_folder(path) as tmp:
            (tmp / DECK_FILE).write_bytes(text.encode("utf-8"))
            (tmp / MEDIA_FOLDER).mkdir()
            for name, data in sorted(media.items()):
                (tmp / MEDIA_FOLDER / name).write_bytes(data)
    except OSError as exc:
        raise BuildError(f"cannot write the CrowdAnki folder ({exc.strerror})", path=str(path),
                         remedy=write_remedy(exc)) from exc
    return path
