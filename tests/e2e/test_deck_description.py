"""Each deck's description in Anki says where its notes came from, when they were built and how many
of each kind there are; the article's text in it is escaped."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ankiexport.release import ankicheck

from ..conftest import SEED, run_ankiexport

PAGE = """<html><head><meta charset="utf-8"><title>Acids and Bases</title>
<meta name="description" content="What acids &amp; bases are &lt;script&gt;alert(1)&lt;/script&gt; in water.">
<meta property="og:url" content="https://school.example/chemistry/acids">
</head><body><main><h1>Acids and Bases</h1>
<h2>Terms</h2>
<dl><dt>Acid</dt><dd>A substance that gives protons to another in water.</dd>
<dt>Base</dt><dd>A substance that accepts protons from an acid in water.</dd></dl>
</main></body></html>
"""


def test_the_description_names_the_source_date_and_counts(tmp_path: Path, collection: Any) -> None:
    (tmp_path / "acids.html").write_text(PAGE, encoding="utf-8")
    shutil.copy(SEED, tmp_path / "nmt.txt")
    done = run_ankiexport("build", "acids.html", "nmt.txt", "-o", "deck.apkg", "-q", cwd=tmp_path,
                          env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert done.returncode == 0, done.stderr
    ankicheck.import_package(collection, tmp_path / "deck.apkg")

    acids = collection.decks.by_name("Acids and Bases")["desc"]
    assert "<b>Acids and Bases</b>" in acids
    assert "What acids &amp; bases are &lt;script&gt;alert(1)&lt;/script&gt; in water." in acids
    assert "<script" not in acids
    assert '<a href="https://school.example/chemistry/acids"' in acids
    assert "2 notes (2 definition), built 2023-11-14" in acids

    nmt = collection.decks.by_name("Medicine::Neuromuscular Therapy")["desc"]
    assert "<b>Neuromuscular Therapy</b>" in nmt and "nmt.txt" not in nmt  # the same bytes whatever its name
    assert "37 notes (" in nmt and "4 definition" in nmt and "3 quiz" in nmt and "2 term" in nmt
