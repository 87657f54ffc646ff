"""Benchmark: ``ankiexport preview`` of a large deck, written and then opened in headless Chromium.

    python benchmarks/preview_bench.py                     # 500, 2,000 notes (1,000, 4,000 cards)
    python benchmarks/preview_bench.py --notes 100,5000

For each size it writes a package of N definition notes with reverse cards (2 cards each, 50 notes per
chapter), then times reading + rendering every card, writing the page, and opening it in Chromium
(load event) and one filter pass. Prints a table; figures depend on the machine, so nothing asserts
them. Needs Playwright and Debian's /usr/bin/chromium (the test extra).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ankiexport.ankifile.writer import DeckSpec, Package, write_apkg  # noqa: E402
from ankiexport.notes import NoteSpec  # noqa: E402
from ankiexport.notetypes import DEFINITION  # noqa: E402
from ankiexport.preview.page import collect, write_preview  # noqa: E402

NOTES_PER_CHAPTER = 50
CHROMIUM = "/usr/bin/chromium"


def deck(path: Path, notes: int) -> Path:
    specs = tuple(
        NoteSpec(guid=f"bench-{i}", note_type=DEFINITION, kind="definition", article="Benchmark", line=i,
                 fields=(f"Term {i}", f"Definition number {i}: " + "a sentence of ordinary length " * 6, "",
                         f"Chapter {i // NOTES_PER_CHAPTER}", "Benchmark", "y"),
                 tags=("kind::definition",), chapter=(f"Chapter {i // NOTES_PER_CHAPTER}",))
        for i in range(notes))
    return write_apkg(Package((DeckSpec("Benchmark", specs),), 1_700_000_000), path)


def open_in_chromium(page: Path, last_term: str) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        start = time.perf_counter()
        tab.goto(page.as_uri())
        tab.wait_for_load_state("load")
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        tab.fill("#pv-filter", last_term)
        tab.wait_for_function("t => document.getElementById('pv-filter').dataset.applied === t", arg=last_term)
        filtered = time.perf_counter() - start
        browser.close()
    return loaded, filtered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", default="500,2000", help="comma-separated deck sizes in notes")
    args = parser.parse_args()
    print(f"{'notes':>6} {'cards':>6} {'render s':>9} {'write s':>8} {'page MB':>8} {'open s':>7} {'filter s':>9}")
    with tempfile.TemporaryDirectory(prefix="preview-bench-") as tmp:
        for notes in (int(n) for n in args.notes.split(",")):
            apkg = deck(Path(tmp) / f"deck-{notes}.apkg", notes)
            start = time.perf_counter()
            preview = collect(apkg)
            rendered = time.perf_counter() - start
            start = time.perf_counter()
            page = write_preview(preview, Path(tmp) / f"deck-{notes}.html")
            written = time.perf_counter() - start
            loaded, filtered = open_in_chromium(page, f"term {notes - 1}")
            print(f"{notes:>6} {len(preview.cards):>6} {rendered:>9.2f} {written:>8.2f} "
                  f"{page.stat().st_size / 1e6:>8.1f} {loaded:>7.2f} {filtered:>9.2f}")


if __name__ == "__main__":
    main()
