"""Plain-file cases: every ``fixtures/articles/NAME.*`` with a ``NAME.expect.yaml`` is a test.

Adding a case needs no Python: drop an article and its expectations beside it. Expectation keys:
title, subject, language, chapters (chapter paths joined by " › "), counts (items per kind; kinds not
listed must be absent), must_have / must_not_have (strings searched in every item's fields).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from ankiexport import load

from ..conftest import FIXTURES

CASES = sorted(p for p in (FIXTURES / "articles").glob("*") if p.suffix != ".yaml"
               and p.with_suffix(".expect.yaml").exists())


def item_text(loaded_items: tuple[object, ...]) -> str:
    return "\n".join(" | ".join(item.fields().values()) for item in loaded_items)  # type: ignore[attr-defined]


@pytest.mark.parametrize("article", CASES, ids=[p.name for p in CASES])
def test_fixture_article(article: Path) -> None:
    expect = yaml.safe_load(article.with_suffix(".expect.yaml").read_text(encoding="utf-8"))
    loaded = load(article)
    art = loaded.article
    for key in ("title", "subject", "language"):
        if key in expect:
            assert getattr(art, key) == expect[key], key
    if "chapters" in expect:
        assert [" › ".join(c.path) for c in art.chapters] == expect["chapters"]
    if "counts" in expect:
        assert dict(Counter(i.kind for i in loaded.items)) == expect["counts"]
    text = item_text(loaded.items)
    for phrase in expect.get("must_have", []):
        assert phrase in text, phrase
    for phrase in expect.get("must_not_have", []):
        assert phrase.lower() not in text.lower(), phrase


def test_there_are_fixture_cases() -> None:
    assert CASES, "no fixture articles found"
