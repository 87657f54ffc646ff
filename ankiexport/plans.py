"""What a build makes: manifests, folders and files, with a :class:`BuildRequest`'s settings, become
one :class:`DeckPlan` per output file (:func:`plans_for`: what ``ankiexport build`` does).

Every refusal comes before any work: a :class:`~ankiexport.errors.RequestError` when the inputs and
settings do not fit together, a :class:`~ankiexport.errors.ManifestError` for invalid manifests, a
:class:`~ankiexport.errors.UsageError` for an output that would replace an input.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from .ankifile.formats import FORMATS, output_for
from .ankifile.lock import lock_path_for
from .ankifile.writer import deck_name_problem
from .errors import AnkiexportError, ManifestError, ManifestErrors, RequestError, UsageError
from .extract import KINDS
from .fetch import WebOptions
from .manifest import ArticleOverride, Manifest, find_manifests, is_manifest, load_manifest
from .paths import check_outputs, is_inside
from .prepare import Loaded, Options, prepare
from .readers import FORMATS as INPUT_FORMATS
from .readers import READERS, STDIN, is_url
from .readers.html.media import IMAGE_EXTENSIONS, MEDIA_BUDGET_SECONDS
from .readers.quizfile import is_quiz_file
from .unzip import unpack

# The kind of file each format writes, for paths.check_outputs.
OUTPUT_KINDS = {"apkg": "deck", "tsv": "text", "crowdanki": "crowdanki"}

# Where a build without inputs looks for manifests (relative to the working folder).
SOURCES = "sources"


@dataclass(frozen=True)
class ArticleSpec:
    """One article of a plan, with its manifest overrides."""

    path: Path | str  # a file, a page's URL, or "-" (standard input, in ``data``)
    override: ArticleOverride | None = None
    data: bytes | None = field(default=None, repr=False)  # the article itself, read from standard input
    suffix: str | None = None  # which reader reads ``data`` (".md"); None: sniffed


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
    format: str = "apkg"  # what is written: an .apkg, Anki's text format or a CrowdAnki folder (formats.py)
    history: bool = True  # without a lock, the deck already at ``output`` is the previous state
    warnings: tuple[str, ...] = ()  # found while planning (files of a folder no reader handles)


# Files beside articles that are no article: a saved page's images, styles and scripts, manifests and
# locks, decks. A folder build does not count them as skipped.
NOT_ARTICLES = frozenset({*IMAGE_EXTENSIONS, ".svg", ".css", ".js", ".json", ".yaml", ".yml", ".apkg", ".map"})


def skipped_files(folder: Path) -> str | None:
    """One line on the files of ``folder`` no reader handles ("12 PDF files skipped: no reader for .pdf"),
    or None; hidden files, and what sits beside articles (``NOT_ARTICLES``), are not counted."""
    counts = Counter(p.suffix.lower() or "(no suffix)" for p in folder.rglob("*")
                     if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                     and p.suffix.lower() not in (*READERS, *NOT_ARTICLES) and not is_quiz_file(p))
    if not counts:
        return None
    kinds = sorted(counts, key=lambda s: (-counts[s], s))
    files = ", ".join(f"{counts[s]} {s.lstrip('.').upper()} file{'s' if counts[s] > 1 else ''}" for s in kinds)
    return f"{folder}: {files} skipped: no reader for {', '.join(kinds)}"


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


@dataclass(frozen=True)
class BuildRequest:
    """A build's settings: ``ankiexport build``'s flags, or a library user's choice."""

    output: Path | None = None  # every article into this one file (or a lone manifest's output)
    out_dir: Path = Path("dist")  # where decks go without ``output``
    deck: str | None = None
    merge: bool = False  # folders and files: one deck with a subdeck per article
    kinds: tuple[str, ...] | None = None  # None: the manifest's setting (default every kind)
    reverse: bool | None = None  # None: the manifest's setting (default off)
    chapter_subdecks: bool | None = None
    tags: tuple[str, ...] = ()
    quiz_without_answer: str = "evidence"
    lock_file: Path | None = None  # for articles built into one deck file; a manifest has its own
    fetch_media: bool = False
    allow_private_urls: bool = False  # downloads may reach loopback, private and link-local addresses
    media_budget: float = MEDIA_BUDGET_SECONDS  # seconds for all of the build's downloads together
    web: WebOptions = WebOptions()  # articles given as URLs: bounds and the download cache
    stdin: bytes | None = None  # what the article "-" holds
    stdin_format: str | None = None  # its reader ("text", "html", "markdown"); None: sniffed
    force: bool = False  # write outputs even over an input or a file of another kind
    allow_outside: bool = False  # manifests may read outside their repository, folders follow links out
    report: Path | None = None  # a summary the caller will write: checked like the outputs
    format: str = "apkg"  # "apkg", "tsv" or "crowdanki": default output names end as the format's do
    history: bool = True  # False: a build without a lock ignores the deck already at its output

    def options(self, manifest: Manifest | None = None) -> Options:
        """How articles become notes: the request's settings win over a manifest's; tags add up."""
        base = manifest_options(manifest) if manifest else Options()
        return replace(
            base,
            kinds=self.kinds if self.kinds is not None else base.kinds,
            reverse=self.reverse if self.reverse is not None else base.reverse,
            chapter_subdecks=self.chapter_subdecks if self.chapter_subdecks is not None else base.chapter_subdecks,
            extra_tags=tuple(dict.fromkeys((*base.extra_tags, *self.tags))),
            quiz_without_answer=self.quiz_without_answer,
            fetch_media=self.fetch_media or base.fetch_media,
            allow_private_urls=self.allow_private_urls,
            media_budget=self.media_budget,
            web=self.web,
        )


