"""The floor: bare genanki writing given notes, with nothing else (no reading, parsing or sanitising).

    python benchmarks/genanki_floor.py NOTES.json OUT.apkg

NOTES.json (written by ``build_bench.py`` from the deck ankiexport built) holds the note types (id,
name, field and template names, templates, CSS), the deck name and id, and every note's note type,
fields, tags and GUID. This script is timed as a whole process, like ``ankiexport build``: interpreter
start, imports, loading the notes and ``genanki.Package.write_to_file``.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def main(notes_json: str, output: str) -> None:
    import genanki

    with open(notes_json, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    models = {
        m["id"]: genanki.Model(m["id"], m["name"], fields=[{"name": f} for f in m["fields"]],
                               templates=m["templates"], css=m["css"])
        for m in data["models"]
    }
    deck = genanki.Deck(data["deck_id"], data["deck"])
    for note in data["notes"]:
        deck.add_note(genanki.Note(model=models[note["mid"]], fields=note["fields"], tags=note["tags"],
                                   guid=note["guid"]))
    genanki.Package(deck).write_to_file(output, timestamp=data["timestamp"])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
