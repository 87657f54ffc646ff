"""The HTML reader on pages written here: the seed as a saved page, encodings, math, chrome, media."""

from __future__ import annotations

import html
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ankiexport import load
from ankiexport.markup import html_to_text
from ankiexport.model import Article, BlockKind, Item, Section
from ankiexport.notes import chapter_tag
from ankiexport.readers import read_bytes
from ankiexport.readers.html.media import ReadOptions
from ankiexport.readers.html.page import decode_html, parse_html

from ..conftest import SEED, run_ankiexport
from ..e2e.test_html_deck import tiny_png

# The seed's technique chapters, nested under "Techniques of Neuromuscular Therapy" in the saved page.
TECHNIQUES = "Techniques of Neuromuscular Therapy"
NESTED = ("Soft Tissue Manipulation", "Trigger Point Therapy", "Neurosomatic Integration")
SECTION_HEADINGS = {
    Section.TAKEAWAYS: "{title} - Key takeaways",
    Section.FAQ: "Frequently Asked Questions about {title}",
    Section.QUIZ: "Test your knowledge with multiple choice flashcards",
}


def seed_as_saved_page(article: Article) -> str:
    """The seed's text in markup of our own: a site header, nav, cookie banner, share bar and footer
    around an <article> whose chapters are <h2>, the technique chapters <h3>, lists <ul>, leads <strong>."""
    out = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(article.title)} | Study Site</title>",
        "<meta property='article:section' content='Medicine'>",
        "<script>window.tracking = true;</script><style>p { color: red }</style></head><body>",
        "<header class='site-header'><a href='/'>Study Site</a><form><input name='q'></form></header>",
        "<nav><ul><li><a href='/a'>Sign up for free</a></li><li><a href='/b'>Biology</a></li></ul></nav>",
        "<div class='cookie-banner'><p>We use cookies: Accept all cookies to continue using this site.</p></div>",
        f"<main><article><h1>{html.escape(article.title)}</h1>",
        "<div class='share-buttons'><a href='https://example.org/share'>Share on social media</a></div>",
    ]
    section = Section.INTRO
    in_list = False
    for block in article.blocks:
        if block.kind is not BlockKind.BULLET and in_list:
            out.append("</ul>")
            in_list = False
        if block.section is not section:
            section = block.section
            if section in SECTION_HEADINGS:
                out.append(f"<h2>{html.escape(SECTION_HEADINGS[section].format(title=article.title))}</h2>")
        if block.kind is BlockKind.HEADING:
            level = 3 if block.text in NESTED else 2
            out.append(f"<h{level}>{block.html}</h{level}>")
        elif block.kind is BlockKind.BULLET:
            if not in_list:
                out.append("<ul>")
                in_list = True
            lead, sep, rest = block.html.partition(": ")
            out.append(f"<li><strong>{lead}</strong>: {rest}</li>" if sep and len(lead.split()) <= 6
                       else f"<li>{block.html}</li>")
        elif block.section is Section.FAQ and block.text.endswith("?"):
            out.append(f"<h3>{block.html}</h3>")
        else:
            out.append(f"<p>{block.html}</p>")
    if in_list:
        out.append("</ul>")
    out += ["</article></main>",
            "<aside><h2>Related articles</h2><p>Anatomy: The study of the structure of living things.</p></aside>",
            "<footer><p>About Study Site: We help students learn every day.</p></footer></body></html>"]
    return "\n".join(out)


def comparable(items: list[Item] | tuple[Item, ...]) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """Items as text, without source lines and chapters (the page nests chapters the dump cannot, and
    its <strong> leads are formatting the dump does not have)."""
    return [(i.kind, i.key.split("::")[-1],
             tuple(sorted((k, " ".join(html_to_text(v).split())) for k, v in i.fields().items())))
            for i in items]


@pytest.fixture(scope="module")
def seed_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Item], list[Item], Path]:
    text = load(SEED)
    page = tmp_path_factory.mktemp("seed") / "neuromuscular-therapy.html"
    page.write_text(seed_as_saved_page(text.article), encoding="utf-8")
    return list(text.items), list(load(page).items), page


