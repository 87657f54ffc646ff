"""Page shapes of the text parser, on short pages of our own: titles, headings, prose definitions,
the flashcard carousel, truncated and empty pages, other sites' card layouts, languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ankiexport.extract import extract
from ankiexport.extract.prose import defining, first_sentence, heading_subjects, same_subject
from ankiexport.model import Definition, Faq, QuizItem
from ankiexport.readers.text.dump import parse_text, undouble
from ankiexport.release import ankicheck
from ankiexport.rules.language import detect_language

from ..conftest import FIXTURES, run_ankiexport

BODY = "\n\n    Jump to a key chapter\n\n    Gravity Definition\n\n    Gravity pulls masses towards each other.\n"


@pytest.mark.parametrize(("first_line", "title"), [
    ("gravity", "Gravity"),                      # lower case: capitals from the body
    ("GRAVITY", "Gravity"),                      # upper case: likewise
    ("Gravity Gravity", "Gravity"),              # doubled title counts once
    ("GRAVITY gravity", "Gravity"),
    ("Binary Tree Binary Tree", "Binary Tree"),
])
def test_title_in_any_case_and_doubled(first_line: str, title: str) -> None:
    text = first_line + BODY.replace("Gravity", "Binary Tree" if "Binary" in title else "Gravity")
    assert parse_text(text, "p.txt").title == title


def test_undouble_leaves_other_titles_alone() -> None:
    assert undouble("New York New York") == "New York"
    assert undouble("Tree Binary Tree") == "Tree Binary Tree"
    assert undouble("Gravity") == "Gravity"


def test_a_page_starting_at_the_jump_marker_is_named_by_its_first_heading() -> None:
    article = parse_text("Springe zu einem wichtigen Kapitel\nWas ist Schwerkraft?\n"
                         "Schwerkraft ist die Kraft, mit der sich Massen gegenseitig anziehen.\n", "p.txt")
    assert article.title == "Was ist Schwerkraft?"
    assert [c.title for c in article.chapters] == ["Was ist Schwerkraft?"]


def test_a_page_without_title_or_heading_is_named_by_its_address_then_its_file() -> None:
    body = "Eine lange Einleitung, die mit einem Punkt endet und keine Überschrift ist.\n"
    assert parse_text("# url: https://example.org/schule/mathe/lineare-funktion/\n" + body, "p.txt").title \
        == "Lineare funktion"
    assert parse_text(body, "dir/meine-seite.txt").title == "Meine-seite"


@pytest.mark.parametrize("indent", [0, 4, 6])
@pytest.mark.parametrize("heading", ["Gravity Definition", "Gravity - Definition", "Gravity: the basics",
                                     "Gravitation : Définition", "What is Gravity?", "Was ist Gravitation?"])
def test_heading_forms_at_every_indent_are_headings_not_definitions(indent: int, heading: str) -> None:
    pad = " " * indent
    text = (f"gravity\n\n{pad}Jump to a key chapter\n\n{pad}{heading}\n\n"
            f"{pad}Objects fall because the earth pulls them down, a little like a magnet does.\n")
    article = parse_text(text, "p.txt")
    assert [c.title for c in article.chapters] == [heading]
    assert not [i for i in extract(article) if isinstance(i, Definition)]


def test_a_definition_line_is_never_a_heading() -> None:
    text = ("gravity\n\nJump to a key chapter\n\nBasics\n\n"
            "Gravity: The force by which masses attract one another.\n\n"
            "How can you see this?\n\nDrop a ball and watch it fall.\n")
    article = parse_text(text, "p.txt")
    assert [c.title for c in article.chapters] == ["Basics"]  # nor is a rhetorical question
    assert [(i.term, i.kind) for i in extract(article)] == [("Gravity", "definition")]


@pytest.mark.parametrize(("heading", "subjects"), [
    ("Neuromuscular Therapy Definition", ["Neuromuscular Therapy"]),
    ("Loi d'Ohm : Définition", ["Loi d'Ohm"]),
    ("Qué es la prueba de sistemas: Guía definitiva", ["la prueba de sistemas"]),
    ("Defining Virus and Their Types", ["Virus and Their Types", "Virus", "Their Types"]),
    ("Schwerkraft einfach erklärt", ["Schwerkraft"]),
])
def test_heading_subjects(heading: str, subjects: list[str]) -> None:
    assert heading_subjects(heading)[: len(subjects)] == subjects


def test_subjects_match_across_articles_plurals_and_prepositions() -> None:
    assert same_subject("La prueba del sistema", "Pruebas de Sistemas")
    assert same_subject("une structure de données en file d'attente", "structure de données de file d'attente")
    assert same_subject("A virus", "Virus")
    assert not same_subject("Die Hypothese", "Hypothesenbildung")
    assert not same_subject("The binary tree", "Tree")


@pytest.mark.parametrize(("sentence", "subject", "term", "definition"), [
    ("A comet, in plain words, is a small icy body that orbits the sun.", "Comets",
     "Comet", "A small icy body that orbits the sun."),
    ("Die Hypothese ist eine begründete Vermutung, die sich prüfen lässt.", "Hypothese",
     "Hypothese", "Eine begründete Vermutung, die sich prüfen lässt."),
    ("En chimie, un catalyseur est une substance qui accélère une réaction sans être consommée.", "catalyseur",
     "Catalyseur", "Une substance qui accélère une réaction sans être consommée."),
    ("La fotosíntesis es el proceso por el que las plantas fabrican azúcar con luz.", "Fotosíntesis",
     "Fotosíntesis", "El proceso por el que las plantas fabrican azúcar con luz."),
    ("Machine Learning (ML) ist ein Teilgebiet der Informatik, in dem Programme aus Daten lernen.",
     "Machine Learning", "Machine Learning (ML)", "Ein Teilgebiet der Informatik, in dem Programme aus Daten lernen."),
])
def test_prose_definitions_of_the_subject(sentence: str, subject: str, term: str, definition: str) -> None:
    assert defining(sentence, [subject]) == (term, definition)


@pytest.mark.parametrize(("sentence", "subject"), [
    ("A comet is a small icy body that orbits the sun.", "Asteroids"),           # not the chapter's subject
    ("Trigger points are an integral part of the method.", "Trigger points"),    # praise, not a definition
    ("Die Hypothese ist ein wichtiger Teil jeder Forschungsarbeit.", "Hypothese"),
    ("Der Prozess ist oft in mehrere Phasen unterteilt.", "Prozess"),            # no article after the verb
    ("Die Glykolyse ist der erste Schritt und läuft im Zellplasma ab.", "Glykolyse"),  # a second verb
    ("A comet is a body.", "Comet"),                                             # says too little
    ("Le catalyseur est une notion fondamentale en chimie.", "catalyseur"),
    ("Una pila es una estructura de datos y tiene dos operaciones.", "pila"),
])
def test_sentences_that_are_not_definitions(sentence: str, subject: str) -> None:
    assert defining(sentence, [subject]) is None


def test_first_sentence_skips_abbreviations_and_rejects_cut_text() -> None:
    assert first_sentence("Ein Salz ist z. B. Kochsalz. Es löst sich.") == "Ein Salz ist z. B. Kochsalz."
    assert first_sentence("A tree is a data structure in which each node has at most two c") == ""


def test_prose_definition_yields_to_an_explicit_one_and_comes_once_per_term() -> None:
    text = ("comets\n\nA comet is a small icy body that orbits the sun and the planets in long loops.\n\n"
            "Jump to a key chapter\n\nWhat is a Comet\n\n"
            "A comet is a lump of ice and dust that grows a tail near the sun.\n\n"
            "Tails\n\nTail: The stream of gas and dust that a comet trails away from the sun.\n\n"
            "A tail is a stream of gas that always points away from the sun.\n")
    items = [i for i in extract(parse_text(text, "p.txt")) if isinstance(i, Definition)]
    assert [(i.term, i.chapter) for i in items] == [("Comet", ()), ("Tail", ("Tails",))]


CAROUSEL = """Sound Waves

