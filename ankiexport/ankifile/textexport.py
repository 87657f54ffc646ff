"""A package as Anki's own text format: one tab-separated line per note, headed by the ``#`` lines
Anki's text import reads, so that importing the file again updates notes instead of adding copies.

The ``#guid column`` carries the same GUIDs as the ``.apkg``: Anki matches the rows to the notes a
student already has. The note types are not in the file (a text import never creates one): they come
with the deck's ``.apkg``, imported once; so do its images.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import BuildError
from .atomic import atomic_output, write_remedy
from .writer import Package, refuse_empty

# Columns, 1-based as Anki numbers them. The note type comes first: a line starting with "#" is a
# comment to Anki's reader, and a note type name never starts with one (a GUID may).
HEADER = (
    "#separator:tab",
    "#html:true",
    "#notetype column:1",
    "#deck column:2",
    "#guid column:3",
    "#tags column:4",
)


def package_text(package: Package) -> str:
    """The package's notes in package order, each with its deck, GUID, tags and fields."""
    out = io.StringIO()
    # Fields holding a tab, a line break or a quote are quoted, as Anki's reader expects.
    writer = csv.writer(out, delimiter="\t", quotechar='"', lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for deck in package.decks:
        for note in deck.notes:
            writer.writerow([note.note_type.name, deck.name, note.guid, " ".join(note.tags), *note.fields])
    return "\n".join(HEADER) + "\n" + out.getvalue()


def write_tsv(package: Package, path: str | Path) -> Path:
    """Write ``package`` as Anki's text format to ``path``, atomically. An empty package is an error."""
    path = Path(path)
    refuse_empty(package, path)
    try:
        with atomic_output(path) as tmp:
            tmp.write_bytes(package_text(package).encode("utf-8"))
    except OSError as exc:
        raise BuildError(f"cannot write the text export ({exc.strerror})", path=str(path),
                         remedy=write_remedy(exc)) from exc
    return path
