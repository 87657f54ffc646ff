"""TeX that runs: no article, quiz file or manifest puts a live dangerous macro into a deck.

Anki's reviewer typesets ``\\( \\)`` and ``\\[ \\]`` with MathJax, where ``\\href{javascript:…}{x}`` runs
script on a click and ``\\style{background-image: url(…)}{x}`` loads a URL. Each entry route builds a
deck from hostile TeX and reads every field back from the .apkg; a field passes when no dangerous macro
is left in its text as a browser reads it (tags and comments dropped, entities decoded). The last tests
show the cards in Anki's own reviewer page in headless Chromium.
"""

from __future__ import annotations

import functools
import html
import http.server
import importlib.metadata
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ankiexport.ankifile.reader import Apkg, read_apkg
from ankiexport.cli import main
from ankiexport.release import ankicheck, verify
from ankiexport.sanitize import DANGEROUS_MACROS, DEFUSED_BACKSLASH, clean_html, clean_text, dangerous_tex

from ..browser import CHROMIUM

# The macros the issue names, and KaTeX's \html… family: an oracle written apart from sanitize.py's list.
LIVE_MACRO = re.compile(
    r"\\(href|url|includegraphics|style|class|cssId|data|mmlToken|unicode|require|bbox|def|newcommand|"
    r"renewcommand|let|DeclareMathOperator|newenvironment|html[A-Za-z]*)(?![A-Za-z])")
LEGIT = (r"\(\frac{a}{b}\)", r"\(\sqrt{2}\)", r"\(\mathrm{d}x\)")


def live_macros(field: str) -> list[str]:
    """Dangerous macros in a field's text read both ways a renderer may join it: tags as nothing (an
    editor's textContent) and as a space (MathJax reads a <br> as a line break)."""
    soup = BeautifulSoup(field, "html.parser")
    return LIVE_MACRO.findall(soup.get_text()) + LIVE_MACRO.findall(soup.get_text(" "))


