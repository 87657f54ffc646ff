"""Anki's template language and card-generation rules, as ankiexport's preview renders them.

The seed comparison in test_preview.py checks these rules against the real Anki backend; the cases
here pin the edges the note types may grow into (sections, comments, filters, errors)."""

from __future__ import annotations

from typing import Any

import pytest

from ankiexport.notetypes import DEFINITION, NOTE_TYPES
from ankiexport.preview.cardtemplate import (
    CardTemplate,
    TemplateError,
    field_is_empty,
    generated_ords,
    parse,
    render_card,
    renders_with_fields,
)


def render(front: str, back: str = "{{FrontSide}}", **fields: str) -> tuple[str, str]:
    card = render_card(CardTemplate("Card 1", front, back), fields)
    return card.question, card.answer


def test_fields_and_front_side() -> None:
    assert render("<b>{{Front}}</b>", "{{FrontSide}}<hr id=answer>{{Back}}", Front="cat", Back="Katze") == (
        "<b>cat</b>", "<b>cat</b><hr id=answer>Katze")


def test_sections_show_on_filled_fields_and_inverted_sections_on_empty_ones() -> None:
    front = "{{Q}}{{#Hint}}[{{Hint}}]{{/Hint}}{{^Hint}}(no hint){{/Hint}}"
    assert render(front, Q="q", Hint="h")[0] == "q[h]"
    assert render(front, Q="q", Hint="")[0] == "q(no hint)"
    assert render(front, Q="q", Hint=" <br> <div></div>")[0] == "q(no hint)"  # Anki's idea of empty


def test_nested_sections_whitespace_in_tags_and_triple_braces() -> None:
    front = "{{ A }}{{# A }}{{#B}}both{{/B}}{{/A}}|{{{A}}}"
    assert render(front, A="a", B="b")[0] == "aboth|a}"  # "{{{A}}}" is A and a stray brace, as in Anki
    assert render(front, A="a", B="")[0] == "a|a}"


def test_comments_are_kept_and_not_expanded() -> None:
    assert render("{{A}}<!-- {{Missing}} -->", A="x")[0] == "x<!-- {{Missing}} -->"


def test_legacy_alternate_delimiters() -> None:
    assert render("{{=<% %>=}}<%A%><%#B%>!<%/B%>", A="x", B="y")[0] == "x!"


def test_filters() -> None:
    assert render("{{text:A}}", A="<b>bold</b> &amp; co")[0] == "bold & co"
    assert render("{{A}}{{type:B}}", A="x", B="y")[0] == "x[[type:B]]"
    assert render("{{furigana:A}}", A="日本[にほん]")[0] == "<ruby><rb>日本</rb><rt>にほん</rt></ruby>"
    card = render_card(CardTemplate("c", "{{A}}{{myaddon:B}}", "{{FrontSide}}"), {"A": "x", "B": "y"})
    assert card.question == "xy" and card.unknown_filters == ("myaddon",)


def test_special_fields_never_override_note_fields() -> None:
    card = render_card(CardTemplate("Card 1", "{{A}} {{Tags}} {{Deck}}", "{{Card}}"), {"A": "x", "Deck": "mine"},
                       special={"Tags": "t1 t2", "Deck": "Other", "Card": "Card 1"})
    assert (card.question, card.answer) == ("x t1 t2 mine", "Card 1")


def test_sound_tags_become_anki_play_placeholders() -> None:
    card = render_card(CardTemplate("c", "{{A}}", "{{FrontSide}}{{B}}"), {"A": "[sound:a.mp3]", "B": "[sound:b.mp3]"})
    assert card.question == "[anki:play:q:0]"
    assert card.answer == "[anki:play:q:0][anki:play:a:0]"
    assert card.sounds == ("a.mp3", "b.mp3")


@pytest.mark.parametrize("template", ["{{#A}}x", "{{/A}}", "{{#A}}{{/B}}", "{{^A}}{{/A}}{{/A}}"])
def test_unbalanced_sections_are_errors(template: str) -> None:
    with pytest.raises(TemplateError):
        parse(template)


def test_unknown_fields_are_errors_as_in_anki() -> None:
    with pytest.raises(TemplateError, match="no field called 'Nope'"):
        render("{{A}}{{Nope}}", A="x")
    with pytest.raises(TemplateError, match="no field called 'Nope'"):
        render("{{A}}{{#Nope}}{{/Nope}}", A="x")


def test_field_is_empty() -> None:
    assert field_is_empty("") and field_is_empty(" \n") and field_is_empty("<BR>") and field_is_empty("<div />")
    assert not field_is_empty("x") and not field_is_empty("<div>x</div>") and not field_is_empty("<img src=a.png>")


