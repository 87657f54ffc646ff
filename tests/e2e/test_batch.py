"""Batch builds: folders, fault isolation, reproducibility across --jobs, reports, duplicates, atomicity."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ankiexport import load
from ankiexport.ankifile.reader import read_apkg
from ankiexport.notes import NoteSpec, article_notes
from ankiexport.pipeline import (
    ArticleSpec,
    DeckPlan,
    Options,
    ProgressEvent,
    build_batch,
)
from ankiexport.release import ankicheck

from ..conftest import ROOT, SEED, run_ankiexport
from ..seedlike import ArticleSpec as Spec
from ..seedlike import expected_items, random_spec, write_articles

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


@dataclass(frozen=True)
class Generated:
    path: Path
    spec: Spec

    @property
    def deck(self) -> str:
        return f"{self.spec.subject}::{self.spec.title}"


def notes_of(path: Path) -> list[NoteSpec]:
    loaded = load(path)
    return article_notes(loaded.article, loaded.items)


def write_batch(folder: Path, count: int, seed: int = 0, size: float = 0.5) -> list[Generated]:
    """Seed-shaped text articles on invented subjects (``tests/seedlike.py``, shared with benchmarks)."""
    rng = random.Random(seed)
    specs = [random_spec(rng, index, size=size) for index in range(count)]
    return [Generated(Path(p), spec) for p, spec in zip(write_articles(folder, specs), specs, strict=True)]


def add_bad_files(folder: Path) -> dict[str, str]:
    """Five articles that cannot be built (empty, unparsable, binary, undecodable, unreadable), each with
    the reason the report must give."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.quiz.yaml").write_text("title: Cells\nquestions: [\n", encoding="utf-8")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "latin1.txt").write_bytes(b"caf\xe9 au lait\n\nChapter\n\nTerm: a definition long enough.\n")
    (folder / "moved.txt").symlink_to(folder / "no-longer-here.txt")  # a saved page moved away
    return {"empty.txt": "empty", "broken.quiz.yaml": "invalid YAML", "photo.txt": "binary",
            "latin1.txt": "not UTF-8", "moved.txt": "no such file"}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Generated], dict[str, str]]:
    folder = tmp_path_factory.mktemp("batch") / "course"
    generated = write_batch(folder / "articles", 200)
    bad = add_bad_files(folder / "articles")
    return folder, generated, bad


def test_200_articles_and_5_bad_files(course: tuple[Path, list[Generated], dict[str, str]],
                                      collection: Any) -> None:
    folder, generated, bad = course
    outputs = []
    for jobs in ("1", "2"):
        out, report = folder / f"jobs{jobs}.apkg", folder / f"jobs{jobs}.json"
        done = run_ankiexport("build", folder / "articles", "--merge", "--deck", "Course", "-o", out,
                              "--jobs", jobs, "--report", report, env=EPOCH)
        assert done.returncode == 1, done.stderr  # README: 1 when any article failed
        assert "Traceback" not in done.stderr
        errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
        assert len(errors) == 5, done.stderr
        for name, reason in bad.items():
            assert any(name in line and reason in line for line in errors), (name, done.stderr)
        data = json.loads(report.read_text(encoding="utf-8"))
        assert sorted(Path(f["path"]).name for f in data["failures"]) == sorted(bad)
        assert data["articles"] == {"total": 205, "built": 200, "failed": 5, "duplicates": 0, "unwritten": 0}
        assert data["exit_code"] == 1
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1], "--jobs changed the bytes"

    expected = Counter(item.kind for g in generated for item in expected_items(g.spec))
    for kind in ("definition", "keypoint", "chapter", "takeaway", "faq"):
        assert data["notes"].get(kind, 0) == expected[kind], kind
    # An answer-less quiz question is kept only when the article holds a passage that answers it.
    assert 0 < data["notes"]["quiz"] <= expected["quiz"]
    counts = ankicheck.import_package(collection, folder / "jobs1.apkg")
    assert counts.new == data["notes"]["total"] == sum(r["notes"] for r in data["outputs"])
    decks = {d.name for d in collection.decks.all_names_and_ids()}
    assert f"Course::{generated[0].spec.title}" in decks and f"Course::{generated[-1].spec.title}" in decks


