"""Property-based tests (hypothesis): no input crashes a reader, and generated articles round-trip.

The example counts come from the hypothesis profile loaded in ``conftest.py``: few in the normal run
(``ANKIEXPORT_HYPOTHESIS=ci``, the default), many with ``ANKIEXPORT_HYPOTHESIS=thorough``.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import genanki.util
import nh3
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ankiexport.cli import main
from ankiexport.errors import AnkiexportError
from ankiexport.extract import extract
from ankiexport.model import normalise_key
from ankiexport.notes import article_notes, guid_for, tag_part
from ankiexport.readers import READERS, read_bytes
from ankiexport.release import ankicheck
from ankiexport.rules import language
from ankiexport.rules.heuristics import DEFINING_SENTENCE, HAS_COPULA
from ankiexport.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    NEEDS_CLEANING,
    URL_SCHEMES,
)

from ..seedlike import ArticleSpec, ExpectedItem, random_spec, render, render_html

T = TypeVar("T")

HAS_HTML_READER = ".html" in READERS

# Reader checks are cheap: many examples. A round trip imports into a real collection: a few.
MANY = settings(max_examples=settings.default.max_examples * 8)
FEW = settings(max_examples=max(4, settings.default.max_examples // 4), deadline=None,
               suppress_health_check=[HealthCheck.too_slow])


# --- strategies -------------------------------------------------------------------------------------


class DrawChooser:
    """Feeds the seeded article generator from hypothesis draws, so failing articles shrink."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw

    def choice(self, seq: Sequence[T]) -> T:
        return self.draw(st.sampled_from(seq))

    def randint(self, a: int, b: int) -> int:
        return self.draw(st.integers(a, b))

    def random(self) -> float:
        return self.draw(st.floats(0, 1, exclude_max=True))


@st.composite
def article_specs(draw: st.DrawFn) -> ArticleSpec:
    index = draw(st.integers(0, 10_000))
    return random_spec(DrawChooser(draw), index, size=draw(st.sampled_from((0.3, 0.6, 1.0))))


# Lines a text dump is made of: page chrome, section markers, bullets, "Term: text", questions,
# headings, emphasis, control characters and stray markup, in any order.
DUMP_LINES = st.one_of(
    st.sampled_from([
        "", "Get started", "Sign up for free", "Save Article Save Article", "Team Biology Teachers",
        "9 minutes reading time", "About StudySmarter", "Photosynthesis - Key takeaways", "Next", "1",
        "Frequently Asked Questions about photosynthesis", "Test your knowledge with multiple choice flashcards",
        "Chlorophyll: The green pigment that absorbs light for photosynthesis.", "• Lead: a key point in a bullet.",
        "• ", "•", "Imagine a leaf in the sun.", "What is a stoma?", "Core Ideas", "*", "**", "*a*", ":", "a: b",
        "<script>alert(1)</script>", "&amp; &#0; &#x110000;", "\x00", "\r", "\u2028", "\ufeff", "\ud7ff",
    ]),
    st.text(max_size=80),
    st.text(alphabet="•:*?.!-–<>&;# \tAbc\u00e9\u2013", max_size=40),
)
DUMPS = st.lists(DUMP_LINES, max_size=40).map("\n".join)


def _pipeline(data: bytes, name: str) -> None:
    """Read, extract and make notes, as ``build`` does; only the project's own errors may escape."""
    try:
        article = read_bytes(data, name, Path(name))
        article_notes(article, extract(article))
    except AnkiexportError as exc:
        assert "\n" not in str(exc) and name in str(exc)


# --- readers never crash ----------------------------------------------------------------------------


@MANY
@given(st.binary(max_size=2000))
def test_text_reader_survives_any_bytes(data: bytes) -> None:
    _pipeline(data, "fuzz.txt")


