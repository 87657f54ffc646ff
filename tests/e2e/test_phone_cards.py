"""Cards on a phone: in the preview at 390 px wide (an iPhone's CSS width), light and night mode.

Nothing on a card is wider than the card (images, tables, long words), right-to-left text runs right
to left, and evidence and list cards stay within a few screens. A screenshot per card type and mode
is kept in test-artifacts/ for a reviewer's eye.
"""

from __future__ import annotations

import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..browser import ARTIFACTS, CHROMIUM
from ..conftest import FIXTURES, SEED, run_ankiexport
from .test_preview import CHROMIUM_FLAGS

PHONE = {"width": 390, "height": 844}
# A card's back may take this many phone screens; beyond that the student scrolls through a wall.
MAX_SCREENS = 2.5


def wide_png(width: int, height: int) -> bytes:
    """A valid grey PNG of the given size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x90\x90\x90" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


RTL_PAGE = """<html lang="he"><head><meta charset="utf-8"><title>Wide and Hebrew</title></head><body><main>
<h1>Wide and Hebrew</h1>
<h2>מושגים</h2>
<dl>
<dt>תא</dt><dd>היחידה הבסיסית של החיים, המוקפת בקרום התא ומכילה את החומר הגנטי.</dd>
<dt>Panorama</dt><dd>A picture much wider than a phone. <img src="wide.png" alt="wide"></dd>
<dt>Long word</dt><dd>Pneumonoultramicroscopicsilicovolcanoconiosis-pneumonoultramicroscopic is long.</dd>
</dl>
</main></body></html>
"""


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("phone")
    shutil.copy(SEED, folder / "nmt.txt")  # definitions, lists, FAQs, quiz questions answered by evidence
    shutil.copy(FIXTURES / "quizzes" / "cells.quiz.yaml", folder / "cells.quiz.yaml")  # options
    (folder / "wide.html").write_text(RTL_PAGE, encoding="utf-8")
    (folder / "wide.png").write_bytes(wide_png(1600, 300))
    done = run_ankiexport("build", "nmt.txt", "cells.quiz.yaml", "wide.html", "-o", "all.apkg", "-q", cwd=folder)
    assert done.returncode == 0, done.stderr
    done = run_ankiexport("preview", "all.apkg", "-o", "all.html", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "all.html"


@pytest.fixture(scope="module", params=["light", "night"])
def phone(request: pytest.FixtureRequest, preview: Path) -> Iterator[tuple[Any, str]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport=PHONE, device_scale_factor=2,
                                      color_scheme="dark" if request.param == "night" else "light")
        page = context.new_page()
        page.goto(preview.as_uri())
        page.wait_for_load_state("load")
        yield page, request.param
        browser.close()


# Per card type: a JS test that picks its first card in the preview.
CARD_TYPES = {
    "definition": "c => c.dataset.kind === 'definition'",
    "list": "c => c.dataset.kind === 'chapter' && c.querySelector('.pv-render[data-side=back]')"
            ".shadowRoot.querySelector('li')",
    "faq": "c => c.dataset.kind === 'faq'",
    "quiz-options": "c => c.dataset.kind === 'quiz' && c.querySelector('.pv-render[data-side=back]')"
                    ".shadowRoot.querySelector('.ae-choices')",
    "quiz-evidence": "c => c.dataset.kind === 'quiz' && c.querySelector('.pv-render[data-side=back]')"
                     ".shadowRoot.querySelector('.ae-evidence')",
    "image": "c => c.querySelector('.pv-render[data-side=back]').shadowRoot.querySelector('img')",
    "rtl": "c => /[\\u0590-\\u05ff]/.test(c.dataset.text)",
}

MEASURE = """([pick]) => {
  const card = [...document.querySelectorAll('.pv-card')].find(eval(pick));
  if (!card) { return null; }
  card.scrollIntoView();
  const sides = [...card.querySelectorAll('.pv-render')].map(render => {
    const root = render.shadowRoot.querySelector('.card');
    const box = root.getBoundingClientRect();
    const wider = [...root.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > box.right + 1
                                                           || e.getBoundingClientRect().left < box.left - 1);
    const prompt = root.querySelector('.ae-prompt') || root.querySelector('.ae-answer');
    return {width: box.width, height: box.height, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
            wider: wider.map(e => e.tagName + '.' + e.className),
            direction: prompt ? getComputedStyle(prompt).direction : '',
            images: [...root.querySelectorAll('img')].map(i => i.getBoundingClientRect().width)};
  });
  return {guid: card.dataset.guid, sides: sides, pageWidth: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("card_type", list(CARD_TYPES))
def test_cards_fit_a_phone(phone: tuple[Any, str], card_type: str) -> None:
    page, mode = phone
    found = page.evaluate(MEASURE, [CARD_TYPES[card_type]])
    assert found is not None, f"no {card_type} card in the preview"
    card = page.locator(f'.pv-card[data-guid="{found["guid"]}"]').first
    ARTIFACTS.mkdir(exist_ok=True)
    card.screenshot(path=str(ARTIFACTS / f"phone-{card_type}-{mode}.png"))
    assert found["pageWidth"] <= PHONE["width"], "the preview scrolls sideways"
    for side in found["sides"]:
        assert side["scrollWidth"] <= side["clientWidth"] + 1, side
        assert not side["wider"], side
        assert all(width <= side["width"] for width in side["images"]), side
        assert side["height"] <= MAX_SCREENS * PHONE["height"], side
    if card_type == "rtl":
        assert {side["direction"] for side in found["sides"]} == {"rtl"}
