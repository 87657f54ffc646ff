"""Hand-written multiple-choice quizzes (``*.quiz.yaml``) → an :class:`Article` of quiz items.

A quiz file is YAML, read with ``yaml.compose`` so every error names its line::

    title: Cell Biology Check       # required: names the quiz; note identities derive from it
    subject: Biology                # optional: the default deck becomes "Biology::Cell Biology Check"
    shuffle: false                  # optional: shuffle every question's options at each review
    questions:
      - question: Which organelle makes most of a cell's ATP?
        options: [Mitochondrion, Ribosome, Golgi apparatus]
        correct: A                  # letter(s) or option text, one or a list
        explanation: Its inner membrane runs the electron transport chain.
        chapter: Organelles         # optional (default "Quiz"); becomes the chapter tag
        shuffle: true               # optional: overrides the file's setting

Text is plain, as in text dumps: "<" shows as "<" and ``*word*`` becomes italic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

import yaml

from ..errors import InputError, short
from ..markup import text_to_html
from ..model import MAX_OPTIONS, Article, QuizItem, Span
from ..rules.language import detect_language
from ..yamltree import Document, Key, answer_of, line_of

QUIZ_SUFFIXES = (".quiz.yaml", ".quiz.yml")
DEFAULT_CHAPTER = "Quiz"
MIN_OPTIONS = 2


FILE_KEYS: dict[str, Key] = {
    "title": Key(str, required=True, help="the quiz's name, e.g. 'title: Cell Biology Check'"),
    "subject": Key(str, help="the subject, e.g. 'subject: Biology'"),
    "language": Key(str, help="the language code, e.g. 'language: de' (detected when absent)"),
    "shuffle": Key(bool, help="true to shuffle options at each review"),
    "questions": Key(list, required=True, help="a list of questions, each '- question: …'"),
}
QUESTION_KEYS: dict[str, Key] = {
    "question": Key(str, required=True, help="the question text"),
    "options": Key(list, required=True, items=str, help=f"a list of {MIN_OPTIONS} to {MAX_OPTIONS} answer options"),
    "correct": Key(object, required=True, help="the correct option: a letter ('B'), its text, or a list of them"),
    "explanation": Key(str, help="why the answer is right (shown on the back)"),
    "chapter": Key(str, help="the chapter the question belongs to (its tag)"),
    "shuffle": Key(bool, help="true to shuffle this question's options at each review"),
}
LETTERS = re.compile(r"[A-Ha-h]")


def is_quiz_file(path: str | PurePath) -> bool:
    """``*.quiz.yaml``: told apart from deck manifests (``sources/*.yaml``) by the double suffix."""
    return str(path).lower().endswith(QUIZ_SUFFIXES)


def correct_indexes(value: Any, options: Sequence[str]) -> tuple[int, ...] | None:
    """Resolve an answer key against the options' plain texts: a letter ("B"), an option's exact
    text, a 1-based number, or a list of these. None when any part names no option."""
    parts = value if isinstance(value, list) else [value]
    if isinstance(value, str) and value not in options and "," in value:
        parts = [p.strip() for p in value.split(",")]  # "A, C"
    found: list[int] = []
    for part in parts:
        if isinstance(part, bool):
            return None
        if isinstance(part, int):
            index = part - 1
        elif isinstance(part, str) and LETTERS.fullmatch(part.strip()):
            index = ord(part.strip().upper()) - ord("A")
        elif isinstance(part, str) and part.strip() in options:
            index = list(options).index(part.strip())
        else:
            return None
        if not 0 <= index < len(options):
            return None
        found.append(index)
    return tuple(sorted(set(found))) or None


def _question(doc: Document, node: yaml.Node, where: str, shuffle: bool) -> QuizItem:
    entries = doc.mapping(node, QUESTION_KEYS, where)
    question_node, question = entries["question"]
    if not (question or "").strip():
        raise doc.error("the question is empty", question_node, "write the question text")
    options_node, options = entries["options"]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise doc.error(f"a question needs {MIN_OPTIONS} to {MAX_OPTIONS} options, this one has {len(options)}",
                        options_node, "list between two and eight options")
    texts = [option.strip() for option in options]
    if not all(texts):
        raise doc.error("each option must be non-empty text", options_node, "write every option")
    if len(set(texts)) != len(texts):
        raise doc.error("two options are the same", options_node, "make every option different")
    correct_node = entries["correct"][0]
    correct = answer_of(correct_node)
    indexes = correct_indexes(correct, texts)
    if indexes is None:
        letters = ", ".join(chr(ord("A") + i) for i in range(len(texts)))
        raise doc.error(f"'correct: {short(correct)}' names no option", correct_node,
                        f"use a letter ({letters}) or an option's exact text")
    chapter = (entries.get("chapter", (None, None))[1] or "").strip() or DEFAULT_CHAPTER
    explanation = (entries.get("explanation", (None, None))[1] or "").strip()
    return QuizItem(
        chapter=(chapter,),
        span=Span(line_of(node), node.end_mark.line),
        question=question.strip(),
        options=tuple(text_to_html(t) for t in texts),
        correct=indexes,
        explanation=text_to_html(explanation),
        shuffle=entries.get("shuffle", (None, shuffle))[1],
    )


def parse_quiz(text: str, source: str) -> Article:
    doc = Document(source, text, InputError, kind="the quiz file", start="title: <name>")
    root = doc.root()
    if root is None:
        raise InputError("the quiz file is empty", path=source, remedy="start with 'title: <name>'")
    entries = doc.mapping(root, FILE_KEYS)
    title = (entries["title"][1] or "").strip()
    if not title:
        raise doc.error("the title is empty", entries["title"][0], "name the quiz")
    questions_node, questions = entries["questions"]
    if not questions:
        raise doc.error("the quiz has no questions", questions_node, "add '- question: …' entries")
    shuffle = entries.get("shuffle", (None, False))[1]
    items = tuple(_question(doc, node, f"questions[{number}]", shuffle)
                  for number, node in enumerate(questions_node.value, start=1))
    seen: dict[str, int] = {}
    for item in items:
        key = item.question.casefold()
        if key in seen:
            raise InputError(f"the question '{item.question}' is asked twice (first on line {seen[key]})",
                             path=source, line=item.span.start,
                             remedy="reword one: a question names its note")
        seen[key] = item.span.start
    language = (entries.get("language", (None, None))[1] or "").strip() or detect_language(
        " ".join(f"{i.question} {i.explanation}" for i in items))
    return Article(title=title, source=source, blocks=(), subject=entries.get("subject", (None, None))[1],
                   language=language, structured=items)
