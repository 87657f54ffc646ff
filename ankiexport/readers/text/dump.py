"""StudySmarter/Vaia plain-text dumps (and other sites' flashcard pages) → :class:`Article`.

The dump puts each paragraph, bullet and heading on its own line. Parsing runs in passes:
1. page furniture is marked: the saved page's "# url:" line, chrome from the tables in
   :mod:`ankiexport.rules.chrome` (never by position), the carousel's tag runs, repeated paragraphs;
2. other sites' flashcard layouts are handed to :mod:`.flashcards`;
3. the title line is found (any case, a doubled title counts once; none when the page starts at the
   chapter-jump marker — then the first heading names the article);
4. every remaining line is classified by an ordered list of small rules (the first that matches wins)
   and the classified lines are folded into blocks, chapters and sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import PurePath

from ...markup import strip_emphasis, text_to_html
from ...model import Article, Block, BlockKind, Chapter, ChapterPath, Item, Section, Span
from ...rules import chrome
from ...rules.heuristics import (
    DENSE_PAGE_BLANK_SHARE,
    HEADING_MAX_CHARS,
    HEADING_MAX_WORDS,
    HEADING_TERMINAL,
    LAST_SENTENCE_END,
    QUESTION_HEADING,
    REPEAT_MIN_WORDS,
    SENTENCE_END,
    TEASER_END,
    TITLE_MAX_WORDS,
    bullet_text,
    unbulleted,
    word_count,
)
from ...rules.language import UNKNOWN, detect_language, label
from . import flashcards

# Pseudo-chapters for the page's special sections, so their notes get a chapter tag too; named in
# the article's language once it is known (:func:`localise_sections`).
SECTION_CHAPTERS = {
    Section.TAKEAWAYS: "Key takeaways",
    Section.FAQ: "FAQ",
    Section.QUIZ: "Quiz",
}
_SECTION_LABELS = {Section.TAKEAWAYS: "takeaways", Section.FAQ: "faq", Section.QUIZ: "quiz"}
UNKNOWN_LANGUAGE_WARNING = "the article's language is not one of en, de, fr, es: its card labels are in English"


def localise_sections(blocks: list[Block], language: str) -> list[Block]:
    """The special sections' pseudo-chapters renamed into the article's language ("Das Wichtigste")."""
    names = {(SECTION_CHAPTERS[s],): (label(language, key),) for s, key in _SECTION_LABELS.items()}
    return [replace(b, chapter=names[b.chapter]) if b.section in _SECTION_LABELS and b.chapter in names
            else b for b in blocks]


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    text: str  # stripped
    blank_before: bool
    blank_after: bool
    carousel_front: bool = False
    followed_by_paragraph: bool = False  # the next line is body text (for headings on dense pages)
    plain: bool = False  # no marker can match it (chrome.is_plain)


@dataclass(frozen=True)
class Classified:
    line: Line
    kind: str  # "chrome" | "footer" | "section" | "bullet" | "heading" | "paragraph"
    section: Section | None = None
    text: str = ""


# The footer heading and the section markers, tried in this order (the footer first).
MARKERS: tuple[chrome.Pattern, ...] = (*chrome.FOOTER_START, *chrome.TAKEAWAYS_MARKERS, *chrome.FAQ_MARKERS,
                                       *chrome.QUIZ_MARKERS)
_MARKER_SECTIONS: dict[chrome.Pattern, Section | None] = {
    **dict.fromkeys(chrome.FOOTER_START),
    **dict.fromkeys(chrome.TAKEAWAYS_MARKERS, Section.TAKEAWAYS),
    **dict.fromkeys(chrome.FAQ_MARKERS, Section.FAQ),
    **dict.fromkeys(chrome.QUIZ_MARKERS, Section.QUIZ),
}


def _marker(line: Line) -> Classified | None:
    """The footer's heading, or a line that opens one of the page's special sections (never a plain line:
    :func:`classify` asks about the others only)."""
    pattern = chrome.first_pattern(MARKERS, line.text)
    if pattern is None:
        return None
    section = _MARKER_SECTIONS[pattern]
    return Classified(line, "footer") if section is None else Classified(line, "section", section)


def _bullet(line: Line) -> Classified | None:
    text = bullet_text(line.text)
    return Classified(line, "bullet", text=text) if text else None


def _heading(line: Line) -> Classified | None:
    text = line.text
    standalone = (line.blank_before and line.blank_after) or line.followed_by_paragraph
    if not standalone:
        return None
    if len(text) > HEADING_MAX_CHARS or word_count(text) > HEADING_MAX_WORDS:
        return None
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "¿"):
        return None
    if HEADING_TERMINAL.search(text) and not QUESTION_HEADING.fullmatch(text):
        return None
    return Classified(line, "heading", text=text)


def _paragraph(line: Line) -> Classified:
    return Classified(line, "paragraph", text=line.text)


def classify(line: Line) -> Classified:
    """The first rule that matches the line. Order matters: the footer before everything, markers before
    headings (a marker line is short and bare, like a heading), headings before paragraphs. Chrome never
    reaches the rules: it is marked before classification because it depends on the title (its echoes)
    and on position (the header)."""
    return (not line.plain and _marker(line)) or _bullet(line) or _heading(line) or _paragraph(line)


# --- pass 1: page furniture -----------------------------------------------------------------------

# Saved pages may start with the address they came from ("# url: https://…"); it is not page text.
URL_LINE = re.compile(r"#\s*url:\s*(?P<url>\S+)\s*", re.IGNORECASE)


def _url(stripped: list[str]) -> str | None:
    first = next((s for s in stripped if s), "")
    found = URL_LINE.fullmatch(first)
    return found["url"] if found else None


def _carousel_runs(stripped: list[str], looked_up: list[int]) -> set[int]:
    """Indexes of the carousel's tag runs: "+ Add tag" and the bullets right after it."""
    dropped: set[int] = set()
    for index in looked_up:
        if chrome.first_match(chrome.CAROUSEL_TAG_RUN, unbulleted(stripped[index])) is None:
            continue
        dropped.add(index)
        follower = index + 1
        while follower < len(stripped) and bullet_text(stripped[follower]) is not None:
            dropped.add(follower)
            follower += 1
    return dropped


