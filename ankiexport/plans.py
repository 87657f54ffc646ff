"""What a build makes: manifests, folders and files → :class:`DeckPlan`s, one per output file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .lock import lock_path_for
from .manifest import ArticleOverride, Manifest
from .paths import is_inside
from .prepare import Options
from .readers import READERS
from .readers.quizfile import is_quiz_file


@dataclass(frozen=True)
class ArticleSpec:
    """One article of a plan, with its manifest overrides."""

    path: Path
    override: ArticleOverride | None = None


@dataclass(frozen=True)
class DeckPlan:
    """One output file and what goes into it."""

    output: Path
    articles: tuple[ArticleSpec, ...]
    options: Options = Options()
    deck: str | None = None  # None: each article gets its own deck, <Subject>::<Title>
    deck_id_seed: str | None = None  # a manifest id: deck ids derive from it instead of the deck name
    article_subdecks: bool = False  # one subdeck per article under ``deck`` (``--merge``)
    group: str = ""  # duplicate articles are looked for across the plans of one group
    source: str = ""  # where the plan came from (a manifest path), for messages
    lock: Path | None = None  # with a lock file, only new and changed notes get a new mod (lock.py)


def find_articles(folder: Path, *, allow_outside: bool = False) -> list[Path]:
    """Every article in ``folder`` (a file ending a reader handles), recursively, in a stable order.

    Hand-written ``*.quiz.yaml`` quizzes count; hidden files and folders are skipped, and so are other
    files (images beside saved pages, deck manifests). A link to a file outside the folder is refused
    unless ``allow_outside``: its text would become published notes.
    """
    suffixes = tuple(READERS)
    # A dangling link is kept: it is an article that cannot be read, and is reported as such.
    found = [p for p in folder.rglob("*")
             if (p.is_file() or p.is_symlink()) and not p.is_dir()
             and (p.suffix.lower() in suffixes or is_quiz_file(p))
             and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    outside = next((p for p in found if not allow_outside and not is_inside(p, folder)), None)
    if outside is not None:
        raise UsageError(f"{outside} links to {os.path.realpath(outside)}, outside {folder}",
                         remedy="copy the article into the folder, or pass --allow-outside if you trust the link")
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def plan_manifest(manifest: Manifest, out_dir: Path, options: Options) -> DeckPlan:
    """``options`` are the manifest's settings already merged with any command-line flags."""
    return DeckPlan(
        output=out_dir / manifest.output,
        articles=tuple(ArticleSpec(p, manifest.override_for(p)) for p in manifest.articles),
        options=options,
        deck=manifest.deck,
        deck_id_seed=manifest.id,
        group=str(manifest.path),
        source=str(manifest.path),
        lock=lock_path_for(manifest.path),
    )


def manifest_options(manifest: Manifest) -> Options:
    return Options(kinds=manifest.kinds, reverse=manifest.reverse, extra_tags=manifest.tags,
                   chapter_subdecks=manifest.chapter_subdecks)
