"""Parts of a parsed HTML page → the safe inline HTML and plain text that blocks and items carry.

Pages are parsed with lxml (libxml2's HTML parser) into one tree each. A node of a page is an element
or a piece of text (a ``str``: an element's ``.text`` or a child's ``.tail``); :func:`children` lists an
element's nodes as bs4 did, so the reader still walks "text, element, text".

:meth:`Fragments.prepare` readies a subtree once, in place: images become bundled media (or go, with a
warning), links that lead nowhere in Anki lose their ``<a>``, attributes shrink to the few that teach,
and TeX between dollars becomes MathJax. :meth:`Fragments.html` then serialises nodes through the nh3
allowlist sanitiser (:mod:`ankiexport.sanitize`), so whatever slipped past ``prepare`` still cannot run.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Collection, Iterable
from typing import Any, TypeAlias

import lxml.etree as etree

from ...markup import normalise_space
from ...sanitize import clean_html
from .media import MediaCollector

# An lxml element (lxml.etree._Element; lxml ships no type hints).
Element: TypeAlias = Any
# A node of the page: an element or a piece of text.
Node: TypeAlias = Any

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
# Wikipedia's formula images carry this class even when their alt text lacks "\\displaystyle".
MATH_FALLBACK_CLASS = "mwe-math-fallback-image"
# MathML written by converters (LaTeXML, MathJax, Wikipedia) keeps its source in this annotation.
TEX_ANNOTATION = etree.XPath(".//*[local-name()='annotation'][@encoding='application/x-tex']")
NO_MATH_INSIDE = frozenset({"code", "pre", "kbd", "samp", "script", "style", "textarea"})


def _tex_annotation(math: Element) -> str:
    annotation = next(iter(TEX_ANNOTATION(math)), None)
    return normalise_space("".join(annotation.itertext())) if annotation is not None else ""


# Wikipedia wraps each formula in one of these: a hidden MathML copy and an aria-hidden image of it.
MATH_ELEMENT_CLASS = "mwe-math-element"


def _tex_of(element: Element) -> str:
    """The TeX a formula element carries: a MathML alttext or annotation, else a formula image's alt."""
    for math in element.iter("math"):
        tex = (math.get("alttext") or "").strip() or _tex_annotation(math)
        if tex:
            return tex
    for img in element.iter("img"):
        alt = (img.get("alt") or "").strip()
        if alt:
            return alt
    return ""


def formulas_to_tex(root: Element) -> None:
    """Every formula below ``root`` as MathJax text, before chrome is judged: Wikipedia hides both copies
    of a formula (display:none MathML, aria-hidden image), and the text read "If , then , so" without it."""
    for element in [e for e in root.iter("span", "div") if MATH_ELEMENT_CLASS in (e.get("class") or "").split()]:
        tex = _tex_of(element)
        if tex:
            display = any("display" in (i.get("class") or "") for i in element.iter("img")) or any(
                (m.get("display") or "") == "block" for m in element.iter("math"))
            replace_with_text(element, rf"\[{tex}\]" if display else rf"\({tex}\)")
    for math in list(root.iter("math")):
        tex = _tex_of(math)
        if tex:
            replace_with_text(math, rf"\[{tex}\]" if (math.get("display") or "") == "block" else rf"\({tex}\)")


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


# --- The tree --------------------------------------------------------------------------------------

# The characters bs4 counted as space when it dropped whitespace-only strings to one " " or "\n" on
# parsing (anywhere but inside <pre> and <textarea>); reproduced where that shows: in code.
ASCII_SPACES = " \n\t\f\r"
PRESERVE_SPACE_TAGS = frozenset({"pre", "textarea"})


# lxml refuses to store these in a tree it is given (libxml2 keeps them when it parses): C0 controls but
# tab, LF and CR, and two noncharacters. Those Python counts as space become a space, the others U+FFFD.
XML_SAFE: dict[str, str] = {
    **{chr(c): "\ufffd" for c in [*range(0x00, 0x09), *range(0x0e, 0x1c), 0xfffe, 0xffff]},
    **{chr(c): " " for c in (0x0b, 0x0c, 0x1c, 0x1d, 0x1e, 0x1f)},
}

_XML_SAFE_TABLE = str.maketrans(XML_SAFE)
_XML_UNSAFE = re.compile(f"[{re.escape(''.join(XML_SAFE))}]")


def xml_safe(text: str | None) -> str | None:
    """``text`` as lxml takes it back into the tree: a page may write those characters as references
    ("&#1;"), which libxml2 decodes."""
    if text and _XML_UNSAFE.search(text):
        return text.translate(_XML_SAFE_TABLE)
    return text


