"""`ankiexport verify`: each defect of a published deck gives a non-zero exit and one line naming it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path

import genanki
import pytest
from click.testing import CliRunner

from ankiexport.cli import main
from ankiexport.release import verify

from ..conftest import SEED

EPOCH = "1700000000"


def run_ankiexport(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in this process (a subprocess per call costs seconds on a busy machine); the console
    entry point itself is covered by tests/e2e/test_cli.py and tests/e2e/test_reproducible.py."""
    result = CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def good_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("verify") / "nmt.apkg"
    done = run_ankiexport("build", SEED, "-o", out, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert done.returncode == 0, done.stderr
    return out


def tampered(src: Path, dst: Path, sql: Sequence[tuple[str, tuple[object, ...]]] = (),
             media: dict[str, str] | None = None) -> Path:
    """A copy of ``src`` with SQL applied to its collection (and optionally another media map)."""
    with zipfile.ZipFile(src) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    db = dst.with_suffix(".sqlite")
    db.write_bytes(entries["collection.anki2"])
    conn = sqlite3.connect(db)
    for statement, params in sql:
        conn.execute(statement, params)
    conn.commit()
    conn.close()
    entries["collection.anki2"] = db.read_bytes()
    if media is not None:
        entries["media"] = json.dumps(media).encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return dst


def first_guids(deck: Path, n: int = 2) -> list[str]:
    with zipfile.ZipFile(deck) as archive:
        data = archive.read("collection.anki2")
    db = deck.with_suffix(".read.sqlite")
    db.write_bytes(data)
    conn = sqlite3.connect(db)
    guids = [g for (g,) in conn.execute("SELECT guid FROM notes ORDER BY id LIMIT ?", (n,))]
    conn.close()
    return guids


def problems_of(deck: Path, *extra: str) -> list[str]:
    done = run_ankiexport("verify", deck, *extra)
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stdout.splitlines()
    assert lines and all(line.startswith(str(deck)) or "previous" in line for line in lines), lines
    return lines


def test_a_good_deck_passes_every_check(good_deck: Path) -> None:
    done = run_ankiexport("verify", good_deck)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "37 notes, 37 cards; checked structure, import and rendering" in done.stdout


def test_json_for_scripts(good_deck: Path, tmp_path: Path) -> None:
    done = run_ankiexport("verify", good_deck, "--previous", good_deck, "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True and report["problems"] == [] and report["rendered"] is True
    assert (report["notes"], report["cards"]) == (37, 37)
    assert report["upgrade"] == {"new": 0, "updated": 0, "unchanged": 37, "conflicting": 0}
    truncated = tmp_path / "truncated.apkg"
    truncated.write_bytes(good_deck.read_bytes()[:500])
    done = run_ankiexport("verify", truncated, "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["ok"] is False and "not a zip archive" in report["problems"][0] and report["upgrade"] is None


def test_a_corrupt_zip_fails(good_deck: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.apkg"
    data = bytearray(good_deck.read_bytes())
    data[len(data) // 3: len(data) // 3 + 64] = b"\0" * 64  # damage compressed data, keep the directory
    broken.write_bytes(bytes(data))
    (line,) = problems_of(broken)
    assert "damaged" in line and "rebuild" in line

    truncated = tmp_path / "truncated.apkg"
    truncated.write_bytes(good_deck.read_bytes()[:500])
    (line,) = problems_of(truncated)
    assert "not a zip archive" in line


def test_a_duplicate_guid_fails(good_deck: Path, tmp_path: Path) -> None:
    one, two = first_guids(good_deck)
    deck = tampered(good_deck, tmp_path / "dup.apkg", [("UPDATE notes SET guid = ? WHERE guid = ?", (one, two))])
    (line,) = problems_of(deck)
    assert f"GUID '{one}' is used by 2 notes" in line


def test_a_missing_media_file_fails(good_deck: Path, tmp_path: Path) -> None:
    (guid,) = first_guids(good_deck, 1)
    deck = tampered(good_deck, tmp_path / "media.apkg", [(
        "UPDATE notes SET flds = replace(flds, char(31), ? || char(31)) WHERE guid = ?",
        ('<img src="muscle-diagram.png">', guid))])
    lines = problems_of(deck)
    assert lines == [f"{deck}: note {guid}: refers to media file 'muscle-diagram.png', which is not in the "
                     "package — add the file or remove the reference"]


def test_a_media_map_entry_without_its_file_fails(good_deck: Path, tmp_path: Path) -> None:
    deck = tampered(good_deck, tmp_path / "map.apkg", media={"0": "chart.png"})
    (line,) = problems_of(deck)
    assert "media map: entry '0' ('chart.png') is not in the zip" in line


def test_an_empty_front_fails_when_rendered(good_deck: Path, tmp_path: Path) -> None:
    # A Definition note asking for its reverse card while the Definition and Chapter it shows are
    # empty: the first field is fine, so only rendering the card finds the blank front.
    (guid,) = first_guids(good_deck, 1)
    fields = "\x1f".join(["Neuromuscular Therapy", "", "", "", "source", "y"])
    deck = tampered(good_deck, tmp_path / "front.apkg", [
        ("UPDATE notes SET flds = ? WHERE guid = ?", (fields, guid)),
        ("INSERT INTO cards SELECT id + 1, nid, did, 1, mod, usn, type, queue, due + 1000, ivl, factor, reps,"
         " lapses, left, odue, odid, flags, data FROM cards WHERE nid = (SELECT id FROM notes WHERE guid = ?)",
         (guid,)),
    ])
    assert verify.structure_problems(verify.read_apkg(deck)) == []
    (line,) = problems_of(deck)
    assert f"note {guid} card 2 (ankiexport Definition): empty front" in line


def test_an_empty_first_field_fails_without_anki(good_deck: Path, tmp_path: Path) -> None:
    (guid,) = first_guids(good_deck, 1)
    deck = tampered(good_deck, tmp_path / "first.apkg", [
        ("UPDATE notes SET flds = '<b> </b>' || substr(flds, instr(flds, char(31))) WHERE guid = ?", (guid,))])
    report = verify.verify(deck, use_anki=False)
    assert report.problems == (f"{deck}: note {guid} (ankiexport Definition): the first field 'Term' is empty — "
                               "Anki skips such notes on import: fill it or drop the item",)
    assert report.skipped, "the report says that import and rendering were not checked"


def test_invalid_tags_fail(good_deck: Path, tmp_path: Path) -> None:
    (guid,) = first_guids(good_deck, 1)
    deck = tampered(good_deck, tmp_path / "tags.apkg", [
        ("UPDATE notes SET tags = ' Medicine::::Muscles kind::\"x\" ' WHERE guid = ?", (guid,))])
    problems = verify.verify(deck, use_anki=False).problems
    assert [p.split(": invalid tag ")[1].split(" —")[0] for p in problems] == ["'Medicine::::Muscles'",
                                                                             "'kind::\"x\"'"]


def test_upgrade_with_an_edit_but_the_same_mod_fails(good_deck: Path, tmp_path: Path) -> None:
    (guid,) = first_guids(good_deck, 1)
    edited = tampered(good_deck, tmp_path / "edited.apkg", [
        ("UPDATE notes SET flds = replace(flds, 'manual therapy', 'hands-on therapy') WHERE guid = ?", (guid,))])
    lines = problems_of(edited, "--previous", good_deck)
    assert any(f"note {guid}" in line and "is not newer" in line for line in lines), lines
    assert len(lines) == 1 and "Anki left it as it was" in lines[0], lines


def test_upgrade_with_a_changed_guid_fails(good_deck: Path, tmp_path: Path) -> None:
    (guid,) = first_guids(good_deck, 1)
    churned = tampered(good_deck, tmp_path / "churn.apkg", [
        ("UPDATE notes SET guid = 'brand-new', mod = mod + 10 WHERE guid = ?", (guid,))])
    lines = problems_of(churned, "--previous", good_deck)
    assert any(f"re-adds removed note {guid} under a new GUID" in line for line in lines), lines


def test_upgrade_from_itself_is_clean(good_deck: Path) -> None:
    done = run_ankiexport("verify", good_deck, "--previous", good_deck)
    assert done.returncode == 0, done.stdout
    assert "0 new, 0 updated, 37 unchanged, 0 conflicting" in done.stdout


def test_a_missing_previous_release_is_one_problem_line(good_deck: Path, tmp_path: Path) -> None:
    missing = tmp_path / "gone.apkg"
    lines = problems_of(good_deck, "--previous", missing)
    assert lines == [f"{missing}: no such file — check the path (the previous release)"]


def foreign_deck(path: Path, front: str, field: str) -> Path:
    """A deck written by genanki alone, with a note type and a field of its author's."""
    model = genanki.Model(1_607_392_319, "Someone's Basic", fields=[{"name": "Front"}, {"name": "Back"}],
                          templates=[{"name": "Card 1", "qfmt": front, "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}])
    deck = genanki.Deck(2_059_400_110, "Shared deck")
    deck.add_note(genanki.Note(model=model, fields=["A question", field], guid="foreign-1"))
    genanki.Package(deck).write_to_file(str(path))
    return path


def test_tex_that_runs_in_a_foreign_deck_fails(tmp_path: Path) -> None:
    hostile = foreign_deck(
        tmp_path / "hostile.apkg", front=r"{{Front}} \(\href{javascript:alert(1)}{more}\)",
        field=r"See \(&#92;style{background-image: url(http://ae-blocked.invalid/x)}{x}\) and \(\hr<!-- -->ef{y}{z}\)")
    lines = problems_of(hostile)
    assert lines == [
        f"{hostile}: note type \"Someone's Basic\", card 'Card 1' (front): TeX \\href can run script or load "
        "URLs in Anki's reviewer — remove it (`ankiexport build` defuses it)",
        f"{hostile}: note foreign-1: field 'Back': TeX \\href \\style can run script or load URLs in Anki's "
        "reviewer — remove it (`ankiexport build` defuses it)",
    ]
    safe = foreign_deck(tmp_path / "safe.apkg", front="{{Front}}", field=r"\(\frac{a}{b}\) and \(\sqrt{2}\)")
    done = run_ankiexport("verify", safe)
    assert done.returncode == 0, done.stdout + done.stderr


def test_html_that_runs_or_loads_in_a_foreign_deck_fails(tmp_path: Path) -> None:
    hostile = foreign_deck(
        tmp_path / "hostile.apkg", front='{{Front}}<img src="https://tracker.invalid/p.gif">',
        field='<img src="data:," onerror=alert(1)> <a href="jav&#97;script:alert(2)">more</a> <iframe></iframe>')
    lines = problems_of(hostile)
    assert lines == [
        f"{hostile}: note type \"Someone's Basic\", card 'Card 1' (front): HTML remote src can run script or "
        "load URLs in Anki's reviewer — remove it (`ankiexport build` sanitises fields)",
        f"{hostile}: note foreign-1: field 'Back': HTML <iframe> href=javascript: onerror= can run script or "
        "load URLs in Anki's reviewer — remove it (`ankiexport build` sanitises fields)",
    ]
    model = genanki.Model(1_607_392_320, "Styled", fields=[{"name": "Front"}, {"name": "Back"}],
                          templates=[{"name": "Card 1", "qfmt": "<script>var shuffle = 1;</script>{{Front}}",
                                      "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
                          css="@import url('https://fonts.invalid/face.css'); .card { color: black; }")
    deck = genanki.Deck(2_059_400_111, "Styled deck")
    deck.add_note(genanki.Note(model=model, fields=["A question", "<b>An answer</b>"], guid="styled-1"))
    genanki.Package(deck).write_to_file(str(tmp_path / "styled.apkg"))
    assert problems_of(tmp_path / "styled.apkg") == [
        f"{tmp_path / 'styled.apkg'}: note type 'Styled': its CSS loads a remote URL as cards show — bundle the "
        "file in the deck or remove it"]
