"""Someone else's .apkg cannot hang, exhaust or crash diff, verify or preview.

Each hostile package is made in the test from a real deck of ours (its collection edited with
sqlite3), and each command runs in a subprocess under an address-space cap and a time limit.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from ..conftest import SEED
from .test_limits import one_line, run_capped

COMMANDS = {
    "verify": lambda deck, good: ("verify", deck),
    "diff": lambda deck, good: ("diff", good, deck),
    "preview": lambda deck, good: ("preview", deck, "-o", deck.with_suffix(".html")),
}


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("good")
    shutil.copy(SEED, folder / "nmt.txt")
    done = run_capped("build", "nmt.txt", "-o", "good.apkg", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "good.apkg"


def edited(good: Path, target: Path, edit: Callable[[sqlite3.Connection], None]) -> Path:
    """``good`` with its collection changed by ``edit``."""
    work = target.parent / f"{target.stem}-collection"
    work.mkdir()
    with zipfile.ZipFile(good) as archive:
        names = archive.namelist()
        archive.extractall(work)
    conn = sqlite3.connect(work / "collection.anki2")
    edit(conn)
    conn.commit()
    conn.close()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in names:
            out.write(work / name, name)
    return target


def recursive_view(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE notes RENAME TO real_notes")
    conn.execute("CREATE VIEW notes AS WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) "
                 "SELECT n AS id, 'g' AS guid, 1 AS mid, 'x' AS flds, '' AS tags, 0 AS mod FROM forever")


def a_trigger(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TRIGGER t AFTER UPDATE ON notes BEGIN DELETE FROM cards; END")


def null_fields(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE loose AS SELECT * FROM notes")  # (the same columns, no NOT NULL)
    conn.execute("DROP TABLE notes")
    conn.execute("ALTER TABLE loose RENAME TO notes")
    conn.execute("UPDATE notes SET flds = NULL, guid = NULL")


def nested_models(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE col SET models = ?", ("[" * 100_000 + "]" * 100_000,))


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize(("edit", "phrase"), [
    (recursive_view, "holds a view"),
    (a_trigger, "holds a trigger"),
    (null_fields, "cannot be read"),
    (nested_models, "cannot be read"),
], ids=["recursive-view", "trigger", "null-fields", "nested-json"])
def test_a_hostile_collection_is_one_line(good: Path, tmp_path: Path, command: str,
                                          edit: Callable[[sqlite3.Connection], None], phrase: str) -> None:
    deck = edited(good, tmp_path / "hostile.apkg", edit)
    done = run_capped(*COMMANDS[command](deck, good), cwd=tmp_path)
    if command == "verify":
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert phrase in done.stdout, done.stdout
    else:
        one_line(done, 1, "hostile.apkg", phrase)


def test_a_zip_bomb_collection_is_refused_unopened(good: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        out.writestr("media", "{}")
        with out.open("collection.anki2", "w", force_zip64=True) as entry:
            block = bytes(64 * 1024**2)
            for _ in range(18):  # 1.1 GiB of zeros in a few megabytes
                entry.write(block)
    assert bomb.stat().st_size < 10 * 1024**2
    for command in sorted(COMMANDS):
        done = run_capped(*COMMANDS[command](bomb, good), cwd=tmp_path)
        assert done.returncode == 1 and "Traceback" not in done.stderr, (command, done.stderr)
        assert "not a deck to import" in done.stdout + done.stderr, (command, done.stdout, done.stderr)
    assert not bomb.with_suffix(".html").exists()


def test_media_past_the_cap_is_refused_by_the_preview(good: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from ankiexport.ankifile import reader as apkg

    deck = tmp_path / "media.apkg"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(deck, "w") as archive:
        for name in source.namelist():
            if name != "media":
                archive.writestr(name, source.read(name))
        archive.writestr("0", bytes(2048))
        archive.writestr("media", json.dumps({"0": "big.png"}))
    monkeypatch.setattr(apkg, "MAX_MEDIA_BYTES", 1024)
    with pytest.raises(apkg.ApkgError, match="media files unpack to more than"):
        apkg.media_files(apkg.read_apkg(deck))


def test_a_read_past_its_time_budget_stops(good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ankiexport.ankifile import reader as apkg

    def many_notes(conn: sqlite3.Connection) -> None:
        conn.execute("WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 2000) "
                     "INSERT INTO notes SELECT id + 1000000 * value, guid || value, mid, mod, usn, tags, flds, "
                     "sfld, csum, flags, data FROM notes, n")

    monkeypatch.setattr(apkg, "READ_SECONDS", 0)
    deck = edited(good, tmp_path / "slow.apkg", many_notes)
    with pytest.raises(apkg.ApkgError, match="took more than 0 s"):
        apkg.read_apkg(deck)


def test_verify_still_passes_a_good_deck(good: Path, tmp_path: Path) -> None:
    ok = run_capped("verify", good, cwd=tmp_path)
    assert ok.returncode == 0 and ok.stdout.startswith("ok:"), ok.stdout + ok.stderr


def foreign_deck(path: Path, front: str, fields: list[str], *, cloze: bool = False) -> Path:
    """A one-note deck made with genanki alone, as someone else's tool would make it."""
    import genanki

    model = genanki.Model(1607392319, "Hostile", fields=[{"name": "Text"}],
                          templates=[{"name": "Card 1", "qfmt": front, "afmt": front}],
                          model_type=genanki.Model.CLOZE if cloze else genanki.Model.FRONT_BACK)
    deck = genanki.Deck(2059400110, "Foreign")
    deck.add_note(genanki.Note(model=model, fields=fields, guid="hostile1"))
    genanki.Package(deck).write_to_file(str(path))
    return path


def test_deeply_nested_template_sections(tmp_path: Path) -> None:
    front = "{{#Text}}" * 20_000 + "{{Text}}" + "{{/Text}}" * 20_000
    deck = foreign_deck(tmp_path / "deep.apkg", front, ["x"])
    done = run_capped("verify", deck, cwd=tmp_path)
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])  # (a crashed backend is -11)
    assert "sections nest deeper than" in done.stdout and "Traceback" not in done.stderr
    shown = run_capped("preview", deck, "-o", "p.html", cwd=tmp_path)
    assert shown.returncode == 0 and "Traceback" not in shown.stderr, shown.stderr[-500:]
    assert "make no card at all" in shown.stderr


def test_furigana_without_a_closing_bracket(tmp_path: Path) -> None:
    deck = foreign_deck(tmp_path / "ruby.apkg", "{{furigana:Text}}", ["漢[" * 30_000])
    shown = run_capped("preview", deck, "-o", "p.html", cwd=tmp_path)  # quadratic: minutes; now instant
    assert shown.returncode == 0, shown.stderr[-500:]


def test_thousands_of_clozes_in_one_note(tmp_path: Path) -> None:
    text = " ".join(f"{{{{c{n}::word {n}}}}}" for n in range(1, 3001))
    deck = foreign_deck(tmp_path / "clozes.apkg", "{{cloze:Text}}", [text], cloze=True)
    shown = run_capped("preview", deck, "-o", "p.html", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr[-500:]
    assert "cards that cannot be shown" in shown.stderr and "(100 cards from 1 notes)" in shown.stdout
    assert "makes 3000 cards; the first 100 are shown" in (tmp_path / "p.html").read_text(encoding="utf-8")
    done = run_capped("verify", deck, cwd=tmp_path)
    assert done.returncode == 1 and "3000 cloze numbers" in done.stdout, done.stdout[-500:]
