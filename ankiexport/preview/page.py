"""A deck → one self-contained HTML page showing every card as Anki would render it.

An article or a manifest is first built into an ``.apkg`` in a temporary folder and read back, so the
page shows exactly what would be imported: the templates and CSS stored in the package, rendered by
:mod:`cardtemplate` with Anki's card-generation rules. An ``.apkg`` is read directly.

The page must never run card content: each side is sanitised again (nh3; a foreign package's
templates are not ours to trust, and a card's own script would only fail under the page's policy),
isolated in a declarative shadow root (its CSS styles only that card), and the page's
Content-Security-Policy allows no network at all and only the page's own script, by hash.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import jinja2
import nh3
from bs4 import BeautifulSoup

from ..ankifile.atomic import write_text_atomic
from ..ankifile.reader import Apkg, ApkgError, ApkgNoteType, media_files, read_apkg
from ..batch import build_plan
from ..errors import RequestError
from ..manifest import is_manifest
from ..markup import visible_text
from ..plans import BuildRequest, plans_for
from .cardtemplate import MAX_CARDS_PER_NOTE, CardTemplate, TemplateError, generated_ords, render_card

PACKAGE_SUFFIX = ".apkg"
NO_CHAPTER = "(no chapter)"
KIND_TAG = "kind::"
# A preview is for reading: this much of a question names an item in a warning.
SNIPPET_CHARS = 80

# What may survive in a card side on the page: every ordinary HTML tag Anki templates use, plus
# <style> (scoped to the card's shadow root) and the inert controls an interactive template may show
# (a quiz's option buttons). No script, no forms, no frames, no event handlers.
PAGE_TAGS = frozenset(nh3.ALLOWED_TAGS | {"style", "font", "ruby", "rb", "rt", "rp", "big", "label", "button",
                                          "input", "fieldset", "legend", "section"})
PAGE_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "img": {"src", "alt", "title", "width", "height", "align"},
    "a": {"href", "title"},
    "font": {"color", "face", "size"},
    "ol": {"start", "type"},
    "input": {"type", "name", "value", "checked", "disabled", "placeholder"},
    "button": {"type", "name", "value", "disabled"},
    "label": {"for"},
    "*": {"class", "id", "style", "title", "lang", "dir", "align"},
}
PAGE_URL_SCHEMES = frozenset({"http", "https", "mailto", "data"})


@dataclass(frozen=True)
class PreviewCard:
    guid: str
    ord: int
    note_type: str
    template: str
    kind: str
    chapter: str
    deck: str
    tags: tuple[str, ...]
    question: str  # as Anki renders it (``render_output().question_text``)
    answer: str
    css: str


@dataclass(frozen=True)
class PreviewWarning:
    title: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preview:
    title: str
    source: Path
    cards: tuple[PreviewCard, ...]
    kinds: dict[str, tuple[int, int]]  # kind → (notes, cards)
    warnings: tuple[PreviewWarning, ...]
    media: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class _Note:
    """A packaged note with what rendering needs at hand."""

    guid: str
    note_type: ApkgNoteType
    templates: tuple[CardTemplate, ...]
    fields: dict[str, str]
    tags: tuple[str, ...]
    card_decks: dict[int, str]  # template ord → deck, for the cards the package holds


def _notes(apkg: Apkg) -> list[_Note]:
    card_decks: dict[int, dict[int, str]] = {}
    for card in apkg.cards:
        card_decks.setdefault(card.note_id, {})[card.ord] = apkg.decks.get(card.deck_id, "(Deck)")
    notes = []
    for note in apkg.notes:
        note_type = apkg.note_types.get(note.note_type_id)
        if note_type is None:
            raise ApkgError(f"note {note.guid} uses note type {note.note_type_id}, which the package lacks",
                            path=str(apkg.path), remedy="export the deck again from Anki")
        given = apkg.field_map(note)
        fields = {name: given.get(name, "") for name in note_type.field_names}  # Anki pads missing fields
        templates = tuple(CardTemplate(*t) for t in note_type.templates)
        notes.append(_Note(note.guid, note_type, templates, fields, note.tags, card_decks.get(note.id, {})))
    return notes


def _kind(note: _Note) -> str:
    return next((t[len(KIND_TAG):] for t in note.tags if t.startswith(KIND_TAG)), note.note_type.name)



def _image_sources(html_text: str) -> list[str]:
    if "<img" not in html_text.lower():
        return []
    return [str(img.get("src", "")) for img in BeautifulSoup(html_text, "html.parser").find_all("img")]


def _snippet(note: _Note) -> str:
    first = visible_text(next(iter(note.fields.values()), ""))
    return first if len(first) <= SNIPPET_CHARS else first[:SNIPPET_CHARS - 1] + "…"


def _note_warnings(notes: Sequence[_Note]) -> list[PreviewWarning]:
    evidence_only: list[str] = []
    unanswered: list[str] = []
    no_chapter: list[str] = []
    for note in notes:
        fields = note.fields
        if "Evidence" in fields and "Answer" in fields and not visible_text(fields["Answer"]):
            (evidence_only if visible_text(fields["Evidence"]) else unanswered).append(_snippet(note))
        if "Chapter" in fields and not visible_text(fields["Chapter"]):
            no_chapter.append(f"{_kind(note)}: {_snippet(note)}")
    warnings = []
    if evidence_only:
        warnings.append(PreviewWarning(f"{len(evidence_only)} quiz item(s) answered only by evidence from the "
                                       "article (no options or correct answer)", tuple(evidence_only)))
    if unanswered:
        warnings.append(PreviewWarning(f"{len(unanswered)} quiz item(s) with no answer and no evidence",
                                       tuple(unanswered)))
    if no_chapter:
        warnings.append(PreviewWarning(f"{len(no_chapter)} item(s) without a chapter", tuple(no_chapter)))
    return warnings


def preview_package(apkg: Apkg, *, source: Path | None = None,
                    extra_warnings: Sequence[PreviewWarning] = ()) -> Preview:
    """Every card Anki would make from the package's notes, rendered with the package's templates.
    ``source`` names what the package was built from, when it was."""
    notes = _notes(apkg)
    media = media_files(apkg)
    cards: list[PreviewCard] = []
    warnings = list(extra_warnings)
    template_errors: list[str] = []
    cardless: list[str] = []
    mismatched: list[str] = []
    unknown_filters: set[str] = set()
    kinds: dict[str, tuple[int, int]] = {}
    for note in notes:
        nt = note.note_type
        ords = generated_ords(note.templates, note.fields, is_cloze=nt.is_cloze)
        if len(ords) > MAX_CARDS_PER_NOTE:
            template_errors.append(f"{nt.name}: a note makes {len(ords)} cards; the first {MAX_CARDS_PER_NOTE} "
                                   "are shown")
        if not ords:
            cardless.append(f"{_kind(note)}: {_snippet(note)}")
        if set(ords) != set(note.card_decks):
            mismatched.append(f"{_snippet(note)}: package holds cards {sorted(note.card_decks)}, "
                              f"the templates make {ords}")
        kind = _kind(note)
        default_deck = next(iter(note.card_decks.values()), "(Deck)")
        # Group by the Chapter field (ankiexport's note types); a deck without one, by deck.
        chapter = (visible_text(note.fields["Chapter"]) or NO_CHAPTER) if "Chapter" in note.fields else default_deck
        made = 0
        for ord_ in ords[:MAX_CARDS_PER_NOTE]:
            template = note.templates[0 if nt.is_cloze else ord_]
            deck = note.card_decks.get(ord_, default_deck)
            special = {"Tags": " ".join(note.tags), "Type": nt.name, "Deck": deck,
                       "Subdeck": deck.rsplit("::", 1)[-1], "Card": template.name, "CardFlag": "flag0"}
            try:
                rendered = render_card(template, note.fields, card_ord=ord_, special=special, is_cloze=nt.is_cloze)
            except TemplateError as exc:
                template_errors.append(f"{nt.name} · {template.name}: {exc}")
                continue
            unknown_filters.update(rendered.unknown_filters)
            made += 1
            cards.append(PreviewCard(note.guid, ord_, nt.name, template.name, kind, chapter, deck, note.tags,
                                     rendered.question, rendered.answer, nt.css))
        notes_seen, cards_seen = kinds.get(kind, (0, 0))
        kinds[kind] = (notes_seen + 1, cards_seen + made)
    warnings.extend(_note_warnings(notes))
    if cardless:
        warnings.append(PreviewWarning(f"{len(cardless)} note(s) make no card at all", tuple(cardless)))
    if mismatched:
        warnings.append(PreviewWarning("the package's cards differ from what its templates make", tuple(mismatched)))
    if template_errors:
        warnings.append(PreviewWarning("cards that cannot be shown", tuple(dict.fromkeys(template_errors))))
    if unknown_filters:
        warnings.append(PreviewWarning("template filters from add-ons, shown unfiltered",
                                       tuple(sorted(unknown_filters))))
    left_out = sorted({src for card in cards for side in (card.question, card.answer)
                       for src in _image_sources(side) if src not in media and not src.startswith("data:")})
    if left_out:
        warnings.append(PreviewWarning(f"{len(left_out)} image(s) left out (not in the package)", tuple(left_out)))
    scripted = sorted({nt.name for nt in apkg.note_types.values()
                       if any("<script" in (front + back).lower() for _, front, back in nt.templates)})
    if scripted:
        warnings.append(PreviewWarning("card scripts do not run in the preview (they run in Anki)", tuple(scripted)))
    decks = list(dict.fromkeys(c.deck for c in cards))
    return Preview(", ".join(decks) or apkg.path.name, source or apkg.path, tuple(cards), kinds,
                   tuple(warnings), media)


def collect(source: str | Path | Sequence[str | Path] = (), request: BuildRequest = BuildRequest()) -> Preview:
    """Preview what ``ankiexport build`` makes of ``source`` with ``request``'s settings, as one deck
    file: articles (text, HTML, a ``*.quiz.yaml``…), folders or one manifest; or one ``.apkg`` as it is."""
    paths = [Path(source)] if isinstance(source, (str, Path)) else [Path(p) for p in source]
    if len(paths) == 1 and paths[0].suffix.lower() == PACKAGE_SUFFIX:
        return preview_package(read_apkg(paths[0]))
    manifests = [p for p in paths if is_manifest(p)]
    if manifests and len(paths) > 1:
        raise RequestError("a preview shows one deck file: give one manifest, or articles and folders")
    with tempfile.TemporaryDirectory(prefix="ankiexport-preview-") as tmpdir:
        target = Path(tmpdir) / "preview.apkg"
        (plan,) = plans_for(paths, replace(request, output=target, out_dir=Path(tmpdir), lock_file=None,
                                           report=None))
        # A preview changes nothing: no lock file is read for mods, none is written beside the manifest.
        result = build_plan(replace(plan, lock=None))
        warnings = [PreviewWarning(w) for w in result.warnings]  # the articles' own warnings among them
        return preview_package(read_apkg(target), source=paths[0] if paths else None, extra_warnings=warnings)


# --- the page ------------------------------------------------------------------------------------

_AV_PLACEHOLDER = re.compile(r"\[anki:play:[qa]:\d+\]")


class SideCleaner:
    """Sanitises one card side for the page and inlines packaged images (others are left out)."""

    def __init__(self, media: dict[str, bytes]) -> None:
        self.media = media
        # Built once per page: nh3 spends more time building its rules than cleaning a card side.
        self._cleaner = nh3.Cleaner(tags=set(PAGE_TAGS), clean_content_tags={"script"},
                                    attributes=PAGE_ATTRIBUTES, url_schemes=set(PAGE_URL_SCHEMES),
                                    generic_attribute_prefixes={"data-"}, attribute_filter=self._attribute,
                                    link_rel="noopener noreferrer", strip_comments=True)

    def _attribute(self, tag: str, name: str, value: str) -> str | None:
        if tag == "img" and name == "src":
            if value in self.media:
                mime = mimetypes.guess_type(value)[0] or "application/octet-stream"
                return f"data:{mime};base64,{base64.b64encode(self.media[value]).decode()}"
            if not value.startswith("data:image/"):
                return None  # remote or missing: the page loads nothing from outside
        if name == "href" and value.lower().startswith("data:"):
            return None
        if name == "style" and "url(" in value.lower():
            return None
        return value

    def clean(self, fragment: str) -> str:
        fragment = _AV_PLACEHOLDER.sub("🔊", fragment)
        return self._cleaner.clean(fragment)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("ankiexport.preview", "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def _script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


@dataclass(frozen=True)
class PageCard:
    card: PreviewCard
    number: int
    style: int  # index of the note type's CSS in the page's stylesheets
    front: str
    back: str
    text: str  # lower-cased plain text the filter box searches


def render_page(preview: Preview) -> str:
    cleaner = SideCleaner(preview.media)
    chapters: dict[str, list[PageCard]] = {}
    styles: dict[str, int] = {}  # CSS → index: each note type's CSS is on the page once
    for number, card in enumerate(preview.cards, start=1):
        style = styles.setdefault(card.css, len(styles))
        front, back = cleaner.clean(card.question), cleaner.clean(card.answer)
        text = " ".join((card.kind, card.chapter, card.template, " ".join(card.tags),
                         visible_text(f"{card.question} {card.answer}"))).lower()
        chapters.setdefault(card.chapter, []).append(PageCard(card, number, style, front, back, text))
    stylesheets = [cleaner.clean(f"<style>{css}</style>") for css in styles]
    script = resources.files("ankiexport.preview").joinpath("templates/preview.js").read_text(encoding="utf-8")
    page_css = resources.files("ankiexport.preview").joinpath("templates/preview.css").read_text(encoding="utf-8")
    notes = sum(n for n, _ in preview.kinds.values())
    return _environment().get_template("preview.html").render(
        preview=preview, chapters=chapters, warnings=preview.warnings, script=script, style=page_css,
        stylesheets=stylesheets, script_hash=_script_hash(script), total=len(preview.cards), notes=notes,
        kinds=sorted(preview.kinds.items()))


def write_preview(preview: Preview, output: str | Path) -> Path:
    output = Path(output)
    page = render_page(preview)
    return write_text_atomic(output, page, what="the preview")
