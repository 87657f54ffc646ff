"""Benchmark: ``ankiexport build`` of N articles into one deck, against the bare-genanki floor.

    python benchmarks/build_bench.py                       # N = 100, 1,000, 10,000; text and HTML
    python benchmarks/build_bench.py --sizes 100,1000 --formats txt --json results.json
    python benchmarks/build_bench.py --sizes 1,1000 --formats seed --repeat 5

For each format and N it writes N articles, then times two whole processes, each run ``--repeat``
times, taking turns (the fastest run of each is kept). The articles of ``txt`` and ``html`` are
seed-like (``tests/seedlike.py``: varying titles, chapters, terms and lengths); those of ``seed`` are
full-size copies of the seed, ``seeds/000_d148be0a6e69b967.txt``, each with its own title (the first
is the seed itself), merged into one deck with a subdeck each:

- ``python -m ankiexport build ARTICLES... -o deck.apkg --deck Benchmark`` (and ``--merge`` for ``seed``);
- ``benchmarks/genanki_floor.py``: bare genanki writing the very notes that build produced (same
  count, same fields, same tags and GUIDs, all in one deck), read from a JSON file, with no parsing or
  sanitising.

For HTML it also times libxml2 alone building the N trees (CPU seconds, best of three; the reader parses
each page once with it): a lower bound of the HTML reader, shown as its own ratio to the floor.

It prints a table (wall time, peak RSS, articles/s, notes/s, ratio to the floor) and the targets, and
writes the same figures as JSON. Peak RSS is the child process's own ``ru_maxrss`` (``os.wait4``).
Nothing here is a unit test: figures depend on the machine, so they are read, not asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.seedlike import random_spec, render_html, render_text  # noqa: E402

GENERATOR = ROOT / "tests" / "seedlike.py"  # articles are made again when it changes
TIMESTAMP = 1_700_000_000  # SOURCE_DATE_EPOCH for both sides: no clock reads in the figures
DECK = "Benchmark"
SEED = ROOT / "seeds" / "000_d148be0a6e69b967.txt"
FORMATS = ("txt", "html", "seed")
RENDER = {"txt": render_text, "html": render_html}

# The targets the issues set, reported (never asserted) by this script.
TARGET_ONE_ARTICLE = 0.3  # a build of one article (N = 1) within 0.3 s wall
TARGET_RATIO_AT = {"seed": (1000, 8.0), "txt": (1000, 3.0), "html": (1000, 3.0)}  # × the floor at N
TARGET_RSS_AT = (1000, 250.0)  # peak RSS ≤ 250 MB at N = 1,000
TARGET_SCALING = (100, 10000, 1.2)  # per-article time at N = 10,000 ≤ 1.2× that at N = 100


@dataclass
class Run:
    wall_s: float
    cpu_s: float  # user + system: steadier than wall time on a busy machine
    peak_rss_mb: float


@dataclass
class Row:
    format: str
    n: int
    notes: int
    input_mb: float
    build_s: float
    build_cpu_s: float
    build_rss_mb: float
    floor_s: float
    floor_cpu_s: float
    floor_rss_mb: float
    articles_per_s: float
    notes_per_s: float
    ms_per_article: float
    ratio: float  # wall time, ankiexport / floor
    cpu_ratio: float
    # HTML only: CPU seconds libxml2 alone takes to build the N trees, the part of the HTML reader no
    # change of ours can remove, and that cost over the floor's wall time.
    parse_cpu_s: float | None = None
    parse_ratio: float | None = None


# Runs the timed command as its own child and reports its figures. Linux keeps a process's peak RSS
# across fork and exec: a command forked straight from this script (which holds the notes of 10,000
# articles by then) inherited this script's size as its "peak". Forked from this small launcher, it
# inherits the launcher's size (a few MB) instead.
LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kib": usage.ru_maxrss,
               "code": os.waitstatus_to_exitcode(status)}, out)
"""


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run a command; its wall time and its own peak RSS (not the benchmark's)."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = Path(tmp) / "figures.json"
        done = subprocess.run([sys.executable, "-c", LAUNCHER, str(figures), *cmd], cwd=cwd, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0 or not figures.exists():
            raise SystemExit(f"{' '.join(cmd[:4])}… failed:\n{done.stderr.decode()[-2000:]}")
        run = json.loads(figures.read_text())
    if run["code"] != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}… failed ({run['code']}):\n{done.stderr.decode()[-2000:]}")
    return Run(run["wall"], run["cpu"], run["maxrss_kib"] / 1024)


def best(runs: list[Run]) -> Run:
    return Run(min(r.wall_s for r in runs), min(r.cpu_s for r in runs), max(r.peak_rss_mb for r in runs))


def seed_copy(seed: str, i: int) -> str:
    """Copy ``i`` of the seed as an article of its own: " i" follows the title wherever the page prints
    it as the title (its first line, the author team, the takeaways and FAQ headings); copy 0 is the seed."""
    title = seed.split("\n", 1)[0].strip()
    as_title = re.compile(rf"^(\s*(?:Team |Frequently Asked Questions about )?){re.escape(title)}"
                          r"(?=(?: Teachers| - Key takeaways)?$)", re.MULTILINE)
    return as_title.sub(lambda m: f"{m.group(1)}{title} {i}", seed) if i else seed


def generate(folder: Path, fmt: str, n: int, seed: int) -> list[str]:
    """N articles; the same seed gives the same files, so a folder is reused when complete."""
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"{i:05d}.{'txt' if fmt == 'seed' else fmt}" for i in range(n)]
    made_from = SEED if fmt == "seed" else GENERATOR
    stamp, key = folder / ".complete", f"{seed} {hashlib.sha256(made_from.read_bytes()).hexdigest()}"
    if stamp.exists() and stamp.read_text() == key:
        return names
    rng = random.Random(seed)
    seed_text = SEED.read_text(encoding="utf-8")
    for i, name in enumerate(names):
        if fmt == "seed":
            text = seed_copy(seed_text, i)
        else:
            # Lengths vary from a quarter of the seed's size to about one and a half times it.
            text = RENDER[fmt](random_spec(rng, i, size=rng.choice((0.3, 0.6, 1.0, 1.0, 1.5))))
        (folder / name).write_text(text, encoding="utf-8")
    stamp.write_text(key)
    return names