def test_generation_needs_a_nonempty_field_on_the_front() -> None:
    assert not renders_with_fields(parse("static text only"), {"A"})
    assert not renders_with_fields(parse("{{#A}}text{{/A}}"), {"A"})  # a section with no field inside
    assert renders_with_fields(parse("{{#A}}{{B}}{{/A}}"), {"A", "B"})
    assert not renders_with_fields(parse("{{#A}}{{B}}{{/A}}"), {"B"})
    assert not renders_with_fields(parse("{{^A}}{{B}}{{/A}}"), {"A", "B"})  # as rslib's test_nonempty
    assert renders_with_fields(parse("{{^A}}{{B}}{{/A}}"), {"B"})


def test_definition_reverse_card_exists_only_when_reverse_is_filled() -> None:
    templates = [CardTemplate(t.name, t.front, t.back) for t in DEFINITION.templates]
    fields = {name: "" for name in DEFINITION.field_names} | {"Term": "T", "Definition": "D", "Chapter": "C"}
    assert generated_ords(templates, fields) == [0]
    assert generated_ords(templates, fields | {"Reverse": "y"}) == [0, 1]
    with pytest.raises(TemplateError, match="blank"):
        render_card(templates[1], fields, card_ord=1)


def test_every_shipped_template_parses() -> None:
    for note_type in NOTE_TYPES:
        for template in note_type.templates:
            parse(template.front)
            parse(template.back)


TRICKY = [
    ("Card 1",
     "{{A}}<!-- {{B}} -->{{#B}}[{{text:B}}]{{/B}}{{^C}}noC{{/C}} {{Tags}} {{Deck}} {{Subdeck}} {{Card}} {{Type}} "
     "{{CardFlag}} {{furigana:A}}",
     "{{FrontSide}}<hr id=answer>{{C}}{{type:B}}{{myfilter:A}}"),
    ("Card 2", "{{=<% %>=}}<%#C%><%C%><%/C%>", "<%FrontSide%>!"),
    ("Card 3", "{{#A}}{{ B }}{{/A}}", "{{FrontSide}}{{^C}}{{A}}{{/C}}"),
]


@pytest.mark.parametrize("c_value", ["", "c"])
def test_tricky_templates_render_as_the_anki_backend_renders_them(collection: Any, c_value: str) -> None:
    models = collection.models
    model = models.new("Tricky")
    for name in ("A", "B", "C"):
        models.add_field(model, models.new_field(name))
    for name, front, back in TRICKY:
        template = models.new_template(name)
        template["qfmt"], template["afmt"] = front, back
        models.add_template(model, template)
    models.add(model)
    note = collection.new_note(models.by_name("Tricky"))
    fields = {"A": "日本[にほん] [sound:x.mp3]", "B": "<b>b</b> &amp; <br>", "C": c_value}
    for name, value in fields.items():
        note[name] = value
    note.tags = ["t1", "x::y"]
    collection.add_note(note, collection.decks.id("P::Q"))
    templates = [CardTemplate(*t) for t in TRICKY]
    assert sorted(c.ord for c in note.cards()) == generated_ords(templates, fields)
    for card in note.cards():
        theirs = card.render_output(reload=True)
        ours = render_card(templates[card.ord], fields, card_ord=card.ord, special={
            "Tags": "t1 x::y", "Type": "Tricky", "Deck": "P::Q", "Subdeck": "Q",
            "Card": templates[card.ord].name, "CardFlag": "flag0"})
        assert (ours.question, ours.answer) == (theirs.question_text, theirs.answer_text)


CLOZE_TEXTS = [
    "The {{c1::mitochondrion}} makes {{c2::ATP::energy currency}}.",
    "Nested: {{c1::outer {{c2::inner}} text}} and {{c3::a \"quoted\" <b>bold</b> & it's more}} {{c1::again}}",
    "Maths \\({{c1::x<sup>2</sup> + y}}\\) stays; stray }} and {{c0::zero}}",
]


@pytest.mark.parametrize("text", CLOZE_TEXTS)
def test_cloze_cards_render_as_the_anki_backend_renders_them(collection: Any, text: str) -> None:
    models = collection.models
    model = models.copy(models.by_name("Cloze"), add=False)
    model["name"] = "Cloze preview"
    model["tmpls"][0]["qfmt"] = "{{cloze:Text}}<div>{{cloze-only:Text}}</div>{{#c2}}two{{/c2}}"
    model["tmpls"][0]["afmt"] = "{{cloze:Text}}<br>{{Back Extra}}|{{cloze-only:Text}}"
    models.add(model)
    note = collection.new_note(models.by_name("Cloze preview"))
    note["Text"], note["Back Extra"] = text, "extra"
    collection.add_note(note, collection.decks.id("Default"))
    fields = dict(note.items())
    template = CardTemplate("Cloze", model["tmpls"][0]["qfmt"], model["tmpls"][0]["afmt"])
    assert sorted(c.ord for c in note.cards()) == generated_ords([template], fields, is_cloze=True)
    for card in note.cards():
        theirs = card.render_output(reload=True)
        ours = render_card(template, fields, card_ord=card.ord, is_cloze=True)
        assert (ours.question, ours.answer) == (theirs.question_text, theirs.answer_text), card.ord
