"""The command line: a thin click shell over the library (the only module that imports click).

Exit codes: 0 success (warnings allowed); 1 an article or deck failed (the rest was built); 2 usage
error (bad flags, a missing path, a bad manifest: nothing was built).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import threading
import webbrowser
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from . import __version__
from .ankifile.atomic import write_text_atomic
from .ankifile.formats import FORMATS
from .ankifile.reader import read_apkg
from .batch import BatchResult, Progress, ProgressEvent, WarningGroup, build_batch, group_warnings
from .errors import AnkiexportError, ManifestError, ManifestErrors, RequestError, UsageError
from .evidence import QUIZ_WITHOUT_ANSWER
from .extract import KINDS
from .fetch import WebOptions, default_cache_dir
from .manifest import is_manifest
from .markup import html_to_text
from .model import Item, QuizItem
from .paths import check_output
from .plans import BuildRequest, deck_problem, inspect_articles, kinds_problem, plans_for
from .prepare import Loaded, Options
from .readers import FORMATS as INPUT_FORMATS
from .readers import MAX_ARTICLE_BYTES, STDIN, is_url
from .readers.html.media import MEDIA_BUDGET_SECONDS
from .sanitize import CONTROL_CHARACTERS

STDOUT = "-"  # -o -: the deck goes to standard output
EXIT_FAILED = 1
EXIT_USAGE = 2


class Group(click.Group):
    """Turns library errors into one-line messages and exit codes, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _terminate_cleanly():
                return super().invoke(ctx)
        except (ManifestError, UsageError) as exc:
            for error in exc.errors if isinstance(exc, ManifestErrors) else (exc,):
                click.echo(f"error: {error}", err=True)
            ctx.exit(EXIT_USAGE)
        except AnkiexportError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_FAILED)


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """SIGTERM (a CI job cancelled, a container stopped) ends the command like Ctrl-C does: as an
    exception, so half-written outputs and temporary collections are removed on the way out. By
    default SIGTERM kills the process where it stands. Worker processes forked meanwhile keep the
    default: they write nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    owner = os.getpid()

    def terminate(signum: int, frame: object) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _echo(text: str, *, err: bool = False) -> None:
    """A line that may quote an article: its terminal escape sequences and other controls dropped."""
    click.echo(CONTROL_CHARACTERS.sub("", text), err=err)


def examples(*lines: str) -> str:
    """A command's epilog: the examples that end its help, kept on their own lines (click's \\b).
    Their paths exist in the repository (tests/e2e/test_cli.py checks)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=examples(
    "ankiexport build seeds/000_d148be0a6e69b967.txt -o nmt.apkg",
    "ankiexport build -h",
    'eval "$(_ANKIEXPORT_COMPLETE=bash_source ankiexport)"   # completion for bash (see docs/cli.md)'))
@click.version_option(__version__, prog_name="ankiexport")
def main() -> None:
    """Turn study articles into Anki decks that update cleanly on re-import."""


FORCE_OPTION = click.option(
    "--force", is_flag=True,
    help="Write outputs even over an input or an existing file of another kind (refused by default).")

ALLOW_PRIVATE_URLS_OPTION = click.option(
    "--allow-private-urls", is_flag=True,
    help="Let downloads reach loopback, private and link-local addresses (refused by default).")

ALLOW_OUTSIDE_OPTION = click.option(
    "--allow-outside", is_flag=True,
    help="Let manifests read articles outside their repository, and folders follow links out of the folder.")

# A warning cause shows this many of its warnings; -v shows them all.
SHOWN_PER_CAUSE = 3


Command = Callable[..., Any]


def quiet_and_verbose(command: Command) -> Command:
    command = click.option("-v", "--verbose", is_flag=True,
                           help="More detail: every warning of each cause, and each deck of each file.")(command)
    return click.option("-q", "--quiet", is_flag=True,
                        help="No progress bar, summary or warnings (errors still show).")(command)


def _echo_warnings(groups: tuple[WarningGroup, ...], verbose: bool) -> None:
    """One line per cause with its remedy, then a few of its warnings (all with -v)."""
    for group in groups:
        _echo(f"warning: {group.headline}", err=True)
        if group.cause is None:
            continue
        shown = group.warnings if verbose else group.warnings[:SHOWN_PER_CAUSE]
        for warning in shown:
            _echo(f"  {warning}", err=True)
        if len(shown) < len(group.warnings):
            click.echo(f"  … and {len(group.warnings) - len(shown)} more (-v lists them all)", err=True)


