"""A student's notes and edits survive every rebuild: each case imports the old deck into a real Anki
collection, rebuilds (into the same output path, as an author does) and imports again."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ankiexport.release import ankicheck

from ..conftest import ROOT
from .test_verify import run_ankiexport

ARTICLE = ROOT / "tests" / "fixtures" / "articles" / "photosynthesis.txt"
V1 = 1_700_000_000
LATER = 2_100_000_000  # a rebuild years after the student's edit: a plain rebuild would overwrite it
CHLOROPHYLL = "The green pigment that absorbs mostly red and blue light in the thylakoids."


@dataclass(frozen=True)
class Author:
    """One article's source folder and its deck, built the way the author builds it."""

    folder: Path
    manifest: str | None = None  # the manifest's text, when the author uses one

    @property
    def output(self) -> Path:
        return self.folder / ("dist/bio.apkg" if self.manifest is not None else "photosynthesis.apkg")

    def write(self, text: str, manifest: str | None = None) -> None:
        (self.folder / "photosynthesis.txt").write_text(text, encoding="utf-8")
        if manifest or self.manifest:
            (self.folder / "bio.yaml").write_text(manifest or self.manifest or "", encoding="utf-8")

    def build(self, epoch: int, *flags: str) -> str:
        """Build into :attr:`output`; the build's messages (stderr)."""
        if self.manifest is not None:
            args: tuple[object, ...] = (self.folder / "bio.yaml", "--out-dir", self.folder / "dist")
        else:
            args = (self.folder / "photosynthesis.txt", "-o", self.output)
        done = run_ankiexport("build", *args, *flags, env={"SOURCE_DATE_EPOCH": str(epoch)})
        assert done.returncode == 0, done.stderr
        return done.stderr


MANIFEST = "deck: Biology\noutput: bio.apkg\narticles: [photosynthesis.txt]\n"


def original() -> str:
    return ARTICLE.read_text(encoding="utf-8")


def edited(*changes: tuple[str, str]) -> str:
    text = original()
    for old, new in changes:
        assert text.count(old) >= 1, old
        text = text.replace(old, new)
    return text


def release_twice(tmp_path: Path, col: Any, second: str, *, epochs: tuple[int, int] = (V1, V1 + 86_400),
                  manifest: str | None = None, second_manifest: str | None = None,
                  student_edit: str | None = None, reported: str = "") -> ankicheck.ImportLog:
    """Build and import the article, let the student edit Chlorophyll's definition, rebuild ``second``
    into the same output, import it; ``verify --previous`` must predict what the import did. The
    rebuild's messages must hold ``reported``."""
    author = Author(tmp_path / "src", manifest)
    author.folder.mkdir()
    author.write(original())
    author.build(epochs[0])
    previous = shutil.copy(author.output, tmp_path / "previous.apkg")
    ankicheck.import_package(col, author.output)
    if student_edit is not None:
        note = col.get_note(studied_note_id(col))
        note["Definition"] = student_edit
        col.update_note(note)
    author.write(second, second_manifest)
    assert reported in author.build(epochs[1])
    log = ankicheck.import_log(col, author.output)
    done = run_ankiexport("verify", author.output, "--previous", previous)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(log.new)} new, {len(log.updated)} updated, {len(log.duplicate)} unchanged" in done.stdout
    return log


def studied_note_id(col: Any) -> int:
    """The student's Chlorophyll note (the one they studied and edited)."""
    found = [nid for nid in col.find_notes("Term:Chlorophyll") if CHLOROPHYLL[:20] in col.get_note(nid)["Definition"]
             or "my own words" in col.get_note(nid)["Definition"]]
    assert len(found) == 1, found
    return int(found[0])


def counts(log: ankicheck.ImportLog) -> tuple[int, int]:
    return len(log.new), len(log.updated)


def test_a_rebuild_without_changes_keeps_the_students_edit(tmp_path: Path, collection: Any) -> None:
    log = release_twice(tmp_path, collection, original(), epochs=(V1, LATER), student_edit="my own words")
    assert counts(log) == (0, 0)
    assert collection.get_note(studied_note_id(collection))["Definition"] == "my own words"


