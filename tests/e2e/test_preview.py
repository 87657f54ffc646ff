"""`ankiexport preview`: the page shows every card the real Anki backend makes, as it renders them, and
works in real headless Chromium (Debian's chromium, driven by Playwright) without running card content."""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from ankiexport.ankifile.writer import DeckSpec, Package, write_apkg
from ankiexport.notes import NoteSpec
from ankiexport.notetypes import CSS, FieldDef, NoteType, TemplateDef
from ankiexport.pipeline import Options, build
from ankiexport.plans import BuildRequest
from ankiexport.preview.page import collect
from ankiexport.release import ankicheck

from ..conftest import FIXTURES, ROOT, SEED, run_ankiexport

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


Rendered = dict[tuple[str, int], tuple[str, str]]  # (note GUID, template ord) → (question, answer)


def ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def anki_cards(apkg: Path, tmp_path: Path) -> Rendered:
    """Every card of the deck as the real Anki backend renders it."""
    with ankicheck.open_collection(tmp_path / f"{apkg.stem}.anki2") as col:
        ankicheck.import_package(col, apkg)
        cards = {}
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            output = card.render_output(reload=True)
            cards[(card.note().guid, card.ord)] = (output.question_text, output.answer_text)
        return cards


@pytest.fixture(scope="module")
def seed_decks(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, tuple[Path, Rendered]]:
    """The seed built without and with --reverse, each with its cards as the Anki backend renders them."""
    tmp = tmp_path_factory.mktemp("seed")
    decks = {}
    for reverse in (False, True):
        apkg = build([SEED], tmp / f"seed-{reverse}.apkg", options=Options(reverse=reverse), timestamp=1_700_000_000)
        decks[reverse] = (apkg.output, anki_cards(apkg.output, tmp))
    return decks


# --- the seed: the preview's cards are Anki's cards ----------------------------------------------

@pytest.mark.parametrize("reverse", [False, True])
def test_seed_preview_matches_the_anki_backend(seed_decks: Any, reverse: bool) -> None:
    _, theirs = seed_decks[reverse]
    preview = collect(SEED, BuildRequest(reverse=reverse))
    ours = {(c.guid, c.ord): (c.question, c.answer) for c in preview.cards}
    assert set(ours) == set(theirs)  # same cards: the generation rules agree with Anki's
    assert len(ours) == (55 if reverse else 37)
    for key, (question, answer) in theirs.items():
        assert (ws(ours[key][0]), ws(ours[key][1])) == (ws(question), ws(answer)), key


def test_quiz_file_preview_matches_the_anki_backend(tmp_path: Path) -> None:
    """Multiple-choice cards, one with the shuffle script: the renderer keeps the script as Anki does."""
    quiz = FIXTURES / "quizzes" / "cells.quiz.yaml"
    apkg = build([quiz], tmp_path / "quiz.apkg", timestamp=1_700_000_000).output
    theirs = anki_cards(apkg, tmp_path)
    ours = {(c.guid, c.ord): (c.question, c.answer) for c in collect(quiz).cards}
    assert set(ours) == set(theirs) and any("<script>" in q for q, _ in theirs.values())
    for key, (question, answer) in theirs.items():
        assert (ws(ours[key][0]), ws(ours[key][1])) == (ws(question), ws(answer)), key


def test_preview_of_the_built_apkg_equals_preview_of_the_article(seed_decks: Any) -> None:
    apkg, _ = seed_decks[True]
    from_article = collect(SEED, BuildRequest(reverse=True))
    from_package = collect(apkg)
    assert [(c.guid, c.ord, c.question, c.answer, c.chapter, c.kind) for c in from_package.cards] == \
        [(c.guid, c.ord, c.question, c.answer, c.chapter, c.kind) for c in from_article.cards]


def test_manifest_preview_uses_the_manifest_deck(tmp_path: Path) -> None:
    preview = collect(ROOT / "sources" / "neuromuscular-therapy.yaml")
    assert {c.deck for c in preview.cards} == {"Medicine::Neuromuscular Therapy"}
    assert len(preview.cards) == 37


def test_manifest_preview_writes_only_the_page(tmp_path: Path, cli: Callable[..., Result]) -> None:
    manifest = tmp_path / "course.yaml"
    shutil.copy(SEED, tmp_path / "seed.txt")
    manifest.write_text("deck: Course\nreverse: true\narticles: [seed.txt]\n", encoding="utf-8")
    done = cli("preview", manifest, "-o", tmp_path / "p.html")
    assert done.exit_code == 0, done.output
    assert "(55 cards from 37 notes)" in done.output  # the manifest's reverse: true applies
    assert sorted(os.listdir(tmp_path)) == ["course.yaml", "p.html", "seed.txt"]  # no lock file, no deck


