"""The command line: a thin click shell over the library (the only module that imports click).

Exit codes: 0 success; 1 an article or deck failed; 2 usage error (bad flags, bad manifest).
"""

from __future__ import annotations

import json
import webbrowser
from collections import Counter
from pathlib import Path
from typing import Any

import click

from . import __version__, apkg, diff, verify
from .errors import AnkiexportError, ManifestError
from .evidence import QUIZ_WITHOUT_ANSWER
from .extract import KINDS
from .lock import lock_path_for
from .manifest import find_manifests, load_manifest
from .markup import html_to_text
from .model import Item, QuizItem
from .package import deck_id_for
from .pipeline import BuildResult, Options, build, load
from .readers.quizfile import is_quiz_file

EXIT_FAILED = 1
EXIT_USAGE = 2


class Group(click.Group):
    """Turns library errors into one-line messages and exit codes, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ManifestError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_USAGE)
        except AnkiexportError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_FAILED)


@click.group(cls=Group)
@click.version_option(__version__, prog_name="ankiexport")
def main() -> None:
    """Turn study articles into Anki decks that update cleanly on re-import."""


def _report(result: BuildResult) -> None:
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    kinds = Counter(n.kind for n in result.notes)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    size = result.output.stat().st_size
    click.echo(f"wrote {result.output} ({len(result.notes)} notes: {summary}; {size:,} bytes)")


QUIZ_WITHOUT_ANSWER_OPTION = click.option(
    "--quiz-without-answer", type=click.Choice(QUIZ_WITHOUT_ANSWER), default="evidence", show_default=True,
    help="Quiz questions without options or answer key: show the article passages that best answer "
         "them (tagged needs-review), or skip them.")


@main.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="The .apkg to write (for articles). Default: dist/<first article>.apkg.")
@click.option("--out-dir", type=click.Path(path_type=Path), default=Path("dist"), show_default=True,
              help="Where manifests' decks go.")
@click.option("--deck", help="Deck name for all notes. Default: <Subject>::<Title> per article.")
@click.option("--kinds", help=f"Comma-separated item kinds to include ({', '.join(KINDS)}).")
@click.option("--reverse/--no-reverse", default=False, help="Also make Definition → Term cards.")
@click.option("--tag", "tags", multiple=True, help="Extra tag for every note (repeatable).")
@QUIZ_WITHOUT_ANSWER_OPTION
@click.option("--lock", "lock_file", type=click.Path(path_type=Path),
              help="Lock file for an article build (created if missing): only changed notes get a new mod. "
                   "A manifest always uses <manifest>.lock.json beside it.")
def build_cmd(paths: tuple[Path, ...], output: Path | None, out_dir: Path, deck: str | None,
              kinds: str | None, reverse: bool, tags: tuple[str, ...], quiz_without_answer: str,
              lock_file: Path | None) -> None:
    """Build articles or manifests into .apkg decks.

    With no PATHS, every manifest in sources/ is built into dist/, each with its lock file.

    Example: ankiexport build seeds/article.txt -o article.apkg
    """
    options = Options(kinds=_parse_kinds(kinds), reverse=reverse, extra_tags=tags,
                      quiz_without_answer=quiz_without_answer)
    if not paths:
        manifests = find_manifests("sources")
        if not manifests:
            raise click.UsageError("no PATHS given and no manifests in sources/")
        paths = tuple(manifests)
    manifests = [p for p in paths if p.suffix.lower() in (".yaml", ".yml") and not is_quiz_file(p)]
    articles = [p for p in paths if p not in manifests]
    if lock_file and not articles:
        raise click.UsageError("--lock is for article builds: a manifest keeps its lock beside it "
                               "(<manifest>.lock.json)")
    for manifest_path in manifests:
        manifest = load_manifest(manifest_path)
        result = build(manifest.articles, out_dir / manifest.output, deck=deck or manifest.deck,
                       options=options, deck_id=deck_id_for(manifest.id) if manifest.id else None,
                       lock=lock_path_for(manifest_path))
        _report(result)
    if articles:
        target = output or out_dir / f"{articles[0].stem}.apkg"
        _report(build(articles, target, deck=deck, options=options, lock=lock_file))


def _parse_kinds(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise click.BadParameter(f"unknown kind {unknown[0]!r}; choose from {', '.join(KINDS)}",
                                 param_hint="--kinds")
    return kinds


@main.command("inspect")
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object for scripts.")
@QUIZ_WITHOUT_ANSWER_OPTION
def inspect_cmd(article: Path, as_json: bool, quiz_without_answer: str) -> None:
    """Show what ankiexport finds in an article, without building anything.

    Quiz questions are reported as complete (options and answer key), evidence-only (passages of
    the article on the back) or skipped.

    Example: ankiexport inspect seeds/article.txt --json
    """
    loaded = load(article, Options(quiz_without_answer=quiz_without_answer))
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
    click.echo(f"{art.title}  ({art.subject or 'no subject'}, {art.language})  {article}")
    click.echo(f"{len(art.chapters)} chapters, {len(loaded.items)} items: "
               + ", ".join(f"{n} {k}" for k, n in sorted(Counter(i.kind for i in loaded.items).items())))
    for item in entries:
        first = next(iter(item.fields().values()), "")
        if isinstance(item, QuizItem):
            first = f"[{_quiz_status(item, item in loaded.skipped)}] {first}"
        click.echo(f"  {item.span.start:>5}  {item.kind:<10}  {' › '.join(item.chapter)[:34]:<34}  {first[:76]}")
    for warning in art.warnings:
        click.echo(f"warning: {warning}", err=True)


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
@click.option("--deck", help="Deck name (articles and manifests), as for build.")
@click.option("--kinds", help=f"Comma-separated item kinds to include ({', '.join(KINDS)}).")
@click.option("--reverse/--no-reverse", default=False, help="Also make Definition → Term cards.")
@QUIZ_WITHOUT_ANSWER_OPTION
def preview_cmd(source: Path, output: Path, open_page: bool, deck: str | None, kinds: str | None,
                reverse: bool, quiz_without_answer: str) -> None:
    """Write one self-contained HTML page showing every card of a deck, front and back.

    INPUT is an article, a manifest or an .apkg. Cards are rendered with the deck's own templates and
    CSS, grouped by chapter, with counts per kind, warnings, a filter box and a light/dark toggle.

    Example: ankiexport preview seeds/article.txt -o preview.html --open
    """
    from . import preview

    options = Options(kinds=_parse_kinds(kinds), reverse=reverse, quiz_without_answer=quiz_without_answer)
    if source.suffix.lower() == preview.PACKAGE_SUFFIX and (options != Options() or deck):
        raise click.UsageError("--deck, --kinds, --reverse and --quiz-without-answer shape articles and "
                               "manifests; an .apkg is previewed as it is")
    shown = preview.collect(source, options=options, deck=deck)
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
    result = diff.diff_apkgs(apkg.read_apkg(old), apkg.read_apkg(new))
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
