"""Cloze deletions (``{{c1::text::hint}}``) as Anki's backend reveals them (rslib ``cloze.rs``).

Only previews need this: ankiexport writes no cloze note types, but a shared deck usually has some.
Clozes nest; on the question side the active cloze shows ``[...]`` (or ``[hint]``) and keeps its text
in ``data-cloze``; on the answer side it is shown highlighted; other clozes show as plain text.
Image occlusion clozes are not drawn (the preview shows a placeholder).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Union

import nh3

# Anki stops nesting after this many open clozes and treats deeper markers as text.
MAX_OPEN_CLOZES = 10
_OPEN = re.compile(r"\{\{c(\d+)::")
_TOKEN = re.compile(r"\{\{c(\d+)::|\}\}")
_MATHJAX = re.compile(r"(\\[(\[])(.*?)(\\[)\]])", re.DOTALL)
IMAGE_OCCLUSION_PREFIX = "image-occlusion:"


@dataclass
class _Cloze:
    ordinal: int
    nodes: list[Node] = field(default_factory=list)
    hint: str | None = None

    def text(self) -> str:
        return "".join(n if isinstance(n, str) else n.text() for n in self.nodes)


Node = Union[str, _Cloze]  # noqa: UP007 (a runtime alias, Python 3.10)


def _parse(text: str) -> list[Node]:
    open_clozes: list[_Cloze] = []
    output: list[Node] = []
    position = 0

    def add_text(chunk: str) -> None:
        if not chunk:
            return
        if open_clozes:
            cloze = open_clozes[-1]
            head, sep, tail = chunk.partition("::")
            if sep:
                chunk, cloze.hint = head, tail
            cloze.nodes.append(chunk)
        else:
            output.append(chunk)

    for match in _TOKEN.finditer(text):
        add_text(text[position:match.start()])
        position = match.end()
        if match.group(1) is not None:
            if len(open_clozes) < MAX_OPEN_CLOZES:
                open_clozes.append(_Cloze(int(match.group(1))))
        elif open_clozes:
            cloze = open_clozes.pop()
            (open_clozes[-1].nodes if open_clozes else output).append(cloze)
        else:
            output.append("}}")
    add_text(text[position:])
    return output


_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def _encode_attribute(text: str) -> str:
    # As the htmlescape crate Anki uses: ASCII other than letters and digits becomes an entity.
    return "".join(c if c.isalnum() or ord(c) > 0x7F else _NAMED.get(c, f"&#x{ord(c):X};") for c in text)


def _reveal(cloze: _Cloze, ordinal: int, question: bool, found: list[bool], out: list[str]) -> None:
    active = cloze.ordinal == ordinal
    found[0] = found[0] or active
    first = cloze.nodes[0] if cloze.nodes else ""
    if isinstance(first, str) and first.startswith(IMAGE_OCCLUSION_PREFIX):
        out.append(f'<div class="cloze{"" if active else "-inactive"}" data-ordinal="{cloze.ordinal}">'
                   "[image occlusion]</div>")
        return

    def children(target: list[str]) -> None:
        for node in cloze.nodes:
            if isinstance(node, str):
                target.append(node)
            else:
                _reveal(node, ordinal, question, found, target)

    if active and question:
        inner: list[str] = []
        children(inner)
        out.append(f'<span class="cloze" data-cloze="{_encode_attribute("".join(inner))}" '
                   f'data-ordinal="{cloze.ordinal}">[{cloze.hint if cloze.hint is not None else "..."}]</span>')
    else:
        out.append(f'<span class="{"cloze" if active else "cloze-inactive"}" data-ordinal="{cloze.ordinal}">')
        children(out)
        out.append("</span>")


def reveal(text: str, ordinal: int, *, question: bool) -> str:
    """The ``{{cloze:Field}}`` filter for card ``ordinal`` (1-based); empty when that cloze is absent."""
    out: list[str] = []
    found = [False]
    for node in _parse(text):
        if isinstance(node, str):
            out.append(node)
        else:
            _reveal(node, ordinal, question, found, out)
    if not found[0]:
        return ""
    # Inside MathJax, tags are dropped and entities kept.
    return _MATHJAX.sub(lambda m: m.group(1) + nh3.clean(m.group(2), tags=set()) + m.group(3), "".join(out))


def reveal_only(text: str, ordinal: int, *, question: bool) -> str:
    """The ``{{cloze-only:Field}}`` filter: just the active clozes' hints or texts, comma-separated."""
    found: list[str] = []

    def walk(nodes: list[Node]) -> None:
        for node in nodes:
            if isinstance(node, _Cloze):
                if node.ordinal == ordinal:
                    found.append((node.hint or "...") if question else node.text())
                walk(node.nodes)
    walk(_parse(text))
    return ", ".join(found)


def numbers(fields: Iterable[str]) -> set[int]:
    """The cloze numbers (above 0) used in these field values: one card each."""
    found: set[int] = set()

    def walk(nodes: list[Node]) -> None:
        for node in nodes:
            if isinstance(node, _Cloze) and node.ordinal:
                found.add(node.ordinal)
                walk(node.nodes)
    for value in fields:
        if _OPEN.search(value):
            walk(_parse(value))
    return found
