"""The whole flow on one screen: read → parse → extract → notes → package.

    article = read_article(path)                 # readers/: bytes → Article
    items = extract(article)                     # extract/: one extractor per item kind
    (manifest overrides: teachers' quiz answers, then renames and identity — see prepare())
    items, skipped = resolve_quizzes(article, items, mode)  # evidence.py: answer-less quiz questions
    notes = article_notes(article, items)        # notes.py: GUIDs, tags, fields
    write_apkg(Package(decks, timestamp), out)   # package.py: deterministic, atomic .apkg

Batches (a course of articles, every manifest of a repository): manifests, folders and files become
:class:`DeckPlan`s (one per output file); :func:`build_batch` reads every article once, in parallel
processes, then assembles and writes each deck in plan order, so the bytes never depend on the number
of processes. A bad article is recorded as a :class:`Failure` and the rest is built. Progress goes to
a callback: the library never prints.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import AnkiexportError, InputError, NoItemsError
from .evidence import resolve_quizzes
from .extract import extract
from .lock import apply_lock, lock_path_for, read_lock, write_lock
from .manifest import ArticleOverride, Manifest, question_key
from .markup import text_to_html
from .model import Article, ChapterPath, Item, MediaFile, QuizItem, normalise_key
from .notes import NoteSpec, article_notes
from .package import DeckSpec, Package, build_time, deck_id_for, write_apkg
from .readers import READERS, read_article
from .readers.media import ReadOptions
from .readers.quizfile import is_quiz_file


@dataclass(frozen=True)
class Options:
    """How articles become notes; manifests and CLI flags fill this in."""

    kinds: tuple[str, ...] | None = None  # None: every kind
    reverse: bool = False
    extra_tags: tuple[str, ...] = ()
    quiz_without_answer: str = "evidence"  # "evidence" (passages of the article) or "skip"
    chapter_subdecks: bool = False  # off by default: Anki never moves existing cards on import
    fetch_media: bool = False  # download an HTML article's remote images (else they are left out)


@dataclass(frozen=True)
class Loaded:
    path: Path
    article: Article
    items: tuple[Item, ...]
    skipped: tuple[QuizItem, ...] = ()  # answer-less quiz questions left out


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


@dataclass(frozen=True)
class BuildResult:
    """A written deck. Its ``articles`` keep items, chapters, media and warnings, not their blocks
    (use :func:`load` for an article's whole text)."""

    output: Path
    decks: tuple[DeckSpec, ...]
    articles: tuple[Loaded, ...]
    warnings: tuple[str, ...] = field(default=())
    size: int = 0

    @property
    def notes(self) -> tuple[NoteSpec, ...]:
        return tuple(n for d in self.decks for n in d.notes)


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
    done: int  # steps finished so far, over both stages
    total: int  # articles + outputs
    path: Path


Progress = Callable[[ProgressEvent], None]


@dataclass(frozen=True)
class BatchResult:
    outputs: tuple[BuildResult, ...]
    failures: tuple[Failure, ...]
    warnings: tuple[str, ...]
    articles: int  # distinct article files read (good and bad)
    duplicates: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures

    def notes_by_kind(self) -> dict[str, int]:
        return dict(sorted(Counter(n.kind for r in self.outputs for n in r.notes).items()))

    def summary(self) -> dict[str, Any]:
        """The batch in plain data: the CLI's summary table and ``--report`` JSON."""
        failed = sum(1 for f in self.failures if f.stage == "article")
        return {
            "articles": {"total": self.articles, "built": self.articles - failed - self.duplicates,
                         "failed": failed, "duplicates": self.duplicates},
            "decks": {"written": len(self.outputs),
                      "failed": sum(1 for f in self.failures if f.stage == "deck")},
            "notes": {"total": sum(self.notes_by_kind().values()), **self.notes_by_kind()},
            "warnings": list(self.warnings),
            "failures": [{"path": f.path, "stage": f.stage, "line": f.error.line, "reason": f.error.message,
                          "message": f.message} for f in self.failures],
            "outputs": [{"path": str(r.output), "decks": [d.name for d in r.decks], "notes": len(r.notes),
                         "articles": len(r.articles), "bytes": r.size} for r in self.outputs],
        }


# --- One article ---------------------------------------------------------------------------------


def load(path: str | Path, options: Options = Options(), *, identity: str | None = None) -> Loaded:
    """One article with the items of ``options.kinds`` (warnings stay on ``article.warnings``)."""
    loaded, _ = prepare(path, None, options.quiz_without_answer, options.fetch_media, kinds=options.kinds)
    if identity:
        loaded = replace(loaded, article=replace(loaded.article, identity=identity))
    return loaded


def prepare(path: str | Path, override: ArticleOverride | None = None,
            quiz_without_answer: str = "evidence", fetch_media: bool = False,
            kinds: tuple[str, ...] | None = None) -> tuple[Loaded, list[str]]:
    """One article as a plan wants it: read → extract → the teacher's quiz answers → answer-less quiz
    questions (evidence or skip) → the other overrides. Plans keep every kind (``kinds=None``) and
    filter later; :func:`load` filters first, so excluded quiz items cost no evidence ranking.

    Quiz answers come first so an answered question is complete and never skipped; renames come last
    so evidence passages get the new chapter names too.
    """
    article = read_article(path, ReadOptions(fetch_media=fetch_media))
    items = extract(article, kinds)
    warnings: list[str] = [f"{path}: {warning}" for warning in article.warnings]
    if override and override.quiz:
        items = list(_apply_quiz_answers(Path(path), tuple(items), override, warnings))
    kept, skipped = resolve_quizzes(article, items, quiz_without_answer)
    loaded = Loaded(Path(path), article, tuple(kept), tuple(skipped))
    if override:
        loaded, more = apply_override(loaded, override)
        warnings.extend(more)
    return loaded, warnings


@dataclass(frozen=True)
class _Job:
    """One article to read and make notes of for a plan; plans asking for the same share one job."""

    path: Path
    override: ArticleOverride | None
    quiz_without_answer: str
    fetch_media: bool = False
    reverse: bool = False
    tags: tuple[str, ...] = ()  # the plan's extra tags and the article's own
    stamp: int = 0  # the notes' mod


@dataclass(frozen=True)
class _Read:
    loaded: Loaded
    warnings: tuple[str, ...]
    notes: tuple[NoteSpec, ...] = ()  # one per item, every kind


def _read_isolated(job: _Job) -> _Read | Failure:
    """Read one article in a worker; any failure becomes a value so the batch goes on."""
    try:
        loaded, warnings = prepare(job.path, job.override, job.quiz_without_answer, job.fetch_media)
        # Notes are made here, in parallel: the process that writes the deck is the bottleneck of a
        # large build, and making 21,000 notes there cost 0.75 s of a 1,000-article build.
        notes = article_notes(loaded.article, loaded.items, reverse=job.reverse, extra_tags=job.tags,
                              mod=job.stamp)
        # The blocks (the whole text, twice) were half of what a worker sent back; nothing after
        # evidence ranking reads them, and unpickling them cost the writing process 0.45 s.
        return _Read(replace(loaded, article=replace(loaded.article, blocks=())), tuple(warnings),
                     tuple(notes))
    except AnkiexportError as exc:
        return Failure(str(job.path), "article", exc)
    except Exception as exc:  # one unparsable article must not sink the batch
        return Failure(str(job.path), "article", InputError(
            f"cannot parse the article ({type(exc).__name__}: {exc})", path=str(job.path),
            remedy="please report this with the file; the rest of the batch was built"))


def default_deck_name(article: Article) -> str:
    """``<Subject>::<Title>`` ("Medicine::Neuromuscular Therapy"), or the title alone."""
    return f"{article.subject}::{article.title}" if article.subject else article.title


def deck_part(text: str) -> str:
    """One level of a deck name: "::" would open another level."""
    return " ".join(text.replace("::", ":").split()) or "_"


def apply_override(entry: Loaded, override: ArticleOverride) -> tuple[Loaded, list[str]]:
    """A manifest's per-article identity, title and chapter renames (quiz answers and extra tags are
    applied by :func:`prepare` and when notes are made). Returns warnings for renames that match no
    chapter, since a typo there would otherwise go unnoticed."""
    article, items = entry.article, entry.items
    warnings: list[str] = []
    if override.id:
        article = replace(article, identity=override.id)
    if override.title:
        # The identity stays the parsed title: retitling a deck must not orphan students' notes.
        article = replace(article, title=override.title, identity=article.identity or article.title)
    if override.chapters:
        article, items = _rename_chapters(entry, article, items, override, warnings)
    return replace(entry, article=article, items=items), warnings


def _rename_chapters(entry: Loaded, article: Article, items: tuple[Item, ...], override: ArticleOverride,
                     warnings: list[str]) -> tuple[Article, tuple[Item, ...]]:
    renames = {normalise_key(old): new for old, new in override.chapters}
    known = {normalise_key(p) for c in article.chapters for p in c.path}
    known |= {normalise_key(p) for i in items for p in i.chapter}

    def rename(path: ChapterPath) -> ChapterPath:
        return tuple(renames.get(normalise_key(p), p) for p in path)

    def rechapter(item: Item) -> Item:
        item = replace(item, chapter=rename(item.chapter))
        if isinstance(item, QuizItem) and item.evidence:
            item = replace(item, evidence=tuple(replace(e, chapter=rename(e.chapter)) for e in item.evidence))
        return item

    for old, _new in override.chapters:
        if normalise_key(old) not in known:
            warnings.append(f"{override.where}: no chapter '{old}' in {entry.path} to rename "
                            f"— copy the heading as the article prints it")
    chapters = tuple(replace(c, title=renames.get(normalise_key(c.title), c.title), path=rename(c.path))
                     for c in article.chapters)
    return replace(article, chapters=chapters), tuple(rechapter(i) for i in items)


def _apply_quiz_answers(path: Path, items: tuple[Item, ...], override: ArticleOverride,
                        warnings: list[str]) -> tuple[Item, ...]:
    answers = {question_key(a.question): a for a in override.quiz}
    used: set[str] = set()
    out: list[Item] = []
    for item in items:
        answer = answers.get(question_key(item.question)) if isinstance(item, QuizItem) else None
        if isinstance(item, QuizItem) and answer is not None:
            used.add(question_key(answer.question))
            item = replace(item, options=tuple(text_to_html(o) for o in answer.options),
                           correct=answer.correct, explanation=text_to_html(answer.explanation))
        out.append(item)
    for key, answer in answers.items():
        if key not in used:
            warnings.append(f"{answer.where}: no quiz question '{answer.question}' in {path} "
                            f"— copy the question as the article prints it")
    return tuple(out)


# --- Plans ---------------------------------------------------------------------------------------


def find_articles(folder: Path) -> list[Path]:
    """Every article in ``folder`` (a file ending a reader handles), recursively, in a stable order.

    Hand-written ``*.quiz.yaml`` quizzes count; hidden files and folders are skipped, and so are other
    files (images beside saved pages, deck manifests).
    """
    suffixes = tuple(READERS)
    # A dangling link is kept: it is an article that cannot be read, and is reported as such.
    found = [p for p in folder.rglob("*")
             if (p.is_file() or p.is_symlink()) and not p.is_dir()
             and (p.suffix.lower() in suffixes or is_quiz_file(p))
             and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
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


# --- Building ------------------------------------------------------------------------------------


def default_jobs() -> int:
    """The CPU cores this process may use (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


CHUNKS_PER_WORKER = 16


def _read_all(jobs: Sequence[_Job], *, workers: int | None, progress: Progress | None,
              total: int) -> dict[_Job, _Read | Failure]:
    """Read every job, in parallel processes when ``workers`` > 1; results keep the input order."""
    count = max(1, min(workers or default_jobs(), len(jobs)))
    results: dict[_Job, _Read | Failure] = {}

    def collect(reads: Iterable[_Read | Failure]) -> None:
        for job, read in zip(jobs, reads, strict=True):
            results[job] = read
            if progress:
                progress(ProgressEvent("read", len(results), total, job.path))

    if count == 1:
        collect(map(_read_isolated, jobs))
    else:
        # Chunks keep inter-process traffic low; small ones keep every worker busy to the end. With 4
        # per worker (125 articles each at N = 1,000), one worker finishing the last chunk alone left
        # the other idle for about a quarter of a second.
        chunk = max(1, len(jobs) // (count * CHUNKS_PER_WORKER))
        with ProcessPoolExecutor(max_workers=count) as pool:
            collect(pool.map(_read_isolated, jobs, chunksize=chunk))
    return results


def _job(plan: DeckPlan, spec: ArticleSpec, stamp: int) -> _Job:
    options = plan.options
    tags = (*options.extra_tags, *(spec.override.tags if spec.override else ()))
    return _Job(spec.path, spec.override, options.quiz_without_answer, options.fetch_media,
                options.reverse, tags, stamp)


def build_batch(plans: Sequence[DeckPlan], *, jobs: int | None = None, progress: Progress | None = None,
                timestamp: int | None = None) -> BatchResult:
    """Build every plan; never raises for a bad article or an unwritable deck (see ``failures``).

    ``jobs`` is the number of processes that read articles (default: CPU cores); the output does not
    depend on it.
    """
    stamp = build_time() if timestamp is None else timestamp
    plan_jobs = [[_job(plan, spec, stamp) for spec in plan.articles] for plan in plans]
    work = list(dict.fromkeys(job for jobs_of_plan in plan_jobs for job in jobs_of_plan))
    total = len(work) + len(plans)
    reads = _read_all(work, workers=jobs, progress=progress, total=total)
    failures = list({r.path: r for r in reads.values() if isinstance(r, Failure)}.values())
    warnings: list[str] = []
    outputs: list[BuildResult] = []
    seen: dict[str, dict[str, Path]] = {}
    duplicates = 0
    for done, (plan, jobs_of_plan) in enumerate(zip(plans, plan_jobs, strict=True), start=len(work) + 1):
        entries, plan_warnings, dupes = _entries(plan, [reads[job] for job in jobs_of_plan],
                                                 seen.setdefault(plan.group, {}))
        duplicates += dupes
        warnings.extend(plan_warnings)
        if entries:
            try:
                outputs.append(_write(plan, entries, stamp, plan_warnings))
            except AnkiexportError as exc:
                failures.append(Failure(str(plan.output), "deck", exc))
        if progress:
            progress(ProgressEvent("write", done, total, plan.output))
    articles = len({job.path for job in work})
    return BatchResult(tuple(outputs), tuple(failures), tuple(warnings), articles, duplicates)


# An article of a plan with its notes (the plan's kinds only).
_Entry = tuple[Loaded, tuple[NoteSpec, ...]]


def _entries(plan: DeckPlan, reads: list[_Read | Failure], seen: dict[str, Path],
             ) -> tuple[list[_Entry], list[str], int]:
    """The plan's good articles (``reads``: one per article of the plan), kinds filtered, duplicates
    dropped."""
    entries: list[_Entry] = []
    warnings: list[str] = []
    duplicates = 0
    wanted = plan.options.kinds
    for read in reads:
        if isinstance(read, Failure):
            continue
        entry = read.loaded
        warnings.extend(read.warnings)
        key = entry.article.key
        if key in seen:
            # The same page saved twice (another file name, another URL): its notes would share GUIDs.
            warnings.append(f"{entry.path}: same article as {seen[key]} ('{entry.article.title}') — built once")
            duplicates += 1
            continue
        seen[key] = entry.path
        notes = read.notes
        if wanted is not None:
            entry = replace(entry, items=tuple(i for i in entry.items if i.kind in wanted))
            notes = tuple(n for n in notes if n.kind in wanted)
        entries.append((entry, notes))
    if any(e.items for e, _ in entries):
        # When no article has anything, the deck's own failure says so once.
        warnings.extend(f"no learnable items found in {e.path}" for e, _ in entries if not e.items)
    return entries, warnings, duplicates


def _write(plan: DeckPlan, entries: list[_Entry], stamp: int, warnings: list[str]) -> BuildResult:
    options = plan.options
    decks: dict[str, list[NoteSpec]] = {}
    for entry, notes in entries:
        base = plan.deck or default_deck_name(entry.article)
        if plan.article_subdecks:
            base = f"{base}::{deck_part(entry.article.title)}"
        for note in notes:
            name = base
            if options.chapter_subdecks and note.chapter:
                name = "::".join((base, *(deck_part(p) for p in note.chapter)))
            decks.setdefault(name, []).append(note)
    media = [m for entry, _ in entries for m in entry.article.media]
    specs = tuple(DeckSpec(name, tuple(notes), media=referenced_media(notes, media), deck_id=_deck_id(plan, name))
                  for name, notes in decks.items())
    if not specs:
        raise NoItemsError("no learnable items found", path=", ".join(str(e.path) for e, _ in entries),
                           remedy="check with `ankiexport inspect ARTICLE` what the parser sees")
    if plan.lock is None:
        out = write_apkg(Package(specs, stamp), plan.output)
    else:
        locked = apply_lock(specs, read_lock(plan.lock), stamp)
        specs = locked.decks
        out = write_apkg(Package(specs, locked.timestamp, locked.model_mods), plan.output)
        write_lock(locked.lock, plan.lock)
    return BuildResult(out, specs, tuple(e for e, _ in entries), tuple(warnings), out.stat().st_size)


def referenced_media(notes: Sequence[NoteSpec], files: Sequence[MediaFile]) -> tuple[MediaFile, ...]:
    """The media files some note of the deck shows; an image only in text that made no card stays out."""
    if not files:
        return ()
    fields = "\n".join(f for note in notes for f in note.fields)
    unique = {m.name: m for m in files}
    return tuple(m for name, m in sorted(unique.items()) if f'src="{name}"' in fields)


def _deck_id(plan: DeckPlan, name: str) -> int | None:
    """With a manifest id, deck ids follow the id (renaming the deck keeps students' decks)."""
    if not plan.deck_id_seed or not plan.deck:
        return None
    if name == plan.deck:
        return deck_id_for(plan.deck_id_seed)
    return deck_id_for(f"{plan.deck_id_seed}::{name[len(plan.deck) + 2:]}")


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
          deck_id_seed: str | None = None, lock: str | Path | None = None) -> BuildResult:
    """Build articles into one ``.apkg``: into ``deck`` when given, else one deck per article.

    With ``lock`` (a lock file, created if missing), only new and changed notes get a new ``mod``
    (see :mod:`ankiexport.lock`), and the lock is updated once the deck is written.

    Raises the first failure (an unreadable article, or :class:`NoItemsError` when nothing learnable
    was found at all: no empty deck is written).
    """
    plan = DeckPlan(Path(output), tuple(ArticleSpec(Path(p)) for p in paths), options, deck=deck,
                    deck_id_seed=deck_id_seed, lock=Path(lock) if lock is not None else None)
    return build_plan(plan, timestamp=timestamp)
