"""The Anki note types ankiexport writes, as plain data.

Anki matches an imported note type by id, then by its schema (field and template ids, else names).
Any schema change makes Anki fork the note type ("Name+") and stop updating the student's notes, so
every id and name below is frozen; tests pin them. Change one only deliberately, with a new model id.
Template and CSS changes are safe: they reach students when the note type's ``mod`` is newer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
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
    cloze: bool = False  # Anki's cloze kind: one card per {{cN::…}} of the first field

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def look_hash(self) -> str:
        """Hash of what students see (templates and CSS): a change here must bump the type's mod."""
        return look_hash(self.css, [(t.name, t.front, t.back) for t in self.templates])


def look_hash(css: str, templates: Sequence[tuple[str, str, str]]) -> str:
    """:attr:`NoteType.look_hash` of a note type given as CSS and (name, front, back) templates."""
    digest = hashlib.sha256(css.encode())
    for name, front, back in templates:
        digest.update(f"\0{name}\0{front}\0{back}".encode())
    return digest.hexdigest()[:16]


CSS = """\
.card {
  --ae-fg: #1d1d1f; --ae-bg: #ffffff; --ae-muted: #6b6b76; --ae-accent: #2f6fde;
  --ae-example-bg: #f3f6fc; --ae-rule: #d8dbe2; --ae-good: #1f7a3d; --ae-good-bg: #e6f4ea;
  --ae-mark-bg: #fff3b0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  font-size: 20px; line-height: 1.45; color: var(--ae-fg); background: var(--ae-bg);
  text-align: start; max-width: 42em; margin: 0 auto; padding: 0.6em; overflow-wrap: anywhere;
}
/* Phones: a little smaller, so that a line holds a phrase and a card a few screens at most. */
@media (max-width: 480px) { .card { font-size: 17px; padding: 0.4em; } }
.card img { max-width: 100%; height: auto; }
.card.nightMode, .card.night_mode, .nightMode .card {
  --ae-fg: #e8e8ec; --ae-bg: #1e1f22; --ae-muted: #a0a0ab; --ae-accent: #7aa7ff;
  --ae-example-bg: #2a2d34; --ae-rule: #3b3e46; --ae-good: #7bd88f; --ae-good-bg: #1f3326;
  --ae-mark-bg: #4a4120;
}
.ae-chapter { font-size: 0.7em; color: var(--ae-muted); letter-spacing: 0.02em; margin-bottom: 0.6em; }
.ae-prompt { font-size: 1.25em; font-weight: 600; }
.ae-answer { margin-top: 0.4em; }
.ae-example { margin-top: 0.9em; padding: 0.5em 0.8em; background: var(--ae-example-bg);
  border-inline-start: 3px solid var(--ae-accent); border-radius: 4px; }
.ae-label { display: block; font-size: 0.7em; font-weight: 700; text-transform: uppercase;
  color: var(--ae-muted); margin-bottom: 0.2em; }
.ae-source { margin-top: 1.2em; font-size: 0.65em; color: var(--ae-muted); }
.ae-options { margin: 0.6em 0; padding-inline-start: 2em; }
.ae-options li { margin: 0.35em 0; padding: 0.3em 0.6em; border: 1px solid var(--ae-rule); border-radius: 6px; }
.ae-options li::marker { font-weight: 700; color: var(--ae-muted); }
.ae-options li.ae-right { border: 2px solid var(--ae-good); background: var(--ae-good-bg); }
.ae-options li.ae-right::marker { color: var(--ae-good); }
.ae-options li.ae-wrong { color: var(--ae-muted); }
.ae-tick { font-weight: 700; color: var(--ae-good); }
.ae-hint { font-size: 0.75em; color: var(--ae-muted); }
.ae-explanation { margin-top: 0.8em; }
.ae-note { color: var(--ae-muted); font-style: italic; }
.ae-evidence { margin-top: 0.8em; }
/* A long passage scrolls inside its quote: the card stays a few screens long on a phone. */
.ae-evidence blockquote { margin: 0.6em 0 0.9em; padding-inline-start: 0.8em;
  border-inline-start: 3px solid var(--ae-rule); max-height: 12em; overflow-y: auto; }
.ae-evidence .ae-chapter { margin: 0.3em 0 0; }
mark.ae-hit { background: var(--ae-mark-bg); color: inherit; border-radius: 3px; }
hr#answer { border: none; border-top: 1px solid var(--ae-rule); margin: 0.8em 0; }
a { color: var(--ae-accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em;
  color: var(--ae-fg); background: var(--ae-example-bg); border-radius: 4px; }
code { padding: 0.05em 0.3em; }
pre { padding: 0.5em 0.8em; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { padding: 0; background: none; font-size: 1em; }
table { border-collapse: collapse; } td, th { border: 1px solid var(--ae-rule); padding: 0.2em 0.5em; }
/* A wide table or code block scrolls sideways by itself, not the whole card. */
table, pre { display: block; max-width: 100%; overflow-x: auto; }
"""

