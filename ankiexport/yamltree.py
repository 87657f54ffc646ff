"""YAML as teachers write it for manifests and quiz files, composed into nodes that keep their lines.

PyYAML's safe loader, within bounds: no aliases (``*name`` lets a few hundred bytes stand for
billions of values), a nesting depth and a node count no hand-written file reaches, and keys that are
plain text. A breach is a ``yaml.YAMLError`` with the line, like any other YAML error.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError

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
