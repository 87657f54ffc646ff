"""The HTML reader over every real third-party page in ../shared/corpus/html/ (read in place, never copied)."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from ankiexport import Loaded
from ankiexport import load as load_uncached
from ankiexport.model import Definition, Faq, QuizItem
from ankiexport.readers.html.page import decode_html

from ..conftest import SHARED, shared_dir

CORPUS_PAGES = sorted((SHARED / "corpus" / "html").glob("*.html"))

# FAQPage declarations and how many questions each declares (counted in the pages' own markup).
DECLARED_FAQS = {
    "haus.de.vorsatzschalung.html": 4,  # JSON-LD in an @graph
    "financescout24.de.autokredit.html": 14,  # JSON-LD with HTML answers
    "smava.de.privatkredit.html": 4,  # JSON-LD in its own block
    "allsavoryrecipes.com.paprika-chicken.html": 4,  # microdata on <details>/<summary>
    "german.stackexchange.com.ausgeraubt.html": 1,  # QAPage microdata: question → accepted answer
}


@cache
def load(path: Path) -> Loaded:
    """Each page is read once per run: several tests look at the same page."""
    return load_uncached(path)


def page(name: str) -> Path:
    return shared_dir("corpus", "html") / name


@pytest.mark.parametrize("path", CORPUS_PAGES, ids=lambda p: p.name)
def test_every_corpus_page_reads_without_error(path: Path) -> None:
    loaded = load(path)
    article = loaded.article
    assert article.title.strip()
    for item in loaded.items:
        for value in item.fields().values():
            assert "<script" not in value.lower() and "javascript:" not in value.lower()


def test_corpus_is_present_or_skipped() -> None:
    shared_dir("corpus", "html")
    assert len(CORPUS_PAGES) >= 30


@pytest.mark.parametrize(("name", "count"), sorted(DECLARED_FAQS.items()))
def test_faq_pages_give_the_faqs_they_declare(name: str, count: int) -> None:
    items = load(page(name)).items
    faqs = [i for i in items if isinstance(i, Faq)]
    assert len(faqs) == count
    assert all(f.question.strip() and f.answer.strip() for f in faqs)
    assert len({f.question for f in faqs}) == count  # visible FAQ sections are not counted twice
    assert all(f.chapter == ("FAQ",) for f in faqs)


def test_faq_texts_are_the_declared_ones() -> None:
    faqs = [i for i in load(page("haus.de.vorsatzschalung.html")).items if isinstance(i, Faq)]
    assert [f.question for f in faqs] == [
        "Was ist eine Vorsatzschalung?",
        "Welche Voraussetzungen gibt es für eine Vorsatzschalung?",
        "Kann eine Vorsatzschalung den Schallschutz verbessern?",
        "Wie kann man eine Vorsatzschalung befestigen?",
    ]
    assert "&comma;" not in " ".join(f.answer for f in faqs)  # entities decoded, not shown raw
    html_answers = [i for i in load(page("financescout24.de.autokredit.html")).items if isinstance(i, Faq)]
    assert html_answers[0].question == "Was ist ein Autokredit?"
    assert "<p>" not in html_answers[0].answer or "</p>" in html_answers[0].answer


@pytest.mark.parametrize("syntax", ["jsonld", "microdata", "rdfa"])
def test_question_samples_give_a_quiz_item(syntax: str) -> None:
    items = load(page(f"schema.org.eg-0186-question-{syntax}.html")).items
    assert len(items) == 1
    quiz = items[0]
    assert isinstance(quiz, QuizItem)
    assert quiz.question == "What is attr_accessor in Ruby?"
    accepted = "(The text of the accepted answer goes here...)."
    assert [quiz.options[i] for i in quiz.correct] == [accepted]
    if syntax == "jsonld":  # its suggested answer repeats the accepted one's text: one option
        assert quiz.options == (accepted,)
    else:
        assert set(quiz.options) == {accepted, "(Another explanation would go here)."}


def test_glossaries_give_their_definitions() -> None:
    sphinx = [i for i in load(page("blockchain-for-dummies.glossary.html")).items if type(i) is Definition]
    assert len(sphinx) == 54  # one <dl class="glossary"> with 54 entries
    bold = [i.term for i in load(page("3d-printing-info.github.io.glossary.html")).items]
    assert bold == ["Additive process/Additive manufacturing", "Fused deposition modeling (FDM)", "Polymer", "CAD",
                    "Steriolithic apparatus (SLA)", "Injection molding"]
    sre = [i.term for i in load(page("google-sre-book.monitoring-distributed-systems.html")).items
           if isinstance(i, Definition)]
    assert {"Monitoring", "White-box monitoring", "Black-box monitoring", "Dashboard", "Alert"} <= set(sre)
    terms = [i.term for i in load(page("schema.org.eg-0315-definedtermset-microdata.html")).items]
    assert terms == ["calendar year", "schema"]


def test_dfn_terms_and_the_dfn_trap() -> None:
    dive = [i.term for i in load(page("diveintopython3.net.native-datatypes.html")).items if type(i) is Definition]
    assert {"list", "immutable", "superset"} <= set(dive)
    misused = load(page("energieverbraucher.de.energie.html")).items
    assert not [i for i in misused if type(i) is Definition and not any(c.isalpha() for c in i.term)]


def test_wikipedia_indent_dl_is_not_a_glossary() -> None:
    # Its four <dl> hold only <dd>s that indent formulas: the reader makes no definitions of them.
    article = load(page("en.wikipedia.org.tsne.html")).article
    assert not [i for i in article.structured if type(i) is Definition]


def test_declared_encodings_decode() -> None:
    # 0x96 is an en dash in windows-1252 and a C1 control in Latin-1.
    text = decode_html(page("automobilwoche.de.vw-betriebsversammlung.html").read_bytes())
    assert "EXKLUSIV – Mitarbeiter" in text and "\x96" not in text
    latin1 = load(page("landwirt.com.sensortechnik.html")).article
    body = " ".join(b.text for b in latin1.blocks)
    assert "\ufffd" not in body and any(c in body for c in "äöüß")
    chinese = load(page("baike.baidu.com.tanya.html")).article
    assert chinese.title == "蔡健雅"


def test_headed_sections_and_chapter_tree() -> None:
    article = load(page("haus.de.vorsatzschalung.html")).article
    kinds = Counter(i.kind for i in load(page("haus.de.vorsatzschalung.html")).items)
    assert kinds["takeaway"] >= 1  # "Das Wichtigste in Kürze" opens the key takeaways
    assert article.language == "de"
    dive = load(page("diveintopython3.net.native-datatypes.html")).article
    assert max(c.level for c in dive.chapters) >= 2  # h2 → h3 nest
    simply = load(page("simplyscience.ch.erdoel.html")).article
    assert simply.language == "de"  # lang="en-us" on a German page: the text decides
