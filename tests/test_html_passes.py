"""The HTML reader's shortcuts answer exactly what the bs4 searches they replace would."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

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
