"""Deck manifests (``sources/*.yaml``): which articles make which deck, and how.

Parsed with PyYAML's safe loader (composed first, so every key and value keeps its line) and checked
against the schema tables below; every error names the file, the line and the key, with a
did-you-mean for misspelt keys. The README documents the schema with an example.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .ankifile.writer import deck_name_problem
from .errors import ManifestError, short
from .extract import KINDS
from .markup import normalise_space
from .model import MAX_OPTIONS
from .paths import check_relative_output, is_inside, repository_root
from .readers import is_url
from .readers.quizfile import correct_indexes, is_quiz_file
from .yamltree import Document, Key, answer_of, text_of

MANIFEST_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class QuizAnswer:
    """A teacher-supplied answer for a quiz question the article prints without options.

    ``options`` are plain text in the order given; ``correct`` holds 0-based indexes into them (the
    manifest spells them as letters, "A" for the first option). ``where`` is "FILE:LINE" of the entry.
    """

    question: str
    options: tuple[str, ...]
    correct: tuple[int, ...]
    explanation: str = ""
    where: str = ""


@dataclass(frozen=True)
class ArticleOverride:
    """Per-article settings from a manifest's ``overrides``."""

    title: str | None = None  # display title (the identity stays the parsed title unless ``id`` is set)
    id: str | None = None  # stable identity for GUIDs: survives a retitled page
    chapters: tuple[tuple[str, str], ...] = ()  # (heading in the article, new name)
    tags: tuple[str, ...] = ()
    quiz: tuple[QuizAnswer, ...] = ()
    where: str = ""  # "FILE:LINE" of the override, for warnings


@dataclass(frozen=True)
class Manifest:
    path: Path
    deck: str
    articles: tuple[Path | str, ...]  # files, and pages' URLs
    output: str  # file name or path, relative to the output folder
    id: str | None = None
    kinds: tuple[str, ...] | None = None  # None: every kind
    tags: tuple[str, ...] = ()
    chapter_subdecks: bool = False
    reverse: bool = False
    overrides: dict[Path | str, ArticleOverride] = field(default_factory=dict)

    def override_for(self, article: Path | str) -> ArticleOverride | None:
        return self.overrides.get(article)


# --- Schema -------------------------------------------------------------------------------------


SCHEMA: dict[str, Key] = {
    "deck": Key(str, required=True, help="the Anki deck name, e.g. 'Medicine::Neuromuscular Therapy'"),
    "id": Key(str, help="a stable id for the deck (its Anki deck id is derived from it, not the name)"),
    "articles": Key(list, required=True, items=str,
                    help="article paths or globs, relative to the manifest, or pages' http(s) URLs"),
    "kinds": Key(list, items=str, help=f"item kinds to include, from: {', '.join(KINDS)}"),
    "tags": Key(list, items=str, help="extra tags for every note, e.g. [year-9, exam]"),
    "chapter_subdecks": Key(bool, help="true to put each chapter in a subdeck (default false)"),
    "reverse": Key(bool, help="true to add Definition → Term cards (default false)"),
    "output": Key(str, help="the .apkg path, relative to the output folder"),
    "overrides": Key(dict, help="per-article settings, keyed by the article's path as listed"),
}

OVERRIDE_SCHEMA: dict[str, Key] = {
    "title": Key(str, help="the article's title as shown on cards and in tags"),
    "id": Key(str, help="a stable identity for the article's notes (kept when the title changes)"),
    "chapters": Key(dict, help="chapter renames, 'Heading in the article: New name'"),
    "tags": Key(list, items=str, help="extra tags for this article's notes"),
    "quiz": Key(list, items=dict, help="answers for the article's quiz questions"),
}

QUIZ_SCHEMA: dict[str, Key] = {
    "question": Key(str, required=True, help="the question as the article prints it"),
    "options": Key(list, required=True, items=str, help="the answer options, in order (at least two)"),
    "correct": Key(object, required=True,
                   help="the right option's letter ('B'), its exact text, or a list (['A', 'C'])"),
    "explanation": Key(str, help="why the answer is right"),
}

MIN_QUIZ_OPTIONS = 2
# Quiz-question matching ignores case, spacing and the final "?" (teachers retype questions by hand).
_GLOB_MAGIC = re.compile(r"[*?\[]")
_QUESTION_END = re.compile(r"[\s?？¿.]+$")


def question_key(text: str) -> str:
    """How a teacher's quiz answer is matched to the article's question."""
    return _QUESTION_END.sub("", normalise_space(text)).casefold()



