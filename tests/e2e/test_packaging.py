"""The package as a user gets it: the wheel and sdist pass ``twine check``, the wheel installs into a
fresh virtual environment with nothing but its declared dependencies, and the installed command builds
the seed. The runtime dependencies are exactly what the package imports."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import tomllib

import ankiexport

from ..conftest import ROOT, SEED

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Distribution name → the module it is imported as, where the two differ.
IMPORT_NAMES = {"beautifulsoup4": "bs4", "PyYAML": "yaml", "PyStemmer": "Stemmer", "Jinja2": "jinja2",
                "markdown-it-py": "markdown_it", "mdit-py-plugins": "mdit_py_plugins"}


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The wheel and sdist, built from a copy of the checkout as `python -m build` builds a release."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    wheel, = out.glob("*.whl")
    sdist, = out.glob("*.tar.gz")
    return wheel, sdist


def distribution_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert match, requirement
    return match.group(0)


def third_party_imports() -> set[str]:
    """Top-level modules the package imports that are neither its own nor the standard library's."""
    found: set[str] = set()
    for path in (ROOT / "ankiexport").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "ankiexport"}


def test_runtime_dependencies_are_what_the_package_imports() -> None:
    project = PYPROJECT["project"]
    def modules(requirements: list[str]) -> set[str]:
        return {IMPORT_NAMES.get(n, n.lower()) for n in map(distribution_name, requirements)}

    runtime = modules(project["dependencies"])
    optional = modules(project["optional-dependencies"]["anki"])
    imported = third_party_imports()
    assert runtime <= imported, f"declared but never imported: {sorted(runtime - imported)}"
    assert imported <= runtime | optional, f"imported but not declared: {sorted(imported - runtime - optional)}"


def test_the_version_is_written_once() -> None:
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "ankiexport.__version__"}


def test_wheel_and_sdist_pass_twine_check(dists: tuple[Path, Path]) -> None:
    wheel, sdist = dists
    assert wheel.name == f"ankiexport-{ankiexport.__version__}-py3-none-any.whl"
    run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = zf.read(f"ankiexport-{ankiexport.__version__}.dist-info/METADATA").decode()
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert "ankiexport/preview/templates/preview.html" in names
    assert not [n for n in names if n.startswith(("tests/", "seeds/", "sources/", "benchmarks/"))]
    assert "License-Expression: MIT" in metadata
    assert "Project-URL: Source, " in metadata
    assert "Author-email: " in metadata


def test_the_wheel_installed_in_a_fresh_venv_builds_the_seed(dists: tuple[Path, Path], tmp_path: Path) -> None:
    wheel, _ = dists
    venv = tmp_path / "venv"
    # No pip inside the venv: this checkout's pip installs into it, which is faster and just as fresh.
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", wheel)
    command = venv / "bin" / "ankiexport"
    assert run(command, "--version").stdout.strip() == f"ankiexport, version {ankiexport.__version__}"
    # Run from elsewhere, so the checkout's own ankiexport/ cannot be imported instead of the wheel's.
    result = run(command, "build", SEED, "-o", tmp_path / "seed.apkg", "--quiet", cwd=tmp_path)
    assert (tmp_path / "seed.apkg").stat().st_size > 0, result.stderr
    where = run(python, "-c", "import ankiexport; print(ankiexport.__file__)", cwd=tmp_path).stdout
    assert str(venv) in where
