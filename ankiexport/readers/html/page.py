"""HTML articles (saved pages, hand-written HTML) → :class:`Article`.

The page is parsed once, by lxml (libxml2), into one tree whose elements know their source lines (a page
nested deeper than libxml2 builds is parsed a second time, whole); it is read, and pruned in place, in
five steps:
1. bytes → text: BOM, then the declared charset (WHATWG rules: "ISO-8859-1" means windows-1252), then
   UTF-8, then windows-1252; undecodable bytes become U+FFFD, never an error;
2. what the page declares in schema.org data (FAQPage, Quiz, Question, DefinedTerm) becomes items
   (:mod:`.schema_org`);
3. the main content is chosen (``<main>``, the largest ``<article>``, else ``<body>``) and page chrome is
   dropped by the named tables of :mod:`ankiexport.rules.htmlchrome`;
4. the content is walked in document order into the same blocks the text reader makes (headings,
   paragraphs, bullets) with h1–h6 as a chapter tree, so every extractor works unchanged;
5. HTML-only shapes become items on the way: ``<dl>`` glossaries, ``<dfn>``, "<b>Term</b> – text"
   paragraphs and ``<details><summary>`` questions.
Every HTML string that leaves this module went through the nh3 sanitiser.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import lxml.etree as etree
from bs4.dammit import EncodingDetector

from ...markup import normalise_space
from ...model import (
    Article,
    Block,
    BlockKind,
    Chapter,
    ChapterPath,
    Definition,
    Faq,
    Item,
    Section,
    Span,
    normalise_key,
)
from ...rules import htmlchrome
from ...rules.heuristics import DEFINITION_MIN_WORDS, DEFINITION_TERM_MAX_CHARS, DEFINITION_TERM_MAX_WORDS, split_lead
from ...rules.language import SUPPORTED, detect_language
from ..text.dump import SECTION_CHAPTERS, localise_sections
from .fragments import (
    BLOCK_TAGS,
    HEADING_TAGS,
    PRESERVE_SPACE_TAGS,
    Element,
    Fragments,
    Node,
    block_holders,
    children,
    formulas_to_tex,
    has_descendant,
    keep_space,
    parse_document,
    remove,
    tags_named,
    text_of,
    xml_safe,
)
from .media import DEFAULT_READ_OPTIONS, MediaCollector, ReadOptions
from .schema_org import FAQ_CHAPTER, Found, structured_items

# --- Encoding ----------------------------------------------------------------------------------

# Labels browsers decode as windows-1252 (WHATWG Encoding Standard): pages declaring ISO-8859-1 use
# its C1 bytes for dashes and quotes (automobilwoche.de's 0x96 en dash), which Latin-1 would garble.
WINDOWS_1252_ALIASES = frozenset({"iso8859-1", "latin-1", "ascii", "cp1252"})
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if name in WINDOWS_1252_ALIASES:
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a UTF-16 page without a BOM cannot declare itself in ASCII bytes: browsers use UTF-8
    return name


def _is_utf8(data: bytes) -> bool:
    """Whether the bytes hold non-ASCII text that is valid UTF-8: legacy-encoded text almost never is."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode a page as a browser would (``charset``: the server's word, after a BOM's); never raises."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    declared = _codec(charset) or _codec(EncodingDetector.find_declared_encoding(data, is_html=True))
    if declared and declared != "utf-8" and _is_utf8(data):
        declared = "utf-8"  # a page saved as UTF-8 that still declares its old charset (qq.com's gb2312)
    if declared:
        return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# --- Parsing -----------------------------------------------------------------------------------


# Real pages nest a few dozen levels; a page nested thousands deep (generated or hostile) would exhaust
# Python's recursion while walking it. An element at this depth keeps its text but loses its markup.
MAX_NESTING = 150


# The elements MAX_NESTING deep, counting the root as 1.
AT_MAX_NESTING = etree.XPath("*/" * (MAX_NESTING - 2) + "*")


def _flatten_deep(document: Element) -> bool:
    """Flatten what lies deeper than MAX_NESTING; True when anything was."""
    flattened = False
    for element in AT_MAX_NESTING(document):
        if next(element.iterdescendants(etree.Element), None) is not None:
            text = " ".join(_strings(element))
            del element[:]
            element.text = xml_safe(text)
            flattened = True
    return flattened