def _is_title_like(text: str) -> bool:
    return (word_count(text) <= TITLE_MAX_WORDS and len(text) <= HEADING_MAX_CHARS
            and not HEADING_TERMINAL.search(text) and bullet_text(text) is None)


def undouble(title: str) -> str:
    """"Binary Tree Binary Tree" (the Vaia layout prints the title twice) → "Binary Tree"."""
    words = title.split()
    half = len(words) // 2
    if len(words) % 2 == 0 and half and [w.casefold() for w in words[:half]] == [w.casefold() for w in words[half:]]:
        return " ".join(words[:half])
    return title


def _find_title(stripped: list[str], skip: set[int]) -> tuple[str, int | None, int]:
    """(title, index of the title line or None, index where the page's content starts).

    The title is the first content line when it looks like one; a page whose content starts after
    the chapter-jump marker, or with a paragraph, has no title line."""
    for index, text in enumerate(stripped):
        if not text or index in skip:
            continue
        if chrome.first_match(chrome.CHAPTER_JUMP, text):
            return "", None, index + 1
        if chrome.is_chrome(text) or chrome.first_match(chrome.HEADER_CHROME, text):
            continue
        if _is_title_like(text):
            return chrome.strip_site_suffix(undouble(text)), index, index + 1
        return "", None, index
    return "", None, len(stripped)


def _repeats(stripped: list[str], chrome_at: set[int]) -> set[int]:
    """Paragraphs that repeat an earlier one, and teasers ("…" endings) of a later one."""
    seen: set[str] = set()
    dropped: set[int] = set()
    texts = {i: t for i, t in enumerate(stripped) if t and i not in chrome_at}
    for index, text in texts.items():
        if text in seen and word_count(text) >= REPEAT_MIN_WORDS:
            dropped.add(index)
        seen.add(text)
        teaser = TEASER_END.search(text)
        if teaser and word_count(text) >= REPEAT_MIN_WORDS:
            stem = text[: teaser.start()].rstrip()
            if any(other != text and other.startswith(stem) for other in texts.values()):
                dropped.add(index)
    return dropped


def _title_from_url(url: str | None) -> str:
    """The last meaningful path segment of the page address ("…/lineares-wachstum/" → "lineares wachstum")."""
    if not url:
        return ""
    for segment in reversed(url.split("?")[0].rstrip("/").split("/")[3:]):
        words = re.sub(r"[-_]\d+$", "", segment)
        if re.search(r"[^\W\d_]{3}", words) and words not in chrome.URL_NON_TITLES:
            return re.sub(r"[-_]+", " ", words).strip()
    return ""


