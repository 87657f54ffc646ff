"""The documentation cannot go stale: every command it shows runs, and every command and flag is in it.

Each line that begins with ``ankiexport `` in a ```` ```sh ```` block of README.md or docs/*.md is run
through the real entry point (``python -m ankiexport``), in one temporary copy of the project, and must
exit 0, or N when its comment says ``exits N``. The copy is made once (see ``project``): ``sources/``,
``seeds/`` and ``tests/fixtures/``; ``course/``, the seed and the fixture articles and quiz; every
```` ```yaml ```` block whose first line is ``# file: PATH``, written to PATH; ``previous/``, the bundled
deck as released, and ``dist/``, the same deck after an edit of the seed; ``broken.apkg``, a damaged deck.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from ankiexport.cli import main

from ..conftest import FIXTURES, ROOT, SEED, run_ankiexport

README = ROOT / "README.md"
CLI_PAGE = ROOT / "docs" / "cli.md"
PAGES = (README, *sorted((ROOT / "docs").glob("*.md")))

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXITS = re.compile(r"#.*\bexits (\d+)\b")
FILE_MARK = re.compile(r"# file: (\S+)")
# A documented command is one plain command line: no pipes, redirections, chains or variables.
SHELL = re.compile(r"^(\|\|?|&&?|;|[0-9]*>>?|<)$|\$")
# The previous release, then the current one after an edit of the seed (the lock moves its mod).
RELEASED, CURRENT = "1700000000", "1700086400"
EDIT = ("aiming to alleviate pain", "aiming to ease pain")


@dataclass(frozen=True)
class Command:
    where: str  # PAGE:LINE
    line: str
    args: tuple[str, ...]
    exit_code: int


def blocks(page: Path) -> Iterator[tuple[str, int, str]]:
    """(language, line number of the block's first line, body) of every fenced block."""
    text = page.read_text(encoding="utf-8")
    for match in FENCE.finditer(text):
        yield match.group(1), text.count("\n", 0, match.start(2)) + 1, match.group(2)


def documented_commands() -> list[Command]:
    commands = []
    for page in PAGES:
        for language, first, body in blocks(page):
            if language != "sh":
                continue
            for number, line in enumerate(body.splitlines(), start=first):
                if line.startswith("ankiexport "):
                    exits = EXITS.search(line)
                    commands.append(Command(f"{page.relative_to(ROOT)}:{number}", line,
                                            tuple(shlex.split(line, comments=True)[1:]),
                                            int(exits.group(1)) if exits else 0))
    return commands


def documented_files() -> dict[str, str]:
    """The files the docs write out in full (```yaml blocks starting with ``# file: PATH``)."""
    files = {}
    for page in PAGES:
        for language, _first, body in blocks(page):
            mark = FILE_MARK.match(body)
            if language == "yaml" and mark:
                files[mark.group(1)] = body
    return files


COMMANDS = documented_commands()


def build(root: Path, *args: str, epoch: str) -> None:
    done = run_ankiexport("build", *args, "-q", "-j", "1", cwd=root, env={"SOURCE_DATE_EPOCH": epoch})
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the project holding every file the documented commands name."""
    root = tmp_path_factory.mktemp("project")
    for name in ("sources", "seeds"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(FIXTURES, root / "tests" / "fixtures")
    course = root / "course"
    course.mkdir()
    for article in (SEED, *sorted((FIXTURES / "articles").glob("*.txt")), FIXTURES / "quizzes" / "cells.quiz.yaml"):
        shutil.copy(article, course)
    for name, text in documented_files().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    manifest = "sources/neuromuscular-therapy.yaml"
    build(root, manifest, "--out-dir", "previous", epoch=RELEASED)
    seed = root / "seeds" / SEED.name
    text = seed.read_text(encoding="utf-8")
    assert text.count(EDIT[0]) == 1
    seed.write_text(text.replace(*EDIT), encoding="utf-8")
    build(root, manifest, "--out-dir", "dist", epoch=CURRENT)
    (root / "broken.apkg").write_bytes((root / "dist" / "neuromuscular-therapy.apkg").read_bytes()[:100])
    return root


def test_the_docs_show_commands() -> None:
    assert len(COMMANDS) > 20 and any(c.where.startswith("README.md") for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.where)
def test_documented_command_exits_as_the_docs_say(command: Command, project: Path) -> None:
    assert not [a for a in command.args if SHELL.search(a)], (
        f"{command.where}: show one plain command (no pipes, redirections or variables): {command.line}")
    args = [a for a in command.args if a != "--open"]  # opening a browser is left out
    done = run_ankiexport(*args, cwd=project, env={"SOURCE_DATE_EPOCH": CURRENT})
    assert done.returncode == command.exit_code, (
        f"{command.where}: {command.line}\nexit {done.returncode}\n{done.stdout}\n{done.stderr}")
    assert "Traceback" not in done.stderr, done.stderr


def test_every_command_is_documented_with_an_example_that_runs() -> None:
    text = README.read_text(encoding="utf-8") + CLI_PAGE.read_text(encoding="utf-8")
    shown = {c.args[0] for c in COMMANDS if c.args}
    for name in main.commands:
        assert f"ankiexport {name}" in text, f"ankiexport {name} is in neither README.md nor docs/cli.md"
        assert name in shown, f"no sh block of the docs runs ankiexport {name}"


def test_every_flag_is_in_the_cli_page() -> None:
    text = CLI_PAGE.read_text(encoding="utf-8")
    flags = {"--version", *main.context_settings["help_option_names"]}
    for command in main.commands.values():
        for param in command.params:
            if isinstance(param, click.Option):
                flags.update((*param.opts, *param.secondary_opts))
    missing = [f for f in sorted(flags) if not re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", text)]
    assert not missing, f"docs/cli.md does not mention {', '.join(missing)}"


def test_every_limit_in_the_security_page_names_a_real_setting() -> None:
    """The limits table's "where" column names modules and constants that exist."""
    import importlib

    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    table = text[text.index("| what | limit | where |"):].split("\n\n")[0]
    wheres = [row.split("|")[3] for row in table.splitlines()[2:]]
    named = [name for where in wheres for name in re.findall(r"`([a-z_.]+[A-Za-z_]*)`", where)]
    assert len(named) >= 12
    for name in named:
        head, _, last = name.rpartition(".")
        module, constant = (head, last) if last.isupper() else (name, None)
        imported = importlib.import_module(f"ankiexport.{module}")
        assert constant is None or hasattr(imported, constant), name
