"""A manifest's per-article overrides, applied to a parsed article: the teacher's quiz answers, an
identity, a title and chapter renames (extra tags are applied when notes are made).

Each override that matches nothing in the article becomes a warning naming the manifest's line: a
typo there would otherwise go unnoticed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .manifest import ArticleOverride, question_key
from .markup import text_to_html
from .model import Article, ChapterPath, Item, QuizItem, normalise_key


def apply_override(path: Path, article: Article, items: tuple[Item, ...], override: ArticleOverride,
                   ) -> tuple[Article, tuple[Item, ...], list[str]]:
    """The article ``path`` with the override's identity, title and chapter renames, and warnings for
    renames that match no chapter."""
    warnings: list[str] = []
    if override.id:
        article = replace(article, identity=override.id)
    if override.title:
        # The identity stays the parsed title: retitling a deck must not orphan students' notes.
        article = replace(article, title=override.title, identity=article.key)
    if override.chapters:
        article, items = rename_chapters(path, article, items, override, warnings)
    return article, items, warnings


def rename_chapters(path: Path, article: Article, items: tuple[Item, ...], override: ArticleOverride,
                    warnings: list[str]) -> tuple[Article, tuple[Item, ...]]:
    renames = {normalise_key(old): new for old, new in override.chapters}
    known = {normalise_key(p) for c in article.chapters for p in c.path}
    known |= {normalise_key(p) for i in items for p in i.chapter}

    def rename(chapter: ChapterPath) -> ChapterPath:
        return tuple(renames.get(normalise_key(p), p) for p in chapter)

    def rechapter(item: Item) -> Item:
        item = replace(item, chapter=rename(item.chapter), printed_chapter=item.printed_chapter or item.chapter)
        if isinstance(item, QuizItem) and item.evidence:
            item = replace(item, evidence=tuple(replace(e, chapter=rename(e.chapter)) for e in item.evidence))
        return item

    for old, _new in override.chapters:
        if normalise_key(old) not in known:
            warnings.append(f"{override.where}: no chapter '{old}' in {path} to rename "
                            f"— copy the heading as the article prints it")
    chapters = tuple(replace(c, title=renames.get(normalise_key(c.title), c.title), path=rename(c.path))
                     for c in article.chapters)
    return replace(article, chapters=chapters), tuple(rechapter(i) for i in items)


def apply_quiz_answers(path: Path, items: tuple[Item, ...], override: ArticleOverride,
                       warnings: list[str]) -> tuple[Item, ...]:
    """The teacher's options, answer key and explanation on the quiz questions they answer."""
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