def test_saved_seed_gives_the_same_items_as_the_text_dump(
        seed_pair: tuple[list[Item], list[Item], Path]) -> None:
    text_items, html_items, page = seed_pair
    assert comparable(html_items) == comparable(text_items)
    article = load(page).article
    assert article.title == "Neuromuscular Therapy" and article.subject == "Medicine"
    assert article.language == "en"


def test_saved_seed_nests_chapters_by_heading_level(seed_pair: tuple[list[Item], list[Item], Path]) -> None:
    text_items, html_items, page = seed_pair
    for text_item, html_item in zip(text_items, html_items, strict=True):
        if text_item.chapter and text_item.chapter[0] in NESTED:
            assert html_item.chapter == (TECHNIQUES, *text_item.chapter)
        else:
            assert html_item.chapter == text_item.chapter
    soft = next(i for i in html_items if i.kind == "definition" and i.chapter[-1] == "Soft Tissue Manipulation")
    assert chapter_tag("Neuromuscular Therapy", soft.chapter) == \
        "Neuromuscular_Therapy::Techniques_of_Neuromuscular_Therapy::Soft_Tissue_Manipulation"
    chapters = load(page).article.chapters
    assert [c.path for c in chapters if c.level == 2] == [(TECHNIQUES, title) for title in NESTED]


def test_saved_seed_drops_the_page_chrome(seed_pair: tuple[list[Item], list[Item], Path]) -> None:
    _, _, page = seed_pair
    article = load(page).article
    text = " ".join(b.text for b in article.blocks)
    for chrome in ("Sign up for free", "cookies", "Share on social media", "Related articles", "Anatomy",
                   "About Study Site", "tracking", "color: red"):
        assert chrome not in text


def test_saved_seed_builds_with_nested_tags(seed_pair: tuple[list[Item], list[Item], Path], tmp_path: Path) -> None:
    _, _, page = seed_pair
    done = run_ankiexport("inspect", page, "--json")
    assert done.returncode == 0, done.stderr
    assert "Techniques of Neuromuscular Therapy › Soft Tissue Manipulation" in done.stdout


# --- Encodings ---------------------------------------------------------------------------------

PAGE = "<html><head>{meta}<title>Umlaute</title></head><body><h2>Straße</h2><p>{body}</p></body></html>"
GERMAN = "Größe: Die Maße eines Körpers – in Länge, Breite und Höhe gemessen."


@pytest.mark.parametrize(("meta", "encoding"), [
    ('<meta charset="utf-8">', "utf-8"),
    ('<meta charset="ISO-8859-1">', "cp1252"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "cp1252"),
    ('<meta charset="latin1">', "cp1252"),
    ("", "utf-8"),  # nothing declared: UTF-8 when the bytes are UTF-8
    ("", "cp1252"),  # …else windows-1252
])
def test_declared_and_undeclared_encodings(meta: str, encoding: str) -> None:
    data = PAGE.format(meta=meta, body=GERMAN).encode(encoding)
    article = read_bytes(data, "page.html")
    assert article.title == "Umlaute"
    assert [i.term for i in load_items(article)] == ["Größe"]
    assert GERMAN in [b.text for b in article.blocks]


def load_items(article: Article) -> list[Item]:
    from ankiexport.extract import extract
    return [i for i in extract(article) if i.kind == "definition"]


