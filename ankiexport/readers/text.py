"""StudySmarter-style plain-text dumps → :class:`Article`.

The dump puts each paragraph, bullet and heading on its own line. Parsing runs in two passes:
1. every line is classified by an ordered list of small rules (the first that matches wins);
2. the classified lines are folded into blocks, chapters and sections.
Page chrome is recognised by the named tables in :mod:`ankiexport.chrome`, never by position.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .. import chrome
from ..heuristics import BULLET, HEADING_MAX_CHARS, HEADING_MAX_WORDS, HEADING_TERMINAL, word_count
from ..language import detect_language
from ..markup import strip_emphasis, text_to_html
from ..model import Article, Block, BlockKind, Chapter, ChapterPath, Section, Span

# Pseudo-chapters for the page's special sections, so their notes get a chapter tag too.
SECTION_CHAPTERS = {
    Section.TAKEAWAYS: "Key takeaways",
    Section.FAQ: "FAQ",
    Section.QUIZ: "Quiz",
}


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    text: str  # stripped
    blank_before: bool
    blank_after: bool


@dataclass(frozen=True)
class Classified:
    line: Line
    kind: str  # "chrome" | "footer" | "section" | "bullet" | "heading" | "paragraph"
    section: Section | None = None
    text: str = ""


Rule = Callable[[Line], Classified | None]


def _chrome(line: Line) -> Classified | None:
    return Classified(line, "chrome") if chrome.is_chrome(line.text) else None


def _footer(line: Line) -> Classified | None:
    return Classified(line, "footer") if chrome.first_match(chrome.FOOTER_START, line.text) else None


def _section(line: Line) -> Classified | None:
    for section, markers in (
        (Section.TAKEAWAYS, chrome.TAKEAWAYS_MARKERS),
        (Section.FAQ, chrome.FAQ_MARKERS),
        (Section.QUIZ, chrome.QUIZ_MARKERS),
    ):
        if chrome.first_match(markers, line.text):
            return Classified(line, "section", section=section)
    return None


def _bullet(line: Line) -> Classified | None:
    found = BULLET.fullmatch(line.text)
    return Classified(line, "bullet", text=found["text"].strip()) if found and found["text"].strip() else None


def _heading(line: Line) -> Classified | None:
    text = line.text
    if not (line.blank_before and line.blank_after):
        return None
    if word_count(text) > HEADING_MAX_WORDS or len(text) > HEADING_MAX_CHARS:
        return None
    if HEADING_TERMINAL.search(text) or not (text[0].isupper() or text[0].isdigit()):
        return None
    return Classified(line, "heading", text=text)


def _paragraph(line: Line) -> Classified | None:
    return Classified(line, "paragraph", text=line.text)


# Order matters: chrome before markers (a marker never looks like chrome), markers before headings
# (a marker line is short and bare, like a heading), headings before paragraphs.
RULES: tuple[tuple[str, Rule], ...] = (
    ("footer", _footer),
    ("chrome", _chrome),
    ("section", _section),
    ("bullet", _bullet),
    ("heading", _heading),
    ("paragraph", _paragraph),
)


def _lines(text: str) -> list[Line]:
    raw = text.splitlines()
    stripped = [r.strip() for r in raw]
    # Chrome lines count as blank for the heading rule: "Save Article" between a heading and its
    # text must not turn the heading into a paragraph.
    empty = [not s or chrome.is_chrome(s) for s in stripped]
    out = []
    for i, s in enumerate(stripped):
        if not s:
            continue
        out.append(Line(
            number=i + 1,
            text=s,
            blank_before=i == 0 or empty[i - 1],
            blank_after=i + 1 >= len(stripped) or empty[i + 1],
        ))
    return out


def classify(line: Line) -> Classified:
    for _name, rule in RULES:
        result = rule(line)
        if result is not None:
            return result
    raise AssertionError("the paragraph rule matches every line")


def _find_title(lines: list[Line]) -> tuple[str, int]:
    """The first line that is neither chrome nor a marker names the article."""
    for index, line in enumerate(lines):
        kind = classify(line).kind
        if kind in ("chrome", "footer", "section"):
            continue
        return line.text, index
    return "", len(lines)


def _display_title(title: str, text: str) -> str:
    """A title dumped in lower case ("neuromuscular therapy") takes its capitals from the body."""
    if not title or not title.islower():
        return title
    # Prefer the most capitalised spelling: headings ("Neuromuscular Therapy Definition") over
    # sentence starts ("Neuromuscular therapy is …").
    spellings = {m.group(0) for m in re.finditer(re.escape(title), text, re.IGNORECASE)} - {title}
    if spellings:
        return max(sorted(spellings), key=lambda s: sum(c.isupper() for c in s))
    return title[0].upper() + title[1:]


def _subject(lines: list[Line], title: str) -> str | None:
    subject = None
    for line in lines:
        found = chrome.TEAM_LINE.fullmatch(line.text)
        if found and found["subject"].casefold() != title.casefold():
            subject = found["subject"].strip()
    return subject


def parse_text(text: str, source: str) -> Article:
    lines = _lines(text)
    raw_title, title_index = _find_title(lines)
    title = _display_title(raw_title, text)
    blocks: list[Block] = []
    chapters: list[Chapter] = []
    section = Section.INTRO
    chapter: ChapterPath = ()
    for line in lines[title_index + 1 :]:
        item = classify(line)
        if item.kind == "footer":
            break
        if item.kind == "chrome":
            continue
        span = Span(line.number, line.number)
        if item.kind == "section":
            assert item.section is not None
            section = item.section
            chapter = (SECTION_CHAPTERS[section],)
            continue
        if item.kind == "heading" and section in (Section.INTRO, Section.BODY):
            section = Section.BODY
            chapter = (item.text,)
            chapters.append(Chapter(title=item.text, path=chapter, span=span))
            blocks.append(Block(BlockKind.HEADING, item.text, text_to_html(item.text), span,
                                chapter=chapter, section=section, level=1))
            continue
        kind = BlockKind.BULLET if item.kind == "bullet" else BlockKind.PARAGRAPH
        body = item.text or line.text
        blocks.append(Block(kind, strip_emphasis(body), text_to_html(body), span,
                            chapter=chapter, section=section))
    return Article(
        title=title,
        source=source,
        blocks=tuple(blocks),
        chapters=tuple(chapters),
        subject=_subject(lines, raw_title),
        language=detect_language(" ".join(b.text for b in blocks)),
    )