def notes_json(apkg: Path, out: Path) -> int:
    """The notes of a built deck, for the floor: note types, deck, fields, tags, GUIDs."""
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(apkg) as archive:
            archive.extract("collection.anki2", tmp)
        conn = sqlite3.connect(Path(tmp) / "collection.anki2")
        try:
            (models_raw,) = conn.execute("SELECT models FROM col").fetchone()
            notes = [{"mid": mid, "fields": flds.split("\x1f"), "tags": tags.split(), "guid": guid}
                     for mid, flds, tags, guid in conn.execute("SELECT mid, flds, tags, guid FROM notes ORDER BY id")]
            (deck_id,) = conn.execute("SELECT DISTINCT did FROM cards").fetchone()  # the floor's one deck
        finally:
            conn.close()
    models = [
        {"id": int(m["id"]), "name": m["name"], "fields": [f["name"] for f in m["flds"]], "css": m["css"],
         "templates": [{"name": t["name"], "qfmt": t["qfmt"], "afmt": t["afmt"]} for t in m["tmpls"]]}
        for m in json.loads(models_raw).values()
    ]
    out.write_text(json.dumps({"models": models, "deck": DECK, "deck_id": deck_id, "timestamp": TIMESTAMP,
                               "notes": notes}), encoding="utf-8")
    return len(notes)


TREE_PARSE = """
import sys, time
import lxml.etree
start = time.process_time()
for name in sys.argv[1:]:
    with open(name, "rb") as handle:
        lxml.etree.fromstring(handle.read(), lxml.etree.HTMLParser())
print(time.process_time() - start)
"""


def tree_cpu(folder: Path, names: list[str]) -> float:
    """CPU seconds of libxml2 alone building the N articles' trees (the HTML reader parses each page once
    with it), best of three."""
    runs = [subprocess.run([sys.executable, "-c", TREE_PARSE, *names], cwd=folder, check=True,
                           capture_output=True, text=True).stdout for _ in range(3)]
    return min(float(r) for r in runs)


def measure(workdir: Path, fmt: str, n: int, repeat: int, seed: int, source: Path) -> Row:
    folder = workdir / f"{fmt}-{n}"
    names = generate(folder / "articles", fmt, n, seed)
    input_bytes = sum((folder / "articles" / name).stat().st_size for name in names)
    # Bytecode is cached (outside the checkout) even where PYTHONDONTWRITEBYTECODE is set, as an installed
    # package's is: otherwise every timed build compiles the project's modules again (0.09 s), while the
    # floor's genanki comes precompiled from site-packages.
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPATH": str(source),
           "SOURCE_DATE_EPOCH": str(TIMESTAMP), "PYTHONPYCACHEPREFIX": str(workdir / "pycache")}
    warm_up = [sys.executable, "-c", "import ankiexport.cli, genanki"]
    subprocess.run(warm_up, cwd=folder, env=env, check=True)
    deck = folder / "ankiexport.apkg"
    merge = ["--merge"] if fmt == "seed" else []
    build_cmd = [sys.executable, "-m", "ankiexport", "build", *names, *merge, "-o", str(deck), "--deck", DECK]
    builds = [timed(build_cmd, folder / "articles", env)]
    count = notes_json(deck, folder / "notes.json")
    floor_cmd = [sys.executable, str(ROOT / "benchmarks" / "genanki_floor.py"), str(folder / "notes.json"),
                 str(folder / "floor.apkg")]
    # Floor and build runs alternate, so a slow spell of a shared machine slows both sides alike
    # instead of all the runs of one of them.
    floors = [timed(floor_cmd, folder, env)]
    for _ in range(repeat - 1):
        builds.append(timed(build_cmd, folder / "articles", env))
        floors.append(timed(floor_cmd, folder, env))
    build, floor = best(builds), best(floors)
    parse = tree_cpu(folder / "articles", names) if fmt == "html" else None
    return Row(format=fmt, n=n, notes=count, input_mb=round(input_bytes / 1e6, 2),
               build_s=round(build.wall_s, 3), build_cpu_s=round(build.cpu_s, 3),
               build_rss_mb=round(build.peak_rss_mb, 1), floor_s=round(floor.wall_s, 3),
               floor_cpu_s=round(floor.cpu_s, 3), floor_rss_mb=round(floor.peak_rss_mb, 1),
               articles_per_s=round(n / build.wall_s, 1), notes_per_s=round(count / build.wall_s, 1),
               ms_per_article=round(1000 * build.wall_s / n, 3), ratio=round(build.wall_s / floor.wall_s, 2),
               cpu_ratio=round(build.cpu_s / floor.cpu_s, 2),
               parse_cpu_s=None if parse is None else round(parse, 3),
               parse_ratio=None if parse is None else round(parse / floor.wall_s, 2))


