"""Note identity: GUIDs from (article identity, kind, key); never from the path or the answer."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import replace
from pathlib import Path

import genanki.util

from ankiexport import load
from ankiexport.ankifile.writer import DeckSpec, Package, deck_id_for, write_apkg
from ankiexport.model import normalise_key
from ankiexport.notes import BASE91_TABLE, GUID_NAMESPACE, article_notes, guid_for, guid_key
from ankiexport.pipeline import Options, build

from ..conftest import SEED


def notes_of(path: Path) -> list:  # type: ignore[type-arg]
    loaded = load(path)
    return article_notes(loaded.article, loaded.items)


def test_guids_are_unique_and_stable() -> None:
    first, second = notes_of(SEED), notes_of(SEED)
    guids = [n.guid for n in first]
    assert len(guids) == len(set(guids))
    assert guids == [n.guid for n in second]


# notes.guid_for is genanki's scheme (frozen: every student's notes are matched by it), copied. These texts
# hash to numbers with none, two and three leading zero digits, which genanki does not write.
PINNED_GUIDS = {"ankiexport__1": "INb[inq)E!", "ankiexport__245": "En[]UyAo", "ankiexport__20031": "6`a3-DI",
                "": "ME_YHw2?15", "Ökologie — Größe": genanki.util.guid_for("Ökologie — Größe")}


def test_guid_for_is_genankis() -> None:
    assert list(BASE91_TABLE) == genanki.util.BASE91_TABLE
    for text, guid in PINNED_GUIDS.items():
        assert guid_for(text) == genanki.util.guid_for(text) == guid, text
    for number in range(2000):
        assert guid_for(GUID_NAMESPACE, number) == genanki.util.guid_for(GUID_NAMESPACE, number), number


def test_note_guids_are_made_as_genanki_makes_them_from_the_key() -> None:
    loaded = load(SEED)
    article = loaded.article
    for item, note in zip(loaded.items, article_notes(article, loaded.items), strict=True):
        assert note.guid == genanki.util.guid_for(GUID_NAMESPACE, article.key, item.kind, guid_key(item.key))


def test_guid_ignores_the_file_path(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "renamed.txt"
    copy.parent.mkdir()
    copy.write_bytes(SEED.read_bytes())
    assert [n.guid for n in notes_of(copy)] == [n.guid for n in notes_of(SEED)]


def test_guid_ignores_the_definition_text(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace("targeting the soft tissues to relieve pain",
                                                     "aimed at the soft tissues to ease pain")
    edited = tmp_path / "a.txt"
    edited.write_text(text, encoding="utf-8")
    old, new = notes_of(SEED), notes_of(edited)
    assert [n.guid for n in old] == [n.guid for n in new]
    assert [n.fields for n in old] != [n.fields for n in new]


def test_same_term_in_three_chapters_gives_three_guids() -> None:
    nmt = [n for n in notes_of(SEED) if n.kind == "definition" and n.fields[0].startswith("Neuromuscular")]
    assert len(nmt) == 3 and len({n.guid for n in nmt}) == 3


def test_article_identity_changes_every_guid() -> None:
    loaded = load(SEED)
    renamed = replace(loaded.article, identity="course-42/nmt")
    a = {n.guid for n in article_notes(loaded.article, loaded.items)}
    b = {n.guid for n in article_notes(renamed, loaded.items)}
    assert not a & b


def test_repeated_key_in_one_chapter_gets_distinct_guids(tmp_path: Path) -> None:
    article = tmp_path / "twice.txt"
    article.write_text(
        "optics\n\nLenses\n\nFocal length: The distance from a lens to the point where parallel rays meet.\n\n"
        "Focal length: The distance at which a lens brings parallel light to a single focus.\n",
        encoding="utf-8")
    notes = notes_of(article)
    assert len(notes) == 2 and notes[0].guid != notes[1].guid
    assert notes[1].guid == genanki.util.guid_for(notes[0].guid, 2)  # the occurrence suffix


def test_new_card_order_follows_the_article(tmp_path: Path) -> None:
    notes = notes_of(SEED)
    assert [n.line for n in notes] == sorted(n.line for n in notes)
    deck = tmp_path / "seed.apkg"
    write_apkg(Package((DeckSpec("Seed", tuple(notes)),), 1_700_000_000), deck)
    with zipfile.ZipFile(deck) as archive:
        archive.extract("collection.anki2", tmp_path)
    conn = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        rows = conn.execute("SELECT n.guid, min(c.due) FROM notes n JOIN cards c ON c.nid = n.id"
                            " GROUP BY n.id ORDER BY min(c.due)").fetchall()
    finally:
        conn.close()
    assert [guid for guid, _ in rows] == [n.guid for n in notes]
    assert [due for _, due in rows] == list(range(len(notes)))


def card_order(deck: Path, tmp_path: Path) -> list[tuple[str, str, int]]:
    """(deck name, GUID, due) of every note's first card, in study order."""
    with zipfile.ZipFile(deck) as archive:
        archive.extract("collection.anki2", tmp_path)
    conn = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        names = {int(i): d["name"] for i, d in json.loads(conn.execute("SELECT decks FROM col").fetchone()[0]).items()}
        rows = conn.execute("SELECT c.did, n.guid, min(c.due) FROM notes n JOIN cards c ON c.nid = n.id"
                            " GROUP BY n.id ORDER BY min(c.due)").fetchall()
    finally:
        conn.close()
    return [(names[did], guid, due) for did, guid, due in rows]