# libxml2 stops building a tree 256 elements deep and drops the rest of the page; fed to a target it
# does not. This finds an element at that depth (the root's descendants with 255 ancestors).
AT_DEPTH_LIMIT = etree.XPath("*/" * 254 + "*")


def parse_document(text: str) -> Element:
    """The root element (``<html>``) of a page, parsed by libxml2's HTML parser."""
    text = xml_safe(text) or ""
    root = _parse(text, _html_parser())
    if AT_DEPTH_LIMIT(root):
        # A page nested that deep (generated or hostile) is parsed again into a tree built from the
        # parser's events, which keeps all of it; MAX_NESTING flattens it next. Its lines stay unknown.
        root = _parse(text, etree.HTMLParser(recover=True, target=etree.TreeBuilder()))
        # All held at once: lxml frees an element's proxy by walking up to the nearest ancestor that has
        # one, so visiting a deep chain one proxy at a time took quadratic time.
        for element in list(root.iter()):
            element.sourceline = 0
    return root


# One HTML parser per thread, reused page after page: a parser is a reference cycle, so a parser per page
# lingered until the cyclic garbage collector ran (lxml parsers may be reused, not shared between threads).
_PARSERS = threading.local()


def _html_parser() -> Any:
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.HTMLParser(recover=True)
    return parser


def _parse(text: str, parser: Any) -> Element:
    try:
        parser.feed(text)
        root = parser.close()
    except etree.LxmlError:  # nothing that makes an element: a page of only a comment
        _PARSERS.parser = None  # start the next page with a fresh parser
        root = None
    return etree.Element("html") if root is None else root


def children(element: Element) -> list[Node]:
    """The element's child elements and the pieces of text around them, in order; comments are left out
    (the text on either side of one stays two pieces)."""
    # Each reading of .text or .tail makes a new string from libxml2's UTF-8: each is read once.
    text = element.text
    nodes: list[Node] = [text] if text else []
    for child in element:
        if isinstance(child.tag, str):
            nodes.append(child)
        text = child.tail
        if text:
            nodes.append(text)
    return nodes


def elements(root: Element) -> list[Element]:
    """``root`` and every element below it, in document order."""
    return list(root.iter(etree.Element))


def tags_named(root: Element, names: Collection[str]) -> list[Element]:
    """The elements below ``root`` (not ``root`` itself) with one of these names, in document order."""
    return list(root.iterdescendants(*names))


def has_descendant(root: Element, names: Collection[str]) -> bool:
    return next(root.iterdescendants(*names), None) is not None


# A comment where an element was: the text before and after it stay separate pieces, as in bs4's
# tree, so each piece is tidied on its own ("a " and " b" stay "a  b"). Serialising leaves it out.
MARKER_TEXT = "ankiexport:removed"
MARKER = f"<!--{MARKER_TEXT}-->"


def _marker() -> Element:
    return etree.Comment(MARKER_TEXT)


def _is_marker(node: Node) -> bool:
    return bool(node.tag is etree.Comment and node.text == MARKER_TEXT)


def remove(element: Element) -> None:
    """Take ``element`` out of the tree; the text after it stays."""
    parent = element.getparent()
    if parent is None:
        return
    marker = _marker()
    marker.tail = xml_safe(element.tail)
    parent.replace(element, marker)


def replace_with_text(element: Element, text: str) -> None:
    """Put a piece of text where ``element`` was."""
    parent = element.getparent()
    if parent is None:
        return
    before, after = _marker(), _marker()
    before.tail, after.tail = xml_safe(text), xml_safe(element.tail)
    index = parent.index(element)
    parent[index:index + 1] = [before, after]


def unwrap(element: Element) -> None:
    """Replace ``element`` by what it holds."""
    parent = element.getparent()
    if parent is None:
        return
    before, after = _marker(), _marker()
    before.tail, after.tail = xml_safe(element.text), xml_safe(element.tail)
    index = parent.index(element)
    parent[index:index + 1] = [before, *element, after]


# --- Text ----------------------------------------------------------------------------------------


