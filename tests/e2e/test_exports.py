"""``build --format tsv|crowdanki``: the same notes as the ``.apkg``, read back by the real tools.

The text export is imported with the official backend's text import (the one behind Anki's File →
Import), twice: the second import must add and update nothing. The CrowdAnki folder is read back as
CrowdAnki reads it (a deck tree, notes pointing at note models by uuid) into the ``.apkg``'s notes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ankiexport.ankifile.reader import read_apkg
from ankiexport.release import ankicheck

from ..conftest import FIXTURES, SEED, run_ankiexport
from .test_html_deck import IMAGE_ARTICLE, tiny_png

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and an article with images, built in every format."""
    folder = tmp_path_factory.mktemp("formats")
    shutil.copy(SEED, folder / "nmt.txt")
    (folder / "cells.html").write_text(IMAGE_ARTICLE, encoding="utf-8")
    (folder / "images").mkdir()
    (folder / "images" / "mito.png").write_bytes(tiny_png(b"\xff\x00\x00"))
    (folder / "images" / "My Chloroplast.PNG").write_bytes(tiny_png(b"\x00\xff\x00"))
    common = ("nmt.txt", "cells.html", "--deck", "Course", "--chapter-subdecks", "-q")
    for args in (("-o", "deck.apkg"), ("--format", "tsv", "-o", "deck.txt"),
                 ("--format", "crowdanki", "-o", "deck")):
        done = run_ankiexport("build", *common, *args, cwd=folder, env=EPOCH)
        assert done.returncode == 0, done.stderr
    return folder


def apkg_notes(path: Path) -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """GUID → (note type, fields, tags, decks) of an .apkg."""
    apkg = read_apkg(path)
    return {n.guid: (apkg.note_type_name(n), n.fields, tuple(sorted(n.tags)), apkg.deck_names(n))
            for n in apkg.notes}


def import_text(col: Any, path: Path) -> Any:
    from anki.import_export_pb2 import CsvMetadataRequest, ImportCsvRequest

    metadata = col._backend.get_csv_metadata(CsvMetadataRequest(path=str(path)))
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def test_the_text_export_imports_into_anki_and_a_second_import_changes_nothing(built: Path, collection: Any) -> None:
    # A text import never creates note types: they (and the images) come with the .apkg, once.
    ankicheck.import_package(collection, built / "deck.apkg")
    collection.remove_notes(collection.find_notes(""))
    expected = apkg_notes(built / "deck.apkg")

    first = import_text(collection, built / "deck.txt")
    assert len(first.new) == len(expected) and not first.updated and not first.conflicting
    stored = {n.guid: (n.note_type, tuple(n.fields.values()), n.tags, n.decks)
              for n in ankicheck.stored_notes(collection, render=False)}
    assert stored == expected

    second = import_text(collection, built / "deck.txt")
    assert not second.new and not second.updated
    assert len(second.duplicate) == len(expected)
    assert len(collection.find_notes("")) == len(expected)


def test_an_edited_text_export_updates_the_students_note(built: Path, collection: Any, tmp_path: Path) -> None:
    ankicheck.import_package(collection, built / "deck.apkg")
    text = (built / "deck.txt").read_text(encoding="utf-8")
    assert "relieve pain and dysfunction" in text
    edited = tmp_path / "edited.txt"
    edited.write_text(text.replace("relieve pain and dysfunction", "ease pain"), encoding="utf-8")
    log = import_text(collection, edited)
    assert len(log.updated) == 1 and not log.new
    assert collection.find_notes('"ease pain"')


def test_the_text_export_is_headed_for_anki(built: Path) -> None:
    lines = (built / "deck.txt").read_text(encoding="utf-8").splitlines()
    assert lines[:6] == ["#separator:tab", "#html:true", "#notetype column:1", "#deck column:2",
                         "#guid column:3", "#tags column:4"]