def test_boms_and_undecodable_bytes() -> None:
    body = PAGE.format(meta="", body=GERMAN)
    assert GERMAN in decode_html(b"\xef\xbb\xbf" + body.encode("utf-8"))
    assert GERMAN in decode_html(b"\xff\xfe" + body.encode("utf-16-le"))
    assert GERMAN in decode_html(b"\xfe\xff" + body.encode("utf-16-be"))
    # Declared UTF-8 with stray Latin-1 bytes: replaced, never an error.
    broken = PAGE.format(meta='<meta charset="utf-8">', body="caf\xe9 and more").encode("latin-1")
    assert "caf\ufffd and more" in decode_html(broken)
    # Undefined windows-1252 bytes (0x81) and an unknown label.
    assert "\ufffd" in decode_html(b'<meta charset="windows-1252"><p>a\x81b</p>')
    assert "<p>ok</p>" in decode_html(b'<meta charset="no-such-charset"><p>ok</p>')
    article = read_bytes(b"<html><body><h2>T</h2><p>\xff\x9d\x81\xc3 bytes</p></body></html>", "x.html")
    assert article.blocks


# --- Titles, sections, formatting, math ------------------------------------------------------


def parse(markup: str, tmp_path: Path | None = None, options: ReadOptions | None = None) -> Article:
    folder = tmp_path or Path(".")
    return parse_html(markup.encode("utf-8"), "page.html", folder / "page.html", options or ReadOptions())


def test_title_sources_in_order() -> None:
    assert parse('<meta property="og:title" content="From OG"><title>T | Site</title><h1>H</h1>').title == "From OG"
    assert parse("<title>Tab Title | Site</title><h1>Heading One</h1>").title == "Heading One"
    assert parse("<title>Photosynthesis | My Study Site</title><p>x</p>").title == "Photosynthesis"
    assert parse("<title>Gregory's Home | A Long Essay On Python Three</title>").title == \
        "A Long Essay On Python Three"
    assert parse("<title>Photosynthesis - Definition, Process and Equation</title>").title == \
        "Photosynthesis - Definition, Process and Equation"


def test_title_is_the_headline_not_the_logo_or_the_site() -> None:
    # An <h1> that is only a link home is the site's logo.
    assert parse('<h1><a href="/">Hola, soy Nicolás.</a></h1><h1>Las mareas vivas</h1>').title == "Las mareas vivas"
    assert parse('<h1><a href="https://blog.example/">Mein Blog</a></h1><p>x</p>'
                 "<title>Die Gezeiten | Mein Blog</title>").title == "Die Gezeiten"
    # An og:title that names the site (its app) is not the page's title.
    assert parse('<meta property="og:site_name" content="Lernwelt"><meta property="og:title" '
                 'content="Lernwelt: Lernhilfe und KI-Werkzeuge"><h1>Die Gezeiten</h1>').title == "Die Gezeiten"
    # The site's name before the title, after a second site-only separator, or in brackets.
    assert parse('<meta property="og:title" content="Meereswelt - Wie entstehen Gezeiten?">'
                 "<title>Wie entstehen Gezeiten? - Meereswelt</title>").title == "Wie entstehen Gezeiten?"
    assert parse("<title>Las mareas del Cantábrico » Blog del Mar - Portal de Ciencia</title>").title == \
        "Las mareas del Cantábrico"
    assert parse("<title>Weekly Edition for March 26 [Sea.net]</title>").title == "Weekly Edition for March 26"
    # …but a " - " may set off a subtitle, and one bracketed word is a label of the article.
    assert parse("<title>Tides #12 - the spring tide</title>").title == "Tides #12 - the spring tide"
    assert parse("<title>Die fünf besten Strände [Werbung]</title>").title == "Die fünf besten Strände [Werbung]"


def test_utf8_declared_as_a_legacy_charset_is_read_as_utf8() -> None:
    page = '<html><head><meta charset="gb2312"><title>Las mareas</title></head><body><p>{}</p></body></html>'
    assert "Pleamar y bajamar, dos veces al día" in decode_html(page.format("Pleamar y bajamar, dos veces al día")
                                                                .encode("utf-8"))
    # Bytes in the declared charset that are not UTF-8 follow the declaration.
    assert "潮汐" in decode_html(page.format("潮汐").encode("gb2312"))


