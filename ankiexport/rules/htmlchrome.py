"""Page chrome of saved HTML pages, and the headings that open special sections, as named tables.

The HTML reader keeps the page's main content only. What it drops is listed here, each entry with the
page shape that motivated it; nothing here may mention an article's subject.
"""

from __future__ import annotations

import re

from . import chrome

# Elements that are never article content, wherever they stand.
DROPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "link", "meta",  # code and head furniture
    "nav", "aside", "footer",  # site navigation, sidebars, page footers (HTML5 landmarks)
    "form", "button", "input", "select", "textarea", "label", "fieldset",  # search boxes, sign-up forms
    "iframe", "object", "embed", "frame", "frameset", "canvas", "audio", "video", "source", "track",
    "map", "area", "dialog",
    "svg",  # icons (share buttons, logos); an article's diagrams come as <img>
})

# ARIA landmarks of the same furniture (old pages put role="navigation" on a <div>).
DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog",
                           "alertdialog", "menu", "menubar"})

# Words in an element's class or id that mark chrome. Matched against whole words of the class/id split
# on "-", "_" and spaces, so "share-buttons" and "cookie_notice" match but "shared-memory" does not.
CHROME_CLASS_WORDS = frozenset({
    "cookie", "cookies", "consent", "gdpr",  # cookie banners ("cookie-notice", "gdpr-consent")
    "share", "sharing", "social", "sharedaddy", "addtoany",  # share widgets (WordPress Jetpack/AddToAny)
    "newsletter", "subscribe", "subscription", "signup",  # sign-up boxes
    "sidebar", "widget", "widgets",  # blog sidebars (Blogger, WordPress)
    "breadcrumb", "breadcrumbs",
    "nav", "navbar", "navigation", "menu", "toc",  # menus ("navigation_bar") and tables of contents
    "comment", "comments", "respond",  # comment threads (WordPress "#respond")
    "related", "recommended", "promo", "advert", "advertisement", "ads", "ad", "sponsored",
    "popup", "modal", "banner", "skip", "skiplink",
    "headerlink",  # Sphinx's "¶" permalink after every heading
    "editsection",  # Wikipedia's "[edit]" links ("mw-editsection")
    "noprint",  # Wikipedia's screen-only furniture
    "hidden", "sr", "visually", "screen", "offscreen",  # screen-reader-only text ("sr-only", "visually-hidden")
    "footer",  # a footer drawn as <div id="footer"> (salon.com's copyright lines)
    "bio", "byline", "author", "authors",  # author boxes ("c-author-article__bio", "extended-byline")
    "credit", "photocredit",  # picture credits ("(Credit: AP/…)")
    "copyright", "rating", "ratings", "stars",  # copyright lines, star ratings
    "teaser", "teasers", "readmore", "podcast",  # teaser boxes ("teaser-list", "read-more")
    "ambox", "metadata",  # Wikipedia's maintenance boxes ("This section needs expansion")
    "navbox", "jump",  # Wikipedia's navigation boxes and "Jump to navigation" links
    "linenos", "lineno",  # the line-number column beside highlighted code (Pygments)
    "prev", "pager", "pagination",  # links to the previous and next article (landwirt.com's id="prev")
})
_CLASS_SPLIT = re.compile(r"[\s_\-]+")

# A chrome-classed element holding headings and more than this share of the content's text is a
# wrapper that happens to carry such a class (a <div class="content has-sidebar"> around the whole
# article), not chrome: it is kept. A cookie notice on an otherwise empty page is still chrome.
CHROME_MAX_TEXT_SHARE = 0.5

# Headings that open the page's FAQ, key-takeaways and quiz sections, in the four supported languages,
# plus the text-dump markers ("Frequently Asked Questions about <topic>").
FAQ_HEADINGS = re.compile(
    r"(frequently asked questions|faqs?|common questions|häufig gestellte fragen|häufige fragen|"
    r"questions fréquentes|foire aux questions|questions fréquemment posées|preguntas frecuentes)"
    r"\b.*",
    re.IGNORECASE,
)
TAKEAWAYS_HEADINGS = re.compile(r"(.+?\s+[-–]\s+)?(key takeaways|das wichtigste|zusammenfassung|"
                                r"l'essentiel|à retenir|puntos clave|conclusiones clave)\b.*", re.IGNORECASE)
