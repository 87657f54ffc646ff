"""The labelled cards of HTML pages (tests/fixtures/review/html.yaml): a card rated BAD must not come
back, a card rated GOOD must not disappear."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from ankiexport.markup import html_to_text
from ankiexport.prepare import load

from ..conftest import FIXTURES, ROOT, SHARED

REVIEW = FIXTURES / "review" / "html.yaml"
RATINGS = ("GOOD", "WEAK", "BAD")


def entries() -> list[dict[str, Any]]:
    data = yaml.safe_load(REVIEW.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def by_source() -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries():
        grouped[entry["source"]].append(entry)
    return dict(grouped)


def path_of(source: str) -> Path:
    if source.startswith("shared:"):
        path = SHARED / source.removeprefix("shared:")
        if not path.is_file():
            pytest.skip(f"{path} is absent: the shared corpus sits beside the clone in CI")
        return path
    return ROOT / source


def fronts(path: Path) -> set[tuple[str, str]]:
    found = set()
    for item in load(path).items:
        fields = item.fields()
        found.add((item.kind, html_to_text(fields.get("term") or fields.get("question") or "")))
    return found


def test_every_entry_is_well_formed() -> None:
    for entry in entries():
        assert entry["rating"] in RATINGS and entry["front"] and entry["reason"] and entry["kind"], entry
        assert entry["source"].startswith(("shared:corpus/", "tests/fixtures/")), entry


@pytest.mark.parametrize("source", sorted(by_source()))
def test_bad_cards_stay_out_and_good_cards_stay_in(source: str) -> None:
    made = fronts(path_of(source))
    rated = by_source()[source]
    back = [e["front"] for e in rated if e["rating"] == "BAD" and not e.get("open") and (e["kind"], e["front"]) in made]
    lost = [e["front"] for e in rated if e["rating"] == "GOOD" and (e["kind"], e["front"]) not in made]
    assert back == [], f"BAD cards came back: {back}"
    assert lost == [], f"GOOD cards disappeared: {lost}"