# --- Loading ------------------------------------------------------------------------------------


def _expand_articles(doc: Document, node: yaml.Node, allow_outside: bool) -> tuple[Path | str, ...]:
    root = repository_root(doc.path)
    paths: list[Path | str] = []
    for item in node.value:
        pattern = text_of(item)
        if is_url(pattern):
            paths.append(pattern.strip())
            continue
        if not allow_outside and not is_inside(doc.path.parent / _GLOB_MAGIC.split(pattern)[0], root):
            raise doc.error(f"key 'articles': '{pattern}' lies outside the manifest's repository ({root})", item,
                            "list articles inside the repository, or pass --allow-outside if you trust it")
        files = [Path(os.path.normpath(m)) for m in _matches(doc.path.parent, pattern)]
        if not files:
            raise doc.error(f"key 'articles': no file matches '{pattern}'", item,
                            "paths are relative to the manifest's folder")
        outside = next((f for f in files if not allow_outside and not is_inside(f, root)), None)
        if outside is not None:
            raise doc.error(f"key 'articles': {outside} links to a file outside the manifest's repository "
                            f"({root})", item, "copy the article into the repository, or pass --allow-outside")
        paths.extend(files)
    return tuple(dict.fromkeys(paths))


def _matches(folder: Path, pattern: str) -> list[Path]:
    """The files ``pattern`` names from ``folder``, sorted; ``**`` never enters a linked folder (a
    link loop would never end)."""
    if not _GLOB_MAGIC.search(pattern):
        path = folder / pattern
        return [path] if path.is_file() else []
    if Path(pattern).is_absolute():
        folder, pattern = Path(Path(pattern).anchor), str(Path(pattern).relative_to(Path(pattern).anchor))
    return sorted((p for p in folder.glob(pattern) if p.is_file()), key=str)


def _output(doc: Document, entries: dict[str, tuple[yaml.Node, Any]]) -> str:
    node, name = entries.get("output", (None, None))
    if node is None or not name or not name.strip():
        return f"{doc.path.stem}.apkg"
    problem = check_relative_output(name)
    if problem:
        raise doc.error(f"key 'output' {problem}", node, "name an .apkg file inside the output folder, "
                        "e.g. 'output: biology/cells.apkg'")
    return str(os.path.normpath(name))


def _kinds(doc: Document, node: yaml.Node) -> tuple[str, ...]:
    kinds: list[str] = []
    for item in node.value:
        kind = text_of(item)
        if kind not in KINDS:
            close = difflib.get_close_matches(kind, KINDS, n=1)
            remedy = f"did you mean '{close[0]}'?" if close else f"choose from {', '.join(KINDS)}"
            raise doc.error(f"key 'kinds': unknown kind '{kind}'", item, remedy)
        kinds.append(kind)
    return tuple(dict.fromkeys(kinds))


def _correct(doc: Document, node: yaml.Node, path: str, options: tuple[str, ...]) -> tuple[int, ...]:
    """The same answer key as in quiz files: a letter, an option's exact text, a 1-based number, or a list."""
    value = answer_of(node)
    indexes = correct_indexes(value, options)
    if indexes is None:
        letters = ", ".join(chr(ord("A") + i) for i in range(len(options)))
        raise doc.error(f"key '{path}' names no option ({short(value)}; {len(options)} options: {letters})",
                        node,
                        "use the right option's letter, its exact text, or a list of them")
    return indexes


def _quiz(doc: Document, node: yaml.Node, path: str) -> tuple[QuizAnswer, ...]:
    answers: list[QuizAnswer] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(node.value):
        here = f"{path}[{index + 1}]"
        entries = doc.mapping(item, QUIZ_SCHEMA, here)
        question = entries["question"][1].strip()
        options = tuple(o.strip() for o in entries["options"][1])
        if not MIN_QUIZ_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise doc.error(f"key '{here} › options' needs {MIN_QUIZ_OPTIONS} to {MAX_OPTIONS} options, "
                            f"not {len(options)}", entries["options"][0],
                            "list every option the student chooses from")
        if len(set(options)) != len(options) or not all(options):
            raise doc.error(f"key '{here} › options': two options are the same, or one is empty",
                            entries["options"][0], "make every option different")
        if question_key(question) in seen:
            raise doc.error(f"key '{here} › question' repeats the question at {seen[question_key(question)]}",
                            entries["question"][0], "give each question one answer")
        seen[question_key(question)] = doc.where(item)
        correct = _correct(doc, entries["correct"][0], f"{here} › correct", options)
        explanation = entries["explanation"][1].strip() if "explanation" in entries else ""
        answers.append(QuizAnswer(question, options, correct, explanation, doc.where(item)))
    return tuple(answers)


