"""schema.org structured data in a page (JSON-LD, microdata, RDFa Lite) → items.

What a page declares beats what a heuristic guesses, so these items go straight into
``Article.structured``:

- ``FAQPage`` → its Questions with their ``acceptedAnswer`` → FAQ items;
- ``QAPage`` → its Question and accepted answer → a FAQ item (the other answers are forum posts, not
  options to choose from);
- ``Quiz`` → its Questions, and a stand-alone ``Question`` with ``suggestedAnswer``s → quiz items whose
  options are the suggested and accepted answers and whose correct keys are the accepted ones;
- ``DefinedTerm`` (alone or in a ``DefinedTermSet``) → definitions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import lxml.etree as etree

from ...markup import normalise_space
from ...model import ChapterPath, Definition, Faq, Item, QuizItem, Span, normalise_key
from .fragments import Element, Fragments, children, remove, text_of

FAQ_CHAPTER: ChapterPath = ("FAQ",)
QUIZ_CHAPTER: ChapterPath = ("Quiz",)


# Questions sit a few levels down a page's graph (@graph › WebPage › mainEntity › Question); deeper
# structures are not read, so a hostile page cannot exhaust the stack.
MAX_JSON_LD_DEPTH = 32


def type_names(value: Any) -> set[str]:
    """``"https://schema.org/FAQPage"``, ``"schema:FAQPage"``, ``["FAQPage"]`` → ``{"FAQPage"}``."""
    values = value if isinstance(value, list) else str(value or "").split()
    return {str(v).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].rsplit("#", 1)[-1] for v in values}


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@dataclass(frozen=True)
class Answer:
    html: str
    text: str
    position: int | None = None
    explanation: str = ""


@dataclass
class Found:
    """Items found so far; a question or term declared twice (JSON-LD and microdata) counts once."""

    items: list[Item] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    keys: set[tuple[str, str]] = field(default_factory=set)
    changed_page: bool = False  # microdata or RDFa content was prepared or removed

    def add(self, item: Item) -> None:
        key = (item.kind if item.kind != "quiz" else "faq", normalise_key(item.key))
        if not item.key.strip() or key in self.keys:
            return
        self.keys.add(key)
        self.items.append(item)

    def faq_questions(self) -> set[str]:
        return {k for kind, k in self.keys if kind == "faq"}


def _quiz_or_faq(question: str, accepted: list[Answer], suggested: list[Answer], span: Span,
                 as_quiz: bool) -> Item | None:
    if not question:
        return None
    if as_quiz and suggested:
        options: list[Answer] = []
        seen: set[str] = set()
        for answer in [*suggested, *accepted]:
            if answer.text and normalise_key(answer.text) not in seen:
                seen.add(normalise_key(answer.text))
                options.append(answer)
        # Declared positions give the order; without them the options are sorted by text, so the correct
        # one's place (suggested answers first, the accepted last) gives nothing away.
        if all(o.position is not None for o in options):
            options.sort(key=lambda o: o.position or 0)
        else:
            options.sort(key=lambda o: normalise_key(o.text))
        right = {normalise_key(a.text) for a in accepted}
        correct = tuple(i for i, o in enumerate(options) if normalise_key(o.text) in right)
        explanation = "<br>".join(a.explanation for a in accepted if a.explanation)
        return QuizItem(chapter=QUIZ_CHAPTER, span=span, question=question,
                        options=tuple(o.html for o in options), correct=correct, explanation=explanation)
    if accepted:
        return Faq(chapter=FAQ_CHAPTER, span=span, question=question,
                   answer="<br>".join(a.html for a in accepted if a.html))
    return None


# --- JSON-LD -----------------------------------------------------------------------------------


class JsonLd:
    def __init__(self, fragments: Fragments, found: Found) -> None:
        self.fragments = fragments
        self.found = found

    def read(self, scripts: list[Element]) -> None:
        for script in scripts:
            if (script.get("type") or "").strip().lower() != "application/ld+json":
                continue
            line = script.sourceline or 1
            try:
                data = json.loads(script.text or "", strict=False)
            except json.JSONDecodeError as exc:
                self.found.warnings.append(f"line {line}: JSON-LD that is not valid JSON ({exc.msg}) — skipped")
                continue
            except RecursionError:
                self.found.warnings.append(f"line {line}: JSON-LD nested too deeply to be read — skipped")
                continue
            self._visit(data, Span(line, line))

    def _text(self, value: Any) -> tuple[str, str]:
        if isinstance(value, dict):
            value = value.get("text") or value.get("name") or ""
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        return self.fragments.from_markup(str(value or ""))

    def _answers(self, value: Any) -> list[Answer]:
        answers = []
        for answer in as_list(value):
            if not isinstance(answer, dict):
                answer = {"text": answer}
            html, text = self._text(answer)
            position = answer.get("position")
            explanation = answer.get("answerExplanation") or answer.get("comment")
            answers.append(Answer(html, text, int(str(position)) if str(position).isdigit() else None,
                                  self._text(explanation)[0] if explanation else ""))
        return answers

    def _question(self, node: dict[str, Any], span: Span, as_quiz: bool) -> None:
        question = text_of_markup(self.fragments, node.get("name") or node.get("text") or "")
        item = _quiz_or_faq(question, self._answers(node.get("acceptedAnswer")),
                            self._answers(node.get("suggestedAnswer")), span, as_quiz)
        if item is not None:
            self.found.add(item)

    def _visit(self, node: Any, span: Span, depth: int = 0) -> None:
        if depth > MAX_JSON_LD_DEPTH:
            return
        if isinstance(node, list):
            for child in node:
                self._visit(child, span, depth + 1)
            return
        if not isinstance(node, dict):
            return
        types = type_names(node.get("@type"))
        if types & {"FAQPage", "QAPage"}:
            for question in as_list(node.get("mainEntity")):
                if isinstance(question, dict):
                    self._question(question, span, as_quiz=False)
        elif "Quiz" in types:
            for key in ("hasPart", "mainEntity", "itemListElement"):
                for question in as_list(node.get(key)):
                    if isinstance(question, dict) and "Question" in type_names(question.get("@type")):
                        self._question(question, span, as_quiz=True)
        elif "Question" in types:
            self._question(node, span, as_quiz=True)
        elif "DefinedTerm" in types:
            self._term(node, span)
        else:
            for key, value in node.items():
                if key not in ("@context", "@type", "@id") and isinstance(value, (dict, list)):
                    self._visit(value, span, depth + 1)

    def _term(self, node: dict[str, Any], span: Span) -> None:
        term = text_of_markup(self.fragments, node.get("name") or "")
        definition, text = self._text(node.get("description") or "")
        if term and text:
            self.found.add(Definition(chapter=(), span=span, term=term, definition=definition))


def text_of_markup(fragments: Fragments, value: Any) -> str:
    return fragments.from_markup(str(value))[1]


# --- Microdata and RDFa Lite -------------------------------------------------------------------


@dataclass(frozen=True)
class Syntax:
    """Microdata (itemscope/itemtype/itemprop) and RDFa Lite (typeof/property) differ only in names."""

    name: str
    is_scope: Callable[[Element], bool]
    type_attribute: str
    property_attribute: str


MICRODATA = Syntax("microdata", lambda t: t.get("itemscope") is not None, "itemtype", "itemprop")
RDFA = Syntax("RDFa", lambda t: t.get("typeof") is not None, "typeof", "property")


def _attr_words(tag: Element, name: str) -> list[str]:
    return str(tag.get(name) or "").split()


class Markup:
    def __init__(self, fragments: Fragments, found: Found, syntax: Syntax) -> None:
        self.fragments = fragments
        self.found = found
        self.syntax = syntax
        self.consumed: list[Element] = []
        self.consumed_set: set[Element] = set()

    def properties(self, scope: Element) -> dict[str, list[Element]]:
        out: dict[str, list[Element]] = {}
        self._properties(scope, out)
        return out

    def _properties(self, element: Element, out: dict[str, list[Element]]) -> None:
        # A method, not a nested function: one that calls itself is a reference cycle, which kept the page's
        # tree until the cyclic garbage collector ran.
        for child in element.iterchildren(etree.Element):
            for name in _attr_words(child, self.syntax.property_attribute):
                out.setdefault(type_names(name).pop(), []).append(child)
            if not self.syntax.is_scope(child):
                self._properties(child, out)

    def _types(self, tag: Element) -> set[str]:
        return type_names(_attr_words(tag, self.syntax.type_attribute))

    def _content(self, tag: Element) -> tuple[str, str]:
        if tag.tag == "meta":
            return self.fragments.from_markup(str(tag.get("content") or ""))
        self.found.changed_page = True
        self.fragments.prepare(tag)
        nodes = children(tag)
        return self.fragments.html(nodes), text_of(nodes)

    def _first_text(self, props: dict[str, list[Element]], *names: str) -> str:
        for name in names:
            for tag in props.get(name, []):
                text = normalise_space(str(tag.get("content"))) if tag.tag == "meta" else text_of([tag])
                if text:
                    return text
        return ""

    def _answers(self, tags: Iterable[Element]) -> list[Answer]:
        answers = []
        for tag in tags:
            props = self.properties(tag) if self.syntax.is_scope(tag) else {"text": [tag]}
            position = self._first_text(props, "position")
            body = props.get("text") or props.get("name") or []
            html, text = self._content(body[0]) if body else ("", "")
            explanation = props.get("answerExplanation") or props.get("comment") or []
            answers.append(Answer(html, text, int(position) if position.isdigit() else None,
                                  self._content(explanation[0])[0] if explanation else ""))
        return answers

    def _question(self, scope: Element, as_quiz: bool) -> None:
        props = self.properties(scope)
        question = self._first_text(props, "name", "text")
        accepted_tags = props.get("acceptedAnswer", [])
        # One element may be both ("suggestedAnswer acceptedAnswer"): it is one option.
        accepted = set(accepted_tags)
        suggested_tags = [t for t in props.get("suggestedAnswer", []) if t not in accepted]
        quiz = as_quiz and bool(props.get("suggestedAnswer"))
        line = scope.sourceline or 1
        item = _quiz_or_faq(question, self._answers(accepted_tags), self._answers(suggested_tags),
                            Span(line, line), quiz)
        if item is not None:
            self.found.add(item)
            self._consume(scope)

    def _consume(self, tag: Element) -> None:
        self.consumed.append(tag)
        self.consumed_set.add(tag)

    def _is_consumed(self, tag: Element) -> bool:
        return tag in self.consumed_set or any(p in self.consumed_set for p in tag.iterancestors())

    def read(self, tags: list[Element]) -> None:
        """Read the scopes among ``tags`` (elements of the page in document order)."""
        for scope in [t for t in tags if self.syntax.is_scope(t)]:
            if self._is_consumed(scope):
                continue
            types = self._types(scope)
            if types & {"FAQPage", "QAPage"}:
                for question in self.properties(scope).get("mainEntity", []):
                    if self.syntax.is_scope(question):
                        self._question(question, as_quiz=False)
            elif "Quiz" in types:
                for key in ("hasPart", "mainEntity", "itemListElement"):
                    for question in self.properties(scope).get(key, []):
                        if self.syntax.is_scope(question):
                            self._question(question, as_quiz=True)
            elif "Question" in types:
                self._question(scope, as_quiz=True)
            elif "DefinedTerm" in types:
                props = self.properties(scope)
                term = self._first_text(props, "name")
                body = props.get("description") or []
                definition, text = self._content(body[0]) if body else ("", "")
                if term and text:
                    line = scope.sourceline or 1
                    self.found.add(Definition(chapter=(), span=Span(line, line), term=term, definition=definition))
                    self._consume(scope)
        for tag in self.consumed:
            remove(tag)
            self.found.changed_page = True


# The elements with attributes, the root's included.
ATTRIBUTED = etree.XPath("descendant-or-self::*/@*/..")


def structured_items(document: Element, fragments: Fragments) -> Found:
    """All items the page declares; the elements they came from are removed from ``document``."""
    found = Found()
    JsonLd(fragments, found).read(list(document.iter("script")))
    # Scopes are looked for among the few elements with attributes.
    attributed = list(ATTRIBUTED(document))
    for syntax in (MICRODATA, RDFA):
        if found.changed_page:
            attributed = list(ATTRIBUTED(document))
        Markup(fragments, found, syntax).read(attributed)
    return found
