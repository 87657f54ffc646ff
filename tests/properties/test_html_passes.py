"""The HTML reader's passes over its lxml tree answer what bs4's tree gave before: the shortcuts equal the
plain searches they replace, libxml2's serialiser equals bs4's after sanitising, and prepared fragments
equal what bs4 made of the same markup."""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

import lxml.etree as etree
import pytest
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PreformattedString
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ankiexport.readers.html.fragments import (
    BLOCK_TAGS,
    MARKER_TEXT,
    NO_MATH_INSIDE,
    PLAIN_INLINE_TAGS,
    TEX_ALT,
    Element,
    Fragments,
    block_holders,
    children,
    dollars_to_mathjax,
    elements,
    has_descendant,
    normalise_space,
    not_for_libxml2,
    parse_document,
    plain_html,
    serialise,
    tags_named,
    text_of,
    xml_safe,
)
from ankiexport.readers.html.media import MediaCollector
from ankiexport.readers.html.page import MAX_NESTING, ROLES, content_root, decode_html, parse_html
from ankiexport.readers.html.schema_org import ATTRIBUTED
from ankiexport.sanitize import clean_html

from ..conftest import shared_dir

# Our own page with what the shortcuts must get right: blocks inside inline elements, <br>, TeX image
# alt text, comments, nested lists, a <pre> whose indentation matters and dollars that are TeX.
PAGE = """<!DOCTYPE html><html><head><title>Tides</title><!-- a comment --></head><body>
<main><h1>Tides</h1>
<p>The   moon
   pulls the <b>ocean</b>,<br>twice a day.<img alt="{\\displaystyle h_{t}}" src="x.png"></p>
<span>an inline run <div>holding a block</div></span>
<ul>
  <li>Spring   tides: <i>sun and
      moon</i> in line</li>
  <li><ul><li>nested</li></ul></li>
</ul>
<pre>  keep
    this   indentation $x$</pre>
<p>Energy is $E = mc^2$ and costs $5.</p>
</main><footer>site footer</footer></body></html>"""


def corpus_pages() -> list[Path]:
    return sorted(p for p in shared_dir("corpus", "html").iterdir() if p.suffix in (".html", ".htm"))


def main_of(markup: str) -> Element:
    return next(parse_document(markup).iter("main"))


