"""Every real page head in ../shared/corpus/excerpts/ through `inspect --json`, against one data file.

The expectations (tests/fixtures/corpus-excerpts.yaml) give each file's title, language, chapters and the
items one can see in it. On every file: no exception, no item made of page chrome from the tables in
ankiexport/chrome.py, and the no-items warning (inspect) or refusal (build) when nothing is learnable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from ankiexport.markup import html_to_text
from ankiexport.release import ankicheck
from ankiexport.rules import chrome

from ..conftest import FIXTURES, run_ankiexport, shared_dir

EXPECT: dict[str, dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "corpus-excerpts.yaml").read_text(encoding="utf-8"))


def excerpts() -> Path:
    return shared_dir("corpus", "excerpts")


def chrome_examples() -> list[str]:
    """The tables' example lines that are phrases (two words or more, no title placeholder)."""
    return [p.example for p in chrome.all_patterns()
            if len(p.example.split()) >= 2 and "X" not in re.findall(r"\w+", p.example)]


def inspect_json(cli: Callable[..., Result], path: Path) -> tuple[dict[str, Any], str]:
    result = cli("inspect", path, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def test_every_excerpt_has_expectations() -> None:
    files = {p.name for p in excerpts().glob("*.txt")}
    assert files == set(EXPECT), "add the new excerpt to tests/fixtures/corpus-excerpts.yaml"


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_excerpt(name: str, cli: Callable[..., Result]) -> None:
    expect = EXPECT[name]
    path = excerpts() / name
    payload, stderr = inspect_json(cli, path)
    if expect["site"] == "studysmarter":
        assert payload["title"], "every StudySmarter page head names its article"
    assert payload["title"] == expect["title"]
    assert payload["language"] == expect["language"]
    if "chapters" in expect:
        assert payload["chapters"] == expect["chapters"]
    seen = [(item["kind"], next(iter(item["fields"].values()))) for item in payload["items"]]
    assert len(seen) == len(expect["items"]), seen
    for (kind, first), (want_kind, want_start) in zip(seen, expect["items"], strict=True):
        assert kind == want_kind and first.startswith(want_start), (kind, first)
    if not expect["items"]:
        assert f"no learnable items found in {path}" in stderr


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_no_item_is_page_chrome(name: str, cli: Callable[..., Result]) -> None:
    payload, _ = inspect_json(cli, excerpts() / name)
    phrases = [p.casefold() for p in chrome_examples()]
    for item in payload["items"]:
        for value in item["fields"].values():
            text = html_to_text(value)
            assert not [p for p in phrases if p in text.casefold()], text
            for piece in re.split(r"<br>|\n", value):
                assert not chrome.is_chrome(html_to_text(piece).strip()) or not piece.strip(), piece


def test_build_refuses_excerpts_without_items(tmp_path: Path, cli: Callable[..., Result]) -> None:
    empty = [name for name, expect in EXPECT.items() if not expect["items"]]
    assert empty
    for name in empty:
        out = tmp_path / f"{name}.apkg"
        done = cli("build", excerpts() / name, "-o", out)
        assert done.exit_code == 1, done.output
        assert "no learnable items" in done.stderr and str(excerpts() / name) in done.stderr
        assert not out.exists() and not list(tmp_path.iterdir())


def test_corpus_pages_build_decks_that_import_into_anki(tmp_path: Path, collection: Any) -> None:
    # (the momentum page's carousel holds statements and questions no passage of its head answers)
    names = ["08-de-microservices-architektur.txt", "25-classification-of-viruses.txt",
             "16-fr-structure-de-donnees-de-file.txt", "other-06-brainscape-basic-anatomy-qa.txt"]
    out = tmp_path / "corpus.apkg"
    done = run_ankiexport("build", *(excerpts() / n for n in names), "-o", out)
    assert done.returncode == 0, done.stderr
    counts = ankicheck.import_package(collection, out)
    notes = ankicheck.stored_notes(collection)
    assert counts.new == len(notes) == 1 + 1 + 1 + 8
    tags = {t for n in notes for t in n.tags}
    assert {"Microservices_Architektur::Quiz", "Basic_Anatomy::Flashcards",
            "Classification_of_Viruses::Defining_Virus_and_Their_Types"} <= tags
    virus = next(n for n in notes if n.fields.get("Term") == "Virus")
    assert virus.decks == ("Classification of Viruses",)
    assert "non-living infectious entity" in virus.cards[0][1]
    phrases = [p.casefold() for p in chrome_examples()]
    for note in notes:
        rendered = " ".join(q + " " + a for q, a in note.cards).casefold()
        assert not [p for p in phrases if p in rendered], note.fields