def crowdanki_notes(folder: Path) -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """GUID → (note type, fields, tags, decks), read from deck.json the way CrowdAnki imports it."""
    root = json.loads((folder / "deck.json").read_text(encoding="utf-8"))
    assert root["__type__"] == "Deck"
    models = {m["crowdanki_uuid"]: m for m in root["note_models"]}
    assert all(m["__type__"] == "NoteModel" for m in models.values())
    configs = {c["crowdanki_uuid"] for c in root["deck_configurations"]}
    notes = {}

    def walk(deck: dict[str, Any], parent: str) -> None:
        assert deck["__type__"] == "Deck" and deck["deck_config_uuid"] in configs
        name = f"{parent}::{deck['name']}" if parent else deck["name"]
        for note in deck["notes"]:
            assert note["__type__"] == "Note"
            model = models[note["note_model_uuid"]]
            assert len(note["fields"]) == len(model["flds"])
            notes[note["guid"]] = (model["name"], tuple(note["fields"]), tuple(sorted(note["tags"])), (name,))
        for child in deck["children"]:
            walk(child, name)

    walk(root, "")
    return notes


def test_the_crowdanki_folder_holds_the_apkgs_notes_and_media(built: Path) -> None:
    assert crowdanki_notes(built / "deck") == apkg_notes(built / "deck.apkg")
    apkg = read_apkg(built / "deck.apkg")
    root = json.loads((built / "deck" / "deck.json").read_text(encoding="utf-8"))
    assert root["media_files"] == sorted(apkg.media.values())
    assert sorted(p.name for p in (built / "deck" / "media").iterdir()) == root["media_files"]
    assert root["media_files"]  # the article's images came along


def test_every_format_is_byte_reproducible(built: Path, tmp_path: Path) -> None:
    shutil.copytree(built, tmp_path / "again", ignore=shutil.ignore_patterns("deck*"))
    for args, output in ((("--format", "tsv", "-o", "deck.txt"), "deck.txt"),
                         (("--format", "crowdanki", "-o", "deck"), "deck/deck.json")):
        done = run_ankiexport("build", "nmt.txt", "cells.html", "--deck", "Course", "--chapter-subdecks", "-q",
                              *args, cwd=tmp_path / "again", env=EPOCH)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "again" / output).read_bytes() == (built / output).read_bytes()


def test_default_names_follow_the_format_and_foreign_folders_are_kept(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "nmt.txt")
    done = run_ankiexport("build", "nmt.txt", "--format", "tsv", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dist" / "nmt.txt").read_text(encoding="utf-8").startswith("#separator:tab\n")
    (tmp_path / "dist" / "nmt").mkdir()
    (tmp_path / "dist" / "nmt" / "notes.md").write_text("mine", encoding="utf-8")
    done = run_ankiexport("build", "nmt.txt", "--format", "crowdanki", "-q", cwd=tmp_path)
    assert done.returncode == 2 and "without deck.json" in done.stderr
    assert (tmp_path / "dist" / "nmt" / "notes.md").exists()


def test_a_crowdanki_folder_needs_one_deck_tree(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "nmt.txt")  # Medicine::Neuromuscular Therapy
    shutil.copy(FIXTURES / "articles" / "photosynthesis.txt", tmp_path / "other.txt")  # another subject
    done = run_ankiexport("build", "nmt.txt", "other.txt", "-o", "both", "--format", "crowdanki", "-q", cwd=tmp_path)
    assert done.returncode == 1
    assert "one deck tree" in done.stderr and "--deck" in done.stderr


def test_force_replaces_a_file_by_a_crowdanki_folder_and_leaves_nothing_beside(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "nmt.txt")
    (tmp_path / "deck").write_text("an old file", encoding="utf-8")
    done = run_ankiexport("build", "nmt.txt", "--format", "crowdanki", "-o", "deck", "--force", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "deck" / "deck.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck", "nmt.txt"]