def test_shortcuts_match_plain_searches_on_corpus_pages() -> None:
    for path in corpus_pages():
        document = parse_document(decode_html(path.read_bytes()))
        holders = block_holders(document)
        tags = elements(document)
        assert ATTRIBUTED(document) == [t for t in tags if t.attrib], path.name
        assert [r.getparent() for r in ROLES(document) if r == "main"] == [t for t in tags
                                                                          if t.get("role") == "main"]
        assert tags_named(document, BLOCK_TAGS) == [t for t in tags[1:] if t.tag in BLOCK_TAGS], path.name
        for tag in tags[:: max(1, len(tags) // 60)]:  # a sample of elements of all sizes keeps it quick
            below = [d.tag for d in tag.iterdescendants() if isinstance(d.tag, str)]
            assert (tag in holders) == any(name in BLOCK_TAGS for name in below), (path.name, tag.tag)
            assert has_descendant(tag, ("h2", "h3")) == any(n in ("h2", "h3") for n in below), path.name


def test_libxml2_serialiser_equals_bs4s_after_sanitising_on_corpus_pages(tmp_path: Path) -> None:
    """Every element of the pages' prepared content, written by libxml2 (where ``serialise`` lets it)
    and by the Python writer that copies bs4's output, is the same card HTML."""
    compared = 0
    for path in corpus_pages():
        document = parse_document(decode_html(path.read_bytes()))
        body = next(document.iter("body"), document)
        Fragments(MediaCollector(folder=tmp_path)).prepare(body)
        differ = not_for_libxml2(body)
        for element in elements(body)[:: 7]:
            if not any(element is d or element in d.iterancestors() for d in differ):
                assert clean_html(serialise(element, True)) == clean_html(serialise(element, False)), path.name
                compared += 1
    assert compared > 1000


def test_what_libxml2_writes_differently_is_found() -> None:
    for markup in ('<a href="https://example.org/a b">x</a>', '<a href="https://example.org/ä">x</a>',
                   "<ul><li></li>after</ul>", "<div><noscript><input></noscript></div>"):
        element = parse_document(markup).find(".//body")[0]
        assert not_for_libxml2(element), markup
        assert clean_html(serialise(element, True)) != clean_html(serialise(element, False)), markup
    assert not not_for_libxml2(parse_document('<p><a href="https://example.org/a?b=1&c=2">x</a></p>'))
    # Both write the text of <script> and <style> as it stands (nh3 then drops them).
    style = parse_document("<div><style>a < b</style><script>c && d</script></div>").find(".//div")
    assert serialise(style, True) == serialise(style, False)


# --- The same fragments as bs4 made them -------------------------------------------------------------


def _bs4_text(nodes: list[object]) -> str:
    """What text_of gave for bs4 nodes."""
    parts: list[str] = []

    def gather(tag: Tag) -> None:
        if tag.name == "br":
            parts.append(" ")
            return
        if tag.name == "img":
            alt = str(tag.get("alt") or "")
            parts.append(alt if TEX_ALT.fullmatch(alt) else "")
            return
        parts.append(" " if tag.name in BLOCK_TAGS else "")
        for child in tag.contents:
            if isinstance(child, Tag):
                gather(child)
            elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
                parts.append(child)
        parts.append(" " if tag.name in BLOCK_TAGS else "")

    for node in nodes:
        if isinstance(node, Tag):
            gather(node)
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            parts.append(node)
    return normalise_space("".join(parts))


def _bs4_fragments(markup: str) -> tuple[str, str]:
    """(html, text) of a page's <main> as the bs4 reader prepared and wrote it, for markup of the shapes
    generated below: math with TeX, TeX images, in-page links and text with whitespace and dollars."""
    root = BeautifulSoup(markup, "lxml").find("main")
    assert isinstance(root, Tag)
    for math in root.find_all("math"):
        math.replace_with(NavigableString(rf"\({math['alttext']}\)"))
    for img in root.find_all("img"):
        img.replace_with(NavigableString(rf"\({str(img['alt']).strip()}\)"))
    for link in root.find_all("a"):
        link.unwrap()
    for node in list(root.find_all(string=True)):
        if (type(node) is NavigableString and not any(p.name in NO_MATH_INSIDE for p in node.parents)):
            node.replace_with(NavigableString(dollars_to_mathjax(re.sub(r"\s+", " ", str(node)))))
    nodes = list(root.children)
    written = "".join(html.escape(str(n), quote=False) if isinstance(n, NavigableString) else
                      str(n) if isinstance(n, Tag) else "" for n in nodes
                      if not isinstance(n, PreformattedString))
    return clean_html(written).strip(), _bs4_text(nodes)


TEXT = st.text(alphabet=st.sampled_from(list("ab $\n\t  .,<&\xa0")), max_size=12)
TAGS = st.sampled_from(["p", "b", "i", "span", "div", "pre", "code", "ul", "li", "br", "h2", "table", "td",
                        "a", "math", "img", "script", "dl", "dd"])


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        choice = draw(st.integers(0, 9))
        if depth < 4 and choice < 5:
            name = draw(TAGS)
            if name == "br":
                parts.append("<br>")
            elif name == "img":
                parts.append('<img alt="{\\displaystyle x_{1}}" src="x.png">')
            else:
                attributes = {"a": ' href="#here"', "math": ' alttext="E = mc^2"'}.get(name, "")
                parts.append(f"<{name}{attributes}>{draw(markup(depth + 1))}</{name}>")
        elif choice == 5:
            parts.append("<!-- a comment -->")
        else:
            parts.append(html.escape(draw(TEXT), quote=False))
    return "".join(parts)


@settings(deadline=None, max_examples=200)
@given(markup())
# What each piece of text being tidied on its own shows in (and libxml2's writer in tables and lists).
@example('a <a href="#here"> b</a> c')
@example('$x <a href="#here">y</a> z$ and $u<img alt="{\\displaystyle v}" src="x.png">w$')
@example('<table> <math alttext="E = mc^2"></math>x</table><table> <!-- a comment --> x</table>')
@example("<ul><li></li>after</ul><code>  <b>1</b>   <i>2</i>\n\n</code>")
def test_generated_markup_gives_the_fragments_bs4_gave(body: str) -> None:
    page = f"<main>{body}</main>"
    root = main_of(page)
    holders = block_holders(root)
    for element in elements(root):
        assert (element in holders) == any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS
                                           for d in element.iterdescendants())
    with tempfile.TemporaryDirectory() as folder:
        fragments = Fragments(MediaCollector(folder=Path(folder)))
        fragments.prepare(root)
        nodes = children(root)
        assert (fragments.html(nodes), text_of(nodes)) == _bs4_fragments(page)


def test_collapsing_keeps_code_and_the_pieces_of_text_apart(tmp_path: Path) -> None:
    root = main_of(PAGE.replace('<img alt="{\\displaystyle h_{t}}" src="x.png">', "").replace(
        "twice a day.", 'twice <a href="#x"> a </a> day.'))
    fragments = Fragments(MediaCollector(folder=tmp_path))
    fragments.prepare(root)
    written = fragments.html(children(root))
    assert "Spring tides: <i>sun and moon</i> in line" in written
    assert "<pre>  keep\n    this   indentation $x$</pre>" in written  # code keeps its spaces and dollars
    assert r"Energy is \(E = mc^2\) and costs $5." in written
    assert "twice  a  day." in written  # the link's text was a piece of its own, as in bs4's tree


def test_pages_nested_past_the_parser_limit_are_read_whole() -> None:
    # libxml2 stops building its tree 256 deep; the page is parsed again without that limit.
    page = (b"<title>Deep</title><h2>A</h2>" + b"<div>" * 400 + b"<p>deep text</p>" + b"</div>" * 400
            + b"<p>after the deep part</p>")
    article = parse_html(page, "deep.html", Path("deep.html"))
    assert [b.text for b in article.blocks][-2:] == ["deep text", "after the deep part"]
    document = parse_document(page.decode())
    assert max(len(list(e.iterancestors())) for e in elements(document)) >= MAX_NESTING


def test_control_characters_do_not_stop_the_reader() -> None:
    # lxml refuses these in a tree it is given: they become U+FFFD, or a space where Python sees space.
    article = parse_html(b"<title>T</title><h2>A</h2><p>a\x01b\x0bc <b>d</b></p>", "c.html", Path("c.html"))
    assert article.blocks[-1].text == "a\ufffdb c d"
    # …also when the page writes them as references, which libxml2 decodes into its tree.
    article = parse_html(b"<title>T</title><h2>A</h2><p>a&#1;b  <a href='#x'>&#x0b;c</a></p>", "r.html",
                         Path("r.html"))
    assert article.blocks[-1].text == "a\ufffdb c"


SPACES = st.text(alphabet=st.sampled_from([" ", "\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0",
                                           "\u2028", "\u3000", "\u200b", "\ufeff", "a", "é", "$"]))


# Text of any characters a page may hold (lxml takes no XML-unsafe ones), and those nh3 rewrites.
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=8).map(xml_safe) | st.sampled_from(
    ["&", "a<b>c", "x\ry", "\xa0", "\x96", "&amp;", "  ", "\n", "$x$"])


