"""The whole flow on one screen: read → parse → extract → notes → package.

    article = read_article(path)                 # readers/: bytes → Article
    items = extract(article)                     # extract/: one extractor per item kind
    (manifest overrides: teachers' quiz answers, then renames and identity — overrides.py)
    items, skipped = resolve_quizzes(article, items, mode)  # evidence.py: answer-less quiz questions
    notes = article_notes(article, items)        # notes.py: GUIDs, tags, fields
    write_apkg(Package(decks, timestamp), out)   # package.py: deterministic, atomic .apkg

One article goes through :mod:`~ankiexport.prepare` (:func:`load`, :func:`prepare`). A build's
inputs (manifests, folders, files and flags) become one :class:`DeckPlan` per output file
(:mod:`~ankiexport.plans`); :func:`build_batch` (:mod:`~ankiexport.batch`) has the articles read in
worker processes (:mod:`~ankiexport.workers`) and writes each plan's deck while they arrive.

This module gathers the names of those stages in one place.
"""

from __future__ import annotations

from .batch import (
    BatchResult,
    BuildResult,
    Failure,
    Progress,
    ProgressEvent,
    build,
    build_batch,
    build_plan,
    deck_part,
    default_deck_name,
    referenced_media,
)
from .overrides import apply_override
from .plans import ArticleSpec, DeckPlan, find_articles, manifest_options, plan_manifest
from .prepare import Loaded, Options, load, prepare
from .workers import default_jobs

__all__ = [
    "ArticleSpec",
    "BatchResult",
    "BuildResult",
    "DeckPlan",
    "Failure",
    "Loaded",
    "Options",
    "Progress",
    "ProgressEvent",
    "apply_override",
    "build",
    "build_batch",
    "build_plan",
    "deck_part",
    "default_deck_name",
    "default_jobs",
    "find_articles",
    "load",
    "manifest_options",
    "plan_manifest",
    "prepare",
    "referenced_media",
]
