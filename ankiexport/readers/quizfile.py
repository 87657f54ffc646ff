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

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import yaml

from ..errors import InputError, short
from ..language import detect_language
from ..markup import text_to_html
from ..model import MAX_OPTIONS, Article, QuizItem, Span
from ..yamltree import Loader, error_parts

QUIZ_SUFFIXES = (".quiz.yaml", ".quiz.yml")
DEFAULT_CHAPTER = "Quiz"
MIN_OPTIONS = 2


@dataclass(frozen=True)
class Key:
    kind: type | tuple[type, ...]
    required: bool = False
    help: str = ""


FILE_KEYS: dict[str, Key] = {
    "title": Key(str, required=True, help="the quiz's name, e.g. 'title: Cell Biology Check'"),
    "subject": Key(str, help="the subject, e.g. 'subject: Biology'"),
    "language": Key(str, help="the language code, e.g. 'language: de' (detected when absent)"),
    "shuffle": Key(bool, help="true to shuffle options at each review"),
    "questions": Key(list, required=True, help="a list of questions, each '- question: …'"),
}
QUESTION_KEYS: dict[str, Key] = {
    "question": Key(str, required=True, help="the question text"),
    "options": Key(list, required=True, help=f"a list of {MIN_OPTIONS} to {MAX_OPTIONS} answer options"),
    "correct": Key((str, int, list), required=True,
                   help="the correct option: a letter ('B'), its text, or a list of them"),
    "explanation": Key(str, help="why the answer is right (shown on the back)"),
    "chapter": Key(str, help="the chapter the question belongs to (its tag)"),
    "shuffle": Key(bool, help="true to shuffle this question's options at each review"),
}
_TYPE_NAMES = {str: "text", list: "a list", bool: "true or false", int: "a number"}
LETTERS = re.compile(r"[A-Ha-h]")


def is_quiz_file(path: str | PurePath) -> bool:
    """``*.quiz.yaml``: told apart from deck manifests (``sources/*.yaml``) by the double suffix."""
    return str(path).lower().endswith(QUIZ_SUFFIXES)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _value(node: yaml.Node) -> Any:
    """The Python value of one composed node (safe_load semantics)."""
    loader = Loader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def _error(message: str, source: str, node: yaml.Node, remedy: str) -> InputError:
    return InputError(message, path=source, line=_line(node), remedy=remedy)


def _entries(node: yaml.Node, source: str, keys: dict[str, Key], what: str) -> dict[str, tuple[yaml.Node, Any]]:
    if not isinstance(node, yaml.MappingNode):
        raise _error(f"{what} must be a mapping of keys to values", source, node,
                     f"write it as '{next(iter(keys))}: …'")
    entries: dict[str, tuple[yaml.Node, Any]] = {}
    for key_node, value_node in node.value:
        name = str(key_node.value)
        spec = keys.get(name)
        if spec is None:
            close = difflib.get_close_matches(name, keys, n=1)
            raise _error(f"unknown key '{name}' in {what}", source, key_node,
                         f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(keys)}")
        value = _value(value_node)
        kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            wanted = " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)
            raise _error(f"'{name}' must be {wanted}", source, value_node, spec.help)
        entries[name] = (value_node, value)
    for name, spec in keys.items():
        if spec.required and name not in entries:
            raise _error(f"{what} has no '{name}'", source, node, f"add '{name}:' ({spec.help})")
    return entries


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


def _question(node: yaml.Node, source: str, shuffle: bool) -> QuizItem:
    entries = _entries(node, source, QUESTION_KEYS, "a question")
    question_node, question = entries["question"]
    if not question.strip():
        raise _error("the question is empty", source, question_node, "write the question text")
    options_node, options = entries["options"]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise _error(f"a question needs {MIN_OPTIONS} to {MAX_OPTIONS} options, this one has {len(options)}",
                     source, options_node, "list between two and eight options")
    texts = []
    for option_node, option in zip(options_node.value, options, strict=True):
        if not isinstance(option, (str, int, float)) or isinstance(option, bool) or not str(option).strip():
            raise _error("each option must be non-empty text", source, option_node, "quote the option")
        texts.append(str(option).strip())
    if len(set(texts)) != len(texts):
        raise _error("two options are the same", source, options_node, "make every option different")
    correct_node, correct = entries["correct"]
    indexes = correct_indexes(correct, texts)
    if indexes is None:
        letters = ", ".join(chr(ord("A") + i) for i in range(len(texts)))
        raise _error(f"'correct: {short(correct)}' names no option", source, correct_node,
                     f"use a letter ({letters}) or an option's exact text")
    chapter = entries.get("chapter", (None, DEFAULT_CHAPTER))[1].strip() or DEFAULT_CHAPTER
    explanation = entries.get("explanation", (None, ""))[1].strip()
    return QuizItem(
        chapter=(chapter,),
        span=Span(_line(node), node.end_mark.line),
        question=question.strip(),
        options=tuple(text_to_html(t) for t in texts),
        correct=indexes,
        explanation=text_to_html(explanation),
        shuffle=entries.get("shuffle", (None, shuffle))[1],
    )


def parse_quiz(text: str, source: str) -> Article:
    try:
        loader = Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        problem, line, remedy = error_parts(exc)
        raise InputError(f"invalid YAML: {problem}", path=source, line=line, remedy=remedy) from exc
    if root is None:
        raise InputError("the quiz file is empty", path=source, remedy="start with 'title: <name>'")
    entries = _entries(root, source, FILE_KEYS, "the quiz file")
    title = entries["title"][1].strip()
    if not title:
        raise _error("the title is empty", source, entries["title"][0], "name the quiz")
    questions_node, questions = entries["questions"]
    if not questions:
        raise _error("the quiz has no questions", source, questions_node, "add '- question: …' entries")
    shuffle = entries.get("shuffle", (None, False))[1]
    items = tuple(_question(node, source, shuffle) for node in questions_node.value)
    seen: dict[str, int] = {}
    for item in items:
        key = item.question.casefold()
        if key in seen:
            raise InputError(f"the question '{item.question}' is asked twice (first on line {seen[key]})",
                             path=source, line=item.span.start,
                             remedy="reword one: a question names its note")
        seen[key] = item.span.start
    language = entries.get("language", (None, ""))[1].strip() or detect_language(
        " ".join(f"{i.question} {i.explanation}" for i in items))
    return Article(title=title, source=source, blocks=(), subject=entries.get("subject", (None, None))[1],
                   language=language, structured=items)
