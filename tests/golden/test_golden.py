"""Every case's outputs equal the recorded ones (tests/golden/expected/): a refactor keeps them all.

A change meant to alter outputs rewrites them with ``python -m tests.golden.update``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from tests.golden import harness


def _expected(path: Path) -> Any:
    if not path.exists():
        pytest.fail(f"no expectation {path.relative_to(harness.ROOT)} — run python -m tests.golden.update")
    return json.loads(path.read_text(encoding="utf-8"))


def _same(actual: Any, path: Path) -> None:
    # Compared as the files are written, so a failure shows the lines that changed.
    assert harness.dump(actual) == harness.dump(_expected(path)), f"outputs differ from {path.name}"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, harness.Case]:
    return {c.id: c for c in harness.generated_cases(tmp_path_factory.mktemp("generated"))}


def _shared_cases() -> list[harness.Case]:
    return harness.shared_cases(SHARED) if (SHARED / "corpus").is_dir() else []


OWN = {c.id: c for c in harness.own_cases()}
SHARED_CASES = {c.id: c for c in _shared_cases()}
GENERATED_IDS = [f"generated-{fmt}-{n:02d}.{ext}" for fmt, ext in (("text", "txt"), ("html", "html"))
                 for n in range(harness.CASES["generated"][fmt])]


@pytest.mark.parametrize("case_id", [*OWN, *SHARED_CASES, *GENERATED_IDS])
def test_article(case_id: str, generated: dict[str, harness.Case], tmp_path: Path) -> None:
    case = OWN.get(case_id) or SHARED_CASES.get(case_id) or generated[case_id]
    _same(harness.record_article(case, tmp_path), harness.expected_file("articles", case_id))


def test_batch_with_one_and_two_jobs(generated: dict[str, harness.Case], tmp_path: Path) -> None:
    if not SHARED_CASES:
        pytest.skip(f"{SHARED}/corpus is absent: the batch covers the corpus cases too")
    runs = harness.record_batch([*OWN.values(), *SHARED_CASES.values(), *generated.values()], tmp_path)
    assert runs["1"] == runs["2"], "the output depends on --jobs"
    _same(runs, harness.expected_file("batch"))


@pytest.mark.parametrize("manifest", harness.manifest_paths(), ids=lambda p: p.stem)
def test_manifest_build_edit_diff_verify(manifest: Path, tmp_path: Path) -> None:
    _same(harness.record_manifest(manifest, tmp_path), harness.expected_file("manifests", manifest.stem))


def test_the_expectations_cover_every_case() -> None:
    recorded = {p.name.removesuffix(".json") for p in (harness.EXPECTED / "articles").glob("*.json")}
    cases = {*OWN, *GENERATED_IDS, *(SHARED_CASES or recorded - {*OWN, *GENERATED_IDS})}
    assert recorded == cases, "run python -m tests.golden.update"