# Text inside these elements is left out of a flattened element's text, unless it is that element's own.
STRING_CONTAINERS = frozenset({"script", "style", "template", "rt", "rp"})


def _strings(element: Element) -> list[str]:
    """The pieces of text below ``element`` as bs4's ``get_text`` gave them to ``_flatten_deep``: without
    those of other string containers, and with whitespace-only pieces outside <pre> as one space or
    newline. Walked with iterwalk, not recursion: below ``element`` the page may nest thousands deep."""
    above = list(element.iterancestors())
    wanted = element.tag if element.tag in STRING_CONTAINERS else None
    pieces: list[str] = []

    def add(text: str | None, state: tuple[str | None, bool]) -> None:
        container, preserve = state
        if text and container == wanted:
            pieces.append(keep_space(text, preserve))

    outer = (next((a.tag for a in above if a.tag in STRING_CONTAINERS), None),
             any(a.tag in PRESERVE_SPACE_TAGS for a in above))
    states = [outer]  # the state inside each open element, the innermost last
    for event, node in etree.iterwalk(element, events=("start", "end", "comment", "pi")):
        if event == "start":
            state = (node.tag if node.tag in STRING_CONTAINERS else states[-1][0],
                     states[-1][1] or node.tag in PRESERVE_SPACE_TAGS)
            add(node.text, state)
            states.append(state)
            continue
        if event == "end":
            states.pop()
        if node is not element:  # (a comment's own text is not the page's; its tail is)
            add(node.tail, states[-1])
    return pieces


def meta_values(document: Element) -> dict[str, str]:
    """``<meta>`` values by property or name (lower-cased); the first of a name counts."""
    metas: dict[str, str] = {}
    for tag in document.iter("meta"):
        key = str(tag.get("property") or tag.get("name") or "").lower()
        if key and tag.get("content") and key not in metas:
            metas[key] = normalise_space(tag.get("content"))
    return metas


# A short part before or after one of these separators names the site, not the article ("Neuromuscular
# Therapy | StudySmarter", "Die Ablehnung der Gendersprache » SciLogs", "Gregory Szorc's Digital Home | …").
SITE_SEPARATOR = re.compile(r"\s+[|–—·•»:-]{1,2}\s+")
SITE_NAME_MAX_WORDS = 4


# A site name in brackets at the end: "… March 26, 2015 [LWN.net]", "… [Archive of Our Own]"; one word
# without a dot is a label of the article ("TOP 5 Fashion Must Haves 2018 [Werbung]").
BRACKETED_SITE = re.compile(r"\s+\[(?P<site>[^\]]+\.[^\]]+|\S+(\s\S+){1,3})\]$")


def trim_site(title: str) -> str:
    bracketed = BRACKETED_SITE.search(title)
    if bracketed and bracketed.start():
        title = title[: bracketed.start()]
    separators = list(SITE_SEPARATOR.finditer(title))
    if not separators:
        return title
    head, tail = title[: separators[-1].start()].strip(), title[separators[-1].end():].strip()
    if head and len(tail.split()) <= SITE_NAME_MAX_WORDS and len(tail) < len(head):
        return head
    # A site name first is written with a pipe; "Photosynthesis - Definition, Process and Equation"
    # is a title and its subtitle.
    head, tail = title[: separators[0].start()].strip(), title[separators[0].end():].strip()
    if ("|" in separators[0].group() and tail and len(head.split()) <= SITE_NAME_MAX_WORDS
            and len(head) < len(tail)):
        return tail
    return title


def first(document: Element, name: str) -> Element | None:
    """The first element of that name in the page."""
    return next(document.iter(name), None)


# An <h1> that is only a link to the site's home page is its logo (v8.dev's "<h1><a href="/">V8</a>",
# a blog's "<h1><a href="/">Hi, I'm Nicolas.</a>"), not the headline.
HOME_LINKS = frozenset({"/", "./", "index.html", "/index.html"})


def _is_logo(h1: Element) -> bool:
    links = [a for a in h1.iter("a") if text_of([a])]
    if len(links) != 1 or text_of([links[0]]) != text_of([h1]):
        return False
    href = (links[0].get("href") or "").strip()
    return href in HOME_LINKS or bool(re.fullmatch(r"https?://[^/]+/?", href))