def test_chrome_only_page_has_no_learnable_items(tmp_path: Path) -> None:
    page = tmp_path / "chrome.html"
    page.write_text("<html><head><title>Home</title><script>var x = 'Term: A definition in a script.';</script>"
                    "</head><body><nav><p>Glossary: Every term we have explained for you.</p></nav>"
                    "<div id='cookie-consent'><p>Cookies: We store small files on your device.</p></div>"
                    "<footer><p>Imprint: The company that runs this site.</p></footer></body></html>",
                    encoding="utf-8")
    assert load(page).items == ()
    done = run_ankiexport("inspect", page)
    assert done.returncode == 0 and "no learnable items found" in done.stderr
    out = tmp_path / "x.apkg"
    done = run_ankiexport("build", page, "-o", out)
    assert done.returncode == 1 and "no learnable items" in done.stderr and not out.exists()


def test_faq_from_details_and_headed_section() -> None:
    article = parse("""<title>Waves</title><h2>Frequently asked questions</h2>
        <h3>What is a wave?</h3><p>A disturbance that carries energy through a medium.</p>
        <details><summary>How fast is sound?</summary><p>About 343 metres per second in air.</p></details>
        <h2>Sound</h2><details><summary>Show the derivation</summary><p>Long algebra here.</p></details>""")
    from ankiexport.extract import extract
    faqs = [(i.fields()["question"], i.fields()["answer"]) for i in extract(article) if i.kind == "faq"]
    assert faqs == [("What is a wave?", "A disturbance that carries energy through a medium."),
                    ("How fast is sound?", "<p>About 343 metres per second in air.</p>")]
    assert "Show the derivation" in [b.text for b in article.blocks]  # not a question: ordinary content


def test_quiz_json_ld_options_and_explanation() -> None:
    article = parse("""<title>Chemistry</title><script type="application/ld+json">
        {"@context": "https://schema.org", "@type": "Quiz", "hasPart": [
          {"@type": "Question", "eduQuestionType": "Multiple choice", "text": "Which gas do plants take in?",
           "suggestedAnswer": [{"@type": "Answer", "position": 0, "text": "Oxygen"},
                               {"@type": "Answer", "position": 2, "text": "Nitrogen"}],
           "acceptedAnswer": {"@type": "Answer", "position": 1, "text": "Carbon dioxide",
                              "answerExplanation": {"@type": "Comment", "text": "Used in <b>photosynthesis</b>."}}},
          {"@type": "Question", "text": "Is water H<sub>2</sub>O?",
           "suggestedAnswer": {"@type": "Answer", "text": "No"}, "acceptedAnswer": {"@type": "Answer", "text": "Yes"}}
        ]}</script>""")
    quiz = [i for i in article.structured if i.kind == "quiz"]
    assert [q.fields() for q in quiz] == [
        {"question": "Which gas do plants take in?", "options": "Oxygen\nCarbon dioxide\nNitrogen",
         "correct": "B", "explanation": "Used in <b>photosynthesis</b>."},
        {"question": "Is water H2O?", "options": "No\nYes", "correct": "B", "explanation": ""},
    ]


def test_broken_json_ld_is_a_warning() -> None:
    article = parse('<title>T</title><script type="application/ld+json">{"@type": "FAQPage",</script><p>x</p>')
    assert any("JSON-LD" in w and "line 1" in w for w in article.warnings)


