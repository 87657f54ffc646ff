"""HTML rules that keep what a card needs and drop what is no card's: each on a fixture of its own
(tests/fixtures/html/), in a subject and language of its own."""

from __future__ import annotations

from functools import cache

import pytest

from ankiexport import Loaded
from ankiexport import load as load_uncached
from ankiexport.markup import html_to_text
from ankiexport.model import Definition
from ankiexport.notetypes import CSS
from ankiexport.readers.html.page import decode_html
from ankiexport.rules import htmlchrome

from ..conftest import FIXTURES

HTML = FIXTURES / "html"


@cache
def load(name: str) -> Loaded:
    return load_uncached(HTML / name)


def definitions(name: str) -> dict[str, str]:
    return {i.term: i.definition for i in load(name).items if isinstance(i, Definition)}


def all_text(name: str) -> str:
    loaded = load(name)
    fields = [html_to_text(v) for i in loaded.items for v in i.fields().values()]
    return " ".join([*fields, *(b.text for b in loaded.article.blocks), *(c.title for c in loaded.article.chapters)])


# --- Content kept --------------------------------------------------------------------------------


def test_a_dt_with_markup_and_a_slug_id_is_its_own_card() -> None:
    terms = definitions("glosario-astronomia.es.html")
    # Soft hyphens ("trayec&shy;toria") leave the text: they split words for Anki's search.
    assert terms["Órbita"].startswith("La trayectoria curva")
    # id="semieje-mayor-ad-hoc" is a slug of its text, not an advert ("ad").
    assert terms["Semieje mayor ad hoc"].startswith("La mitad del diámetro")
    # A bracketed aside does not make the term too long to be one.
    assert terms["Perihelio (punto de máxima aproximación al Sol)"].startswith("El punto de la órbita")
    assert "diámetro" not in terms["Perihelio (punto de máxima aproximación al Sol)"]


def test_mathml_and_formula_images_become_mathjax() -> None:
    blocks = [b.html for b in load("glosario-astronomia.es.html").article.blocks]
    formula = next(b for b in blocks if b.startswith("En fórmula"))
    # alttext, an annotation without alttext, and a hidden Wikipedia formula with its aria-hidden image.
    assert formula == r"En fórmula, \(T^2 \propto a^3\); si \(a = 1\), entonces \(T = 1\) año."


def test_code_blocks_are_kept_and_styled_in_both_modes() -> None:
    blocks = [b.html for b in load("glosario-astronomia.es.html").article.blocks]
    assert "<pre><code>periodo = semieje ** 1.5</code></pre>" in blocks
    code_rules = CSS[CSS.index("code, pre {"):]
    assert "var(--ae-example-bg)" in code_rules and "var(--ae-fg)" in code_rules  # night mode sets both


def test_a_definition_ending_in_a_colon_keeps_the_list_it_introduces() -> None:
    law = definitions("glosario-astronomia.es.html")["Tercera ley"]
    assert law.endswith("cumplen que:<ul><li>el cuadrado del periodo es proporcional al cubo del semieje mayor;"
                        "</li><li>la constante es la misma para todos los planetas del sistema.</li></ul>")


# --- Chrome dropped ------------------------------------------------------------------------------


@pytest.mark.parametrize("chrome", [
    "Bewertung", "Sterne",  # ratings
    "Dieser Abschnitt bedarf",  # maintenance box
    "Erdbeben", "Geysire", "Plattentektonik",  # teasers under "Zum Weiterlesen", "Mehr zum Thema", …
    "Zum Weiterlesen", "Weiterführende Links",
    "Anna Berger",  # author bio and byline ("Autor: …")
    "Lavastrom", "Maria Rossi",  # a caption ending in its picture credit
    "Siehe auch",  # an inline "see also" teaser
    "Alle Angaben ohne Gewähr",  # a footnote
    "Copyright",
    "¶",  # heading permalink
])
def test_german_page_chrome_is_dropped(chrome: str) -> None:
    assert chrome not in all_text("vulkane-chrome.de.html")


def test_german_page_keeps_its_cards() -> None:
    assert list(definitions("vulkane-chrome.de.html")) == ["Magma", "Lava", "Schichtvulkan"]
    assert "Erdoberfläche" in definitions("vulkane-chrome.de.html")["Lava"]  # (written with soft hyphens)
    assert [c.title for c in load("vulkane-chrome.de.html").article.chapters] == ["Magma", "Vulkantypen"]


@pytest.mark.parametrize("chrome", ["Lire aussi", "Tsunamis", "Podcast", "Épisode", "Most Read", "Baleines",
                                    "Jean Dupont", "Tous droits", "Citation", "Revue de la mer", "Vendée"])
def test_french_page_chrome_is_dropped(chrome: str) -> None:
    assert chrome not in all_text("marees-chrome.fr.html")


def test_permalinks_leave_chapter_names() -> None:
    article = load("glosario-astronomia.es.html").article
    assert [c.title for c in article.chapters] == ["Órbitas", "Leyes de Kepler"]
    assert [b.html for b in article.blocks if b.kind.name == "HEADING"] == ["Órbitas", "Leyes de Kepler"]


# --- Titles and charsets -------------------------------------------------------------------------


def test_title_is_the_headline_not_the_logo_or_the_site() -> None:
    # og:title names the site ("Océans Mag: le magazine de la mer"), the first <h1> is a link home.
    assert load("marees-chrome.fr.html").article.title == "Comprendre les marées"


def test_utf8_declared_as_gb2312_is_read_as_utf8() -> None:
    data = (HTML / "marees-chrome.fr.html").read_bytes()
    assert b'charset="gb2312"' in data
    assert "Comprendre les marées" in decode_html(data)
    assert list(definitions("marees-chrome.fr.html")) == ["Marnage", "Vives-eaux"]
    # Bytes that are not UTF-8 still follow the declaration.
    assert decode_html('<meta charset="gb2312"><p>中文</p>'.encode("gb2312")).endswith("<p>中文</p>")


@pytest.mark.parametrize("pattern", [*htmlchrome.TEASER_HEADINGS, *htmlchrome.CHROME_LINES], ids=lambda p: p.name)
def test_every_html_chrome_entry_matches_its_example(pattern: object) -> None:
    assert isinstance(pattern, htmlchrome.chrome.Pattern)
    assert pattern.example and pattern.match(pattern.example)


def test_chrome_tables_leave_prose_alone() -> None:
    for prose in ("Die Bewertung der Risiken erfolgt jedes Jahr neu.", "Lire est un plaisir quotidien.",
                  "Photosynthesis by plants turns light into sugar.", "Links und rechts des Flusses.",
                  "Autor: Die Person, die ein Werk geschaffen hat.", "Copyright protects original works.",
                  "Citation: a reference to a published source.", "Podcast: an audio series on the web.",
                  "²³⁵U ist das spaltbare Isotop des Urans."):
        assert not htmlchrome.is_chrome_line(prose), prose
    for heading in ("Podcasts als Lernmedium", "Links und rechts des Flusses", "Lire un graphique"):
        assert not htmlchrome.is_teaser_heading(heading), heading
