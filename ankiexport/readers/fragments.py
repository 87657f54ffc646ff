"""Parts of a parsed HTML page → the safe inline HTML and plain text that blocks and items carry.

:meth:`Fragments.prepare` readies a subtree once, in place: images become bundled media (or go, with a
warning), links that lead nowhere in Anki lose their ``<a>``, attributes shrink to the few that teach,
and TeX between dollars becomes MathJax. :meth:`Fragments.html` then serialises nodes through the nh3
allowlist sanitiser (:mod:`ankiexport.sanitize`), so whatever slipped past ``prepare`` still cannot run.
"""

from __future__ import annotations

import html
import importlib.util
import re
from collections.abc import Collection, Iterable
from typing import TypeGuard

from bs4 import BeautifulSoup, Tag
from bs4.dammit import EntitySubstitution
from bs4.element import NavigableString, PageElement, PreformattedString
from bs4.formatter import HTMLFormatter

from ..sanitize import clean_html
from .media import MediaCollector

# bs4's fastest tree builder (lxml, a declared dependency); the standard library's as a fallback.
PARSER = "lxml" if importlib.util.find_spec("lxml") else "html.parser"

# Attributes that survive ``prepare`` (the sanitiser allows a few more for the project's own markup).
KEPT_ATTRIBUTES: dict[str, frozenset[str]] = {
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "a": frozenset({"href", "title"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}),
    "ol": frozenset({"start", "type"}),
    "abbr": frozenset({"title"}),
}
LINK_SCHEMES = ("http://", "https://", "mailto:")

# Tags laid out as blocks: text on either side of one belongs to different paragraphs.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption", "dir", "listing", "xmp",
    "frameset", "noframes", "plaintext", "legend", "optgroup", "option",
})
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")

# TeX in dollars, by pandoc's rule so prices survive: the opening "$" is followed by a non-space, the
# closing one follows a non-space and is not followed by a digit ("costs $5 and $10" stays text;
# "$E = mc^2$" becomes \(E = mc^2\)). "$$…$$" is display math. A backslash escapes a dollar.
DISPLAY_DOLLARS = re.compile(r"(?<![\\$])\$\$(?P<tex>[^$]+?)\$\$(?!\$)", re.DOTALL)
INLINE_DOLLARS = re.compile(r"(?<![\\$])\$(?![\s$])(?P<tex>[^$\n]+?)(?<![\s\\])\$(?![\d$])")
# Wikipedia draws formulas as images whose alt text is their TeX ("{\displaystyle x_{i}}"): MathJax
# renders that text, and the image itself is remote.
TEX_ALT = re.compile(r"\s*\{\\displaystyle\b.*\}\s*", re.DOTALL)
NO_MATH_INSIDE = frozenset({"code", "pre", "kbd", "samp", "script", "style", "textarea"})

_SPACE = re.compile(r"\s+")


def normalise_space(text: str) -> str:
    # str.split() splits on exactly the characters r"\s" matches; it is the cheaper of the two.
    return " ".join(text.split())


def without_surrogates(text: str) -> str:
    """Lone surrogates (JSON-LD may escape one: "\\ud800") become U+FFFD: no parser or sanitiser takes them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def dollars_to_mathjax(text: str) -> str:
    """``$…$`` → ``\\(…\\)`` and ``$$…$$`` → ``\\[…\\]``, the delimiters Anki's MathJax reads."""
    if "$" not in text:
        return text
    text = DISPLAY_DOLLARS.sub(lambda m: rf"\[{m['tex'].strip()}\]", text)
    return INLINE_DOLLARS.sub(lambda m: rf"\({m['tex']}\)", text)


def is_text(node: PageElement) -> TypeGuard[NavigableString]:
    """A text node that is shown (comments, CDATA, doctypes and processing instructions are not)."""
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def text_of(nodes: Iterable[PageElement]) -> str:
    """Plain text of nodes, with a space wherever layout would separate words (blocks, <br>)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Tag):
            _gather_text(node, parts)
        elif is_text(node):
            parts.append(node)
    return normalise_space("".join(parts))


def _gather_text(tag: Tag, parts: list[str], spans: dict[int, tuple[int, int]] | None = None) -> None:
    """Append the text pieces of ``tag`` to ``parts``; with ``spans``, note where each tag's pieces lie."""
    name = tag.name
    if name == "br":
        parts.append(" ")
        return
    if name == "img":
        alt = str(tag.get("alt") or "")
        parts.append(alt if TEX_ALT.fullmatch(alt) else "")
        return
    start = len(parts)
    block = name in BLOCK_TAGS
    if block:
        parts.append(" ")
    for child in tag.contents:
        if isinstance(child, Tag):
            _gather_text(child, parts, spans)
        elif is_text(child):
            parts.append(child)
    if block:
        parts.append(" ")
    if spans is not None:
        spans[id(tag)] = (start, len(parts))


class TextMemo:
    """``text_of([tag])`` of every tag under ``root``, from one walk: a tag's text is the join of the pieces
    gathered inside it. For passes that measure one unchanging tree repeatedly (choosing the content
    root, then its chrome); the tree must not change while the memo is in use."""

    def __init__(self, root: Tag) -> None:
        self._parts: list[str] = []
        self._spans: dict[int, tuple[int, int]] = {}
        self._texts: dict[int, str] = {}
        _gather_text(root, self._parts, self._spans)

    def __call__(self, tag: Tag) -> str:
        key = id(tag)
        text = self._texts.get(key)
        if text is None:
            span = self._spans.get(key)
            text = text_of([tag]) if span is None else normalise_space("".join(self._parts[span[0]:span[1]]))
            self._texts[key] = text
        return text