def targets(rows: list[Row]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for fmt in sorted({r.format for r in rows}):
        by_n = {r.n: r for r in rows if r.format == fmt}
        if 1 in by_n:
            out.append({"format": fmt, "target": f"one article (N=1) <= {TARGET_ONE_ARTICLE} s wall",
                        "value": by_n[1].build_s, "met": by_n[1].build_s <= TARGET_ONE_ARTICLE})
        n, limit = TARGET_RATIO_AT[fmt]
        if n in by_n:
            out.append({"format": fmt, "target": f"ratio to floor at N={n} <= {limit}",
                        "value": by_n[n].ratio, "met": by_n[n].ratio <= limit})
        n, limit = TARGET_RSS_AT
        if n in by_n:
            out.append({"format": fmt, "target": f"peak RSS at N={n} <= {limit:.0f} MB",
                        "value": by_n[n].build_rss_mb, "met": by_n[n].build_rss_mb <= limit})
        small, large, limit = TARGET_SCALING
        if small in by_n and large in by_n:
            factor = round(by_n[large].ms_per_article / by_n[small].ms_per_article, 2)
            out.append({"format": fmt, "target": f"per-article time N={large} / N={small} <= {limit}",
                        "value": factor, "met": factor <= limit})
    return out


def table(rows: list[Row], checks: list[dict[str, Any]]) -> str:
    head = ("format", "N", "notes", "input MB", "build s", "build cpu s", "build MB", "floor s", "floor cpu s",
            "floor MB", "articles/s", "notes/s", "ms/article", "ratio", "cpu ratio", "parse cpu s", "parse ratio")
    lines = [" | ".join(head), " | ".join("-" * len(h) for h in head)]
    for r in rows:
        lines.append(" | ".join(str(v) for v in (
            r.format, r.n, r.notes, r.input_mb, r.build_s, r.build_cpu_s, r.build_rss_mb, r.floor_s, r.floor_cpu_s,
            r.floor_rss_mb, r.articles_per_s, r.notes_per_s, r.ms_per_article, r.ratio, r.cpu_ratio,
            "-" if r.parse_cpu_s is None else r.parse_cpu_s, "-" if r.parse_ratio is None else r.parse_ratio)))
    lines.append("")
    for check in checks:
        lines.append(f"{'MET ' if check['met'] else 'MISSED'}  {check['format']}: {check['target']} "
                     f"(measured {check['value']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated article counts")
    parser.add_argument("--formats", default="txt,html", help=f"comma-separated: {', '.join(FORMATS)}")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest is kept")
    parser.add_argument("--seed", type=int, default=9, help="seed of the article generator")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "ankiexport-bench",
                        help="where articles and decks go (articles are reused between runs)")
    parser.add_argument("--json", type=Path, help="also write the figures here (default: WORKDIR/results.json)")
    parser.add_argument("--source", type=Path, default=ROOT,
                        help="the checkout whose ankiexport is timed (default: this one), for before/after figures")
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        parser.error(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    rows = []
    for fmt in formats:
        for n in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(args.workdir, fmt, n, args.repeat, args.seed, args.source.resolve()))
            print(f"  measured {fmt} N={n}: {rows[-1].build_s}s vs floor {rows[-1].floor_s}s", file=sys.stderr)
    checks = targets(rows)
    print(table(rows, checks))
    result = {"machine": {"python": platform.python_version(), "cpu_count": os.cpu_count(),
                          "platform": platform.platform(), "load_average": os.getloadavg()},
              "source": str(args.source.resolve()),
              "rows": [asdict(r) for r in rows], "targets": checks}
    out = args.json or args.workdir / "results.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