QUIZ_WITHOUT_ANSWER_OPTION = click.option(
    "--quiz-without-answer", type=click.Choice(QUIZ_WITHOUT_ANSWER), default="evidence", show_default=True,
    help="Quiz questions without options or answer key: show the article passages that best answer "
         "them (tagged needs-review), or skip them.")


WEB_OPTIONS = (
    click.option("--url-timeout", type=click.FloatRange(min=0, min_open=True), default=WebOptions.seconds,
                 show_default=True, help="Seconds a page given as a URL may take, first byte to last."),
    click.option("--url-max-bytes", type=click.IntRange(min=1), default=WebOptions.max_bytes, show_default=True,
                 help="The largest page given as a URL, in bytes."),
    click.option("--max-redirects", type=click.IntRange(min=0), default=WebOptions.max_redirects,
                 show_default=True, help="Redirects a download may follow."),
    click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                 help="Where fetched pages and images are kept, for rebuilds offline. "
                      "Default: ankiexport/downloads in the user's cache folder."),
    click.option("--refresh", is_flag=True, help="Fetch pages and images again, even those in the cache."),
)


INPUT_FORMAT_OPTION = click.option(
    "--input-format", "stdin_format", type=click.Choice(list(INPUT_FORMATS)),
    help="What the article '-' (standard input) is, when its first bytes do not tell (HTML, front matter "
         "or a '#' heading: Markdown, else a text dump).")


def _stdin(paths: tuple[str, ...]) -> bytes | None:
    """Standard input's bytes when '-' is among ``paths`` (read once, within the article size cap)."""
    if STDIN not in paths:
        return None
    data: bytes = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        raise click.UsageError(f"standard input is larger than {MAX_ARTICLE_BYTES // 1024**2} MiB")
    return data


def web_options(command: Any) -> Any:
    for option in reversed(WEB_OPTIONS):
        command = option(command)
    return command


def _web(flags: dict[str, Any]) -> WebOptions:
    """The URL flags, taken out of ``flags``."""
    cache_dir = flags.pop("cache_dir")
    return WebOptions(flags.pop("url_timeout"), flags.pop("url_max_bytes"), flags.pop("max_redirects"),
                      cache_dir or default_cache_dir(), flags.pop("refresh"))


def _options(*decorators: Callable[[Command], Command]) -> Callable[[Command], Command]:
    def apply(command: Command) -> Command:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command
    return apply


# What changes the items found: build, inspect and preview take these alike (into a BuildRequest).
READ_OPTIONS = _options(
    click.argument("paths", metavar="PATHS...", nargs=-1),
    click.option("--kinds", callback=lambda _c, _p, v: _parse_kinds(v),
                 help=f"Comma-separated item kinds to include ({', '.join(KINDS)})."),
    QUIZ_WITHOUT_ANSWER_OPTION,
    click.option("--fetch-media", is_flag=True,
                 help="Download remote images of HTML articles (10 s timeout, 5 MiB cap each)."),
    click.option("--media-budget", type=click.FloatRange(min=0), default=MEDIA_BUDGET_SECONDS, show_default=True,
                 metavar="SECONDS", help="Time for all of the build's downloads together; later ones are left out."),
    ALLOW_PRIVATE_URLS_OPTION,
    ALLOW_OUTSIDE_OPTION,
    *WEB_OPTIONS,
    INPUT_FORMAT_OPTION,
)

# What changes the decks and cards made of the items: build and preview take these alike.
CARD_OPTIONS = _options(
    click.option("--deck", callback=lambda _c, _p, v: _deck_name(v),
                 help="Deck name for all notes. Default: <Subject>::<Title> per article."),
    click.option("--merge", is_flag=True, help="One deck with a subdeck per article (for folders and files)."),
    click.option("--reverse/--no-reverse", default=None, help="Also make Definition → Term cards."),
    click.option("--chapter-subdecks/--no-chapter-subdecks", default=None,
                 help="One subdeck per chapter (default off: chapters are tags)."),
    click.option("--tag", "tags", multiple=True, help="Extra tag for every note (repeatable)."),
)


@main.command("build", epilog=examples(
    "ankiexport build seeds/000_d148be0a6e69b967.txt -o nmt.apkg",
    'ankiexport build tests/fixtures/articles --merge --deck "Languages::Mixed" -o mixed.apkg',
    "ankiexport build sources/neuromuscular-therapy.yaml --out-dir dist --report report.json",
    "ankiexport build"))