def title_spellings(title: str, text: str) -> set[str]:
    """Every spelling of ``title`` in ``text``, case aside."""
    return {m.group(0) for m in re.finditer(re.escape(title), text, re.IGNORECASE)}


def _display_title(title: str, text: str) -> str:
    """A title dumped in lower or upper case ("neuromuscular therapy") takes its capitals from the body."""
    if not title or not (title.islower() or title.isupper()):
        return title[0].upper() + title[1:] if title else title
    # Prefer the most capitalised spelling that is not all capitals: headings ("Neuromuscular Therapy
    # Definition") over sentence starts ("Neuromuscular therapy is …").
    spellings = title_spellings(title, text) - {title}
    spellings = {s for s in spellings if not s.isupper()}
    if spellings:
        best = max(sorted(spellings), key=lambda s: sum(c.isupper() for c in s))
        return best[0].upper() + best[1:]
    return title[0].upper() + title[1:].lower()


def _subject(stripped: list[str], looked_up: list[int], title: str) -> str | None:
    subject = None
    for index in looked_up:
        found = chrome.first_match(chrome.TEAM_LINES, stripped[index])
        if found and found["subject"].casefold() != title.casefold():
            subject = found["subject"].strip()
    return subject


# --- the reader -------------------------------------------------------------------------------------


def _cut_fragment(stripped: list[str], text: str) -> None:
    """A page cut off mid-sentence (the file stops without a final newline inside a sentence) loses
    the unfinished sentence, so no card ends in half a word."""
    if text.endswith(("\n", "\r")):
        return
    last = max((i for i, s in enumerate(stripped) if s), default=None)
    if last is None or SENTENCE_END.search(stripped[last]):
        return
    ends = list(LAST_SENTENCE_END.finditer(stripped[last]))
    stripped[last] = stripped[last][: ends[-1].end()].rstrip() if ends else ""


def parse_text(text: str, source: str) -> Article:
    raw = text.splitlines()
    stripped = [chrome.strip_glued(r.strip()) for r in raw]
    _cut_fragment(stripped, text)
    url = _url(stripped)
    if url:
        stripped[next(i for i, s in enumerate(stripped) if s)] = ""
    cards = flashcards.find_cards(stripped)
    if cards is not None:
        return _card_article(stripped, cards, source, url)

    # Blank lines, and lines no table can match (most of them): the passes below look up the others only,
    # and visit only them where nothing else is asked of a line.
    plain = [not s or chrome.is_plain(s) for s in stripped]
    looked_up = [index for index, is_plain in enumerate(plain) if not is_plain]
    carousel = _carousel_runs(stripped, looked_up)
    raw_title, title_index, content_start = _find_title(stripped, carousel)
    chrome_at = set(carousel)
    is_echo = chrome.title_echo_test(raw_title) if title_index is not None else None
    for index, s in enumerate(stripped):
        if not s or index == title_index:
            continue  # (the title line is dropped below)
        if plain[index]:
            furniture = chrome.has_emoji(s)
        else:
            header = index < content_start and chrome.first_match(chrome.HEADER_CHROME, s) is not None
            furniture = header or chrome.is_chrome(s)
        if furniture or (is_echo is not None and is_echo(s)):
            chrome_at.add(index)
    chrome_at |= _repeats(stripped, chrome_at)
    if title_index is not None:
        chrome_at.add(title_index)

    blank = [not r.strip() for r in raw]
    lines = _lines(stripped, chrome_at, start=content_start, blank=blank, plain=plain, looked_up=looked_up)
    blocks, chapters = _fold(lines)
    title = raw_title or (chapters[0].title if chapters else "") or _title_from_url(url) or PurePath(source).stem
    language = detect_language(" ".join(b.text for b in blocks) or title)
    return Article(
        title=_display_title(title, text),
        source=source,
        blocks=tuple(localise_sections(blocks, language)),
        chapters=tuple(chapters),
        subject=_subject(stripped, looked_up, raw_title or title),
        language=language,
        url=url,
        warnings=(UNKNOWN_LANGUAGE_WARNING,) if language == UNKNOWN else (),
    )


