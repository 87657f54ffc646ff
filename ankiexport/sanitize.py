"""Sanitising for every card field: HTML with nh3 (Rust's ammonia), then TeX.

Card fields are rendered by Anki's webview, which runs script: nothing from an article may execute
there. nh3 is a maintained, fuzzed HTML5 sanitiser; a regex one would miss entity-encoded and
mixed-case variants. Only tags that teach survive.

Anki's reviewer also typesets the text between ``\\(`` ``\\)`` and ``\\[`` ``\\]`` with MathJax 3 (its full
build, without the "safe" extension), and some TeX is code there: ``\\href{javascript:…}{x}`` runs
script when clicked, ``\\style{background-image: url(…)}{x}`` loads a URL as soon as the card shows.
Such macros are defused wherever they stand in a field (see :data:`DANGEROUS_MACROS`).
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


# Control characters (tab and line break aside) show as nothing or garbage, and U+001F is the field
# separator of Anki's own storage: no field keeps one.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_html(fragment: str) -> str:
    """The fragment as nh3 cleans it with the allowlist above, without control characters, its
    dangerous TeX defused."""
    fragment = CONTROL_CHARACTERS.sub("", fragment)
    # The one pre-check: most fields are text without those characters, which nh3 would return as is.
    if NEEDS_CLEANING.search(fragment) is not None:
        fragment = _CLEANER.clean(fragment)
    return defuse_anki_tags(defuse_tex(fragment))


def clean_text(text: str) -> str:
    """Plain text as sanitised HTML."""
    return clean_html(html.escape(text, quote=False))


# Macros MathJax or KaTeX (other clients, add-ons) make into a link, attributes or CSS, a loaded file,
# changed options, or a definition (it lasts for the cards shown after it). Names are case-sensitive.
DANGEROUS_MACROS = (
    # links and files
    "href", "url", "includegraphics",
    # attributes and CSS of the output
    "class", "cssId", "style", "data", "bbox", "mmlToken", "unicode",
    # loading extensions, setting options
    "require", "setOptions",
    # definitions
    "def", "gdef", "edef", "xdef", "global", "let", "futurelet", "newcommand", "renewcommand",
    "providecommand", "newenvironment", "renewenvironment", "DeclareMathOperator", "DeclarePairedDelimiter",
    "DeclarePairedDelimiterX", "DeclarePairedDelimiterXPP", "Newextarrow", "newtagform", "renewtagform",
)

# A tag written between a macro's letters: "\hr<b></b>ef" reads as \href where a tag's text is taken
# without it. (nh3 has already decoded "&#92;" and "&bsol;" to "\" and dropped comments.)
_TAG = r'(?:<(?:[^<>"]|"[^"]*")*>)*'
DANGEROUS_TEX = re.compile(
    r"\\" + _TAG + "(?:"
    + "|".join(_TAG.join(name) for name in DANGEROUS_MACROS)
    + "|" + _TAG.join("html") + "[A-Za-z]*"  # KaTeX's \htmlClass, \htmlId, \htmlStyle, \htmlData
    + ")(?![A-Za-z])")
# What stands for a dangerous macro's backslash: SET MINUS, which reads like it and is no TeX escape.
DEFUSED_BACKSLASH = "\u2216"


def defuse_tex(fragment: str) -> str:
    """The fragment (sanitised HTML) with the backslash of every dangerous TeX macro replaced by
    DEFUSED_BACKSLASH: the macro reads as text and does nothing. Any other TeX stays as it is."""
    # A match cannot start inside another, but one may hide in an attribute a first match spanned.
    while DANGEROUS_TEX.search(fragment):
        fragment = DANGEROUS_TEX.sub(lambda macro: DEFUSED_BACKSLASH + macro.group()[1:], fragment)
    return fragment


# Anki's own field markup: [latex] and [$] run the student's LaTeX on desktop, [sound:] and [anki:]
# play files and speech. Article text never means them; its "[" becomes "&#91;", shown the same.
ANKI_TAG = re.compile(r"\[(?=latex\]|\$\$?\]|sound:|anki:)", re.IGNORECASE)


def defuse_anki_tags(fragment: str) -> str:
    """The fragment with Anki's field tags ([latex], [$], [$$], [sound:…], [anki:…]) written as text."""
    return ANKI_TAG.sub("&#91;", fragment)


def dangerous_tex(fragment: str) -> tuple[str, ...]:
    """The dangerous TeX macros of an HTML fragment from anywhere (a field or template of any deck), as
    MathJax would read them once the HTML is parsed: ``("\\href", "\\style")``."""
    found = DANGEROUS_TEX.findall(_CLEANER.clean(fragment))
    return tuple(sorted({"\\" + re.sub(_TAG, "", macro[1:]) for macro in found}))


# What a foreign deck's HTML may hold that runs script or loads a URL as a card shows (verify reports
# it). Fields: any of these; templates: all but <script> and <style>, which shared note types use.
ACTIVE_TAGS = frozenset({"script", "style", "iframe", "frame", "object", "embed", "link", "meta", "base", "form"})
TEMPLATE_TAGS = frozenset({"script", "style"})
SCRIPT_URLS = ("javascript:", "vbscript:", "data:text/html")
LOADING_ATTRIBUTES = frozenset({"src", "srcset", "poster", "background", "data"})
REMOTE = ("http:", "https:", "//")
CSS_REMOTE_LOAD = re.compile(r"@import|url\(\s*['\"]?\s*(?:https?:)?//", re.IGNORECASE)


def active_html(fragment: str, *, template: bool = False) -> tuple[str, ...]:
    """What in an HTML fragment runs script or loads a remote URL as the card shows, as lxml parses it
    (entities decoded): ``("<script>", "onerror=", "remote src")``."""
    if "<" not in fragment:  # plain text holds no element
        return ()
    from lxml import html as lxml_html

    found: set[str] = set()
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except ValueError:  # lxml refuses some control characters; such a fragment is text to Anki too
        return ()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ACTIVE_TAGS and not (template and element.tag in TEMPLATE_TAGS):
            found.add(f"<{element.tag}>")
        for name, value in element.attrib.items():
            squeezed = re.sub(r"[\x00-\x20]+", "", value).lower()
            if name.startswith("on"):
                found.add(f"{name}=")
            elif squeezed.startswith(SCRIPT_URLS):
                found.add(f"{name}={squeezed.split(':')[0]}:")
            elif name in LOADING_ATTRIBUTES and squeezed.startswith(REMOTE):
                found.add(f"remote {name}")
            elif name == "style" and CSS_REMOTE_LOAD.search(value):
                found.add("style url()")
    return tuple(sorted(found))
