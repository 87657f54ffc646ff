"""HTML articles built into decks and imported with the official Anki backend: safety and media."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from ankiexport import build
from ankiexport.ankifile.reader import media_files, read_apkg
from ankiexport.release import ankicheck

from ..conftest import run_ankiexport

# Every trick an article might use to run script inside Anki's webview.
XSS_ARTICLE = """<!doctype html>
<html><head><title>Safe Chemistry</title>
<style>body { background: url("javascript:alert(1)") }</style>
<script>alert("head")</script></head>
<body>
<h1>Safe Chemistry</h1>
<h2>Acids</h2>
<p><strong>Acid</strong>: A substance that donates protons <script>alert(1)</script>to other substances.</p>
<p><b>Base</b> – A substance that accepts protons <img src=x onerror="alert(2)"> from an acid in water.</p>
<p><b>Buffer</b>: A solution <svg onload="alert(3)"><circle r="1"/></svg> that resists changes of its pH value.</p>
<p><b>Salt</b>: The product of <a href="javascript:alert(4)">an acid</a> reacting with <a
href="JaVaScRiPt:alert(5)">a base</a> here.</p>
<p><b>Titration</b>: A method <a href="jav&#x61;script&#58;alert(6)">to measure</a> an unknown concentration
precisely.</p>
<p><b>Indicator</b>: A dye <span style="width: expression(alert(7))">that changes</span> colour with the pH
of water.</p>
<p><b>Solvent</b>: A liquid <IMG SRC="javascript:alert(8)"> <iframe src="https://example.org"></iframe>that
dissolves a solute well.</p>
<p><b>Solute</b>: A substance <object data="x.swf"></object><embed src="x.swf"> dissolved in a solvent to
form a solution.</p>
<p><b>Molarity</b>: Moles of solute <a
href="data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==">per</a> litre of the whole solution.</p>
<p><b>Neutral</b>: Neither acidic nor basic <ScRiPt>alert(10)</ScRiPt><div onclick="alert(11)">at a pH of
seven.</div></p>
<h2>FAQ</h2>
<details><summary>Why is <img src=y onerror=alert(12)> water neutral?</summary>
<p>Because it holds as many hydronium <math><mi>x</mi></math> as hydroxide ions
&lt;script&gt;alert(13)&lt;/script&gt;.</p></details>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Quiz", "hasPart": [{
 "@type": "Question", "text": "Which pH is acidic?",
 "suggestedAnswer": [{"@type": "Answer", "text": "<b onmouseover=alert(14)>pH 9</b>"}],
 "acceptedAnswer": {"@type": "Answer", "text": "pH 3<script>alert(15)<\\/script>",
   "answerExplanation": {"@type": "Comment", "text": "<a href='javascript:alert(16)'>Below 7</a> is acidic."}}}]}
</script>
</body></html>
"""

DANGEROUS_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "link", "meta", "base", "form",
                  "frame", "frameset", "applet", "template"}
SAFE_URL = re.compile(r"^(https?:|mailto:|[^:]*$)", re.IGNORECASE)


def executable_content(field: str) -> list[str]:
    """What in one stored field could run: dangerous tags, on* handlers, style, script URLs."""
    found = []
    soup = BeautifulSoup(field, "html.parser")
    for tag in soup.find_all(True):
        if tag.name in DANGEROUS_TAGS:
            found.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(f"{tag.name}[{name}]")
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href", "data") \
                    and not SAFE_URL.match(text.strip()):
                found.append(f"{tag.name}[{name}={text}]")
    if re.search(r"javascript\s*:", soup.get_text(), re.IGNORECASE) and "<a" in field.lower():
        found.append("javascript: text in a link")
    return found


def test_xss_article_imports_with_no_executable_field(tmp_path: Path, collection: Any) -> None:
    article = tmp_path / "xss.html"
    article.write_text(XSS_ARTICLE, encoding="utf-8")
    out = tmp_path / "xss.apkg"
    done = run_ankiexport("build", article, "-o", out, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert done.returncode == 0, done.stderr
    ankicheck.import_package(collection, out)
    notes = ankicheck.stored_notes(collection)
    terms = {n.fields.get("Term") for n in notes}
    assert {"Acid", "Base", "Buffer", "Salt", "Titration", "Indicator", "Solvent", "Molarity",
            "Neutral"} <= terms
    kinds = {t for n in notes for t in n.tags if t.startswith("kind::")}
    assert {"kind::definition", "kind::faq", "kind::quiz"} <= kinds
    for note in notes:
        for name, value in note.fields.items():
            assert executable_content(value) == [], (note.fields, name)
            assert "alert(" not in value or "&lt;script&gt;" in value, (name, value)
    quiz = next(n for n in notes if n.note_type == "ankiexport Quiz")
    assert "pH 3" in quiz.fields["Answer"] and "Below 7" in quiz.fields["Explanation"]
    faq = next(n for n in notes if n.note_type == "ankiexport Q&A")
    assert faq.fields["Question"] == "Why is water neutral?"
    assert "&lt;script&gt;" in faq.fields["Answer"]  # escaped text stays visible text


def test_the_checker_catches_what_it_must() -> None:
    assert executable_content('<img src="x.png" onerror="alert(1)">') == ["img[onerror]"]
    assert executable_content('<a href="javascript:alert(1)">x</a>')
    assert executable_content("<svg></svg><script></script>") == ["<svg>", "<script>"]
    assert executable_content('<b>fine</b> <a href="https://example.org">link</a> <img src="ab12.png">') == []


def tiny_png(colour: bytes) -> bytes:
    """A valid 1×1 PNG of the given RGB colour."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00" + colour
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