def test_folder_without_merge_gives_one_deck_file_per_article(tmp_path: Path, collection: Any) -> None:
    generated = write_batch(tmp_path / "course" / "week1", 3, seed=7)
    shutil.copy(SEED, tmp_path / "course" / "nmt.txt")
    (tmp_path / "course" / "week1" / "picture.png").write_bytes(b"\x89PNG\r\n")  # not an article: skipped
    done = run_ankiexport("build", tmp_path / "course", "--out-dir", tmp_path / "dist", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    written = sorted(p.relative_to(tmp_path / "dist").as_posix() for p in (tmp_path / "dist").rglob("*.apkg"))
    assert written == sorted(["nmt.apkg", *(f"week1/{g.path.stem}.apkg" for g in generated)])
    ankicheck.import_package(collection, tmp_path / "dist" / "week1" / f"{generated[0].path.stem}.apkg")
    assert {d.name for d in collection.decks.all_names_and_ids()} >= {generated[0].deck}
    # The summary table names every output with its size.
    for name in written:
        assert Path(name).name in done.stdout
    assert "articles  4 (4 built, 0 failed, 0 duplicates)" in done.stdout


REMOTE_IMAGES = """<html><head><title>Cells {n}</title></head><body><main><h1>Cells {n}</h1><h2>Parts</h2><dl>
<dt>Nucleus</dt><dd>The part of the cell that holds its genetic material. <img src="https://example.invalid/{n}a.png"></dd>
<dt>Ribosome</dt><dd>A small particle that builds proteins. <img src="https://example.invalid/{n}b.png"></dd>
</dl></main></body></html>
"""
NOTHING_TO_LEARN = "just a title {n}\n\nSome words without anything to learn in them at all here\n"


def test_warnings_come_by_cause_with_one_remedy_and_the_counts_agree(tmp_path: Path) -> None:
    course = tmp_path / "course"
    course.mkdir()
    for n in range(3):
        (course / f"cells{n}.html").write_text(REMOTE_IMAGES.format(n=n), encoding="utf-8")
        (course / f"bare{n}.txt").write_text(NOTHING_TO_LEARN.format(n=n), encoding="utf-8")
    report = tmp_path / "report.json"
    done = run_ankiexport("build", course, "--out-dir", tmp_path / "dist", "--report", report)
    assert done.returncode == 1, done.stderr  # each bare article's own deck would be empty
    lines = done.stderr.splitlines()
    assert "warning: 6 remote images left out — pass --fetch-media to download them" in lines
    shown = [line for line in lines if "remote image (pass --fetch-media" in line]
    assert len(shown) == 3 and all(line.startswith("  ") for line in shown)
    assert "  … and 3 more (-v lists them all)" in lines
    assert "articles  6 (3 built, 0 failed, 0 duplicates, 3 only in decks not written)" in done.stdout
    assert "decks     3 written, 3 failed" in done.stdout
    data = json.loads(report.read_text(encoding="utf-8"))
    articles = data["articles"]
    assert articles == {"total": 6, "built": 3, "failed": 0, "duplicates": 0, "unwritten": 3}
    assert sum(r["articles"] for r in data["outputs"]) == articles["built"]
    (group,) = data["warning_groups"]
    assert group["cause"] == "remote images left out" and len(group["warnings"]) == 6

    verbose = run_ankiexport("build", course, "--out-dir", tmp_path / "dist", "-v")
    assert sum("remote image (pass --fetch-media" in line for line in verbose.stderr.splitlines()) == 6
    assert "more (-v lists them all)" not in verbose.stderr
    assert "  Cells 0" in verbose.stdout  # each output's decks
    quiet = run_ankiexport("build", course, "--out-dir", tmp_path / "dist", "-q")
    assert quiet.returncode == 1 and quiet.stdout == ""
    assert quiet.stderr and all(line.startswith("error: ") for line in quiet.stderr.splitlines())


def test_quiet_and_not_a_terminal_print_no_progress(tmp_path: Path) -> None:
    write_batch(tmp_path / "c", 2)
    done = run_ankiexport("build", tmp_path / "c", "--out-dir", tmp_path / "d")
    assert done.returncode == 0 and "articles" in done.stdout
    assert all(line.startswith(("warning: ", "  ")) for line in done.stderr.splitlines()), done.stderr
    quiet = run_ankiexport("build", tmp_path / "c", "--out-dir", tmp_path / "d", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    write_batch(tmp_path / "c", 3)
    controller, terminal = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "ankiexport", "build", str(tmp_path / "c"), "--out-dir",
                             str(tmp_path / "d")], stderr=terminal, stdout=subprocess.PIPE, env=env)
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closes when the build ends
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=60) == 0
    os.close(controller)
    text = seen.decode(errors="replace")
    assert "Articles" in text and "3/3" in text and "6/6" not in text, text  # the bar counts articles


