"""Building plans: :func:`build_batch` reads every article once, in parallel processes, and writes each
plan's deck in plan order while its articles arrive (in article order), so the bytes never depend on
the number of processes. A bad article is recorded as a :class:`Failure` and the rest is built.
Progress goes to a callback: the library never prints.
"""

from __future__ import annotations

import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .ankifile.formats import output_size, write_package
from .ankifile.lock import EMPTY, REPORTED_NOTES, Lock, apply_lock, lock_from_apkg, read_lock, write_lock
from .ankifile.reader import ApkgError, read_apkg
from .ankifile.writer import CollectionWriter, DeckSpec, Package, build_time, deck_id_for
from .description import ArticleOrigin, deck_description
from .errors import AnkiexportError, IdentityError, NoItemsError
from .model import Article, MediaFile
from .notes import NoteSpec
from .plans import ArticleSpec, DeckPlan
from .prepare import Options
from .readers import is_url
from .scratch import stale_folders_removed
from .workers import ArticleJob, ArticleRead, reading


@dataclass(frozen=True)
class DeckSummary:
    """One deck of a written file."""

    name: str
    id: int
    note_count: int


@dataclass(frozen=True)
class BuildResult:
    """A written deck file, summed up: a batch keeps no note of it, so its memory does not grow with
    the decks it writes (:func:`~ankiexport.prepare.load` gives an article's items, and
    :func:`~ankiexport.ankifile.reader.read_apkg` a file's notes)."""

    output: Path
    decks: tuple[DeckSummary, ...]
    articles: tuple[Path | str, ...]  # the articles built into it, in order (not the failed or duplicate ones)
    notes_by_kind: dict[str, int]  # note count per item kind, kinds sorted
    warnings: tuple[str, ...] = ()
    size: int = 0  # bytes

    @property
    def note_count(self) -> int:
        return sum(d.note_count for d in self.decks)


@dataclass(frozen=True)
class Failure:
    """An article that could not be read or parsed, or a deck that could not be written."""

    path: str
    stage: str  # "article" | "deck"
    error: AnkiexportError

    @property
    def message(self) -> str:
        return str(self.error)


@dataclass(frozen=True)
class ProgressEvent:
    stage: str  # "read" (an article was read) | "write" (an output was written or failed)
    done: int  # articles read so far
    total: int  # articles to read
    path: Path | str


Progress = Callable[[ProgressEvent], None]


@dataclass(frozen=True)
class WarningCause:
    """What a kind of warning means for the whole batch, and the one thing to do about it."""

    pattern: re.Pattern[str]
    one: str  # "remote image left out"
    many: str  # "remote images left out"
    remedy: str


# The first cause whose pattern a warning matches is its cause; a warning that matches none stands alone.
WARNING_CAUSES = (
    WarningCause(re.compile(r"remote image \(pass --fetch-media"), "remote image left out",
                 "remote images left out", "pass --fetch-media to download them"),
    WarningCause(re.compile(r"loopback, private or link-local address \(pass --allow-private-urls"),
                 "image at a private address left out", "images at private addresses left out",
                 "pass --allow-private-urls if you trust the articles' addresses"),
    WarningCause(re.compile(r"time for downloads is used up"), "image left out: the download time was spent",
                 "images left out: the download time was spent", "raise it with --media-budget"),
    WarningCause(re.compile(r": download failed \("), "image download failed", "image downloads failed",
                 "check that the addresses work and this machine can reach them"),
    WarningCause(re.compile(r"^(.*: )?image .*— left out$"), "image left out", "images left out",
                 "bundle PNG, JPEG, GIF, WebP, AVIF, BMP or ICO files beside the article (each line says why)"),
    WarningCause(re.compile(r": quiz question skipped \("), "quiz question skipped", "quiz questions skipped",
                 "give their answers under the article's `quiz:` in a manifest (docs/manifests.md)"),
    WarningCause(re.compile(r"^no learnable items found in "), "article with nothing learnable",
                 "articles with nothing learnable", "check with `ankiexport inspect ARTICLE` what the parser sees"),
    WarningCause(re.compile(r": same article as .* — built once$"), "article saved twice, built once",
                 "articles saved twice, built once", "remove the copies from the inputs"),
    WarningCause(re.compile(r": no (chapter|quiz question) '.*' in "), "manifest override that matches nothing",
                 "manifest overrides that match nothing",
                 "check the names against `ankiexport inspect ARTICLE`"),
)


