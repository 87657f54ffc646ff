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
