"""The shared rules of heuristics.py and markup.py, on the lines they are written for."""

from __future__ import annotations

import pytest

from ankiexport.markup import html_after_colon
from ankiexport.rules.heuristics import bullet_text, split_lead, unbulleted


@pytest.mark.parametrize(("text", "split"), [
    ("Chlorophyll: The green pigment that absorbs light.", ("Chlorophyll", "The green pigment that absorbs light.")),
    ("  Neuromuscular Therapy (NMT) :  A hands-on therapy for muscle pain. ",
     ("Neuromuscular Therapy (NMT)", "A hands-on therapy for muscle pain.")),
    ("2nd law: Energy always spreads out over time!", ("2nd law", "Energy always spreads out over time!")),
    ("…function.It's interesting to note the following: one two three four.", None),  # the colon ends a sentence
    ("Note: see below.", None),  # too short to define
    ("chlorophyll: the green pigment that absorbs light.", None),  # no capital
    ("Time:half past ten is quite late.", None),  # no space after the colon
    ("Pain reduction: Regular sessions can decrease chronic pain", None),  # no sentence end
    ("The practice of Neuromuscular Therapy encompasses several methods: one two three four.", None),  # too long
    ("No colon here at all, just a sentence.", None),
])
def test_split_lead(text: str, split: tuple[str, str] | None) -> None:
    assert split_lead(text) == split


@pytest.mark.parametrize("text", [
    # discourse markers, reported speech and tickers: clauses, not terms
    "In conclusion: the bank is the lender of last resort.", "To sum up: a bank sets the price of money.",
    "She added: the vote was unanimous that day.", "As the report states: most profit goes to the state.",
    "Okay, so far so good: rates rise when prices do.", "Shares of the lender (NYSE: H) fell three percent today.",
    "NYSE: H closed lower for the third day.",
    "Zusammenfassend lässt sich sagen: Der Vulkan ist noch aktiv.", "Sie fügte hinzu: Die Messung war eindeutig.",
    "Wie der Bericht zeigt: Die Magma steigt jedes Jahr.", "Fazit zum Schluss: Der Ausbruch kam ohne Warnung.",
    "En conclusion : la monarchie tombe en quelques semaines.", "Elle a ajouté : le roi avait déjà fui Paris.",
    "Comme l'indique le rapport : les impôts pesaient sur le tiers état.",
    "Pour résumer : le peuple prend la Bastille.",
    "En resumen: el agua nunca desaparece del planeta.", "Como señala el informe: la sequía dura ya tres años.",
    "La autora añadió: el ciclo se acelera con el calor.", "Nota: Ver abajo los detalles.",
])
def test_a_lead_that_is_a_clause_is_no_term(text: str) -> None:
    assert split_lead(text) is None


@pytest.mark.parametrize(("text", "split"), [
    ("Xylem: Tubes carrying water.", ("Xylem", "Tubes carrying water.")),  # a short lead, a short definition
    ("Magma: Geschmolzenes Gestein unterirdisch.", ("Magma", "Geschmolzenes Gestein unterirdisch.")),
    ("Tiers état: Le peuple sans privilèges.", ("Tiers état", "Le peuple sans privilèges.")),
    ("Note: See below.", None),  # two words are still no definition
    ("Policy rate: the rate paid.", None),  # a short definition must start like a sentence
])
def test_short_leads(text: str, split: tuple[str, str] | None) -> None:
    assert split_lead(text) == split


def test_split_lead_counts_the_leads_words() -> None:
    assert split_lead("Two words: one two three four.", max_words=2) == ("Two words", "one two three four.")
    assert split_lead("Three short words: one two three four.", max_words=2) is None


@pytest.mark.parametrize(("fragment", "after"), [
    ("Term: the rest", "the rest"),
    ("<strong>Term</strong>: the rest", "the rest"),
    ('<a href="https://example.org/a:b">Term</a>: the rest', "the rest"),  # a colon inside a tag is no lead's
    ("<em>no colon</em>", "<em>no colon</em>"),
    ("no colon", "no colon"),
    ("a: b: c", "b: c"),
])
def test_html_after_colon(fragment: str, after: str) -> None:
    assert html_after_colon(fragment) == after


@pytest.mark.parametrize(("line", "text"), [
    ("• Mitochondria", "Mitochondria"),
    ("-\tA point  ", "A point"),
    ("* x", "x"),
    ("•Mitochondria", None),  # a glyph needs white space after it
    ("• ", ""),  # an empty bullet
    ("• a\nb", None),
    ("Mitochondria", None),
    ("", None),
])
def test_bullet_text(line: str, text: str | None) -> None:
    assert bullet_text(line) == text
    assert unbulleted(line) == (line if text is None else text)