def plans_for(paths: Sequence[Path | str], request: BuildRequest) -> list[DeckPlan]:
    """Manifests, article files, pages' URLs and folders (none: every manifest in ``sources/``) → one
    plan per output file, refused before any work when they cannot be built as asked."""
    _check_request(request)
    inputs = [p if is_url(p) or p == STDIN else Path(p) for p in paths]
    plans = _plans(inputs, request)
    if request.format != "apkg":
        # An output named with -o is written as named; default names take the format's suffix.
        plans = [replace(p, format=request.format,
                         output=p.output if request.output else output_for(p.output, request.format))
                 for p in plans]
    _check_outputs(plans, [p for p in inputs if isinstance(p, Path)], request)
    return plans


@dataclass(frozen=True)
class Inspected:
    """One article as its plan reads it, or why it could not be read."""

    path: Path | str
    loaded: Loaded | None
    warnings: tuple[str, ...] = ()  # each with the article's path
    error: AnkiexportError | None = None


def inspect_articles(paths: Sequence[Path | str], request: BuildRequest) -> list[Inspected]:
    """Each article of ``plans_for(paths, request)`` once, read, extracted and overridden as its plan
    would build it (what ``ankiexport inspect`` shows); nothing is written."""
    seen: dict[Path | str, Inspected] = {}
    # Merged: articles of the same name in two folders would otherwise be refused as two decks for one file.
    for plan in plans_for(paths, replace(request, merge=True)):
        options = plan.options
        for spec in plan.articles:
            if spec.path in seen:
                continue
            try:
                loaded, warnings = prepare(spec.path, spec.override, options.quiz_without_answer,
                                           options.fetch_media, kinds=options.kinds,
                                           allow_private_urls=options.allow_private_urls, web=options.web,
                                           data=spec.data, suffix=spec.suffix)
            except AnkiexportError as exc:
                seen[spec.path] = Inspected(spec.path, None, error=exc)
                continue
            if not loaded.items:
                warnings.append(f"no learnable items found in {spec.path}")
            seen[spec.path] = Inspected(spec.path, loaded, tuple(warnings))
    return list(seen.values())


def url_name(url: str) -> str:
    """A file name for a page's deck: the last part of its path, else its host ("stdin" for "-")."""
    if url == STDIN:
        return "stdin"
    parts = urllib.parse.urlsplit(url)
    stem = PurePosixPath(urllib.parse.unquote(parts.path)).stem
    return re.sub(r"[^\w.-]+", "-", stem or parts.hostname or "page").strip("-.") or "page"


def _name(article: Path | str) -> str:
    return article.stem if isinstance(article, Path) else url_name(article)


def deck_problem(deck: str) -> str | None:
    """Why ``deck`` would not stay the deck's name in Anki, as a message, or None."""
    problem = deck_name_problem(deck)
    return f"the deck name {problem}; write levels as 'Biology::Cells'" if problem else None


def kinds_problem(kinds: Sequence[str]) -> str | None:
    """The first of ``kinds`` that is no item kind, as a message, or None."""
    unknown = [k for k in kinds if k not in KINDS]
    return f"unknown kind {unknown[0]!r}; choose from {', '.join(KINDS)}" if unknown else None


def _check_request(request: BuildRequest) -> None:
    problem = (deck_problem(request.deck) if request.deck is not None else None) or kinds_problem(request.kinds or ())
    if request.format not in FORMATS:
        problem = f"unknown format {request.format!r}; choose from {', '.join(FORMATS)}"

    if problem:
        raise RequestError(problem)


