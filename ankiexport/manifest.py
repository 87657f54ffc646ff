"""Deck manifests (``sources/*.yaml``): which articles make which deck, and how.

Loaded with ``yaml.safe_load`` semantics (through ``yaml.compose`` so every key keeps its line) and
checked against :data:`SCHEMA`; every error names the file, the line and the key.
"""

from __future__ import annotations

import difflib
import glob
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ManifestError
from .readers.quizfile import is_quiz_file


@dataclass(frozen=True)
class Manifest:
    path: Path
    deck: str
    articles: tuple[Path, ...]
    output: str  # file name or path, relative to the output folder
    id: str | None = None


@dataclass(frozen=True)
class Key:
    kind: type | tuple[type, ...]
    required: bool = False
    help: str = ""


SCHEMA: dict[str, Key] = {
    "deck": Key(str, required=True, help="the Anki deck name, e.g. 'Medicine::Neuromuscular Therapy'"),
    "id": Key(str, help="a stable id for the deck (its Anki deck id is derived from it, not the name)"),
    "articles": Key(list, required=True, help="article paths or globs, relative to the manifest"),
    "output": Key(str, help="the .apkg file name inside the output folder"),
}

_TYPE_NAMES = {str: "a string", list: "a list", bool: "true or false", dict: "a mapping", int: "a number"}


def _node_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mapping(node: yaml.Node, source: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise ManifestError("the manifest must be a mapping of keys to values", path=source,
                            line=_node_line(node), remedy="start with 'deck: <name>'")
    return {str(k.value): (k, v) for k, v in node.value}


def _check_keys(entries: dict[str, tuple[yaml.Node, yaml.Node]], schema: dict[str, Key], source: str,
                owner: yaml.Node) -> None:
    for name, (key_node, _value) in entries.items():
        if name not in schema:
            close = difflib.get_close_matches(name, schema, n=1)
            remedy = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(schema)}"
            raise ManifestError(f"unknown key '{name}'", path=source, line=_node_line(key_node),
                                remedy=remedy)
    for name, spec in schema.items():
        if spec.required and name not in entries:
            raise ManifestError(f"missing key '{name}'", path=source, line=_node_line(owner),
                                remedy=f"add '{name}:' ({spec.help})")


def _typed(value: Any, spec: Key, name: str, node: yaml.Node, source: str) -> Any:
    if not isinstance(value, spec.kind) or (spec.kind is int and isinstance(value, bool)):
        wanted = _TYPE_NAMES.get(spec.kind, str(spec.kind)) if isinstance(spec.kind, type) else "a value"
        raise ManifestError(f"key '{name}' must be {wanted}, not {type(value).__name__}", path=source,
                            line=_node_line(node), remedy=spec.help)
    return value


def expand_articles(patterns: list[Any], base: Path, source: str, node: yaml.Node) -> tuple[Path, ...]:
    paths: list[Path] = []
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    for index, pattern in enumerate(patterns):
        line = _node_line(items[index]) if index < len(items) else _node_line(node)
        if not isinstance(pattern, str):
            raise ManifestError("each entry of 'articles' must be a path", path=source, line=line,
                                remedy="quote the path")
        matches = sorted(glob.glob(str(base / pattern), recursive=True))
        if not matches:
            raise ManifestError(f"key 'articles': no file matches '{pattern}'", path=source, line=line,
                                remedy="paths are relative to the manifest's folder")
        paths.extend(Path(m) for m in matches if Path(m).is_file())
    return tuple(dict.fromkeys(paths))


Loader = Callable[[Path], Manifest]


def load_manifest(path: str | Path) -> Manifest:
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"cannot read the manifest ({exc})", path=source,
                            remedy="check the path and that it is UTF-8 YAML") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ManifestError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path=source,
                            line=mark.line + 1 if mark else None,
                            remedy="fix the indentation or quoting there") from exc
    if root is None:
        raise ManifestError("the manifest is empty", path=source, remedy="start with 'deck: <name>'")
    entries = _mapping(root, source)
    _check_keys(entries, SCHEMA, source, root)
    values = {name: _typed(data[name], SCHEMA[name], name, node, source)
              for name, (_, node) in entries.items()}
    articles = expand_articles(values["articles"], path.parent, source, entries["articles"][1])
    return Manifest(
        path=path,
        deck=values["deck"],
        articles=articles,
        output=values.get("output") or f"{path.stem}.apkg",
        id=values.get("id"),
    )


def find_manifests(folder: str | Path) -> list[Path]:
    folder = Path(folder)
    return sorted(p for p in [*folder.glob("*.yaml"), *folder.glob("*.yml")] if not is_quiz_file(p))
