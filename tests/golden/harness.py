"""Golden outputs: what the commands print and write for every case of ``cases.yaml``.

A refactor must leave them as they are; a change that means to alter them rewrites them with
``python -m tests.golden.update`` and the diff of ``tests/golden/expected/`` is what a reviewer reads.
Own files are recorded in full; corpus files and generated articles as digests (see cases.yaml).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from ankiexport.cli import main
from tests.seedlike import random_spec, render_html, render_text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXPECTED = HERE / "expected"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
EPOCH = str(CASES["epoch"])
EDITED_EPOCH = str(CASES["edited_epoch"])
EDIT = " Edited for the golden test."


@dataclass(frozen=True)
class Case:
    id: str
    path: Path
    digest: bool  # record digests instead of text (third-party or bulky inputs)


def digest(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def own_cases() -> list[Case]:
    paths = sorted({p for pattern in CASES["own"] for p in ROOT.glob(pattern) if p.is_file()})
    return [Case(p.relative_to(ROOT).as_posix().replace("/", "--"), p, False) for p in paths]


def shared_cases(shared: Path) -> list[Case]:
    paths = sorted({p for pattern in CASES["shared"] for p in shared.glob(pattern) if p.is_file()})
    cases = []
    for p in paths:
        rel = p.relative_to(shared)
        parts = rel.parts[:-1] if rel.name == "source.html" else rel.with_suffix("").parts
        cases.append(Case("--".join(parts) + p.suffix, p, True))
    return cases


def generated_cases(folder: Path) -> list[Case]:
    """The seed-like articles of ``cases.yaml``, written into ``folder``: the same every run."""
    spec = CASES["generated"]
    rng = random.Random(spec["seed"])
    folder.mkdir(parents=True, exist_ok=True)
    cases = []
    for fmt, render in (("text", render_text), ("html", render_html)):
        for number in range(spec[fmt]):
            path = folder / f"generated-{fmt}-{number:02d}.{'txt' if fmt == 'text' else 'html'}"
            path.write_text(render(random_spec(rng, number)), encoding="utf-8")
            cases.append(Case(path.name, path, True))
    return cases


def run(*args: Any, epoch: str = EPOCH, replace: dict[str, str] | None = None) -> dict[str, Any]:
    """One command in-process: exit code, stdout and stderr with the given paths replaced by names."""
    result = CliRunner().invoke(main, [str(a) for a in args], env={"SOURCE_DATE_EPOCH": epoch, "TZ": "UTC"},
                                catch_exceptions=False)
    out, err = result.stdout, result.stderr
    for old, new in sorted((replace or {}).items(), key=lambda kv: -len(kv[0])):
        out, err = out.replace(old, new), err.replace(old, new)
    return {"exit": result.exit_code, "stdout": out, "stderr": err}


def _shown(value: Any, as_digest: bool) -> Any:
    return digest(value) if as_digest else value


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    # Articles are named relative to their folder, as a user types them: outputs hold no temporary path.
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def record_article(case: Case, work: Path) -> dict[str, Any]:
    """``inspect --json``, a ``-j 1`` build (its SHA-256 and, with ``-v``, every warning) and the
    preview page of one article."""
    work.mkdir(parents=True, exist_ok=True)
    with _inside(case.path.parent):
        return _record_article(Case(case.id, Path(case.path.name), case.digest), work)


def _record_article(case: Case, work: Path) -> dict[str, Any]:
    names = {str(work): "<work>"}
    inspected = run("inspect", case.path, "--json", replace=names)
    stderr = _shown(inspected["stderr"], case.digest)
    record: dict[str, Any] = {"inspect": {"exit": inspected["exit"], "stderr": stderr}}
    try:
        data = json.loads(inspected["stdout"])
    except json.JSONDecodeError:
        record["inspect"]["stdout"] = _shown(inspected["stdout"], case.digest)
    else:
        if case.digest:
            record["inspect"]["kinds"] = _kinds(data["items"])
            record["inspect"]["items"] = [digest(i) for i in data["items"]]
            record["inspect"]["rest"] = digest({k: v for k, v in data.items() if k != "items"})
        else:
            record["inspect"]["json"] = data
    deck = work / "deck.apkg"
    built = run("build", case.path, "-o", deck, "-j", "1", "-v", replace=names)
    record["build"] = {"exit": built["exit"], "stderr": _shown(built["stderr"], case.digest),
                       "sha256": file_digest(deck) if deck.exists() else None}
    page = work / "preview.html"
    shown = run("preview", case.path, "-o", page, replace=names)
    record["preview"] = {"exit": shown["exit"], "stdout": shown["stdout"],
                         "stderr": _shown(shown["stderr"], case.digest),
                         "sha256": file_digest(page) if page.exists() else None}
    return record


def _kinds(items: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item["kind"]] = counts.get(item["kind"], 0) + 1
    return dict(sorted(counts.items()))


def record_batch(cases: list[Case], work: Path) -> dict[str, Any]:
    """Every article case as one folder, built with ``-j 1`` and ``-j 2``: one deck each, and merged."""
    folder = work / "articles"
    folder.mkdir(parents=True)
    for case in cases:
        shutil.copyfile(case.path, folder / case.id)
    names = {str(work): "<work>"}
    runs: dict[str, Any] = {}
    for jobs in ("1", "2"):
        out = work / f"decks-{jobs}"
        report = work / f"report-{jobs}.json"
        result = run("build", folder, "--out-dir", out, "-j", jobs, "-q", "--report", report, replace=names)
        merged = work / f"merged-{jobs}.apkg"
        run("build", folder, "--merge", "-o", merged, "-j", jobs, "-q")
        summary = json.loads(report.read_text(encoding="utf-8"))
        runs[jobs] = {
            "exit": result["exit"],
            "decks": {p.relative_to(out).as_posix(): file_digest(p) for p in sorted(out.rglob("*.apkg"))},
            "merged": file_digest(merged) if merged.exists() else None,
            "summary": digest(json.loads(json.dumps(summary).replace(str(out), "<out>").replace(str(work), "<work>"))),
            "notes": summary["notes"],
        }
    return runs


def record_manifest(manifest: Path, work: Path) -> dict[str, Any]:
    """A manifest built in a copy of the project, then again after a one-line edit of its first
    article: both lock files, both decks' SHA-256, ``diff --format json``, ``verify`` and the preview."""
    for name in ("sources", "seeds"):
        shutil.copytree(ROOT / name, work / name)
    with _inside(work):
        return _record_manifest(manifest.relative_to(ROOT))


