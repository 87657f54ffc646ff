"""ruff and mypy, as configured in pyproject.toml, are part of the test run; tests use public names only."""

from __future__ import annotations

import ast
import subprocess
import sys

from ..conftest import ROOT


def test_ruff_is_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "ankiexport", "tests", "benchmarks", "fuzz"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_is_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def private_names_imported(source: str) -> list[str]:
    """The ``_private`` names a test module takes from ankiexport: imported, or read off a module."""
    tree = ast.parse(source)
    modules: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ankiexport"):
            found += [alias.name for alias in node.names if alias.name.startswith("_")]
            modules |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            modules |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("ankiexport")}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in modules:
                found.append(node.attr)
    return found


def test_no_test_uses_a_private_name() -> None:
    assert private_names_imported("from ankiexport.x import _y\nimport ankiexport.z as z\nz._w()\n") == ["_y", "_w"]
    offenders = {str(path.relative_to(ROOT)): names for path in sorted((ROOT / "tests").rglob("*.py"))
                 if (names := private_names_imported(path.read_text(encoding="utf-8")))}
    assert offenders == {}
