from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from ankiexport.cli import main
from ankiexport.release import ankicheck

# Property tests stay fast in the normal run; ANKIEXPORT_HYPOTHESIS=thorough runs many more examples.
# No deadline: speed is the benchmarks' business, and a per-example time limit failed the HTML reader's
# first example on a busy machine (it imports lxml).
settings.register_profile("ci", max_examples=25, derandomize=True, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("ANKIEXPORT_HYPOTHESIS", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_d148be0a6e69b967.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# ../shared beside the clone; ANKIEXPORT_SHARED points elsewhere (a worktree sits one level deeper).
SHARED = Path(os.environ.get("ANKIEXPORT_SHARED", ROOT.parent / "shared"))


def shared_dir(*parts: str) -> Path:
    """A folder of ../shared, or skip the test with a message when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.is_dir():
        pytest.skip(f"{path} is absent: the shared corpus sits beside the clone in CI")
    return path


@pytest.fixture
def cli() -> Callable[..., Result]:
    def run(*args: str, **kwargs: Any) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)
    return run


def run_ankiexport(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                   ) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a subprocess (for exit codes, stderr, tracebacks)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "ankiexport", *map(str, args)], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Any]:
    """A fresh, empty Anki collection from the official backend."""
    with ankicheck.open_collection(tmp_path / "collection.anki2") as col:
        yield col
