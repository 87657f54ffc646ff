"""Manifests: every schema feature end to end, and one test per kind of error (file, line, key)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ankiexport.ankifile.reader import read_apkg
from ankiexport.errors import ManifestError
from ankiexport.manifest import QuizAnswer, load_manifest
from ankiexport.release import ankicheck

from ..conftest import SEED, run_ankiexport

FULL = """\
deck: Medicine::Manual Therapy
id: manual-therapy-course
articles:
  - articles/*.txt
kinds: [definition, keypoint, takeaway, faq, quiz]
tags: [year-9]
chapter_subdecks: true
reverse: true
output: therapy/manual.apkg
overrides:
  articles/nmt.txt:
    title: NMT Basics
    id: nmt-basics
    chapters:
      Soft Tissue Manipulation: Hands-on Techniques
    tags: [exam]
    quiz:
      - question: "what is the main goal of neuromuscular therapy (NMT)"
        options:
          - To balance the nervous system with the musculoskeletal system
          - To replace physiotherapy
          - To build muscle mass
        correct: A
        explanation: The article's first definition says so.
      - question: Which sensory receptors does Neuromuscular Therapy target to enhance movement control?
        options: [Proprioceptors, Photoreceptors, Chemoreceptors]
        correct: Proprioceptors
"""


def course(tmp_path: Path, text: str) -> Path:
    (tmp_path / "articles").mkdir(exist_ok=True)
    shutil.copy(SEED, tmp_path / "articles" / "nmt.txt")
    path = tmp_path / "course.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_full_manifest_is_parsed_into_frozen_dataclasses(tmp_path: Path) -> None:
    manifest = load_manifest(course(tmp_path, FULL))
    article = tmp_path / "articles" / "nmt.txt"
    assert manifest.deck == "Medicine::Manual Therapy" and manifest.id == "manual-therapy-course"
    assert manifest.articles == (article,)
    assert manifest.kinds == ("definition", "keypoint", "takeaway", "faq", "quiz")
    assert manifest.tags == ("year-9",) and manifest.chapter_subdecks and manifest.reverse
    assert manifest.output == "therapy/manual.apkg"
    override = manifest.override_for(article)
    assert override is not None
    assert (override.title, override.id, override.tags) == ("NMT Basics", "nmt-basics", ("exam",))
    assert override.chapters == (("Soft Tissue Manipulation", "Hands-on Techniques"),)
    first, second = override.quiz
    assert isinstance(first, QuizAnswer) and first.correct == (0,) and len(first.options) == 3
    assert second.correct == (0,)  # given as the option's text
    assert first.where == f"{tmp_path / 'course.yaml'}:18"
    with pytest.raises(AttributeError):
        first.correct = (1,)  # type: ignore[misc]


def test_full_manifest_builds_the_deck_it_describes(tmp_path: Path, collection: Any) -> None:
    path = course(tmp_path, FULL)
    done = run_ankiexport("build", path, "--out-dir", tmp_path / "dist", "--report", tmp_path / "r.json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # every rename and quiz answer matched
    out = tmp_path / "dist" / "therapy" / "manual.apkg"
    ankicheck.import_package(collection, out)
    notes = ankicheck.stored_notes(collection)
    kinds = {t for n in notes for t in n.tags if t.startswith("kind::")}
    assert "kind::chapter" not in kinds and len(notes) == 28  # 30 items less the 2 chapter notes
    assert all({"year-9", "exam"} <= set(n.tags) for n in notes)
    # Chapter subdecks under the deck; the renamed chapter is renamed in decks, tags and fields.
    decks = {d for n in notes for d in n.decks}
    assert "Medicine::Manual Therapy::Hands-on Techniques" in decks
    assert "Medicine::Manual Therapy::Soft Tissue Manipulation" not in decks
    renamed = [n for n in notes if n.fields.get("Term") == "Soft Tissue Manipulation"]
    assert renamed[0].fields["Chapter"] == "Hands-on Techniques"
    assert "NMT_Basics::Hands-on_Techniques" in renamed[0].tags
    # Reverse cards; the title override shows in the Source field.
    assert len(renamed[0].cards) == 2 and renamed[0].fields["Source"].startswith("NMT Basics")
    # Teachers' quiz answers reach the quiz notes, matched whatever the case and final "?".
    quiz = {n.fields["Question"]: n for n in notes if n.note_type == "ankiexport Quiz"}
    goal = quiz["What is the main goal of Neuromuscular Therapy (NMT)?"]
    assert "To replace physiotherapy" in goal.fields["Options"]
    assert '<li data-key="A" class="ae-right">' in goal.fields["Answer"]
    assert '<li data-key="B" class="ae-wrong">' in goal.fields["Answer"]
    assert goal.fields["Explanation"] == "The article's first definition says so."
    assert goal.fields["Evidence"] == "" and "needs-review" not in goal.tags
    # A question without a teacher's answer still gets the article's passages, for review.
    unanswered = quiz["Which of the following is a core principle of Neuromuscular Therapy?"]
    assert unanswered.fields["Options"] == "" and unanswered.fields["Evidence"] and "needs-review" in unanswered.tags
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["outputs"][0]["path"] == str(out) and report["exit_code"] == 0


def test_answered_questions_survive_quiz_without_answer_skip(tmp_path: Path, collection: Any) -> None:
    path = course(tmp_path, FULL)
    out = tmp_path / "x.apkg"
    done = run_ankiexport("build", path, "-o", out, "--quiz-without-answer", "skip", "--kinds", "quiz")
    assert done.returncode == 0, done.stderr
    ankicheck.import_package(collection, out)
    questions = sorted(n.fields["Question"] for n in ankicheck.stored_notes(collection, render=False))
    assert questions == ["What is the main goal of Neuromuscular Therapy (NMT)?",
                         "Which sensory receptors does Neuromuscular Therapy target to enhance movement control?"]


def test_identity_override_keeps_guids_and_deck_ids(tmp_path: Path) -> None:
    """With ids, retitling the article or renaming the deck keeps the students' notes and decks."""
    from ankiexport.cli import main  # noqa: F401  (the CLI must import cleanly with manifests)
    from ankiexport.pipeline import build_batch, manifest_options, plan_manifest

    def notes_and_decks(text: str) -> tuple[set[str], set[int]]:
        manifest = load_manifest(course(tmp_path, text))
        plan = plan_manifest(manifest, tmp_path / "dist", manifest_options(manifest))
        result = build_batch([plan], jobs=1, timestamp=1_700_000_000)
        assert result.ok, result.failures
        return {n.guid for n in read_apkg(result.outputs[0].output).notes}, {d.id for d in result.outputs[0].decks}

    base = "deck: {deck}\nid: course\nchapter_subdecks: true\narticles: [articles/nmt.txt]\n"
    first = notes_and_decks(base.format(deck="A") + "overrides:\n  articles/nmt.txt:\n    id: nmt\n")
    again = notes_and_decks(base.format(deck="B") +
                            "overrides:\n  articles/nmt.txt:\n    id: nmt\n    title: Another Title\n")
    assert first == again
    # Without an id, a title override still keeps the parsed title as the identity.
    plain = notes_and_decks(base.format(deck="A"))
    retitled = notes_and_decks(base.format(deck="A") + "overrides:\n  articles/nmt.txt:\n    title: Renamed\n")
    assert plain[0] == retitled[0]


def test_unmatched_quiz_answers_and_renames_are_warnings(tmp_path: Path) -> None:
    path = course(tmp_path, """\
deck: D
articles: [articles/nmt.txt]
overrides:
  articles/nmt.txt:
    chapters:
      No Such Chapter: X
    quiz:
      - question: Is this in the article?
        options: [Yes, No]
        correct: B
""")
    done = run_ankiexport("build", path, "--out-dir", tmp_path / "dist")
    assert done.returncode == 0, done.stderr
    assert f"{path}:5: no chapter 'No Such Chapter'" in done.stderr
    assert f"{path}:8: no quiz question 'Is this in the article?'" in done.stderr


def test_command_line_flags_win_over_the_manifest(tmp_path: Path, collection: Any) -> None:
    path = course(tmp_path, "deck: D\narticles: [articles/nmt.txt]\nkinds: [faq]\nchapter_subdecks: true\n")
    out = tmp_path / "x.apkg"
    done = run_ankiexport("build", path, "-o", out, "--kinds", "quiz", "--no-chapter-subdecks", "--tag", "extra")
    assert done.returncode == 0, done.stderr
    ankicheck.import_package(collection, out)
    notes = ankicheck.stored_notes(collection, render=False)
    assert len(notes) == 3 and {n.decks for n in notes} == {("D",)} and all("extra" in n.tags for n in notes)


# One case per kind of manifest error: (manifest text, line, what the message must say).
ERRORS = {
    "invalid-yaml": ("deck: X\narticles: [articles/nmt.txt\n", 3, "invalid YAML"),
    "not-a-mapping": ("- deck: X\n", 1, "must be a mapping"),
    "empty": ("# nothing yet\n", 1, "the manifest is empty"),
    "unknown-key": ("deck: X\narticels:\n  - articles/nmt.txt\n", 2,
                    "unknown key 'articels' — did you mean 'articles'?"),
    "unknown-override-key": ("deck: X\narticles: [articles/nmt.txt]\noverrides:\n  articles/nmt.txt:\n"
                             "    titel: Y\n", 5,
                             "unknown key 'overrides › articles/nmt.txt › titel' — did you mean 'title'?"),
    "unknown-quiz-key": ("deck: X\narticles: [articles/nmt.txt]\noverrides:\n  articles/nmt.txt:\n    quiz:\n"
                         "      - question: Q?\n        options: [a, b]\n        correct: A\n        explantion: Z\n",
                         9, "unknown key 'overrides › articles/nmt.txt › quiz[1] › explantion' "
                            "— did you mean 'explanation'?"),
    "missing-key": ("articles:\n  - articles/nmt.txt\n", 1, "missing key 'deck'"),
    "missing-quiz-key": ("deck: X\narticles: [articles/nmt.txt]\noverrides:\n  articles/nmt.txt:\n    quiz:\n"
                         "      - question: Q?\n        options: [a, b]\n", 6,
                         "missing key 'correct' in 'overrides › articles/nmt.txt › quiz[1]'"),
    "wrong-type": ("deck: X\narticles: articles/nmt.txt\n", 2, "key 'articles' must be a list, not a string"),
    "wrong-type-text": ("deck: [X, Y]\narticles: [articles/nmt.txt]\n", 1, "key 'deck' must be a string, not a list"),
    "wrong-type-bool": ("deck: X\narticles: [articles/nmt.txt]\nreverse: sometimes\n", 3,
                        "key 'reverse' must be true or false"),
    "wrong-type-entry": ("deck: X\narticles: [articles/nmt.txt]\ntags:\n  - ok\n  - {year: 9}\n", 5,
                         "key 'tags': entry 2 must be a string, not a mapping"),
    "wrong-type-nested": ("deck: X\narticles: [articles/nmt.txt]\noverrides:\n  articles/nmt.txt:\n"
                          "    quiz: {question: Q}\n", 5, "key 'overrides › articles/nmt.txt › quiz' must be a list"),
    "duplicate-key": ("deck: X\narticles: [articles/nmt.txt]\ndeck: Y\n", 3, "key 'deck' is given twice"),
    "empty-deck": ("deck: ''\narticles: [articles/nmt.txt]\n", 1, "key 'deck' is empty"),
    "missing-file": ("deck: X\narticles:\n  - articles/nmt.txt\n  - articles/missing.txt\n", 4,
                     "key 'articles': no file matches 'articles/missing.txt'"),
    "override-missing-file": ("deck: X\narticles: [articles/nmt.txt]\noverrides:\n  articles/gone.txt:\n"
                              "    title: T\n", 4, "key 'overrides › articles/gone.txt': no such file"),
    "override-not-an-article": ("deck: X\narticles: [articles/nmt.txt]\noverrides:\n  course.yaml:\n    title: T\n",
                                4, "key 'overrides › course.yaml': not one of this manifest's articles"),
    "unknown-kind": ("deck: X\narticles: [articles/nmt.txt]\nkinds: [definition, fqa]\n", 3,
                     "key 'kinds': unknown kind 'fqa' — did you mean 'faq'?"),
    "quiz-correct-names-no-option": ("deck: X\narticles: [articles/nmt.txt]\noverrides:\n  articles/nmt.txt:\n"
                                     "    quiz:\n      - question: Q?\n        options: [a, b]\n        correct: C\n",
                                     8, "key 'overrides › articles/nmt.txt › quiz[1] › correct' names no option"),
    "quiz-too-few-options": ("deck: X\narticles: [articles/nmt.txt]\noverrides:\n  articles/nmt.txt:\n"
                             "    quiz:\n      - question: Q?\n        options: [a]\n        correct: A\n",
                             7, "key 'overrides › articles/nmt.txt › quiz[1] › options' needs 2 to 8 options"),
    "quiz-same-option-twice": ("deck: X\narticles: [articles/nmt.txt]\noverrides:\n  articles/nmt.txt:\n"
                               "    quiz:\n      - question: Q?\n        options: [a, a]\n        correct: A\n",
                               7, "key 'overrides › articles/nmt.txt › quiz[1] › options': two options are the same"),
    "quiz-repeated-question": ("deck: X\narticles: [articles/nmt.txt]\noverrides:\n  articles/nmt.txt:\n"
                               "    quiz:\n      - question: Q?\n        options: [a, b]\n        correct: A\n"
                               "      - question: q\n        options: [a, b]\n        correct: B\n",
                               9, "key 'overrides › articles/nmt.txt › quiz[2] › question' repeats the question"),
    "chapter-rename-empty": ("deck: X\narticles: [articles/nmt.txt]\noverrides:\n  articles/nmt.txt:\n"
                             "    chapters:\n      Old: ''\n", 6,
                             "key 'overrides › articles/nmt.txt › chapters › Old' must be the new chapter name"),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_manifest_error_names_file_line_and_key(tmp_path: Path, case: str) -> None:
    text, line, needle = ERRORS[case]
    path = course(tmp_path, text)
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert needle in message, message
    assert " — " in message  # and a remedy


def test_bad_manifests_are_usage_errors_reported_together(tmp_path: Path) -> None:
    good = course(tmp_path, "deck: X\narticles: [articles/nmt.txt]\n")
    bad1, bad2 = tmp_path / "bad1.yaml", tmp_path / "bad2.yml"
    bad1.write_text("deck: X\narticels: []\n", encoding="utf-8")
    bad2.write_text("deck: [X]\narticles: []\n", encoding="utf-8")
    done = run_ankiexport("build", good, bad1, bad2, "--out-dir", tmp_path / "dist")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{bad1}:2:" in done.stderr and f"{bad2}:1:" in done.stderr
    assert not (tmp_path / "dist").exists()  # nothing is built when a manifest is wrong