QUIZ_HEADINGS = re.compile(r"(test your knowledge|quiz|teste dein wissen|testez vos connaissances|"
                           r"pon a prueba tus conocimientos)\b.*", re.IGNORECASE)


# Headings that open a block of teasers or links to other pages: the heading and what follows it, up
# to the next heading of the same or a higher level, are dropped. Matched whole, case-insensitive.
TEASER_HEADINGS: tuple[chrome.Pattern, ...] = (
    chrome.Pattern("de-further-links", re.compile(r"weiterführende links|weitere links|links", re.I),
                   "Weiterführende Links"),
    chrome.Pattern("de-read-on", re.compile(r"zum weiterlesen|weiterlesen|lesen sie auch|auch interessant|"
                                            r"schon gelesen\??|das könnte sie (auch )?interessieren", re.I),
                   "Zum Weiterlesen"),
    chrome.Pattern("de-more-on", re.compile(r"mehr (zum thema|zu \S.{0,40})|weitere \S+tipps|"
                                            r"aktuelle berichte aus dieser kategorie", re.I), "Mehr zum Thema"),
    chrome.Pattern("en-most-read", re.compile(r"most (read|popular|viewed)\b.{0,40}|related (articles|posts|stories)|"
                                              r"read (more|next)|you (may|might) also like.{0,20}|"
                                              r"further reading|more from .{1,40}", re.I), "Most Read Stories"),
    chrome.Pattern("fr-read", re.compile(r"lire (aussi|également|la suite)?|à lire aussi|sur le même sujet", re.I),
                   "Lire aussi"),
    chrome.Pattern("es-read", re.compile(r"lee también|leer más|te puede interesar|más noticias", re.I),
                   "Lee también"),
    chrome.Pattern("explore-further", re.compile(r"explore further|see also|siehe auch|voir aussi|véase también",
                                                 re.I), "Explore further"),
    chrome.Pattern("podcast", re.compile(r"podcasts?(\s*:.{0,40})?", re.I), "Podcast : la mer en questions"),
    chrome.Pattern("comments", re.compile(r"(\d+ |keine )?(kommentare?|comments?|commentaires?|comentarios?)"
                                          r"( geschlossen| closed)?", re.I), "Keine Kommentare"),
)