def test_progress_goes_to_a_callback(tmp_path: Path) -> None:
    generated = write_batch(tmp_path / "c", 4)
    bad = tmp_path / "c" / "empty.txt"
    bad.write_bytes(b"")
    paths = [g.path for g in generated] + [bad]
    events: list[ProgressEvent] = []
    plan = DeckPlan(tmp_path / "out.apkg", tuple(ArticleSpec(p) for p in paths), deck="All")
    result = build_batch([plan], jobs=2, progress=events.append)
    assert [(e.stage, e.done, e.total) for e in events] == [
        *(("read", i, 5) for i in range(1, 6)), ("write", 5, 5)]
    assert [f.path for f in result.failures] == [str(bad)]
    assert len(result.outputs) == 1 and result.outputs[0].size == (tmp_path / "out.apkg").stat().st_size


def test_a_crash_inside_the_parser_fails_only_that_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug tripped by one article is reported as that article's failure; the rest is built."""
    from ankiexport import prepare

    generated = write_batch(tmp_path / "c", 3)
    real_extract = prepare.extract

    def extract_or_crash(article: Any, kinds: Any = None) -> Any:
        if article.source == str(generated[1].path):
            raise ZeroDivisionError("division by zero")
        return real_extract(article, kinds)

    monkeypatch.setattr(prepare, "extract", extract_or_crash)
    plan = DeckPlan(tmp_path / "out.apkg", tuple(ArticleSpec(g.path) for g in generated), deck="All")
    result = build_batch([plan], jobs=1)
    assert [(f.path, f.stage) for f in result.failures] == [(str(generated[1].path), "article")]
    assert "cannot parse the article (ZeroDivisionError: division by zero)" in result.failures[0].message
    assert len(result.outputs[0].articles) == 2


def test_the_same_page_saved_twice_is_built_once(tmp_path: Path, collection: Any) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    shutil.copy(SEED, folder / "nmt.txt")
    # Saved again later from another address: different chrome around the same article.
    text = SEED.read_text(encoding="utf-8").replace("Save Article Save Article", "Save Article")
    (folder / "nmt-from-another-url.txt").write_text("Get started\n\n" + text, encoding="utf-8")
    out = tmp_path / "out.apkg"
    done = run_ankiexport("build", folder, "-o", out, "--report", tmp_path / "r.json")
    assert done.returncode == 0, done.stderr
    assert "nmt.txt" in done.stderr and "same article as" in done.stderr and "built once" in done.stderr
    assert "warning: 1 article saved twice, built once — remove the copies from the inputs" in done.stderr
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["articles"]["duplicates"] == 1 and data["outputs"][0]["articles"] == 1
    assert ankicheck.import_package(collection, out).new == 37


