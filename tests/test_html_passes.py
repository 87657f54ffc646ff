"""The HTML reader's shortcuts answer exactly what the bs4 searches they replace would."""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString
from hypothesis import given, settings
from hypothesis import strategies as st

from ankiexport.readers.fragments import (
    BLOCK_TAGS,
    NO_MATH_INSIDE,
    PARSER,
    Fragments,
    TextMemo,
    block_holders,
    dollars_to_mathjax,
    has_descendant,
    is_text,
    tags_named,
    text_of,
)
from ankiexport.readers.media import MediaCollector

from .conftest import shared_dir

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


def test_text_memo_gives_text_of_every_element() -> None:
    soup = BeautifulSoup(PAGE, PARSER)
    memo = TextMemo(soup)
    for tag in [soup, *soup.find_all(True)]:
        assert memo(tag) == text_of([tag]), tag.name
    paragraph = soup.find("p")
    assert isinstance(paragraph, Tag)
    assert memo(paragraph) == "The moon pulls the ocean, twice a day.{\\displaystyle h_{t}}"


def test_shortcuts_match_bs4_on_corpus_pages() -> None:
    for path in corpus_pages():
        soup = BeautifulSoup(path.read_bytes(), PARSER)
        memo = TextMemo(soup)
        holders = block_holders(soup)
        tags = soup.find_all(True)
        assert tags_named(soup, BLOCK_TAGS) == soup.find_all(BLOCK_TAGS), path.name
        for tag in tags[:: max(1, len(tags) // 60)]:  # a sample of elements of all sizes keeps it quick
            assert (id(tag) in holders) == (tag.find(BLOCK_TAGS) is not None), (path.name, tag.name)
            assert has_descendant(tag, ("h2", "h3")) == (tag.find(("h2", "h3")) is not None), path.name
            assert memo(tag) == text_of([tag]), (path.name, tag.name)


def _prepared_by_replacing(markup: str) -> str:
    """What prepare() once did to text: each text node replaced by its collapsed, TeX-converted self."""
    soup = BeautifulSoup(markup, PARSER)
    root = soup.find("main")
    assert isinstance(root, Tag)
    for node in list(root.find_all(string=True)):
        if is_text(node) and not any(p.name in NO_MATH_INSIDE for p in node.parents):
            converted = dollars_to_mathjax(re.sub(r"\s+", " ", str(node)))
            if converted != str(node):
                node.replace_with(NavigableString(converted))
    return "".join(str(child) for child in root.children)


def test_collapsing_on_serialising_equals_replacing_text_nodes(tmp_path: Path) -> None:
    page = PAGE.replace('<img alt="{\\displaystyle h_{t}}" src="x.png">', "")
    root = BeautifulSoup(page, PARSER).find("main")
    assert isinstance(root, Tag)
    fragments = Fragments(MediaCollector(folder=tmp_path))
    fragments.prepare(root)
    html = fragments.html(list(root.children))
    assert "Spring tides: <i>sun and moon</i> in line" in html
    assert "<pre>  keep\n    this   indentation $x$</pre>" in html  # code keeps its spaces and dollars
    assert r"Energy is \(E = mc^2\) and costs $5." in html
    # The same as replacing every text node in the tree, which prepare() did before.
    replaced = BeautifulSoup(f"<main>{_prepared_by_replacing(page)}</main>", PARSER).find("main")
    assert isinstance(replaced, Tag)
    assert html == Fragments(MediaCollector(folder=tmp_path)).html(list(replaced.children))


# Markup without attributes (the replacing reference does not filter them): inline and block tags, code
# that keeps its spaces, and text full of the whitespace and dollars prepare() rewrites.
TEXT = st.text(alphabet=st.sampled_from(list("ab $\n\t  .,")), max_size=12)
TAGS = st.sampled_from(["p", "b", "i", "span", "div", "pre", "code", "ul", "li", "br", "h2"])


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 4 and draw(st.booleans()):
            name = draw(TAGS)
            parts.append(f"<{name}>" if name == "br" else f"<{name}>{draw(markup(depth + 1))}</{name}>")
        else:
            parts.append(html.escape(draw(TEXT), quote=False))
    return "".join(parts)


@settings(deadline=None)
@given(markup())
def test_generated_markup_serialises_and_measures_as_before(body: str) -> None:
    page = f"<main>{body}</main>"
    root = BeautifulSoup(page, PARSER).find("main")
    assert isinstance(root, Tag)
    memo = TextMemo(root)
    for tag in [root, *root.find_all(True)]:
        assert memo(tag) == text_of([tag])
        assert (id(tag) in block_holders(root)) == (tag.find(BLOCK_TAGS) is not None)
    with tempfile.TemporaryDirectory() as folder:
        fragments = Fragments(MediaCollector(folder=Path(folder)))
        fragments.prepare(root)
        replaced = BeautifulSoup(f"<main>{_prepared_by_replacing(page)}</main>", PARSER).find("main")
        assert isinstance(replaced, Tag)
        expected = Fragments(MediaCollector(folder=Path(folder))).html(list(replaced.children))
        assert fragments.html(list(root.children)) == expected
        assert text_of(list(root.children)) == text_of(list(replaced.children))
