"""Pins every note type's schema. Anki forks a note type whose fields or templates change and then
stops updating the student's notes: if this test fails, the change must be deliberate (new model id)."""

from __future__ import annotations

from ankiexport.notetypes import CLOZE, DEFINITION, NOTE_TYPES, QA, QUIZ


def schema(note_type: object) -> tuple[object, ...]:
    nt = note_type
    return (nt.id, nt.name, [(f.name, f.id) for f in nt.fields],  # type: ignore[attr-defined]
            [(t.name, t.id) for t in nt.templates])  # type: ignore[attr-defined]


def test_definition_schema_is_frozen() -> None:
    assert schema(DEFINITION) == (
        1_731_205_101, "ankiexport Definition",
        [("Term", 4310582118201000001), ("Definition", 4310582118201000002), ("Example", 4310582118201000003),
         ("Chapter", 4310582118201000004), ("Source", 4310582118201000005), ("Reverse", 4310582118201000006)],
        [("Term → Definition", 4310582118202000001), ("Definition → Term", 4310582118202000002)],
    )


def test_qa_schema_is_frozen() -> None:
    assert schema(QA) == (
        1_731_205_102, "ankiexport Q&A",
        [("Question", 4310582118203000001), ("Answer", 4310582118203000002), ("Chapter", 4310582118203000003),
         ("Source", 4310582118203000004)],
        [("Question → Answer", 4310582118204000001)],
    )


def test_quiz_schema_is_frozen() -> None:
    assert schema(QUIZ) == (
        1_731_205_103, "ankiexport Quiz",
        [("Question", 4310582118205000001), ("Options", 4310582118205000002), ("Answer", 4310582118205000003),
         ("Explanation", 4310582118205000004), ("Evidence", 4310582118205000005),
         ("Chapter", 4310582118205000006), ("Source", 4310582118205000007), ("Shuffle", 4310582118205000008)],
        [("Quiz", 4310582118206000001)],
    )


def test_cloze_schema_is_frozen() -> None:
    assert schema(CLOZE) == (
        1_731_205_104, "ankiexport Cloze",
        [("Text", 4310582118207000001), ("Chapter", 4310582118207000002), ("Source", 4310582118207000003)],
        [("Cloze", 4310582118208000001)],
    )
    assert CLOZE.cloze and not any(nt.cloze for nt in (DEFINITION, QA, QUIZ))


def test_names_are_prefixed_and_ids_unique() -> None:
    assert all(nt.name.startswith("ankiexport ") for nt in NOTE_TYPES)
    ids = [nt.id for nt in NOTE_TYPES] + [f.id for nt in NOTE_TYPES for f in nt.fields] + \
          [t.id for nt in NOTE_TYPES for t in nt.templates]
    assert len(ids) == len(set(ids))


def test_css_has_a_night_mode() -> None:
    for nt in NOTE_TYPES:
        assert ".nightMode" in nt.css


def test_code_is_styled_with_the_colours_night_mode_switches() -> None:
    for nt in NOTE_TYPES:
        rules = nt.css[nt.css.index("code, pre {"):]
        rules = rules[: rules.index("}")]
        assert "monospace" in rules
        # Both colours are variables that .nightMode redefines: no dark text on a dark card.
        assert "color: var(--ae-fg)" in rules and "background: var(--ae-example-bg)" in rules