# Every container of article text takes its direction from its text (dir="auto"): Hebrew or Arabic
# runs right to left, and English beside it left to right.
_CHAPTER = '{{#Chapter}}<div class="ae-chapter" dir="auto">{{Chapter}}</div>{{/Chapter}}'
_SOURCE = '{{#Source}}<div class="ae-source" dir="auto">{{Source}}</div>{{/Source}}'

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
            front=f'{_CHAPTER}<div class="ae-prompt" dir="auto">{{{{Term}}}}</div>',
            back='{{FrontSide}}<hr id="answer"><div class="ae-answer" dir="auto">{{Definition}}</div>'
                 '{{#Example}}<div class="ae-example"><span class="ae-label">Example</span>'
                 f'<div dir="auto">{{{{Example}}}}</div></div>{{{{/Example}}}}{_SOURCE}',
        ),
        # Generated only when Reverse is filled, as in Anki's "Basic (optional reversed card)".
        TemplateDef(
            "Definition → Term", 4_310_582_118_202_000_002,
            front=f'{{{{#Reverse}}}}{_CHAPTER}<div class="ae-answer" dir="auto">{{{{Definition}}}}</div>'
                  '{{/Reverse}}',
            back=f'{{{{FrontSide}}}}<hr id="answer"><div class="ae-prompt" dir="auto">{{{{Term}}}}</div>{_SOURCE}',
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
            front=f'{_CHAPTER}<div class="ae-prompt" dir="auto">{{{{Question}}}}</div>',
            back=f'{{{{FrontSide}}}}<hr id="answer"><div class="ae-answer" dir="auto">{{{{Answer}}}}</div>{_SOURCE}',
        ),
    ),
    css=CSS,
)

# Options shuffled per review (only when the Shuffle field is filled). Vanilla ES5, no network, and
# nothing is lost without it: the letters are the list's own numbering, and the back marks the
# correct options themselves (class and "✓"), never by letter alone. The front stores its order for
# the back (a window variable where the reviewer keeps the page, sessionStorage where it reloads
# it); a back that finds no order for this question keeps the original one, still correct.
_SHUFFLE_FRONT = """<script>
(function () {
  var list = document.querySelector('.ae-choices[data-side="front"] ol');
  var prompt = document.querySelector('.ae-prompt');
  if (!list || !prompt) { return; }
  var order = [], items = list.children, i, j, swap;
  for (i = 0; i < items.length; i++) { order.push(items[i].getAttribute('data-key')); }
  for (i = order.length - 1; i > 0; i--) {
    j = Math.floor(Math.random() * (i + 1)); swap = order[i]; order[i] = order[j]; order[j] = swap;
  }
  for (i = 0; i < order.length; i++) { list.appendChild(list.querySelector('li[data-key="' + order[i] + '"]')); }
  var saved = {question: prompt.textContent, order: order};
  window.aeQuizOrder = saved;
  try { sessionStorage.setItem('aeQuizOrder', JSON.stringify(saved)); } catch (e) { /* storage off */ }
})();
</script>"""

