"""Byte-reproducible decks: the same inputs and SOURCE_DATE_EPOCH give the same sha256 anywhere."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

from ankiexport import load
from ankiexport.ankifile.writer import SQLITE_HEADER_VERSION, DeckSpec, Package, write_apkg
from ankiexport.model import MediaFile
from ankiexport.notes import article_notes
from ankiexport.release import verify

from ..conftest import ROOT, SEED, run_ankiexport

EPOCH = "1700000000"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def project_copy(folder: Path) -> Path:
    """sources/ and seeds/ of the project, as a fresh clone in another folder would have them."""
    for name in ("sources", "seeds"):
        shutil.copytree(ROOT / name, folder / name)
    return folder


def test_two_builds_in_different_folders_time_zones_and_jobs_are_identical(tmp_path: Path) -> None:
    a = project_copy(tmp_path / "checkout-a")
    b = project_copy(tmp_path / "elsewhere" / "checkout b")
    runs = [(a, {"TZ": "UTC"}, "1"), (b, {"TZ": "Pacific/Kiritimati"}, "2")]  # UTC+14: another calendar day
    for folder, env, jobs in runs:
        done = run_ankiexport("build", "--jobs", jobs, cwd=folder, env={"SOURCE_DATE_EPOCH": EPOCH, **env})
        assert done.returncode == 0, done.stderr
    deck_a, deck_b = (f / "dist" / "neuromuscular-therapy.apkg" for f in (a, b))
    assert sha256(deck_a) == sha256(deck_b)


def test_an_article_built_from_another_path_and_name_is_identical(tmp_path: Path) -> None:
    moved = tmp_path / "x" / "y" / "renamed article.txt"
    moved.parent.mkdir(parents=True)
    shutil.copy(SEED, moved)
    one, two = tmp_path / "one.apkg", tmp_path / "two.apkg"
    assert run_ankiexport("build", SEED, "-o", one, env={"SOURCE_DATE_EPOCH": EPOCH, "TZ": "UTC"}).returncode == 0
    done = run_ankiexport("build", "renamed article.txt", "-o", two, cwd=moved.parent,
                          env={"SOURCE_DATE_EPOCH": EPOCH, "TZ": "America/Los_Angeles"})
    assert done.returncode == 0, done.stderr
    assert sha256(one) == sha256(two)


def test_a_later_epoch_changes_the_bytes(tmp_path: Path) -> None:
    # The guard against a test that passes because nothing depends on anything.
    one, two = tmp_path / "one.apkg", tmp_path / "two.apkg"
    run_ankiexport("build", SEED, "-o", one, env={"SOURCE_DATE_EPOCH": EPOCH})
    run_ankiexport("build", SEED, "-o", two, env={"SOURCE_DATE_EPOCH": str(int(EPOCH) + 1)})
    assert sha256(one) != sha256(two)


def test_entries_are_deflated_with_fixed_times_order_and_sqlite_stamp(tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    assert run_ankiexport("build", SEED, "-o", out, env={"SOURCE_DATE_EPOCH": EPOCH}).returncode == 0
    with zipfile.ZipFile(out) as archive:
        infos = archive.infolist()
        database = archive.read("collection.anki2")
    assert [i.filename for i in infos] == ["collection.anki2", "media"]
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}  # 1700000000 in UTC
    assert {i.create_system for i in infos} == {3}
    assert int.from_bytes(database[96:100], "big") == SQLITE_HEADER_VERSION


def test_media_order_does_not_change_the_bytes_and_the_deck_verifies(tmp_path: Path) -> None:
    loaded = load(SEED)
    notes = article_notes(loaded.article, loaded.items)
    figure = replace(notes[0], fields=(notes[0].fields[0], notes[0].fields[1] + '<img src="b-figure.png">',
                                       *notes[0].fields[2:]))
    media = [MediaFile("b-figure.png", b"\x89PNG figure"), MediaFile("a-unused.svg", b"<svg/>"),
             MediaFile("c-chart.png", b"\x89PNG chart")]
    outputs = []
    for order in (media, media[::-1]):
        deck = DeckSpec("Medicine::Neuromuscular Therapy", (figure, *notes[1:]), media=tuple(order))
        outputs.append(write_apkg(Package((deck,), int(EPOCH)), tmp_path / f"media{len(outputs)}.apkg"))
    assert sha256(outputs[0]) == sha256(outputs[1])
    with zipfile.ZipFile(outputs[0]) as archive:
        assert archive.read("media") == b'{"0": "a-unused.svg", "1": "b-figure.png", "2": "c-chart.png"}'
        assert archive.read("1") == b"\x89PNG figure"
    report = verify.verify(outputs[0])
    assert report.ok and report.rendered, report.problems


def test_an_html_article_with_images_is_identical_across_folders_and_time_zones(tmp_path: Path) -> None:
    from .test_html_deck import IMAGE_ARTICLE, tiny_png

    decks = []
    for name, tz in (("one", "UTC"), ("two and more", "Asia/Tokyo")):
        folder = tmp_path / name / "article"
        (folder / "images").mkdir(parents=True)
        (folder / "images" / "mito.png").write_bytes(tiny_png(b"\xff\x00\x00"))
        (folder / "images" / "My Chloroplast.PNG").write_bytes(tiny_png(b"\x00\xff\x00"))
        (folder / "cells.html").write_text(IMAGE_ARTICLE, encoding="utf-8")
        out = tmp_path / name / "cells.apkg"
        done = run_ankiexport("build", "cells.html", "-o", out, cwd=folder, env={"SOURCE_DATE_EPOCH": EPOCH, "TZ": tz})
        assert done.returncode == 0, done.stderr
        decks.append(out)
    assert sha256(decks[0]) == sha256(decks[1])
    with zipfile.ZipFile(decks[0]) as archive:
        assert len(archive.namelist()) == 4  # collection, media map and the two bundled images
    report = verify.verify(decks[0])
    assert report.ok and report.rendered, report.problems
