"""Generated study articles shaped like the seed text dumps, on invented subjects.

Used by the batch tests and by ``benchmarks/``: ``generate(n)`` is deterministic (same ``seed``, same
texts), and every article knows how many items of each kind the parser should find in it.

    python -m tests.articlegen OUT_FOLDER [COUNT] [SEED]    # write COUNT articles as .txt files
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

# Invented words only: no article text is copied from anywhere.
_ONSETS = ("br", "c", "d", "f", "gl", "k", "l", "m", "n", "pr", "qu", "r", "s", "st", "t", "th", "v", "z")
_VOWELS = ("a", "e", "i", "o", "u", "ae", "io", "ou")
_CODAS = ("", "n", "r", "s", "l", "x", "nd", "rm", "th")
_FIELDS = ("Biology", "Chemistry", "Geography", "Economics", "Engineering", "Medicine", "Physics",
           "Psychology", "History", "Linguistics")
_NOUNS = ("Theory", "Cycle", "Dynamics", "Method", "Principle", "Systems", "Analysis", "Effect")
_ASPECTS = ("Origins", "Structure", "Mechanism", "Applications", "Limits", "Measurement", "Variants",
            "History", "Components", "Practice")
_VERBS = ("stabilises", "regulates", "transforms", "measures", "separates", "links", "predicts",
          "balances")
_OBJECTS = ("the flow of energy", "small particles", "regional markets", "cell membranes",
            "signal strength", "long-term memory", "river sediment", "load-bearing joints")
_OPENERS = ("Imagine", "Consider", "For example,")

# Chrome lines the text reader must drop (the same furniture the seed carries).
_HEAD_CHROME = ("Get started", "", "Sign up for free", "", "StudySmarter Editorial Team", "",
                "Team {topic} Teachers", "", "  • 7 minutes reading time", "Save Article Save Article",
                "Contents", "Jump to a key chapter", "")
_FOOTER = ("Next", "", "About StudySmarter", "",
           "StudySmarter is a learning platform; this footer is page chrome and never a card.", "",
           "Team {field} Teachers", "", "Sign up with Email")


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables))


@dataclass(frozen=True)
class GeneratedArticle:
    name: str  # file name, e.g. "017_quorvane-dynamics.txt"
    title: str
    subject: str
    text: str
    counts: dict[str, int]  # item kind → how many the parser should find ("Term: …" definitions only)


def generate_one(index: int, seed: int = 0) -> GeneratedArticle:
    rng = random.Random(f"{seed}:{index}")
    topic_word = _word(rng, rng.randint(2, 3)).capitalize()
    title = f"{topic_word} {rng.choice(_NOUNS)}"
    subject = rng.choice(_FIELDS)
    topic = title.lower()
    lines: list[str] = [topic, "",
                        f"{title} is an invented topic used to exercise the converter. It "
                        f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)} in a way no real field does.", ""]
    lines += [c.format(topic=topic) for c in _HEAD_CHROME]
    counts = {"definition": 0, "keypoint": 0, "chapter": 0, "takeaway": 0, "faq": 0, "quiz": 0}
    terms: list[str] = []
    for chapter_no, aspect in enumerate(rng.sample(_ASPECTS, rng.randint(2, 5))):
        heading = f"{aspect} of {title}"
        lines += [heading, ""]
        lines += [f"This chapter explains the {aspect.lower()} of {topic}, step by step, for the "
                  f"reader who meets it for the first time.", ""]
        for _ in range(rng.randint(1, 3)):
            term = f"{_word(rng, 2).capitalize()} {rng.choice(('Index', 'Layer', 'Constant', 'Phase'))}"
            terms.append(term)
            lines += [f"{term}: The part of {topic} that {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
                      f"during {aspect.lower()}.", ""]
            counts["definition"] += 1
        if chapter_no % 2 == 0:
            lines += [f"The {aspect.lower()} rests on several ideas:", ""]
            for _ in range(rng.randint(2, 4)):
                lead = f"{_word(rng, 2).capitalize()} {rng.choice(('Rule', 'Step', 'Effect'))}"
                lines.append(f"  • {lead}: It {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} reliably.")
                counts["keypoint"] += 1
            lines.append("")
        lines += [f"{rng.choice(_OPENERS)} a student who watches {rng.choice(_OBJECTS)} change as "
                  f"{topic} unfolds over a week.", ""]
    lines += ["Save Article", "", f"{topic} - Key takeaways", ""]
    for term in terms[: rng.randint(2, 4)]:
        lines.append(f"  • {term}: Remember that it {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}.")
        counts["takeaway"] += 1
    lines += [f"Frequently Asked Questions about {topic}"]
    for _ in range(rng.randint(2, 4)):
        place, thing = _word(rng, 2).capitalize(), rng.choice(_OBJECTS)
        lines += [f"How does {topic} affect {thing} in {place}?",
                  f"In {place}, {topic} {rng.choice(_VERBS)} {thing} gradually; the effect grows over "
                  f"{rng.randint(2, 40)} {rng.choice(('days', 'weeks', 'seasons'))} of steady practice."]
        counts["faq"] += 1
    lines += ["Save Article", "", "Test your knowledge with multiple choice flashcards", ""]
    for _ in range(rng.randint(1, 3)):
        lines += [f"Which statement about {rng.choice(terms)} is true?", ""]
        counts["quiz"] += 1
    lines += [f.format(field=subject) for f in _FOOTER]
    name = f"{index:03d}_{topic.replace(' ', '-')}.txt"
    return GeneratedArticle(name, title, subject, "\n".join(lines) + "\n", counts)


def generate(count: int, seed: int = 0) -> list[GeneratedArticle]:
    """``count`` articles with distinct titles (a title collision would make them duplicates)."""
    out: list[GeneratedArticle] = []
    titles: set[str] = set()
    index = 0
    while len(out) < count:
        article = generate_one(index, seed)
        index += 1
        if article.title.casefold() not in titles:
            titles.add(article.title.casefold())
            out.append(article)
    return out


def write_batch(folder: Path, count: int, seed: int = 0) -> list[GeneratedArticle]:
    folder.mkdir(parents=True, exist_ok=True)
    articles = generate(count, seed)
    for article in articles:
        (folder / article.name).write_text(article.text, encoding="utf-8")
    return articles


if __name__ == "__main__":
    target = Path(sys.argv[1])
    made = write_batch(target, int(sys.argv[2]) if len(sys.argv) > 2 else 200,
                       int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    print(f"wrote {len(made)} articles to {target}")
