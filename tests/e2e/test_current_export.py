"""Anki's current export format (``collection.anki21b``: zstd, protobuf) is read like the legacy one.

Both packages are exported by the official backend from one collection, so they hold the same notes:
``read_apkg`` must give the same notes, cards, decks, note types and media from each, and ``diff``,
``verify`` and ``preview`` must work on the current one. Its zstd entries keep the reader's size caps.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ankiexport.ankifile.reader import media_files, read_apkg
from ankiexport.release import ankicheck

from ..conftest import SEED, run_ankiexport
from .test_limits import one_line, run_capped
from .test_preview import PIXEL


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(legacy, current) exports by Anki of one collection: our seed deck, a stock cloze note, an image."""
    from anki.collection import ExportAnkiPackageOptions

    folder = tmp_path_factory.mktemp("anki-exports")
    done = run_ankiexport("build", SEED, "-o", folder / "nmt.apkg", "-q")
    assert done.returncode == 0, done.stderr
    with ankicheck.open_collection(folder / "col.anki2") as col:
        ankicheck.import_package(col, folder / "nmt.apkg")
        image = folder / "cell.png"
        image.write_bytes(PIXEL)
        name = col.media.add_file(str(image))
        cloze = col.new_note(col.models.by_name("Cloze"))
        cloze["Text"] = f'A {{{{c1::cell}}}} has a membrane<img src="{name}">'
        col.add_note(cloze, col.decks.id("Medicine::Neuromuscular Therapy"))
        paths = []
        for legacy in (True, False):
            out = folder / ("legacy.apkg" if legacy else "current.apkg")
            col.export_anki_package(out_path=str(out), limit=None, options=ExportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, with_media=True, legacy=legacy))
            paths.append(out)
    return paths[0], paths[1]


def exported_notes(legacy: Path) -> int:
    """The seed deck's notes and the stock cloze note added beside them."""
    return len(read_apkg(legacy.parent / "nmt.apkg").notes) + 1


def test_the_current_format_reads_as_the_legacy_one(exports: tuple[Path, Path]) -> None:
    legacy, current = exports
    assert "collection.anki21b" in zipfile.ZipFile(current).namelist()
    old, new = read_apkg(legacy), read_apkg(current)
    assert new.zstd and not old.zstd
    assert len(new.notes) == exported_notes(legacy) and any(t.is_cloze for t in new.note_types.values())
    assert new.notes == old.notes and new.cards == old.cards
    assert new.decks == old.decks and "Medicine::Neuromuscular Therapy" in new.decks.values()
    # Note types alike, down to templates and CSS (their mod is the collection's, in either layout).
    assert {i: replace(t, mod=0) for i, t in new.note_types.items()} == \
        {i: replace(t, mod=0) for i, t in old.note_types.items()}
    assert media_files(new) == media_files(old) and PIXEL in media_files(new).values()


def test_diff_verify_and_preview_take_the_current_format(exports: tuple[Path, Path], tmp_path: Path) -> None:
    legacy, current = exports
    done = run_ankiexport("diff", legacy, current, "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    total = exported_notes(legacy)
    assert result["unchanged"] == total and not result["added"] and not result["removed"] and not result["changed"]
    done = run_ankiexport("verify", current, "--previous", legacy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"ok: {current} ({total} notes") and f"{total} unchanged" in done.stdout
    done = run_ankiexport("preview", current, "-o", tmp_path / "p.html")
    assert done.returncode == 0, done.stderr
    assert f"from {total} notes" in done.stdout and (tmp_path / "p.html").is_file()


def rewritten(current: Path, target: Path, entry: str, data: bytes) -> Path:
    """``current`` with one zip entry's bytes replaced."""
    with zipfile.ZipFile(current) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            out.writestr(info, data if info.filename == entry else source.read(info))
    return target


def zstd_bomb(size: int) -> bytes:
    """A small zstd frame of ``size`` zero bytes whose header does not declare its size."""
    import io

    import zstandard

    packed = io.BytesIO()
    with zstandard.ZstdCompressor(level=1, write_content_size=False).stream_writer(packed, closefd=False) as w:
        chunk = bytes(16 * 1024**2)
        for _ in range(size // len(chunk) + 1):
            w.write(chunk)
    return packed.getvalue()


@pytest.mark.parametrize("command", ["verify", "preview", "diff"])
def test_a_current_package_that_unpacks_too_far_is_refused(exports: tuple[Path, Path], tmp_path: Path,
                                                           command: str) -> None:
    legacy, current = exports
    bomb = rewritten(current, tmp_path / "bomb.apkg", "collection.anki21b", zstd_bomb(1024**3 + 1))
    args: dict[str, tuple[Any, ...]] = {"verify": (bomb,), "preview": (bomb, "-o", tmp_path / "p.html"),
                                        "diff": (legacy, bomb)}
    done = run_capped(command, *args[command], cwd=tmp_path)
    if command == "verify":  # verify prints its problems as lines of its report
        assert done.returncode == 1 and "unpacks to more than 1024 MiB" in done.stdout, done.stdout + done.stderr
    else:
        one_line(done, 1, "collection.anki21b unpacks to more than 1024 MiB")


def test_a_damaged_zstd_entry_is_one_clear_line(exports: tuple[Path, Path], tmp_path: Path) -> None:
    legacy, current = exports
    damaged = rewritten(current, tmp_path / "damaged.apkg", "media", b"\x28\xb5\x2f\xfd" + b"\xff" * 40)
    one_line(run_capped("diff", legacy, damaged, cwd=tmp_path), 1, "the media map is not valid zstd")
