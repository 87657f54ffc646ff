"""The benchmark scripts still run: a tiny N, every format, figures written as JSON (values unasserted:
they are machine-dependent and read by hand)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_build_bench_runs_every_format_and_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "build_bench.py"), "--sizes", "4", "--repeat", "2",
                           "--formats", "txt,html,seed", "--workdir", str(tmp_path), "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text())
    rows = {r["format"]: r for r in result["rows"]}
    assert set(rows) == {"txt", "html", "seed"}
    for row in rows.values():
        assert row["n"] == 4 and row["notes"] > 4
        assert row["build_s"] > 0 and row["floor_s"] > 0 and row["ratio"] > 0
    # libxml2 parses 4 small pages within a millisecond: the figure may round to 0.
    assert rows["html"]["parse_cpu_s"] >= 0 and rows["txt"]["parse_cpu_s"] is None
    # Each copy of the seed is an article of its own, with all of the seed's 37 notes.
    assert rows["seed"]["notes"] == 4 * 37
    assert "txt | 4 |" in done.stdout and "html | 4 |" in done.stdout and "seed | 4 |" in done.stdout


def test_memory_bench_runs_both_shapes_and_reports_the_target(tmp_path: Path) -> None:
    out = tmp_path / "memory.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "memory_bench.py"), "--sizes", "3,6",
                           "--workdir", str(tmp_path), "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text())
    shapes = [(r["shape"], r["n"]) for r in result["rows"]]
    assert shapes == [("folder", 3), ("merged", 3), ("folder", 6), ("merged", 6)]
    assert all(r["peak_rss_mb"] > 0 and r["output_mb"] > 0 for r in result["rows"])
    assert len(list((tmp_path / "out-folder-6").glob("*.apkg"))) == 6
    assert "folder peak RSS N=6 / N=3" in done.stdout
