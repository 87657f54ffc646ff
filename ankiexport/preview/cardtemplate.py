"""Anki's card template language, rendered the way Anki's own backend renders it.

What a student sees is decided by Anki's renderer (rslib ``template.rs``), so this module follows its
rules rather than generic Mustache:

- ``{{Field}}``, ``{{filter:Field}}`` (filters apply right to left), ``{{#Field}}…{{/Field}}`` and
  ``{{^Field}}…{{/Field}}`` sections, ``{{FrontSide}}`` on the back, the special fields (Tags, Type,
  Deck, Subdeck, Card, CardFlag), ``<!-- comments -->`` kept verbatim with no substitution inside,
  and the legacy ``{{=<% %>=}}`` delimiter switch;
- a field counts as empty when it holds only whitespace and ``<br>``/``<div>`` tags;
- a card exists only when its front *uses* a non-empty field (:func:`renders_with_fields`): static
  text alone does not make a card, and ``{{^Field}}`` sections never do — so the Definition → Term
  card exists only when Reverse is filled;
- ``[sound:…]`` tags become ``[anki:play:q:N]`` / ``[anki:play:a:N]`` placeholders, as Anki's
  ``render_output`` returns them.

Cloze note types (none of ankiexport's, but common in shared decks) follow :mod:`cloze`: one card per
cloze number, the ``cloze:`` and ``cloze-only:`` filters.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Union

from bs4 import BeautifulSoup

from ..errors import AnkiexportError
from . import cloze

FRONT_SIDE = "FrontSide"
ALT_SYNTAX = "{{=<% %>=}}"
COMMENT_START, COMMENT_END = "<!--", "-->"

# Anki's field_is_empty: "<br>", "<div> </div>" or spaces alone leave a field empty.
_EMPTY_FIELD = re.compile(r"^(?:\s|</?(?:br|div) ?/?>)*$", re.IGNORECASE | re.DOTALL)
_CLOZE_CONDITIONAL = re.compile(r"^c\d+$")
# Anki's furigana pattern, " ?([^ >]+?)\[(.+?)\]", with base and reading bounded: Python's engine
# backtracks where Anki's does not, and "a[" repeated with no "]" took quadratic time.
_FURIGANA = re.compile(r" ?([^ >]{1,100}?)\[(.{1,100}?)\]")
# Far beyond any real template or note, and bounds for someone else's: Anki's own backend crashes
# on sections nested some thousands deep, and each cloze number is a card holding the whole field.
MAX_SECTION_DEPTH = 50
MAX_CARDS_PER_NOTE = 100
_AV_TAG = re.compile(r"\[sound:(.+?)\]|\[anki:tts(?: [^\]]*)?\].*?\[/anki:tts\]", re.DOTALL)


class TemplateError(AnkiexportError):
    """A card template Anki itself would refuse to render (unbalanced section, unknown field)."""


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Comment:
    text: str


@dataclass(frozen=True)
class Replacement:
    key: str
    filters: tuple[str, ...]  # in the order they apply (the one next to the field name first)


@dataclass(frozen=True)
class Section:
    key: str
    negated: bool
    children: tuple[Node, ...]


Node = Union[Text, Comment, Replacement, Section]  # noqa: UP007 (a runtime alias, Python 3.10)


# --- parsing -------------------------------------------------------------------------------------

def _token_pattern(start: str, end: str) -> re.Pattern[str]:
    # At each position a handlebar wins over a comment; each closes at the first end marker.
    return re.compile(f"{re.escape(start)}(.*?){re.escape(end)}|{COMMENT_START}(.*?){COMMENT_END}", re.DOTALL)


_STANDARD_TOKENS = _token_pattern("{{", "}}")
_LEGACY_TOKENS = _token_pattern("<%", "%>")


def parse(template: str) -> tuple[Node, ...]:
    """Parse a template; raises :class:`TemplateError` where Anki would show a template error."""
    pattern = _STANDARD_TOKENS
    if template.lstrip().startswith(ALT_SYNTAX):
        template = template.lstrip()[len(ALT_SYNTAX):]
        pattern = _LEGACY_TOKENS
    stack: list[tuple[Section | None, list[Node]]] = [(None, [])]
    position = 0
    for match in pattern.finditer(template):
        if match.start() > position:
            stack[-1][1].append(Text(template[position:match.start()]))
        position = match.end()
        handle, comment = match.group(1), match.group(2)
        if handle is None:
            stack[-1][1].append(Comment(comment))
            continue
        inner = handle.lstrip("{").strip()
        head, rest = inner[:1], inner[1:].lstrip()
        if len(inner.encode()) >= 2 and head in "#^":
            if len(stack) > MAX_SECTION_DEPTH:
                raise TemplateError(f"sections nest deeper than {MAX_SECTION_DEPTH} levels",
                                    remedy="this is not a template Anki can show: do not import the deck")
            stack.append((Section(rest, head == "^", ()), []))
        elif len(inner.encode()) >= 2 and head == "/":
            opened, children = stack[-1]
            if opened is None or opened.key != rest:
                where = f"; {{{{{'^' if opened.negated else '#'}{opened.key}}}}} is open" if opened else ""
                raise TemplateError(f"{{{{/{rest}}}}} closes no open section{where}",
                                    remedy="balance every {{#Field}} or {{^Field}} with {{/Field}}")
            stack.pop()
            stack[-1][1].append(Section(opened.key, opened.negated, tuple(children)))
        else:
            *filters, key = inner.split(":")
            stack[-1][1].append(Replacement(key, tuple(reversed(filters))))
    if position < len(template):
        stack[-1][1].append(Text(template[position:]))
    if len(stack) > 1:
        opened = stack[-1][0]
        assert opened is not None
        raise TemplateError(f"{{{{{'^' if opened.negated else '#'}{opened.key}}}}} is never closed",
                            remedy=f"add {{{{/{opened.key}}}}}")
    return tuple(stack[0][1])


def section_depth(template: str) -> int:
    """How deep ``{{#…}}``/``{{^…}}`` sections nest in ``template`` (unbalanced ones included)."""
    depth = deepest = 0
    for match in _STANDARD_TOKENS.finditer(template):
        inner = (match.group(1) or "").lstrip("{").strip()
        if inner[:1] in ("#", "^") and len(inner) > 1:
            depth += 1
            deepest = max(deepest, depth)
        elif inner[:1] == "/" and len(inner) > 1:
            depth = max(0, depth - 1)
    return deepest


# --- which cards exist ---------------------------------------------------------------------------

def field_is_empty(text: str) -> bool:
    return bool(_EMPTY_FIELD.match(text))


def nonempty_fields(fields: Mapping[str, str]) -> frozenset[str]:
    return frozenset(name for name, value in fields.items() if not field_is_empty(value))


def renders_with_fields(nodes: Sequence[Node], nonempty: frozenset[str] | set[str]) -> bool:
    """True when the template shows at least one non-empty field: Anki's rule for generating a card
    (and for not calling its front blank). Text, comments and ``{{^…}}`` sections never count."""
    for node in nodes:
        if isinstance(node, Replacement):
            if node.key in nonempty:
                return True
        elif isinstance(node, Section):
            if node.negated:
                if node.key in nonempty:
                    continue
            elif node.key not in nonempty:
                continue
            if renders_with_fields(node.children, nonempty):
                return True
    return False


@dataclass(frozen=True)
class CardTemplate:
    name: str
    front: str
    back: str


def _cloze_fields(nodes: Sequence[Node]) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, Replacement) and "cloze" in node.filters:
            found.add(node.key)
        elif isinstance(node, Section):
            found |= _cloze_fields(node.children)
    return found


def generated_ords(templates: Sequence[CardTemplate], fields: Mapping[str, str], *,
                   is_cloze: bool = False) -> list[int]:
    """The card ordinals a note with these fields has: for a standard note type the indexes of the
    templates whose front shows a non-empty field; for a cloze type one per cloze number (minus one)
    in the fields its front runs through ``cloze:``."""
    if is_cloze:
        try:
            used = _cloze_fields(parse(templates[0].front)) if templates else set()
        except TemplateError:
            return []
        return sorted(n - 1 for n in cloze.numbers(fields[name] for name in used if name in fields))
    nonempty = nonempty_fields(fields)
    ords = []
    for ord_, template in enumerate(templates):
        try:
            if renders_with_fields(parse(template.front), nonempty):
                ords.append(ord_)
        except TemplateError:
            continue  # Anki makes no card from a front it cannot parse
    return ords


# --- rendering -----------------------------------------------------------------------------------

def _strip_html(text: str) -> str:
    return BeautifulSoup(text, "html.parser").get_text()


def _ruby(text: str, part: str) -> str:
    def replace(match: re.Match[str]) -> str:
        base, reading = match.group(1), match.group(2)
        if reading.startswith("sound:"):
            return match.group(0)
        if part == "kanji":
            return base
        if part == "kana":
            return reading
        return f"<ruby><rb>{base}</rb><rt>{reading}</rt></ruby>"
    return _FURIGANA.sub(replace, text.replace("&nbsp;", " "))


def _hint(text: str, field: str) -> str:
    if not text.strip():
        return text
    # Anki hashes with BLAKE3; any stable id serves, since only the DOM needs it to be unique.
    dom_id = hashlib.blake2b((text + field).encode(), digest_size=8).hexdigest()
    return (f'\n<a class=hint href="#"\nonclick="this.style.display=\'none\';\n'
            f"document.getElementById('hint{dom_id}').style.display='block';\nreturn false;\" draggable=false>\n"
            f'{field}</a>\n<div id="hint{dom_id}" class=hint style="display: none">{text}</div>\n')


@dataclass
class _Context:
    fields: Mapping[str, str]
    nonempty: frozenset[str]
    front_side: str | None  # None while rendering the question
    card_ord: int
    unknown: list[str]


def _apply_filters(text: str, filters: tuple[str, ...], field: str, context: _Context) -> str:
    if filters and filters[-1] == "type":
        # Anki swaps a type: reference for a placeholder its reviewer turns into an input box.
        kind = {"cloze": "cloze:", "nc": "nc:"}.get(filters[0], "") if len(filters) == 2 else ""
        return f"[[type:{kind}{field}]]"
    for name in filters:
        if name == "text":
            text = _strip_html(text)
        elif name in ("furigana", "kanji", "kana"):
            text = _ruby(text, name)
        elif name == "hint":
            text = _hint(text, field)
        elif name.startswith("tts "):
            text = f"[anki:tts lang={name[4:]}]{text}[/anki:tts]"
        elif name == "cloze":
            text = cloze.reveal(text, context.card_ord + 1, question=context.front_side is None)
        elif name == "cloze-only":
            text = cloze.reveal_only(text, context.card_ord + 1, question=context.front_side is None)
        elif name:
            context.unknown.append(name)  # add-on filters: Anki passes the text through unchanged
    return text


def _render(nodes: Sequence[Node], context: _Context, out: list[str]) -> None:
    fields, nonempty = context.fields, context.nonempty
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Comment):
            out.append(f"{COMMENT_START}{node.text}{COMMENT_END}")
        elif isinstance(node, Replacement):
            if node.key == FRONT_SIDE:
                out.append(context.front_side or "")
            elif not node.key and node.filters:
                continue  # a filter with no field adds its own text only in add-ons
            elif node.key in fields:
                out.append(_apply_filters(fields[node.key], node.filters, node.key, context))
            else:
                written = ":".join((*reversed(node.filters), node.key))
                raise TemplateError(f"the template uses {{{{{written}}}}}, but there is no field called "
                                    f"{node.key!r}", remedy="fix the field name in the card template")
        else:
            if node.key in nonempty:
                shown = not node.negated
            elif node.key in fields or _CLOZE_CONDITIONAL.match(node.key):
                shown = node.negated
            else:
                raise TemplateError(f"the template uses {{{{{'^' if node.negated else '#'}{node.key}}}}}, "
                                    f"but there is no field called {node.key!r}",
                                    remedy="fix the field name in the card template")
            # Anki checks hidden sections for errors too.
            _render(node.children, context, out if shown else [])


