"""A library user plans a build as ``ankiexport build`` does: the same plans, the same refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ankiexport.batch import build_batch
from ankiexport.errors import ManifestError, ManifestErrors, RequestError, UsageError
from ankiexport.manifest import load_manifest
from ankiexport.plans import BuildRequest, plans_for

from ..conftest import SEED, run_ankiexport

EPOCH = 1_700_000_000


@pytest.fixture
def course(tmp_path: Path) -> Path:
    (tmp_path / "articles" / "week1").mkdir(parents=True)
    shutil.copy(SEED, tmp_path / "articles" / "nmt.txt")
    shutil.copy(SEED, tmp_path / "articles" / "week1" / "again.txt")
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(f"deck: {name.upper()}\ntags: [{name}]\nkinds: [faq]\n"
                                               "articles: [articles/nmt.txt]\n", encoding="utf-8")
    return tmp_path


def test_the_library_builds_what_the_command_line_builds(course: Path) -> None:
    request = BuildRequest(out_dir=course / "lib", merge=True, deck="Course", tags=("week",))
    plans = plans_for([course / "articles"], request)
    assert [p.output for p in plans] == [course / "lib" / "articles.apkg"]
    result = build_batch(plans, jobs=1, timestamp=EPOCH)
    assert result.ok and result.duplicates == 1
    done = run_ankiexport("build", course / "articles", "--out-dir", course / "cli", "--merge", "--deck", "Course",
                          "--tag", "week", env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    assert done.returncode == 0, done.stderr
    assert (course / "lib" / "articles.apkg").read_bytes() == (course / "cli" / "articles.apkg").read_bytes()


def test_request_settings_win_over_a_manifests_and_tags_add_up(course: Path) -> None:
    manifest = load_manifest(course / "a.yaml")
    assert BuildRequest().options(manifest).kinds == ("faq",)
    options = BuildRequest(kinds=("definition",), tags=("extra", "a"), reverse=True).options(manifest)
    assert (options.kinds, options.extra_tags, options.reverse) == (("definition",), ("a", "extra"), True)
    [plan] = plans_for([course / "a.yaml"], BuildRequest(out_dir=course / "dist", deck="Renamed"))
    assert (plan.deck, plan.options.kinds, plan.lock) == ("Renamed", ("faq",), course / "a.lock.json")


@pytest.mark.parametrize(("inputs", "request_", "message"), [
    (["a.yaml", "b.yaml"], BuildRequest(output=Path("one.apkg")), "-o names one output"),
    (["articles"], BuildRequest(lock_file=Path("x.lock.json")), "--lock is for articles built into one deck file"),
    (["a.yaml"], BuildRequest(lock_file=Path("x.lock.json")), "--lock is for article builds"),
    (["articles/nmt.txt", "articles/week1/nmt.txt"], BuildRequest(), "two decks would both be written to"),
    (["articles"], BuildRequest(deck="Biology::"), "the deck name has an empty level"),
    (["articles"], BuildRequest(kinds=("definitions",)), "unknown kind 'definitions'"),
])
def test_inputs_and_settings_that_do_not_fit_are_refused(course: Path, inputs: list[str], request_: BuildRequest,
                                                         message: str) -> None:
    shutil.copy(SEED, course / "articles" / "week1" / "nmt.txt")
    with pytest.raises(RequestError, match=message):
        plans_for([course / p for p in inputs], request_)


def test_a_folder_without_articles_and_an_output_over_an_input_are_refused(course: Path) -> None:
    (course / "empty").mkdir()
    with pytest.raises(RequestError, match="no articles in"):
        plans_for([course / "empty"], BuildRequest())
    with pytest.raises(UsageError, match="is one of the inputs") as refused:
        plans_for([course / "articles"], BuildRequest(report=course / "articles" / "nmt.txt"))
    assert not isinstance(refused.value, RequestError)


def test_every_invalid_manifest_is_reported_in_order(course: Path) -> None:
    (course / "bad1.yaml").write_text("deck: X\narticles: [articles/nmt.txt]\nbogus: 1\n", encoding="utf-8")
    (course / "bad2.yaml").write_text("deck: Y\nartcles: [x]\n", encoding="utf-8")
    with pytest.raises(ManifestErrors) as raised:
        plans_for([course / "bad1.yaml", course / "a.yaml", course / "bad2.yaml"], BuildRequest())
    errors = raised.value.errors
    assert [e.path for e in errors] == [str(course / "bad1.yaml"), str(course / "bad2.yaml")]
    assert str(raised.value).splitlines() == [str(e) for e in errors]
    with pytest.raises(ManifestError) as one:
        plans_for([course / "bad2.yaml"], BuildRequest())
    assert not isinstance(one.value, ManifestErrors)