def _is_site_name(title: str, metas: dict[str, str]) -> bool:
    """An og:title that names the site or its app ("StudySmarter: Study help & AI tools"), not the page."""
    site = metas.get("og:site_name") or metas.get("application-name") or ""
    key = normalise_key(title)
    return bool(site) and (key == normalise_key(site) or key.startswith(normalise_key(site) + ":"))


def _site_names(title: str, metas: dict[str, str]) -> set[str]:
    """What names the site: its declared names, and the part trim_site takes off the <title>."""
    names = {metas.get("og:site_name", ""), metas.get("application-name", "")}
    trimmed = trim_site(title)
    if trimmed != title:
        names.add(title.replace(trimmed, "").strip(" |–—·•»:-"))
    return {normalise_key(n) for n in names if n}


# Separators that set off a site's name, never a subtitle (a " - " may do either: "Friday Facts #282 - 0.17
# in sight"): what is left after one is trimmed a second time.
SITE_ONLY_SEPARATOR = re.compile(r"\s+[|»·•]\s+")


def _without_site(title: str, sites: set[str]) -> str:
    """Trimmed, a second time after a SITE_ONLY_SEPARATOR ("Die Ablehnung der Gendersprache » SciLogs -
    Wissenschaftsblogs"), and without a leading site name however it is separated ("SimplyScience - Wie
    entsteht Erdöl?")."""
    title = trim_site(title)
    if SITE_ONLY_SEPARATOR.search(title):
        title = trim_site(title)
    parts = SITE_SEPARATOR.split(title, maxsplit=1)
    if len(parts) == 2 and normalise_key(parts[0]) in sites and parts[1]:
        return parts[1]
    return title


def find_title(document: Element, metas: dict[str, str], fallback: str) -> str:
    """``og:title`` (unless it names the site), else the first ``<h1>`` that is not a logo, else
    ``<title>``, without the site's name."""
    title_tag = first(document, "title")
    title = normalise_space("".join(title_tag.itertext())) if title_tag is not None else ""
    sites = _site_names(title, metas)
    h1 = next((text for text in (htmlchrome.without_permalink(text_of([t])) for t in document.iter("h1")
                                 if not _is_logo(t)) if text and normalise_key(text) not in sites), "")
    og_title = metas.get("og:title", "")
    if og_title and _is_site_name(og_title, metas):
        og_title = ""
    for candidate in (og_title, h1, title):
        if candidate:
            return _without_site(candidate, sites)
    return fallback


# A <main> or <article> holding less than this share of the body's text is a fragment (a teaser card,
# a comment) rather than the page's content, so the whole body is read instead.
CONTENT_MIN_TEXT_SHARE = 0.2


# The role attributes, in document order (searched by libxml2; their values are compared in Python).
ROLES = etree.XPath("descendant-or-self::*/@role")


def content_root(document: Element) -> Element:
    body = first(document, "body")
    if body is None:
        body = document
    candidates = list(document.iter("main"))
    candidates += [role.getparent() for role in ROLES(document) if role == "main"]
    if not candidates:
        candidates = list(document.iter("article"))
    candidates = list(dict.fromkeys(candidates))  # a <main role="main"> once
    if not candidates:
        return body
    total = len(text_of([body])) or 1
    sized = [(len(text_of([t])), t) for t in candidates]
    sized = [(n, t) for n, t in sized if n / total >= CONTENT_MIN_TEXT_SHARE]
    if sized:
        return max(sized, key=lambda pair: pair[0])[1]
    return body


HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _is_hidden(tag: Element) -> bool:
    return (tag.get("hidden") is not None or (tag.get("aria-hidden") or "").lower() == "true"
            or bool(HIDDEN_STYLE.search(tag.get("style") or "")))


CONTENT_WRAPPER_TAGS = frozenset({"main", "article", *HEADING_TAGS})


def _wraps_content(tag: Element, total: Callable[[], int]) -> bool:
    """A chrome-classed element that holds headings and most of the text wraps the article."""
    return (has_descendant(tag, CONTENT_WRAPPER_TAGS)
            and len(text_of([tag])) / total() > htmlchrome.CHROME_MAX_TEXT_SHARE)