def text_of(nodes: Iterable[Node]) -> str:
    """Plain text of nodes, with a space wherever layout would separate words (blocks, <br>)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node.tag, str):
            _gather_text(node, parts)
    return normalise_space("".join(parts))


def _gather_text(element: Element, parts: list[str]) -> None:
    """Append the text pieces of ``element`` to ``parts``."""
    name = element.tag
    if name == "br":
        parts.append(" ")
        return
    if name == "img":
        alt = element.get("alt") or ""
        parts.append(alt if TEX_ALT.fullmatch(alt) or MATH_FALLBACK_CLASS in (element.get("class") or "") else "")
        return
    block = name in BLOCK_TAGS
    if block:
        parts.append(" ")
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            _gather_text(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append(" ")


def block_holders(root: Element) -> set[Element]:
    """The elements (``root``, its descendants and ancestors) that have a block element below them."""
    holders: set[Element] = set()
    for element in root.iterdescendants(*BLOCK_TAGS):
        parent = element.getparent()
        while parent is not None and parent not in holders:
            holders.add(parent)
            parent = parent.getparent()
    return holders


# --- Serialising -----------------------------------------------------------------------------------

# libxml2's HTML serialiser (``etree.tostring``) writes what nh3 reads back as bs4's output, except where
# not_for_libxml2 says: there :func:`_serialise` writes the subtree in Python, as bs4 did.

# Elements whose content nh3 reads as text, and the foreign ones (SVG, MathML).
_AS_TEXT_TO_NH3 = ("noscript", "noembed", "noframes", "iframe", "xmp", "textarea", "title", "style", "script",
                   "svg", "math")
# A URL libxml2 writes as it stands: printable ASCII, no space.
_URL_AS_IS = re.compile(r"[!-~]*")


# bs4's empty-element tags, written "<br/>".
VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "menuitem", "meta",
    "param", "source", "track", "wbr", "basefont", "bgsound", "command", "frame", "image", "isindex",
    "nextid", "spacer",
})


def _attribute(value: str) -> str:
    value = html.escape(value, quote=False)
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'


def _serialise(element: Element, out: list[str]) -> None:
    """``element`` as bs4 wrote it (its "minimal" formatter)."""
    name = element.tag
    out.append(f"<{name}")
    for key, value in sorted(element.items()):
        out.append(f" {key}={_attribute(value)}")
    if name in VOID_TAGS and not element.text and all(_is_marker(c) and not c.tail for c in element):
        out.append("/>")
        return
    out.append(">")
    raw = name in ("script", "style")
    if element.text:
        out.append(element.text if raw else html.escape(element.text, quote=False))
    for child in element:
        if isinstance(child.tag, str):
            _serialise(child, out)
        elif child.tag is etree.Comment:
            if child.text != MARKER_TEXT:
                out.append(f"<!--{child.text or ''}-->")
        elif child.tag is etree.PI:
            out.append(f"<?{child.target} {child.text or ''}>")
        if child.tail:
            out.append(html.escape(child.tail, quote=False))
    out.append(f"</{name}>")


def not_for_libxml2(root: Element) -> list[Element]:
    """The elements in ``root``'s prepared subtree that libxml2 would write differently; each of their
    ancestors would be too. libxml2 percent-escapes spaces, controls and non-ASCII letters in URL
    attributes ("a b.png" → "a%20b.png"; once prepared, only <a href> and <img src> hold a URL); it writes
    an empty <li> without its end tag, so that what follows ends up inside it; and inside the elements
    whose content nh3 reads as text (<noscript>, <xmp>, …) how elements are written ("<input>",
    "<input/>") stays text, which matters inside <svg> and <math>. (After a <plaintext> all of the
    fragment is text to nh3: Fragments.prepare marks such a subtree whole.)"""
    found = [e for e in root.iter("li") if not e.text and len(e) == 0]
    found += [e for e in root.iter(*_AS_TEXT_TO_NH3) if next(e.iterchildren(etree.Element), None) is not None]
    found += [e for e in root.iter("a", "img")
              if not _URL_AS_IS.fullmatch(e.get("href" if e.tag == "a" else "src") or "")]
    return found


def serialise(element: Element, by_libxml2: bool) -> str:
    if by_libxml2:
        text = str(etree.tostring(element, method="html", encoding="unicode", with_tail=False))
        return text.replace(MARKER, "") if MARKER in text else text
    out: list[str] = []
    _serialise(element, out)
    return "".join(out)


def _inside(root: Element, names: Collection[str]) -> set[Node]:
    """The nodes of ``root``'s subtree inside an element with one of these names (that element included)."""
    inside: set[Node] = set()
    for element in root.iter(*names):
        if element not in inside:
            inside.update(element.iter())
    return inside


