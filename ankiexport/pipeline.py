"""The whole flow on one screen: read → parse → extract → notes → package.

    article = read_article(path)                 # readers/: bytes → Article
    items = extract(article)                     # extract/: one extractor per item kind
    (manifest overrides: teachers' quiz answers, then renames and identity — see prepare())
    items, skipped = resolve_quizzes(article, items, mode)  # evidence.py: answer-less quiz questions
    notes = article_notes(article, items)        # notes.py: GUIDs, tags, fields
    write_apkg(Package(decks, timestamp), out)   # package.py: deterministic, atomic .apkg

Batches (a course of articles, every manifest of a repository): manifests, folders and files become
:class:`DeckPlan`s (one per output file); :func:`build_batch` reads every article once, in parallel
processes, and writes each plan's deck in plan order while its articles arrive (in article order), so
the bytes never depend on the number of processes. A bad article is recorded as a :class:`Failure`
and the rest is built. Progress goes to a callback: the library never prints.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import AnkiexportError, InputError, NoItemsError, UsageError
from .evidence import resolve_quizzes
from .extract import extract
from .lock import apply_lock, lock_path_for, read_lock, write_lock
from .manifest import ArticleOverride, Manifest, question_key
from .markup import text_to_html
from .model import Article, ChapterPath, Item, MediaFile, QuizItem, normalise_key
from .notes import NoteSpec, article_notes
from .package import CollectionWriter, DeckSpec, Package, build_time, deck_id_for, write_apkg
from .paths import is_inside
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
    allow_private_urls: bool = False  # let downloads reach loopback, private and link-local addresses


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
    loaded, _ = prepare(path, None, options.quiz_without_answer, options.fetch_media, kinds=options.kinds,
                        allow_private_urls=options.allow_private_urls)
    if identity:
        loaded = replace(loaded, article=replace(loaded.article, identity=identity))
    return loaded


def prepare(path: str | Path, override: ArticleOverride | None = None,
            quiz_without_answer: str = "evidence", fetch_media: bool = False, *,
            allow_private_urls: bool = False,
            kinds: tuple[str, ...] | None = None) -> tuple[Loaded, list[str]]:
    """One article as a plan wants it: read → extract → the teacher's quiz answers → answer-less quiz
    questions (evidence or skip) → the other overrides. Plans keep every kind (``kinds=None``) and
    filter later; :func:`load` filters first, so excluded quiz items cost no evidence ranking.

    Quiz answers come first so an answered question is complete and never skipped; renames come last
    so evidence passages get the new chapter names too.
    """
    article = read_article(path, ReadOptions(fetch_media=fetch_media, allow_private_urls=allow_private_urls))
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
    allow_private_urls: bool = False


@dataclass(frozen=True)
class _Read:
    loaded: Loaded
    warnings: tuple[str, ...]
    notes: tuple[NoteSpec, ...] = ()  # one per item, every kind


def _read_isolated(job: _Job) -> _Read | Failure:
    """Read one article in a worker; any failure becomes a value so the batch goes on."""
    try:
        loaded, warnings = prepare(job.path, job.override, job.quiz_without_answer, job.fetch_media,
                                   allow_private_urls=job.allow_private_urls)
        # Notes are made here, in parallel: the process that writes the deck is a large build's bottleneck.
        notes = article_notes(loaded.article, loaded.items, reverse=job.reverse, extra_tags=job.tags,
                              mod=job.stamp)
        # Nothing after evidence ranking reads the blocks (the whole text, twice): they are not sent back.
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


# --- Building ------------------------------------------------------------------------------------


def default_jobs() -> int:
    """The CPU cores this process may use (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


# Articles a worker takes at a time: few enough that the workers finish together.
CHUNK_SIZE = 4


@contextmanager
def _reading(jobs: Sequence[_Job], workers: int | None) -> Iterator[Iterator[_Read | Failure]]:
    """Every job's read, in job order, as the workers finish them (in parallel processes when
    ``workers`` > 1)."""
    count = max(1, min(workers or default_jobs(), len(jobs)))
    if count == 1:
        yield map(_read_isolated, jobs)
        return
    pool = ProcessPoolExecutor(max_workers=count)
    try:
        yield pool.map(_read_isolated, jobs, chunksize=CHUNK_SIZE)
    finally:
        pool.shutdown(cancel_futures=True)  # after an error, the chunks not started yet are dropped


class _Reads:
    """The reads so far; asking for a job not read yet waits for the workers to get to it."""

    def __init__(self, jobs: Sequence[_Job], reads: Iterator[_Read | Failure], progress: Progress | None,
                 total: int) -> None:
        self._pending = zip(jobs, reads, strict=True)
        self._progress = progress
        self._total = total
        self.done: dict[_Job, _Read | Failure] = {}
        self.steps = 0  # progress steps: articles read and decks written

    def __getitem__(self, job: _Job) -> _Read | Failure:
        while job not in self.done:
            read_job, read = next(self._pending)
            self.done[read_job] = read
            self.step("read", read_job.path)
        return self.done[job]

    def step(self, stage: str, path: Path) -> None:
        self.steps += 1
        if self._progress:
            self._progress(ProgressEvent(stage, self.steps, self._total, path))


def _job(plan: DeckPlan, spec: ArticleSpec, stamp: int) -> _Job:
    options = plan.options
    tags = (*options.extra_tags, *(spec.override.tags if spec.override else ()))
    return _Job(spec.path, spec.override, options.quiz_without_answer, options.fetch_media,
                options.reverse, tags, stamp, allow_private_urls=options.allow_private_urls)


def build_batch(plans: Sequence[DeckPlan], *, jobs: int | None = None, progress: Progress | None = None,
                timestamp: int | None = None) -> BatchResult:
    """Build every plan; never raises for a bad article or an unwritable deck (see ``failures``).

    ``jobs`` is the number of processes that read articles (default: CPU cores); the output does not
    depend on it. Each plan's deck is written while its articles are read, plan after plan.
    """
    stamp = build_time() if timestamp is None else timestamp
    plan_jobs = [[_job(plan, spec, stamp) for spec in plan.articles] for plan in plans]
    work = list(dict.fromkeys(job for jobs_of_plan in plan_jobs for job in jobs_of_plan))
    deck_failures: list[Failure] = []
    warnings: list[str] = []
    outputs: list[BuildResult] = []
    seen: dict[str, dict[str, Path]] = {}
    duplicates = 0
    with _reading(work, jobs) as results:
        # Plans are built in order, each pulling its articles as they are read: the work list is the
        # plans' articles in that order, so a plan never waits for a later plan's articles.
        reads = _Reads(work, results, progress, len(work) + len(plans))
        for plan, jobs_of_plan in zip(plans, plan_jobs, strict=True):
            log = _PlanLog()
            entries = _entries(plan, (reads[job] for job in jobs_of_plan), seen.setdefault(plan.group, {}), log)
            try:
                built = _write(plan, entries, stamp, log)
                if built is not None:
                    outputs.append(built)
            except AnkiexportError as exc:
                deck_failures.append(Failure(str(plan.output), "deck", exc))
            for _ in entries:  # a failed deck's other articles still count (duplicates, warnings)
                pass
            duplicates += log.duplicates
            warnings.extend(log.warnings)
            reads.step("write", plan.output)
    failures = list({r.path: r for r in reads.done.values() if isinstance(r, Failure)}.values()) + deck_failures
    articles = len({job.path for job in work})
    return BatchResult(tuple(outputs), tuple(failures), tuple(warnings), articles, duplicates)


# An article of a plan with its notes (the plan's kinds only).
_Entry = tuple[Loaded, tuple[NoteSpec, ...]]


@dataclass
class _PlanLog:
    """What a plan's articles had to say, filled in as they stream by."""

    warnings: list[str] = field(default_factory=list)
    duplicates: int = 0


def _entries(plan: DeckPlan, reads: Iterable[_Read | Failure], seen: dict[str, Path], log: _PlanLog,
             ) -> Iterator[_Entry]:
    """The plan's good articles (``reads``: one per article of the plan), kinds filtered, duplicates
    dropped."""
    wanted = plan.options.kinds
    found = False
    empty: list[Path] = []
    for read in reads:
        if isinstance(read, Failure):
            continue
        entry = read.loaded
        log.warnings.extend(read.warnings)
        key = entry.article.key
        if key in seen:
            # The same page saved twice (another file name, another URL): its notes would share GUIDs.
            log.warnings.append(f"{entry.path}: same article as {seen[key]} ('{entry.article.title}') — built once")
            log.duplicates += 1
            continue
        seen[key] = entry.path
        notes = read.notes
        if wanted is not None:
            entry = replace(entry, items=tuple(i for i in entry.items if i.kind in wanted))
            notes = tuple(n for n in notes if n.kind in wanted)
        if notes:
            found = True
        else:
            empty.append(entry.path)
        yield entry, notes
    if found:
        # When no article has anything, the deck's own failure says so once.
        log.warnings.extend(f"no learnable items found in {path}" for path in empty)


def _write(plan: DeckPlan, entries: Iterable[_Entry], stamp: int, log: _PlanLog) -> BuildResult | None:
    """The plan's deck, written as its articles arrive; None when no article of the plan could be read.

    Without a lock, notes go into the collection as they come. With one, the package's timestamp (the
    newest ``mod``) is known only once every note is settled against the lock, so the deck is written
    after its last article.
    """
    options = plan.options
    decks: dict[str, list[NoteSpec]] = {}
    deck_ids: dict[str, int] = {}
    kept: list[Loaded] = []
    with ExitStack() as stack:
        writer: CollectionWriter | None = None
        for entry, notes in entries:
            kept.append(entry)
            base = plan.deck or default_deck_name(entry.article)
            if plan.article_subdecks:
                base = f"{base}::{deck_part(entry.article.title)}"
            for note in notes:
                name = base
                if options.chapter_subdecks and note.chapter:
                    name = "::".join((base, *(deck_part(p) for p in note.chapter)))
                if name not in decks:
                    decks[name] = []
                    deck_ids[name] = _deck_id(plan, name)
                decks[name].append(note)
                if plan.lock is None:
                    writer = writer or stack.enter_context(CollectionWriter(stamp))
                    writer.add(deck_ids[name], note)
        if not kept:
            return None
        media = [m for entry in kept for m in entry.article.media]
        specs = tuple(DeckSpec(name, tuple(notes), media=referenced_media(notes, media), deck_id=deck_ids[name])
                      for name, notes in decks.items())
        if not specs:
            raise NoItemsError("no learnable items found", path=", ".join(str(e.path) for e in kept),
                               remedy="check with `ankiexport inspect ARTICLE` what the parser sees")
        if writer is not None:
            out = writer.finish(Package(specs, stamp), plan.output)
        else:
            assert plan.lock is not None
            locked = apply_lock(specs, read_lock(plan.lock), stamp)
            specs = locked.decks
            out = write_apkg(Package(specs, locked.timestamp, locked.model_mods), plan.output)
            write_lock(locked.lock, plan.lock)
    return BuildResult(out, specs, tuple(kept), tuple(log.warnings), out.stat().st_size)


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
