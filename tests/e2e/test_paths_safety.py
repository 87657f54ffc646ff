"""Builds read only inside their folders and never write over an input or a file of another kind.

A manifest may come from someone else's repository: its articles stay inside that repository, its
output inside the output folder. Every refusal is exit 2 with one line naming the file, and leaves
nothing written.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ..conftest import SEED, run_ankiexport


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A deck repository (it has a .git folder) with one article, and a secret file beside it."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "articles").mkdir()
    shutil.copy(SEED, root / "articles" / "nmt.txt")
    shutil.copy(SEED, tmp_path / "secret.txt")  # outside the repository
    return root


def manifest(repo: Path, body: str) -> Path:
    path = repo / "sources" / "deck.yaml"
    path.write_text("deck: Course\n" + body, encoding="utf-8")
    return path


def refused(done: object, *phrases: str) -> None:
    assert done.returncode == 2, done.stderr
    stderr = done.stderr
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    for phrase in phrases:
        assert phrase in stderr, stderr


@pytest.mark.parametrize(("output", "why"), [
    ("/tmp/anywhere/evil.apkg", "is an absolute path"),
    ("../../escaped.apkg", "climbs out of the output folder"),
    ("deck.lock.json", "does not name an .apkg file"),
    ('"\\u0000.apkg"', "holds a control character"),
])
def test_a_manifest_output_outside_the_output_folder_is_refused(repo: Path, output: str, why: str) -> None:
    path = manifest(repo, f"articles: [../articles/nmt.txt]\noutput: {output}\n")
    done = run_ankiexport("build", path, "--out-dir", repo / "dist")
    refused(done, f"{path}:3: key 'output' {why}", "inside the output folder")
    assert not (repo / "dist").exists() and not (repo.parent / "escaped.apkg").exists()


def test_a_manifest_output_in_a_subfolder_is_fine(repo: Path) -> None:
    path = manifest(repo, "articles: [../articles/nmt.txt]\noutput: biology/./cells.apkg\n")
    done = run_ankiexport("build", path, "--out-dir", repo / "dist")
    assert done.returncode == 0, done.stderr
    assert (repo / "dist" / "biology" / "cells.apkg").is_file()


@pytest.mark.parametrize("entry", ["/etc/passwd", "../../secret.txt", "../../*.txt", "/etc/**/*.conf"])
def test_a_manifest_reading_outside_its_repository_is_refused(repo: Path, entry: str) -> None:
    path = manifest(repo, f"articles: ['{entry}']\n")
    done = run_ankiexport("build", path, "--out-dir", repo / "dist")
    refused(done, f"{path}:2: key 'articles'", "outside the manifest's repository", "--allow-outside")
    assert not (repo / "dist").exists()


def test_a_manifest_article_linking_out_of_the_repository_is_refused(repo: Path) -> None:
    (repo / "articles" / "link.txt").symlink_to(repo.parent / "secret.txt")
    path = manifest(repo, "articles: ['../articles/*.txt']\n")
    refused(run_ankiexport("build", path, "--out-dir", repo / "dist"), "link.txt links to a file outside")
    allowed = run_ankiexport("build", path, "--out-dir", repo / "dist", "--allow-outside")
    assert allowed.returncode == 0, allowed.stderr


def test_allow_outside_lets_a_trusted_manifest_read_beside_the_repository(repo: Path) -> None:
    path = manifest(repo, "articles: [../../secret.txt]\n")
    done = run_ankiexport("build", path, "--out-dir", repo / "dist", "--allow-outside")
    assert done.returncode == 0, done.stderr


def test_without_git_the_current_folder_is_the_repository(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "sources").mkdir(parents=True)
    shutil.copy(SEED, project / "nmt.txt")
    (project / "sources" / "d.yaml").write_text("deck: D\narticles: [../nmt.txt]\n", encoding="utf-8")
    done = run_ankiexport("build", "sources/d.yaml", "--out-dir", "dist", cwd=project)
    assert done.returncode == 0, done.stderr
    # From a folder that does not hold the manifest, only the manifest's own folder is trusted.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    refused(run_ankiexport("build", project / "sources" / "d.yaml", "--out-dir", tmp_path / "dist", cwd=elsewhere),
            "outside the manifest's repository")


def test_a_folder_build_does_not_follow_a_link_out_of_the_folder(tmp_path: Path) -> None:
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(SEED, course / "nmt.txt")
    (course / "stolen.txt").symlink_to(SEED)  # a file outside the folder
    done = run_ankiexport("build", course, "--out-dir", tmp_path / "dist")
    refused(done, "stolen.txt links to", f"outside {course}", "--allow-outside")
    assert not (tmp_path / "dist").exists()
    inside = course / "inner-link.txt"
    (course / "stolen.txt").unlink()
    inside.symlink_to(course / "nmt.txt")  # a link that stays inside is fine
    done = run_ankiexport("build", course, "-o", tmp_path / "c.apkg")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("flag", ["-o", "--report"])
def test_build_never_writes_over_its_input(tmp_path: Path, flag: str) -> None:
    article = tmp_path / "nmt.txt"
    shutil.copy(SEED, article)
    before = article.read_bytes()
    args = ["-o", article] if flag == "-o" else ["-o", tmp_path / "d.apkg", "--report", article]
    done = run_ankiexport("build", article, *args)
    refused(done, "is one of the inputs", "--force")
    assert article.read_bytes() == before and not (tmp_path / "d.apkg").exists()


def test_build_does_not_write_over_a_manifest_it_reads(repo: Path) -> None:
    path = manifest(repo, "articles: [../articles/nmt.txt]\n")
    before = path.read_bytes()
    refused(run_ankiexport("build", path, "-o", path), "is one of the inputs")
    assert path.read_bytes() == before


def test_preview_never_writes_over_its_input(tmp_path: Path) -> None:
    article = tmp_path / "page.html"
    article.write_text("<html><body><h1>Cells</h1><p><b>Cell</b>: the unit of life.</p></body></html>",
                       encoding="utf-8")
    before = article.read_bytes()
    refused(run_ankiexport("preview", article, "-o", article), "is one of the inputs")
    assert article.read_bytes() == before


def test_an_existing_file_of_another_kind_is_kept_unless_forced(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes\n", encoding="utf-8")
    refused(run_ankiexport("build", SEED, "-o", notes), "exists and is not a .apkg file", "--force")
    assert notes.read_text(encoding="utf-8") == "my own notes\n"
    fake = tmp_path / "fake.apkg"
    fake.write_text("not a deck", encoding="utf-8")
    refused(run_ankiexport("build", SEED, "-o", fake), "exists and is not a .apkg file")
    page = tmp_path / "essay.html"
    page.write_text("an essay, not a page", encoding="utf-8")
    refused(run_ankiexport("preview", SEED, "-o", page), "exists and is not a .html or .htm file")
    forced = run_ankiexport("build", SEED, "-o", notes, "--force")
    assert forced.returncode == 0, forced.stderr
    assert notes.read_bytes().startswith(b"PK")


def test_rebuilding_over_the_previous_deck_and_page_is_fine(tmp_path: Path) -> None:
    deck, page = tmp_path / "d.apkg", tmp_path / "p.html"
    for _ in range(2):
        assert run_ankiexport("build", SEED, "-o", deck).returncode == 0
        assert run_ankiexport("preview", SEED, "-o", page).returncode == 0
    assert sorted(os.listdir(tmp_path)) == ["d.apkg", "p.html"]