def test_formatting_that_teaches_is_kept_and_math_is_mathjax() -> None:
    article = parse(r"""<title>Physics</title><h2>Energy</h2>
        <p><b>Kinetic energy</b>: The energy of motion, $E_k = \frac{1}{2}mv^2$, with <i>m</i> the mass and
        v<sub>0</sub> the start speed; H<sub>2</sub>O has 10<sup>23</sup> molecules.</p>
        <p><b>Mass–energy</b>: Einstein's relation $$E = mc^2$$ links \(m\) and \[E\] in every case.</p>
        <p><b>Price</b>: A sandwich costs $5 and a drink $10 in the canteen here.</p>
        <p><b>Area</b>: The area of a circle is <math alttext="\pi r^2"><mi>π</mi></math> for its radius.</p>
        <pre><code>print("$x$ stays code")</code></pre>
        <table><tr><th>Body</th><td>Mass</td></tr></table>""")
    from ankiexport.extract import extract
    defs = {i.fields()["term"]: i.fields()["definition"] for i in extract(article) if i.kind == "definition"}
    assert r"\(E_k = \frac{1}{2}mv^2\)" in defs["Kinetic energy"]
    assert "<i>m</i>" in defs["Kinetic energy"] and "<sub>0</sub>" in defs["Kinetic energy"]
    assert "<sup>23</sup>" in defs["Kinetic energy"]
    assert r"\[E = mc^2\]" in defs["Mass–energy"] and r"\(m\)" in defs["Mass–energy"]
    assert r"\[E\]" in defs["Mass–energy"]
    assert "$5 and a drink $10" in defs["Price"]
    assert r"\(\pi r^2\)" in defs["Area"] and "<math" not in defs["Area"]
    blocks = [b.html for b in article.blocks]
    assert any("<pre><code>" in b and "$x$ stays code" in b for b in blocks)
    assert any("<table>" in b and "<th>Body</th>" in b for b in blocks)


def test_headings_skip_levels_and_the_title_h1_is_not_a_chapter() -> None:
    article = parse("""<title>Cells</title><h1>Cells</h1><h3>Parts</h3><h5>Membrane</h5><h4>Wall</h4>
        <h2>Division</h2><h1>Appendix</h1>""")
    assert [c.path for c in article.chapters] == [
        ("Parts",), ("Parts", "Membrane"), ("Parts", "Wall"), ("Division",), ("Appendix",)]


# --- Remote images ----------------------------------------------------------------------------

SLOW_SECONDS = 2.0


class _Images(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow.png":
            time.sleep(SLOW_SECONDS)
        body = {"/ok.png": tiny_png(b"\x01\x02\x03"), "/slow.png": tiny_png(b"\x04\x05\x06"),
                "/big.png": b"\x89PNG" + b"\x00" * 50_000, "/noext": tiny_png(b"\x07\x08\x09")}.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        if self.path != "/big.png":  # the big one does not announce its size: the cap still holds
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def image_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Images)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def remote_page(base: str) -> str:
    return (f"<title>Remote</title><h2>Dots</h2>"
            f"<p><b>Red dot</b>: A small red dot shown on the screen. <img src='{base}/ok.png'></p>"
            f"<p><b>Slow dot</b>: A dot from a server that answers slowly. <img src='{base}/slow.png'></p>"
            f"<p><b>Big dot</b>: A dot that is far larger than allowed. <img src='{base}/big.png'></p>"
            f"<p><b>Lost dot</b>: A dot that the server does not have. <img src='{base}/lost.png'></p>"
            f"<p><b>Typed dot</b>: A dot named without an extension. <img src='{base}/noext'></p>")


def test_remote_images_are_left_out_unless_fetching(image_server: str) -> None:
    article = parse(remote_page(image_server))
    assert article.media == ()
    assert sum("--fetch-media" in w for w in article.warnings) == 5
    assert f"{image_server}/ok.png" in article.warnings[0]


def test_fetch_media_downloads_with_timeout_and_size_cap(image_server: str) -> None:
    options = ReadOptions(fetch_media=True, fetch_timeout=SLOW_SECONDS / 4, fetch_max_bytes=10_000,
                          allow_private_urls=True)
    article = parse(remote_page(image_server), options=options)
    assert sorted(m.data for m in article.media) == sorted([tiny_png(b"\x01\x02\x03"), tiny_png(b"\x07\x08\x09")])
    assert all(m.name.endswith(".png") and "/" not in m.name for m in article.media)
    warnings = " | ".join(article.warnings)
    assert f"{image_server}/slow.png: download failed" in warnings
    assert f"{image_server}/big.png: download failed (larger than 10000 bytes)" in warnings
    assert f"{image_server}/lost.png: download failed" in warnings
    assert "ok.png" not in warnings