def _plans(paths: Sequence[Path | str], request: BuildRequest) -> list[DeckPlan]:
    if not paths:
        paths = find_manifests(SOURCES)
        if not paths:
            raise RequestError(f"no PATHS given and no manifests in {SOURCES}/")
    manifest_paths = [p for p in paths if isinstance(p, Path) and is_manifest(p)]
    inputs = [p for p in paths if p not in manifest_paths]
    if request.output and manifest_paths and (inputs or len(manifest_paths) > 1):
        raise RequestError("-o names one output: use it with articles or a single manifest")
    plans = _manifest_plans(manifest_paths, request)
    if inputs:
        article_plans = _article_plans(inputs, request)
        if request.lock_file and len(article_plans) > 1:
            raise RequestError("--lock is for articles built into one deck file: add -o or --merge")
        plans.extend(replace(p, lock=request.lock_file, history=request.history) for p in article_plans)
    elif request.lock_file:
        raise RequestError("--lock is for article builds: a manifest keeps its lock beside it "
                           "(<manifest>.lock.json)")
    outputs = Counter(os.path.normpath(p.output) for p in plans)
    clash = next((o for o, n in outputs.items() if n > 1), None)
    if clash:
        raise RequestError(f"two decks would both be written to {clash} — use -o with --merge, "
                           f"or give the articles different file names")
    return plans


def _check_outputs(plans: list[DeckPlan], paths: Sequence[Path], request: BuildRequest) -> None:
    """No output replaces an input or a file of another kind (see paths.check_output)."""
    articles = [a.path for p in plans for a in p.articles if isinstance(a.path, Path)]
    inputs = [*paths, *articles, *(Path(p.source) for p in plans if p.source)]
    outputs = [(plan.output, OUTPUT_KINDS[plan.format], "output") for plan in plans]
    if request.report:
        outputs.append((request.report, "report", "--report"))
    if request.lock_file:
        outputs.append((request.lock_file, "lock", "--lock"))
    check_outputs(outputs, inputs, force=request.force)


def _manifest_plans(paths: list[Path], request: BuildRequest) -> list[DeckPlan]:
    """One plan per manifest; every invalid manifest is reported, not only the first."""
    plans: list[DeckPlan] = []
    errors: list[ManifestError] = []
    for path in paths:
        try:
            manifest = load_manifest(path, allow_outside=request.allow_outside)
        except ManifestError as exc:
            errors.append(exc)
            continue
        if request.deck:
            manifest = replace(manifest, deck=request.deck)
        plan = plan_manifest(manifest, request.out_dir, request.options(manifest))
        plan = replace(plan, history=request.history)
        plans.append(replace(plan, output=request.output) if request.output else plan)
    if len(errors) > 1:
        raise ManifestErrors(errors)
    if errors:
        raise errors[0]
    return plans


def _article_plans(inputs: list[Path | str], request: BuildRequest) -> list[DeckPlan]:
    """Articles, pages' URLs, folders and zip archives of folders (a Notion export): one deck file per
    article, or all in one file with -o or --merge."""
    archives = {p: unpack(p) for p in inputs if isinstance(p, Path) and p.suffix.lower() == ".zip" and p.is_file()}
    names = {folder: archive.stem for archive, folder in archives.items()}
    inputs = [archives.get(p, p) if isinstance(p, Path) else p for p in inputs]
    found: list[tuple[Path | str, Path]] = []  # (article, the folder it was found in, or its own folder)
    skipped = tuple(line for p in inputs if isinstance(p, Path) and p.is_dir() and (line := skipped_files(p)))
    for path in inputs:
        if isinstance(path, str):
            if path == STDIN and request.stdin is None:
                raise RequestError("'-' reads an article from standard input, but none was given")
            found.append((path, Path()))
        elif path.is_dir():
            articles = find_articles(path, allow_outside=request.allow_outside)
            if not articles:
                raise RequestError(f"no articles in {path} (looked for {', '.join(READERS)} files)")
            found.extend((a, path) for a in articles)
        else:
            found.append((path, path.parent))
    found = list({a: (a, root) for a, root in found}.values())
    options = request.options()
    if request.merge or request.output:
        folders = [p for p in inputs if isinstance(p, Path) and p.is_dir()]
        name = (names.get(folders[0], folders[0].resolve().name) if len(folders) == 1 and len(inputs) == 1
                else _name(found[0][0]))
        output = request.output or request.out_dir / f"{name}.apkg"
        deck = request.deck or (name if request.merge else None)
        return [DeckPlan(output, tuple(_spec(a, request) for a, _ in found), options, deck=deck,
                         article_subdecks=request.merge, group="articles", warnings=skipped)]
    return [DeckPlan(request.out_dir / _output_name(a, root), (_spec(a, request),), options,
                     deck=request.deck, group="articles", warnings=skipped if index == 0 else ())
            for index, (a, root) in enumerate(found)]


def _spec(article: Path | str, request: BuildRequest) -> ArticleSpec:
    if article != STDIN:
        return ArticleSpec(article)
    suffix = INPUT_FORMATS[request.stdin_format] if request.stdin_format else None
    return ArticleSpec(article, data=request.stdin, suffix=suffix)


def _output_name(article: Path | str, root: Path) -> Path:
    if isinstance(article, str):
        return Path(f"{url_name(article)}.apkg")
    return article.relative_to(root).with_suffix(".apkg")
