"""The command line end to end: build, inspect, manifests, errors, exit codes, reproducibility."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import click
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


def test_inspect_takes_what_build_takes(tmp_path: Path) -> None:
    """Folders and manifests too, read as build reads them: the manifest's renames, --kinds, errors
    reported by article while the others are shown."""
    shutil.copy(SEED, tmp_path / "seed.txt")
    manifest = tmp_path / "course.yaml"
    manifest.write_text("deck: Course\narticles: [seed.txt]\noverrides:\n  seed.txt:\n    chapters:\n"
                        "      Neuromuscular Therapy Definition: What it is\n", encoding="utf-8")
    done = run_ankiexport("inspect", manifest, "--json", "--kinds", "definition")
    assert done.returncode == 0, done.stderr
    (data,) = json.loads(done.stdout)  # a manifest gives a list: one object per article
    assert data["path"].endswith("seed.txt") and {i["kind"] for i in data["items"]} == {"definition"}
    assert data["items"][0]["chapter"] == "What it is"

    folder = tmp_path / "course"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    shutil.copy(ROOT / "tests" / "fixtures" / "articles" / "photosynthesis.txt", folder / "b.txt")
    (folder / "c.txt").write_bytes(b"")
    done = run_ankiexport("inspect", folder)
    assert done.returncode == 1  # c.txt is empty: reported, the others shown
    assert "Neuromuscular Therapy" in done.stdout and "Photosynthesis" in done.stdout
    assert [line for line in done.stderr.splitlines() if line.startswith("error: ")] == [
        line for line in done.stderr.splitlines() if "c.txt" in line]
    (tmp_path / "other").mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "articles" / "zellatmung.txt", tmp_path / "other" / "a.txt")
    same_names = run_ankiexport("inspect", folder / "a.txt", tmp_path / "other" / "a.txt", "--json")
    assert same_names.returncode == 0 and len(json.loads(same_names.stdout)) == 2, same_names.stderr
    quiet = run_ankiexport("inspect", ROOT / "tests" / "fixtures" / "quizzes" / "enzymes.html", "-q")
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout


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


# Path parameters a command writes: every other path parameter is an input, which must exist.
WRITTEN = {"output", "out_dir", "report", "lock_file"}


def example_lines(command: click.Command) -> list[str]:
    assert command.epilog and command.epilog.startswith("\b\nExamples:\n"), command.name
    return [line.strip() for line in command.epilog.splitlines()[2:]]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_help_ends_with_examples_whose_inputs_exist(name: str) -> None:
    command = main.commands[name]
    for flag in ("-h", "--help"):
        done = run_ankiexport(name, flag)
        assert done.returncode == 0 and done.stdout.rstrip().endswith(example_lines(command)[-1]), done.stdout
    written: list[Path] = []
    for line in example_lines(command):
        args = shlex.split(line, comments=True)
        assert args[0] == "ankiexport", line
        if "-h" in args or args[1] not in main.commands:
            continue
        sub = main.commands[args[1]]
        ctx = sub.make_context(args[1], args[2:], resilient_parsing=True)
        for param in sub.params:
            if not isinstance(param.type, click.Path) or ctx.params.get(param.name) is None:
                continue
            values = ctx.params[param.name]
            for value in values if isinstance(values, tuple) else (values,):
                if param.name in WRITTEN:
                    written.append(Path(value))
                    continue
                # An input is in the repository, or written by an earlier example (a file, or a deck in a folder).
                assert (ROOT / value).exists() or Path(value) in written or Path(value).parent in written, line


def test_completion_scripts_come_from_click() -> None:
    for shell, needle in (("bash", "complete -o nosort -F"), ("zsh", "compdef"), ("fish", "complete --no-files")):
        done = run_ankiexport(env={"_ANKIEXPORT_COMPLETE": f"{shell}_source"})
        assert done.returncode == 0 and needle in done.stdout, (shell, done.stdout)