def test_cli_fetch_media_bundles_the_download(image_server: str, tmp_path: Path) -> None:
    page = tmp_path / "remote.html"
    page.write_text(f"<title>Remote</title><h2>Dots</h2><p><b>Red dot</b>: A small red dot shown on the "
                    f"screen. <img src='{image_server}/ok.png'></p>", encoding="utf-8")
    out = tmp_path / "remote.apkg"
    done = run_ankiexport("build", page, "-o", out, "--fetch-media", "--allow-private-urls")
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
    import zipfile
    with zipfile.ZipFile(out) as archive:
        assert tiny_png(b"\x01\x02\x03") in [archive.read(n) for n in archive.namelist()]
    done = run_ankiexport("build", page, "-o", out)
    assert done.returncode == 0 and "ok.png" in done.stderr and "--fetch-media" in done.stderr


def test_pathological_nesting_is_read_not_a_crash() -> None:
    deep = (b"<title>Deep</title><h2>A</h2>" + b"<div>" * 5000
            + b"<p><b>Depth</b>: A paragraph nested very deeply inside divs.</p>" + b"</div>" * 5000)
    article = read_bytes(deep, "deep.html")
    assert article.blocks[-1].text.startswith("Depth") and "deeply inside divs" in article.blocks[-1].text
    unclosed = read_bytes(b"<title>Deep</title><h2>A</h2>" + b"<b><i>" * 3000 + b"text", "deep.html")
    assert unclosed.blocks[-1].text == "text"


def test_html_without_a_known_suffix_is_sniffed() -> None:
    article = read_bytes(b"<title>Sniffed</title><h2>Part</h2><p>Some text.</p>", "saved-page")
    assert article.title == "Sniffed" and [c.title for c in article.chapters] == ["Part"]
    assert read_bytes(b"<h2>x</h2><p>y</p>", "page.htm").chapters  # the name's suffix counts


def test_lone_surrogates_in_json_ld_are_replaced() -> None:
    article = read_bytes(b'<title>T</title><script type="application/ld+json">{"@type": "FAQPage", "mainEntity": '
                         b'[{"@type": "Question", "name": "Why \\ud800?", "acceptedAnswer": {"text": "Because '
                         b'\\udfff of that."}}]}</script><p>&#xD800; x</p>', "t.html")
    assert [i.fields() for i in article.structured] == [
        {"question": "Why \ufffd?", "answer": "Because \ufffd of that."}]


def test_inline_data_images_are_bundled_and_other_data_urls_are_not() -> None:
    import base64
    png = tiny_png(b"\x01\x02\x03")
    inline = "data:image/png;base64," + base64.b64encode(png).decode()
    article = parse(f"<title>T</title><h2>C</h2><p><b>Dot</b>: A dot drawn inline in the page. <img src='{inline}'></p>"
                    "<p>Page: <img src='data:text/html,<script>alert(1)</script>'></p>")
    assert [m.data for m in article.media] == [png]
    assert f'src="{article.media[0].name}"' in article.blocks[1].html
    assert "data:" not in " ".join(b.html for b in article.blocks)
    assert any("not an image Anki shows" in w for w in article.warnings)


def test_a_page_nested_a_hundred_thousand_deep_is_read_in_linear_time(tmp_path: Path) -> None:
    """A chain of 100,000 <div>s (hostile or generated) took 35 s; twice as deep took four times as long."""
    import subprocess
    import sys

    from ..conftest import ROOT

    page = tmp_path / "deep.html"
    page.write_text("<title>Deep</title><h2>A</h2>" + "<div>" * 100_000
                    + "x<!-- note -->kept<p>more</p>" + "</div>" * 100_000, encoding="utf-8")
    script = ("import sys; from ankiexport.readers import read_article; "
              "print(read_article(sys.argv[1]).blocks[-1].text)")
    done = subprocess.run([sys.executable, "-c", script, str(page)], cwd=ROOT, capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.split() == ["x", "kept", "more"]
