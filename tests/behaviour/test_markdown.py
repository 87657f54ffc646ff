"""Markdown notes: parsed as CommonMark, then read by the HTML reader, so every extractor works."""

from __future__ import annotations

from pathlib import Path

import pytest

from ankiexport.errors import InputError
from ankiexport.prepare import load
from ankiexport.readers import read_article

from ..conftest import FIXTURES

MARKDOWN = FIXTURES / "markdown"


def items(path: Path) -> list[tuple[str, str, str]]:
    return [(i.kind, " › ".join(i.chapter), next(iter(i.fields().values()))) for i in load(path).items]


def test_headings_definitions_and_questions_become_items() -> None:
    assert items(MARKDOWN / "cells.md") == [
        ("cloze", "", "The {{c1::cell}} is the unit of life."),  # the intro's emphasised term
        ("definition", "Organelles", "Mitochondrion"),
        ("definition", "Organelles", "Ribosome"),
        ("definition", "Organelles", "Chloroplast"),
        ("faq", "Energy", "What does the cell membrane do?"),
        ("faq", "Energy", "Which organelle holds the genetic material?"),
    ]


def test_front_matter_sets_title_identity_deck_and_tags() -> None:
    cells = read_article(MARKDOWN / "cells.md")
    assert (cells.title, cells.identity, cells.deck, cells.tags) == (
        "Cell biology notes", "cell-biology-notes", None, ("biology", "year-9"))
    zellen = read_article(MARKDOWN / "zellen.md")
    assert (zellen.title, zellen.deck, zellen.tags, zellen.language) == (
        "Zellbiologie", "Biologie::Zellen", ("klasse-9",), "de")


def test_math_code_wiki_links_and_highlights(tmp_path: Path) -> None:
    note = tmp_path / "note.markdown"
    note.write_text("# Waves\n\n## Light\n\nSee [[Optics|the optics page]] and ==this==.\n\n"
                    "**Photon energy**: it is $E = h f$ for a frequency $f$ of the light wave.\n\n"
                    "**Loop**: a block of code run again and again:\n\n```\nfor x in xs: pass\n```\n",
                    encoding="utf-8")
    loaded = load(note)
    text = " ".join(b.html for b in loaded.article.blocks)
    assert "the optics page" in text and "[[" not in text and "<em>this</em>" in text
    definitions = {i.fields()["term"]: i.fields()["definition"] for i in loaded.items if i.kind == "definition"}
    assert r"\(E = h f\)" in definitions["Photon energy"]
    assert "for x in xs" in text


def test_q_and_a_pairs_without_question_marks_are_cards(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("# Terms\n\n## Osmosis\n\nQ: Define osmosis\nA: Water moving across a membrane.\n",
                    encoding="utf-8")
    assert items(note) == [("faq", "Osmosis", "Define osmosis")]


def test_bad_front_matter_names_the_file(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("---\ntitle: [unclosed\n---\n# Title\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"note\.md"):
        read_article(note)


def test_a_front_matter_deck_name_is_checked(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("---\ndeck: 'Biology::'\n---\n# Title\n", encoding="utf-8")
    with pytest.raises(InputError, match="deck name"):
        read_article(note)
