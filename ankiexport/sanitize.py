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

# One rule set for the whole run: nh3.clean builds ammonia's anew at every call.
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)

# The characters nh3 rewrites: "<", ">", "&", CR, NUL, NO-BREAK SPACE (written "&nbsp;") and lone
# surrogates (refused). tests/test_properties.py checks that nh3 gives back any other text as it is.
NEEDS_CLEANING = re.compile("[<>&\r\x00\xa0\ud800-\udfff]")


def clean_html(fragment: str) -> str:
    """The fragment as nh3 cleans it with the allowlist above."""
    # The one pre-check: most fields are text without those characters, which nh3 would return as is.
    if NEEDS_CLEANING.search(fragment) is None:
        return fragment
    return _CLEANER.clean(fragment)


def clean_text(text: str) -> str:
    """Plain text as sanitised HTML."""
    return clean_html(html.escape(text, quote=False))
