"""Which of the supported languages (en, de, fr, es) a text is in, by counting common words.

A dependency-free stop-word vote is enough for four well-separated languages and page-length text;
it answers "en" when nothing stands out.
"""

from __future__ import annotations

import re

SUPPORTED = ("en", "de", "fr", "es")

# Frequent function words that are rare in the other three languages.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to is in that it for with as are this by be which or can".split()),
    "de": frozenset("der die und das ist nicht mit sich auf für den dem ein eine zu von wird im".split()),
    "fr": frozenset("le la les et des est une un du dans pour que qui sur pas au avec sont ce".split()),
    "es": frozenset("el la los las y de es en un una que del por para con se al son como".split()),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str, default: str = "en") -> str:
    counts = dict.fromkeys(SUPPORTED, 0)
    for word in _WORD.findall(text.casefold()):
        for lang, words in STOPWORDS.items():
            if word in words:
                counts[lang] += 1
    best = max(SUPPORTED, key=lambda lang: counts[lang])
    return best if counts[best] > 0 else default
