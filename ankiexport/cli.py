"""The command line: a thin click shell over the library (the only module that imports click).

Exit codes: 0 success (warnings allowed); 1 an article or deck failed (the rest was built); 2 usage
error (bad flags, a missing path, a bad manifest: nothing was built).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import webbrowser
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import click

from . import __version__
from .ankifile.atomic import write_text_atomic
from .ankifile.reader import read_apkg
from .batch import BatchResult, Progress, ProgressEvent, build_batch
from .errors import AnkiexportError, ManifestError, ManifestErrors, RequestError, UsageError
from .evidence import QUIZ_WITHOUT_ANSWER
from .extract import KINDS
from .markup import html_to_text
from .model import Item, QuizItem
from .paths import check_output
from .plans import BuildRequest, deck_problem, kinds_problem, plans_for
from .prepare import Options, load
from .readers.html.media import MEDIA_BUDGET_SECONDS
from .sanitize import CONTROL_CHARACTERS

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


@click.group(cls=Group)
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

QUIZ_WITHOUT_ANSWER_OPTION = click.option(
    "--quiz-without-answer", type=click.Choice(QUIZ_WITHOUT_ANSWER), default="evidence", show_default=True,
    help="Quiz questions without options or answer key: show the article passages that best answer "
         "them (tagged needs-review), or skip them.")


@main.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Put all articles into this one .apkg (or set a lone manifest's output).")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              show_default=True, help="Where decks go when -o is not given.")
@click.option("--deck", callback=lambda _c, _p, v: _deck_name(v),
              help="Deck name for all notes. Default: <Subject>::<Title> per article.")
@click.option("--merge", is_flag=True, help="One deck with a subdeck per article (for folders and files).")
@click.option("--kinds", callback=lambda _c, _p, v: _parse_kinds(v),
              help=f"Comma-separated item kinds to include ({', '.join(KINDS)}).")
@click.option("--reverse/--no-reverse", default=None, help="Also make Definition → Term cards.")
@click.option("--chapter-subdecks/--no-chapter-subdecks", default=None,
              help="One subdeck per chapter (default off: chapters are tags).")
@click.option("--tag", "tags", multiple=True, help="Extra tag for every note (repeatable).")
@QUIZ_WITHOUT_ANSWER_OPTION
@click.option("--lock", "lock_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Lock file for a build of articles into one deck file (created if missing): only changed "
                   "notes get a new mod. A manifest always uses <manifest>.lock.json beside it.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes that parse articles. Default: CPU cores.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary (errors still show).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the summary as JSON, for CI.")
@click.option("--fetch-media", is_flag=True,
              help="Download remote images of HTML articles (10 s timeout, 5 MiB cap each).")
@click.option("--media-budget", type=click.FloatRange(min=0), default=MEDIA_BUDGET_SECONDS, show_default=True,
              metavar="SECONDS", help="Time for all of the build's downloads together; later ones are left out.")
@ALLOW_PRIVATE_URLS_OPTION
@FORCE_OPTION
@ALLOW_OUTSIDE_OPTION
def build_cmd(paths: tuple[Path, ...], jobs: int | None, quiet: bool, **flags: Any) -> None:
    """Build articles, folders of articles or manifests into .apkg decks.

    A folder means every article in it, recursively: one deck file per article, or with --merge one
    deck with a subdeck per article. With no PATHS, every manifest in sources/ is built into dist/,
    each with its lock file. A bad article is reported and the rest is built; the exit code is then 1.

    Example: ankiexport build course/ --merge --deck "Biology::Year 9" -o year9.apkg
    """
    request = BuildRequest(**flags)
    try:
        plans = plans_for(paths, request)
    except RequestError as exc:
        raise click.UsageError(str(exc)) from exc
    with _progress(quiet) as progress:
        result = build_batch(plans, jobs=jobs, progress=progress)
    code = EXIT_FAILED if result.failures else 0
    for failure in result.failures:
        _echo(f"error: {failure.message}", err=True)
    for warning in result.warnings:
        _echo(f"warning: {warning}", err=True)
    if not quiet:
        click.echo(_summary_table(result))
    if request.report:
        _write_report(request.report, {**result.summary(), "exit_code": code})
    click.get_current_context().exit(code)


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
                    length=event.total, label="Building", file=sys.stderr, show_pos=True)))
            bar = bars[0]
            bar.label = "Reading" if event.stage == "read" else "Writing"
            bar.update(event.done - bar.pos)

        yield update


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    raise AssertionError("unreachable")


def _summary_table(result: BatchResult) -> str:
    data = result.summary()
    art, notes = data["articles"], data["notes"]
    per_kind = ", ".join(f"{n} {k}" for k, n in notes.items() if k != "total")
    rows = [
        ("articles", f"{art['total']} ({art['built']} built, {art['failed']} failed, "
                     f"{art['duplicates']} duplicates)"),
        ("decks", f"{data['decks']['written']} written, {data['decks']['failed']} failed"),
        ("notes", f"{notes['total']}" + (f" ({per_kind})" if per_kind else "")),
        ("warnings", str(len(data["warnings"]))),
        ("failures", str(len(data["failures"]))),
    ]
    lines = [f"{label:<10}{value}" for label, value in rows]
    width = max([len(o["path"]) for o in data["outputs"]] + [len("output")])
    lines.append(f"{'output':<{width}}  {'notes':>7}  {'size':>9}")
    lines += [f"{o['path']:<{width}}  {o['notes']:>7}  {_size(o['bytes']):>9}" for o in data["outputs"]]
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


@main.command("inspect")
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object for scripts.")
@QUIZ_WITHOUT_ANSWER_OPTION
@click.option("--fetch-media", is_flag=True, help="Download remote images of an HTML article.")
@ALLOW_PRIVATE_URLS_OPTION
def inspect_cmd(article: Path, as_json: bool, quiz_without_answer: str, fetch_media: bool,
                allow_private_urls: bool) -> None:
    """Show what ankiexport finds in an article, without building anything.

    Quiz questions are reported as complete (options and answer key), evidence-only (passages of
    the article on the back) or skipped.

    Example: ankiexport inspect seeds/article.txt --json
    """
    loaded = load(article, Options(quiz_without_answer=quiz_without_answer, fetch_media=fetch_media,
                                   allow_private_urls=allow_private_urls))
    art = loaded.article
    entries = sorted([*loaded.items, *loaded.skipped], key=lambda i: (i.span.start, i.span.end))
    if not loaded.items:
        click.echo(f"warning: no learnable items found in {article}", err=True)
    if as_json:
        payload = {
            "title": art.title,
            "subject": art.subject,
            "language": art.language,
            "chapters": [" › ".join(c.path) for c in art.chapters],
            "items": [_item_json(i, i in loaded.skipped) for i in entries],
            "quiz": dict(Counter(_quiz_status(i, i in loaded.skipped)
                                 for i in entries if isinstance(i, QuizItem))),
            "warnings": list(art.warnings),
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    _echo(f"{art.title}  ({art.subject or 'no subject'}, {art.language})  {article}")
    click.echo(f"{len(art.chapters)} chapters, {len(loaded.items)} items: "
               + ", ".join(f"{n} {k}" for k, n in sorted(Counter(i.kind for i in loaded.items).items())))
    for item in entries:
        first = next(iter(item.fields().values()), "")
        if isinstance(item, QuizItem):
            first = f"[{_quiz_status(item, item in loaded.skipped)}] {first}"
        _echo(f"  {item.span.start:>5}  {item.kind:<10}  {' › '.join(item.chapter)[:34]:<34}  {first[:76]}")
    for warning in art.warnings:
        _echo(f"warning: {warning}", err=True)


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


@main.command("preview")
@click.argument("source", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("preview.html"), show_default=True,
              help="The HTML page to write.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default web browser.")
@click.option("--deck", callback=lambda _c, _p, v: _deck_name(v),
              help="Deck name (articles and manifests), as for build.")
@click.option("--kinds", help=f"Comma-separated item kinds to include ({', '.join(KINDS)}).")
@click.option("--reverse/--no-reverse", default=False, help="Also make Definition → Term cards.")
@QUIZ_WITHOUT_ANSWER_OPTION
@FORCE_OPTION
@ALLOW_OUTSIDE_OPTION
def preview_cmd(source: Path, output: Path, open_page: bool, deck: str | None, kinds: str | None,
                reverse: bool, quiz_without_answer: str, force: bool, allow_outside: bool) -> None:
    """Write one self-contained HTML page showing every card of a deck, front and back.

    INPUT is an article, a manifest or an .apkg. Cards are rendered with the deck's own templates and
    CSS, grouped by chapter, with counts per kind, warnings, a filter box and a light/dark toggle.

    Example: ankiexport preview seeds/article.txt -o preview.html --open
    """
    from .preview import page as preview

    options = Options(kinds=_parse_kinds(kinds), reverse=reverse, quiz_without_answer=quiz_without_answer)
    if source.suffix.lower() == preview.PACKAGE_SUFFIX and (options != Options() or deck):
        raise click.UsageError("--deck, --kinds, --reverse and --quiz-without-answer shape articles and "
                               "manifests; an .apkg is previewed as it is")
    check_output(output, "page", [source], force=force)
    shown = preview.collect(source, options=options, deck=deck, allow_outside=allow_outside)
    page = preview.write_preview(shown, output)
    for warning in shown.warnings:
        click.echo(f"warning: {warning.title}", err=True)
    notes = sum(n for n, _ in shown.kinds.values())
    click.echo(f"wrote {page} ({len(shown.cards)} cards from {notes} notes)")
    if open_page:
        webbrowser.open(page.resolve().as_uri())


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True,
              help="Markdown for release notes, or JSON for scripts.")
@click.option("--title", help="Heading of the Markdown section. Default: the NEW file's name.")
def diff_cmd(old: Path, new: Path, fmt: str, title: str | None) -> None:
    """List notes added, removed and changed from OLD.apkg to NEW.apkg (matched by GUID, by chapter).

    Example: ankiexport diff previous/deck.apkg dist/deck.apkg --format md >> CHANGELOG.md
    """
    from .release import diff  # each command imports what only it uses: every `build` starts faster

    result = diff.diff_apkgs(read_apkg(old), read_apkg(new))
    if fmt == "json":
        click.echo(diff.to_json(result))
    else:
        click.echo(diff.to_markdown(result, title=title or new.name), nl=False)


@main.command("verify")
@click.argument("deck", type=click.Path(path_type=Path))
@click.option("--previous", type=click.Path(path_type=Path),
              help="The previous release: also test the upgrade from it (import OLD, then DECK).")
def verify_cmd(deck: Path, previous: Path | None) -> None:
    """Check that DECK.apkg is fit to publish; exit 1 with one line per problem.

    Structure is always checked; with the `anki` extra installed, the deck is also imported into a
    temporary collection and every card rendered.

    Example: ankiexport verify dist/deck.apkg --previous previous/deck.apkg
    """
    from .release import verify

    report = verify.verify(deck, previous)
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
