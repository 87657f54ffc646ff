"""Readers: bytes on disk → :class:`Article`. Encoding and format detection live here."""

from __future__ import annotations

import codecs
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath

from .. import fetch
from ..errors import InputError
from ..model import Article
from .html.media import DEFAULT_READ_OPTIONS, ReadOptions
from .quizfile import is_quiz_file, parse_quiz
from .text.dump import parse_text

Parser = Callable[[bytes, str, Path, ReadOptions], Article]

# A file of unknown type that starts with a tag and has one of these near the top is HTML; a text dump
# never starts with "<".
HTML_START = re.compile(rb"<(!doctype html|\?xml|html|head|body|title|meta|main|article|section|div|p|h[1-6])\b")

# A NUL byte in the first 8 KiB means a binary file (images, archives); text and HTML never hold one,
# except UTF-16 saved without a byte-order mark, whose ASCII letters leave every other byte NUL.
BINARY_SNIFF_BYTES = 8192
UTF16_NUL_SHARE = 0.3
# The largest article read: a long saved page with inline images is a few MiB; parsing takes ten times
# a page's size in memory, per worker.
MAX_ARTICLE_BYTES = 32 * 1024 * 1024


def utf16_bom_for(data: bytes) -> bytes | None:
    """The byte-order mark UTF-16 text without one would have had (NULs on one side of each byte
    pair, none on the other), or None."""
    sample = data[:BINARY_SNIFF_BYTES]
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if half and odd > UTF16_NUL_SHARE * half and even == 0:
        return codecs.BOM_UTF16_LE
    if half and even > UTF16_NUL_SHARE * half and odd == 0:
        return codecs.BOM_UTF16_BE
    return None


def decode_text(data: bytes, source: str) -> str:
    """Decode a text dump: UTF-8 (BOM optional) or BOM-marked UTF-16; anything else is an error."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path=source, line=line,
            remedy="re-save the file as UTF-8",
        ) from exc


def _text(data: bytes, source: str, path: Path, options: ReadOptions) -> Article:
    return parse_text(decode_text(data, source), source)


def _markdown(data: bytes, source: str, path: Path, options: ReadOptions) -> Article:
    from .markdown import parse_markdown

    return parse_markdown(decode_text(data, source), source, path, options)


def _html(data: bytes, source: str, path: Path, options: ReadOptions) -> Article:
    # Imported on first use: bs4 and lxml are slow to load, and a build of text dumps never needs them.
    from .html.page import parse_html

    return parse_html(data, source, path, options, toggles_are_cards=is_notion_page(data))


# Notion's "Export → HTML" page: <article class="page …"> with a page-title header and a page-body.
NOTION_PAGE = re.compile(rb'<article id="[^"]*" class="page[ "].*?class="page-title".*?<div class="page-body">',
                         re.DOTALL)


def is_notion_page(data: bytes) -> bool:
    """A page of a Notion export, whose toggles are cards (Notion's way of writing flashcards)."""
    return NOTION_PAGE.search(data, 0, BINARY_SNIFF_BYTES * 8) is not None


READERS: dict[str, Parser] = {
    ".txt": _text,
    ".text": _text,
    ".md": _markdown,
    ".markdown": _markdown,
    ".html": _html,
    ".htm": _html,
    ".xhtml": _html,
}


def check_bytes(data: bytes, source: str) -> None:
    if not data.strip():
        raise InputError("the file is empty", path=source, remedy="save the article's text into it")
    if b"\x00" in data[:BINARY_SNIFF_BYTES] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("this is a binary file, not an article", path=source,
                         remedy="pass a .txt or .html article")


def _quiz(data: bytes, source: str, path: Path) -> Article:
    return parse_quiz(decode_text(data, source), source)


def read_bytes(data: bytes, source: str, path: Path | None = None, suffix: str | None = None,
               options: ReadOptions = DEFAULT_READ_OPTIONS) -> Article:
    if b"\x00" in data[:BINARY_SNIFF_BYTES] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = (utf16_bom_for(data) or b"") + data  # (the readers decode by the mark)
    check_bytes(data, source)
    if suffix is None and path is not None and is_quiz_file(path):
        return _quiz(data, source, path)
    suffix = (suffix or (path or Path(source)).suffix).lower()
    reader = READERS.get(suffix)
    if reader is None:
        head = data.lstrip()[:1024].lower()
        html_like = head.startswith(b"<") and HTML_START.search(head) is not None
        reader = READERS.get(".html", _text) if html_like else _text
    return reader(data, source, path or Path(source), options)


def read_article(path: str | Path, options: ReadOptions = DEFAULT_READ_OPTIONS) -> Article:
    """Read and parse one article file."""
    path = Path(path)
    source = str(path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_ARTICLE_BYTES + 1)
    except FileNotFoundError as exc:
        raise InputError("no such file", path=source, remedy="check the path") from exc
    except IsADirectoryError as exc:
        raise InputError("is a folder, not an article", path=source,
                         remedy="pass the files inside it") from exc
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=source,
                         remedy="check its permissions") from exc
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(f"the file is larger than {MAX_ARTICLE_BYTES // 1024**2} MiB", path=source,
                         remedy="split the article, or save the page without its images inline")
    return read_bytes(data, source, path, options=options)