def _override(doc: Document, node: yaml.Node, path: str) -> ArticleOverride:
    entries = doc.mapping(node, OVERRIDE_SCHEMA, path)
    chapters: list[tuple[str, str]] = []
    if "chapters" in entries:
        for key_node, value_node in entries["chapters"][0].value:
            old, new = text_of(key_node), text_of(value_node)
            if not isinstance(new, str) or not new.strip():
                raise doc.error(f"key '{path} › chapters › {old}' must be the new chapter name", value_node,
                                "write 'Heading in the article: New name'")
            chapters.append((str(old), new.strip()))
    return ArticleOverride(
        title=_text(entries, "title"),
        id=_text(entries, "id"),
        chapters=tuple(chapters),
        tags=tuple(entries["tags"][1]) if "tags" in entries else (),
        quiz=_quiz(doc, entries["quiz"][0], f"{path} › quiz") if "quiz" in entries else (),
        where=doc.where(node),
    )


def _text(entries: dict[str, tuple[yaml.Node, Any]], name: str) -> str | None:
    return entries[name][1].strip() or None if name in entries else None


def _overrides(doc: Document, node: yaml.Node, articles: tuple[Path | str, ...]) -> dict[Path | str, ArticleOverride]:
    if not isinstance(node, yaml.MappingNode):
        raise doc.error("key 'overrides' must be a mapping", node, SCHEMA["overrides"].help)
    out: dict[Path | str, ArticleOverride] = {}
    for key_node, value_node in node.value:
        name = str(text_of(key_node))
        target: Path | str = name if is_url(name) else Path(os.path.normpath(doc.path.parent / name))
        if isinstance(target, Path) and not target.is_file():
            raise doc.error(f"key 'overrides › {name}': no such file", key_node,
                            "paths are relative to the manifest's folder")
        if target not in articles:
            raise doc.error(f"key 'overrides › {name}': not one of this manifest's articles", key_node,
                            "add it to 'articles' or remove the override")
        out[target] = _override(doc, value_node, f"overrides › {name}")
    return out


def load_manifest(path: str | Path, *, allow_outside: bool = False) -> Manifest:
    """Read and validate a manifest; raises :class:`ManifestError` naming the file, line and key.

    Articles must lie inside the manifest's repository (:func:`~ankiexport.paths.repository_root`)
    unless ``allow_outside``; the output must stay inside the output folder."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"cannot read the manifest ({getattr(exc, 'strerror', None) or exc})",
                            path=source, remedy="check the path and that it is UTF-8 YAML") from exc
    doc = Document(source, text, ManifestError, kind="the manifest", start="deck: <name>")
    root = doc.root()
    if root is None:
        raise ManifestError("the manifest is empty", path=source, line=1, remedy="start with 'deck: <name>'")
    entries = doc.mapping(root, SCHEMA, "")
    values = {name: value for name, (_node, value) in entries.items()}
    problem = deck_name_problem(values["deck"].strip()) if values["deck"].strip() else "is empty"
    if problem:
        raise doc.error(f"key 'deck' {problem}", entries["deck"][0], SCHEMA["deck"].help)
    for name in ("articles", "kinds"):
        if name in entries and not entries[name][1]:
            remedy = "list at least one article" if name == "articles" else "leave 'kinds' out for every kind"
            raise doc.error(f"key '{name}' is an empty list", entries[name][0], remedy)
    articles = _expand_articles(doc, entries["articles"][0], allow_outside)
    return Manifest(
        path=path,
        deck=values["deck"].strip(),
        articles=articles,
        output=_output(doc, entries),
        id=values.get("id"),
        kinds=_kinds(doc, entries["kinds"][0]) if "kinds" in entries else None,
        tags=tuple(values.get("tags", ())),
        chapter_subdecks=values.get("chapter_subdecks", False),
        reverse=values.get("reverse", False),
        overrides=_overrides(doc, entries["overrides"][0], articles) if "overrides" in entries else {},
    )


def is_manifest(path: Path) -> bool:
    """A deck manifest; ``*.quiz.yaml`` files are hand-written quiz articles instead."""
    return path.suffix.lower() in MANIFEST_SUFFIXES and not is_quiz_file(path)


def find_manifests(folder: str | Path) -> list[Path]:
    folder = Path(folder)
    return sorted(p for p in [*folder.glob("*.yaml"), *folder.glob("*.yml")] if not is_quiz_file(p))