def _is_chrome(tag: Element, total: Callable[[], int]) -> bool:
    name = tag.tag
    if not tag.attrib and name not in htmlchrome.DROPPED_TAGS and name != "header":
        return False  # most elements: no role, class, id or style to judge
    role = (tag.get("role") or "").lower()
    if name in htmlchrome.DROPPED_TAGS or _is_hidden(tag) or role in htmlchrome.DROPPED_ROLES:
        return True
    if name == "header" and not has_descendant(tag, HEADING_TAGS):
        return True  # a site header; an article's own <header> holds its heading
    words = htmlchrome.class_words(tag.get("class")) | _id_words(tag)
    return bool(words & htmlchrome.CHROME_CLASS_WORDS) and not _wraps_content(tag, total)


# An id of this many words or more that spells the element's own text is a slug of it: the SRE book's
# <dt id="conducting-ad-hoc-retrospective-analysis-ie-debugging"> holds no advert ("ad").
SLUG_MIN_WORDS = 3


def _id_words(tag: Element) -> set[str]:
    """The words of the id, unless it is a slug of the element's text (a comment box's id="comments" is not)."""
    words = htmlchrome.class_words(tag.get("id"))
    if (words & htmlchrome.CHROME_CLASS_WORDS and len(words) >= SLUG_MIN_WORDS
            and _letters(tag.get("id")) == _letters(text_of([tag]))):
        return set()
    return words


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def remove_all(tags: list[Element]) -> None:
    """Remove ``tags`` (in document order), skipping those inside one already removed."""
    removed: set[Element] = set()
    for tag in tags:
        if not any(p in removed for p in tag.iterancestors()):
            removed.add(tag)
            remove(tag)


def drop_chrome(root: Element) -> None:
    # The length of the content's text, measured when first asked (few pages need it).
    total = cache(lambda: len(text_of([root])) or 1)
    targets: list[Element] = []
    _find_chrome(root, total, targets)
    for tag in targets:
        remove(tag)


def _chrome_candidates(root: Element) -> list[Element]:
    """What may be chrome, in document order: the elements with attributes to judge, DROPPED_TAGS and
    <header>s."""
    return [t for t in root.iterdescendants(etree.Element)
            if t.attrib or t.tag in htmlchrome.DROPPED_TAGS or t.tag == "header"]


def _find_chrome(root: Element, total: Callable[[], int], targets: list[Element]) -> None:
    # What lies inside chrome already found is skipped.
    found: set[Element] = set()
    for tag in _chrome_candidates(root):
        if found and any(p in found for p in tag.iterancestors()):
            continue  # it goes with the chrome around it
        if _is_chrome(tag, total):
            targets.append(tag)
            found.add(tag)


# --- Walking the content into blocks -----------------------------------------------------------

# A <dl> is a glossary when at least this share of its entries read as definitions; infoboxes are
# <dl>s of short values (Baidu Baike: 中文名 → 蔡健雅, 国籍 → 新加坡) and make no cards.
GLOSSARY_MIN_SHARE = 0.5
# Chinese and Japanese definitions have no spaces to count words by: count characters instead.
UNSPACED_MIN_CHARS = 12
# A <dfn> must hold a word: energieverbraucher.de misuses <dfn> for menu numbering (".1: ").
DFN_MIN_LETTERS = 2
# A definition ending like this introduces what follows ("<b>Stack</b> – two operations:" and a list).
INTRO_END = re.compile(r"[:：]\s*$")
BOLD_LEAD_SEPARATOR = re.compile(r"^\s*[:–—-]\s*")
QUESTION_END = re.compile(r"[?？]\s*$")


# …and end like a sentence: an infobox's list of works (《A》、《B》) does not.
UNSPACED_SENTENCE_END = re.compile(r"[。．.!?！？]\s*$")


