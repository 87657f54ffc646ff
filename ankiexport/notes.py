"""Items → note specifications: note type, fields, stable GUID, tags, new-card order.

Identity rule: GUID = hash(article identity, item kind, item key). The article identity is a manifest
id, else its subject and title (never the file path); the key names the item (chapter + term, or the
question), never its answer, so fixing a typo in a definition updates the student's note instead of
adding one. Keys ignore case, spacing and sentence punctuation (:func:`guid_key`).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import (
    Article,
    ChapterPath,
    Cloze,
    Definition,
    Faq,
    Item,
    Question,
    QuizItem,
    Takeaway,
    normalise_key,
)
from .notetypes import CLOZE, DEFINITION, QA, QUIZ, NoteType
from .rules.language import label
from .sanitize import clean_html, clean_text

GUID_NAMESPACE = "ankiexport"
NEEDS_REVIEW = "needs-review"
# Punctuation that ends or splits a sentence: "What is NMT ?" and "What is NMT?" name one question.
# Symbols that make a term ("C++", "C#", "α-helix") are kept.
SENTENCE_PUNCTUATION = re.compile(r"[.,;:!?¿¡…\"'“”„«»‘’()\[\]]")


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


def tag_part(text: str) -> str:
    """One component of a hierarchical tag: Anki tags hold no spaces, and "::" separates levels."""
    # Each run of whitespace and '"' becomes one "_".
    cleaned = "_".join(text.strip().replace("::", ":").replace('"', " ").split())
    return cleaned.strip("_") or "_"


def chapter_tag(article_title: str, chapter: ChapterPath) -> str:
    return "::".join(tag_part(p) for p in (article_title, *chapter))


# genanki.util.BASE91_TABLE, written out so that reading articles never imports genanki (see package.py).
BASE91_TABLE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"


def guid_for(*values: object) -> str:
    """``genanki.util.guid_for(*values)``: the first 8 bytes of the SHA-256 of the values joined by "__",
    as a big-endian number written in base 91."""
    number = int.from_bytes(hashlib.sha256("__".join(map(str, values)).encode()).digest()[:8], "big")
    digits = []
    while number:
        number, digit = divmod(number, len(BASE91_TABLE))
        digits.append(BASE91_TABLE[digit])
    return "".join(reversed(digits))


def guid_key(key: str) -> str:
    """An item key as hashed into its GUID: case, spacing and sentence punctuation do not count."""
    return normalise_key(SENTENCE_PUNCTUATION.sub(" ", key))


def _chapter_field(chapter: ChapterPath) -> str:
    return html.escape(" › ".join(chapter), quote=False)


def _source_field(article: Article) -> str:
    # The article, not the line: a line number shifts for every item below an edit, and each release
    # would then rewrite all those notes in students' collections (see lock.py). `inspect` gives lines.
    if article.source.startswith(("http://", "https://")):  # a fetched page: where it came from
        return html.escape(f"{article.title} — {article.source}", quote=False)
    return html.escape(article.title, quote=False)


def _fields(item: Item, chapter: str, source: str, reverse: bool,
            evidence: dict[str, str], language: str) -> tuple[NoteType, tuple[str, ...]]:
    """The note type and its fields, sanitised. ``chapter`` and ``source`` come sanitised already:
    an article's notes share a few of them, and ``evidence`` holds its Evidence fields sanitised so
    far. The Reverse and Shuffle flags ("y" or "") need no sanitising."""
    if isinstance(item, Definition):
        rev = "y" if reverse and not isinstance(item, Takeaway) else ""
        example = item.example and clean_html(item.example)  # most definitions have none
        return DEFINITION, (clean_text(item.term), clean_html(item.definition), example, chapter, source, rev)
    if isinstance(item, (Faq, Question)):  # a ListCard is a Question too
        return QA, (clean_text(item.question), clean_html(item.answer), chapter, source)
    if isinstance(item, Cloze):
        return CLOZE, (clean_html(item.text), chapter, source)
    if isinstance(item, QuizItem):
        shuffle = "y" if item.shuffle and len(item.options) > 1 else ""
        return QUIZ, (clean_text(item.question), *quiz_fields(item, evidence, language), chapter, source, shuffle)
    raise TypeError(f"no note type for {type(item).__name__}")


def option_key(index: int) -> str:
    return chr(ord("A") + index)


def _note(text: str) -> str:
    return clean_html(f'<span class="ae-note">{html.escape(text, quote=False)}</span>')


def quiz_fields(item: QuizItem, sanitised: dict[str, str], language: str = "en") -> tuple[str, str, str, str]:
    """The Quiz note's Options, Answer, Explanation and Evidence fields, sanitised. Options is the
    front's list; Answer is the same list with the correct option(s) marked by class and by a visible
    "✓", so the back reads right without CSS or script. ``sanitised`` maps Evidence fields made so
    far to their sanitised form. An answer-less question's evidence is labelled as quoted from the
    article, in its ``language``: a passage is only shown when it clearly answers (evidence.py)."""
    keys = [option_key(i) for i in range(len(item.options))]
    options = answer = ""
    if item.options:
        options = '<ol class="ae-options" type="A">' + "".join(
            f'<li data-key="{k}">{o}</li>' for k, o in zip(keys, item.options, strict=True)) + "</ol>"
        if len(item.correct) > 1:
            options += f'<div class="ae-hint">{label(language, "choose").format(n=len(item.correct))}</div>'
    if item.correct:
        answer = '<ol class="ae-options ae-key" type="A">' + "".join(
            f'<li data-key="{k}" class="ae-right"><span class="ae-tick">✓ </span>{o}</li>' if i in item.correct
            else f'<li data-key="{k}" class="ae-wrong">{o}</li>'
            for i, (k, o) in enumerate(zip(keys, item.options, strict=True))) + "</ol>"
    if item.correct or item.explanation or item.evidence:
        explanation = clean_html(item.explanation)
    else:
        explanation = _note(label(language, "no_answer"))
    evidence = "".join(
        f'<blockquote class="ae-passage">{e.html}<div class="ae-chapter">{_chapter_field(e.chapter)}</div>'
        "</blockquote>"
        for e in item.evidence)
    if evidence:
        heading = html.escape(label(language, "from_article"), quote=False)
        evidence = f'<span class="ae-label">{heading}</span>{evidence}'
    # Questions of one article on one topic are often shown the same passages: each is sanitised once.
    cleaned = sanitised.get(evidence)
    if cleaned is None:
        cleaned = sanitised[evidence] = clean_html(evidence)
    return clean_html(options), clean_html(answer), explanation, cleaned


def article_notes(article: Article, items: Iterable[Item], *, reverse: bool = False,
                  extra_tags: Sequence[str] = (), mod: int = 0) -> list[NoteSpec]:
    """Notes for one article's items, in article order. GUIDs are unique within the article:
    a repeated key (the same term twice in one chapter) gets an occurrence suffix."""
    notes: list[NoteSpec] = []
    seen: dict[str, int] = {}
    # An article has few chapters and many items: each chapter's field and tag, the Source field and
    # each tag list are made once and shared by the notes.
    chapters: dict[ChapterPath, tuple[str, str]] = {}
    tag_lists: dict[tuple[ChapterPath, str, bool], tuple[str, ...]] = {}
    evidence: dict[str, str] = {}
    title = article.title
    source = clean_html(_source_field(article))
    extra = tuple(tag_part(t) for t in extra_tags)
    for item in items:
        kind = item.kind
        guid = guid_for(GUID_NAMESPACE, article.key, kind, guid_key(item.key))
        count = seen[guid] = seen.get(guid, 0) + 1
        if count > 1:
            guid = guid_for(guid, count)
        path = item.chapter
        found = chapters.get(path)
        if found is None:
            found = chapters[path] = (clean_html(_chapter_field(path)), chapter_tag(title, path))
        chapter, where = found
        # An answer-less quiz question shows passages a machine chose: a teacher should check it.
        review = isinstance(item, QuizItem) and not item.complete
        tags = tag_lists.get((path, kind, review))
        if tags is None:
            tags = tag_lists[path, kind, review] = tuple(dict.fromkeys(
                (where, f"kind::{kind}", *((NEEDS_REVIEW,) if review else ()), *extra)))
        note_type, fields = _fields(item, chapter, source, reverse, evidence, article.language)
        notes.append(NoteSpec(guid=guid, note_type=note_type, fields=fields, tags=tags, kind=kind, chapter=path,
                              article=title, line=item.span.start, mod=mod))
    return notes