@READ_OPTIONS
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Put all articles into this one .apkg (or set a lone manifest's output); '-' writes it "
                   "to standard output.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              show_default=True, help="Where decks go when -o is not given.")
@CARD_OPTIONS
@click.option("--lock", "lock_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Lock file for a build of articles into one deck file (created if missing): only changed "
                   "notes get a new mod. A manifest always uses <manifest>.lock.json beside it.")
@click.option("--no-history", "history", flag_value=False, default=True,
              help="Without a lock, ignore the deck already at the output: every note gets the build time.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes that parse articles. Default: CPU cores.")
@quiet_and_verbose
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the summary as JSON, for CI.")
@click.option("--format", "format", type=click.Choice(FORMATS), default="apkg", show_default=True,
              help="apkg: a deck to import; tsv: Anki's text format (.txt, re-imports update the notes); "
                   "crowdanki: a CrowdAnki folder (deck.json + media/). All carry the same GUIDs.")
@FORCE_OPTION
def build_cmd(paths: tuple[str, ...], jobs: int | None, quiet: bool, verbose: bool, **flags: Any) -> None:
    """Build articles, folders of articles or manifests into .apkg decks.

    An article is a file or a page's http(s) URL (fetched within bounds, kept in the cache). A folder
    means every article in it, recursively: one deck file per article, or with --merge one
    deck with a subdeck per article. With no PATHS, every manifest in sources/ is built into dist/,
    each with its lock file. A bad article is reported and the rest is built; the exit code is then 1.
    """
    with ExitStack() as stack:
        to_stdout = flags["output"] == Path(STDOUT)
        if to_stdout:  # the deck is written as any other, then copied to standard output
            flags["output"] = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ankiexport-"))) / "deck.apkg"
        request = BuildRequest(web=_web(flags), stdin=_stdin(paths), **flags)
        with _usage_errors():
            plans = plans_for(paths, request)
        with _progress(quiet) as progress:
            result = build_batch(plans, jobs=jobs, progress=progress)
        code = EXIT_FAILED if result.failures else 0
        for failure in result.failures:
            _echo(f"error: {failure.message}", err=True)
        if not quiet:
            _echo_warnings(result.warning_groups(), verbose)
            click.echo(_summary_table(result, verbose), err=to_stdout)
        if to_stdout and request.output and request.output.exists():
            sys.stdout.buffer.write(request.output.read_bytes())
            sys.stdout.buffer.flush()
    if request.report:
        _write_report(request.report, {**result.summary(), "exit_code": code})
    click.get_current_context().exit(code)


@contextmanager
def _usage_errors() -> Iterator[None]:
    """A request that does not fit together is a usage error (exit 2), as a bad flag is."""
    try:
        yield
    except RequestError as exc:
        raise click.UsageError(str(exc)) from exc


@contextmanager
def _progress(quiet: bool) -> Iterator[Progress | None]:
    """click's progress bar on a terminal; nothing when quiet or when stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    with ExitStack() as stack:
        bars: list[Any] = []

        def update(event: ProgressEvent) -> None:
            if not bars:
                bars.append(stack.enter_context(click.progressbar(
                    length=event.total, label="Articles", file=sys.stderr, show_pos=True)))
            bars[0].update(event.done - bars[0].pos)

        yield update


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    raise AssertionError("unreachable")


def _summary_table(result: BatchResult, verbose: bool = False) -> str:
    data = result.summary()
    art, notes = data["articles"], data["notes"]
    per_kind = ", ".join(f"{n} {k}" for k, n in notes.items() if k != "total")
    unwritten = f", {art['unwritten']} only in decks not written" if art["unwritten"] else ""
    rows = [
        ("articles", f"{art['total']} ({art['built']} built, {art['failed']} failed, "
                     f"{art['duplicates']} duplicates{unwritten})"),
        ("decks", f"{data['decks']['written']} written, {data['decks']['failed']} failed"),
        ("notes", f"{notes['total']}" + (f" ({per_kind})" if per_kind else "")),
        ("warnings", str(len(data["warnings"]))),
        ("failures", str(len(data["failures"]))),
    ]
    lines = [f"{label:<10}{value}" for label, value in rows]
    width = max([len(o["path"]) for o in data["outputs"]] + [len("output")])
    lines.append(f"{'output':<{width}}  {'notes':>7}  {'size':>9}")
    for output in data["outputs"]:
        lines.append(f"{output['path']:<{width}}  {output['notes']:>7}  {_size(output['bytes']):>9}")
        if verbose:
            lines += [f"  {deck}" for deck in output["decks"]]
    if not data["outputs"]:
        lines.append("(no deck written)")
    return "\n".join(lines)


def _write_report(path: Path, data: dict[str, Any]) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", what="the report")


def _deck_name(value: str | None) -> str | None:
    problem = deck_problem(value) if value is not None else None
    if problem:
        raise click.BadParameter(problem, param_hint="--deck")
    return value


def _parse_kinds(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    problem = kinds_problem(kinds)
    if problem:
        raise click.BadParameter(problem, param_hint="--kinds")
    return kinds


@main.command("inspect", epilog=examples(
    "ankiexport inspect seeds/000_d148be0a6e69b967.txt",
    "ankiexport inspect tests/fixtures/quizzes/enzymes.html --json",
    "ankiexport inspect sources/neuromuscular-therapy.yaml --kinds quiz"))
@READ_OPTIONS
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@quiet_and_verbose
def inspect_cmd(paths: tuple[str, ...], as_json: bool, quiet: bool, verbose: bool, **flags: Any) -> None:
    """Show what ankiexport finds in articles, without building anything.

    PATHS are what build takes (articles, folders, manifests; none: the manifests in sources/), read
    as build reads them, with a manifest's overrides. Quiz questions are reported as complete
    (options and answer key), evidence-only (passages of the article on the back) or skipped.
    """
    with _usage_errors():
        inspected = inspect_articles(paths, BuildRequest(web=_web(flags), stdin=_stdin(paths), **flags))
    found = [(i, i.loaded) for i in inspected if i.loaded is not None]
    if as_json:
        payloads = [_article_json(loaded) for _, loaded in found]
        first = Path(paths[0]) if len(paths) == 1 else None
        lone = len(inspected) == 1 and first is not None and not first.is_dir() and not is_manifest(first)
        if payloads:
            click.echo(json.dumps(payloads[0] if lone else payloads, ensure_ascii=False, indent=2))
    else:
        for _, loaded in found:
            _echo_article(loaded)
    if not quiet:
        _echo_warnings(group_warnings([w for i in inspected for w in i.warnings]), verbose)
    errors = [i.error for i in inspected if i.error is not None]
    for error in errors:
        _echo(f"error: {error}", err=True)
    if errors:
        click.get_current_context().exit(EXIT_FAILED)


def _article_json(loaded: Loaded) -> dict[str, Any]:
    art = loaded.article
    entries = sorted([*loaded.items, *loaded.skipped], key=lambda i: (i.span.start, i.span.end))
    return {
        "path": str(loaded.path),
        "title": art.title,
        "subject": art.subject,
        "language": art.language,
        "chapters": [" › ".join(c.path) for c in art.chapters],
        "items": [_item_json(i, i in loaded.skipped) for i in entries],
        "quiz": dict(Counter(_quiz_status(i, i in loaded.skipped) for i in entries if isinstance(i, QuizItem))),
        "warnings": list(art.warnings),
    }


def _echo_article(loaded: Loaded) -> None:
    art = loaded.article
    entries = sorted([*loaded.items, *loaded.skipped], key=lambda i: (i.span.start, i.span.end))
    _echo(f"{art.title}  ({art.subject or 'no subject'}, {art.language})  {loaded.path}")
    click.echo(f"{len(art.chapters)} chapters, {len(loaded.items)} items: "
               + ", ".join(f"{n} {k}" for k, n in sorted(Counter(i.kind for i in loaded.items).items())))
    for item in entries:
        first = next(iter(item.fields().values()), "")
        if isinstance(item, QuizItem):
            first = f"[{_quiz_status(item, item in loaded.skipped)}] {first}"
        _echo(f"  {item.span.start:>5}  {item.kind:<10}  {' › '.join(item.chapter)[:34]:<34}  {first[:76]}")


def _quiz_status(item: QuizItem, skipped: bool) -> str:
    return "skipped" if skipped else item.status


def _item_json(item: Item, skipped: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"kind": item.kind, "chapter": " › ".join(item.chapter), "fields": item.fields(),
                             "line": item.span.start}
    if isinstance(item, QuizItem):
        entry["status"] = _quiz_status(item, skipped)
        entry["evidence"] = [
            {"chapter": " › ".join(e.chapter), "line": e.span.start, "text": e.text or html_to_text(e.html)}
            for e in item.evidence]
    return entry


@main.command("preview", epilog=examples(
    "ankiexport preview seeds/000_d148be0a6e69b967.txt -o preview.html --open",
    "ankiexport preview sources/neuromuscular-therapy.yaml --reverse -o reverse.html",
    'ankiexport preview tests/fixtures/articles --merge --deck "Languages::Mixed" -o mixed.html'))
@READ_OPTIONS
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("preview.html"), show_default=True,
              help="The HTML page to write.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default web browser.")
@CARD_OPTIONS
@quiet_and_verbose
@FORCE_OPTION
def preview_cmd(paths: tuple[str, ...], output: Path, open_page: bool, quiet: bool, verbose: bool,
                **flags: Any) -> None:
    """Write one self-contained HTML page showing every card of a deck, front and back.

    PATHS are what build takes, as one deck file (articles and folders, or one manifest), or one
    .apkg. Cards are rendered with the deck's own templates and CSS, grouped by chapter, with counts
    per kind, warnings, a filter box and a light/dark toggle.
    """
    from .preview import page as preview

    request = BuildRequest(web=_web(flags), stdin=_stdin(paths), **flags)
    inputs = [name if is_url(name) or name == STDIN else Path(name) for name in paths]
    files = [p for p in inputs if isinstance(p, Path)]
    packages = [p for p in files if p.suffix.lower() == preview.PACKAGE_SUFFIX]
    shaping = replace(request.options(), web=Options().web)  # where pages are cached shapes no card
    if packages and (len(paths) > 1 or shaping != Options() or request.deck or request.merge):
        raise click.UsageError("an .apkg is previewed as it is, alone: the flags that shape cards are for "
                               "articles, folders and manifests")
    check_output(output, "page", files, force=request.force)
    with _usage_errors():
        shown = preview.collect(inputs, request)
    page = preview.write_preview(shown, output)
    if quiet:
        return
    for warning in shown.warnings:
        click.echo(f"warning: {warning.title}", err=True)
        for detail in warning.details if verbose else ():
            _echo(f"  {detail}", err=True)
    notes = sum(n for n, _ in shown.kinds.values())
    click.echo(f"wrote {page} ({len(shown.cards)} cards from {notes} notes)")
    if open_page:
        webbrowser.open(page.resolve().as_uri())


@main.command("diff", epilog=examples(
    "ankiexport build seeds/000_d148be0a6e69b967.txt -o old.apkg",
    "ankiexport build seeds/000_d148be0a6e69b967.txt --reverse -o new.apkg",
    "ankiexport diff old.apkg new.apkg --format json"))
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True,
              help="Markdown for release notes, or JSON for scripts.")
@click.option("--title", help="Heading of the Markdown section. Default: the NEW file's name.")
def diff_cmd(old: Path, new: Path, fmt: str, title: str | None) -> None:
    """List notes added, removed and changed from OLD.apkg to NEW.apkg (matched by GUID, by chapter)."""
    from .release import diff  # each command imports what only it uses: every `build` starts faster

    result = diff.diff_apkgs(read_apkg(old), read_apkg(new))
    if fmt == "json":
        click.echo(diff.to_json(result))
    else:
        click.echo(diff.to_markdown(result, title=title or new.name), nl=False)


@main.command("verify", epilog=examples(
    "ankiexport build sources/neuromuscular-therapy.yaml --out-dir dist",
    "ankiexport verify dist/neuromuscular-therapy.apkg",
    "ankiexport verify dist/neuromuscular-therapy.apkg --previous dist/neuromuscular-therapy.apkg --format json"))
@click.argument("deck", type=click.Path(path_type=Path))
@click.option("--previous", type=click.Path(path_type=Path),
              help="The previous release: also test the upgrade from it (import OLD, then DECK).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="One line per problem, or one JSON object for scripts.")
def verify_cmd(deck: Path, previous: Path | None, fmt: str) -> None:
    """Check that DECK.apkg is fit to publish; exit 1 with one line per problem.

    Structure is always checked; with the `anki` extra installed, the deck is also imported into a
    temporary collection and every card rendered.
    """
    from .release import verify

    report = verify.verify(deck, previous)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        if not report.ok:
            raise SystemExit(EXIT_FAILED)
        return
    for problem in report.problems:
        click.echo(problem)
    for what in report.skipped:
        click.echo(f"note: skipped {what}", err=True)
    if not report.ok:
        click.echo(f"{deck}: {len(report.problems)} problem(s)", err=True)
        raise SystemExit(EXIT_FAILED)
    checked = "structure, import and rendering" if report.rendered else "structure"
    line = f"ok: {deck} ({report.notes} notes, {report.cards} cards; checked {checked})"
    if report.upgrade:
        u = report.upgrade
        line += (f"; upgrade from {previous}: {u.new} new, {u.updated} updated, {u.unchanged} unchanged, "
                 f"{u.conflicting} conflicting")
    click.echo(line)