Sound is a wave of pressure that travels through matter.

Get started

Sign up for free
  • + Add tag
  • Immunology
  • Cell Biology
  • Mo

How fast does sound travel in air?

Show Answer
  • + Add tag
  • Immunology
  • Cell Biology
  • Mo

Sound travels faster in water than in air.

Show Answer
  • + Add tag
  • Immunology
  • Cell Biology
  • Mo

What is the unit of freq"""


def test_carousel_fronts_are_quiz_items_without_answers() -> None:
    items = extract(parse_text(CAROUSEL, "p.txt"))
    assert [(type(i).__name__, i.question) for i in items if isinstance(i, QuizItem)] == [
        ("QuizItem", "How fast does sound travel in air?"),
        ("QuizItem", "Sound travels faster in water than in air."),
    ]
    assert all(isinstance(i, QuizItem) and not i.options and not i.correct for i in items)
    text = " ".join(" ".join(i.fields().values()) for i in items)
    for junk in ("Add tag", "Immunology", "Cell Biology", "Show Answer", "freq"):
        assert junk not in text


@pytest.mark.parametrize("content", [
    "Jump to a key chapter\n\n    Get started\n\n    Sign up for free",               # chrome only
    "# url: https://example.org/page",                                             # the address only
    "Gravity\n\nJump to a key chapter\n\n    Gravity Definition\n\n    Gravity is a for",  # cut mid-word
    "Springe zu einem wichtigen Kapitel\nSchwerkr",
])
def test_pages_with_nothing_learnable_warn_and_build_nothing(tmp_path: Path, content: str) -> None:
    page = tmp_path / "page.txt"
    page.write_text(content, encoding="utf-8")
    inspected = run_ankiexport("inspect", page, "--json")
    assert inspected.returncode == 0 and "Traceback" not in inspected.stderr
    assert f"no learnable items found in {page}" in inspected.stderr
    out = tmp_path / "page.apkg"
    built = run_ankiexport("build", page, "-o", out)
    assert built.returncode == 1 and "no learnable items" in built.stderr and "Traceback" not in built.stderr
    assert not out.exists()


def test_question_and_answer_cards_of_other_sites() -> None:
    text = ("Rivers Flashcards\n\n1\nQ\n\nLongest river in Africa\n\nA\n\nThe Nile.\n\n"
            "How well did you know this?\n1\nNot at all\n5\nPerfectly\n2\nQ\n\nRiver through Vienna\n\nA\n\n"
            "The Danube.\n\nHow well did you know this?\n1\nNot at all\n5\nPerfectly\n3\nQ\n\nRiver th")
    article = parse_text(text, "p.txt")
    items = extract(article)
    assert article.title == "Rivers"
    assert [(i.question, i.answer) for i in items if isinstance(i, Faq)] == [
        ("Longest river in Africa", "The Nile."), ("River through Vienna", "The Danube.")]
    assert len(items) == 2


def test_front_and_back_cards_of_other_sites() -> None:
    guide = ("Rivers Study Guide\nCARD 1: Front: Which river flows through Cairo? Back: The Nile, the\n"
             "longest river in Africa.\nCARD 2: Front: Which river flows through Vienna? Back: The Da")
    items = extract(parse_text(guide, "p.txt"))
    assert [(i.question, i.answer) for i in items if isinstance(i, Faq)] == [
        ("Which river flows through Cairo?", "The Nile, the longest river in Africa.")]
    columns = ("• Shuffle\n    Toggle On\nFront\n\nClick to flip\n\n  • Front\n  • Back\nNile\n"
               "The longest river in Africa.\nIt flows into the Mediterranean.\nDanube\nFlows through Vienna.\n")
    items = extract(parse_text(columns, "rivers.txt"))
    assert [(i.question, i.answer) for i in items if isinstance(i, Faq)] == [
        ("Nile", "The longest river in Africa.<br>It flows into the Mediterranean."),
        ("Danube", "Flows through Vienna.")]


def test_card_lists_without_markers_give_no_items() -> None:
    text = "rivers Flashcards\nlongest river in africa\nthe nile\nriver through vienna\nthe danube"
    assert extract(parse_text(text, "p.txt")) == []


@pytest.mark.parametrize(("text", "language"), [
    ("The cell is the smallest unit of life, and every organism is made of cells.", "en"),
    ("Die Zelle ist die kleinste Einheit des Lebens, und jeder Organismus besteht aus Zellen.", "de"),
    ("La cellule est la plus petite unité du vivant, et tout organisme est fait de cellules.", "fr"),
    ("La célula es la unidad más pequeña de la vida, y todo organismo está hecho de células.", "es"),
    ("Une pile de données en informatique", "fr"),  # "de", "en", "la" are shared with Spanish
    ("Las pruebas del sistema", "es"),
    ("Pflanzen brauchen Licht zum Wachsen", "de"),
    ("Señal", "es"),
])
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_german_and_french_pages_import_into_anki(tmp_path: Path, collection: Any) -> None:
    articles = FIXTURES / "articles"
    out = tmp_path / "de-fr.apkg"
    done = run_ankiexport("build", articles / "zellatmung.txt", articles / "loi-d-ohm.txt", "-o", out)
    assert done.returncode == 0, done.stderr
    counts = ankicheck.import_package(collection, out)
    notes = ankicheck.stored_notes(collection)
    # (less the carousel's true/false statement and the French question no passage clearly answers)
    assert counts.new == len(notes) == 12 + 8
    assert {n.decks for n in notes} == {("Biologie::Zellatmung",), ("La loi d'Ohm",)}
    resistance = next(n for n in notes if n.fields.get("Term") == "Résistance")
    assert "La grandeur qui mesure" in resistance.cards[0][1]
    assert "ampoule de 230 volts" in resistance.cards[0][1]
    carousel = [n for n in notes if "Zellatmung::Quiz" in n.tags]
    assert len(carousel) == 2