def _extract_av_tags(text: str, side: str) -> tuple[str, list[str]]:
    tags: list[str] = []

    def replace(match: re.Match[str]) -> str:
        tags.append(match.group(1) or match.group(0))
        return f"[anki:play:{side}:{len(tags) - 1}]"
    return _AV_TAG.sub(replace, text), tags


@dataclass(frozen=True)
class RenderedCard:
    question: str  # as Anki's ``card.render_output().question_text``
    answer: str
    sounds: tuple[str, ...] = ()  # [sound:…] file names or tts tags, question's first
    unknown_filters: tuple[str, ...] = ()


def render_card(template: CardTemplate, fields: Mapping[str, str], *, card_ord: int = 0,
                special: Mapping[str, str] | None = None, is_cloze: bool = False) -> RenderedCard:
    """Render one card's question and answer. ``special`` holds Tags, Type, Deck… (never overriding a
    note field of the same name); a cloze type renders card ``card_ord`` from its first template.
    Raises :class:`TemplateError` for a template Anki cannot render or a blank front."""
    values = {**(special or {}), **fields}
    values.setdefault(f"c{card_ord + 1}", "1")
    context = _Context(values, nonempty_fields(values), None, card_ord, [])
    front_nodes = parse(template.front)
    question_parts: list[str] = []
    _render(front_nodes, context, question_parts)
    blank = (card_ord + 1 not in cloze.numbers(values.values()) if is_cloze
             else not renders_with_fields(front_nodes, context.nonempty))
    if blank:
        raise TemplateError(f"the front of card {template.name!r} is blank for this note",
                            remedy="Anki makes no such card; fill a field its front uses")
    question, q_tags = _extract_av_tags("".join(question_parts), "q")
    answer_parts: list[str] = []
    context.front_side = question
    _render(parse(template.back), context, answer_parts)
    answer, a_tags = _extract_av_tags("".join(answer_parts), "a")
    return RenderedCard(question, answer, tuple(q_tags + a_tags), tuple(dict.fromkeys(context.unknown)))
