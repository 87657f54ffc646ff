"""Small helpers for the safe inline HTML that blocks carry."""

from __future__ import annotations

import html
import re

import nh3

from .rules.heuristics import EMPHASIS

_TAG = re.compile(r"<[^>]*>")
_TEXT_ONLY = nh3.Cleaner(tags=set())  # drops every tag, and the content of script and style


def text_to_html(text: str) -> str:
    """Escape plain text for a card field (a "<" in a dump shows as "<"); `*word*` becomes <em>."""
    escaped = html.escape(text, quote=False)
    # (most lines hold no "*", and EMPHASIS.sub tries every position of the line)
    return EMPHASIS.sub(r"<em>\g<inner></em>", escaped) if "*" in escaped else escaped


def strip_emphasis(text: str) -> str:
    return EMPHASIS.sub(r"\g<inner>", text) if "*" in text else text


def normalise_space(text: str) -> str:
    """Runs of white space as one space, none at the ends."""
    return " ".join(text.split())


def html_to_text(fragment: str) -> str:
    """The text of the project's own HTML as written: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", fragment))


def visible_text(fragment: str) -> str:
    """Any HTML (a foreign deck's too) as a student reads it: nh3 drops every tag, and scripts and
    styles whole; the space put before each tag keeps "<li>a</li><li>b</li>" two words."""
    return normalise_space(html_to_text(_TEXT_ONLY.clean(fragment.replace("<", " <"))))


def html_after_colon(fragment: str) -> str:
    """The part of an inline HTML fragment after the first ":" in its text (not inside a tag).

    Tags opened before the colon and closed after it are dropped from the result by the sanitiser
    later; in practice leads are plain or wholly wrapped ("<strong>Term</strong>: text").
    """
    # A colon lies inside a tag when the last "<" before it comes after the last ">".
    at = fragment.find(":")
    while at >= 0:
        if fragment.rfind("<", 0, at) <= fragment.rfind(">", 0, at):
            return fragment[at + 1 :].strip()
        at = fragment.find(":", at + 1)
    return fragment
