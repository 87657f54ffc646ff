"""How a build treats memory: reading an article leaves no reference cycles, and reading imports no
more than it needs.

A page's objects must go the moment the page is read: one cycle that reaches the page (a parser, a
closure holding the tree) keeps the whole lxml tree alive until the collector runs.
"""

from __future__ import annotations

import gc
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ankiexport.workers import ArticleJob, read_job
from tests.conftest import FIXTURES, ROOT
from tests.seedlike import random_spec, render_html, render_text


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