@pytest.mark.parametrize("manifest", [None, MANIFEST], ids=["article", "manifest"])
@pytest.mark.parametrize("epoch", [V1, V1 - 86_400, V1 + 86_400], ids=["same-epoch", "older-epoch", "newer-epoch"])
def test_editing_one_definition_updates_exactly_that_note(tmp_path: Path, collection: Any, manifest: str | None,
                                                           epoch: int) -> None:
    # Photolysis: no quiz question shows its passage as evidence, so its note alone changes.
    second = edited(("splits water molecules", "splits water molecules apart"))
    log = release_twice(tmp_path, collection, second, epochs=(V1, epoch), manifest=manifest)
    assert counts(log) == (0, 1)
    assert "molecules apart" in collection.get_note(collection.find_notes("Term:Photolysis")[0])["Definition"]


def test_no_history_stamps_every_note_with_the_build_time(tmp_path: Path, collection: Any) -> None:
    author = Author(tmp_path)
    author.write(original())
    author.build(V1)
    ankicheck.import_package(collection, author.output)
    author.build(V1 + 1, "--no-history")
    log = ankicheck.import_log(collection, author.output)
    assert counts(log) == (0, 10)


def introduction(subject: str, definition: str = CHLOROPHYLL) -> str:
    """An article titled "Introduction" in ``subject``."""
    return edited(("photosynthesis\n\n", "introduction\n\n"), ("Team Biology Teachers", f"Team {subject} Teachers"),
                  (CHLOROPHYLL, definition))


def test_same_title_articles_of_two_subjects_in_one_build_are_both_complete(tmp_path: Path, collection: Any) -> None:
    folder = tmp_path / "intros"
    folder.mkdir()
    (folder / "biology.txt").write_text(introduction("Biology"), encoding="utf-8")
    (folder / "physics.txt").write_text(introduction("Physics", "A pigment of plants."), encoding="utf-8")
    done = run_ankiexport("build", folder, "-o", tmp_path / "intros.apkg")
    assert done.returncode == 0, done.stderr
    # 10 + 9: the physics page's definition no longer answers its quiz question, which is skipped.
    assert ankicheck.import_package(collection, tmp_path / "intros.apkg").new == 19
    decks = {d for n in ankicheck.stored_notes(collection, render=False) for d in n.decks}
    assert decks == {"Biology::Introduction", "Physics::Introduction"}


def test_same_title_articles_of_two_subjects_as_two_decks_do_not_overwrite(tmp_path: Path, collection: Any) -> None:
    logs = []
    for subject, definition in (("Biology", CHLOROPHYLL), ("Physics", "A pigment of plants.")):
        (tmp_path / f"{subject}.txt").write_text(introduction(subject, definition), encoding="utf-8")
        done = run_ankiexport("build", tmp_path / f"{subject}.txt", "-o", tmp_path / f"{subject}.apkg")
        assert done.returncode == 0, done.stderr
        logs.append(ankicheck.import_log(collection, tmp_path / f"{subject}.apkg"))
    assert [counts(log) for log in logs] == [(10, 0), (9, 0)]  # the physics quiz question goes unanswered
    definitions = {n.fields["Definition"] for n in ankicheck.stored_notes(collection, render=False)
                   if n.fields.get("Term") == "Chlorophyll"}
    assert definitions == {CHLOROPHYLL, "A pigment of plants."}


def test_two_different_articles_with_one_identity_in_one_build_are_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "clash"
    folder.mkdir()
    (folder / "a.txt").write_text(introduction("Biology"), encoding="utf-8")
    (folder / "b.txt").write_text(introduction("Biology", "A pigment of plants."), encoding="utf-8")
    done = run_ankiexport("build", folder, "-o", tmp_path / "clash.apkg")
    assert done.returncode == 1
    assert f"{folder / 'b.txt'}: the same identity ('biology::introduction') as {folder / 'a.txt'}" in done.stderr
    assert "give each article its own `id:` in a manifest" in done.stderr


WITH_ID = MANIFEST + "overrides:\n  photosynthesis.txt:\n    id: bio-photosynthesis\n"
RENAMED_CHAPTER = (MANIFEST + "overrides:\n  photosynthesis.txt:\n    chapters:\n"
                   "      The Light-Dependent Reactions: Light\n")
