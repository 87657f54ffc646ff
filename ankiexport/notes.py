"""Items → note specifications: note type, fields, stable GUID, tags, new-card order.

Identity rule: GUID = hash(article identity, item kind, item key). The article identity is its title
or a manifest id (never the file path); the key names the item (chapter + term, or the question),
never its answer, so fixing a typo in a definition updates the student's note instead of adding one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import genanki.util

from .model import (
    Article,
    ChapterPath,
    Definition,
    Faq,
    Item,
    QuizItem,
    Takeaway,
    normalise_key,
)
from .notetypes import DEFINITION, QA, QUIZ, NoteType
from .sanitize import clean_html

GUID_NAMESPACE = "ankiexport"
NO_ANSWER = "The article gives no answer to this question."
NO_ANSWER_EVIDENCE = "The article gives no answer to this question; these passages of it come closest."
NEEDS_REVIEW = "needs-review"


@dataclass(frozen=True)
class NoteSpec:
    guid: str
    note_type: NoteType
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    kind: str
    chapter: ChapterPath
    article: str
    line: int
    mod: int = 0

    def field_map(self) -> dict[str, str]:
        return dict(zip(self.note_type.field_names, self.fields, strict=True))


_TAG_BAD = re.compile(r"[\s\"]+")


def tag_part(text: str) -> str:
    """One component of a hierarchical tag: Anki tags hold no spaces, and "::" separates levels."""
    cleaned = _TAG_BAD.sub("_", text.strip().replace("::", ":"))
    return cleaned.strip("_") or "_"


def chapter_tag(article_title: str, chapter: ChapterPath) -> str:
    return "::".join(tag_part(p) for p in (article_title, *chapter))


def item_guid(article: Article, item: Item) -> str:
    return str(genanki.util.guid_for(GUID_NAMESPACE, article.key, item.kind, normalise_key(item.key)))


def _chapter_field(chapter: ChapterPath) -> str:
    return html.escape(" › ".join(chapter), quote=False)


def _source_field(article: Article) -> str:
    # The article, not the line: a line number shifts for every item below an edit, and each release
    # would then rewrite all those notes in students' collections (see lock.py). `inspect` gives lines.
    return html.escape(article.title, quote=False)


def _fields(item: Item, chapter: str, source: str, reverse: bool) -> tuple[NoteType, tuple[str, ...]]:
    """The note type and its fields, sanitised. ``chapter`` and ``source`` come sanitised already:
    an article's notes share a few of them. The Reverse and Shuffle flags ("y" or "") need no
    sanitising."""
    if isinstance(item, Definition):
        rev = "y" if reverse and not isinstance(item, Takeaway) else ""
        return DEFINITION, (clean_html(html.escape(item.term, quote=False)), clean_html(item.definition),
                            clean_html(item.example), chapter, source, rev)
    if isinstance(item, Faq):
        return QA, (clean_html(html.escape(item.question, quote=False)), clean_html(item.answer), chapter, source)
    if isinstance(item, QuizItem):
        question, options, answer, explanation, evidence, _, _, shuffle = quiz_fields(item, chapter, source)
        return QUIZ, (clean_html(question), clean_html(options), clean_html(answer), clean_html(explanation),
                      clean_html(evidence), chapter, source, shuffle)
    raise TypeError(f"no note type for {type(item).__name__}")


def option_key(index: int) -> str:
    return chr(ord("A") + index)


def quiz_fields(item: QuizItem, chapter: str, source: str) -> tuple[str, ...]:
    """The Quiz note's fields. Options is the front's list; Answer is the same list with the correct
    option(s) marked by class and by a visible "✓", so the back reads right without CSS or script."""
    keys = [option_key(i) for i in range(len(item.options))]
    options = answer = ""
    if item.options:
        options = '<ol class="ae-options" type="A">' + "".join(
            f'<li data-key="{k}">{o}</li>' for k, o in zip(keys, item.options, strict=True)) + "</ol>"
        if len(item.correct) > 1:
            options += f'<div class="ae-hint">Choose {len(item.correct)} answers.</div>'
    if item.correct:
        answer = '<ol class="ae-options ae-key" type="A">' + "".join(
            f'<li data-key="{k}" class="ae-right"><span class="ae-tick">✓ </span>{o}</li>' if i in item.correct
            else f'<li data-key="{k}" class="ae-wrong">{o}</li>'
            for i, (k, o) in enumerate(zip(keys, item.options, strict=True))) + "</ol>"
    explanation = item.explanation
    if not item.correct and not explanation:
        explanation = f'<span class="ae-note">{NO_ANSWER_EVIDENCE if item.evidence else NO_ANSWER}</span>'
    evidence = "".join(
        f'<blockquote class="ae-passage">{e.html}<div class="ae-chapter">{_chapter_field(e.chapter)}</div>'
        "</blockquote>"
        for e in item.evidence)
    shuffle = "y" if item.shuffle and len(item.options) > 1 else ""
    return (html.escape(item.question, quote=False), options, answer, explanation, evidence,
            chapter, source, shuffle)


def review_tags(item: Item) -> tuple[str, ...]:
    """An answer-less quiz question shows passages a machine chose: a teacher should check it."""
    return (NEEDS_REVIEW,) if isinstance(item, QuizItem) and not item.complete else ()


def article_notes(article: Article, items: Iterable[Item], *, reverse: bool = False,
                  extra_tags: Sequence[str] = (), mod: int = 0) -> list[NoteSpec]:
    """Notes for one article's items, in article order. GUIDs are unique within the article:
    a repeated key (the same term twice in one chapter) gets an occurrence suffix."""
    notes: list[NoteSpec] = []
    seen: dict[str, int] = {}
    # An article has few chapters and many items: each chapter's tag and (sanitised) field are made
    # once, and so is the article's Source field.
    chapters: dict[ChapterPath, tuple[str, str]] = {}
    source = clean_html(_source_field(article))
    extra = tuple(tag_part(t) for t in extra_tags)
    for item in items:
        guid = item_guid(article, item)
        seen[guid] = seen.get(guid, 0) + 1
        if seen[guid] > 1:
            guid = str(genanki.util.guid_for(guid, seen[guid]))
        found = chapters.get(item.chapter)
        if found is None:
            found = chapters[item.chapter] = (
                chapter_tag(article.title, item.chapter) if item.chapter else tag_part(article.title),
                clean_html(_chapter_field(item.chapter)))
        where, chapter = found
        note_type, fields = _fields(item, chapter, source, reverse)
        tags = (where, f"kind::{item.kind}", *review_tags(item), *extra)
        notes.append(NoteSpec(
            guid=guid, note_type=note_type, fields=fields,
            tags=tuple(dict.fromkeys(tags)), kind=item.kind, chapter=item.chapter,
            article=article.title, line=item.span.start, mod=mod,
        ))
    return notes
