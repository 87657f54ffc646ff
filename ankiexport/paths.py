"""Where a build may read and write.

A manifest comes from a repository someone else may control: its articles must lie inside that
repository and its outputs inside the output folder. A folder build reads only what is inside the
folder. An output never replaces one of the inputs, nor an existing file of another kind than the one
the command writes, unless the user says ``--force``.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError

# What each kind of output file is, by name and by content: an existing file that is not one is kept.
OUTPUT_SUFFIXES = {"deck": (".apkg",), "page": (".html", ".htm"), "report": (".json",), "lock": (".json",),
                   "text": (".txt", ".tsv"), "crowdanki": ()}
# The first line of Anki's text format, as build --format tsv writes it.
TEXT_EXPORT_START = b"#separator:tab"
# What a CrowdAnki folder holds at its top: a non-empty folder without it is not replaced.
CROWDANKI_FILE = "deck.json"


def is_inside(path: Path, root: Path) -> bool:
    """``path``, with every link followed, lies in ``root``."""
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except ValueError:
        return False
    return True


def repository_root(manifest: Path) -> Path:
    """The folder a manifest may read from: its git repository, else the current folder when the
    manifest lies in it, else the manifest's own folder."""
    folder = Path(os.path.realpath(manifest)).parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    here = Path.cwd()
    return here if is_inside(folder, here) else folder


def check_relative_output(name: str) -> str | None:
    """Why a manifest's ``output`` is unsafe (absolute, climbing out, control characters), or None."""
    if any(ord(c) < 32 for c in name):
        return "holds a control character"
    if os.path.isabs(name) or Path(name).drive:
        return "is an absolute path"
    normal = os.path.normpath(name)
    if normal == ".." or normal.startswith(".." + os.sep) or normal in (".", ""):
        return "climbs out of the output folder"
    if not normal.lower().endswith(OUTPUT_SUFFIXES["deck"]):
        return "does not name an .apkg file"
    return None


def _is_kind(path: Path, kind: str) -> bool:
    """An existing file looks like what ``kind`` writes (so replacing it loses nothing else)."""
    if not path.name.lower().endswith(OUTPUT_SUFFIXES[kind]):
        return False
    try:
        if kind == "deck":
            return zipfile.is_zipfile(path)
        if kind == "text":
            with path.open("rb") as text:
                return text.read(len(TEXT_EXPORT_START)) == TEXT_EXPORT_START
        if kind == "page":
            with path.open("rb") as page:
                return page.read(512).lstrip().lower().startswith((b"<!doctype html", b"<html"))
    except OSError:
        return False
    return True  # a report or lock: its own reader says when it is malformed


def check_output(path: Path, kind: str, inputs: Iterable[Path], *, force: bool = False, option: str = "-o") -> None:
    """Refuse to write ``path`` over an input or over an existing file of another kind."""
    check_outputs([(path, kind, option)], inputs, force=force)


def check_outputs(outputs: Iterable[tuple[Path, str, str]], inputs: Iterable[Path], *, force: bool = False) -> None:
    """:func:`check_output` for each (path, kind, option), with the inputs resolved once."""
    if force:
        return
    real_inputs = {os.path.realpath(source) for source in inputs}
    for path, kind, option in outputs:
        if os.path.realpath(path) in real_inputs:
            raise UsageError(f"{option} {path} is one of the inputs: writing it would destroy the source",
                             remedy="choose another output name (or pass --force)")
        if path.is_file() and not _is_kind(path, kind):  # (a folder there fails when written, as ever)
            wanted = " or ".join(OUTPUT_SUFFIXES[kind])
            what = f"a {wanted} file" if wanted else "a folder"
            raise UsageError(f"{option} {path} exists and is not {what} this command wrote",
                             remedy="choose another output name, or pass --force to replace it")
        if kind == "crowdanki" and path.is_dir() and any(path.iterdir()) and not (path / CROWDANKI_FILE).is_file():
            raise UsageError(f"{option} {path} is a folder without {CROWDANKI_FILE}: not a CrowdAnki folder "
                             "this command wrote", remedy="choose another output name, or pass --force to replace it")