KEPT = "kept the GUIDs of"
RENAMES = {  # the article's changes, the first and second manifest, what the rebuild reports
    "chapter": ((("The Light-Dependent Reactions", "The Light Reactions"),), None, None,
                f"{KEPT} 3 renamed or moved note(s): keypoint · The Light Reactions · Photolysis ← keypoint · The "
                "Light-Dependent Reactions · Photolysis"),
    "title": ((("photosynthesis\n\n", "photosynthesis in plants\n\n"),), None, None, f"{KEPT} 10 renamed"),
    "manifest-id": ((), MANIFEST, WITH_ID, f"{KEPT} 10 renamed"),
    # A reworded question with its answer: a near match (lock.RENAME_SIMILARITY), from the previous
    # deck's text also when a manifest's lock is the previous state.
    "reworded-question": ((("photosynthesis happen?", "photosynthesis take place?"),), None, None,
                          f"{KEPT} 1 renamed"),
    "manifest-reworded-question": ((("photosynthesis happen?", "photosynthesis take place?"),), MANIFEST, None,
                                   f"{KEPT} 1 renamed"),
    # Display renames and punctuation change no key: nothing to match.
    "manifest-chapter": ((), MANIFEST, RENAMED_CHAPTER, ""),
    "question-spacing": ((("photosynthesis happen?", "photosynthesis happen ?"),), None, None, ""),
    "question-punctuation": ((("need water for photosynthesis?", "need water, for photosynthesis?!"),), None, None,
                             ""),
}


@pytest.mark.parametrize("case", RENAMES)
def test_a_rename_adds_no_note_and_the_studied_note_keeps_its_content(tmp_path: Path, collection: Any,
                                                                       case: str) -> None:
    changes, manifest, second_manifest, reported = RENAMES[case]
    log = release_twice(tmp_path, collection, edited(*changes), manifest=manifest, second_manifest=second_manifest,
                        reported=reported)
    assert len(log.new) == 0
    assert collection.get_note(studied_note_id(collection))["Definition"] == CHLOROPHYLL
    assert len(collection.find_notes("")) == 10


def test_a_second_same_term_definition_before_the_first_keeps_the_studied_note(tmp_path: Path,
                                                                                 collection: Any) -> None:
    inserted = "Chlorophyll: A word made from the Greek for pale green and leaf.\n\n      "
    second = edited((f"Chlorophyll: {CHLOROPHYLL}", f"{inserted}Chlorophyll: {CHLOROPHYLL}"))
    log = release_twice(tmp_path, collection, second, student_edit="my own words")
    assert counts(log) == (1, 0)  # the inserted definition is the one new note
    assert collection.get_note(studied_note_id(collection))["Definition"] == "my own words"
    new = collection.get_note(collection.db.scalar("SELECT id FROM notes WHERE guid = ?", log.new[0]))
    assert "pale green" in new["Definition"]


def test_a_removed_note_is_named_by_the_build_and_by_diff(tmp_path: Path, collection: Any) -> None:
    photolysis = "      • Photolysis: Light energy splits water molecules into oxygen, protons and electrons.\n"
    reported = ("1 note(s) left the deck (students keep them; see the README): "
                "keypoint · The Light-Dependent Reactions · Photolysis")
    log = release_twice(tmp_path, collection, edited((photolysis, "")), reported=reported)
    assert len(log.new) == 0
    done = run_ankiexport("diff", tmp_path / "previous.apkg", tmp_path / "src" / "photosynthesis.apkg")
    assert "### Removed (1)" in done.stdout and "Photolysis" in done.stdout.split("### Removed")[1]
    assert "chapter tag" in done.stdout


def test_a_damaged_deck_at_the_output_is_an_error_unless_history_is_off(tmp_path: Path) -> None:
    author = Author(tmp_path)
    author.write(original())
    with zipfile.ZipFile(author.output, "w") as archive:
        archive.writestr("notes.txt", "not a collection")
    done = run_ankiexport("build", tmp_path / "photosynthesis.txt", "-o", author.output)
    assert done.returncode == 1
    assert "cannot be read as the previous release" in done.stderr and "--no-history" in done.stderr
    author.build(V1, "--no-history")
    with zipfile.ZipFile(author.output) as archive:
        assert "collection.anki2" in archive.namelist()
