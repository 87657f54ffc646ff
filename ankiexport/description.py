"""A deck's description, shown in Anki above the deck's Study button: where its notes came from
(each article's title, summary and URL), when it was built and how many notes of each kind it holds.
Article text is escaped and the whole sanitised like a field: Anki shows it as HTML.

The article's file name stays out: the same article built from another path gives the same bytes."""

from __future__ import annotations

import html
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .notes import NoteSpec
from .sanitize import clean_html

# Deck descriptions are read on a phone's overview screen: a long summary is cut at a word.
SUMMARY_CHARS = 400


@dataclass(frozen=True)
class ArticleOrigin:
    title: str
    url: str | None = None  # the page's own URL (its og:url)
    summary: str | None = None


def _source_html(url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
    return html.escape(url)


def _short(text: str) -> str:
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def deck_description(origins: Sequence[ArticleOrigin], notes: Sequence[NoteSpec], timestamp: int) -> str:
    """The description of a deck holding ``notes`` from the articles ``origins``, built at ``timestamp``
    (the package's: an unchanged rebuild gives the same description)."""
    parts = []
    for origin in origins:
        parts.append(f"<p><b>{html.escape(origin.title)}</b></p>")
        if origin.summary:
            parts.append(f"<p>{html.escape(_short(origin.summary))}</p>")
        if origin.url:
            parts.append(f'<p class="ae-source">Source: {_source_html(origin.url)}</p>')
    kinds = Counter(note.kind for note in notes)
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    date = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    parts.append(f"<p>{sum(kinds.values())} notes ({counts}), built {date} by ankiexport.</p>")
    return clean_html("".join(parts))
