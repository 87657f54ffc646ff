"""Allowlist HTML sanitising for every card field, with nh3 (Rust's ammonia).

Card fields are rendered by Anki's webview, which runs script: nothing from an article may execute
there. nh3 is a maintained, fuzzed HTML5 sanitiser; a regex one would miss entity-encoded and
mixed-case variants. Only tags that teach survive.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = frozenset({
    "b", "i", "em", "strong", "u", "s", "sub", "sup", "small", "mark", "code", "pre", "kbd", "var",
    "samp", "br", "p", "div", "span", "blockquote", "hr", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "img", "a", "abbr", "dfn",
    "figure", "figcaption",
})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "img": {"src", "alt", "title", "width", "height"},
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start", "type"},
    "li": {"data-key"},
    "abbr": {"title"},
    "*": {"class"},
}
# No javascript:, data: or vbscript: URLs; relative URLs (bundled media names) stay.
URL_SCHEMES = frozenset({"http", "https", "mailto"})


# nh3 gives text back unchanged unless it holds a character it rewrites: "<", ">", "&", CR, NUL and
# NO-BREAK SPACE (written back as "&nbsp;"); a lone surrogate cannot be passed to it at all. Most fields
# of a text dump hold none of them, and skipping nh3 for those made the notes stage of a 1,000-article
# build several times faster. tests/test_properties.py checks the shortcut against nh3.
NEEDS_CLEANING = re.compile("[<>&\r\x00\xa0\ud800-\udfff]")


# One sanitiser for the whole run: building ammonia's rule set took ~120 µs of each ``nh3.clean`` call,
# six times the cleaning itself for a typical field (nh3's ``Cleaner`` exists for this since 0.3).
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def needs_cleaning(fragment: str) -> bool:
    """Whether nh3 may rewrite the fragment (NEEDS_CLEANING finds a character in it)."""
    # An ASCII text (str.isascii reads a flag the string keeps) can hold five of those characters.
    # The regular expression tests its character set at every character, ~10 machine instructions
    # each, and was a tenth of the notes stage; `in` finds a character with memchr.
    if fragment.isascii():
        return ("<" in fragment or ">" in fragment or "&" in fragment or "\r" in fragment
                or "\x00" in fragment)
    return NEEDS_CLEANING.search(fragment) is not None


def clean_html(fragment: str) -> str:
    if not needs_cleaning(fragment):
        return fragment
    return _CLEANER.clean(fragment)


# Plain text escaped for HTML holds no tag, and no "&" but those starting "&amp;", "&lt;" and "&gt;":
# nh3 reads each back as its character and writes it as the same reference, so of the characters
# NEEDS_CLEANING finds only these can make it rewrite escaped text. Every note's front is such a text
# (a term or a question); one with a "&", "<" or ">" ("R&D", "x < y") went through nh3 to come back
# as it was. tests/test_properties.py checks the shortcut against nh3.
REWRITTEN_ESCAPED = re.compile("[\r\x00\xa0\ud800-\udfff]")


def rewrites_escaped(text: str) -> bool:
    """Whether nh3 would rewrite ``text``, escaped text (no tag; no "&" but "&amp;", "&lt;", "&gt;")."""
    if text.isascii():  # a flag the string keeps: `in` finds a character with memchr
        return "\r" in text or "\x00" in text
    return REWRITTEN_ESCAPED.search(text) is not None


def clean_text(text: str) -> str:
    """Plain text as sanitised HTML: ``clean_html(html.escape(text, quote=False))``."""
    # Every note's front comes here; most are ASCII with nothing to escape or rewrite, and come back
    # as they are without html.escape's call and three replacements (7.6 -> 3.8 M instructions per
    # 100 HTML articles).
    if text.isascii() and not ("&" in text or "<" in text or ">" in text or "\r" in text or "\x00" in text):
        return text
    escaped = html.escape(text, quote=False)
    return _CLEANER.clean(escaped) if rewrites_escaped(text) else escaped


def clean_field(fragment: str) -> str:
    """``clean_html`` for a field written from text (a definition, an answer): one that is text with
    "&amp;", "&lt;", "&gt;" and "<br>" only comes back from nh3 as it is, and is not sent to it."""
    # nh3 parses such a fragment as the text (the references read as "&", "<" and ">") with a br
    # element for each "<br>", and writes text as clean_text's shortcut says, a br as "<br>". Those
    # were all the benchmark's fields that went to nh3 but the Evidence ones; these tests take half
    # the instructions of nh3's parse and serialisation (a regular expression with lookarounds took
    # three times as many). Equal counts mean every "<" and ">" belongs to a "<br>" and every "&"
    # begins a reference (none of them can overlap another).
    if not needs_cleaning(fragment):
        return fragment
    if "<" in fragment or ">" in fragment:
        breaks = fragment.count("<br>")
        if fragment.count("<") != breaks or fragment.count(">") != breaks:
            return _CLEANER.clean(fragment)
    if "&" in fragment and fragment.count("&") != (
            fragment.count("&amp;") + fragment.count("&lt;") + fragment.count("&gt;")):
        return _CLEANER.clean(fragment)
    return _CLEANER.clean(fragment) if rewrites_escaped(fragment) else fragment