# An article named "-" is standard input; --format names its kind when its bytes do not tell.
STDIN = "-"
STDIN_SOURCE = "<stdin>"
FORMATS = {"text": ".txt", "html": ".html", "markdown": ".md"}
# Markdown, told from a text dump: front matter, or an ATX heading ("# url:" opens a saved text page).
MARKDOWN_START = re.compile(rb"\A(\xef\xbb\xbf)?---[ \t]*\r?\n|^#{1,6}[ \t]+(?!url:)\S", re.MULTILINE)


def sniff_suffix(data: bytes) -> str:
    """The suffix of the reader for bytes without a name: HTML, Markdown, else a text dump."""
    head = data.lstrip()[:1024].lower()
    if head.startswith(b"<") and HTML_START.search(head):
        return ".html"
    return ".md" if MARKDOWN_START.search(data[:BINARY_SNIFF_BYTES]) else ".txt"


# Anything "scheme://…" on the command line or in a manifest is an address, not a file name.
URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
HTML_TYPES = ("text/html", "application/xhtml+xml")
CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def is_url(text: str | Path) -> bool:
    return isinstance(text, str) and URL.match(text) is not None


def read_url(url: str, options: ReadOptions = DEFAULT_READ_OPTIONS) -> Article:
    """Fetch a page (or take it from the cache) and read it; its images come from the page's site."""
    from .html.page import decode_html

    web = options.web
    limits = fetch.Limits(web.seconds, web.max_bytes, options.allow_private_urls, max_redirects=web.max_redirects)
    try:
        page = fetch.fetch(url, limits, cache=web.cache)
    except fetch.FetchError as exc:
        raise InputError(f"cannot fetch the page: {exc}", path=url,
                         remedy="check the address, or save the page and pass the file") from exc
    content_type = page.content_type.split(";")[0].strip().lower()
    if content_type not in HTML_TYPES:
        raise InputError(f"not an HTML page ({content_type or 'no content type'})", path=url,
                         remedy="give the address of an article's page")
    charset = CHARSET.search(page.content_type)
    # Decoded with the server's charset, then handed on as UTF-8 with a BOM, which no <meta> overrides.
    data = codecs.BOM_UTF8 + decode_html(page.data, charset.group(1) if charset else None).encode("utf-8")
    parts = urllib.parse.urlsplit(page.url)
    name = PurePosixPath(parts.path).stem or parts.hostname or "page"
    return read_bytes(data, url, Path(name), suffix=".html",
                      options=replace(options, fetch_media=True, base_url=page.url))
