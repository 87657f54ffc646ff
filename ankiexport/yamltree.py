"""YAML as teachers write it for manifests and quiz files, composed into nodes that keep their lines.

PyYAML's safe loader, within bounds: no aliases (``*name`` lets a few hundred bytes stand for
billions of values), a nesting depth and a node count no hand-written file reaches, and keys that are
plain text. A breach is a ``yaml.YAMLError`` with the line, like any other YAML error.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError

from .errors import AnkiexportError

# A manifest nests five levels at most (overrides › article › quiz › entry › options).
MAX_DEPTH = 40
# Far above a course's manifest (a few hundred articles and quiz answers).
MAX_NODES = 200_000
MAX_BYTES = 10 * 1024 * 1024

class LimitError(ComposerError):
    """A bound of this module was reached; ``remedy`` says what to write instead."""

    def __init__(self, problem: str, mark: Any, remedy: str) -> None:
        super().__init__(None, None, problem, mark)
        self.remedy = remedy


class Loader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that composes within the bounds above."""

    def __init__(self, text: str) -> None:
        if len(text) > MAX_BYTES:
            raise LimitError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB", None,
                             "split it into several files")
        super().__init__(text)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise LimitError(f"aliases (*{event.anchor}) are not supported", event.start_mark,
                             "write the value out in full")
        self._depth += 1
        self._nodes += 1
        if self._depth > MAX_DEPTH:
            raise LimitError(f"values nest deeper than {MAX_DEPTH} levels", event.start_mark,
                             "flatten the structure")
        if self._nodes > MAX_NODES:
            raise LimitError(f"more than {MAX_NODES:,} values", event.start_mark, "split the file")
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, yaml.MappingNode):
            for key, _value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    raise LimitError("a key must be plain text, not a list or a mapping", key.start_mark,
                                     "write the key as text before the ':'")
        return node


def error_parts(exc: yaml.YAMLError) -> tuple[str, int | None, str]:
    """(what is wrong, line, what to do) of a YAML error, for the callers' own error types."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    remedy = getattr(exc, "remedy", "fix the indentation or quoting there")
    return str(problem), mark.line + 1 if mark else None, remedy


# --- checking a composed file against a schema ---------------------------------------------------


@dataclass(frozen=True)
class Key:
    """What one key of a mapping holds."""

    kind: type  # str, bool, int, list, dict; object: anything (checked by the caller)
    required: bool = False
    help: str = ""
    items: type | None = None  # for lists: the type of every entry


_TYPE_NAMES = {str: "a string", list: "a list", bool: "true or false", dict: "a mapping", int: "a number"}
_NULLS = ("", "~", "null", "Null", "NULL")


def text_of(node: yaml.Node) -> Any:
    """A scalar as written: YAML 1.1 would turn the options "Yes"/"No" into booleans and "1.10" into a
    number, which a teacher never means. Non-scalars are returned as nodes, nulls as None."""
    if isinstance(node, yaml.ScalarNode) and not (node.tag.endswith(":null") and node.value in _NULLS):
        return str(node.value)
    if isinstance(node, yaml.ScalarNode):
        return None
    return node


def answer_of(node: yaml.Node) -> Any:
    """An answer key as written: text, a 1-based option number, or a list of them."""
    if isinstance(node, yaml.SequenceNode):
        return [answer_of(item) for item in node.value]
    text = text_of(node)
    return int(text) if isinstance(text, str) and text.isdigit() else text


def _is(value: Any, kind: type) -> bool:
    return isinstance(value, kind) and not (kind in (int, str) and isinstance(value, bool))


def _type_name(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, yaml.SequenceNode):
        return "a list"
    if isinstance(value, yaml.MappingNode):
        return "a mapping"
    return {bool: "true/false", int: "a number", float: "a number", str: "a string", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)


class Document:
    """One manifest or quiz file being checked: its node tree, and errors of the caller's type that
    name the file, the line and the key."""

    def __init__(self, source: str, text: str, error: type[AnkiexportError], *, kind: str, start: str) -> None:
        self.source = source
        self.path = Path(source)
        self._text = text
        self._error = error
        self.kind = kind  # "the manifest", "the quiz file"
        self.start = start  # the first line to write: "deck: <name>"
        self._loader: Loader | None = None

    def root(self) -> yaml.Node | None:
        try:
            self._loader = Loader(self._text)
            return self._loader.get_single_node()
        except yaml.YAMLError as exc:
            problem, line, remedy = error_parts(exc)
            raise self._error(f"invalid YAML: {problem}", path=self.source, line=line, remedy=remedy) from exc

    def value(self, node: yaml.Node) -> Any:
        assert self._loader is not None, "root() composes the tree first"
        return self._loader.construct_object(node, deep=True)

    def error(self, message: str, node: yaml.Node, remedy: str | None = None) -> AnkiexportError:
        return self._error(message, path=self.source, line=line_of(node), remedy=remedy)

    def where(self, node: yaml.Node) -> str:
        return f"{self.source}:{line_of(node)}"

    def mapping(self, node: yaml.Node, schema: dict[str, Key], key: str = "") -> dict[str, tuple[yaml.Node, Any]]:
        """Check a mapping node against ``schema``; returns key → (value node, value). ``key`` is
        where the mapping stands ("overrides › a.txt"), empty for the file itself."""
        if not isinstance(node, yaml.MappingNode):
            what = f"key '{key}' must be a mapping" if key else f"{self.kind} must be a mapping of keys to values"
            raise self.error(what, node, "write 'name: value' lines" if key else f"start with '{self.start}'")
        entries: dict[str, tuple[yaml.Node, Any]] = {}
        for key_node, value_node in node.value:
            name = str(key_node.value)
            path = f"{key} › {name}" if key else name
            if name in entries:
                raise self.error(f"key '{path}' is given twice", key_node, "keep one of them")
            if name not in schema:
                close = difflib.get_close_matches(name, schema, n=1)
                remedy = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(schema)}"
                raise self.error(f"unknown key '{path}'", key_node, remedy)
            entries[name] = (value_node, self.typed(value_node, schema[name], path))
        for name, spec in schema.items():
            if spec.required and name not in entries:
                where = f" in '{key}'" if key else ""
                raise self.error(f"missing key '{name}'{where}", node, f"add '{name}:' ({spec.help})")
        return entries

    def typed(self, node: yaml.Node, spec: Key, path: str) -> Any:
        value = text_of(node) if spec.kind is str else self.value(node)
        if spec.kind is not object and not _is(value, spec.kind):
            raise self.error(f"key '{path}' must be {_TYPE_NAMES.get(spec.kind, spec.kind.__name__)}, "
                             f"not {_type_name(value)}", node, spec.help)
        if spec.items is not None:
            entries = []
            for index, item in enumerate(node.value):
                entry = text_of(item) if spec.items is str else self.value(item)
                if not _is(entry, spec.items):
                    raise self.error(f"key '{path}': entry {index + 1} must be "
                                     f"{_TYPE_NAMES.get(spec.items, spec.items.__name__)}, "
                                     f"not {_type_name(text_of(item))}", item, spec.help)
                entries.append(entry)
            value = entries
        return value


def line_of(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1