def build_deck(tmp_path: Path, name: str, text: str) -> Apkg:
    """Write a source and build it with the CLI into a deck, read back."""
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "deck.apkg"
    done = CliRunner().invoke(main, ["build", str(source), "-o", str(out)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return read_apkg(out)


def assert_defused(apkg: Apkg, *, defused: int) -> list[str]:
    """No live dangerous macro in any field; at least ``defused`` of them reached the fields defused
    (the hostile TeX was read, not lost), and the legitimate formulas came through unchanged."""
    fields = [f for note in apkg.notes for f in note.fields]
    assert [(f, live_macros(f)) for f in fields if live_macros(f)] == []
    assert sum(f.count(DEFUSED_BACKSLASH) for f in fields) >= defused, fields
    for formula in LEGIT:
        assert any(formula in f for f in fields), (formula, fields)
    assert verify.tex_problems(apkg) == []
    return fields


HOSTILE_DUMP = r"""hostile formulas \(\href{javascript:alert(0)}{t}\)

Formulas teach, and a formula is code in Anki. Knowing this keeps students safe in their reviews.

Get started

Sign up for free

      Links in Formulas \(\cssId{qa}{x}\)

      A formula can hold links that run script when clicked, like the ones below.

      Hyperlink: A formula \(\href{javascript:alert(1)}{x}\) that runs script on a click, by \(\frac{a}{b}\).

      Remote Style: A formula \(\style{background: url(http://ae-blocked.invalid/style)}{x}\) that loads an image.

      Definitions

      Macro: A definition \(\def\a{\href{javascript:alert(2)}{x}}\a\) that hides a link, with \(\sqrt{2}\).

      Token: A token \(\mmlToken{mi}[href="javascript:alert(3)"]{x}\) with a link written as its attribute.

      hostile formulas - Key takeaways

      • Boxes: A box \(\bbox[background:url(http://ae-blocked.invalid/bbox)]{x}\) can load a remote image too.
      • Classes: A class \(\class{card}{x}\) restyles the card.
      • Fonts: A font \(\unicode[x;background:url(http://ae-blocked.invalid/u)]{x41}\) loads an image.
      Frequently Asked Questions about hostile formulas
      Can a formula run script \(\href{javascript:alert(4)}{here}\)?
      Yes: \(\newcommand{\b}{\href{javascript:alert(5)}{x}}\b\) and \(\require{html}\) do, beside \(\mathrm{d}x\).
      Save Article
"""


def test_text_dump(tmp_path: Path) -> None:
    apkg = build_deck(tmp_path, "hostile.txt", HOSTILE_DUMP)
    assert_defused(apkg, defused=12)
    # The title is every card's Source field.
    assert all(any(DEFUSED_BACKSLASH + "href{javascript:alert(0)}" in f for f in note.fields) for note in apkg.notes)


HOSTILE_PAGE = r"""<!doctype html>
<html><head><title>Hostile Formulas $\href{javascript:alert(0)}{t}$</title></head>
<body>
<h1>Hostile Formulas $\href{javascript:alert(0)}{t}$</h1>
<p>Formulas teach, and a formula is code in Anki: this page tries every way in.</p>
<h2>Dollars $\cssId{qa}{x}$</h2>
<p><strong>Hyperlink</strong>: A formula $\href{javascript:alert(1)}{x}$ that runs script when clicked, next to
$\frac{a}{b}$.</p>
<p><strong>Remote style</strong>: A formula $$\style{background-image: url(http://ae-blocked.invalid/style)}{x}$$
that loads an image.</p>
<h2>Delimiters</h2>
<p><strong>Entity</strong>: A formula \(&#92;href{javascript:alert(2)}{x}\) written with an entity, and
\(&bsol;style{color:red}{y}\).</p>
<p><strong>Comment</strong>: A formula \(\hr<!-- split -->ef{javascript:alert(3)}{x}\) split by a comment, beside
\(\sqrt{2}\).</p>
<p><strong>Tag</strong>: A formula \(\hr<span></span>ef{javascript:alert(4)}{x}\) split by a tag, and
\(\mathrm{d}x\).</p>
</body></html>
"""


def test_html_article_with_dollars_and_delimiters(tmp_path: Path) -> None:
    apkg = build_deck(tmp_path, "hostile.html", HOSTILE_PAGE)
    fields = assert_defused(apkg, defused=8)
    text = "".join(fields)
    # The reader made the page's $…$ into \(…\) and $$…$$ into \[…\]: the delimiters are live, the macros not.
    assert rf"\({DEFUSED_BACKSLASH}href{{javascript:alert(1)}}{{x}}\)" in text
    assert rf"\[{DEFUSED_BACKSLASH}style{{background-image" in text


HOSTILE_FAQ_PAGE = r"""<!doctype html>
<html><head><title>Formula Questions</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": [
 {"@type": "Question", "name": "Can a formula run script \\(\\href{javascript:alert(1)}{x}\\)?",
  "acceptedAnswer": {"@type": "Answer", "text":
   "Yes: <b>$\\style{background: url(http://ae-blocked.invalid/ld)}{x}$</b> loads one, \\(\\frac{a}{b}\\) not."}},
 {"@type": "Question", "name": "Does an entity hide a macro?",
  "acceptedAnswer": {"@type": "Answer", "text": "No: &#92;(&#92;class{card}{y}&#92;) is defused too."}},
 {"@type": "Question", "name": "Which formulas are safe, \\(\\sqrt{2}\\) or \\(\\mathrm{d}x\\)?",
  "acceptedAnswer": {"@type": "Answer", "text": "Both; \\(\\def\\a{x}\\a\\) is not."}}]}
</script></head>
<body><h1>Formula Questions</h1><p>Questions about formulas in cards, answered in the page's data.</p></body></html>
"""


def test_json_ld_faq(tmp_path: Path) -> None:
    apkg = build_deck(tmp_path, "faq.html", HOSTILE_FAQ_PAGE)
    assert_defused(apkg, defused=4)
    assert {apkg.note_type_name(n) for n in apkg.notes} == {"ankiexport Q&A"}


HOSTILE_QUIZ = r"""title: Hostile Quiz \(\href{javascript:alert(0)}{t}\)
questions:
  - question: Which formula runs script \(\href{javascript:alert(1)}{x}\), and is \(\sqrt{2}\) safe?
    chapter: Links \(\cssId{qa}{x}\)
    options:
      - \(\href{javascript:alert(2)}{a}\)
      - \(\style{background-image:url(http://ae-blocked.invalid/quiz)}{b}\)
      - \(\frac{a}{b}\)
    correct: A
    explanation: \(\def\a{\href{javascript:alert(3)}{x}}\a\) hides one behind a name; \(\mathrm{d}x\) does not.
"""


def test_quiz_file(tmp_path: Path) -> None:
    apkg = build_deck(tmp_path, "hostile.quiz.yaml", HOSTILE_QUIZ)
    assert_defused(apkg, defused=8)  # Options and Answer each list both hostile options


PLAIN_DUMP = r"""plain formulas

Formulas teach: this article holds only safe ones, and its manifest gives it a title and a deck.

      Fractions

      Fraction: A number written \(\frac{a}{b}\), one integer over another that is not zero.

      Roots: The square root \(\sqrt{2}\) is the positive number whose square is two.

      Differentials: The symbol \(\mathrm{d}x\) stands for an infinitely small change of x.
"""

HOSTILE_MANIFEST = r"""deck: Hostile \(\href{javascript:alert(0)}{deck}\)
articles:
  - plain.txt
overrides:
  plain.txt:
    title: Retitled \(\style{background-image:url(http://ae-blocked.invalid/title)}{x}\)
"""


def test_manifest_title_and_deck_name(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text(PLAIN_DUMP, encoding="utf-8")
    apkg = build_deck(tmp_path, "course.yaml", HOSTILE_MANIFEST)
    assert_defused(apkg, defused=len(apkg.notes))
    # The manifest's title is every card's Source field. Deck names reach no field and no template of
    # ankiexport's note types ({{Deck}} is not used), and Anki shows them as text.
    for note in apkg.notes:
        assert DEFUSED_BACKSLASH + "style{background-image" in apkg.field_map(note)["Source"]
    assert list(apkg.decks.values()).count(r"Hostile \(\href{javascript:alert(0)}{deck}\)") == 1


# --- the sanitiser itself -----------------------------------------------------------------------

SAFE_TEX = (
    r"\(\frac{a}{b}\)", r"\(\sqrt[3]{x}\)", r"\[\mathrm{d}x = \left( \dfrac{1}{2} \right)^{n}\]",
    r"\(\begin{pmatrix} a &amp; b \\ c &amp; d \end{pmatrix}\)",
    r"\(\operatorname{lim}_{x \to 0} \deg \lnot \leftarrow\)",
    r"\(\text{text} \color{red}{x} \ce{H2O} \mathbb{R} \urcorner \lettrine \definecolor \hrefx\)",
    r"x &lt; y &amp;&amp; \(a \le b\)<br>\(\varprojlim\) <b>\(\alpha\)</b>",
)


def test_legitimate_tex_is_kept_byte_for_byte() -> None:
    for formula in SAFE_TEX:
        assert clean_html(formula) == formula
        assert dangerous_tex(formula) == ()


def spellings(name: str) -> list[str]:
    """A macro written every way a field can hold it."""
    return [f"\\{name}", f"&#92;{name}", f"&bsol;{name}", f"&#x5C;{name}", f"\\{name[0]}<!-- -->{name[1:]}",
            f"\\<b></b>{name}", f"\\{name[:1]}<span></span>{name[1:]}", f"\\{name[0]}<wbr>{name[1:]}",
            f"\\{name[0]}\x00{name[1:]}", f"\\\\{name}", f'\\{name[0]}<abbr title="\\{name}">{name[1:]}</abbr>']


def test_every_dangerous_macro_is_defused_however_written() -> None:
    for name in (*DANGEROUS_MACROS, "htmlClass", "htmlStyle", "htmlId", "htmlData"):
        for spelling in spellings(name):
            for field in (f"\\({spelling}{{x}}{{y}}\\)", f"a {spelling}<br>{{x}}", spelling):
                cleaned = clean_html(field)
                assert live_macros(cleaned) == [], (field, cleaned)
                assert f"\\{name}" in dangerous_tex(field), field
                assert dangerous_tex(cleaned) == (), (field, cleaned)
                assert clean_html(cleaned) == cleaned
        assert clean_text(f"\\({name} \\{name}{{x}}\\)") == f"\\({name} {DEFUSED_BACKSLASH}{name}{{x}}\\)"


PIECES = st.sampled_from(["\\", "\\\\", "h", "r", "e", "f", "s", "t", "y", "l", "d", "a", "x", "{", "}", " ", "(", ")",
                          "<b>", "</b>", "<br>", "<wbr>", "<!--", "-->", "&#92;", "&bsol;", "&", "\x00", "<a title=\"",
                          "\">", "<", ">", "\\href", "\\style", "\\(", "\\)"])


@given(st.lists(PIECES, max_size=30).map("".join))
def test_no_mix_of_pieces_leaves_a_live_macro(field: str) -> None:
    cleaned = clean_html(field)
    assert live_macros(cleaned) == [], cleaned
    assert clean_html(cleaned) == cleaned


# --- Anki's own reviewer ------------------------------------------------------------------------

REVIEWER_PAGE = """<!doctype html>
<html class="" dir="ltr" data-bs-theme="light"><head><title>review</title>
<link rel="stylesheet" type="text/css" href="/_anki/css/webview.css">
<link rel="stylesheet" type="text/css" href="/_anki/css/reviewer.css"></head>
<body class="isLin">
<script>window.bridgeCommand = function (cmd) { (window.aeBridge = window.aeBridge || []).push(String(cmd)); };</script>
<script src="/_anki/js/webview.js"></script>
<script src="/_anki/js/reviewer.js"></script>
<div id="_mark" hidden>&#x2605;</div>
<div id="_flag" hidden>&#x2691;</div>
<div id="qa" dir="auto"></div>
</body></html>
"""

# Show a side as the desktop app does (aqt/reviewer.py evaluates _showQuestion, then _showAnswer), and
# wait for the reviewer's queue, which holds until MathJax has typeset the side.
SHOW = """([call, args]) => new Promise(done => { window[call](...args); _queueAction(done); })"""
# Click every element of the card through its click() (or a dispatched event where an element has none,
# as MathML's do); then each formula and link with the mouse, at its centre (below), as a student would.
CLICK_ALL = """() => {
  for (const e of document.querySelectorAll('#qa *')) {
    if (typeof e.click === 'function') e.click();
    else e.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
  }
  return Array.from(document.querySelectorAll('#qa mjx-container, #qa [href]'), e => e.getBoundingClientRect())
    .filter(r => r.width > 0 && r.height > 0 && r.top >= 0 && r.top < innerHeight)
    .map(r => [r.left + r.width / 2, r.top + r.height / 2]);
}"""


def aqt_web() -> Path:
    """aqt's web assets (reviewer.js, the MathJax config, MathJax itself), as the desktop app serves them."""
    try:
        web = Path(str(importlib.metadata.distribution("aqt").locate_file("_aqt/data/web")))
    except importlib.metadata.PackageNotFoundError:
        web = Path("/nonexistent")
    assert (web / "js" / "reviewer.js").is_file(), (
        "Anki's reviewer assets are missing: pip install --no-deps aqt (.ci/run does; its web files are all "
        "the tests use, so PyQt is not needed)")
    return web


class Reviewer:
    """Anki's reviewer page served from 127.0.0.1 with aqt's files at /_anki/, as the desktop app's media
    server does, in headless Chromium; every request elsewhere is recorded and refused."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.context = browser.new_context()
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.navigations: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.context.on("page", lambda page: self.navigations.append(f"new window {page.url}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(f"{base}/review.html")
        self.page.on("framenavigated", self._navigated)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(f"{self.base}/"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _navigated(self, frame: Any) -> None:
        # A jump to an anchor of the page itself (\eqref, \tag links) leaves nothing.
        if frame.url.split("#")[0] != f"{self.base}/review.html":
            self.navigations.append(frame.url)

    def show_and_click(self, call: str, *args: str) -> str:
        """Show a side, click all of it; the side's HTML after MathJax typeset it."""
        self.page.evaluate(SHOW, [call, list(args)])
        for x, y in self.page.evaluate(CLICK_ALL):
            self.page.mouse.click(x, y)
        self.page.wait_for_timeout(50)  # a javascript: link runs after the click, in a task of its own
        return str(self.page.evaluate("() => document.getElementById('qa').innerHTML"))

    def events(self) -> list[str]:
        """Dialogs, navigations and refused requests so far (once what is under way has come)."""
        self.page.wait_for_timeout(500)
        return self.dialogs + self.navigations + [f"request {u}" for u in self.outside]


@pytest.fixture(scope="module")
def reviewer_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("reviewer")
    (root / "review.html").write_text(REVIEWER_PAGE, encoding="utf-8")
    (root / "_anki").symlink_to(aqt_web(), target_is_directory=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install chromium (.ci/run does)"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        yield instance
        instance.close()


HOSTILE_CARD = "".join(f"<div>\\({tex}\\)</div>" for tex in (
    r"\href{javascript:alert(1)}{x}", r"\style{background-image: url(http://ae-blocked.invalid/style)}{x}",
    r"\frac{a}{b}"))


def test_the_reviewer_page_catches_hostile_tex(browser: Any, reviewer_site: str) -> None:
    """The check below can fail: shown unsanitised, the card's \\style loads its URL as the card shows
    and its \\href runs script when clicked."""
    reviewer = Reviewer(browser, reviewer_site)
    html = reviewer.show_and_click("_showQuestion", HOSTILE_CARD, HOSTILE_CARD, "card card1")
    events = reviewer.events()
    reviewer.context.close()
    assert "mjx-container" in html
    assert "alert: 1" in events
    assert "request http://ae-blocked.invalid/style" in events


def test_anki_reviewer_shows_hostile_cards_without_dialog_navigation_or_request(
        tmp_path: Path, browser: Any, reviewer_site: str) -> None:
    """Acceptance test. Decks built from the hostile text dump, HTML page, JSON-LD FAQ, quiz file and
    manifest above are imported with the official backend, which renders each card's question and answer
    (the note type's CSS included). Each is shown as the desktop app shows it: in the page aqt's Reviewer
    writes (REVIEWER_PAGE: its revHtml in webview.stdHtml, with aqt's own CSS and reviewer.js), through
    _showQuestion and _showAnswer; reviewer.js loads aqt's MathJax config and MathJax build from /_anki/.
    Every element of each side is clicked; no dialog opens, nothing navigates, no request leaves the
    page's server."""
    sides: list[tuple[str, str, str]] = []
    for name, text in (("hostile.txt", HOSTILE_DUMP), ("hostile.html", HOSTILE_PAGE), ("faq.html", HOSTILE_FAQ_PAGE),
                       ("hostile.quiz.yaml", HOSTILE_QUIZ), ("course.yaml", HOSTILE_MANIFEST)):
        folder = tmp_path / name.replace(".", "-")
        folder.mkdir()
        (folder / "plain.txt").write_text(PLAIN_DUMP, encoding="utf-8")  # the manifest's article
        deck = build_deck(folder, name, text).path
        with ankicheck.open_collection(folder / "collection.anki2") as col:
            ankicheck.import_package(col, deck)
            for card_id in sorted(col.find_cards("")):
                card = col.get_card(card_id)
                sides.append((card.question(reload=True), card.answer(), f"card card{card.ord + 1}"))
    assert len(sides) >= 15
    reviewer = Reviewer(browser, reviewer_site)
    shown = [reviewer.show_and_click("_showQuestion", question, answer, body_class)
             + reviewer.show_and_click("_showAnswer", answer) for question, answer, body_class in sides]
    events = reviewer.events()
    reviewer.context.close()
    assert events == []
    assert all("mjx-container" in html for html in shown)  # MathJax typeset every card
    assert all(DEFUSED_BACKSLASH in html for html in shown)  # and each held hostile TeX, defused


ANKI_TAGS_DUMP = r"""anki markup in prose

Card markup is code too: Anki compiles LaTeX on the desktop and plays sounds. This page writes both.

Get started

      Markup

      Compiled: A formula [latex]\immediate\write18{touch /tmp/ae-latex}[/latex] that the desktop would compile.

      Inline: A formula [$]x^2[/$] and a display one [$$]\sum_{i} i[/$$] in Anki's own brackets.

      Sound: A sound [sound:alarm.mp3] and speech [anki:tts lang=en_US]hello[/anki:tts] played on showing.

      Brackets: A list index [1] and a note [sic] stay as they are.
"""


def test_anki_field_markup_in_an_article_is_shown_as_text(tmp_path: Path, collection: Any) -> None:
    """Imported into a real collection, no field holds LaTeX Anki would compile or a sound it would
    play, and each card still shows the brackets as the article wrote them."""
    build_deck(tmp_path, "markup.txt", ANKI_TAGS_DUMP)
    ankicheck.import_package(collection, tmp_path / "deck.apkg")
    cards = [collection.get_card(cid) for cid in collection.find_cards("")]
    assert len(cards) >= 4
    for card in cards:
        for field in card.note().fields:
            assert not collection._backend.extract_latex(text=field, svg=False, expand_clozes=False).latex, field
        assert card.question_av_tags() == [] and card.answer_av_tags() == [], card.answer()
    shown = html.unescape(" ".join(card.answer() for card in cards))
    for text in ("[latex]\\immediate", "[$]x^2[/$]", "[$$]\\sum_{i} i[/$$]", "[sound:alarm.mp3]", "[1]", "[sic]"):
        assert text in shown, text