def _lines(stripped: list[str], chrome_at: set[int], start: int, blank: list[bool],
           plain: list[bool], looked_up: list[int]) -> list[Line]:
    """The content lines from ``start`` on; chrome counts as blank for the heading rule ("Save
    Article" between a heading and its text must not turn the heading into a paragraph)."""
    empty = [not s or i in chrome_at for i, s in enumerate(stripped)]
    content = [i for i in range(start, len(stripped)) if not empty[i]]
    # Blank lines of the page as saved (not the lines emptied here), trailing ones aside.
    blank_share = sum(blank[start : max(content, default=start) + 1]) / max(1, len(content))
    dense = blank_share < DENSE_PAGE_BLANK_SHARE
    fronts = _carousel_fronts(stripped, looked_up, chrome_at, content)
    out = []
    for position, i in enumerate(content):
        following = stripped[content[position + 1]] if position + 1 < len(content) else ""
        out.append(Line(
            number=i + 1,
            text=stripped[i],
            blank_before=i == 0 or empty[i - 1],
            blank_after=i + 1 >= len(stripped) or empty[i + 1],
            carousel_front=i in fronts,
            followed_by_paragraph=dense and _is_body_text(following),
            plain=plain[i],
        ))
    return out


def _is_body_text(text: str) -> bool:
    """A paragraph line (not a bullet, not heading-like): what follows a heading on a dense page."""
    if not text or bullet_text(text) is not None:
        return False
    return word_count(text) > HEADING_MAX_WORDS or bool(SENTENCE_END.search(text)) or text.endswith(":")


def _carousel_fronts(stripped: list[str], looked_up: list[int], chrome_at: set[int],
                     content: list[int]) -> set[int]:
    """carousel: the content line right above each "Show Answer" is a card front."""
    fronts: set[int] = set()
    for index in looked_up:
        if not chrome.is_show_answer(stripped[index]):
            continue
        before = [i for i in content if i < index]
        if before and not any(j in chrome_at for j in range(before[-1] + 1, index) if stripped[j]):
            fronts.add(before[-1])
    return fronts


def _fold(lines: list[Line]) -> tuple[list[Block], list[Chapter]]:
    blocks: list[Block] = []
    chapters: list[Chapter] = []
    section = Section.INTRO
    chapter: ChapterPath = ()
    for line in lines:
        span = Span(line.number, line.number)
        if line.carousel_front:
            # Card fronts of the carousel: quiz questions without answers, wherever they stand.
            blocks.append(Block(BlockKind.PARAGRAPH, strip_emphasis(line.text), text_to_html(line.text), span,
                                chapter=(SECTION_CHAPTERS[Section.QUIZ],), section=Section.QUIZ))
            continue
        item = classify(line)
        if item.kind == "footer":
            break
        if item.kind == "section":
            assert item.section is not None
            section = item.section
            chapter = (SECTION_CHAPTERS[section],)
            continue
        if item.kind == "heading" and section in (Section.INTRO, Section.BODY):
            section = Section.BODY
            chapter = (item.text,)
            chapters.append(Chapter(title=item.text, path=chapter, span=span))
            blocks.append(Block(BlockKind.HEADING, item.text, text_to_html(item.text), span, chapter=chapter,
                                section=section, level=1))
            continue
        kind = BlockKind.BULLET if item.kind == "bullet" else BlockKind.PARAGRAPH
        body = item.text or line.text
        blocks.append(Block(kind, strip_emphasis(body), text_to_html(body), span, chapter=chapter, section=section))
    return blocks, chapters


def _card_article(stripped: list[str], cards: tuple[list[Item], int], source: str, url: str | None) -> Article:
    """Another site's flashcard page: the cards are the items; a title line before them names it."""
    items, start = cards
    content = [s for s in stripped if s]
    title = ""
    for s in content[:start]:
        if flashcards.is_furniture(s) or bullet_text(s) is not None:
            continue
        if _is_title_like(s):
            title = chrome.strip_site_suffix(undouble(s))
        break
    title = title or _title_from_url(url) or PurePath(source).stem
    body = " ".join(item.fields()["question"] + " " + item.fields()["answer"] for item in items)
    return Article(title=_display_title(title, "\n".join(stripped)), source=source, blocks=(),
                   language=detect_language(body or title), url=url, structured=tuple(items))
