"""Seed-shaped articles made up from a spec, with the items the parser must find in them.

One spec renders to a StudySmarter-style text dump (the seed's layout: lower-case title, sign-up chrome,
chapters between blank lines, "Term: definition." paragraphs, "• Lead: text" bullets, an example,
key takeaways, FAQs, a quiz carousel and the site footer) and to an HTML page with the same content.
:func:`expected_items` says what extraction must return for it, line numbers included, so a round
trip can compare found items with generated ones. Specs come from :func:`random_spec` (seeded,
for benchmarks and batches) or from the hypothesis strategies in ``tests/strategies.py``.

All text is made of the word lists below, written for these tests; nothing is copied from a real page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

T = TypeVar("T")


class Chooser(Protocol):
    """What the generator needs of a source of choices: ``random.Random``, or hypothesis draws."""

    def choice(self, seq: Sequence[T]) -> T: ...
    def randint(self, a: int, b: int) -> int: ...
    def random(self) -> float: ...


# --- vocabulary ------------------------------------------------------------------------------------

NOUNS = (
    "membrane", "enzyme", "glacier", "lattice", "circuit", "harbour", "tissue", "orbit", "sediment",
    "protein", "valve", "current", "canopy", "fibre", "signal", "reservoir", "crystal", "ligament",
    "spectrum", "gradient", "nucleus", "delta", "isotope", "habitat", "vessel", "catalyst", "lens",
    "plateau", "reflex", "molecule", "pigment", "tendon", "estuary", "voltage", "polymer", "fungus",
)
ADJECTIVES = (
    "lateral", "dense", "coastal", "thermal", "rapid", "hollow", "alpine", "neural", "solar", "acidic",
    "elastic", "dormant", "fertile", "linear", "porous", "seasonal", "static", "vascular", "mineral",
    "tidal", "cellular", "granular", "magnetic", "chronic",
)
VERBS = (
    "absorbs", "shapes", "limits", "stores", "carries", "balances", "reduces", "triggers", "protects",
    "measures", "releases", "connects", "filters", "supports", "regulates", "transfers",
)
LINKS = ("because", "while", "so that", "whenever", "although", "as long as")
# Symbols a dump may hold: they must come back as the same text (escaped in HTML, never eaten).
SYMBOLS = ("<", ">", "&", "(about 40%)", "’s", '"quoted"', "x < y", "A&B")
EXAMPLE_OPENERS = ("Imagine", "Consider", "For example,")
TAKEAWAY_PROMPT = "Key takeaway"  # the English label of ankiexport.extract.takeaways.UNLED_PROMPT
SUBJECTS = ("Biology", "Geography", "Physics", "Medicine", "Chemistry", "Engineering")


def pseudo_word(number: int) -> str:
    """A made-up, pronounceable word unique to ``number`` ("Bavo", "Kelimu"…): unique titles."""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    syllables = []
    number += 7  # at least two syllables
    while number:
        number, rest = divmod(number, len(consonants) * len(vowels))
        syllables.append(consonants[rest // len(vowels)] + vowels[rest % len(vowels)])
    return "".join(syllables).capitalize()


# --- spec ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """A lead and its text: a definition, key point, led takeaway or FAQ (``lead`` None: unled)."""

    lead: str | None
    text: str


@dataclass(frozen=True)
class ChapterSpec:
    heading: str
    intro: str  # the opening paragraph (a sentence, never a colon): a chapter note's back
    definitions: tuple[Pair, ...] = ()
    list_intro: str = ""  # "…includes:" before the bullets
    keypoints: tuple[Pair, ...] = ()
    plain_bullets: tuple[str, ...] = ()  # bullets with no lead: no item of their own
    example: str = ""  # "Imagine…": joins a definition, or makes a chapter note
    example_at: int = 0  # how many definitions come before the example
    filler: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleSpec:
    title: str  # Title Case
    subject: str
    lead: str
    chapters: tuple[ChapterSpec, ...]
    takeaways: tuple[Pair, ...] = ()
    faqs: tuple[tuple[str, tuple[str, ...]], ...] = ()  # question, answer lines
    quiz: tuple[str, ...] = ()
    lowercase_title: bool = True  # the dump's first line is the title in lower case, as in the seed
    reading_minutes: int = 7


@dataclass(frozen=True)
class ExpectedItem:
    kind: str
    chapter: tuple[str, ...]
    line: int  # 1-based line in the text rendering
    front: str  # term or question, plain text
    back: str  # definition or answer, plain text ("" for quiz items)
    example: str = ""


# --- random specs (benchmarks, batches) ------------------------------------------------------------


def _words(rng: Chooser, low: int, high: int) -> list[str]:
    out = []
    for _ in range(rng.randint(low, high)):
        out.append(rng.choice(ADJECTIVES) + " " + rng.choice(NOUNS) if rng.random() < 0.3 else rng.choice(NOUNS))
    return out


def sentence(rng: Chooser, length: int = 1, symbols: bool = False, used: set[str] | None = None) -> str:
    """``length`` clauses of made-up prose ending in a full stop; no colon, never a heading.

    With ``used``, never one given before: a page repeating a long paragraph is a layout quirk the
    reader drops (heuristics.REPEAT_MIN_WORDS), not content."""
    clauses = []
    for _ in range(max(1, length)):
        subject, obj = rng.choice(NOUNS), " ".join(_words(rng, 1, 3))
        clause = f"the {rng.choice(ADJECTIVES)} {subject} {rng.choice(VERBS)} the {obj}"
        if symbols and rng.random() < 0.2:
            clause += f" {rng.choice(SYMBOLS)}"
        clauses.append(clause)
    text = f" {rng.choice(LINKS)} ".join(clauses)
    text = text[0].upper() + text[1:]
    return (_unique(text, used) if used is not None else text) + "."


def example_sentence(rng: Chooser, used: set[str] | None = None) -> str:
    body = sentence(rng, 2, used=used)
    return f"{rng.choice(EXAMPLE_OPENERS)} {body[0].lower()}{body[1:]}"


def _unique(text: str, used: set[str]) -> str:
    """``text``, or ``text`` plus a made-up word when taken (unique by construction: no retry loop)."""
    number = len(used)
    while text in used:
        text, number = f"{text} {pseudo_word(number)}", number + 1
    used.add(text)
    return text


def _term(rng: Chooser, used: set[str]) -> str:
    words = [rng.choice(ADJECTIVES), rng.choice(NOUNS)]
    if rng.random() < 0.4:
        words.append(rng.choice(NOUNS))
    return _unique(" ".join(w.capitalize() for w in words), used)


def random_spec(rng: Chooser, index: int, *, size: float = 1.0) -> ArticleSpec:
    """A seed-like article; ``index`` makes the title unique, ``size`` scales its length."""
    used: set[str] = set()
    title = f"{pseudo_word(index)} {rng.choice(NOUNS).capitalize()}"
    scale = max(0.2, size)
    chapters = []
    for _ in range(max(1, round(rng.randint(2, 8) * scale))):
        heading = _unique(f"{_term(rng, used)} {rng.choice(('Basics', 'in Practice', 'Explained', 'Methods'))}", used)
        definitions = tuple(Pair(_term(rng, used), sentence(rng, rng.randint(1, 3), True, used=used))
                            for _ in range(rng.choice((0, 0, 1, 1, 2))))
        keypoints = tuple(Pair(_term(rng, used), sentence(rng, rng.randint(1, 2), True, used=used))
                          for _ in range(rng.choice((0, 0, 2, 3, 4))))
        plain = tuple(sentence(rng, used=used) for _ in range(rng.choice((0, 0, 2))))
        chapters.append(ChapterSpec(
            heading=heading,
            intro=sentence(rng, rng.randint(2, 4), True, used=used),
            definitions=definitions,
            list_intro=f"The {rng.choice(NOUNS)} of {title} includes:" if keypoints or plain else "",
            keypoints=keypoints,
            plain_bullets=plain,
            example=example_sentence(rng, used) if rng.random() < 0.6 else "",
            example_at=rng.randint(0, len(definitions)),
            filler=tuple(sentence(rng, rng.randint(3, 8), True, used=used) for _ in range(rng.randint(0, 3))),
        ))
    takeaways = tuple(Pair(_term(rng, used) if rng.random() < 0.8 else None, sentence(rng, 2, used=used))
                      for _ in range(rng.randint(2, 6)))
    faqs = tuple((f"{q}?", tuple(sentence(rng, rng.randint(2, 4), True, used=used)
                                 for _ in range(rng.choice((1, 1, 2)))))
                 for q in _questions(rng, title, rng.randint(1, 5), used))
    quiz = tuple(f"{q}?" for q in _questions(rng, title, rng.randint(0, 4), used))
    return ArticleSpec(title=title, subject=rng.choice(SUBJECTS), lead=sentence(rng, 3, used=used),
                       chapters=tuple(chapters), takeaways=takeaways, faqs=faqs, quiz=quiz,
                       lowercase_title=rng.random() < 0.7, reading_minutes=rng.randint(3, 15))


def _questions(rng: Chooser, title: str, count: int, used: set[str]) -> list[str]:
    return [_unique(f"How does the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} of {title} {rng.choice(VERBS)[:-1]} "
                    f"the {rng.choice(NOUNS)}", used) for _ in range(count)]


# --- text rendering --------------------------------------------------------------------------------

INDENT = "      "


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, text: str = "", indent: str = INDENT) -> int:
        """Append a line; return its 1-based number."""
        self.lines.append(f"{indent}{text}" if text else "")
        return len(self.lines)

    def para(self, text: str) -> int:
        """A paragraph with a blank line after it."""
        number = self.add(text)
        self.add()
        return number


@dataclass
class Rendered:
    text: str
    expected: list[ExpectedItem] = field(default_factory=list)


def _plain(text: str) -> str:
    return " ".join(text.split())


def render(spec: ArticleSpec) -> Rendered:
    """The text dump and the items the parser must find in it."""
    out = _Lines()
    items: list[ExpectedItem] = []
    out.add(spec.title.lower() if spec.lowercase_title else spec.title, indent="")
    out.add()
    # The title in its own capitals: a lower-case title line takes them from the body.
    out.add(f"This article is about {spec.title}. {spec.lead}", indent="")
    out.add()
    for chrome in ("Get started", "", "Millions of flashcards designed to help you ace your studies", "",
                   "Sign up for free", "", "StudySmarter Editorial Team", "", f"Team {spec.title.lower()} Teachers",
                   ""):
        out.add(chrome, indent="")
    out.add(f"  • {spec.reading_minutes} minutes reading time", indent="")
    out.add("  • Checked by StudySmarter Editorial Team", indent="")
    out.add("Save Article Save Article", indent="")
    out.add("Contents", indent="")
    out.add("Table of contents", indent="")
    out.add()
    out.add("    Jump to a key chapter", indent="")
    out.add()
    for chapter in spec.chapters:
        path = (chapter.heading,)
        heading_line = out.para(chapter.heading)
        out.para(chapter.intro)
        definitions: list[ExpectedItem] = []
        example_line = 0
        for index, pair in enumerate(chapter.definitions):
            if chapter.example and index == chapter.example_at:
                example_line = out.para(chapter.example)
            line = out.para(f"{pair.lead}: {pair.text}")
            definitions.append(ExpectedItem("definition", path, line, pair.lead or "", _plain(pair.text)))
        if chapter.example and not example_line:
            example_line = out.para(chapter.example)
        if chapter.list_intro:
            out.add(chapter.list_intro)
            out.add()
            for pair in chapter.keypoints:
                line = out.add(f"• {pair.lead}: {pair.text}")
                items.append(ExpectedItem("keypoint", path, line, pair.lead or "", _plain(pair.text)))
            for bullet in chapter.plain_bullets:
                out.add(f"• {bullet}")
            out.add()
        for paragraph in chapter.filler:
            out.para(paragraph)
        if chapter.example:
            if definitions:
                target = chapter.example_at - 1 if chapter.example_at > 0 else 0
                definitions[target] = _with_example(definitions[target], chapter.example)
            else:
                items.append(ExpectedItem("chapter", path, heading_line, chapter.heading, _plain(chapter.intro),
                                          _plain(chapter.example)))
        items.extend(definitions)
    if spec.takeaways:
        out.add(f"{spec.title.lower()} - Key takeaways")
        out.add()
        for number, pair in enumerate(spec.takeaways, start=1):
            if pair.lead:
                line = out.add(f"• {pair.lead}: {pair.text}")
                items.append(ExpectedItem("takeaway", ("Key takeaways",), line, pair.lead, _plain(pair.text)))
            else:
                line = out.add(f"• {pair.text}")
                items.append(ExpectedItem("takeaway", ("Key takeaways",), line,
                                          f"{TAKEAWAY_PROMPT} — {spec.title} ({number})", _plain(pair.text)))
    if spec.faqs:
        out.add(f"Frequently Asked Questions about {spec.title.lower()}")
        for question, answer in spec.faqs:
            line = out.add(question)
            for answer_line in answer:
                out.add(answer_line)
            items.append(ExpectedItem("faq", ("FAQ",), line, question, " ".join(_plain(a) for a in answer)))
        out.add("Save Article")
        out.add()
    if spec.quiz:
        out.add("Test your knowledge with multiple choice flashcards")
        out.add()
        for question in spec.quiz:
            line = out.para(question)
            items.append(ExpectedItem("quiz", ("Quiz",), line, question, ""))
        out.para("Next")
    for footer in ("Discover learning materials with the free StudySmarter app", "", "Sign up for free", "1",
                   "About StudySmarter", "", "StudySmarter is a learning platform; this footer is page chrome.",
                   "", "Learn more", "StudySmarter Editorial Team", "", f"Team {spec.subject} Teachers", "",
                   "Join over 22 million students in learning with our StudySmarter App"):
        out.add(footer)
    return Rendered("\n".join(out.lines) + "\n", sorted(items, key=lambda i: (i.line, i.kind)))


def _with_example(item: ExpectedItem, example: str) -> ExpectedItem:
    joined = f"{item.example} {_plain(example)}" if item.example else _plain(example)
    return ExpectedItem(item.kind, item.chapter, item.line, item.front, item.back, joined)


def render_text(spec: ArticleSpec) -> str:
    return render(spec).text


def expected_items(spec: ArticleSpec) -> list[ExpectedItem]:
    return render(spec).expected


# --- HTML rendering --------------------------------------------------------------------------------


def render_html(spec: ArticleSpec) -> str:
    """The same article as a saved web page: nav/footer chrome around an <article> of h2 chapters."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(spec.title)} | StudySmarter</title>",
        f'<meta property="og:title" content="{e(spec.title)}">',
        f'<meta property="article:section" content="{e(spec.subject)}">', "</head><body>",
        '<header><nav><a href="/">Home</a> <a href="/signup">Sign up for free</a></nav></header>',
        "<main><article>", f"<h1>{e(spec.title)}</h1>", f"<p>This article is about {e(spec.title)}. {e(spec.lead)}</p>",
    ]
    for chapter in spec.chapters:
        parts.append(f"<h2>{e(chapter.heading)}</h2>")
        parts.append(f"<p>{e(chapter.intro)}</p>")
        for index, pair in enumerate(chapter.definitions):
            if chapter.example and index == chapter.example_at:
                parts.append(f"<p>{e(chapter.example)}</p>")
            parts.append(f"<p><strong>{e(pair.lead or '')}</strong>: {e(pair.text)}</p>")
        if chapter.example and chapter.example_at >= len(chapter.definitions):
            parts.append(f"<p>{e(chapter.example)}</p>")
        if chapter.list_intro:
            parts.append(f"<p>{e(chapter.list_intro)}</p><ul>")
            parts.extend(f"<li><strong>{e(p.lead or '')}</strong>: {e(p.text)}</li>" for p in chapter.keypoints)
            parts.extend(f"<li>{e(b)}</li>" for b in chapter.plain_bullets)
            parts.append("</ul>")
        parts.extend(f"<p>{e(p)}</p>" for p in chapter.filler)
    if spec.takeaways:
        parts.append(f"<h2>{e(spec.title)} - Key takeaways</h2><ul>")
        parts.extend(f"<li><strong>{e(p.lead)}</strong>: {e(p.text)}</li>" if p.lead else f"<li>{e(p.text)}</li>"
                     for p in spec.takeaways)
        parts.append("</ul>")
    if spec.faqs:
        parts.append(f"<h2>Frequently Asked Questions about {e(spec.title)}</h2>")
        for question, answer in spec.faqs:
            parts.append(f"<h3>{e(question)}</h3>")
            parts.extend(f"<p>{e(a)}</p>" for a in answer)
    if spec.quiz:
        parts.append("<h2>Test your knowledge with multiple choice flashcards</h2>")
        parts.extend(f"<p>{e(q)}</p>" for q in spec.quiz)
    parts += ["</article></main>",
              f"<footer><p>About StudySmarter</p><p>Team {e(spec.subject)} Teachers</p></footer>",
              "</body></html>"]
    return "\n".join(parts) + "\n"


def write_articles(folder: object, specs: Iterable[ArticleSpec], fmt: str = "txt") -> list[str]:
    """Write each spec as ``NNNNN.<fmt>`` into ``folder``; return the paths in order."""
    from pathlib import Path

    root = Path(str(folder))
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, spec in enumerate(specs):
        path = root / f"{number:05d}.{fmt}"
        path.write_text(render_text(spec) if fmt == "txt" else render_html(spec), encoding="utf-8")
        paths.append(str(path))
    return paths
