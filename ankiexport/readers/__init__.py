"""Readers: bytes on disk → :class:`Article`. Encoding and format detection live here."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..model import Article
from .media import DEFAULT_READ_OPTIONS, ReadOptions
from .quizfile import is_quiz_file, parse_quiz
from .text import parse_text

Parser = Callable[[bytes, str, Path, ReadOptions], Article]

# A file of unknown type that starts with a tag and has one of these near the top is HTML; a text dump
# never starts with "<".
HTML_START = re.compile(rb"<(!doctype html|\?xml|html|head|body|title|meta|main|article|section|div|p|h[1-6])\b")

# A NUL byte in the first 8 KiB means a binary file (images, archives); text and HTML never hold one.
BINARY_SNIFF_BYTES = 8192


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


def _html(data: bytes, source: str, path: Path, options: ReadOptions) -> Article:
    # Imported on first use: bs4 and lxml are slow to load, and a build of text dumps never needs them.
    from .html import parse_html

    return parse_html(data, source, path, options)


READERS: dict[str, Parser] = {
    ".txt": _text,
    ".text": _text,
    ".md": _text,
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
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("no such file", path=source, remedy="check the path") from exc
    except IsADirectoryError as exc:
        raise InputError("is a folder, not an article", path=source,
                         remedy="pass the files inside it") from exc
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=source,
                         remedy="check its permissions") from exc
    return read_bytes(data, source, path, options=options)
