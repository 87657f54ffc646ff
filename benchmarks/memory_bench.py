"""Benchmark: a build's peak memory as the batch grows.

    python benchmarks/memory_bench.py                       # N = 200 and 2,000
    python benchmarks/memory_bench.py --sizes 200,2000,10000 --json memory.json

For each N it writes N small seed-like articles (``tests/seedlike.py``, ``size=0.2``) and builds them
with ``-j 2`` in two shapes, each a whole process:

- a folder, one deck file per article (``ankiexport build ARTICLES/ --out-dir OUT``);
- one merged deck (``ankiexport build ARTICLES/ -o deck.apkg --deck Benchmark``).

Peak RSS is the largest of the build's processes (the writing process and its workers), as
``build_bench.py`` measures it. The target (reported, never asserted): the folder build's peak at the
largest N within 1.5× that at the smallest, since a batch keeps a summary of each deck, not its notes.
The merged deck needs its own notes until it is written, and the collection while it is compacted:
its peak grows with the deck.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

from build_bench import ROOT, TIMESTAMP, timed  # noqa: E402

from tests.seedlike import random_spec, write_articles  # noqa: E402

TARGET_FOLDER_GROWTH = 1.5  # the folder build's peak RSS, largest N over smallest N


@dataclass
class Row:
    shape: str  # "folder" (a deck file per article) | "merged" (one deck)
    n: int
    build_s: float
    peak_rss_mb: float
    output_mb: float  # what the build wrote


def articles(workdir: Path, n: int, seed: int) -> Path:
    folder = workdir / f"articles-{n}"
    if not folder.is_dir():
        rng = random.Random(seed)
        write_articles(folder, [random_spec(rng, i, size=0.2) for i in range(n)])
    return folder


def measure(workdir: Path, n: int, seed: int, source: Path) -> list[Row]:
    folder = articles(workdir, n, seed)
    env = {**os.environ, "PYTHONPATH": str(source), "SOURCE_DATE_EPOCH": str(TIMESTAMP)}
    rows = []
    for shape in ("folder", "merged"):
        out = workdir / f"out-{shape}-{n}"
        shutil.rmtree(out, ignore_errors=True)
        target = ["--out-dir", str(out)] if shape == "folder" else ["-o", str(out / "deck.apkg"), "--deck", "Benchmark"]
        run = timed([sys.executable, "-m", "ankiexport", "build", str(folder), *target, "-j", "2", "-q"], workdir, env)
        written = sum(p.stat().st_size for p in out.rglob("*.apkg"))
        rows.append(Row(shape, n, round(run.wall_s, 2), round(run.peak_rss_mb, 1), round(written / 2**20, 2)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,2000", help="comma-separated article counts")
    parser.add_argument("--seed", type=int, default=0, help="seed of the article generator")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "ankiexport-memory-bench",
                        help="where articles and decks go (articles are reused between runs)")
    parser.add_argument("--json", type=Path, help="also write the figures here (default: WORKDIR/results.json)")
    parser.add_argument("--source", type=Path, default=ROOT,
                        help="the checkout whose ankiexport is measured (default: this one)")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rows = [row for n in sizes for row in measure(args.workdir, n, args.seed, args.source.resolve())]
    lines = ["shape | N | build s | peak RSS MB | output MB", "----- | - | ------- | ----------- | ---------"]
    lines += [f"{r.shape} | {r.n} | {r.build_s} | {r.peak_rss_mb} | {r.output_mb}" for r in rows]
    folder = {r.n: r.peak_rss_mb for r in rows if r.shape == "folder"}
    growth = round(folder[sizes[-1]] / folder[sizes[0]], 2)
    met = growth <= TARGET_FOLDER_GROWTH
    lines.append(f"\n{'MET ' if met else 'MISSED'}  folder peak RSS N={sizes[-1]} / N={sizes[0]} "
                 f"<= {TARGET_FOLDER_GROWTH} (measured {growth})")
    print("\n".join(lines))
    result = {"machine": {"python": platform.python_version(), "cpu_count": os.cpu_count(),
                          "platform": platform.platform(), "load_average": os.getloadavg()},
              "source": str(args.source.resolve()), "rows": [asdict(r) for r in rows],
              "target": {"folder_growth": growth, "limit": TARGET_FOLDER_GROWTH, "met": met}}
    out = args.json or args.workdir / "results.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