def test_preview_takes_what_build_takes(tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = FIXTURES / "articles"
    page = tmp_path / "mixed.html"
    done = cli("preview", folder, "--merge", "--deck", "Mixed", "--kinds", "definition", "-o", page, "-q")
    assert done.exit_code == 0 and done.output == "", done.output
    shown = collect([folder], BuildRequest(merge=True, deck="Mixed", kinds=("definition",)))
    assert {c.deck.split("::")[0] for c in shown.cards} == {"Mixed"} and {c.kind for c in shown.cards} == {"definition"}
    assert len({c.deck for c in shown.cards}) == len(list(folder.glob("*.txt")))  # a subdeck per article
    two = cli("preview", ROOT / "sources" / "neuromuscular-therapy.yaml", SEED, "-o", page)
    assert two.exit_code == 2 and "one deck file" in two.output


def test_warnings_name_answerless_quiz_items_and_chapterless_items() -> None:
    preview = collect(SEED)
    titles = [w.title for w in preview.warnings]
    assert any("quiz item" in t for t in titles), titles
    quiz = next(w for w in preview.warnings if "quiz item" in w.title)
    assert len(quiz.details) == 3 and all(d.endswith("?") or d.endswith("…") for d in quiz.details)


# --- the page in real Chromium -------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install chromium (.ci/run does)"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


class Opened:
    def __init__(self, page: Any, problems: list[str], requests: list[str]) -> None:
        self.page, self.problems, self.requests = page, problems, requests


def type_filter(page: Any, text: str) -> None:
    """Type into the filter box and wait until the page has applied it (filtering is debounced)."""
    page.fill("#pv-filter", text)
    page.wait_for_function("text => document.getElementById('pv-filter').dataset.applied === text", arg=text)


def open_page(browser: Any, html: Path) -> Opened:
    context = browser.new_context()  # a fresh profile per page
    page = context.new_page()
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(html.as_uri())
    page.wait_for_load_state("load")
    return Opened(page, problems, requests)


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory, seed_decks: Any) -> tuple[Path, int]:
    """The seed's preview (with reverse cards), written by the real entry point, and the number of cards
    real Anki imports from the same deck."""
    html = tmp_path_factory.mktemp("page") / "preview.html"
    done = run_ankiexport("preview", SEED, "--reverse", "-o", html, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"wrote .*preview\.html \(55 cards from 37 notes\)\n", done.stdout), done.stdout
    _, anki_rendered = seed_decks[True]
    return html, len(anki_rendered)


def test_page_in_chromium_counts_filters_and_logs_no_errors(browser: Any, seed_page: tuple[Path, int]) -> None:
    html, deck_cards = seed_page
    opened = open_page(browser, html)
    page = opened.page
    cards = page.locator(".pv-card")
    assert deck_cards == 55
    assert cards.count() == deck_cards
    assert int(page.inner_text("#pv-total")) == deck_cards
    assert page.locator(".pv-render").count() == 2 * deck_cards
    assert page.eval_on_selector_all(".pv-render", "els => els.filter(e => !e.shadowRoot).length") == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "preview-light.png"))

    type_filter(page, "trigger point")
    visible = page.locator(".pv-card:visible")
    assert 0 < visible.count() < deck_cards
    assert int(page.inner_text("#pv-shown")) == visible.count()
    for text in visible.evaluate_all("els => els.map(e => e.dataset.text)"):
        assert "trigger" in text and "point" in text
    page.screenshot(path=str(ARTIFACTS / "preview-filtered.png"))
    hidden_chapters = page.locator(".pv-chapter:not(:visible)").count()
    assert hidden_chapters > 0  # chapters with no match fold away, the others count what they show
    shown_per_chapter = page.locator(".pv-chapter:visible .pv-chapter-shown").all_inner_texts()
    assert sum(map(int, shown_per_chapter)) == visible.count()
    type_filter(page, "no card says this")
    assert page.locator(".pv-card:visible").count() == 0 and page.inner_text("#pv-shown") == "0"
    type_filter(page, "")
    assert page.locator(".pv-card:visible").count() == deck_cards

    def card_background() -> str:
        return str(page.eval_on_selector(
            ".pv-render", "el => getComputedStyle(el.shadowRoot.querySelector('.card')).backgroundColor"))
    light = card_background()
    page.click("#pv-theme")
    assert page.get_attribute("html", "data-theme") == "dark"
    assert card_background() != light  # the deck's own night-mode CSS applies
    page.screenshot(path=str(ARTIFACTS / "preview-dark.png"))
    page.click("#pv-theme")
    assert card_background() == light

    assert opened.problems == []
    assert all(url.startswith(("file:", "data:")) for url in opened.requests), opened.requests
    page.context.close()


