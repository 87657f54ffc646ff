"""The whole flow on one screen: read → parse → extract → notes → package.

    article = read_article(path)                 # readers/: bytes → Article
    items = extract(article)                     # extract/: one extractor per item kind
    items, skipped = resolve_quizzes(article, items, mode)  # evidence.py: answer-less quiz questions
    notes = article_notes(article, items)        # notes.py: GUIDs, tags, fields
    write_apkg(Package(decks, timestamp), out)   # package.py: deterministic, atomic .apkg
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import NoItemsError
from .evidence import resolve_quizzes
from .extract import extract
from .lock import apply_lock, read_lock, write_lock
from .model import Article, Item, QuizItem
from .notes import NoteSpec, article_notes
from .package import DeckSpec, Package, build_time, write_apkg
from .readers import read_article


@dataclass(frozen=True)
class Options:
    """How articles become notes; manifests and CLI flags fill this in."""

    kinds: tuple[str, ...] | None = None  # None: every kind
    reverse: bool = False
    extra_tags: tuple[str, ...] = ()
    quiz_without_answer: str = "evidence"  # "evidence" (passages of the article) or "skip"


@dataclass(frozen=True)
class Loaded:
    path: Path
    article: Article
    items: tuple[Item, ...]
    skipped: tuple[QuizItem, ...] = ()  # answer-less quiz questions left out


@dataclass(frozen=True)
class BuildResult:
    output: Path
    decks: tuple[DeckSpec, ...]
    articles: tuple[Loaded, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def notes(self) -> tuple[NoteSpec, ...]:
        return tuple(n for d in self.decks for n in d.notes)


def load(path: str | Path, options: Options = Options(), *, identity: str | None = None) -> Loaded:
    article = read_article(path)
    if identity:
        article = replace(article, identity=identity)
    items, skipped = resolve_quizzes(article, extract(article, options.kinds), options.quiz_without_answer)
    return Loaded(Path(path), article, tuple(items), tuple(skipped))


def default_deck_name(article: Article) -> str:
    """``<Subject>::<Title>`` ("Medicine::Neuromuscular Therapy"), or the title alone."""
    return f"{article.subject}::{article.title}" if article.subject else article.title


def build(paths: Sequence[str | Path], output: str | Path, *, deck: str | None = None,
          options: Options = Options(), timestamp: int | None = None,
          deck_id: int | None = None, lock: str | Path | None = None) -> BuildResult:
    """Build articles into one ``.apkg``: into ``deck`` when given, else one deck per article.

    With ``lock`` (a lock file, created if missing), only new and changed notes get a new ``mod``
    (see :mod:`ankiexport.lock`), and the lock is updated once the deck is written.

    Raises :class:`NoItemsError` when nothing learnable was found at all (no empty deck is written).
    """
    stamp = build_time() if timestamp is None else timestamp
    loaded = [load(p, options) for p in paths]
    warnings: list[str] = []
    seen: dict[str, Path] = {}
    unique: list[Loaded] = []
    for entry in loaded:
        if entry.article.key in seen:
            warnings.append(f"{entry.path}: same article as {seen[entry.article.key]} — built once")
            continue
        seen[entry.article.key] = entry.path
        if not entry.items:
            warnings.append(f"no learnable items found in {entry.path}")
        unique.append(entry)
    decks: dict[str, list[NoteSpec]] = {}
    due = 0
    for entry in unique:
        notes = article_notes(entry.article, entry.items, reverse=options.reverse,
                              extra_tags=options.extra_tags, due_start=due, mod=stamp)
        due += len(notes)
        decks.setdefault(deck or default_deck_name(entry.article), []).extend(notes)
    specs = tuple(DeckSpec(name, tuple(notes), deck_id=deck_id if deck else None)
                  for name, notes in decks.items() if notes)
    if not specs:
        raise NoItemsError("no learnable items found", path=", ".join(str(p) for p in paths),
                           remedy="check with `ankiexport inspect ARTICLE` what the parser sees")
    if lock is None:
        out = write_apkg(Package(specs, stamp), output)
        return BuildResult(out, specs, tuple(unique), tuple(warnings))
    locked = apply_lock(specs, read_lock(lock), stamp)
    out = write_apkg(Package(locked.decks, locked.timestamp, locked.model_mods), output)
    write_lock(locked.lock, lock)
    return BuildResult(out, locked.decks, tuple(unique), tuple(warnings))
