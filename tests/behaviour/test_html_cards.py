"""HTML rules that keep what a card needs and drop what is no card's: each on a fixture of its own
(tests/fixtures/html/), in a subject and language of its own."""

from __future__ import annotations

from functools import cache

from ankiexport import Loaded
from ankiexport import load as load_uncached
from ankiexport.markup import html_to_text
from ankiexport.model import Definition
from ankiexport.notetypes import CSS

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