def test_page_cards_show_what_anki_renders(browser: Any, seed_page: tuple[Path, int], seed_decks: Any) -> None:
    """Each side on the page, read back from Chromium, equals Anki's rendering of that card put
    through the page's sanitiser and the same HTML serialiser."""
    from ankiexport.preview.page import SideCleaner

    html, _ = seed_page
    _, theirs = seed_decks[True]
    opened = open_page(browser, html)
    shown = opened.page.evaluate("""() => Array.from(document.querySelectorAll('.pv-card')).map(card => {
        const side = s => card.querySelector(`.pv-render[data-side=${s}]`).shadowRoot.querySelector('.card').innerHTML;
        return [card.dataset.guid, Number(card.dataset.ord), side('front'), side('back')];
    })""")
    cleaner = SideCleaner({})
    expected = {key: [cleaner.clean(question), cleaner.clean(answer)] for key, (question, answer) in theirs.items()}
    serialised = opened.page.evaluate("""sides => sides.map(html => {
        const t = document.createElement('template'); t.innerHTML = html; return t.innerHTML; })""",
        [side for pair in expected.values() for side in pair])
    normalised = dict(zip(expected, zip(serialised[::2], serialised[1::2], strict=True), strict=True))
    assert len(shown) == len(theirs)
    for guid, ord_, front, back in shown:
        assert (ws(front), ws(back)) == tuple(map(ws, normalised[(guid, ord_)])), (guid, ord_)
    opened.page.context.close()


def hostile_deck(path: Path) -> Path:
    """A package whose template and fields try to run script and load remote content."""
    note_type = NoteType(
        id=1_999_000_001, name="Hostile", css=CSS + "\n.card { outline: 1px solid red; }",
        fields=(FieldDef("Front", 1), FieldDef("Back", 2)),
        templates=(TemplateDef(
            "Card 1", 3,
            front='{{Front}}<script>window.pwned = "template";</script>'
                  '<img src="x.png" onerror="window.pwned = \'onerror\'"><img src="https://example.com/t.png">',
            back='{{FrontSide}}<hr id="answer">{{Back}}<a href="javascript:window.pwned=1">link</a>'
                 '<button class="choice" data-key="A" onclick="window.pwned = \'click\'">A</button>'),),
    )
    note = NoteSpec(guid="hostile-1", note_type=note_type, fields=("Front <b>side</b>", "Back side"),
                    tags=("kind::test",), kind="test", chapter=(), article="Hostile", line=1)
    return write_apkg(Package((DeckSpec("Hostile", (note,)),), 1_700_000_000), path)


def test_card_content_cannot_run_script_or_reach_the_network(browser: Any, tmp_path: Path,
                                                             cli: Callable[..., Result]) -> None:
    apkg = hostile_deck(tmp_path / "hostile.apkg")
    html = tmp_path / "hostile.html"
    done = cli("preview", apkg, "-o", html)
    assert done.exit_code == 0, done.output
    assert "card scripts do not run" in done.output and "image(s) left out" in done.output
    source = html.read_text(encoding="utf-8")
    assert "pwned" not in source and "onerror" not in source and "example.com/t.png" not in source.split("<main>")[1]
    assert "Content-Security-Policy" in source
    opened = open_page(browser, html)
    assert opened.page.evaluate("() => window.pwned") is None
    assert opened.page.locator(".pv-card").count() == 1
    button = opened.page.locator(".pv-render[data-side=back] button.choice[data-key=A]")  # pierces the shadow root
    button.click()
    assert opened.page.evaluate("() => window.pwned") is None
    assert opened.problems == []
    assert all(url.startswith(("file:", "data:")) for url in opened.requests), opened.requests
    opened.page.context.close()


# A 1×1 PNG: an image the exported package carries as media.
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63"
                      "6000000200015e2a4f5d0000000049454e44ae426082")


def anki_export(tmp_path: Path, *, legacy: bool) -> tuple[Path, int]:
    """A package exported by Anki itself: stock cloze and reversed note types, an image. Returns it and
    how many cards its collection holds."""
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    with ankicheck.open_collection(tmp_path / "source.anki2") as col:
        deck_id = col.decks.id("Shared::Biology")
        image = tmp_path / "cell.png"
        image.write_bytes(PIXEL)
        name = col.media.add_file(str(image))
        cloze = col.new_note(col.models.by_name("Cloze"))
        cloze["Text"] = f'A {{{{c1::cell}}}} has a {{{{c2::membrane::outer layer}}}}<img src="{name}">'
        col.add_note(cloze, deck_id)
        basic = col.new_note(col.models.by_name("Basic (and reversed card)"))
        basic["Front"], basic["Back"] = "osmosis", "water crossing a membrane"
        col.add_note(basic, deck_id)
        out = tmp_path / f"shared-{legacy}.apkg"
        col.export_anki_package(out_path=str(out), limit=DeckIdLimit(deck_id=deck_id), options=ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=True, legacy=legacy))
        return out, col.card_count()


