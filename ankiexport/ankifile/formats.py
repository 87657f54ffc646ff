"""What ``build --format`` writes: the ``.apkg`` to import, Anki's text format, or a CrowdAnki folder.
All three carry the same notes, GUIDs and deck names, and equal inputs give equal bytes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .crowdanki import write_crowdanki
from .textexport import write_tsv
from .writer import Package, write_apkg

WRITERS: dict[str, Callable[[Package, Path], Path]] = {
    "apkg": write_apkg, "tsv": write_tsv, "crowdanki": write_crowdanki}
FORMATS = tuple(WRITERS)
# A build's default output name ends so; a CrowdAnki folder has no suffix.
SUFFIXES = {"apkg": ".apkg", "tsv": ".txt", "crowdanki": ""}


def output_for(path: Path, fmt: str) -> Path:
    """A default ``.apkg`` output name turned into the format's own."""
    return path.with_suffix(SUFFIXES[fmt]) if path.suffix.lower() == ".apkg" else path


def write_package(package: Package, path: Path, fmt: str) -> Path:
    return WRITERS[fmt](package, path)


def output_size(path: Path) -> int:
    """Bytes of a written file, or of every file in a written folder."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size
