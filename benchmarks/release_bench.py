"""Benchmark: the release steps on a generated course: build with a lock, rebuild, diff, verify.

    python benchmarks/release_bench.py                 # N = 100 and 1,000 seed-like articles
    python benchmarks/release_bench.py --sizes 300

For each N it writes N articles (``tests/seedlike.py``), then times whole processes, as CI runs them:

- ``build --lock`` (first release: the lock is created), and again with unchanged sources and a later
  SOURCE_DATE_EPOCH (the lock keeps every mod: the bytes must come out identical);
- one article edited, ``build --lock`` again, ``diff OLD NEW --format json``;
- ``verify NEW`` (structure, import into Anki and render every card) and ``verify NEW --previous OLD``.

It prints wall times and the deck's size; nothing is asserted (figures depend on the machine).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.seedlike import random_spec, render_text  # noqa: E402

EPOCH = 1_700_000_000


def run(*args: str, epoch: int = EPOCH) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": str(epoch)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ankiexport", *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"ankiexport {' '.join(args[:2])} failed:\n{done.stdout}{done.stderr}")
    return elapsed, done.stdout


def bench(size: int, folder: Path) -> None:
    rng = random.Random(size)
    articles = []
    for i in range(size):
        path = folder / f"a{i:05}.txt"
        path.write_text(render_text(random_spec(rng, i)), encoding="utf-8")
        articles.append(str(path))
    lock, v1, v1b, v2 = (str(folder / n) for n in ("deck.lock.json", "v1.apkg", "v1b.apkg", "v2.apkg"))
    figures: dict[str, float] = {}
    figures["build --lock (new lock)"], _ = run("build", *articles, "-o", v1, "--deck", "Bench", "--lock", lock)
    figures["rebuild, unchanged"], _ = run("build", *articles, "-o", v1b, "--deck", "Bench", "--lock", lock,
                                          epoch=EPOCH + 86_400)
    identical = Path(v1).read_bytes() == Path(v1b).read_bytes()
    edited = Path(articles[0])
    text = edited.read_text(encoding="utf-8").splitlines()
    bullet = next(i for i, line in enumerate(text) if line.lstrip().startswith("• ") and ": " in line)
    text[bullet] = text[bullet].rstrip(".") + ", as revised."  # one key point's text
    edited.write_text("\n".join(text) + "\n", encoding="utf-8")
    figures["build --lock, 1 article edited"], _ = run("build", *articles, "-o", v2, "--deck", "Bench",
                                                       "--lock", lock, epoch=EPOCH + 2 * 86_400)
    figures["diff --format json"], out = run("diff", v1, v2, "--format", "json")
    changed = len(json.loads(out)["changed"])
    figures["verify (import + render)"], out = run("verify", v2)
    figures["verify --previous"], out = run("verify", v2, "--previous", v1)
    notes = len(json.loads(Path(lock).read_text())["notes"])
    print(f"\nN = {size} articles, {notes} notes, deck {Path(v2).stat().st_size:,} bytes; unchanged rebuild "
          f"identical: {identical}; changed after one edit: {changed}")
    for name, seconds in figures.items():
        print(f"  {name:<34} {seconds:7.2f} s")
    print(f"  {out.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated article counts")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="ankiexport-release-bench-") as tmp:
            bench(size, Path(tmp))


if __name__ == "__main__":
    main()
