"""How a thing forms and whom it suits: "Trigger points are formed when muscle fibers contract
excessively …" asks "How are trigger points formed?", answered by the sentence (and the next, when it
carries on with "This …"); "X is particularly effective for athletes, …" asks "Who is X particularly
effective for?" (English, German and Spanish: French would need the subject's gender)."""

from __future__ import annotations

from ..markup import text_to_html
from ..model import Article, BlockKind, Item, Question, Section, normalise_key
from ..rules.heuristics import (
    APPOSITION_TERM_MAX_WORDS,
    DETERMINERS,
    FORMED_PROMPTS,
    FORMED_WHEN,
    LIST_LEAD_PRONOUN,
    QUESTION_ANSWER_MAX_WORDS,
    SENTENCE_SPLIT,
    SUITED_FOR,
    SUITED_PEOPLE,
    SUITED_PROMPTS,
    word_count,
)
from . import questions
from .blocks import Blocks


def formed(sentence: str, language: str) -> str | None:
    """The question "How are X formed?" when the sentence says how X forms."""
    found = FORMED_WHEN.fullmatch(sentence.strip())
    template = FORMED_PROMPTS.get(language)
    if found is None or template is None:
        return None
    term = found["term"].strip()
    words = term.split()
    if (word_count(term) > APPOSITION_TERM_MAX_WORDS + 1 or LIST_LEAD_PRONOUN.match(term)
            or (words[0].casefold() in DETERMINERS and len(words) == 1)):
        return None
    term = _lowered(term, language)
    verb = found["verb"].rstrip(",")
    if language == "en":
        aux, participle = verb.split()
        return template.format(are=aux, term=term, formed=participle)
    return template.format(are=verb, term=term)


def _lowered(term: str, language: str) -> str:
    if language == "de" or (len(term) > 1 and term[1].isupper()):
        return term  # "NMT", and nouns in German, keep their capital
    return term[:1].lower() + term[1:]


def suited(sentence: str, language: str) -> str | None:
    """The question "Who is X particularly effective for?" when the sentence says so of people."""
    found = SUITED_FOR.fullmatch(sentence.strip())
    template = SUITED_PROMPTS.get(language)
    if found is None or template is None or not SUITED_PEOPLE.search(found["who"]):
        return None
    term = found["term"].strip()
    if word_count(term) > APPOSITION_TERM_MAX_WORDS + 1 or LIST_LEAD_PRONOUN.match(term):
        return None
    return template.format(copula=found["copula"], term=_lowered(term, language), adv=found["adv"],
                           adj=found["adj"])


def extract(article: Article, blocks: Blocks) -> list[Item]:
    items: list[Item] = []
    # A question heading asks it already ("Wie entstehen Tropfsteine?" over "Tropfsteine entstehen, wenn …").
    headed = [item for item in questions.extract(article, blocks) if isinstance(item, Question)]
    asked = {normalise_key(item.question) for item in headed}
    answered = {item.span for item in headed}
    for block in article.blocks:
        if (block.kind is not BlockKind.PARAGRAPH or block.section not in (Section.INTRO, Section.BODY)
                or block.span in answered):
            continue
        sentences = SENTENCE_SPLIT.split(block.text)
        for index, sentence in enumerate(sentences):
            question = formed(sentence, article.language) or suited(sentence, article.language)
            if question is None or normalise_key(question) in asked:
                continue
            answer = sentence.strip()
            following = sentences[index + 1] if index + 1 < len(sentences) else ""
            if LIST_LEAD_PRONOUN.match(following) and word_count(f"{answer} {following}") <= QUESTION_ANSWER_MAX_WORDS:
                answer = f"{answer} {following}"
            asked.add(normalise_key(question))
            items.append(Question(chapter=block.chapter, span=block.span, question=question,
                                  answer=text_to_html(answer)))
    return items