def tags_named(root: Tag, names: Collection[str]) -> list[Tag]:
    """``root.find_all(names)``: bs4 matches a collection of names against each element one by one, far
    more slowly than its all-tags scan and a set lookup."""
    return [tag for tag in root.find_all(True) if tag.name in names]


def has_descendant(root: Tag, names: Collection[str]) -> bool:
    """``root.find(names) is not None``, without bs4's per-name matching."""
    return any(isinstance(node, Tag) and node.name in names for node in root.descendants)


def block_holders(root: Tag) -> set[int]:
    """ids of the tags (``root``, its descendants and ancestors) that have a block tag below them,
    found in one pass instead of a search below every element the walk meets."""
    holders: set[int] = set()
    for tag in root.find_all(True):
        if tag.name in BLOCK_TAGS:
            parent = tag.parent
            while parent is not None and id(parent) not in holders:
                holders.add(id(parent))
                parent = parent.parent
    return holders


class _Formatter(HTMLFormatter):
    """bs4's "minimal" HTML formatter (what ``str(tag)`` uses) that also collapses the whitespace of the
    strings :meth:`Fragments.prepare` marked. Marking is much cheaper than replacing each string in
    the tree, which makes bs4 relink its neighbours every time, and only serialising shows whitespace
    (plain text is normalised anyway)."""

    def __init__(self, collapsed: dict[int, NavigableString]) -> None:
        super().__init__(entity_substitution=EntitySubstitution.substitute_xml)
        self.collapsed = collapsed

    def substitute(self, ns: str) -> str:
        if self.collapsed.get(id(ns)) is ns:
            ns = _SPACE.sub(" ", ns)
        return super().substitute(ns)


class Fragments:
    """Turns page nodes into card HTML for one article (holding its media collector)."""

    def __init__(self, media: MediaCollector) -> None:
        self.media = media
        # Text nodes whose source indentation becomes one space when serialised (kept alive here, so
        # their ids stay theirs).
        self._collapsed: dict[int, NavigableString] = {}
        self._formatter = _Formatter(self._collapsed)

    def prepare(self, root: Tag) -> None:
        """Ready ``root``'s subtree for serialising, in place. Run once per subtree."""
        found = tags_named(root, ("math", "img", "a"))
        replaced = False
        for math in [t for t in found if t.name == "math"]:
            # MathML is not on the allowlist; its TeX annotation is what MathJax renders in Anki.
            tex = str(math.get("alttext") or "").strip()
            if tex:
                block = str(math.get("display") or "") == "block"
                math.replace_with(NavigableString(rf"\[{tex}\]" if block else rf"\({tex}\)"))
                replaced = True
        if replaced:  # what was inside it is gone
            found = tags_named(root, ("img", "a"))
        for img in [t for t in found if t.name == "img"]:
            self._image(img)
        for link in [t for t in found if t.name == "a"]:
            href = str(link.get("href") or "").strip()
            if not href.lower().startswith(LINK_SCHEMES):
                link.unwrap()  # in-page anchors and the site's relative links lead nowhere in Anki
        verbatim = any(p.name in NO_MATH_INSIDE for p in (root, *root.parents))
        self._tidy(root, verbatim)

    def _tidy(self, tag: Tag, verbatim: bool) -> None:
        """Shrink attributes; outside code (``verbatim``) collapse source indentation to one space, which
        keeps the fields small, and turn TeX in dollars into MathJax."""
        if tag.attrs:
            kept = KEPT_ATTRIBUTES.get(tag.name, frozenset())
            tag.attrs = {k: v for k, v in tag.attrs.items() if k in kept}
        for child in list(tag.contents):
            if isinstance(child, Tag):
                self._tidy(child, verbatim or child.name in NO_MATH_INSIDE)
            elif not verbatim and is_text(child):
                collapsed = _SPACE.sub(" ", child)
                converted = dollars_to_mathjax(collapsed)
                if converted != collapsed:
                    child.replace_with(NavigableString(converted))
                elif collapsed != child:
                    self._collapsed[id(child)] = child

    def _image(self, img: Tag) -> None:
        alt = str(img.get("alt") or "")
        if TEX_ALT.fullmatch(alt):
            img.replace_with(NavigableString(rf"\({alt.strip()}\)"))
            return
        src = str(img.get("src") or "")
        if not src or src.startswith("data:"):
            # Lazy-loading pages keep the real image in data-src and a placeholder pixel in src.
            src = str(img.get("data-src") or src)
        name = self.media.resolve(src) if src else None
        if name is None:
            img.decompose()
            return
        img.attrs = {"src": name, **({"alt": alt} if alt else {})}

    def html(self, nodes: Iterable[PageElement]) -> str:
        parts = []
        for node in nodes:
            if is_text(node):
                text = _SPACE.sub(" ", node) if self._collapsed.get(id(node)) is node else str(node)
                parts.append(html.escape(text, quote=False))
            elif isinstance(node, Tag):
                parts.append(node.decode(formatter=self._formatter))
        return clean_html("".join(parts)).strip()

    def from_markup(self, markup: str) -> tuple[str, str]:
        """(safe html, plain text) of an HTML snippet from structured data (JSON-LD answer text)."""
        soup = BeautifulSoup(f"<div>{without_surrogates(markup)}</div>", PARSER)
        root = soup.find("div")
        assert isinstance(root, Tag)
        for tag in root.find_all(("script", "style", "template", "noscript", "iframe", "object", "embed")):
            tag.decompose()
        self.prepare(root)
        nodes = list(root.children)
        return self.html(nodes), text_of(nodes)
