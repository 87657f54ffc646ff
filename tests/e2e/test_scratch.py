"""Scratch folders: a build removes those whose lock no process holds, and no other folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ankiexport.scratch import LOCK, ScratchFolder, remove_stale_folders

from ..conftest import ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock")

HOLD = "import time; from ankiexport.scratch import ScratchFolder; f = ScratchFolder(); print(f.path, flush=True); "


@pytest.fixture
def tmpdir_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own temporary directory, for this process and the ones it starts."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def hold_folder(how: str) -> tuple[subprocess.Popen[str], Path]:
    """A process that makes a scratch folder, then waits (``how="sleep"``) or dies at once."""
    code = HOLD + ("time.sleep(60)" if how == "sleep" else "import os; os._exit(9)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    return proc, Path(proc.stdout.readline().strip())


def test_only_folders_whose_lock_is_free_are_removed(tmpdir_only: Path) -> None:
    dead, gone = hold_folder("exit")
    dead.wait()
    alive, held = hold_folder("sleep")
    mine = ScratchFolder()
    (tmpdir_only / "ankiexport-read-abc").mkdir()  # a folder of another kind, without a lock
    (tmpdir_only / "other").mkdir()
    try:
        assert (gone / LOCK).exists()  # a process that exits without cleaning up leaves its folder
        remove_stale_folders()
        assert sorted(p.name for p in tmpdir_only.iterdir()) == sorted(
            [held.name, mine.path.name, "ankiexport-read-abc", "other"])
    finally:
        alive.kill()
        alive.wait()
    remove_stale_folders()
    assert not held.exists() and mine.path.exists()
    mine.cleanup()
    assert not mine.path.exists()
