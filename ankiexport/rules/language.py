"""Which of the supported languages (en, de, fr, es) a text is in, by counting common words.

A dependency-free stop-word vote is enough for four well-separated languages and page-length text;
it answers "en" when nothing stands out. Only words that belong to one language's list vote: French
and Spanish share "la", "un", "que" and "de", German and Spanish share "es", English and German share
"in", and a shared word would tip a short French text towards Spanish.
"""

from __future__ import annotations

import re

SUPPORTED = ("en", "de", "fr", "es")

# Frequent function words of each language.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to is in that it for with as are this by be which or can you your "
                    "was were have has from not an".split()),
    "de": frozenset("der die und das ist nicht mit sich auf für den dem ein eine zu von wird im auch oder "
                    "wie bei werden sind es du dir deine einer eines kann zum zur vom am".split()),
    "fr": frozenset("le la les et des est une un du dans pour que qui sur pas au aux avec sont ce cette "
                    "il elle nous tu ou mais leur être de en se son".split()),
    "es": frozenset("el la los las y de es en un una que del por para con se al son como está este esta "
                    "su sus pero más también lo".split()),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Letters that only one of the languages uses; they decide a text too short for its words to ("Pflanzen
# wachsen schnell" holds no stop word but an umlaut-free German sentence stays undecided → default).
LETTERS: dict[str, str] = {"ä": "de", "ö": "de", "ü": "de", "ß": "de", "ñ": "es", "¿": "es", "¡": "es",
                           "ç": "fr", "œ": "fr", "è": "fr", "ê": "fr", "à": "fr", "â": "fr", "û": "fr"}

# Each word that is in exactly one list, with its language.
_VOTES: dict[str, str] = {
    word: lang
    for lang, words in STOPWORDS.items()
    for word in words
    if sum(word in other for other in STOPWORDS.values()) == 1
}


# The vote settles within a page's first words (the corpus pages, seeds and fixtures all agree with
# their whole text long before this): a page's vote then costs the same however long the page is.
LANGUAGE_SAMPLE_WORDS = 400


def detect_language(text: str, default: str = "en", *, sample_words: int = LANGUAGE_SAMPLE_WORDS) -> str:
    """The language of the text's first ``sample_words`` words; ``default`` when none votes."""
    sample = " ".join(text.split(None, sample_words)[:sample_words]).casefold()
    counts = dict.fromkeys(SUPPORTED, 0)
    for word in _WORD.findall(sample):
        lang = _VOTES.get(word)
        if lang:
            counts[lang] += 1
    for letter, lang in LETTERS.items():
        counts[lang] += sample.count(letter)
    best = max(SUPPORTED, key=lambda lang: counts[lang])
    return best if counts[best] > 0 else default