def test_a_deck_that_cannot_be_written_does_not_stop_the_others(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(f"deck: {name}\narticles: [seed.txt]\n", encoding="utf-8")
    shutil.copy(SEED, tmp_path / "seed.txt")
    (tmp_path / "dist" / "a.apkg").mkdir(parents=True)  # a folder where the deck should go
    done = run_ankiexport("build", tmp_path / "a.yaml", tmp_path / "b.yaml", "--out-dir", tmp_path / "dist",
                          "--report", tmp_path / "r.json")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"error: {tmp_path / 'dist' / 'a.apkg'}: cannot write the deck" in done.stderr
    assert (tmp_path / "dist" / "b.apkg").is_file()
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["decks"] == {"written": 1, "failed": 1} and data["failures"][0]["stage"] == "deck"
    assert [p.name for p in (tmp_path / "dist").iterdir() if p.name.startswith(".")] == []


def test_usage_errors_exit_2_before_any_work(tmp_path: Path) -> None:
    write_batch(tmp_path / "c", 1)
    done = run_ankiexport("build", tmp_path / "c", "--jobs", "0")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    done = run_ankiexport("build", empty_dir)
    assert done.returncode == 2 and "no articles in" in done.stderr
    write_batch(tmp_path / "two", 2)
    done = run_ankiexport("build", tmp_path / "two", "--lock", tmp_path / "x.lock.json", "--out-dir", tmp_path / "d")
    assert done.returncode == 2 and "--lock is for articles built into one deck file" in done.stderr
    assert not (tmp_path / "d").exists()
    (tmp_path / "one" / "x").mkdir(parents=True)
    shutil.copy(SEED, tmp_path / "one" / "x" / "a.txt")
    shutil.copy(SEED, tmp_path / "one" / "a.txt")
    done = run_ankiexport("build", tmp_path / "one" / "a.txt", tmp_path / "one" / "x" / "a.txt",
                          "--out-dir", tmp_path / "d")
    assert done.returncode == 2 and "two decks would both be written to" in done.stderr


def test_sigkill_mid_write_leaves_the_previous_deck(tmp_path: Path) -> None:
    """Stop a real build while its temporary file is being written, check, then SIGKILL it."""
    folder = tmp_path / "c"
    write_batch(folder, 40, size=1.0)  # enough notes for a zip phase of a few milliseconds
    out = tmp_path / "deck.apkg"
    assert run_ankiexport("build", folder, "-o", out, "-q", env=EPOCH).returncode == 0
    previous = out.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1800000000"}
    caught_mid_write = False
    for _attempt in range(20):
        before = {p.name for p in tmp_path.iterdir()}
        proc = subprocess.Popen([sys.executable, "-m", "ankiexport", "build", str(folder), "-o", str(out), "-q",
                                 "--jobs", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        temp = None
        while proc.poll() is None and temp is None:
            temp = next((p for p in tmp_path.iterdir() if p.name.startswith(".deck.apkg.") and p.name not in before),
                        None)
        if temp is not None:
            proc.send_signal(signal.SIGSTOP)  # frozen: if its temporary file is still there, it is mid-write
            caught_mid_write = temp.exists()
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        if caught_mid_write:
            break
        out.write_bytes(previous)  # the build won the race and renamed a complete deck: try again
    assert caught_mid_write, "never caught the build mid-write"
    assert out.read_bytes() == previous
    # The next build is not disturbed by the killed build's leftover temporary file.
    assert run_ankiexport("build", folder, "-o", out, "-q", env=EPOCH).returncode == 0
    assert out.read_bytes() == previous


def children_of(pid: int) -> dict[int, str]:
    """The running processes whose parent is ``pid``, each with its start time (a pid can be reused)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # state, parent, …; start time is the 20th
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(stat.parent.name)] = fields[19]
    return found


def still_running(pid: int, started: str) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[19] == started and fields[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and the parent-death signal")
def test_a_killed_build_leaves_no_worker_and_the_next_build_reclaims_its_scratch_folder(tmp_path: Path) -> None:
    write_batch(tmp_path / "c", 400, size=0.2)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch)}
    command = [sys.executable, "-m", "ankiexport", "build", str(tmp_path / "c"), "-o", str(tmp_path / "deck.apkg"),
               "--deck", "All", "-j", "2", "-q"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Killed while it writes its collection and its workers still read.
    while not any(scratch.glob("ankiexport-*/collection.anki2")) and proc.poll() is None:
        time.sleep(0.01)
    workers = children_of(proc.pid)
    assert proc.poll() is None and len(workers) == 2, "the build ended before it could be killed"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 5
    while any(still_running(*w) for w in workers.items()) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid, started in workers.items() if still_running(pid, started)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], "workers outlived the killed build"
    assert len(list(scratch.glob("ankiexport-*"))) == 1  # the killed build's collection
    next_build = subprocess.run([*command[:4], str(SEED), "-o", str(tmp_path / "next.apkg"), "-q"], env=env)
    assert next_build.returncode == 0
    assert list(scratch.iterdir()) == []


def terminate_mid_build(articles: Path, scratch: Path, deck: Path) -> int:
    """Start a build and send it SIGTERM once its collection is being written (a scratch folder
    appears in TMPDIR); its exit code."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "ankiexport", "build", str(articles), "-o", str(deck),
                             "--deck", "All", "-j", "2", "--quiet"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not any(scratch.glob("ankiexport-*")) and proc.poll() is None:
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=120)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
def test_a_terminated_build_leaves_nothing_behind(tmp_path: Path) -> None:
    """SIGTERM (a cancelled CI job) while the deck is being written: exit 143, and neither the
    half-written collection nor a partial deck is left.

    On a busy machine the build may finish before the signal is handled (exit 0, a whole deck); then
    it is tried again with more articles."""
    for attempt, count in enumerate((150, 500, 1500)):
        write_batch(tmp_path / f"c{attempt}", count, size=0.3)
        scratch, out = tmp_path / f"tmp{attempt}", tmp_path / f"d{attempt}"
        scratch.mkdir()
        code = terminate_mid_build(tmp_path / f"c{attempt}", scratch, out / "deck.apkg")
        assert code in (0, 128 + signal.SIGTERM)
        assert list(scratch.iterdir()) == []
        written = sorted(p.name for p in out.iterdir()) if out.exists() else []
        assert written == (["deck.apkg"] if code == 0 else [])
        if code:
            break
    assert code == 128 + signal.SIGTERM, "every build finished before SIGTERM was handled"


def test_plans_sharing_articles_read_each_once_and_build_alike_with_any_jobs(tmp_path: Path) -> None:
    """Decks are written while their articles arrive: a later plan uses articles an earlier one read,
    in its own order, and the bytes do not depend on the number of processes. (Each plan is its own
    group, as each manifest is: within one group the second copy would count as a duplicate.)"""
    paths = [g.path for g in write_batch(tmp_path / "c", 5)]
    order = {"a": (paths[0], paths[1], paths[2]), "b": (paths[2], paths[3], paths[0]), "c": (paths[4],)}
    digests = []
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}"
        events: list[ProgressEvent] = []
        plans = [DeckPlan(out / f"{name}.apkg", tuple(ArticleSpec(p) for p in articles), deck=name, group=name)
                 for name, articles in order.items()]
        result = build_batch(plans, jobs=jobs, progress=events.append, timestamp=1_700_000_000)
        assert result.ok and result.articles == 5
        assert [e.done for e in events if e.stage == "read"] == list(range(1, 6))  # the articles, each once
        assert [e.stage for e in events].count("write") == 3 and {e.total for e in events} == {5}
        for built, articles in zip(result.outputs, order.values(), strict=True):
            assert built.articles == articles
            written = [n.guid for n in read_apkg(built.output).notes]  # in the order they were written
            assert written == [n.guid for path in articles for n in notes_of(path)]
        digests.append([hashlib.sha256((out / f"{name}.apkg").read_bytes()).hexdigest() for name in order])
    assert digests[0] == digests[1]


def test_a_parallel_build_filters_kinds(tmp_path: Path) -> None:
    paths = [g.path for g in write_batch(tmp_path / "c", 3)]
    for jobs in (1, 2):
        plan = DeckPlan(tmp_path / f"j{jobs}.apkg", tuple(ArticleSpec(p) for p in paths),
                        Options(kinds=("faq", "takeaway")), deck="d")
        result = build_batch([plan], jobs=jobs, timestamp=1_700_000_000)
        assert result.ok
        built = result.outputs[0]
        assert set(built.notes_by_kind) == {"faq", "takeaway"}
        expected = sum(1 for path in paths for item in load(path).items if item.kind in ("faq", "takeaway"))
        assert built.note_count == len(read_apkg(built.output).notes) == expected
