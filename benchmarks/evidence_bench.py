"""Benchmark: evidence ranking (``evidence.resolve_quizzes``) over N generated articles, in CPU time.

    python benchmarks/evidence_bench.py                    # 1,000 text articles
    python benchmarks/evidence_bench.py --count 300 --format html --repeat 5

It writes N seed-like articles (``tests/seedlike.py``), reads and extracts them (not timed), then
times ``resolve_quizzes`` over all of them with ``time.process_time()`` (CPU time: a shared machine
makes wall time noisy): once in this fresh process (the first call, which pays for the first imports,
is shown apart), then ``--repeat`` more times (the fastest kept). Run it before and after a change to
evidence.py; the figures depend on the machine, so nothing asserts them.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ankiexport.extract import extract  # noqa: E402
from ankiexport.readers import read_article  # noqa: E402
from tests.seedlike import random_spec, render_html, render_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--format", choices=("txt", "html"), default="txt")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    render = render_text if options.format == "txt" else render_html
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        prepared = []
        for number in range(options.count):
            path = Path(folder) / f"{number:05d}.{options.format}"
            path.write_text(render(random_spec(rng, number)), encoding="utf-8")
            article = read_article(path)
            prepared.append((article, extract(article)))

    from ankiexport.evidence import resolve_quizzes

    first = None
    start = time.process_time()
    for article, items in prepared:
        before = len(sys.modules)
        started = time.process_time()
        resolve_quizzes(article, items)
        if first is None and len(sys.modules) != before:
            first = time.process_time() - started
    cold = time.process_time() - start
    warm = []
    for _ in range(options.repeat):
        started = time.process_time()
        for article, items in prepared:
            resolve_quizzes(article, items)
        warm.append(time.process_time() - started)
    print(f"{options.count} {options.format} articles, CPU seconds:")
    print(f"  first run in a fresh process  {cold:7.3f}  (its first ranking, with imports: {first or 0.0:.3f})")
    print(f"  fastest of {options.repeat} more runs        {min(warm):7.3f}  "
          f"({min(warm) / options.count * 1000:.2f} ms an article)")


if __name__ == "__main__":
    main()
