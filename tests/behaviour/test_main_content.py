"""The HTML reader's main content measured against two maintained extractors' reference data in
../shared/corpus: trafilatura's must-not strings (chrome) and Readability's expected article text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from ankiexport import load
from ankiexport.markup import html_to_text

from ..conftest import SHARED, shared_dir

TRAFILATURA_PAGES = sorted((SHARED / "corpus" / "trafilatura").glob("*/source.html"))
READABILITY_PAGES = sorted((SHARED / "corpus" / "readability").glob("*/source.html"))

# Readability's synthetic test pages give <title> and <h1> different texts on purpose (its metadata
# prefers one source over another): no headline to be right about.
SYNTHETIC = frozenset({"003-metadata-preferred", "remove-aria-hidden", "replace-brs", "replace-font-tags", "rtl-2",
                       "rtl-4", "style-tags-removal", "visibility-hidden"})
MAX_OUTSIDE_SHARE = 0.02
MIN_TITLES_RIGHT = 0.95
# An item is inside the article when most of its runs of this many words are in the expected text.
SHINGLE_WORDS = 6
SITE_PART = re.compile(r"\s*([|–—·•»:_\-\[]|\s-\s).*")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def item_fields(path: Path) -> list[list[str]]:
    """Each item's fields as plain text (a card's front and back stand in different places on the page)."""
    # A list card's items stand apart on the page: each is a text of its own.
    return [[norm(html_to_text(part)) for k, v in item.fields().items() if k not in ("chapter", "source")
             for part in v.split("</li>") if html_to_text(part).strip()]
            for item in load(path).items]


def item_texts(path: Path) -> list[str]:
    return [" ".join(fields) for fields in item_fields(path)]


def inside(text: str, article: str) -> bool:
    words = text.split()
    if len(words) <= SHINGLE_WORDS:
        return text in article
    runs = [" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]
    return sum(run in article for run in runs) * 2 >= len(runs)


def declared_headline(path: Path) -> str:
    """The headline the page shows in an <h1> and declares as its og:title, when the two agree."""
    document = lxml.html.fromstring(path.read_bytes())
    og_title = next((norm(m.get("content") or "") for m in document.iter("meta")
                     if m.get("property") == "og:title"), "")
    shown = {norm(h1.text_content()) for h1 in document.iter("h1")}
    return og_title if og_title in shown else ""


def title_right(title: str, expected: str, path: Path) -> bool:
    """Readability's title, or that title without its site's name, or with the part before a colon that
    Readability cuts ("Outside the web: standalone …"), or the headline the page both shows and declares
    (Readability reads <title>, which may word it otherwise)."""
    if title == expected or (expected.startswith(title) and SITE_PART.fullmatch(expected[len(title):])):
        return True
    cut = expected.rsplit(" · ", 1)[0]  # (its site's name after "·")
    return title.endswith(": " + cut) or title == declared_headline(path)


def test_shared_pages_are_present_or_skipped() -> None:
    shared_dir("corpus", "trafilatura")
    shared_dir("corpus", "readability")
    assert len(TRAFILATURA_PAGES) >= 20 and len(READABILITY_PAGES) >= 40


@pytest.mark.parametrize("path", TRAFILATURA_PAGES, ids=lambda p: p.parent.name)
def test_no_item_holds_a_must_not_string(path: Path) -> None:
    expected = json.loads((path.parent / "expectations.json").read_text(encoding="utf-8"))
    chrome = [norm(s) for s in expected.get("must_not_contain", [])]
    hits = [(s, t[:80]) for t in item_texts(path) for s in chrome if s in t]
    assert hits == []


def test_items_stay_inside_the_article_and_titles_are_headlines() -> None:
    shared_dir("corpus", "readability")
    outside: list[tuple[str, str]] = []
    total = 0
    wrong_titles: list[tuple[str, str, str]] = []
    for path in READABILITY_PAGES:
        name = path.parent.name
        article = norm(html_to_text((path.parent / "expected.html").read_text(encoding="utf-8")))
        items = item_fields(path)
        total += len(items)
        outside += [(name, " ".join(f)[:80]) for f in items if not all(inside(t, article) for t in f)]
        if name in SYNTHETIC:
            continue
        expected = norm(json.loads((path.parent / "expected-metadata.json").read_text(encoding="utf-8"))["title"])
        title = norm(load(path).article.title)
        if not title_right(title, expected, path):
            wrong_titles.append((name, title, expected))
    assert len(outside) <= MAX_OUTSIDE_SHARE * total, outside
    pages = len(READABILITY_PAGES) - len(SYNTHETIC)
    assert len(wrong_titles) <= (1 - MIN_TITLES_RIGHT) * pages, wrong_titles