# Paragraphs and list items that are chrome wherever they stand: ratings, copyright lines, maintenance
# notices, picture credits. Matched against the start of the block's text.
CHROME_LINES: tuple[chrome.Pattern, ...] = (
    chrome.Pattern("rating", re.compile(r"(bewertung|rating|rated|note|valoración)\s*:?\s*\d+([.,]\d+)?\s*"
                                        r"(von|of|out of|sur|de)\s*\d+\b.*", re.I),
                   "Bewertung: 1,00 von 5 Sterne"),
    chrome.Pattern("average-rating", re.compile(r"(durchschnittliche bewertung|average rating|note moyenne|"
                                                r"valoración media)\b.{0,120}", re.I | re.S),
                   "Durchschnittliche Bewertung: (2 Bewertungen)"),
    # A name after the label, not a definition of the word ("Autor: Die Person, die …" stays).
    chrome.Pattern("byline", re.compile(r"(?i:autor(in)?|author|auteur|autora?)\s*:\s*(?!(?i:der|die|das|the|le|la|"
                                        r"les|el|los|las|un|une|ein|eine|a|an)\b)[A-ZÄÖÜÉ][\w.'-]+"
                                        r"(\s+[A-ZÄÖÜÉ][\w.'-]+){1,3}(,.{0,100})?"),
                   "Autor: Steffen Pache, Landesanstalt für Landwirtschaft"),
    # "Copyright" with its sign or year: a paragraph about copyright law stays.
    chrome.Pattern("copyright", re.compile(r"(.{0,60}:\s*)?(copyright\s*(©|\(c\)|\d{4})|©|\(c\)\s*\d{4}).{0,300}|"
                                           r".{0,200}\b(all rights reserved|alle rechte vorbehalten|tous droits "
                                           r"réservés|todos los derechos reservados)\b.{0,200}", re.I | re.S),
                   "Copyright © 2015 The Associated Press. All rights reserved."),
    chrome.Pattern("maintenance", re.compile(r"this (article|section) (needs|requires|has multiple issues|"
                                             r"does not cite|relies)\b.*|"
                                             r"dieser (artikel|abschnitt) (ist|bedarf|besteht)\b.*(überarbeitung|"
                                             r"ausbau|belege|lückenhaft).*", re.I | re.S),
                   "This section needs expansion. You can help by adding to it."),
    chrome.Pattern("captioned-credit", re.compile(r".{0,200}\((foto|photo|bild|image|credit)\s*:[^)]*\)\s*",
                                                  re.I | re.S),
                   "VW-Chef: Die Stimmung ist aktuell nicht gut. (Foto: Volkswagen)"),
    # (A citation with its authors or retrieval: "Citation: a reference to a source" is a definition.)
    chrome.Pattern("reference-box", re.compile(r"(more information|journal information|provided by|explore further|"
                                               r"beitragsbild|titelbild|bildquelle|featured image)\s*:.*|"
                                               r"citation\s*:.*\b(et al\.|retrieved|abgerufen|consulté|doi\b).*",
                                               re.I | re.S),
                   "Journal information: Proceedings of the National Academy of Sciences"),
    chrome.Pattern("see-also-inline", re.compile(r"(también|lee también|lire aussi|siehe auch|see also|"
                                                 r"read more|mehr dazu)\s*:.*", re.I | re.S),
                   "También: Candidatos presidenciales rezagados"),
    chrome.Pattern("podcast-promo", re.compile(r"podcasts?\s*:.*\b(hören|hört|anhören|folge|listen|episode|écoutez|"
                                               r"écouter|épisode|escucha|episodio)\b.*", re.I | re.S),
                   "Podcast: Kochtipps zum Nachkochen in unserer neuen Folge"),
    # (A space or dash after the mark: "²³⁵U ist spaltbar" is a mass number.)
    chrome.Pattern("footnote-mark", re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹]+(\s+|[-–]).+", re.S),
                   "¹-0,4% Effektiver Jahreszins bei 1.000€ Netto-Darlehensbetrag"),
    # A line of page tools only (old pages print their print and e-mail links as text above the article).
    chrome.Pattern("page-tools", re.compile(r"(((diese |die )?(seite|artikel) (drucken|teilen|per e-?mail (verschicken|"
                                            r"versenden|senden))|print( this)? (page|article)|e-?mail this (page|"
                                            r"article)|imprimer (cette page|l'article)|envoyer par e-?mail|"
                                            r"imprimir( esta página)?|enviar por correo)([\s.,|·]+|$))+", re.I),
                   "Diese Seite drucken Diese Seite per Email verschicken."),
    chrome.Pattern("photo-credit", re.compile(r"((photograph|photo|foto)\s?(by|von|:)|(bild|image) (by|von))\s.{0,80}",
                                              re.I),
                   "Photograph by Jane Doe"),
)

# What a heading's permalink leaves at its end or start ("Methods¶", "# Methods", "Methods #").
PERMALINK_GLYPHS = frozenset("#¶§🔗")
HEADING_PERMALINK = re.compile(r"^\s*[#¶§🔗]\s*|\s*[#¶§🔗]\s*$")


def is_teaser_heading(text: str) -> bool:
    return chrome.first_match(TEASER_HEADINGS, text.strip().rstrip(":").strip()) is not None


def is_chrome_line(text: str) -> bool:
    return chrome.first_match(CHROME_LINES, text.strip()) is not None


def without_permalink(text: str) -> str:
    return HEADING_PERMALINK.sub("", text)


def class_words(value: str | None) -> set[str]:
    if not value:
        return set()
    return {w for w in _CLASS_SPLIT.split(value.casefold()) if w}


def is_faq_heading(text: str) -> bool:
    return bool(FAQ_HEADINGS.fullmatch(text) or chrome.first_match(chrome.FAQ_MARKERS, text))


def is_takeaways_heading(text: str) -> bool:
    return bool(TAKEAWAYS_HEADINGS.fullmatch(text) or chrome.first_match(chrome.TAKEAWAYS_MARKERS, text))


def is_quiz_heading(text: str) -> bool:
    return bool(QUIZ_HEADINGS.fullmatch(text) or chrome.first_match(chrome.QUIZ_MARKERS, text))
