"""Shared harness of the atheris fuzz targets: one reader, the whole pipeline short of writing a deck.

An input may be rejected only with the project's own documented errors (``AnkiexportError``, one
line, naming the file); any other exception, a hang or a crash is a finding. See docs/development.md.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["ankiexport"]):
    from ankiexport.errors import AnkiexportError
    from ankiexport.extract import extract
    from ankiexport.notes import article_notes
    from ankiexport.readers import read_bytes


# Longer inputs find little more and run far slower (the seed is 16 KB): libFuzzer keeps a prefix.
MAX_LEN = 4096


def check(data: bytes, name: str) -> None:
    try:
        article = read_bytes(data, name, Path(name))
        article_notes(article, extract(article))
    except AnkiexportError as exc:
        message = str(exc)
        if "\n" in message or name not in message:
            raise AssertionError(f"error message is not one line naming the file: {message!r}") from exc


def starting_corpus(suffix: str) -> str:
    """A scratch folder with the seed and a few generated articles (libFuzzer adds its finds to it)."""
    from tests.seedlike import random_spec, render_html, render_text

    folder = Path(tempfile.mkdtemp(prefix=f"ankiexport-fuzz-{suffix}-"))
    render = render_text if suffix == "txt" else render_html
    for i in range(5):
        (folder / f"generated-{i}.{suffix}").write_text(render(random_spec(random.Random(i), i, size=0.3)),
                                                        encoding="utf-8")
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        (folder / f"{seed.stem}.{suffix}").write_text(
            text if suffix == "txt" else "<html><body>" + "".join(f"<p>{line}</p>" for line in text.splitlines()),
            encoding="utf-8")
    return str(folder)


def run(suffix: str) -> None:
    name = f"fuzz.{suffix}"

    def one_input(data: bytes) -> None:
        check(data, name)

    argv = list(sys.argv)
    if not any(a.startswith("-max_len=") for a in argv):
        argv.append(f"-max_len={MAX_LEN}")
    if not any(a.startswith("-dict=") for a in argv):
        argv.append(f"-dict={Path(__file__).with_name('text.dict' if suffix == 'txt' else 'html.dict')}")
    if not any(not a.startswith("-") for a in argv[1:]):
        argv.append(starting_corpus(suffix))
        print(f"corpus: {argv[-1]}", file=sys.stderr)
    atheris.Setup(argv, one_input)
    atheris.Fuzz()
