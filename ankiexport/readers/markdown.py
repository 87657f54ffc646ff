"""Markdown notes (CommonMark, GitHub, Obsidian) → HTML → the HTML reader, so every extractor works.

markdown-it-py parses; its plugins add what notes use: YAML front matter, ``$…$``/``$$…$$`` TeX
(written out as the ``\\(…\\)``/``\\[…\\]`` Anki's MathJax reads), footnotes, task lists, definition
lists and tables. Two habits of study notes become what the HTML reader already turns into Q&A: a
question heading with the text under it, and a ``Q:``/``A:`` pair, are written as ``<details>``
toggles. Obsidian's ``[[wiki links]]`` are shown as their text and ``==highlights==`` as emphasis.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..ankifile.writer import deck_name_problem
from ..errors import InputError
from ..model import Article
from ..yamltree import Document
from .html.media import DEFAULT_READ_OPTIONS, ReadOptions

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SUFFIXES = (".md", ".markdown")
WIKI_LINK = re.compile(r"\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]")
HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
# "Q: …" then "A: …", in one paragraph (a line each) or in two.
QA_PAIR = re.compile(r"\s*Q:\s*(?P<q>.+?)\s*\n\s*A:\s*(?P<a>.+)", re.DOTALL)
QUESTION_ONLY = re.compile(r"\s*Q:\s*(?P<q>.+)", re.DOTALL)
ANSWER_ONLY = re.compile(r"\s*A:\s*(?P<a>.+)", re.DOTALL)
QUESTION_HEADING = re.compile(r"[?？]\s*$")


@dataclass(frozen=True)
class FrontMatter:
    title: str | None = None
    id: str | None = None
    deck: str | None = None
    tags: tuple[str, ...] = ()


def front_matter(text: str, source: str) -> FrontMatter:
    """The keys of the front matter a build uses; others (Obsidian's aliases, dates) are ignored."""
    doc = Document(source, text, InputError, kind="the front matter", start="title: <title>")
    root = doc.root()
    if root is None:
        return FrontMatter()
    values = doc.value(root)
    if not isinstance(values, dict):
        raise InputError("the front matter must be 'key: value' lines", path=source, line=2,
                         remedy="write 'title: <title>' between the --- lines")

    def text_value(name: str) -> str | None:
        value = values.get(name)
        return str(value).strip() or None if isinstance(value, (str, int, float)) else None

    deck = text_value("deck")
    problem = deck_name_problem(deck) if deck else None
    if problem:
        raise InputError(f"the front matter's deck name {problem}", path=source, line=2,
                         remedy="write levels as 'Biology::Cells'")
    tags = values.get("tags") or ()
    if isinstance(tags, str):
        tags = tags.replace(",", " ").split()
    return FrontMatter(text_value("title"), text_value("id"), deck,
                       tuple(str(t).lstrip("#") for t in tags if str(t).strip()))


def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    md = (MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")
          .use(front_matter_plugin).use(dollarmath_plugin, double_inline=True).use(footnote_plugin)
          .use(tasklists_plugin).use(deflist_plugin))
    md.core.ruler.push("obsidian", _obsidian)
    md.add_render_rule("math_inline", _math_inline)
    md.add_render_rule("math_inline_double", _math_block)
    md.add_render_rule("math_block", _math_block)
    md.add_render_rule("math_block_label", _math_block)
    return md


def _math_inline(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return html.escape(f"\\({tokens[idx].content}\\)", quote=False)


def _math_block(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return "<p>" + html.escape(f"\\[{tokens[idx].content.strip()}\\]", quote=False) + "</p>\n"


def _obsidian(state: Any) -> None:
    """``[[target|shown]]`` → its text; ``==text==`` → emphasis (in text, never in code)."""
    from markdown_it.token import Token

    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        for token in block.children:
            if token.type != "text" or ("[[" not in token.content and "==" not in token.content):
                children.append(token)
                continue
            content = WIKI_LINK.sub(lambda m: m.group(2) or m.group(1), token.content)
            start = 0
            for match in HIGHLIGHT.finditer(content):
                children.append(Token("text", "", 0, content=content[start:match.start()]))
                children.append(Token("em_open", "em", 1, markup="=="))
                children.append(Token("text", "", 0, content=match.group(1)))
                children.append(Token("em_close", "em", -1, markup="=="))
                start = match.end()
            children.append(Token("text", "", 0, content=content[start:]))
        block.children = children


def to_html(text: str, title: str) -> str:
    """The Markdown as an HTML page (its question headings and Q:/A: pairs as toggles)."""
    from lxml import etree
    from lxml import html as lxml_html

    body = _parser().render(text)
    root = lxml_html.fragment_fromstring(body, create_parent="main")
    _qa_pairs_to_toggles(root)
    _questions_to_toggles(root)
    content = etree.tostring(root, encoding="unicode", method="html")
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
            f"<body>{content}</body></html>")


def _toggle(summary: str, answer: list[Any]) -> Any:
    from lxml import etree

    details = etree.Element("details")
    etree.SubElement(details, "summary").text = summary
    for node in answer:
        details.append(node)
    return details


def _questions_to_toggles(root: Any) -> None:
    """A heading asking a question, and what follows it up to the next heading, become one toggle."""
    headings = [h for h in root if isinstance(h.tag, str) and re.fullmatch(r"h[1-6]", h.tag)]
    for heading in headings:
        question = heading.text_content().strip()
        if not QUESTION_HEADING.search(question):
            continue
        answer = []
        node = heading.getnext()
        while node is not None and not re.fullmatch(r"h[1-6]|details", str(node.tag)):
            answer.append(node)
            node = node.getnext()
        if answer:
            heading.addprevious(_toggle(question, answer))
            root.remove(heading)


def _qa_pairs_to_toggles(root: Any) -> None:
    from lxml import etree

    for paragraph in list(root.iter("p")):
        if paragraph.getparent() is None:
            continue
        text = paragraph.text_content()
        pair = QA_PAIR.match(text)
        if pair:
            answer = etree.Element("p")
            answer.text = pair.group("a").strip()
            paragraph.addprevious(_toggle(pair.group("q").strip(), [answer]))
            paragraph.getparent().remove(paragraph)
            continue
        question = QUESTION_ONLY.match(text)
        following = paragraph.getnext()
        if question and following is not None and following.tag == "p" and \
                ANSWER_ONLY.match(following.text_content()):
            _strip_marker(following, "A:")
            paragraph.addprevious(_toggle(question.group("q").strip(), [following]))
            paragraph.getparent().remove(paragraph)


def _strip_marker(paragraph: Any, marker: str) -> None:
    """Drop the ``A:`` before an answer, keeping its markup."""
    if paragraph.text and paragraph.text.lstrip().startswith(marker):
        paragraph.text = paragraph.text.lstrip()[len(marker):].lstrip()


FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(---|\.\.\.)[ \t]*(\n|\Z)", re.DOTALL)


def parse_markdown(text: str, source: str, path: Path, options: ReadOptions = DEFAULT_READ_OPTIONS) -> Article:
    from .html.page import parse_html

    meta = FrontMatter()
    found = FRONT_MATTER.match(text)
    if found:
        meta = front_matter(found.group(1) or "", source)
    page = to_html(text, meta.title or _first_heading(text) or path.stem)
    article = parse_html(page.encode("utf-8"), source, path, options, toggles_are_cards=True)
    return replace(article, title=meta.title or article.title, identity=meta.id or article.identity,
                   deck=meta.deck, tags=meta.tags)


def _first_heading(text: str) -> str | None:
    found = re.search(r"^#[ \t]+(.+?)[ \t#]*$", text, re.MULTILINE)
    return found.group(1).strip() if found else None
