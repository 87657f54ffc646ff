"""How a build treats memory: reading an article leaves no reference cycles, reading imports no more
than it needs, and a batch's memory does not grow with the decks it writes.

A page's objects must go the moment the page is read: one cycle that reaches the page (a parser, a
closure holding the tree) keeps the whole lxml tree alive until the collector runs.
"""

from __future__ import annotations

import gc
import random
import subprocess
import sys
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ankiexport.batch import build_batch
from ankiexport.plans import ArticleSpec, DeckPlan
from ankiexport.workers import ArticleJob, read_job
from tests.conftest import FIXTURES, ROOT
from tests.seedlike import random_spec, render_html, render_text, write_articles


@contextmanager
def cyclic_garbage() -> Iterator[list[object]]:
    """The objects that only the cyclic collector could free, made inside the block."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    found: list[object] = []
    try:
        yield found
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()


def _articles(tmp_path: Path) -> list[Path]:
    rng = random.Random(5)
    made = []
    for index in range(3):
        spec = random_spec(rng, index)
        for suffix, render in ((".txt", render_text), (".html", render_html)):
            path = tmp_path / f"generated-{index}{suffix}"
            path.write_text(render(spec), encoding="utf-8")
            made.append(path)
    return [*made, *sorted((FIXTURES / "articles").glob("*.txt")), *sorted((FIXTURES / "quizzes").iterdir()),
            *sorted((ROOT / "seeds").iterdir())]


def test_reading_an_article_leaves_no_reference_cycles(tmp_path: Path) -> None:
    articles = _articles(tmp_path)
    for path in articles:  # first reads import and compile what reading needs
        read_job(ArticleJob(path, None, "evidence"))
    with cyclic_garbage() as garbage:
        for path in articles:
            read_job(ArticleJob(path, None, "evidence"))
    kinds = Counter(type(o).__name__ for o in garbage).most_common(5)
    assert not garbage, f"reading left {len(garbage)} objects in reference cycles: {kinds}"


def test_the_check_sees_a_cycle() -> None:
    with cyclic_garbage() as garbage:
        loop: list[object] = []
        loop.append(loop)
        del loop
    assert len(garbage) == 1


def test_reading_never_imports_genanki(tmp_path: Path) -> None:
    # genanki is imported once a collection is written (package.py), after a build's reading processes
    # have started: the reading processes never need it.
    script = ("import sys, ankiexport.cli; from ankiexport.workers import ArticleJob, read_job; "
              "from pathlib import Path; "
              "assert read_job(ArticleJob(Path(sys.argv[1]), None, 'evidence', stamp=1)).notes; "
              "print('genanki' in sys.modules)")
    page = tmp_path / "page.html"
    page.write_text(render_html(random_spec(random.Random(3), 0)), encoding="utf-8")
    for article in (FIXTURES / "articles" / "photosynthesis.txt", page):
        done = subprocess.run([sys.executable, "-c", script, str(article)], capture_output=True, text=True,
                              cwd=ROOT, check=True)
        assert done.stdout.strip() == "False", article


def peak_traced_memory(plans: list[DeckPlan]) -> int:
    """The writing process's peak of Python allocations while it builds ``plans`` with two workers."""
    gc.collect()
    tracemalloc.start()
    try:
        assert build_batch(plans, jobs=2, timestamp=1_700_000_000).ok
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_batch_keeps_a_summary_of_each_deck_not_its_notes(tmp_path: Path) -> None:
    """A folder of articles, a deck file each: the result keeps each deck's summary (a few hundred
    bytes), not its notes (tens of KB), and the reads waiting for the deck writer stay few however many
    articles there are. benchmarks/memory_bench.py measures whole builds of 200 and 2,000."""
    rng = random.Random(1)
    paths = [Path(p) for p in write_articles(tmp_path / "articles",
                                             [random_spec(rng, i, size=0.2) for i in range(120)])]

    def one_deck_each(count: int) -> list[DeckPlan]:
        return [DeckPlan(tmp_path / f"out-{count}" / f"{i}.apkg", (ArticleSpec(path),))
                for i, path in enumerate(paths[:count])]

    peak_traced_memory(one_deck_each(4))  # imports and first-use caches are no deck's
    small, large = peak_traced_memory(one_deck_each(30)), peak_traced_memory(one_deck_each(120))
    per_deck = (large - small) / 90
    # A deck's summary keeps its warnings too (these articles skip about two quiz questions each).
    assert per_deck < 10 * 1024, \
        f"{per_deck / 1024:.1f} KB more per deck ({small / 2**20:.2f} → {large / 2**20:.2f} MB)"
