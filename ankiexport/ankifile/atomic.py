"""Files written atomically: a temporary file beside the target, renamed into place on success, so a
failed or killed command never leaves a half-written deck, lock, report or page."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import AnkiexportError, BuildError


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp makes the file private (0600); the output gets the mode a plain open() would give.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_remedy(exc: OSError) -> str:
    """What to do about a failed write, by its cause."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some space on that disk (or write elsewhere)"
    if exc.errno == errno.EROFS:
        return "the disk is read-only: write elsewhere"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "check that the folder is writable"
    return "check that the folder exists and is writable"


def write_text_atomic(path: Path, text: str, *, what: str, error: type[AnkiexportError] = BuildError) -> Path:
    """Write a text file (report, lock, preview page) atomically; an OS failure becomes ``error``
    naming ``what`` was being written."""
    try:
        with atomic_output(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise error(f"cannot write {what} ({exc.strerror})", path=str(path), remedy=write_remedy(exc)) from exc
    return path


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; on success it replaces ``path`` (a folder this command
    wrote before), so readers see the old folder or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    old = tmp.with_suffix(".old")
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        if path.exists():
            os.replace(path, old)  # a folder cannot be renamed over another: the old one steps aside
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)  # a file --force replaced