class Fragments:
    """Turns page nodes into card HTML for one article (holding its media collector)."""

    def __init__(self, media: MediaCollector) -> None:
        self.media = media
        # The elements of prepared subtrees that libxml2 would write differently (not_for_libxml2) and
        # their ancestors: looked up once per prepare, not on every serialising.
        self._not_for_libxml2: set[Element] = set()

    def prepare(self, root: Element) -> None:
        """Ready ``root``'s subtree for serialising, in place. Run once per subtree."""
        formulas_to_tex(root)  # (MathML is not on the allowlist: its TeX is what MathJax renders in Anki)
        found = tags_named(root, ("img", "a"))
        for img in [t for t in found if t.tag == "img"]:
            self._image(img)
        for link in [t for t in found if t.tag == "a"]:
            href = (link.get("href") or "").strip()
            if not href.lower().startswith(LINK_SCHEMES):
                unwrap(link)  # in-page anchors and the site's relative links lead nowhere in Anki
        ancestors = [root, *root.iterancestors()]
        self._tidy(root, any(p.tag in NO_MATH_INSIDE for p in ancestors),
                   any(p.tag in PRESERVE_SPACE_TAGS for p in ancestors))
        differ = not_for_libxml2(root)
        if has_descendant(root, ("plaintext",)):
            differ = elements(root)
        for element in differ:
            while element is not None and element not in self._not_for_libxml2:
                self._not_for_libxml2.add(element)
                element = element.getparent()

    def _tidy(self, root: Element, verbatim: bool, preserve: bool) -> None:
        """Shrink attributes (and sort them, as bs4 wrote them); outside code (``verbatim``) collapse source
        indentation to one space, which keeps the fields small, and turn TeX in dollars into MathJax. Each
        piece of text on its own."""
        code = _inside(root, NO_MATH_INSIDE)
        kept_space = _inside(root, PRESERVE_SPACE_TAGS)
        for node in root.iter():
            name = node.tag
            if isinstance(name, str):
                attributes = node.attrib
                if attributes:
                    kept = KEPT_ATTRIBUTES.get(name, frozenset())
                    items = sorted(item for item in attributes.items() if item[0] in kept)
                    if attributes.keys() != [key for key, _ in items]:
                        attributes.clear()
                        for key, value in items:
                            attributes[key] = xml_safe(value)
                if node.text:
                    tidied = _tidy_text(node.text, verbatim or node in code, preserve or node in kept_space)
                    if tidied != node.text:
                        node.text = xml_safe(tidied)
            if node.tail and node is not root:  # (the root's own tail lies outside)
                parent = node.getparent()  # the text after a node lies in its parent
                tidied = _tidy_text(node.tail, verbatim or parent in code, preserve or parent in kept_space)
                if tidied != node.tail:
                    node.tail = xml_safe(tidied)

    def _image(self, img: Element) -> None:
        alt = img.get("alt") or ""
        if TEX_ALT.fullmatch(alt) or (alt.strip() and MATH_FALLBACK_CLASS in (img.get("class") or "")):
            replace_with_text(img, rf"\({alt.strip()}\)")
            return
        src = img.get("src") or ""
        if not src or src.startswith("data:"):
            # Lazy-loading pages keep the real image in data-src and a placeholder pixel in src.
            src = img.get("data-src") or src
        name = self.media.resolve(src) if src else None
        if name is None:
            remove(img)
            return
        img.attrib.clear()
        img.set("src", name)
        if alt:
            img.set("alt", xml_safe(alt))

    def html(self, nodes: Iterable[Node]) -> str:
        nodes = list(nodes)
        plain = plain_html(nodes)
        return self.sanitised(nodes) if plain is None else plain

    def text_and_html(self, nodes: list[Node]) -> tuple[str, str]:
        """``(text_of(nodes), self.html(nodes))``, from one pass over plain nodes."""
        plain = _plain(nodes)
        if plain is None:
            return text_of(nodes), self.sanitised(nodes)
        written, pieces = plain
        return normalise_space("".join(pieces)), self.sanitised(nodes) if written is None else written

    def sanitised(self, nodes: Iterable[Node]) -> str:
        """The nodes written out (by libxml2 where it writes what bs4 did) and sanitised by nh3."""
        parts = []
        for node in nodes:
            if isinstance(node, str):
                parts.append(html.escape(node, quote=False))
            elif isinstance(node.tag, str):
                parts.append(serialise(node, node not in self._not_for_libxml2))
        return clean_html("".join(parts)).strip()

    def from_markup(self, markup: str) -> tuple[str, str]:
        """(safe html, plain text) of an HTML snippet from structured data (JSON-LD answer text)."""
        document = parse_document(f"<div>{without_surrogates(markup)}</div>")
        root = next(document.iter("div"))
        for element in tags_named(root, ("script", "style", "template", "noscript", "iframe", "object", "embed")):
            remove(element)
        self.prepare(root)
        nodes = children(root)
        return self.html(nodes), text_of(nodes)