def _record_manifest(copy: Path) -> dict[str, Any]:
    lock = copy.with_name(copy.stem + ".lock.json")
    first, second = Path("first"), Path("second")
    record: dict[str, Any] = {}
    record["build"] = run("build", copy, "--out-dir", first, "-j", "1")
    record["lock"] = json.loads(lock.read_text(encoding="utf-8")) if lock.exists() else None
    article = _first_article(copy)
    line = _first_item_line(article)
    lines = article.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].rstrip("\n") + EDIT + "\n"
    article.write_text("".join(lines), encoding="utf-8")
    record["edited_line"] = line
    record["rebuild"] = run("build", copy, "--out-dir", second, "-j", "2", epoch=EDITED_EPOCH)
    record["edited_lock"] = json.loads(lock.read_text(encoding="utf-8")) if lock.exists() else None
    old, new = (sorted(folder.glob("*.apkg")) for folder in (first, second))
    record["decks"] = [file_digest(p) for p in old], [file_digest(p) for p in new]
    if old and new:
        record["diff"] = run("diff", old[0], new[0], "--format", "json")
        record["diff"]["stdout"] = json.loads(record["diff"]["stdout"])
        record["verify"] = run("verify", new[0], "--previous", old[0])
    page = Path("preview.html")
    shown = run("preview", copy, "-o", page, epoch=EDITED_EPOCH)
    record["preview"] = {**shown, "sha256": file_digest(page) if page.exists() else None}
    return record


def _first_article(manifest: Path) -> Path:
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    entry = data["articles"][0]
    return Path(os.path.normpath(manifest.parent / (entry if isinstance(entry, str) else entry["path"])))


def _first_item_line(article: Path) -> int:
    data = json.loads(run("inspect", article, "--json")["stdout"])
    return int(data["items"][0]["line"])


def expected_file(*parts: str) -> Path:
    path = EXPECTED.joinpath(*parts)
    return path.with_name(path.name + ".json")


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def manifest_paths() -> list[Path]:
    return sorted({p for pattern in CASES["manifests"] for p in ROOT.glob(pattern)})