def test_with_chapter_subdecks_new_cards_go_deck_by_deck(tmp_path: Path) -> None:
    """Notes are written as the article is read, chapter after chapter; the study order is still deck
    by deck (in the order the decks first appear), each deck's notes in article order."""
    # A second article with the seed's chapters: each chapter's subdeck gets notes from both articles.
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("neuromuscular therapy", "myofascial therapy", 1),
                     encoding="utf-8")
    result = build([SEED, other], tmp_path / "two.apkg", deck="Course", options=Options(chapter_subdecks=True),
                   timestamp=1_700_000_000)
    by_deck: dict[str, list[str]] = {}
    for path in (SEED, other):
        for note in notes_of(path):
            by_deck.setdefault("::".join(("Course", *note.chapter)), []).append(note.guid)
    expected = [(name, guid) for name, guids in by_deck.items() for guid in guids]
    article_order = [n.guid for path in (SEED, other) for n in notes_of(path)]
    assert len(result.decks) > 1
    assert [(d.name, d.note_count) for d in result.decks] == [(name, len(g)) for name, g in by_deck.items()]
    assert [guid for _, guid in expected] != article_order and sorted(article_order) == sorted(g for _, g in expected)
    order = card_order(result.output, tmp_path)
    assert [(name, guid) for name, guid, _ in order] == expected
    assert [due for _, _, due in order] == list(range(len(expected)))


def test_deck_id_comes_from_the_name() -> None:
    assert deck_id_for("Medicine::Neuromuscular Therapy") == deck_id_for("Medicine::Neuromuscular Therapy")
    assert deck_id_for("A") != deck_id_for("B")
    assert (1 << 30) <= deck_id_for("A") < (1 << 31)


def test_the_subject_is_part_of_the_identity() -> None:
    loaded = load(SEED)
    assert loaded.article.subject
    other = replace(loaded.article, subject="Physics")
    assert loaded.article.key == normalise_key(f"{loaded.article.subject}::{loaded.article.title}")
    a = {n.guid for n in article_notes(loaded.article, loaded.items)}
    b = {n.guid for n in article_notes(other, loaded.items)}
    assert not a & b
    # A manifest id replaces both, so a retitled or re-filed page keeps its notes.
    assert replace(loaded.article, identity="nmt-basics").key == replace(other, identity="nmt-basics").key


def test_a_key_ignores_spacing_and_sentence_punctuation() -> None:
    assert guid_key("Where does photosynthesis happen ?") == guid_key("Where does photosynthesis happen?")
    assert guid_key("What is NMT?!") == guid_key("what is  NMT") == "what is nmt"
    assert guid_key("C++") != guid_key("C#") != guid_key("C")
