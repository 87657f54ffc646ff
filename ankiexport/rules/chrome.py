"""Page chrome and section markers of StudySmarter/Vaia text dumps, as named pattern tables.

Everything the text reader drops or treats as a marker lives here, one entry per page shape, each with
a comment naming where it comes from and an ``example`` line it matches (a test checks every example
against its pattern). Nothing here may mention an article's subject: these are the site's furniture,
not content. Lines are matched whole, after stripping surrounding white space and a bullet glyph.

Page shapes named in the comments:
- *2024 layout*: the seed's shape. Title, lead paragraph, sign-up box, AI-assistant box, author and
  fact-check lines, reading time, "Save" toolbar, contents, the chapter-jump marker, indented body.
- *carousel*: older pages show a flashcard carousel under the lead: each card front is followed by
  "Show Answer" and surrounded by a constant run of tag bullets ("+ Add tag", "Immunology", …).
- *Vaia layout*: "Create learning materials about X with our free learning app!" box, title printed
  twice on one line ("Binary Tree Binary Tree").
- *old app-store header*: rating, downloads and store regions above the text, sign-up text glued to
  the first word of the article ("…anmeldenStell Dir vor…").
- *old English layout*: English article with the German sign-up lines of the app advert.
- *no-title*: the page starts at the chapter-jump marker.

Phrases marked "assumed" never occur in the stored corpus (``../shared/corpus/excerpts``): they are the
site's wording for that language as far as we know it, and are kept so that such pages degrade
gracefully rather than leak chrome into notes. Mixed-language chrome (English AI-assistant lines on a
French page) is normal, so every table applies to every page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .heuristics import unbulleted


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    example: str = ""  # a line this pattern matches ("X" stands for an article's title)

    def match(self, line: str) -> re.Match[str] | None:
        return self.regex.fullmatch(line)


def _p(name: str, regex: str, example: str = "") -> Pattern:
    return Pattern(name, re.compile(regex, re.IGNORECASE), example)


# Apostrophes come straight or curly ("Los geht’s", "l'explication").
_APOS = "['’]"

# The chapter-jump marker that opens the body. A page whose first content comes after it has no title
# line (the *no-title* shape): its first heading names the article.
CHAPTER_JUMP: tuple[Pattern, ...] = (
    _p("en-jump-to-chapter", r"Jump to a key chapter", "Jump to a key chapter"),  # 2024 layout
    _p("de-jump-to-chapter", r"Springe zu einem wichtigen Kapitel", "Springe zu einem wichtigen Kapitel"),
    _p("fr-jump-to-chapter", r"Sauter à un chapitre clé", "Sauter à un chapitre clé"),  # also no-title
    # assumed: the Spanish wording of the marker (the corpus's Spanish page has a contents line only).
    _p("es-jump-to-chapter", r"Saltar a un capítulo clave", "Saltar a un capítulo clave"),
)

# Lines dropped wherever they stand. Keyed by language for readability only.
CHROME: dict[str, tuple[Pattern, ...]] = {
    "en": (
        # 2024 layout: the sign-up box under the lead paragraph and at the foot.
        _p("get-started", r"Get started", "Get started"),
        _p("millions-of-flashcards", r"Millions of flashcards designed to help you ace your studies",
           "Millions of flashcards designed to help you ace your studies"),
        _p("sign-up", r"Sign[ -]up (for free|with Email|with Google|with Apple)\.?", "Sign up for free"),
        # Vaia layout: the two sign-up buttons on one line.
        _p("get-started-sign-up", r"Get started\s+Sign up for free", "Get started Sign up for free"),
        _p("review-flashcards", r"Review generated flashcards", "Review generated flashcards"),
        # 2024 layout: the AI-assistant quota notice and the AI-assistant box (also on French pages).
        _p("ai-limit", r"You have reached the daily AI limit", "You have reached the daily AI limit"),
        _p("start-learning", r"Start learning or create your own AI flashcards",
           "Start learning or create your own AI flashcards"),
        _p("need-help", r"Need help\?", "Need help?"),
        _p("meet-ai-assistant", r"Meet our AI Assistant", "Meet our AI Assistant"),
        _p("need-help-with", r"Need help with", "Need help with"),
        _p("ask-ai-assistant", r"Ask our AI Assistant", "Ask our AI Assistant"),
        _p("upload-box", r"Upload (Icon|Dots|Documents)|FC Phone Screen", "Upload Icon"),
        _p("create-flashcards-automatically", r"Create flashcards automatically from your own documents\.?",
           "Create flashcards automatically from your own documents."),
        # Author and fact-check metadata (printed under the title and again at the foot).
        _p("editorial-team", r"(Checked by )?StudySmarter Editorial Team", "Checked by StudySmarter Editorial Team"),
        _p("team-teachers", r"Team .{1,80} Teachers", "Team X Teachers"),
        _p("reading-time", r"\d+ minutes? reading time", "9 minutes reading time"),
        # Article toolbar and contents.
        _p("save-article", r"(Save (Article|Explanation)\s*)+", "Save Article Save Article"),
        _p("contents", r"Contents|Table of contents", "Table of contents"),
        # The multiple-choice carousel's navigation and its card counter.
        _p("carousel-next", r"Next|Previous", "Next"),
        _p("lone-number", r"\d{1,3}", "1"),
        # carousel: the button under each card front (the front itself becomes a quiz item).
        _p("show-answer", r"Show Answer", "Show Answer"),
        # Vaia layout: the "learning materials" box.
        _p("create-learning-materials", r"Create learning materials about .{1,100} with our free learning app!?",
           "Create learning materials about X with our free learning app!"),
        _p("vaia-box-bullet", r"Instan[dt] access to millions of learning materials|"
                              r"Flashcards, notes, mock-exams and more|Everything you need to ace your exams",
           "Flashcards, notes, mock-exams and more"),
        _p("create-account", r"Create a free account", "Create a free account"),
        _p("convert-documents", r"Convert documents into flashcards for free with AI!?",
           "Convert documents into flashcards for free with AI!"),
        # old English layout: the app mock-up and its caption.
        _p("mockup", r"Mockup Schule|Illustration", "Mockup Schule"),
        _p("explore-app", r"Explore our app and discover over [\d,.]+ million learning materials for free\.?",
           "Explore our app and discover over 50 million learning materials for free."),
        # Foot of the page: app advert.
        _p("discover-app", r"Discover learning materials with the free StudySmarter app",
           "Discover learning materials with the free StudySmarter app"),
        _p("learn-more", r"Learn more", "Learn more"),
        _p("study-anywhere", r"Study anywhere\. Anytime\.\s*Across all devices\.",
           "Study anywhere. Anytime. Across all devices."),
        _p("highlight-notes", r"Sign up to highlight and take notes\. It’s 100% free\.",
           "Sign up to highlight and take notes. It’s 100% free."),
        _p("join-students", r"Join over [\d,.]+ million students in learning with our StudySmarter App",
           "Join over 22 million students in learning with our StudySmarter App"),
        _p("first-learning-app", r"The first learning app that truly has everything you need to ace your "
                                 r"exams in one place",
           "The first learning app that truly has everything you need to ace your exams in one place"),
        _p("app-feature", r"Flashcards & Quizzes|AI Study Assistant|Study Planner|Mock-Exams|"
                          r"Smart Note-Taking", "Smart Note-Taking"),
        # assumed: Premium adverts (not in the stored heads; the site's wording for its paid plan).
        _p("premium-advert", r"(Go|Get|Try|Upgrade to) (StudySmarter |Vaia )?Premium( for free)?!?",
           "Get StudySmarter Premium"),
        # 2024 layout (German pages too): a stray A/B-test label above the lead paragraph.
        _p("mobile-features-ab", r"Mobile Features AB", "Mobile Features AB"),
        # Brainscape: the self-rating prompt under each card.
        _p("brainscape-rating-prompt", r"How well did you know this\?", "How well did you know this?"),
    ),
    "de": (
        # 2024 layout: the sign-up box.
        _p("de-get-started", rf"Los geht{_APOS}s", "Los geht’s"),
        _p("de-millions-of-flashcards", r"Lerne mit Millionen geteilten Karteikarten",
           "Lerne mit Millionen geteilten Karteikarten"),
        _p("de-sign-up", r"Leg kostenfrei los|Jetzt kostenlos (anmelden|registrieren)", "Leg kostenfrei los"),
        # 2024 layout: the AI-assistant box and quota notice (the notice ends in emoji).
        _p("de-need-help", r"Brauchst du Hilfe\?", "Brauchst du Hilfe?"),
        _p("de-meet-ai-assistant", r"Lerne unseren AI-Assistenten kennen!?", "Lerne unseren AI-Assistenten kennen!"),
        _p("de-create-flashcards-automatically", r"Erstelle automatisch Karteikarten aus deinen Dokumenten\.?",
           "Erstelle automatisch Karteikarten aus deinen Dokumenten."),
        _p("de-upload", r"Dokument hochladen", "Dokument hochladen"),
        _p("de-need-help-with", r"Brauchst du Hilfe mit", "Brauchst du Hilfe mit"),
        _p("de-ask-ai-assistant", r"Frage unseren AI-Assistenten", "Frage unseren AI-Assistenten"),
        _p("de-ai-limit", r"Du hast dein AI Limit auf der Website erreicht\W*",
           "Du hast dein AI Limit auf der Website erreicht"),
        _p("de-unlimited-flashcards", r"Erstelle unlimitiert Karteikarten auf StudySmarter\W*",
           "Erstelle unlimitiert Karteikarten auf StudySmarter"),
        # assumed: Premium adverts in German.
        _p("de-premium-advert", r"(Hol dir|Teste|Jetzt) (StudySmarter )?Premium( kostenlos| holen)?!?",
           "Hol dir StudySmarter Premium"),
        # Author and fact-check metadata.
        _p("de-editorial-team", r"(Geprüft vom )?StudySmarter Redaktionsteam",
           "Geprüft vom StudySmarter Redaktionsteam"),
        _p("de-team-teachers", r"Team .{1,80} Lehrer", "Team X Lehrer"),
        _p("de-reading-time", r"\d+ Minuten? Lesezeit", "13 Minuten Lesezeit"),
        # Article toolbar and contents.
        _p("de-save", r"(Erklärung speichern\s*)+", "Erklärung speichern Erklärung speichern"),
        _p("de-contents", r"Inhaltsverzeichnis|Inhaltsangabe", "Inhaltsverzeichnis"),
        # carousel on German pages.
        _p("de-show-answer", r"Antwort zeigen", "Antwort zeigen"),
        # old app-store header and old English layout: the German advert lines.
        _p("de-discover-materials", r"Entdecke über [\d,.]+ Millionen kostenlose Materialien in unserer App",
           "Entdecke über 200 Millionen kostenlose Materialien in unserer App"),
        _p("de-learn-with-friends", r"Lerne mit deinen Freunden und bleibe auf dem richtigen Kurs mit deinen "
                                    r"persönlichen Lernstatistiken",
           "Lerne mit deinen Freunden und bleibe auf dem richtigen Kurs mit deinen persönlichen Lernstatistiken"),
        _p("de-no-procrastination", r"Nie wieder prokr?astinieren mit unseren Lernerinnerungen\.?",
           "Nie wieder prokastinieren mit unseren Lernerinnerungen."),
    ),
    "fr": (
        # 2024 layout: the sign-up box.
        _p("fr-get-started", rf"C{_APOS}est parti", "C'est parti"),
        _p("fr-millions-of-flashcards", r"Des millions de fiches spécialement conçues pour étudier facilement",
           "Des millions de fiches spécialement conçues pour étudier facilement"),
        _p("fr-sign-up", r"Inscris-toi gratuitement", "Inscris-toi gratuitement"),
        # 2024 layout: the AI quota notice.
        _p("fr-ai-limit", rf"Tu as atteint la limite quotidienne de l{_APOS}IA",
           "Tu as atteint la limite quotidienne de l'IA"),
        _p("fr-start-learning", rf"Commence à apprendre ou crée tes propres flashcards d{_APOS}IA",
           "Commence à apprendre ou crée tes propres flashcards d'IA"),
        # Author and fact-check metadata.
        _p("fr-editorial-team", rf"(Vérifié par l{_APOS}équipe éditoriale|Équipe éditoriale) StudySmarter",
           "Vérifié par l'équipe éditoriale StudySmarter"),
        _p("fr-team-teachers", r"Équipe enseignants .{1,80}", "Équipe enseignants X"),
        _p("fr-reading-time", r"Temps de lecture\s*:\s*\d+ minutes?", "Temps de lecture: 18 minutes"),
        # Article toolbar and contents.
        _p("fr-save", rf"(Sauvegarder l{_APOS}explication\s*)+", "Sauvegarder l'explication Sauvegarder l'explication"),
        _p("fr-contents", r"Tables? des matières", "Tables des matières"),
        # assumed: Premium adverts in French.
        _p("fr-premium-advert", r"(Passe à|Essaie|Obtiens) (StudySmarter )?Premium( gratuitement)?!?",
           "Passe à StudySmarter Premium"),
        # assumed: the carousel button on French pages.
        _p("fr-show-answer", r"Afficher la réponse|Voir la réponse", "Afficher la réponse"),
    ),
    "es": (
        # Vaia layout (Spanish): the sign-up buttons on one line (sic "Pruéablo") and alone.
        _p("es-try-it-sign-up", r"Pru[ée]a?b[la]o tú mismo\s+Regístrate gratis", "Pruéablo tú mismo Regístrate gratis"),
        _p("es-sign-up", r"Regístrate gratis", "Regístrate gratis"),
        _p("es-create-learning-materials", r"Crea materiales de aprendizaje sobre .{1,100} con nuestra app "
                                           r"gratuita de aprendizaje!?",
           "Crea materiales de aprendizaje sobre X con nuestra app gratuita de aprendizaje!"),
        _p("es-vaia-box-bullet", r"Acceso instantáneo a millones de materiales de aprendizaje|"
                                 r"Tarjetas de estudio, notas, exámenes de simulacro y más|"
                                 r"Todo lo que necesitas para sobresalir en tus exámenes",
           "Tarjetas de estudio, notas, exámenes de simulacro y más"),
        _p("es-millions-of-flashcards", r"Millones de tarjetas didácticas para ayudarte a sobresalir en tus "
                                        r"estudios\.?",
           "Millones de tarjetas didácticas para ayudarte a sobresalir en tus estudios."),
        _p("es-convert-documents", r"Convierte documentos en tarjetas de estudio gratis con IA\.?",
           "Convierte documentos en tarjetas de estudio gratis con IA."),
        _p("es-contents", r"Índice de temas", "Índice de temas"),
        # assumed: the 2024-layout metadata lines in Spanish.
        _p("es-editorial-team", r"(Revisado por el )?Equipo editorial de StudySmarter",
           "Equipo editorial de StudySmarter"),
        _p("es-reading-time", r"\d+ minutos de lectura", "12 minutos de lectura"),
        _p("es-save", r"(Guardar explicación\s*)+", "Guardar explicación"),
        # assumed: Premium adverts in Spanish.
        _p("es-premium-advert", r"(Hazte|Prueba|Consigue) (StudySmarter )?Premium( gratis)?!?",
           "Hazte StudySmarter Premium"),
        # assumed: the carousel button on Spanish pages.
        _p("es-show-answer", r"Mostrar respuesta|Ver respuesta", "Mostrar respuesta"),
    ),
    # Stray table-cell separators of the old English layout ("|" on a line of its own).
    "any": (
        _p("lone-symbol", r"[|•·*#>_=~-]+", "|"),
    ),
}

# old app-store header: lines above the article's first line only ("Europe" further down may be a
# heading).
HEADER_CHROME: tuple[Pattern, ...] = (
    _p("de-app-store-title", r"StudySmarter - Die all-in-one Lernapp\.?", "StudySmarter - Die all-in-one Lernapp."),
    _p("app-store-rating", r"\d[.,]\d\s*•\s*\+?[\d.,]+k? Ratings", "4.8 • +11k Ratings"),
    _p("de-app-store-downloads", r"Mehr als [\d,.]+ Millionen Downloads", "Mehr als 5 Millionen Downloads"),
    _p("app-store-regions", r"Free|Americas|Europe|Asia|Oceania|Africa", "Americas"),
)

# Other study sites' page furniture, dropped inside their flashcard layouts only ("Progress" or
# "Read" elsewhere may be a heading): Brainscape's self-rating strip, Cram's toolbar.
OTHER_SITES: tuple[Pattern, ...] = (
    _p("brainscape-rating", r"How well did you know this\?|Not at all|Perfectly", "How well did you know this?"),
    _p("cram-toolbar", r"Shuffle|Alphabetize|Front First|Both Sides|Read|Toggle (On|Off)|Reading\.\.\.|"
                       r"Card Range To Study|through|image|Play button|Progress|Front|Back|\d+/\d+|Click to flip",
       "Click to flip"),
    _p("cram-keys", r"Use (LEFT and RIGHT|UP and DOWN) arrow keys to .{1,60}|H to show hint;?|"
                    r"A reads text to speech;?", "H to show hint;"),
    _p("cram-count", r"\d+ Cards in this Set", "15 Cards in this Set"),
)

# Any line holding an emoji is chrome: the AI notices end in them ("…erreicht 😱"), article text
# in a dump never does.
EMOJI = re.compile("[\u2600-\u27bf\U0001f000-\U0001faff]")

# carousel: "+ Add tag" opens a run of tag bullets that is the same on every page ("Immunology",
# "Cell Biology", a cut-off "Mo…"): the reader drops it together with the bullets that follow it.
CAROUSEL_TAG_RUN: tuple[Pattern, ...] = (
    _p("carousel-add-tag", r"\+ Add tag", "+ Add tag"),
)
CAROUSEL_TAGS: tuple[Pattern, ...] = (
    _p("carousel-tag", r"Immunology|Cell Biology|Mo\w{0,2}|Immu\w{0,7}", "Cell Biology"),
)
# carousel: the button under each card front; the text just above it is a card front.
SHOW_ANSWER = ("show-answer", "de-show-answer", "fr-show-answer", "es-show-answer")

# old app-store header: sign-up text glued to the first word of the article ("…anmeldenStell Dir
# vor…"). The prefix is removed and the rest of the line kept.
GLUED_PREFIXES: tuple[Pattern, ...] = (
    _p("de-glued-sign-up", r"Jetzt kostenlos anmelden(?=\S)", "Jetzt kostenlos anmeldenX"),
    _p("en-glued-sign-up", r"Sign up for free(?=[A-Z])", "Sign up for freeX"),
)


# Brainscape titles end in the site's word for a deck ("Basic Anatomy Flashcards").
SITE_TITLE_SUFFIX = re.compile(r"\s+Flashcards$", re.IGNORECASE)
# Path segments of a page address that never name the article (Brainscape's ".../packs/22357849").
URL_NON_TITLES = frozenset({"packs", "flashcards", "explanations", "doc", "resumes", "resumenes"})


def strip_site_suffix(title: str) -> str:
    stripped = SITE_TITLE_SUFFIX.sub("", title)
    return stripped or title


def title_echo_test(title: str) -> Callable[[str], bool]:
    """Whether a line (or the line without its bullet glyph) only repeats the title: the Vaia layout prints
    it twice on one line, the old English layout repeats it under the app mock-up, and the AI-assistant
    box asks "Need help with / X?". The test is set up once for all the lines of its article."""
    t = re.escape(title.strip())
    if not t:
        return lambda line: False
    echo = re.compile(rf"{t}(?:\s+{t}|\s*\?)?", re.IGNORECASE)
    return lambda line: any(echo.fullmatch(text) for text in (line, unbulleted(line)))


# "Team <X> Teachers" (and its translations) at the foot names the subject ("Team Biology Teachers");
# the one near the top repeats the article topic instead, so the reader takes the last one that is not
# the title.
TEAM_LINES: tuple[Pattern, ...] = (
    _p("en-team", r"Team (?P<subject>.{1,80}) Teachers", "Team Biology Teachers"),
    _p("de-team", r"Team (?P<subject>.{1,80}) Lehrer", "Team Biologie Lehrer"),
    _p("fr-team", r"Équipe enseignants (?P<subject>.{1,80})", "Équipe enseignants Biologie"),
    # assumed: the Spanish wording.
    _p("es-team", r"Equipo de profesores de (?P<subject>.{1,80})", "Equipo de profesores de Biología"),
)

# The footer starts here; everything after it (company blurb, app advert) is chrome.
FOOTER_START: tuple[Pattern, ...] = (
    _p("about-site", r"About (StudySmarter|Vaia)", "About StudySmarter"),  # 2024 layout
    # assumed: the footer heading on German, French and Spanish pages.
    _p("de-about-site", r"Über (StudySmarter|Vaia)", "Über StudySmarter"),
    _p("fr-about-site", r"À propos de (StudySmarter|Vaia)", "À propos de StudySmarter"),
    _p("es-about-site", r"(Acerca de|Sobre) (StudySmarter|Vaia)", "Sobre StudySmarter"),
)

# Section markers: a line that opens a special part of the page.
TAKEAWAYS_MARKERS: tuple[Pattern, ...] = (
    # 2024 layout: "<topic> - Key takeaways" (the seed); assumed: the German, French and Spanish headings of
    # the same box. One entry, as every line is tried against it and it reads each to its end.
    _p("key-takeaways", r"(?P<topic>.+?)\s+[-–]\s+(Key takeaways|Das Wichtigste|Points clés|Points à retenir|"
                        r"Puntos clave|Conclusiones clave)", "X - Key takeaways"),
)
FAQ_MARKERS: tuple[Pattern, ...] = (
    # 2024 layout: "Frequently Asked Questions about <topic>" (the seed).
    _p("en-faq", r"Frequently Asked Questions about (?P<topic>.+)", "Frequently Asked Questions about X"),
    # assumed: the German, French and Spanish headings.
    _p("de-faq", r"Häufig gestellte Fragen zu(m Thema)? (?P<topic>.+)", "Häufig gestellte Fragen zum Thema X"),
    _p("fr-faq", r"Questions fréquemment posées (sur|à propos de) (?P<topic>.+)",
       "Questions fréquemment posées sur X"),
    _p("es-faq", r"Preguntas frecuentes sobre (?P<topic>.+)", "Preguntas frecuentes sobre X"),
)
QUIZ_MARKERS: tuple[Pattern, ...] = (
    # 2024 layout: the multiple-choice carousel after the FAQ (the seed).
    _p("en-quiz", r"Test your knowledge with multiple choice flashcards",
       "Test your knowledge with multiple choice flashcards"),
    # assumed: the German, French and Spanish headings.
    _p("de-quiz", r"Teste dein Wissen mit Multiple[- ]Choice[- ]Karteikarten",
       "Teste dein Wissen mit Multiple-Choice-Karteikarten"),
    _p("fr-quiz", r"Teste tes connaissances avec des (flashcards|fiches) à choix multiples?",
       "Teste tes connaissances avec des flashcards à choix multiples"),
    _p("es-quiz", r"Pon a prueba tus conocimientos con tarjetas (didácticas )?de opción múltiple",
       "Pon a prueba tus conocimientos con tarjetas de opción múltiple"),
)


# --- matching a line against a table -----------------------------------------------------------------


def first_match(patterns: tuple[Pattern, ...], line: str) -> re.Match[str] | None:
    """The match of the first pattern of the table that fullmatches ``line``."""
    for pattern in patterns:
        found = pattern.regex.fullmatch(line)
        if found:
            return found
    return None


def first_pattern(patterns: tuple[Pattern, ...], line: str) -> Pattern | None:
    """The first pattern of the table that fullmatches ``line``."""
    return next((pattern for pattern in patterns if pattern.regex.fullmatch(line)), None)


# A group's name, taken out of a pattern joined into an alternation (one regex may not name two groups
# alike, and the tables reuse "topic" and "subject").
_GROUP_NAME = re.compile(r"\(\?P<\w+>")


def _alternation(patterns: tuple[Pattern, ...]) -> re.Pattern[str]:
    """One regex that fullmatches what any of the patterns does (each made by :func:`_p`)."""
    return re.compile("|".join(f"(?:{_GROUP_NAME.sub('(?:', p.regex.pattern)})" for p in patterns), re.IGNORECASE)


# Every table a line is dropped for wherever it stands, in the order they are tried.
_CHROME_PATTERNS: tuple[Pattern, ...] = tuple(
    p for table in (*CHROME.values(), CHAPTER_JUMP, CAROUSEL_TAG_RUN) for p in table)
# Every line is asked about: one regex tells most of them apart from all the patterns at once.
_ANY_CHROME = _alternation(_CHROME_PATTERNS)


# Chrome lines are asked about by several passes, and are the same on every page.
@lru_cache(maxsize=4096)
def matching_pattern(line: str) -> Pattern | None:
    """The chrome pattern a line matches, as it stands or without its bullet glyph."""
    for text in (line, unbulleted(line)):
        if _ANY_CHROME.fullmatch(text):
            return first_pattern(_CHROME_PATTERNS, text)
    return None


# Every table an article's lines are looked up in (the other sites' furniture and the carousel's tags
# only matter inside their own layouts).
ARTICLE_TABLES: tuple[tuple[Pattern, ...], ...] = (
    *CHROME.values(), CHAPTER_JUMP, CAROUSEL_TAG_RUN, HEADER_CHROME, TEAM_LINES, FOOTER_START,
    TAKEAWAYS_MARKERS, FAQ_MARKERS, QUIZ_MARKERS)
_ANY_ARTICLE_PATTERN = _alternation(tuple(p for table in ARTICLE_TABLES for p in table))


def is_plain(line: str) -> bool:
    """Whether no pattern of ARTICLE_TABLES fullmatches the line, as it stands or without its bullet glyph:
    true of most body text, which a reader then need not look up in each table in turn."""
    bare = unbulleted(line)
    return not _ANY_ARTICLE_PATTERN.fullmatch(line) and (bare == line or not _ANY_ARTICLE_PATTERN.fullmatch(bare))


def has_emoji(line: str) -> bool:
    return EMOJI.search(line) is not None


def is_chrome(line: str) -> bool:
    """Whether a line is the site's chrome. An article's own chrome, its title echoes, is
    :func:`title_echo_test`'s."""
    return matching_pattern(line) is not None or has_emoji(line)


def is_show_answer(line: str) -> bool:
    pattern = matching_pattern(line)
    return pattern is not None and pattern.name in SHOW_ANSWER


def strip_glued(line: str) -> str:
    """Remove sign-up text glued to the start of an article line (old app-store header)."""
    for pattern in GLUED_PREFIXES:
        found = pattern.regex.match(line)
        if found:
            return line[found.end():]
    return line


def all_patterns() -> list[Pattern]:
    """Every chrome pattern (for tests that assert nothing of the kind reaches a note)."""
    tables = (*CHROME.values(), CHAPTER_JUMP, CAROUSEL_TAG_RUN, CAROUSEL_TAGS, HEADER_CHROME, OTHER_SITES)
    return [p for table in tables for p in table]

