"""A build's workers send their articles and notes back pickled. Every class pickles the default
way (its fields, whatever they are), so a field added to an item or a note reaches the deck unedited."""

from __future__ import annotations

import importlib
import pickle
import pkgutil
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

import ankiexport
from ankiexport import load
from ankiexport.ankifile.reader import media_files, read_apkg
from ankiexport.batch import build_batch
from ankiexport.model import Faq, MediaFile, QuizItem, Span
from ankiexport.notes import NEEDS_REVIEW, NoteSpec, article_notes
from ankiexport.plans import ArticleSpec, DeckPlan
from ankiexport.prepare import Loaded
from ankiexport.workers import ArticleJob, read_job

from ..conftest import FIXTURES, SEED
from ..e2e.test_html_deck import tiny_png

# What a class may define to pickle other than by its fields.
PICKLING_HOOKS = {"__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__getnewargs__",
                  "__getnewargs_ex__", "__getattr__"}


def dataclasses_of_ankiexport() -> list[type]:
    classes = []
    for module_info in pkgutil.walk_packages(ankiexport.__path__, "ankiexport."):
        if module_info.name.endswith(".__main__"):
            continue  # running it is the CLI
        module = importlib.import_module(module_info.name)
        classes += [value for value in vars(module).values()
                    if isinstance(value, type) and is_dataclass(value) and value.__module__ == module.__name__]
    return classes


def test_no_dataclass_pickles_itself_by_hand() -> None:
    classes = dataclasses_of_ankiexport()
    assert {"Article", "Block", "Definition", "QuizItem", "Evidence", "NoteSpec", "NoteType", "Loaded",
            "DeckSpec", "BuildResult"} <= {c.__name__ for c in classes}
    for cls in classes:
        assert not PICKLING_HOOKS & set(vars(cls)), cls


def html_article_with_an_image(folder: Path) -> Path:
    (folder / "dot.png").write_bytes(tiny_png(b"\x10\x20\x30"))
    article = folder / "pixels.html"
    article.write_text('<title>Pixels</title><h2>Screens</h2><p><b>Pixel</b>: The smallest dot of a picture on a '
                       'screen. <img src="dot.png"></p>', encoding="utf-8")
    return article


def articles(folder: Path) -> list[Path]:
    return [SEED, *sorted((FIXTURES / "articles").glob("*.txt")), *sorted((FIXTURES / "quizzes").iterdir()),
            html_article_with_an_image(folder)]


def values_a_build_makes(folder: Path) -> list[Any]:
    values: list[Any] = []
    for path in articles(folder):
        loaded = load(path)
        article = loaded.article
        notes = article_notes(article, loaded.items)
        values += [loaded, article, *article.blocks, *article.chapters, *article.media, *loaded.items,
                   *loaded.skipped, *notes, *(n.note_type for n in notes)]
        values += [e for i in loaded.items if isinstance(i, QuizItem) for e in (*i.evidence, i.span)]
        values.append(read_job(ArticleJob(path, None, "evidence")))
    return values


def test_every_value_a_build_makes_pickles_to_itself(tmp_path: Path) -> None:
    values = values_a_build_makes(tmp_path)
    assert {type(v).__name__ for v in values} >= {
        "Loaded", "Article", "Block", "Chapter", "MediaFile", "Definition", "KeyPoint", "ChapterNote",
        "Takeaway", "Faq", "QuizItem", "Evidence", "Span", "NoteSpec", "NoteType", "ArticleRead"}
    for value in values:
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            back = pickle.loads(pickle.dumps(value, protocol))
            assert type(back) is type(value) and back == value
            assert [getattr(back, f.name) for f in fields(value)] == [getattr(value, f.name) for f in fields(value)]


@dataclass(frozen=True)
class FaqWithSource(Faq):
    source_url: str = ""


@dataclass(frozen=True)
class NoteWithReviewer(NoteSpec):
    reviewer: str = ""


def test_a_field_a_class_gains_survives_pickling() -> None:
    loaded = load(SEED)
    note = article_notes(loaded.article, loaded.items)[0]
    faq = FaqWithSource(chapter=("A",), span=Span(3, 4), question="Why?", answer="Because.",
                        source_url="https://example.org/a")
    reviewed = NoteWithReviewer(**{f.name: getattr(note, f.name) for f in fields(NoteSpec)}, reviewer="Kim")
    media = MediaFile("0123456789abcdef.png", b"\x89PNG")
    sent = (Loaded(loaded.path, loaded.article, (faq,)), reviewed, media)
    back = pickle.loads(pickle.dumps(sent))
    assert back == sent
    assert back[0].items[0].source_url == "https://example.org/a" and back[1].reviewer == "Kim"


def test_workers_send_back_every_article_and_note_whole(tmp_path: Path) -> None:
    """A deck built from what workers sent back is the deck built in one process, image and quiz
    evidence included."""
    paths = articles(tmp_path)
    results = []
    for jobs in (1, 2):
        plan = DeckPlan(tmp_path / f"j{jobs}" / "deck.apkg", tuple(ArticleSpec(p) for p in paths), deck="Deck")
        missing = DeckPlan(tmp_path / f"j{jobs}" / "none.apkg", (ArticleSpec(tmp_path / "missing.txt"),))
        results.append(build_batch([plan, missing], jobs=jobs, timestamp=1_700_000_000))
    one, two = results
    [built_one], [built_two] = one.outputs, two.outputs
    assert built_one.output.read_bytes() == built_two.output.read_bytes()
    assert built_one.articles == built_two.articles == tuple(paths)
    deck = read_apkg(built_one.output)
    assert list(media_files(deck).values()) == [tiny_png(b"\x10\x20\x30")]
    assert any(NEEDS_REVIEW in note.tags for note in deck.notes)  # a quiz question answered by evidence
    assert built_one.decks == built_two.decks and built_one.warnings == built_two.warnings
    assert [(f.path, f.stage, f.message) for f in one.failures] == [(f.path, f.stage, f.message)
                                                                    for f in two.failures] != []
