"""`ankiexport diff`: notes added, removed and changed between two releases, by GUID and chapter."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from ..conftest import SEED
from .test_verify import first_guids, run_ankiexport, tampered

# Two edits that keep every line where it was (so no other note's "line N" source changes).
EDITS = (
    ("connective tissue, aiming to alleviate pain", "connective tissue, aiming to ease pain"),
    ("chronic pain, muscle tension, sciatica", "chronic pain, muscle stiffness, sciatica"),
)


def edited_copy(folder: Path) -> Path:
    text = SEED.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SEED.name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("diff")
    v1, v2 = root / "v1.apkg", root / "v2.apkg"
    for source, out, epoch in ((SEED, v1, "1700000000"), (edited_copy(root / "src"), v2, "1700086400")):
        done = run_ankiexport("build", source, "-o", out, env={"SOURCE_DATE_EPOCH": epoch})
        assert done.returncode == 0, done.stderr
    return v1, v2


def test_json_lists_exactly_the_edited_notes_with_their_changed_fields(releases: tuple[Path, Path]) -> None:
    v1, v2 = releases
    done = run_ankiexport("diff", v1, v2, "--format", "json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["added"] == [] and payload["removed"] == []
    changed = {c["fields"].get("Term") or c["fields"].get("Question"): c for c in payload["changed"]}
    assert set(changed) == {"Soft Tissue Manipulation", "What conditions can neuromuscular therapy help treat?"}
    circulation = changed["Soft Tissue Manipulation"]
    assert list(circulation["changed_fields"]) == ["Definition"]
    assert "alleviate" in circulation["changed_fields"]["Definition"]["old"]
    assert "ease pain" in circulation["changed_fields"]["Definition"]["new"]
    assert circulation["chapter"] == "Medicine::Neuromuscular Therapy › Soft Tissue Manipulation"
    assert list(changed["What conditions can neuromuscular therapy help treat?"]["changed_fields"]) == ["Answer"]
    assert payload["unchanged"] == 35


def test_markdown_is_release_notes_grouped_by_chapter(releases: tuple[Path, Path]) -> None:
    v1, v2 = releases
    done = run_ankiexport("diff", v1, v2, "--title", "Neuromuscular Therapy 1.1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:3] == ["## Neuromuscular Therapy 1.1", "",
                                             "0 added, 2 changed, 0 removed, 35 unchanged."]
    assert "### Changed (2)" in done.stdout
    assert "**Medicine::Neuromuscular Therapy › Soft Tissue Manipulation**" in done.stdout
    assert "**Medicine::Neuromuscular Therapy › FAQ**" in done.stdout
    assert "- Soft Tissue Manipulation (`" in done.stdout and "`): Definition" in done.stdout
    assert "Added" not in done.stdout and "Removed" not in done.stdout


def test_removed_and_added_notes_and_the_import_caveat(releases: tuple[Path, Path], tmp_path: Path) -> None:
    v1, _ = releases
    gone, renamed = first_guids(v1, 2)
    v2 = tampered(v1, tmp_path / "v2.apkg", [
        ("DELETE FROM cards WHERE nid = (SELECT id FROM notes WHERE guid = ?)", (gone,)),
        ("DELETE FROM notes WHERE guid = ?", (gone,)),
        ("UPDATE notes SET guid = 'new-guid' WHERE guid = ?", (renamed,)),
    ])
    payload = json.loads(run_ankiexport("diff", v1, v2, "--format", "json").stdout)
    assert sorted(n["guid"] for n in payload["removed"]) == sorted([gone, renamed])
    assert [n["guid"] for n in payload["added"]] == ["new-guid"]
    assert "never deletes notes" in payload["removed_notice"]
    markdown = run_ankiexport("diff", v1, v2).stdout
    assert "### Removed (2)" in markdown and "### Added (1)" in markdown
    assert "> Importing an .apkg never deletes notes" in markdown


def test_a_template_change_is_reported(releases: tuple[Path, Path], tmp_path: Path) -> None:
    v1, _ = releases
    v2 = tampered(v1, tmp_path / "css.apkg", [("UPDATE col SET models = replace(models, 'font-size: 20px', "
                                               "'font-size: 22px')", ())])
    payload = json.loads(run_ankiexport("diff", v1, v2, "--format", "json").stdout)
    assert payload["restyled_note_types"] == ["ankiexport Definition", "ankiexport Q&A", "ankiexport Quiz"]
    assert payload["changed"] == []


def test_an_unreadable_file_is_one_line_and_exit_1(releases: tuple[Path, Path], tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.apkg"
    bogus.write_text("not a deck")
    done = run_ankiexport("diff", releases[0], bogus)
    assert done.returncode == 1
    assert done.stderr.strip().startswith(f"error: {bogus}: not a zip archive")
    assert len(done.stderr.strip().splitlines()) == 1


HOSTILE = ("![tracker](http://198.51.100.7/pixel.png) [click me](javascript:alert(1)) <img src=x onerror=alert(1)> "
           "@octocat fixes #1, see https://example.invalid/x and www.example.invalid | *bold* `code` ~~gone~~ &amp;")


def test_markdown_shows_card_text_as_text() -> None:
    """Release notes pasted into a GitHub release embed, link and mention nothing a deck says."""
    from markdown_it import MarkdownIt

    from ankiexport.release.diff import DeckDiff, FieldChange, NoteChange, NoteSummary, to_markdown

    note = NoteSummary("g1", f"Deck › {HOSTILE}", f"Basic {HOSTILE}", {"Front": html.escape(HOSTILE)})
    change = NoteChange(note, {f"Back {HOSTILE}": FieldChange("a", "b")}, None, ("Basic", HOSTILE))
    markdown = to_markdown(DeckDiff("old.apkg", "new.apkg", (note,), (), (change,), 0, (HOSTILE,)), title="Deck 2")
    page = MarkdownIt("gfm-like").enable("linkify").render(markdown)
    # (Chapters are bold and GUIDs code: those <strong> and <code> are ours.)
    for made in ("<img", "<a ", "<em>", "<code>code", "<s>", "<table"):
        assert made not in page, (made, page)
    assert "@octocat" not in page and "https://example" not in page and "www.example" not in page
    assert "onerror=alert(1)" in page and "pixel.png" in page and "~~gone~~" in page  # shown, as text