@pytest.mark.parametrize("legacy", [True, False], ids=["legacy-export", "current-export"])
def test_a_deck_exported_by_anki_previews_every_card(browser: Any, tmp_path: Path, cli: Callable[..., Result],
                                                     legacy: bool) -> None:
    # The current export (collection.anki21b) compresses the collection, the media map and each image.
    apkg, card_count = anki_export(tmp_path, legacy=legacy)
    html = tmp_path / "shared.html"
    done = cli("preview", apkg, "-o", html)
    assert done.exit_code == 0, done.output
    assert "left out" not in done.output
    opened = open_page(browser, html)
    page = opened.page
    assert page.locator(".pv-card").count() == card_count == 4
    assert int(page.inner_text("#pv-total")) == card_count
    fronts = page.locator(".pv-render[data-side=front]").evaluate_all("els => els.map(e => e.shadowRoot.textContent)")
    assert any("[...]" in f and "membrane" in f for f in fronts)  # cloze 1 hides "cell"
    assert any("[outer layer]" in f for f in fronts)  # cloze 2 shows its hint
    sources = page.locator(".pv-render img").evaluate_all("els => els.map(e => e.getAttribute('src'))")
    assert sources and all(src.startswith("data:image/png;base64,") for src in sources)
    assert page.locator(".pv-render img").evaluate_all("els => els.every(e => e.naturalWidth === 1)")
    assert opened.problems == []
    page.context.close()


# --- the command ---------------------------------------------------------------------------------

def test_preview_opens_the_page_with_open(tmp_path: Path) -> None:
    opener = tmp_path / "fake-browser"
    seen = tmp_path / "opened.txt"
    opener.write_text(f'#!/bin/sh\necho "$1" > {seen}\n')
    opener.chmod(opener.stat().st_mode | stat.S_IXUSR)
    html = tmp_path / "p.html"
    done = run_ankiexport("preview", SEED, "-o", html, "--open", env={"BROWSER": str(opener)})
    assert done.returncode == 0, done.stderr
    assert seen.read_text().strip() == html.resolve().as_uri()


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    (b"not a zip", "not a zip archive"),
])
def test_bad_packages_fail_cleanly_and_write_nothing(tmp_path: Path, content: bytes | None, message: str) -> None:
    apkg = tmp_path / "deck.apkg"
    if content is not None:
        apkg.write_bytes(content)
    html = tmp_path / "p.html"
    done = run_ankiexport("preview", apkg, "-o", html)
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {apkg}: {message}") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert not html.exists() and os.listdir(tmp_path) == (["deck.apkg"] if content else [])


def test_missing_article_fails_with_a_one_line_error(tmp_path: Path, cli: Callable[..., Result]) -> None:
    done = cli("preview", tmp_path / "nope.txt", "-o", tmp_path / "p.html")
    assert done.exit_code == 1 and done.output.startswith("error: ") and "nope.txt" in done.output
    assert not (tmp_path / "p.html").exists()


def test_apkg_input_refuses_article_flags(tmp_path: Path, seed_decks: Any, cli: Callable[..., Result]) -> None:
    apkg, _ = seed_decks[False]
    for flag in ("--reverse", "--deck=X", "--quiz-without-answer=skip"):
        done = cli("preview", apkg, flag, "-o", tmp_path / "p.html")
        assert done.exit_code == 2 and "an .apkg is previewed as it is" in done.output
    assert not (tmp_path / "p.html").exists()


def test_page_is_readable_like_any_written_file_and_unwritable_targets_fail_cleanly(
        tmp_path: Path, seed_decks: Any, cli: Callable[..., Result]) -> None:
    apkg, _ = seed_decks[False]
    html = tmp_path / "p.html"
    done = cli("preview", apkg, "-o", html)
    assert done.exit_code == 0, done.output
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(html.stat().st_mode) == 0o666 & ~umask
    blocked = tmp_path / "file"
    blocked.write_text("x")
    done = cli("preview", apkg, "-o", blocked / "p.html")
    assert done.exit_code == 1 and done.output.startswith("error: ") and "cannot write the preview" in done.output