@st.composite
def inline_tree(draw: st.DrawFn, depth: int = 0) -> Element:
    """An element of inline markup: mostly PLAIN_INLINE_TAGS, sometimes an attribute, a comment, a removed
    element's marker or a tag the shortcut leaves to nh3."""
    name = draw(st.sampled_from([*sorted(PLAIN_INLINE_TAGS), "br", "a", "p", "li", "img", "script", "pre"]))
    element = etree.Element(name)
    if draw(st.integers(0, 9)) == 0:
        element.set("title", draw(ANY_TEXT) or "t")
    element.text = draw(ANY_TEXT) or None
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        kind = draw(st.integers(0, 9))
        child = (etree.Comment("a comment") if kind == 0 else etree.Comment(MARKER_TEXT) if kind == 1
                 else draw(inline_tree(depth + 1)))
        child.tail = draw(ANY_TEXT) or None
        element.append(child)
    return element


@settings(deadline=None, max_examples=400)
@given(st.lists(ANY_TEXT | inline_tree(), max_size=4))
@example(["a\xa0b"])
@example([" x &amp; <y> "])
def test_plain_fragments_are_written_as_nh3_writes_them(nodes: list[object]) -> None:
    parent = etree.Element("div")  # the nodes' parent, as in a page, so libxml2 writes each element alone
    for node in nodes:
        if not isinstance(node, str):
            parent.append(node)
    with tempfile.TemporaryDirectory() as folder:
        fragments = Fragments(MediaCollector(folder=Path(folder)))
        plain = plain_html(nodes)
        if plain is not None:
            assert plain == fragments.sanitised(nodes)
        assert fragments.html(nodes) == fragments.sanitised(nodes)
        assert fragments.text_and_html(nodes) == (text_of(nodes), fragments.sanitised(nodes))


def test_plain_fragments_take_the_shortcut() -> None:
    root = main_of("<main><p><strong>Lead</strong>: a &lt; b, <i>c <b>d</b></i><br>e</p></main>")
    assert plain_html(children(next(root.iter("p")))) == "<strong>Lead</strong>: a &lt; b, <i>c <b>d</b></i><br>e"
    assert plain_html(children(main_of('<main><p><a href="https://example.org">x</a></p></main>')[0])) is None


# Pages whose content root is close to call: a <main> or <article>s holding about a fifth of the text.
SHARED_PAGES = st.lists(st.sampled_from(["<main>", "</main>", "<article>", "</article>", '<div role="main">',
                                         "</div>", "<nav>", "</nav>", "<header>", "</header>", '<b class="x">',
                                         "</b>", "<p>", "<br>", "<img alt='{\\displaystyle x}'>",
                                         "a", "bb ", "  ", "ccc dd", "\n", "\xa0", "<!-- c -->"]),
                        max_size=40).map("".join)


@settings(deadline=None, max_examples=300)
@given(SHARED_PAGES)
def test_attribute_searches_find_every_attributed_element(body: str) -> None:
    document = parse_document(f"<html><body>{body}</body></html>")
    tags = elements(document)
    assert ATTRIBUTED(document) == [t for t in tags if t.attrib]


@pytest.mark.parametrize(("body", "root"), [
    ("<main>aaaa</main>bbbbbbbbbbbbbbb", "main"),  # a fifth of the text ("aaaa bbb…")
    ("<main>aaaa</main>bbbbbbbbbbbbbbbb", "body"),  # less
    ("<article>a b</article><article>cc d</article>", "article:cc d"),  # the largest
    ('<div role="main">aa aa</div><main>a</main>b', "div"),
    ("<p>no main</p>", "body"),
])
def test_content_root_holds_most_of_the_text(body: str, root: str) -> None:
    found = content_root(parse_document(f"<html><body>{body}</body></html>"))
    name, _, text = root.partition(":")
    assert found.tag == name and text in text_of([found])


