"""Rewrite the golden expectations from the current code: ``python -m tests.golden.update``.

Run it only for a change meant to alter outputs; commit the rewritten files with the change and say
in the message what changed and why.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.conftest import SHARED
from tests.golden import harness


def main() -> int:
    if not (SHARED / "corpus").is_dir():
        print(f"error: {SHARED}/corpus is absent — the corpus cases need it (set ANKIEXPORT_SHARED)", file=sys.stderr)
        return 2
    written: set[Path] = set()

    def write(path: Path, value: object) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(harness.dump(value), encoding="utf-8")
        written.add(path)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cases = [*harness.own_cases(), *harness.shared_cases(SHARED), *harness.generated_cases(work / "generated")]
        for number, case in enumerate(cases):
            write(harness.expected_file("articles", case.id), harness.record_article(case, work / f"a{number}"))
        write(harness.expected_file("batch"), harness.record_batch(cases, work / "batch"))
        for manifest in harness.manifest_paths():
            write(harness.expected_file("manifests", manifest.stem),
                  harness.record_manifest(manifest, work / f"m-{manifest.stem}"))
    for stale in set(harness.EXPECTED.rglob("*.json")) - written:
        stale.unlink()
    print(f"wrote {len(written)} expectation files under {harness.EXPECTED.relative_to(harness.ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