IMAGE_ARTICLE = """<html><head><meta charset="utf-8"><title>Cell Biology</title></head><body>
<main>
<h1>Cell Biology</h1>
<h2>Organelles</h2>
<dl>
<dt>Mitochondrion</dt><dd>The organelle that makes most of a cell's energy. <img src="images/mito.png" alt="a
mitochondrion"></dd>
<dt>Chloroplast</dt><dd>The organelle where a plant cell carries out photosynthesis. <img
 src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="./images/My%20Chloroplast.PNG"></dd>
<dt>Stroma</dt><dd>The fluid inside a chloroplast around its stacks of membranes. <img
src="./images/My%20Chloroplast.PNG"></dd>
<dt>Ribosome</dt><dd>A small particle that builds proteins from amino acids. <img src="../outside.png"></dd>
<dt>Vacuole</dt><dd>A storage space inside the cell for water and nutrients. <img src="images/missing.png"></dd>
<dt>Nucleus</dt><dd>The part of the cell that holds its genetic material. <img
src="https://example.invalid/n.png"></dd>
</dl>
<h2>Diagrams</h2>
<p>Cytoplasm: The jelly-like fluid that fills the cell around its organelles.</p>
<figure><img src="images/mito.png" alt="again"><figcaption>The same picture, bundled once.</figcaption></figure>
</main></body></html>
"""


def test_local_images_are_bundled_and_imported(tmp_path: Path, collection: Any) -> None:
    folder = tmp_path / "article"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "mito.png").write_bytes(tiny_png(b"\xff\x00\x00"))
    (folder / "images" / "My Chloroplast.PNG").write_bytes(tiny_png(b"\x00\xff\x00"))
    (tmp_path / "outside.png").write_bytes(tiny_png(b"\x00\x00\xff"))
    article = folder / "cells.html"
    article.write_text(IMAGE_ARTICLE, encoding="utf-8")
    out = tmp_path / "cells.apkg"

    done = run_ankiexport("build", article, "-o", out)
    assert done.returncode == 0, done.stderr
    for name in ("../outside.png", "images/missing.png", "https://example.invalid/n.png"):
        assert name in done.stderr, done.stderr  # each left-out image is named in a warning
    assert "mito.png" not in done.stderr

    ankicheck.import_package(collection, out)
    notes = {n.fields["Term"]: n for n in ankicheck.stored_notes(collection, render=False)}
    srcs = {term: re.findall(r'src="([^"]+)"', n.fields["Definition"]) for term, n in notes.items()}
    assert len(srcs["Mitochondrion"]) == 1 and len(srcs["Chloroplast"]) == 1
    assert srcs["Stroma"] == srcs["Chloroplast"]  # a lazy-loaded copy of the same file: one media file
    assert srcs["Ribosome"] == srcs["Vacuole"] == srcs["Nucleus"] == []
    assert srcs["Cytoplasm"] == srcs["Mitochondrion"]  # a figure joins the definition before it
    names = srcs["Mitochondrion"] + srcs["Chloroplast"]
    for name in names:
        assert re.fullmatch(r"[0-9a-f]{16}\.(png)", name), name  # content-hashed, path-free, lower-case ext
    media_dir = Path(collection.media.dir())
    assert sorted(p.name for p in media_dir.iterdir()) == sorted(names)
    assert (media_dir / srcs["Mitochondrion"][0]).read_bytes() == tiny_png(b"\xff\x00\x00")
    check = collection.media.check()
    assert list(check.missing) == [] and list(check.unused) == []


def test_library_build_passes_media(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(tiny_png(b"\x10\x20\x30"))
    article = tmp_path / "a.html"
    article.write_text('<title>T</title><h2>C</h2><p><b>Pixel</b>: The smallest dot of a picture on a screen. '
                       '<img src="a.png"></p>', encoding="utf-8")
    result = build([article], tmp_path / "a.apkg")
    assert list(media_files(read_apkg(result.output)).values()) == [tiny_png(b"\x10\x20\x30")]
