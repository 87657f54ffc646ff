"""Page chrome and section markers of StudySmarter-style text dumps, as named pattern tables.

Everything the text reader drops or treats as a marker lives here, one entry per page shape, each with
a comment naming where it comes from. Nothing here may mention an article's subject: these are the
site's furniture, not content. Lines are matched after stripping surrounding white space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern[str]

    def match(self, line: str) -> re.Match[str] | None:
        return self.regex.fullmatch(line)


def _p(name: str, regex: str) -> Pattern:
    return Pattern(name, re.compile(regex, re.IGNORECASE))


# Lines dropped wherever they stand. Keyed by language only for readability: mixed-language chrome
# (English sign-up lines on a German page) is normal, so every table applies to every page.
CHROME: dict[str, tuple[Pattern, ...]] = {
    "en": (
        # 2024 layout: the sign-up box under the lead paragraph and at the foot.
        _p("get-started", r"Get started"),
        _p("millions-of-flashcards", r"Millions of flashcards designed to help you ace your studies"),
        _p("sign-up", r"Sign[ -]up (for free|with Email|with Google|with Apple)\.?"),
        _p("review-flashcards", r"Review generated flashcards"),
        # 2024 layout: the AI-assistant quota notice.
        _p("ai-limit", r"You have reached the daily AI limit"),
        _p("start-learning", r"Start learning or create your own AI flashcards"),
        # Author and fact-check metadata (printed under the title and again at the foot).
        _p("editorial-team", r"(Checked by )?StudySmarter Editorial Team"),
        _p("team-teachers", r"Team .{1,80} Teachers"),
        _p("reading-time", r"\d+ minutes? reading time"),
        # Article toolbar.
        _p("save-article", r"(Save (Article|Explanation)\s*)+"),
        _p("contents", r"Contents|Table of contents"),
        _p("jump-to-chapter", r"Jump to a key chapter"),
        # The quiz carousel's navigation and its card counter.
        _p("carousel-next", r"Next|Previous"),
        _p("lone-number", r"\d{1,3}"),
        # Foot of the page: app advert.
        _p("discover-app", r"Discover learning materials with the free StudySmarter app"),
        _p("learn-more", r"Learn more"),
        _p("study-anywhere", r"Study anywhere\. Anytime\.\s*Across all devices\."),
        _p("highlight-notes", r"Sign up to highlight and take notes\. It’s 100% free\."),
        _p("join-students", r"Join over [\d,.]+ million students in learning with our StudySmarter App"),
        _p("first-learning-app", r"The first learning app that truly has everything you need to ace your "
                                 r"exams in one place"),
        _p("app-feature", r"Flashcards & Quizzes|AI Study Assistant|Study Planner|Mock-Exams|"
                          r"Smart Note-Taking"),
    ),
}

# A "Team <X> Teachers" line at the foot names the subject ("Team Biology Teachers"); the one near
# the top repeats the article topic instead, so the reader takes the last one that is not the title.
TEAM_LINE = re.compile(r"Team (?P<subject>.{1,80}) Teachers", re.IGNORECASE)

# The footer starts here; everything after it (company blurb, app advert) is chrome.
FOOTER_START: tuple[Pattern, ...] = (
    _p("about-site", r"About (StudySmarter|Vaia)"),
)

# Section markers: a line that opens a special part of the page.
TAKEAWAYS_MARKERS: tuple[Pattern, ...] = (
    # 2024 layout: "<topic> - Key takeaways".
    _p("en-key-takeaways", r"(?P<topic>.+?)\s+[-–]\s+Key takeaways"),
)
FAQ_MARKERS: tuple[Pattern, ...] = (
    # 2024 layout: "Frequently Asked Questions about <topic>".
    _p("en-faq", r"Frequently Asked Questions about (?P<topic>.+)"),
)
QUIZ_MARKERS: tuple[Pattern, ...] = (
    # 2024 layout: the multiple-choice carousel after the FAQ.
    _p("en-quiz", r"Test your knowledge with multiple choice flashcards"),
)


def first_match(patterns: tuple[Pattern, ...], line: str) -> re.Match[str] | None:
    for pattern in patterns:
        found = pattern.match(line)
        if found:
            return found
    return None


def is_chrome(line: str) -> bool:
    return any(first_match(table, line) for table in CHROME.values())


def chrome_phrases() -> list[str]:
    """Names of all chrome patterns (for tests that assert nothing of the kind reaches a note)."""
    return [p.name for table in CHROME.values() for p in table]