@MANY
@given(DUMPS, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_text_reader_survives_any_dump(text: str, encoding: str) -> None:
    _pipeline(text.encode(encoding, errors="surrogatepass"), "fuzz.txt")


HTML_FRAGMENTS = st.one_of(
    st.sampled_from([
        "<html>", "</html>", "<head>", "<title>T</title>", "<meta charset='latin-1'>", '<meta charset="bogus">',
        "<body>", "<h1>Title</h1>", "<h2>Chapter</h2>", "<h7>x</h7>", "<p>", "</p>", "<strong>Term</strong>: text.",
        "<dl><dt>Term</dt><dd>Definition text here.</dd></dl>", "<dfn>x</dfn>", "<details><summary>Q?</summary>A.",
        "<ul><li>", "</li></ul>", "<table><tr><td>", "<img src='../../etc/passwd'>", "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>", '<script type="application/ld+json">{"@type": "FAQPage", "mainEntity": [',
        '{"@type":"Question","name":"Q?","acceptedAnswer":{"text":"A."}}', "]}</script>", "<!--", "-->",
        "<![CDATA[", "&nbsp;", "&#0;", "$x$", "\\(a\\)", "<nav>Sign up</nav>", "<footer>", "<svg onload=x>",
    ]),
    st.text(max_size=40),
)
HTML_PAGES = st.lists(HTML_FRAGMENTS, max_size=40).map("".join)


@pytest.mark.skipif(not HAS_HTML_READER, reason="no HTML reader in this build")
@MANY
@given(st.binary(max_size=2000))
def test_html_reader_survives_any_bytes(data: bytes) -> None:
    _pipeline(data, "fuzz.html")


@pytest.mark.skipif(not HAS_HTML_READER, reason="no HTML reader in this build")
@MANY
@given(HTML_PAGES, st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
def test_html_reader_survives_any_markup(page: str, encoding: str) -> None:
    _pipeline(page.encode(encoding, errors="replace"), "fuzz.html")


# --- the speed-ups agree with what they replace -----------------------------------------------------


def _nh3(fragment: str) -> str:
    """nh3 itself with the project's rules."""
    return nh3.clean(fragment, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES, url_schemes=set(URL_SCHEMES),
                     link_rel="noopener noreferrer", strip_comments=True)


def test_nh3_gives_escaped_text_back_unless_it_holds_what_the_html_reader_checks_for() -> None:
    # The premise of the HTML reader's plain writer (readers.fragments.rewrites_escaped): every other
    # character, and "&", "<" and ">" as escaping writes them (also where a name follows: "&amp;lt;"),
    # comes back as it went in, also between the "<br>" it writes.
    plain = "".join(chr(c) for c in range(0x110000)
                    if not (0xD800 <= c <= 0xDFFF) and chr(c) not in "\r\x00\xa0")
    for text in (plain, "&amp;lt;&lt;gt;&gt;amp;&", "<b>x</b><!-- c --><script>alert(1)</script>"):
        escaped = html.escape(text, quote=False)
        assert _nh3(escaped) == escaped
        assert _nh3(f"<br>{escaped}<br><br>{escaped}<br>") == f"<br>{escaped}<br><br>{escaped}<br>"


@MANY
@given(st.text(max_size=80))
def test_guid_for_agrees_with_genanki(text: str) -> None:
    assert guid_for(text) == genanki.util.guid_for(text)


WHITESPACE = "".join(chr(c) for c in range(0x110000) if re.fullmatch(r"\s", chr(c)))


@MANY
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
       | st.text(alphabet=st.sampled_from("aB ß\u0130" + WHITESPACE + "<>&\r\x00\xa0_:\""), max_size=30))
def test_fast_paths_agree_with_the_regular_expressions(text: str) -> None:
    # model.normalise_key (which every GUID goes through) and notes.tag_part avoid re for speed.
    assert normalise_key(text) == re.sub(r"\s+", " ", text).strip().casefold()
    assert tag_part(text) == _regex_tag_part(text)


def _regex_tag_part(text: str) -> str:
    return re.sub(r'[\s"]+', "_", text.strip().replace("::", ":")).strip("_") or "_"


def test_fast_paths_agree_on_every_character() -> None:
    for c in map(chr, range(0x110000)):
        assert normalise_key(f" {c}x{c}{c}y{c}") == re.sub(r"\s+", " ", f" {c}x{c}{c}y{c}").strip().casefold()
    every = "x".join(map(chr, range(0x110000)))  # one call: each character, between letters
    assert tag_part(every) == _regex_tag_part(every)
    assert tag_part(f' _"{every}" :') == _regex_tag_part(f' _"{every}" :')


def test_clean_html_pre_check_covers_every_character_nh3_rewrites() -> None:
    plain = "".join(chr(c) for c in range(0x110000)
                    if not (0xD800 <= c <= 0xDFFF) and not NEEDS_CLEANING.search(chr(c)))
    assert nh3.clean(plain) == plain


COPULA_SENTENCE = st.tuples(
    st.sampled_from(["A virus", "Der Prozess", "La file", "El sistema", "It", "x"]),
    st.sampled_from([" is ", " IS ", " ıs ", "\tist\n", " es ", "is", " sind", " son  ", " was ", "  "]),
    st.sampled_from(["a thing that does much work.", "the core of the matter here.", "eine Art von Dingen.", ""]),
).map("".join)


@MANY
@given(COPULA_SENTENCE | st.text(max_size=30))
def test_copula_shortcut_never_hides_a_defining_sentence(sentence: str) -> None:
    if DEFINING_SENTENCE.fullmatch(sentence):
        assert HAS_COPULA.search(sentence)


@pytest.mark.parametrize(("text", "lang"), [
    ("The cell is the smallest unit of life.", "en"),
    ("Die Zelle ist die kleinste Einheit des Lebens.", "de"),
    ("La cellule est l'unité du vivant.", "fr"),
    ("El sistema es una parte del cuerpo.", "es"),
    ("Pflanzen wachsen schön", "de"),  # no stop word: a letter decides
    ("«Ça» (bien)", "fr"),
])
def test_language_vote(text: str, lang: str) -> None:
    assert language.detect_language(text) == lang


def test_language_vote_falls_back_to_the_default() -> None:
    assert language.detect_language("Zebra 42", default="fr") == "fr"
    assert language.detect_language("Der Hund und die Katze. The end.", sample_words=3) == "de"


def test_a_long_page_is_decided_by_its_start() -> None:
    german = "Die Zelle ist die kleinste Einheit des Lebens und sie wird oft untersucht. " * 40
    english = "The cell is the smallest unit of life, and it is often studied by the class. " * 400
    assert len(german.split()) >= language.LANGUAGE_SAMPLE_WORDS
    assert language.detect_language(german + english) == "de"
    assert language.detect_language(english + german) == "en"


# --- round trip: inspect → build → verify -----------------------------------------------------------


def _plain(fragment: str) -> str:
    text = re.sub(r"<[^>]*>", "", fragment.replace("<br>", " "))
    return " ".join(html.unescape(text).split())


def _found(item: dict[str, Any]) -> tuple[str, str, int, str, str, str]:
    fields = item["fields"]
    return (item["kind"], item["chapter"], item["line"], fields.get("term") or fields.get("question", ""),
            _plain(fields.get("definition") or fields.get("answer") or ""), _plain(fields.get("example", "")))


def _generated(item: ExpectedItem) -> tuple[str, str, int, str, str, str]:
    return (item.kind, " › ".join(item.chapter), item.line, item.front, item.back, item.example)


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _noted(expected: list[ExpectedItem], data: dict[str, Any]) -> list[ExpectedItem]:
    """The items that become notes: quiz questions no passage clearly answers are skipped (inspect says so)."""
    skipped = {i["fields"]["question"] for i in data["items"] if i.get("status") == "skipped"}
    return [i for i in expected if not (i.kind == "quiz" and i.front in skipped)]


def _build_verify_import(article: Path, tmp: Path, expected: list[ExpectedItem]) -> None:
    """build → verify (structure, and a real import when the anki package is there) → import and count."""
    deck = tmp / "deck.apkg"
    done = _invoke("build", str(article), "-o", str(deck))
    assert done.exit_code == 0, done.output
    done = _invoke("verify", str(deck))
    assert done.exit_code == 0, done.output
    with ankicheck.open_collection(tmp / "collection.anki2") as col:
        counts = ankicheck.import_package(col, deck)
        notes = ankicheck.stored_notes(col, render=False)
    assert counts.new == len(expected) and counts.conflicting == 0 and counts.empty_first_field == 0
    fronts = sorted(_plain(next(iter(n.fields.values()))) for n in notes)
    assert fronts == sorted(i.front for i in expected)


@FEW
@given(article_specs())
def test_text_round_trip_inspect_build_verify(spec: ArticleSpec) -> None:
    rendered = render(spec)
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "article.txt"
        article.write_text(rendered.text, encoding="utf-8")
        done = _invoke("inspect", str(article), "--json")
        assert done.exit_code == 0, done.output
        data = json.loads(done.stdout)
        assert data["title"] == spec.title and data["subject"] == spec.subject
        assert sorted(_found(i) for i in data["items"]) == sorted(_generated(i) for i in rendered.expected)
        _build_verify_import(article, Path(tmp), _noted(rendered.expected, data))


@pytest.mark.skipif(not HAS_HTML_READER, reason="no HTML reader in this build")
@FEW
@given(article_specs())
def test_html_round_trip_inspect_build_verify(spec: ArticleSpec) -> None:
    """The same article as a web page gives the same items (an HTML page has no dump line numbers)."""
    generated = render(spec).expected
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "article.html"
        article.write_text(render_html(spec), encoding="utf-8")
        done = _invoke("inspect", str(article), "--json")
        assert done.exit_code == 0, done.output
        data = json.loads(done.stdout)
        assert data["title"] == spec.title and data["subject"] == spec.subject
        assert (sorted(_found(i)[:2] + _found(i)[3:] for i in data["items"])
                == sorted(_generated(i)[:2] + _generated(i)[3:] for i in generated))
        _build_verify_import(article, Path(tmp), _noted(generated, data))
