"""The rated cards of tests/fixtures/review/prose.yaml: no BAD card comes back, no GOOD one goes.

Each source is built through the library as `ankiexport build` would read it; a card is named by its
kind and its first field (the front).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
import yaml

from ankiexport.prepare import load

from ..conftest import FIXTURES, ROOT, SHARED, shared_dir

RATINGS = yaml.safe_load((FIXTURES / "review" / "prose.yaml").read_text(encoding="utf-8"))
SOURCES = sorted({entry["source"] for entry in RATINGS})
PROSE_KINDS = ("question", "list", "term", "cloze")
PRECISION = 0.85  # the share of GOOD cards the prose kinds must keep


def source_path(source: str) -> Path:
    if source.startswith("shared:"):
        folder, _, name = source.removeprefix("shared:").partition("/")
        return shared_dir(folder) / name
    return ROOT / source


@cache
def fronts(path: Path) -> frozenset[tuple[str, str]]:
    return frozenset((item.kind, next(iter(item.fields().values()))) for item in load(path).items)


def test_ratings_are_well_formed() -> None:
    for entry in RATINGS:
        assert set(entry) == {"source", "kind", "front", "rating", "reason"}, entry
        assert entry["rating"] in ("GOOD", "WEAK", "BAD"), entry
        assert entry["source"].startswith("shared:corpus/") or (ROOT / entry["source"]).is_file(), entry
    keys = [(e["source"], e["kind"], e["front"]) for e in RATINGS]
    assert len(keys) == len(set(keys)), "a card is rated twice"


@pytest.mark.parametrize("source", SOURCES)
def test_no_bad_card_comes_back_and_no_good_one_goes(source: str) -> None:
    made = fronts(source_path(source))
    by_rating: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entry in RATINGS:
        if entry["source"] == source:
            by_rating[entry["rating"]].append((entry["kind"], entry["front"]))
    assert [card for card in by_rating["GOOD"] if card not in made] == [], "GOOD cards went missing"
    assert [card for card in by_rating["BAD"] if card in made] == [], "BAD cards came back"


def test_every_prose_card_is_rated_and_most_are_good() -> None:
    # Of the cards of the prose kinds the rated sources give, none is unrated and at least this share is GOOD.
    rating = {(e["source"], e["kind"], e["front"]): e["rating"] for e in RATINGS}
    made = [(source, kind, front) for source in SOURCES if not source.startswith("shared:") or SHARED.is_dir()
            for kind, front in fronts(source_path(source)) if kind in PROSE_KINDS]
    assert [card for card in made if card not in rating] == [], "cards nobody rated"
    good = [card for card in made if rating[card] == "GOOD"]
    assert len(good) >= PRECISION * len(made), f"{len(good)} of {len(made)} GOOD"
