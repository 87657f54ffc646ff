"""One article as a build wants it: read → extract → the teacher's quiz answers → answer-less quiz
questions (evidence or skip) → the manifest's other overrides."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .evidence import is_question, resolve_quizzes
from .extract import extract
from .manifest import ArticleOverride
from .model import Article, Item, QuizItem
from .overrides import apply_override, apply_quiz_answers
from .readers import read_article
from .readers.html.media import ReadOptions


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


def skip_warning(item: QuizItem) -> str:
    why = "no passage of the article clearly answers it" if is_question(item.question) \
        else "a statement of unknown truth, not a question"
    return f"line {item.span.start}: quiz question skipped ({why}): {item.question[:80]}"


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
