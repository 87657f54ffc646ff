"""One article as a build wants it: read → extract → the teacher's quiz answers → answer-less quiz
questions (evidence or skip) → the manifest's other overrides."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from .evidence import is_question, resolve_quizzes
from .extract import extract
from .fetch import WebOptions
from .manifest import ArticleOverride
from .model import Article, Item, QuizItem
from .overrides import apply_override, apply_quiz_answers
from .readers import STDIN_SOURCE, is_url, read_article, read_bytes, read_url, sniff_suffix
from .readers.html.media import MEDIA_BUDGET_SECONDS, ReadOptions


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
    media_budget: float = MEDIA_BUDGET_SECONDS  # all of a build's downloads, together
    web: WebOptions = WebOptions()  # articles given as URLs


@dataclass(frozen=True)
class Loaded:
    path: Path
    article: Article
    items: tuple[Item, ...]
    skipped: tuple[QuizItem, ...] = ()  # answer-less quiz questions left out


def skip_warning(item: QuizItem) -> str:
    why = "no passage of the article clearly answers it" if is_question(item.question) \
        else "a statement of unknown truth, not a question"
    return f"line {item.span.start}: quiz question skipped ({why}): {item.question[:80]}"


def load(path: str | Path, options: Options = Options(), *, identity: str | None = None,
         data: bytes | None = None, suffix: str | None = None) -> Loaded:
    """One article with the items of ``options.kinds`` (warnings stay on ``article.warnings``);
    ``data``: the article itself, as for :func:`prepare`."""
    loaded, _ = prepare(path, None, options.quiz_without_answer, options.fetch_media, kinds=options.kinds,
                        allow_private_urls=options.allow_private_urls, web=options.web, data=data, suffix=suffix,
                        media_deadline=time.time() + options.media_budget)
    if identity:
        loaded = replace(loaded, article=replace(loaded.article, identity=identity))
    return loaded


def prepare(path: str | Path, override: ArticleOverride | None = None,
            quiz_without_answer: str = "evidence", fetch_media: bool = False, *,
            allow_private_urls: bool = False, media_deadline: float | None = None,
            web: WebOptions = WebOptions(), kinds: tuple[str, ...] | None = None, data: bytes | None = None,
            suffix: str | None = None) -> tuple[Loaded, list[str]]:
    """One article as a plan wants it: read → extract → the teacher's quiz answers → answer-less quiz
    questions (evidence or skip) → the other overrides. Plans keep every kind (``kinds=None``) and
    filter later; :func:`load` filters first, so excluded quiz items cost no evidence ranking.

    Quiz answers come first so an answered question is complete and never skipped; renames come last
    so evidence passages get the new chapter names too. ``data`` is the article itself (standard
    input), read as ``suffix`` says or as its bytes tell.
    """
    read_options = ReadOptions(fetch_media=fetch_media, allow_private_urls=allow_private_urls,
                               media_deadline=media_deadline, web=web)
    if data is not None:
        article = read_bytes(data, STDIN_SOURCE, Path("stdin"), suffix or sniff_suffix(data), read_options)
    elif is_url(path):
        article = read_url(str(path), read_options)
    else:
        article = read_article(path, read_options)
    items = extract(article, kinds)
    warnings: list[str] = [f"{path}: {warning}" for warning in article.warnings]
    if override and override.quiz:
        items = list(apply_quiz_answers(Path(path), tuple(items), override, warnings))
    kept, skipped = resolve_quizzes(article, items, quiz_without_answer)
    if skipped and quiz_without_answer == "evidence":
        notes = tuple(skip_warning(item) for item in skipped)
        article = replace(article, warnings=(*article.warnings, *notes))
        warnings.extend(f"{path}: {note}" for note in notes)
    prepared = tuple(kept)
    if override:
        article, prepared, more = apply_override(Path(path), article, prepared, override)
        warnings.extend(more)
    return Loaded(Path(path), article, prepared, tuple(skipped)), warnings
