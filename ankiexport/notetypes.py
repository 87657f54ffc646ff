"""The Anki note types ankiexport writes, as plain data.

Anki matches an imported note type by id, then by its schema (field and template ids, else names).
Any schema change makes Anki fork the note type ("Name+") and stop updating the student's notes, so
every id and name below is frozen; tests pin them. Change one only deliberately, with a new model id.
Template and CSS changes are safe: they reach students when the note type's ``mod`` is newer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldDef:
    name: str
    id: int


@dataclass(frozen=True)
class TemplateDef:
    name: str
    id: int
    front: str
    back: str


@dataclass(frozen=True)
class NoteType:
    id: int
    name: str
    fields: tuple[FieldDef, ...]
    templates: tuple[TemplateDef, ...]
    css: str

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def look_hash(self) -> str:
        """Hash of what students see (templates and CSS): a change here must bump the type's mod."""
        digest = hashlib.sha256(self.css.encode())
        for t in self.templates:
            digest.update(f"\0{t.name}\0{t.front}\0{t.back}".encode())
        return digest.hexdigest()[:16]


CSS = """\
.card {
  --ae-fg: #1d1d1f; --ae-bg: #ffffff; --ae-muted: #6b6b76; --ae-accent: #2f6fde;
  --ae-example-bg: #f3f6fc; --ae-rule: #d8dbe2; --ae-good: #1f7a3d; --ae-good-bg: #e6f4ea;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  font-size: 20px; line-height: 1.45; color: var(--ae-fg); background: var(--ae-bg);
  text-align: left; max-width: 42em; margin: 0 auto; padding: 0.6em;
}
.card.nightMode, .card.night_mode, .nightMode .card {
  --ae-fg: #e8e8ec; --ae-bg: #1e1f22; --ae-muted: #a0a0ab; --ae-accent: #7aa7ff;
  --ae-example-bg: #2a2d34; --ae-rule: #3b3e46; --ae-good: #7bd88f; --ae-good-bg: #1f3326;
}
.ae-chapter { font-size: 0.7em; color: var(--ae-muted); letter-spacing: 0.02em; margin-bottom: 0.6em; }
.ae-prompt { font-size: 1.25em; font-weight: 600; }
.ae-answer { margin-top: 0.4em; }
.ae-example { margin-top: 0.9em; padding: 0.5em 0.8em; background: var(--ae-example-bg);
  border-left: 3px solid var(--ae-accent); border-radius: 4px; }
.ae-label { display: block; font-size: 0.7em; font-weight: 700; text-transform: uppercase;
  color: var(--ae-muted); margin-bottom: 0.2em; }
.ae-source { margin-top: 1.2em; font-size: 0.65em; color: var(--ae-muted); }
.ae-options { margin: 0.6em 0; padding-left: 1.6em; }
.ae-options li { margin: 0.25em 0; }
.ae-correct { color: var(--ae-good); background: var(--ae-good-bg); border-radius: 4px; padding: 0 0.2em; }
.ae-note { color: var(--ae-muted); font-style: italic; }
.ae-evidence blockquote { margin: 0.5em 0; padding-left: 0.8em; border-left: 3px solid var(--ae-rule); }
hr#answer { border: none; border-top: 1px solid var(--ae-rule); margin: 0.8em 0; }
a { color: var(--ae-accent); }
table { border-collapse: collapse; } td, th { border: 1px solid var(--ae-rule); padding: 0.2em 0.5em; }
"""

_CHAPTER = '{{#Chapter}}<div class="ae-chapter">{{Chapter}}</div>{{/Chapter}}'
_SOURCE = '{{#Source}}<div class="ae-source">{{Source}}</div>{{/Source}}'

