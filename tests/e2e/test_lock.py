"""The lock file: a release updates exactly the edited notes in a student's collection (real Anki)."""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from ankiexport import notes, pipeline
from ankiexport.ankifile import lock
from ankiexport.ankifile.writer import DeckSpec
from ankiexport.notetypes import DEFINITION
from ankiexport.release import ankicheck

from ..conftest import ROOT, SEED
from ..conftest import run_ankiexport as run_subprocess
from .test_diff import edited_copy
from .test_verify import run_ankiexport

V1, V2 = 1_700_000_000, 1_700_086_400


def build(article: Path, out: Path, lock_file: Path, epoch: int) -> Path:
    done = run_ankiexport("build", article, "-o", out, "--lock", lock_file, env={"SOURCE_DATE_EPOCH": str(epoch)})
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def locked_releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("locked")
    lock_file = root / "nmt.lock.json"
    v1 = build(SEED, root / "v1.apkg", lock_file, V1)
    v2 = build(edited_copy(root / "edited"), root / "v2.apkg", lock_file, V2)
    return v1, v2, lock_file


def test_import_v1_then_v2_updates_exactly_the_two_edited_notes(locked_releases: tuple[Path, Path, Path],
                                                                 tmp_path: Path) -> None:
    v1, v2, _ = locked_releases
    col_path = tmp_path / "student.anki2"
    with ankicheck.open_collection(col_path) as col:
        assert ankicheck.import_package(col, v1).new == 37
        log = ankicheck.import_log(col, v2)
    assert (len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)) == (0, 2, 35, 0)
    done = run_ankiexport("diff", v1, v2, "--format", "json")
    changed = json.loads(done.stdout)["changed"]
    assert sorted(c["guid"] for c in changed) == sorted(log.updated)
    with ankicheck.open_collection(col_path) as col:
        fields = [n.fields for n in ankicheck.stored_notes(col, render=False) if n.guid in log.updated]
    assert {f.get("Definition", f.get("Answer", ""))[:60] for f in fields} == {
        "A therapeutic approach that involves the targeted use of man",
        "Neuromuscular therapy can help treat conditions such as chro"}
    assert any("ease pain" in f.get("Definition", "") for f in fields)
    assert any("muscle stiffness" in f.get("Answer", "") for f in fields)


def test_the_lock_records_mods_and_verify_accepts_the_upgrade(locked_releases: tuple[Path, Path, Path]) -> None:
    v1, v2, lock_file = locked_releases
    entries = json.loads(lock_file.read_text())["notes"]
    assert sorted(e["mod"] for e in entries.values()).count(V2) == 2
    assert sorted(e["mod"] for e in entries.values()).count(V1) == 35
    assert {t["mod"] for t in json.loads(lock_file.read_text())["note_types"].values()} == {V1}
    done = run_ankiexport("verify", v2, "--previous", v1)
    assert done.returncode == 0, done.stdout
    assert "0 new, 2 updated, 35 unchanged, 0 conflicting" in done.stdout


def test_an_unchanged_rebuild_with_a_later_epoch_is_byte_identical(locked_releases: tuple[Path, Path, Path],
                                                                   tmp_path: Path) -> None:
    _, v2, lock_file = locked_releases
    copy = shutil.copy(lock_file, tmp_path / "lock.json")
    again = build(edited_copy(tmp_path / "edited"), tmp_path / "again.apkg", Path(copy), V2 + 999_999)
    assert again.read_bytes() == v2.read_bytes()
    assert Path(copy).read_text() == lock_file.read_text()


def test_student_edits_to_untouched_notes_survive_the_release(tmp_path: Path) -> None:
    # The student edits a note after v1 (its mod becomes now); v2 is built later still. Without a lock
    # every note of v2 is newer than the student's edit and overwrites it; with the lock only the two
    # edited notes are newer.
    later = int(time.time()) + 86_400
    survived = {}
    for use_lock in (True, False):
        folder = tmp_path / ("with" if use_lock else "without")
        folder.mkdir()
        lock_file = folder / "lock.json"
        if use_lock:
            v1 = build(SEED, folder / "v1.apkg", lock_file, V1)
            v2 = build(edited_copy(folder / "edited"), folder / "v2.apkg", lock_file, later)
        else:
            v1, v2 = folder / "v1.apkg", folder / "v2.apkg"
            for source, out, epoch in ((SEED, v1, V1), (edited_copy(folder / "edited"), v2, later)):
                assert run_ankiexport("build", source, "-o", out,
                                      env={"SOURCE_DATE_EPOCH": str(epoch)}).returncode == 0
        col_path = folder / "student.anki2"
        with ankicheck.open_collection(col_path) as col:
            ankicheck.import_package(col, v1)
            note = next(col.get_note(nid) for nid in col.find_notes('"Term:Neuromuscular Therapy (NMT)"'))
            note["Example"] = "My own mnemonic."
            col.update_note(note)
            ankicheck.import_package(col, v2)
        with ankicheck.open_collection(col_path) as col:
            note = next(col.get_note(nid) for nid in col.find_notes('"Term:Neuromuscular Therapy (NMT)"'))
            survived[use_lock] = note["Example"] == "My own mnemonic."
    assert survived == {True: True, False: False}