_SHUFFLE_BACK = """<script>
(function () {
  var list = document.querySelector('.ae-choices[data-side="back"] ol');
  var prompt = document.querySelector('.ae-prompt');
  var saved = window.aeQuizOrder, i, item;
  if (!saved) {
    try { saved = JSON.parse(sessionStorage.getItem('aeQuizOrder') || 'null'); } catch (e) { saved = null; }
  }
  if (!list || !prompt || !saved || saved.question !== prompt.textContent) { return; }
  for (i = 0; i < saved.order.length; i++) {
    item = list.querySelector('li[data-key="' + saved.order[i] + '"]');
    if (item) { list.appendChild(item); }
  }
})();
</script>"""

_QUIZ_FRONT = (
    f'{_CHAPTER}<div class="ae-prompt" dir="auto">{{{{Question}}}}</div>'
    '{{#Options}}<div class="ae-choices" data-side="front" dir="auto">{{Options}}</div>{{/Options}}'
    f'{{{{#Shuffle}}}}{_SHUFFLE_FRONT}{{{{/Shuffle}}}}'
)
# The back does not repeat {{FrontSide}}: Answer is the option list again, with the key marked.
_QUIZ_BACK = (
    f'{_CHAPTER}<div class="ae-prompt" dir="auto">{{{{Question}}}}</div><hr id="answer">'
    '{{#Answer}}<div class="ae-choices" data-side="back" dir="auto">{{Answer}}</div>{{/Answer}}'
    '{{^Answer}}{{#Options}}<div class="ae-choices" data-side="back" dir="auto">{{Options}}</div>{{/Options}}'
    '{{/Answer}}'
    '{{#Explanation}}<div class="ae-answer ae-explanation" dir="auto">{{Explanation}}</div>{{/Explanation}}'
    # (the Evidence field brings its own "From the article" label, in the article's language)
    '{{#Evidence}}<div class="ae-evidence" dir="auto">{{Evidence}}</div>{{/Evidence}}'
    f'{_SOURCE}{{{{#Shuffle}}}}{_SHUFFLE_BACK}{{{{/Shuffle}}}}'
)

# Planned for full multiple choice from the start, so adding options later needs no schema change:
# Options holds the front's option list, Answer the same list with the correct option(s) marked,
# Explanation the teacher's or page's explanation, Evidence passages of the article for answer-less
# questions, Shuffle a non-empty flag that lets the card's script shuffle options per review.
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
    templates=(TemplateDef("Quiz", 4_310_582_118_206_000_001, front=_QUIZ_FRONT, back=_QUIZ_BACK),),
    css=CSS,
)

# A key sentence with its key term hidden; the chapter it comes from shows on the back only.
CLOZE = NoteType(
    id=1_731_205_104,
    name="ankiexport Cloze",
    fields=(
        FieldDef("Text", 4_310_582_118_207_000_001),
        FieldDef("Chapter", 4_310_582_118_207_000_002),
        FieldDef("Source", 4_310_582_118_207_000_003),
    ),
    templates=(
        TemplateDef(
            "Cloze", 4_310_582_118_208_000_001,
            front='<div class="ae-answer">{{cloze:Text}}</div>',
            back='<div class="ae-answer">{{cloze:Text}}</div><hr id="answer">'
                 f'{_CHAPTER}{_SOURCE}',
        ),
    ),
    css=CSS + ".cloze { font-weight: 700; color: var(--ae-accent); }\n",
    cloze=True,
)

NOTE_TYPES: tuple[NoteType, ...] = (DEFINITION, QA, QUIZ, CLOZE)
