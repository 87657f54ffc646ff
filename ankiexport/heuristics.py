"""Extraction heuristics: every pattern and threshold the extractors use, named, with its motivation.

Precision comes before recall: a wrong card costs a student more than a missing one, so each rule is
written to reject rather than guess.
"""

from __future__ import annotations

import re

# "Term: definition" paragraphs. The seed's longest term is "Neuromuscular Therapy (NMT)" (3 words);
# six leaves room for "Sequential Compression Device (SCD) Therapy" without admitting sentence openers
# such as "The practice of Neuromuscular Therapy encompasses several methods:".
DEFINITION_TERM_MAX_WORDS = 6
DEFINITION_TERM_MAX_CHARS = 70
# The definition after the colon must be a real sentence: "Pain reduction: Regular sessions can
# significantly decrease chronic pain." has 7 words; 4 rejects "Note: see below."-style asides.
DEFINITION_MIN_WORDS = 4

# A lead before a colon: no sentence punctuation inside it (rejects "…function.It's interesting to
# note the following:" where the colon ends a sentence, not a term), starts with a capital or digit.
LEAD_COLON = re.compile(
    r"(?P<lead>[^\W_][^:.!?;]*?)\s*:\s+(?P<rest>\S.*)",
    re.DOTALL,
)
SENTENCE_END = re.compile(r"[.!?…)\"”»]\s*$")

# Paragraphs that illustrate the point before them ("Imagine a person suffering from…",
# "Consider an athlete recovering…", "For example, someone with…"): they go into the Example field
# of the item they illustrate, never into cards of their own.
EXAMPLE_OPENERS = re.compile(
    r"(Imagine|Consider|For example|For instance|E\.g\.|Stell dir vor|Betrachte|Zum Beispiel|"
    r"Beispielsweise|Imagine[sz]|Considérons|Par exemple|Imagina|Considera|Por ejemplo)\b",
)

# Text-dump headings are bare short lines standing alone between blank lines. The seed's longest is
# "Physiological Basis of Neuromuscular Therapy" (5 words); 12 words still admits long German or
# French titles, while the shortest body paragraphs ("NMT is particularly effective for athletes,
# those with …") run past it or end in a full stop.
HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 100
HEADING_TERMINAL = re.compile(r"[.,;:!?]$")

# Bullet glyphs seen in text dumps: "•" (StudySmarter), "-"/"*" (hand-written), "·", "▪".
BULLET = re.compile(r"[•·▪◦\-*]\s+(?P<text>.*)")

# `*word*` emphasis in text dumps (the seed: "by *releasing tension* in the overstressed…").
EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(?P<inner>[^*\n]+?)(?<=\S)\*(?![\w*])")


def word_count(text: str) -> int:
    return len(text.split())


def split_lead(text: str, *, max_words: int = DEFINITION_TERM_MAX_WORDS) -> tuple[str, str] | None:
    """Split "Lead: rest" when the lead is short enough to be a term and the rest a sentence."""
    found = LEAD_COLON.fullmatch(text.strip())
    if not found:
        return None
    lead, rest = found["lead"].strip(), found["rest"].strip()
    if word_count(lead) > max_words or len(lead) > DEFINITION_TERM_MAX_CHARS:
        return None
    if not (lead[0].isupper() or lead[0].isdigit()):
        return None
    if word_count(rest) < DEFINITION_MIN_WORDS or not SENTENCE_END.search(rest):
        return None
    return lead, rest