NEW_CSS = "\n.ae-prompt { color: #8a2be2; }\n"
NEW_FRONT = '<div class="ae-kicker">Define</div>'


def _restyled(monkeypatch: pytest.MonkeyPatch, what: str = "css") -> None:
    if what == "css":
        restyled = dataclasses.replace(DEFINITION, css=DEFINITION.css + NEW_CSS)
    else:
        first, *rest = DEFINITION.templates
        restyled = dataclasses.replace(
            DEFINITION, templates=(dataclasses.replace(first, front=NEW_FRONT + first.front), *rest))
    monkeypatch.setattr(notes, "DEFINITION", restyled)


@pytest.mark.parametrize("what", ["css", "template"])
def test_a_look_change_reaches_a_collection_holding_the_previous_release(
        what: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lock_file = tmp_path / "lock.json"
    v1 = pipeline.build([SEED], tmp_path / "v1.apkg", timestamp=V1, lock=lock_file).output
    _restyled(monkeypatch, what)
    v2 = pipeline.build([SEED], tmp_path / "v2.apkg", timestamp=V2, lock=lock_file).output
    recorded = {int(k): v["mod"] for k, v in json.loads(lock_file.read_text())["note_types"].items()}
    assert recorded == {DEFINITION.id: V2, notes.QA.id: V1, notes.QUIZ.id: V1}
    col_path = tmp_path / "student.anki2"
    with ankicheck.open_collection(col_path) as col:
        ankicheck.import_package(col, v1)
    with ankicheck.open_collection(col_path) as col:
        log = ankicheck.import_log(col, v2)
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 0, 0)  # no note content changed
    with ankicheck.open_collection(col_path) as col:  # reopened: the open one may cache note types
        looks = ankicheck.note_type_looks(col)
    templates, css = looks[DEFINITION.id]
    if what == "css":
        assert css.endswith(NEW_CSS) and templates[0][1] == DEFINITION.templates[0].front
    else:
        assert templates[0][1].startswith(NEW_FRONT) and css == DEFINITION.css
    assert run_ankiexport("verify", v2, "--previous", v1).returncode == 0


def test_without_the_lock_a_css_change_at_the_same_epoch_is_caught_by_verify(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    v1 = pipeline.build([SEED], tmp_path / "v1.apkg", timestamp=V1).output
    _restyled(monkeypatch)
    v2 = pipeline.build([SEED], tmp_path / "v2.apkg", timestamp=V1).output
    done = run_ankiexport("verify", v2, "--previous", v1)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [f"{v2}: note type 'ankiexport Definition': templates or CSS changed but its "
                                        "mod is not newer — students would keep the old look: rebuild with the "
                                        "lock file (Anki kept the old one)"]


def test_removed_notes_stay_retired_and_edits_always_move_forward(tmp_path: Path) -> None:
    lock_file = tmp_path / "lock.json"
    pipeline.build([SEED], tmp_path / "all.apkg", timestamp=V2, lock=lock_file)
    # A later build with only definitions, at an *earlier* epoch (a clock or tag mistake).
    pipeline.build([SEED], tmp_path / "defs.apkg", timestamp=V1, lock=lock_file,
                   options=pipeline.Options(kinds=("definition",), extra_tags=("v2",)))
    entries = json.loads(lock_file.read_text())["notes"]
    retired = [e for e in entries.values() if e.get("retired")]
    live = [e for e in entries.values() if not e.get("retired")]
    assert len(entries) == 37 and len(live) == 4 and len(retired) == 33
    assert {e["mod"] for e in live} == {V2 + 1}  # the tag changed them: newer than recorded, whatever the epoch
    assert all(e["item"].startswith("definition · ") for e in live)


def test_a_lock_entry_names_its_note_by_the_front_s_text() -> None:
    front = "How H<sub>2</sub>O &amp; <i>CO<sub>2</sub></i>\n cross\u00a0 a membrane"
    note = notes.NoteSpec("g1", DEFINITION, (front, "Back"), (), "definition", ("Cells", "Transport"), "a.txt", 3)
    locked = lock.apply_lock([DeckSpec("Cells", (note,))], lock.EMPTY, V1)
    assert locked.lock.notes["g1"].item == "definition · Cells › Transport · How H2O & CO2 cross a membrane"


def test_a_manifest_build_keeps_its_lock_beside_it(tmp_path: Path) -> None:
    for name in ("sources", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "sources" / "neuromuscular-therapy.lock.json").unlink(missing_ok=True)
    done = run_subprocess("build", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": str(V1)})
    assert done.returncode == 0, done.stderr
    written: dict[str, Any] = json.loads((tmp_path / "sources" / "neuromuscular-therapy.lock.json").read_text())
    assert len(written["notes"]) == 37
    done = run_subprocess("build", "sources/neuromuscular-therapy.yaml", "--lock", "x.json", cwd=tmp_path)
    assert done.returncode == 2 and "--lock is for article builds" in done.stderr


def test_a_malformed_lock_is_one_line_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.lock.json"
    bad.write_text('{"format": 1,\n "notes": {\n')
    done = run_ankiexport("build", SEED, "-o", tmp_path / "x.apkg", "--lock", bad)
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {bad}:3: the lock file is not valid JSON")
    assert not (tmp_path / "x.apkg").exists()
    assert lock.read_lock(tmp_path / "missing.json") == lock.EMPTY
