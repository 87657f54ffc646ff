"""Which of the supported languages (en, de, fr, es) a text is in, by counting common words.

A dependency-free stop-word vote is enough for four well-separated languages and page-length text;
it answers "en" when nothing stands out. Only words that belong to one language's list vote: French
and Spanish share "la", "un", "que" and "de", German and Spanish share "es", English and German share
"in", and a shared word would tip a short French text towards Spanish.
"""

from __future__ import annotations

import re

SUPPORTED = ("en", "de", "fr", "es")
# What a text in another language is reported as: Italian was guessed as French ("la", "il", "che"
# vote), so the words of languages that are close to a supported one vote too, for "unknown".
UNKNOWN = "unknown"

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
# Frequent words of unsupported languages next to the supported ones; only the words in no supported
# list vote ("il" and "la" stay French and Spanish votes).
UNSUPPORTED_STOPWORDS: dict[str, frozenset[str]] = {
    "it": frozenset("è di che per dell nell gli sono della delle degli nel nella gli anche questo questa "
                    "essere molto perché più come alla dello".split()),
    "pt": frozenset("não uma são também mais pelo pela isso ele ela você muito então está dos nas nos "
                    "ou com para".split()),
    "nl": frozenset("het een van en niet zijn dat deze ook maar voor wordt worden bij naar ze wij".split()),
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


_OTHER_VOTES: frozenset[str] = frozenset(
    word for words in UNSUPPORTED_STOPWORDS.values() for word in words
    if not any(word in supported for supported in STOPWORDS.values()))


# The vote settles within a page's first words (the corpus pages, seeds and fixtures all agree with
# their whole text long before this): a page's vote then costs the same however long the page is.
LANGUAGE_SAMPLE_WORDS = 400


def detect_language(text: str, default: str = "en", *, sample_words: int = LANGUAGE_SAMPLE_WORDS) -> str:
    """The language of the text's first ``sample_words`` words; ``default`` when none votes, UNKNOWN
    when the words of an unsupported language outnumber those of the best supported one."""
    sample = " ".join(text.split(None, sample_words)[:sample_words]).casefold()
    counts = dict.fromkeys(SUPPORTED, 0)
    other = 0
    for word in _WORD.findall(sample):
        lang = _VOTES.get(word)
        if lang:
            counts[lang] += 1
        elif word in _OTHER_VOTES:
            other += 1
    if other > max(counts.values()):  # (before the letters: Italian writes "è" and "à" as French does)
        return UNKNOWN
    for letter, lang in LETTERS.items():
        counts[lang] += sample.count(letter)
    best = max(SUPPORTED, key=lambda lang: counts[lang])
    return best if counts[best] > 0 else default


# Every string ankiexport itself writes onto a card or into a tag, in each supported language; an
# unknown language gets the English ones.
LABELS: dict[str, dict[str, str]] = {
    "en": {"takeaways": "Key takeaways", "faq": "FAQ", "quiz": "Quiz", "takeaway": "Key takeaway",
           "from_article": "From the article", "no_answer": "The article gives no answer to this question.",
           "choose": "Choose {n} answers."},
    "de": {"takeaways": "Das Wichtigste", "faq": "Häufige Fragen", "quiz": "Quiz", "takeaway": "Merksatz",
           "from_article": "Aus dem Artikel", "no_answer": "Der Artikel beantwortet diese Frage nicht.",
           "choose": "Wähle {n} Antworten."},
    "fr": {"takeaways": "Points clés", "faq": "FAQ", "quiz": "Quiz", "takeaway": "Point clé",
           "from_article": "D'après l'article", "no_answer": "L'article ne répond pas à cette question.",
           "choose": "Choisis {n} réponses."},
    "es": {"takeaways": "Puntos clave", "faq": "Preguntas frecuentes", "quiz": "Cuestionario",
           "takeaway": "Punto clave", "from_article": "Según el artículo",
           "no_answer": "El artículo no responde a esta pregunta.", "choose": "Elige {n} respuestas."},
}


def label(language: str, name: str) -> str:
    """One of LABELS in the article's language (English for an unknown one)."""
    return LABELS.get(language, LABELS["en"])[name]