# Han, kana and hangul: scripts written without spaces between words.
UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def sentence_like(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if letters and len(UNSPACED_SCRIPT.findall(text)) * 2 >= len(letters):
        return len(text) >= UNSPACED_MIN_CHARS and bool(UNSPACED_SENTENCE_END.search(text))
    return len(text.split()) >= DEFINITION_MIN_WORDS


# A <dd> that is mostly links or list items is a menu or a list of works, not a definition (Baidu Baike's
# "代表作品" → a list of song titles; its help box → a list of links).
DEFINITION_MAX_LINK_OR_LIST_SHARE = 0.5


def prose_like(parts: list[Element]) -> bool:
    text = text_of(parts)
    if not sentence_like(text):
        return False
    structural = sum(len(text_of([t])) for e in parts for t in _outermost(e, ("a", "li")))
    return structural <= DEFINITION_MAX_LINK_OR_LIST_SHARE * len(text)


def _outermost(element: Element, names: tuple[str, ...]) -> list[Element]:
    found = tags_named(element, names)
    inner = set(found)
    return [t for t in found if not any(p in inner for p in t.iterancestors())]


# A term's aside in brackets does not count towards its length: "Conducting ad hoc retrospective analysis
# (i.e., debugging)" is a five-word term.
TERM_ASIDE = re.compile(r"\s*\([^()]*\)")


def _without_aside(term: str) -> str:
    return TERM_ASIDE.sub("", term).strip() or term


def term_like(text: str) -> bool:
    return (bool(text) and len(text.split()) <= DEFINITION_TERM_MAX_WORDS
            and len(text) <= DEFINITION_TERM_MAX_CHARS
            and sum(c.isalpha() for c in text) >= DFN_MIN_LETTERS)


# A table holding one of these lays out a page rather than holding data.
LAYOUT_TABLE_TAGS = frozenset({"table", "p", "div", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6"})


# A bold paragraph that reads as a teaser heading opens a teaser section that any heading ends.
TEASER_PARAGRAPH_LEVEL = 7


@dataclass
class Walker:
    fragments: Fragments
    title: str
    known_questions: set[str]
    block_holders: set[Element]  # the elements with a block element inside (fragments.block_holders)
    blocks: list[Block] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    stack: list[tuple[int, str]] = field(default_factory=list)
    section: Section = Section.BODY
    section_level: int = 0
    chapter: ChapterPath = ()
    line: int = 1
    title_seen: bool = False
    toggles_are_cards: bool = False  # notes (Markdown, Notion) mean every toggle as a card
    teaser_level: int = 0  # inside a teaser section (htmlchrome.TEASER_HEADINGS) opened at this level
    intro: int | None = None  # the index of a definition ending in ":" that takes what follows (INTRO_END)

    # - helpers

    def _line(self, nodes: list[Node], parent: Element) -> int:
        """The source line of the first node (of its ``parent`` for a piece of text)."""
        for node in nodes:
            line = (parent if isinstance(node, str) else node).sourceline
            if isinstance(line, int):
                if line > self.line:
                    self.line = line
                break
        return self.line

    def _emit(self, kind: BlockKind, nodes: list[Node], parent: Element,
              text_html: tuple[str, str] | None = None) -> Block | None:
        """``parent``: the element the nodes lie in; ``text_html``: their text and HTML, when known."""
        text, html = self.fragments.text_and_html(nodes) if text_html is None else text_html
        if not html or (not text and "<img" not in html):
            return None
        if kind is not BlockKind.HEADING and htmlchrome.is_chrome_line(text):
            return None
        line = self._line(nodes, parent)
        block = Block(kind, text, html, Span(line, line), chapter=self.chapter, section=self.section)
        self.blocks.append(block)
        if self.intro is not None:
            self._introduced(block)
        return block

    def _introduced(self, block: Block) -> None:
        """A definition that ends in ":" takes the list, or the paragraph, it introduces."""
        assert self.intro is not None
        item = self.items[self.intro]
        assert isinstance(item, Definition)
        definition = item.definition
        if block.kind is BlockKind.BULLET:
            head = definition.removesuffix("</ul>") if definition.endswith("</ul>") else f"{definition}<ul>"
            self.items[self.intro] = replace(item, definition=f"{head}<li>{block.html}</li></ul>")
            return
        if not definition.endswith("</ul>"):
            self.items[self.intro] = replace(item, definition=f"{definition}<br>{block.html}")
        self.intro = None

    def _definition(self, item: Definition, text: str) -> None:
        self.items.append(item)
        self.intro = len(self.items) - 1 if INTRO_END.search(text) else None

    def figure(self, nodes: list[Node], parent: Element) -> None:
        """A figure (or a paragraph of images only) illustrates the paragraph just before it: it joins
        that paragraph and whatever item was made of it, so a definition card shows its diagram."""
        html = self.fragments.html(nodes)
        previous = self.blocks[-1] if self.blocks else None
        if ("<img" not in html or previous is None or previous.kind is BlockKind.HEADING
                or previous.chapter != self.chapter or previous.section is not self.section):
            self._emit(BlockKind.PARAGRAPH, nodes, parent)
            return
        self.blocks[-1] = replace(previous, html=f"{previous.html}<br>{html}")
        for index, item in enumerate(self.items):
            if isinstance(item, Definition) and item.span == previous.span and item.chapter == previous.chapter:
                self.items[index] = replace(item, definition=f"{item.definition}<br>{html}")

    # - the walk

    def walk(self, node: Element) -> None:
        run: list[Node] = []
        for child in children(node):
            if isinstance(child, str):
                if run or child.strip():  # white space before a run would be stripped from its paragraph
                    run.append(child)
                continue
            name = child.tag
            if name == "br" or (name not in BLOCK_TAGS and child not in self.block_holders):
                run.append(child)
                continue
            if run:
                self.paragraphs(run, node)
                run = []
            self.block(child)
        if run:
            self.paragraphs(run, node)

    def block(self, tag: Element) -> None:
        name = tag.tag
        if name in HEADING_TAGS:
            self.heading(tag)
        elif self.teaser_level:
            return
        elif name in ("ul", "ol") and self.toggles_are_cards and _toggles(tag):
            for toggle in _toggles(tag):
                self.details(toggle)
        elif name in ("ul", "ol"):
            self.bullets(tag)
        elif name == "dl":
            self.glossary(tag)
        elif name == "table":
            self.table(tag)
        elif name == "figure":
            self.figure([tag], tag)
        elif name == "pre":
            self._emit(BlockKind.PARAGRAPH, [tag], tag)
        elif name == "details":
            self.details(tag)
        elif name != "hr":
            self.walk(tag)

    def paragraphs(self, run: list[Node], parent: Element) -> None:
        """An inline run is one paragraph, or several where two <br> in a row separate them."""
        if self.teaser_level:
            return
        start = breaks = 0
        for index, node in enumerate(run):
            if isinstance(node, str):
                if not node.strip():
                    continue
            elif node.tag == "br":
                breaks += 1
                continue
            if breaks >= 2:
                self.paragraph(run[start:index], parent)
                start = index
            breaks = 0
        self.paragraph(run[start:] if start else run, parent)

    def paragraph(self, nodes: list[Node], parent: Element) -> None:
        first, end = 0, len(nodes)
        while first < end and _is_space(nodes[first]):
            first += 1
        while end > first and _is_space(nodes[end - 1]):
            end -= 1
        if first == end:
            return  # whitespace between blocks
        if first or end < len(nodes):
            nodes = nodes[first:end]
        text, html = self.fragments.text_and_html(nodes)
        if not text:
            self.figure(nodes, parent)
            return
        if (len(nodes) == 1 and not isinstance(nodes[0], str) and nodes[0].tag in ("b", "strong")
                and htmlchrome.is_teaser_heading(text)):
            self.teaser_level = TEASER_PARAGRAPH_LEVEL  # "<p><b>Schon gelesen?</b></p>" heads teasers too
            return
        block = self._emit(BlockKind.PARAGRAPH, nodes, parent, (text, html))
        if block is not None and self.section is Section.BODY and split_lead(block.text) is None:
            self.inline_definition(nodes, block)

    def inline_definition(self, nodes: list[Node], block: Block) -> None:
        """ "<b>Term</b> – text" and "<dfn>term</dfn>" paragraphs (a "Term: text" one is the text rule's)."""
        first = nodes[0]
        if not isinstance(first, str) and first.tag in ("b", "strong"):
            lead = text_of([first])
            rest = nodes[1:]
            rest_text = text_of(rest)
            separated = lead.endswith(":") or bool(BOLD_LEAD_SEPARATOR.match(rest_text))
            term = lead.rstrip(":").strip()
            body = BOLD_LEAD_SEPARATOR.sub("", rest_text)
            if separated and term_like(term) and sentence_like(body):
                html = BOLD_LEAD_SEPARATOR.sub("", self.fragments.html(rest))
                self._definition(Definition(chapter=self.chapter, span=block.span, term=term, definition=html),
                                 body)
                return
        self.dfn_definitions(nodes, block)

    def dfn_definitions(self, nodes: list[Node], block: Block) -> None:
        seen: set[str] = set()
        for node in nodes:
            dfns = [] if isinstance(node, str) else [node] if node.tag == "dfn" else tags_named(node, ("dfn",))
            for dfn in dfns:
                term = text_of([dfn])
                if term_like(term) and sentence_like(block.text) and normalise_key(term) not in seen:
                    seen.add(normalise_key(term))
                    self._definition(Definition(chapter=self.chapter, span=block.span, term=term,
                                                definition=block.html), block.text)

    def heading(self, tag: Element) -> None:
        for link in [a for a in tag.iter("a") if text_of([a]) in htmlchrome.PERMALINK_GLYPHS]:
            remove(link)  # a permalink ("#", "¶") is no part of a chapter's name
        nodes = children(tag)
        text, html = self.fragments.text_and_html(nodes)  # text_of([tag]): a heading is a block
        text, html = htmlchrome.without_permalink(text), htmlchrome.without_permalink(html)
        if not text:
            return
        level = int(tag.tag[1])
        self.intro = None
        if self.teaser_level and level > self.teaser_level:
            return
        self.teaser_level = 0
        if htmlchrome.is_teaser_heading(text):
            self.teaser_level = level
            return
        if not self.title_seen and tag.tag == "h1" and normalise_key(text) == normalise_key(self.title):
            self.title_seen = True  # the page's title, not a chapter
            return
        if self.section is not Section.BODY and level > self.section_level:
            self._emit(BlockKind.PARAGRAPH, nodes, tag, (text, html))  # a question heading inside the FAQ
            return
        for section, test in ((Section.FAQ, htmlchrome.is_faq_heading),
                              (Section.TAKEAWAYS, htmlchrome.is_takeaways_heading),
                              (Section.QUIZ, htmlchrome.is_quiz_heading)):
            if test(text):
                self.section, self.section_level = section, level
                self.chapter = (SECTION_CHAPTERS[section],)
                return
        self.section, self.section_level = Section.BODY, 0
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, text))
        self.chapter = tuple(title for _, title in self.stack)
        line = self._line([tag], tag)
        span = Span(line, line)
        self.chapters.append(Chapter(title=text, path=self.chapter, span=span))
        self.blocks.append(Block(BlockKind.HEADING, text, html, span,
                                 chapter=self.chapter, section=self.section, level=len(self.chapter)))

    def bullets(self, tag: Element) -> None:
        for child in tag.iterchildren(etree.Element):
            if child.tag == "li":
                nodes = children(child)
                block = self._emit(BlockKind.BULLET, nodes, child)
                if block is not None and self.section is Section.BODY and split_lead(block.text) is None:
                    self.dfn_definitions(nodes, block)
            elif child.tag in ("ul", "ol"):
                self.bullets(child)  # a nested list written without its <li>

    def glossary(self, tag: Element) -> None:
        entries: list[tuple[list[Element], list[Element]]] = []
        for child in tag.iterchildren(etree.Element):
            for element in ([child] if child.tag in ("dt", "dd") else list(child.iterchildren("dt", "dd"))):
                if element.tag == "dt":
                    if not entries or entries[-1][1]:
                        entries.append(([], []))
                    entries[-1][0].append(element)
                elif entries:
                    entries[-1][1].append(element)
        entries = [(terms, defs) for terms, defs in entries if defs]
        good = [(terms, defs) for terms, defs in entries
                if term_like(_without_aside(" / ".join(text_of([t]) for t in terms))) and prose_like(defs)]
        if self.section is not Section.BODY or not entries or len(good) < GLOSSARY_MIN_SHARE * len(entries):
            self.walk(tag)  # an infobox, or <dd>s that only indent (Wikipedia's formulas)
            return
        for terms, defs in entries:
            if (terms, defs) not in good:
                for element in (*terms, *defs):  # not a card, but still the article's text
                    self.block(element)
                continue
            line = self._line(list(terms), tag)
            self.items.append(Definition(
                chapter=self.chapter, span=Span(line, line), term=" / ".join(text_of([t]) for t in terms),
                definition="<br>".join(self.fragments.html(children(d)) for d in defs)))

    # Old pages lay out whole sites in tables: only a table of plain cells is a table of data.
    def table(self, tag: Element) -> None:
        if has_descendant(tag, LAYOUT_TABLE_TAGS):
            self.walk(tag)
        else:
            self._emit(BlockKind.PARAGRAPH, [tag], tag)

    def details(self, tag: Element) -> None:
        summary = next(tag.iterdescendants("summary"), None)
        question = text_of([summary]) if summary is not None else ""
        if question and (QUESTION_END.search(question) or self.section is Section.FAQ or self.toggles_are_cards):
            answer = [c for c in children(tag) if c is not summary]
            html = self.fragments.html(answer)
            if text_of(answer) and normalise_key(question) not in self.known_questions:
                self.known_questions.add(normalise_key(question))
                line = self._line([tag], tag)
                chapter = self.chapter if self.toggles_are_cards and self.chapter else FAQ_CHAPTER
                self.items.append(Faq(chapter=chapter, span=Span(line, line), question=question, answer=html))
            return
        self.walk(tag)


def _toggles(tag: Element) -> list[Element]:
    """The toggles of a list that holds nothing else (Notion wraps each toggle in a list item)."""
    items = list(tag.iterchildren(etree.Element))
    toggles = [item[0] for item in items
               if len(item) == 1 and item[0].tag == "details" and not (item.text or "").strip()]
    return toggles if items and len(toggles) == len(items) else []


def _is_space(node: Node) -> bool:
    """Whitespace or a <br>: what a paragraph does not begin or end with."""
    return not node.strip() if isinstance(node, str) else node.tag == "br"


def _mark_intro(blocks: list[Block]) -> list[Block]:
    """Before the first chapter heading, a page with chapters has its lead, as a text dump does; a page
    without any chapter heading (a one-page glossary) is body throughout."""
    first = next((i for i, b in enumerate(blocks) if b.kind is BlockKind.HEADING), None)
    if first is None:
        return blocks
    return [replace(b, section=Section.INTRO) if i < first and b.section is Section.BODY else b
            for i, b in enumerate(blocks)]


def _without_declared_faqs(blocks: list[Block], questions: set[str]) -> list[Block]:
    """Drop a visible FAQ's question and answer blocks when structured data declared the same question."""
    if not questions:
        return blocks  # most pages declare none
    kept: list[Block] = []
    skipping = False
    for block in blocks:
        if block.section is Section.FAQ and QUESTION_END.search(block.text):
            skipping = normalise_key(block.text) in questions
        elif block.section is not Section.FAQ:
            skipping = False
        if not skipping:
            kept.append(block)
    return kept


def parse_html(data: bytes, source: str, path: Path, options: ReadOptions = DEFAULT_READ_OPTIONS, *,
               toggles_are_cards: bool = False) -> Article:
    document = parse_document(decode_html(data))
    _flatten_deep(document)
    media = MediaCollector(folder=path.parent, options=options)
    media.prefetch(img.get("src") or "" for img in document.iter("img"))
    fragments = Fragments(media)
    found: Found = structured_items(document, fragments)
    metas = meta_values(document)
    title = find_title(document, metas, fallback=path.stem)
    language_attr = document.get("lang") or ""  # the document is the <html> element
    url = metas.get("og:url", "")
    subject = metas.get("article:section", "")  # Open Graph's name for the subject area
    remove_all(list(document.iter(*htmlchrome.DROPPED_TAGS)))  # in document order
    formulas_to_tex(document)
    root = content_root(document)
    drop_chrome(root)
    fragments.prepare(root)
    holders = block_holders(root)
    walker = Walker(fragments, title, known_questions=found.faq_questions(), block_holders=holders,
                    toggles_are_cards=toggles_are_cards)
    walker.walk(root)
    blocks = _mark_intro(_without_declared_faqs(walker.blocks, found.faq_questions()))
    primary = language_attr.split("-")[0].lower()
    language = detect_language(" ".join(b.text for b in blocks), default=primary if primary in SUPPORTED else "en")
    return Article(
        title=title,
        source=source,
        blocks=tuple(localise_sections(blocks, language)),
        chapters=tuple(walker.chapters),
        subject=subject or None,
        language=language,
        url=url or None,
        summary=metas.get("description") or metas.get("og:description") or None,
        media=tuple(media.files.values()),
        structured=(*found.items, *walker.items),
        warnings=(*found.warnings, *media.warnings),
    )