@dataclass(frozen=True)
class WarningGroup:
    """The warnings of one cause (``cause`` None: a warning of its own)."""

    cause: WarningCause | None
    warnings: tuple[str, ...]

    @property
    def headline(self) -> str:
        """"37 remote images left out — pass --fetch-media to download them", or the lone warning."""
        if self.cause is None:
            return self.warnings[0]
        n = len(self.warnings)
        return f"{n} {self.cause.one if n == 1 else self.cause.many} — {self.cause.remedy}"


def group_warnings(warnings: Sequence[str]) -> tuple[WarningGroup, ...]:
    """Warnings by cause, causes in the order of their first warning, each group's in batch order."""
    by_cause: dict[WarningCause | str, list[str]] = {}
    for warning in warnings:
        cause = next((c for c in WARNING_CAUSES if c.pattern.search(warning)), None)
        by_cause.setdefault(cause or warning, []).append(warning)
    return tuple(WarningGroup(k if isinstance(k, WarningCause) else None, tuple(v)) for k, v in by_cause.items())


@dataclass(frozen=True)
class BatchResult:
    outputs: tuple[BuildResult, ...]
    failures: tuple[Failure, ...]
    warnings: tuple[str, ...]
    articles: int  # distinct article files read (good and bad)
    duplicates: int = 0  # files built nowhere because the same article came first in another file
    unwritten: int = 0  # files read, but built only into decks that could not be written

    @property
    def ok(self) -> bool:
        return not self.failures

    def notes_by_kind(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for output in self.outputs:
            counts.update(output.notes_by_kind)
        return dict(sorted(counts.items()))

    def warning_groups(self) -> tuple[WarningGroup, ...]:
        return group_warnings(self.warnings)

    def summary(self) -> dict[str, Any]:
        """The batch in plain data: the CLI's summary table and ``--report`` JSON. Each article file
        counts once: total = built + failed + duplicates + unwritten."""
        failed = sum(1 for f in self.failures if f.stage == "article")
        return {
            "articles": {"total": self.articles,
                         "built": self.articles - failed - self.duplicates - self.unwritten,
                         "failed": failed, "duplicates": self.duplicates, "unwritten": self.unwritten},
            "decks": {"written": len(self.outputs),
                      "failed": sum(1 for f in self.failures if f.stage == "deck")},
            "notes": {"total": sum(self.notes_by_kind().values()), **self.notes_by_kind()},
            "warnings": list(self.warnings),
            "warning_groups": [{"cause": g.cause.many if g.cause else None,
                                "remedy": g.cause.remedy if g.cause else None, "warnings": list(g.warnings)}
                               for g in self.warning_groups()],
            "failures": [{"path": f.path, "stage": f.stage, "line": f.error.line, "reason": f.error.message,
                          "message": f.message} for f in self.failures],
            "outputs": [{"path": str(r.output), "decks": [d.name for d in r.decks], "notes": r.note_count,
                         "articles": len(r.articles), "bytes": r.size} for r in self.outputs],
        }


def build_batch(plans: Sequence[DeckPlan], *, jobs: int | None = None, progress: Progress | None = None,
                timestamp: int | None = None) -> BatchResult:
    """Build every plan; never raises for a bad article or an unwritable deck (see ``failures``).

    ``jobs`` is the number of processes that read articles (default: CPU cores); the output does not
    depend on it. Each plan's deck is written while its articles are read, plan after plan.
    """
    stamp = build_time() if timestamp is None else timestamp
    started = time.time()
    jobs_by_plan = [[_job(plan, spec, stamp, started) for spec in plan.articles] for plan in plans]
    # Plans are built in order, each taking its articles as they are read: the work list is the plans'
    # articles in that order, so a plan never waits for a later plan's articles.
    work = list(dict.fromkeys(job for plan_jobs in jobs_by_plan for job in plan_jobs))
    total, done = len(work), 0

    def step(stage: str, path: Path | str) -> None:
        nonlocal done
        done += stage == "read"
        if progress:
            progress(ProgressEvent(stage, done, total, path))

    # A read waits here until the last plan that wants it has taken it, and no longer.
    arrived: dict[ArticleJob, ArticleRead | AnkiexportError] = {}
    wanted_by = Counter(job for plan_jobs in jobs_by_plan for job in plan_jobs)
    failed: dict[ArticleJob, Failure] = {}
    outputs: list[BuildResult] = []
    deck_failures: list[Failure] = []
    warnings: list[str] = []
    duplicates: set[Path | str] = set()
    # article key → the first file that had it, and what its notes say
    seen_by_group: dict[str, dict[str, tuple[Path | str, object]]] = {}
    with stale_folders_removed(), reading(work, jobs) as reads:
        pending = zip(work, reads, strict=True)
        for plan, plan_jobs in zip(plans, jobs_by_plan, strict=True):
            seen = seen_by_group.setdefault(plan.group, {})
            plan_warnings: list[str] = list(plan.warnings)
            with _DeckFile(plan, stamp) as deck:
                for job in plan_jobs:
                    while job not in arrived:  # wait for the workers to get to this article
                        read_job, read = next(pending)
                        arrived[read_job] = read
                        if isinstance(read, AnkiexportError):
                            failed[read_job] = Failure(str(read_job.path), "article", read)
                        step("read", read_job.path)
                    read = arrived[job]
                    wanted_by[job] -= 1
                    if not wanted_by[job]:
                        del arrived[job]
                    if isinstance(read, AnkiexportError):
                        continue
                    plan_warnings.extend(read.warnings)
                    article = read.article
                    content = tuple((n.guid, n.fields) for n in read.notes)
                    if article.key in seen:
                        first, first_content = seen[article.key]
                        if first_content == content:
                            # The same page saved twice (another file name, another URL): built once.
                            plan_warnings.append(f"{job.path}: same article as {first} ('{article.title}') "
                                                 "— built once")
                            duplicates.add(job.path)
                        else:
                            failed[job] = Failure(str(job.path), "article", IdentityError(
                                f"the same identity ('{article.key}') as {first}, a different article: "
                                "their notes would share GUIDs", path=str(job.path),
                                remedy="give each article its own `id:` in a manifest"))
                        continue
                    seen[article.key] = (job.path, content)
                    deck.add(article, job.path, read.notes)
                plan_warnings.extend(deck.empty_article_warnings())
                try:
                    built = deck.finish(plan_warnings)
                    if built is not None:
                        outputs.append(built)
                except AnkiexportError as exc:
                    deck_failures.append(Failure(str(plan.output), "deck", exc))
            warnings.extend(plan_warnings)
            step("write", plan.output)
    # One failure per article file, whichever plans asked for it.
    failures = [*{f.path: f for f in failed.values()}.values(), *deck_failures]
    paths = {job.path for job in work}
    in_decks = {path for output in outputs for path in output.articles}
    unread = {job.path for job in failed}
    duplicates -= in_decks
    unwritten = len(paths - in_decks - unread - duplicates)
    return BatchResult(tuple(outputs), tuple(failures), tuple(warnings), len(paths), len(duplicates), unwritten)


def _job(plan: DeckPlan, spec: ArticleSpec, stamp: int, started: float) -> ArticleJob:
    options = plan.options
    tags = (*options.extra_tags, *(spec.override.tags if spec.override else ()))
    # Only a build that downloads has a deadline: equal jobs stay equal, so plans share their reads.
    deadline = started + options.media_budget if options.fetch_media or is_url(spec.path) else None
    return ArticleJob(spec.path, spec.override, options.quiz_without_answer, options.fetch_media,
                      options.reverse, tags, stamp, allow_private_urls=options.allow_private_urls, web=options.web,
                      data=spec.data, suffix=spec.suffix, media_deadline=deadline)


# --- One plan's deck file ------------------------------------------------------------------------


def default_deck_name(article: Article) -> str:
    """``<Subject>::<Title>`` ("Medicine::Neuromuscular Therapy"), or the title alone."""
    return f"{article.subject}::{article.title}" if article.subject else article.title


def deck_part(text: str) -> str:
    """One level of a deck name: "::" would open another level."""
    return " ".join(text.replace("::", ":").split()) or "_"


class _DeckFile:
    """A plan's deck file, written as its articles arrive (in article order).

    Without a previous state, notes go into the collection as they come. With one (a lock, or the deck
    already at the output path), the package's timestamp (the newest ``mod``) is known only once every
    note is settled against it, so the deck is written after its last article. Either way the package
    is made of the deck's notes once all have come: they are kept until then, and of each article only
    its path and media.
    """

    def __init__(self, plan: DeckPlan, stamp: int) -> None:
        self.plan = plan
        self.stamp = stamp
        self.decks: dict[str, list[NoteSpec]] = {}
        self.deck_ids: dict[str, int] = {}
        self.articles: list[Path | str] = []
        self.media: list[MediaFile] = []
        self.empty: list[Path | str] = []  # articles without a note of the plan's kinds
        self.origins: dict[str, dict[ArticleOrigin, None]] = {}  # deck name → its articles, in order
        self._stack = ExitStack()
        self._writer: CollectionWriter | None = None
        self.settled = plan.lock is not None or (plan.history and plan.format == "apkg" and plan.output.is_file())

    def __enter__(self) -> _DeckFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def add(self, article: Article, path: Path | str, notes: Sequence[NoteSpec]) -> None:
        """An article and its notes (every kind: those the plan leaves out are dropped here)."""
        plan = self.plan
        if plan.options.kinds is not None:
            notes = [n for n in notes if n.kind in plan.options.kinds]
        self.articles.append(path)
        self.media.extend(article.media)
        if not notes:
            self.empty.append(path)
        base = plan.deck or article.deck or default_deck_name(article)
        if plan.article_subdecks:
            base = f"{base}::{deck_part(article.title)}"
        origin = ArticleOrigin(article.title, article.url, article.summary)
        for note in notes:
            name = base
            if plan.options.chapter_subdecks and note.chapter:
                name = "::".join((base, *(deck_part(p) for p in note.chapter)))
            if name not in self.decks:
                self.decks[name] = []
                self.deck_ids[name] = _deck_id(plan, name)
            self.decks[name].append(note)
            self.origins.setdefault(name, {})[origin] = None
            if not self.settled and plan.format == "apkg":
                if self._writer is None:
                    self._writer = self._stack.enter_context(CollectionWriter(self.stamp))
                self._writer.add(self.deck_ids[name], note)

    def empty_article_warnings(self) -> list[str]:
        # When no article has anything, the deck's own failure says so once.
        if len(self.empty) == len(self.articles):
            return []
        return [f"no learnable items found in {path}" for path in self.empty]

    def finish(self, warnings: list[str]) -> BuildResult | None:
        """Write the deck file; None when no article of the plan could be read."""
        plan, stamp = self.plan, self.stamp
        if not self.articles:
            return None
        specs = tuple(DeckSpec(name, tuple(notes), media=referenced_media(notes, self.media),
                               deck_id=self.deck_ids[name])
                      for name, notes in self.decks.items())
        if not specs:
            raise NoItemsError("no learnable items found", path=", ".join(map(str, self.articles)),
                               remedy="check with `ankiexport inspect ARTICLE` what the parser sees")
        if self._writer is not None:
            out = self._writer.finish(self._described(Package(specs, stamp)), plan.output)
        else:
            locked = apply_lock(specs, self.previous() if self.settled else EMPTY, stamp)
            package = self._described(Package(locked.decks, locked.timestamp, locked.model_mods))
            specs = package.decks
            out = write_package(package, plan.output, plan.format)
            if plan.lock is not None:
                write_lock(locked.lock, plan.lock)
            warnings.extend(_listed(f"{plan.output}: kept the GUIDs of", "renamed or moved note(s)",
                                    locked.renamed))
            warnings.extend(_listed(f"{plan.output}:", "note(s) left the deck (students keep them; see the README)",
                                    locked.removed))
        kinds = Counter(n.kind for spec in specs for n in spec.notes)
        return BuildResult(out, tuple(DeckSummary(s.name, s.id, len(s.notes)) for s in specs),
                           tuple(self.articles), dict(sorted(kinds.items())), tuple(warnings),
                           output_size(out))


    def _described(self, package: Package) -> Package:
        """Each deck with its description, dated by the package's timestamp."""
        decks = tuple(replace(spec, description=deck_description(tuple(self.origins[spec.name]), spec.notes,
                                                                 package.timestamp))
                      for spec in package.decks)
        return replace(package, decks=decks)


    def previous(self) -> Lock:
        """The deck's previous state: its lock, else the deck file the build replaces."""
        plan = self.plan
        if plan.lock is not None:
            lock = read_lock(plan.lock)
            if plan.history and plan.output.is_file():
                # The deck at the output lends the notes' text, for near matches; unreadable, the lock does alone.
                with suppress(ApkgError):
                    lock = replace(lock, texts=lock_from_apkg(read_apkg(plan.output)).texts)
            return lock
        try:
            return lock_from_apkg(read_apkg(plan.output))
        except ApkgError as exc:
            if not zipfile.is_zipfile(plan.output):
                return EMPTY  # no deck (replaced with --force, or an empty file): no history to keep
            raise ApkgError(f"the deck already at the output cannot be read as the previous release ({exc.message})",
                            path=str(plan.output),
                            remedy="delete it, or pass --no-history to build without the previous release") from exc


def _listed(before: str, after: str, labels: Sequence[str]) -> list[str]:
    """One message counting ``labels`` and naming a few of them (none when there are none)."""
    if not labels:
        return []
    shown = "; ".join(labels[:REPORTED_NOTES])
    more = f"; and {len(labels) - REPORTED_NOTES} more" if len(labels) > REPORTED_NOTES else ""
    return [f"{before} {len(labels)} {after}: {shown}{more}"]


def referenced_media(notes: Sequence[NoteSpec], files: Sequence[MediaFile]) -> tuple[MediaFile, ...]:
    """The media files some note of the deck shows; an image only in text that made no card stays out."""
    if not files:
        return ()
    fields = "\n".join(f for note in notes for f in note.fields)
    unique = {m.name: m for m in files}
    return tuple(m for name, m in sorted(unique.items()) if f'src="{name}"' in fields)


def _deck_id(plan: DeckPlan, name: str) -> int:
    """The id of the plan's deck ``name``: from the deck name, or with a manifest id, from the id
    (renaming the deck keeps students' decks)."""
    if not plan.deck_id_seed or not plan.deck:
        return deck_id_for(name)
    if name == plan.deck:
        return deck_id_for(plan.deck_id_seed)
    return deck_id_for(f"{plan.deck_id_seed}::{name[len(plan.deck) + 2:]}")


# --- One deck file, raising --------------------------------------------------------------------


def build_plan(plan: DeckPlan, *, timestamp: int | None = None) -> BuildResult:
    """Build one plan, raising its first failure (see :func:`build_batch` to build past failures)."""
    result = build_batch([plan], jobs=1, timestamp=timestamp)
    if result.failures:
        raise result.failures[0].error
    if not result.outputs:
        raise NoItemsError("no learnable items found", path=", ".join(str(a.path) for a in plan.articles),
                           remedy="check with `ankiexport inspect ARTICLE` what the parser sees")
    return replace(result.outputs[0], warnings=result.warnings)


def build(paths: Sequence[str | Path], output: str | Path, *, deck: str | None = None,
          options: Options = Options(), timestamp: int | None = None,
          deck_id_seed: str | None = None, lock: str | Path | None = None, history: bool = True) -> BuildResult:
    """Build articles into one ``.apkg``: into ``deck`` when given, else one deck per article.

    With ``lock`` (a lock file, created if missing), only new and changed notes get a new ``mod``
    (see :mod:`ankiexport.ankifile.lock`), and the lock is updated once the deck is written. Without
    one, the deck already at ``output`` is the previous state, unless ``history`` is False.

    Raises the first failure (an unreadable article, or :class:`NoItemsError` when nothing learnable
    was found at all: no empty deck is written).
    """
    plan = DeckPlan(Path(output), tuple(ArticleSpec(Path(p)) for p in paths), options, deck=deck,
                    deck_id_seed=deck_id_seed, lock=Path(lock) if lock is not None else None, history=history)
    return build_plan(plan, timestamp=timestamp)