# --- What nh3 would give back unchanged ---------------------------------------------------------

# Most blocks are text and a few inline elements without attributes ("<strong>Term</strong>: …"), which
# nh3 gives back as written here (see _plain): they are not sent through libxml2's serialiser and nh3.

# Tags on the sanitiser's allowlist that the HTML parser never moves, closes or reopens when nested in one
# another without attributes (nested, <p>, <a> and <li> are rewritten).
PLAIN_INLINE_TAGS = frozenset({"b", "i", "em", "strong", "u", "s", "sub", "sup", "small", "mark", "code", "kbd",
                               "var", "samp", "dfn", "span", "abbr"})


# clean_html gives escaped text (no tag but plain ones; no "&" but "&amp;", "&lt;", "&gt;") back as it
# is unless it holds one of these: what nh3 rewrites, and the control characters it drops first.
REWRITTEN_ESCAPED = re.compile("[\r\xa0\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def rewrites_escaped(text: str) -> bool:
    """Whether nh3 would rewrite ``text``, escaped text as :func:`_plain` writes it."""
    return REWRITTEN_ESCAPED.search(text) is not None


def _write_plain(element: Element, out: list[str], text: list[str]) -> bool:
    """Append ``element`` as nh3 writes it to ``out`` and its pieces of text (as ``text_of`` gathers them)
    to ``text``; False (both half written) if it is not plain."""
    name = element.tag
    if name == "br":
        if element.text or len(element) or element.attrib:
            return False
        out.append("<br>")
        text.append(" ")
        return True
    if name not in PLAIN_INLINE_TAGS or element.attrib:
        return False
    out.append(f"<{name}>")
    piece = element.text
    if piece:
        out.append(html.escape(piece, quote=False))
        text.append(piece)
    for child in element:
        if isinstance(child.tag, str):
            if not _write_plain(child, out, text):
                return False
        elif not _is_marker(child):
            return False  # comments and <?…> nodes: the sanitiser's to drop
        piece = child.tail
        if piece:
            out.append(html.escape(piece, quote=False))
            text.append(piece)
    out.append(f"</{name}>")
    return True


def _plain(nodes: list[Node]) -> tuple[str | None, list[str]] | None:
    """(card HTML, pieces of text as ``text_of`` gathers them) of nodes that are text and plain inline
    elements (PLAIN_INLINE_TAGS, <br>) only, the HTML as nh3 would write it, or None where nh3 would
    change it; None for other nodes. nh3 writes such a fragment back with its tags as they stand and its
    text escaped as html.escape(quote=False) does, unless the text holds what it writes otherwise
    (NO-BREAK SPACE as "&nbsp;") or drops (NUL, CR): sanitize.rewrites_escaped."""
    out: list[str] = []
    text: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(html.escape(node, quote=False))
            text.append(node)
        elif not isinstance(node.tag, str) or not _write_plain(node, out, text):
            return None
    written = "".join(out)
    return (None if rewrites_escaped(written) else written.strip()), text


def plain_html(nodes: list[Node]) -> str | None:
    """``Fragments.html(nodes)`` without libxml2 or nh3, when the nodes are plain; None otherwise."""
    plain = _plain(nodes)
    return None if plain is None else plain[0]


def collapse_space(text: str) -> str:
    """Every run of white space as one space (str.split() splits on exactly what r"\\s" matches)."""
    words = text.split()
    if not words:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + " ".join(words) + (" " if text[-1].isspace() else "")


def keep_space(text: str, preserve: bool) -> str:
    """A piece of text as code shows it: outside <pre> and <textarea> (``preserve``) a whitespace-only
    piece counts as one newline or one space."""
    if not preserve and not text.strip(ASCII_SPACES):
        return "\n" if "\n" in text else " "
    return text


# Soft hyphens (U+00AD) mark where a browser may break a word; in a field they split words for search.
SOFT_HYPHEN = "\xad"


def _tidy_text(text: str, verbatim: bool, preserve: bool) -> str:
    if not verbatim:
        return dollars_to_mathjax(collapse_space(text.replace(SOFT_HYPHEN, "")))
    return keep_space(text, preserve)
