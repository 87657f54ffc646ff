"""The command line end to end: build, inspect, manifests, errors, exit codes, reproducibility."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ankiexport.cli import main

from ..conftest import ROOT, SEED, run_ankiexport


def test_inspect_json_for_scripts() -> None:
    done = run_ankiexport("inspect", SEED, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"title", "subject", "language", "chapters", "items"} <= data.keys()
    assert data["title"] == "Neuromuscular Therapy" and data["subject"] == "Medicine"
    assert len(data["chapters"]) == 10
    first = data["items"][0]
    assert first == {"kind": "definition", "chapter": "Neuromuscular Therapy Definition", "line": 35,
                     "fields": first["fields"]}
    assert first["fields"]["term"] == "Neuromuscular Therapy"


def test_inspect_table_for_people() -> None:
    done = run_ankiexport("inspect", SEED)
    assert done.returncode == 0
    assert "Neuromuscular Therapy" in done.stdout and "37 items" in done.stdout


def test_build_without_arguments_builds_sources_into_dist(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    done = run_ankiexport("build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dist" / "neuromuscular-therapy.apkg").stat().st_size > 1000


def test_same_epoch_gives_identical_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.apkg", tmp_path / "b.apkg"
    for out in (a, b):
        assert run_ankiexport("build", SEED, "-o", out, env={"SOURCE_DATE_EPOCH": "1700000000"}).returncode == 0
    assert a.read_bytes() == b.read_bytes()


def test_deck_option_overrides_the_deck_name(tmp_path: Path, collection: object) -> None:
    from ankiexport.release import ankicheck
    out = tmp_path / "x.apkg"
    assert run_ankiexport("build", SEED, "-o", out, "--deck", "Course::Week 1").returncode == 0
    ankicheck.import_package(collection, out)
    assert {n.decks for n in ankicheck.stored_notes(collection, render=False)} == {("Course::Week 1",)}


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"caf\xe9 au lait\n\nChapter\n\nTerm: a definition that is long enough.\n", "not UTF-8"),
])
def test_bad_articles_fail_with_one_line(tmp_path: Path, content: bytes, reason: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    out = tmp_path / "out.apkg"
    done = run_ankiexport("build", bad, "-o", out)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and reason in lines[0] and " — " in lines[0]
    assert not out.exists()


def test_article_without_items_writes_no_deck(tmp_path: Path) -> None:
    bare = tmp_path / "bare.txt"
    bare.write_text("just a title\n\nSome words without anything to learn in them at all here\n", encoding="utf-8")
    out = tmp_path / "out.apkg"
    done = run_ankiexport("build", bare, "-o", out)
    assert done.returncode == 1 and "no learnable items" in done.stderr
    assert not out.exists()
    inspected = run_ankiexport("inspect", bare)
    assert inspected.returncode == 0 and f"no learnable items found in {bare}" in inspected.stderr


def test_failed_build_keeps_the_previous_deck(tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    assert run_ankiexport("build", SEED, "-o", out).returncode == 0
    before = out.read_bytes()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert run_ankiexport("build", empty, "-o", out).returncode == 1
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def manifest(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    shutil.copy(SEED, tmp_path / "seed.txt")
    return path


def test_manifest_builds_its_deck(tmp_path: Path) -> None:
    path = manifest(tmp_path, "deck: Course::NMT\narticles:\n  - seed.txt\noutput: nmt.apkg\n")
    done = run_ankiexport("build", path, "--out-dir", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "nmt.apkg").exists()


@pytest.mark.parametrize(("text", "line", "needle"), [
    ("deck: X\narticels:\n  - seed.txt\n", 2, "did you mean 'articles'"),
    ("deck: X\narticles: seed.txt\n", 2, "must be a list"),
    ("articles:\n  - seed.txt\n", 1, "missing key 'deck'"),
    ("deck: X\narticles:\n  - seed.txt\n  - missing.txt\n", 4, "no file matches 'missing.txt'"),
    ("deck: X\narticles: [seed.txt\n", 3, "invalid YAML"),
])
def test_manifest_errors_name_file_line_and_key(tmp_path: Path, text: str, line: int, needle: str) -> None:
    path = manifest(tmp_path, text)
    done = run_ankiexport("build", path, "--out-dir", tmp_path / "out")
    assert done.returncode == 2
    assert f"{path}:{line}:" in done.stderr and needle in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_every_command_has_help_with_an_example() -> None:
    # That each command is documented is tests/e2e/test_docs.py's business.
    for name, command in main.commands.items():
        assert command.help and "Example:" in command.help, name
