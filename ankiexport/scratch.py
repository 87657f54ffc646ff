"""Scratch folders that a killed build does not leave behind for good.

A collection is written in a folder of the temporary directory (``ankiexport-XXXXXXXX``) whose
``.lock`` file is locked (flock) for as long as the folder is in use. A build killed outright (SIGKILL,
the out-of-memory killer) cannot remove its folder, but the kernel releases its lock: a build removes,
when it starts and when it ends, every such folder whose lock it can take. The lock, not a process id,
says a folder is in use: ids are reused, and a container sharing the folder counts its own.
Windows has no flock: there a folder is removed at the end of its use only.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

if sys.platform != "win32":
    import fcntl

PREFIX = "ankiexport-"
LOCK = ".lock"


class ScratchFolder:
    """A new folder of the temporary directory, locked until :meth:`cleanup` removes it (or, as for a
    :class:`tempfile.TemporaryDirectory`, until the object is collected or the interpreter exits)."""

    def __init__(self) -> None:
        # Its removal is arranged before it exists: a signal (SIGTERM) may stop this at any point.
        self.path = Path(tempfile.gettempdir()) / f"{PREFIX}{secrets.token_hex(8)}"
        locks: list[int] = []
        self._remove = weakref.finalize(self, _remove, self.path, locks)
        self.path.mkdir(mode=0o700)
        if sys.platform != "win32":
            # Locked under another name first: once a folder has its .lock, the lock is held.
            unlocked = self.path / f"{LOCK}-new"
            locks.append(os.open(unlocked, os.O_CREAT | os.O_RDWR, 0o600))
            fcntl.flock(locks[0], fcntl.LOCK_EX)
            os.rename(unlocked, self.path / LOCK)

    def cleanup(self) -> None:
        self._remove()


def _remove(path: Path, locks: list[int]) -> None:
    # The lock goes last, and is released even when a signal stops the removal: the folder stays
    # one a sweep removes (the build's last sweep, or the next build's).
    try:
        with suppress(OSError):
            for entry in path.iterdir():
                if entry.name != LOCK:
                    entry.unlink()  # a collection: the folder holds files only
    finally:
        for lock in locks:
            os.close(lock)
    shutil.rmtree(path, ignore_errors=True)


def remove_stale_folders() -> None:
    """Remove the scratch folders no running process holds (those of killed builds)."""
    if sys.platform == "win32":
        return
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            lock = os.open(folder / LOCK, os.O_RDWR)
        except OSError:  # not a scratch folder (another kind, or still being made), or another user's
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # in use
            pass
        else:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(lock)


@contextmanager
def stale_folders_removed() -> Iterator[None]:
    """Remove stale folders before the block and after it, however it ends: a signal may stop a
    folder's removal half-way, once its lock is released."""
    remove_stale_folders()
    try:
        yield
    finally:
        remove_stale_folders()