DEFINITION = NoteType(
    id=1_731_205_101,
    name="ankiexport Definition",
    fields=(
        FieldDef("Term", 4_310_582_118_201_000_001),
        FieldDef("Definition", 4_310_582_118_201_000_002),
        FieldDef("Example", 4_310_582_118_201_000_003),
        FieldDef("Chapter", 4_310_582_118_201_000_004),
        FieldDef("Source", 4_310_582_118_201_000_005),
        FieldDef("Reverse", 4_310_582_118_201_000_006),
    ),
    templates=(
        TemplateDef(
            "Term → Definition", 4_310_582_118_202_000_001,
            front=f'{_CHAPTER}<div class="ae-prompt">{{{{Term}}}}</div>',
            back='{{FrontSide}}<hr id="answer"><div class="ae-answer">{{Definition}}</div>'
                 '{{#Example}}<div class="ae-example"><span class="ae-label">Example</span>'
                 f'{{{{Example}}}}</div>{{{{/Example}}}}{_SOURCE}',
        ),
        # Generated only when Reverse is filled, as in Anki's "Basic (optional reversed card)".
        TemplateDef(
            "Definition → Term", 4_310_582_118_202_000_002,
            front=f'{{{{#Reverse}}}}{_CHAPTER}<div class="ae-answer">{{{{Definition}}}}</div>{{{{/Reverse}}}}',
            back=f'{{{{FrontSide}}}}<hr id="answer"><div class="ae-prompt">{{{{Term}}}}</div>{_SOURCE}',
        ),
    ),
    css=CSS,
)

QA = NoteType(
    id=1_731_205_102,
    name="ankiexport Q&A",
    fields=(
        FieldDef("Question", 4_310_582_118_203_000_001),
        FieldDef("Answer", 4_310_582_118_203_000_002),
        FieldDef("Chapter", 4_310_582_118_203_000_003),
        FieldDef("Source", 4_310_582_118_203_000_004),
    ),
    templates=(
        TemplateDef(
            "Question → Answer", 4_310_582_118_204_000_001,
            front=f'{_CHAPTER}<div class="ae-prompt">{{{{Question}}}}</div>',
            back=f'{{{{FrontSide}}}}<hr id="answer"><div class="ae-answer">{{{{Answer}}}}</div>{_SOURCE}',
        ),
    ),
    css=CSS,
)

# Planned for full multiple choice from the start, so adding options later needs no schema change:
# Options holds the rendered option list, Answer the correct option(s) as readable HTML, Explanation
# the teacher's or page's explanation, Evidence passages of the article for answer-less questions,
# Shuffle a non-empty flag that lets a card's script shuffle options per review.
QUIZ = NoteType(
    id=1_731_205_103,
    name="ankiexport Quiz",
    fields=(
        FieldDef("Question", 4_310_582_118_205_000_001),
        FieldDef("Options", 4_310_582_118_205_000_002),
        FieldDef("Answer", 4_310_582_118_205_000_003),
        FieldDef("Explanation", 4_310_582_118_205_000_004),
        FieldDef("Evidence", 4_310_582_118_205_000_005),
        FieldDef("Chapter", 4_310_582_118_205_000_006),
        FieldDef("Source", 4_310_582_118_205_000_007),
        FieldDef("Shuffle", 4_310_582_118_205_000_008),
    ),
    templates=(
        TemplateDef(
            "Quiz", 4_310_582_118_206_000_001,
            front=f'{_CHAPTER}<div class="ae-prompt">{{{{Question}}}}</div>'
                  '{{#Options}}<div class="ae-options-box">{{Options}}</div>{{/Options}}',
            back='{{FrontSide}}<hr id="answer">'
                 '{{#Answer}}<div class="ae-answer"><span class="ae-label">Answer</span>{{Answer}}</div>'
                 '{{/Answer}}'
                 '{{#Explanation}}<div class="ae-answer">{{Explanation}}</div>{{/Explanation}}'
                 '{{#Evidence}}<div class="ae-evidence"><span class="ae-label">From the article</span>'
                 f'{{{{Evidence}}}}</div>{{{{/Evidence}}}}{_SOURCE}',
        ),
    ),
    css=CSS,
)

NOTE_TYPES: tuple[NoteType, ...] = (DEFINITION, QA, QUIZ)
