"""The chrome and marker tables: every entry matches its own example, and the tables do their job."""

from __future__ import annotations

import pytest

from ankiexport.rules import chrome

TABLES = [*chrome.all_patterns(), *chrome.TEAM_LINES, *chrome.FOOTER_START, *chrome.TAKEAWAYS_MARKERS,
          *chrome.FAQ_MARKERS, *chrome.QUIZ_MARKERS]


@pytest.mark.parametrize("pattern", TABLES, ids=[p.name for p in TABLES])
def test_every_entry_matches_its_example(pattern: chrome.Pattern) -> None:
    assert pattern.example, "give the entry an example line"
    assert pattern.match(pattern.example)


def test_names_are_unique() -> None:
    names = [p.name for p in TABLES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("line", ["  • 13 Minuten Lesezeit", "• Geprüft vom StudySmarter Redaktionsteam",
                                  "Du hast dein AI Limit auf der Website erreicht 😱", "Temps de lecture: 4 minutes",
                                  "Sauvegarder l’explication Sauvegarder l’explication", "Índice de temas", "|"])
def test_chrome_lines_in_four_languages(line: str) -> None:
    assert chrome.is_chrome(line.strip())


@pytest.mark.parametrize("line", ["Europe", "Progress", "Immunology", "Was ist eine Zelle?", "Définition",
                                  "Impulse is a scalar quantity."])
def test_content_lines_are_not_chrome(line: str) -> None:
    assert not chrome.is_chrome(line)


def test_title_echoes_and_glued_sign_up() -> None:
    is_echo = chrome.title_echo_test("Binary Tree")
    assert is_echo("Binary Tree Binary Tree")
    assert is_echo("Binary Tree?")
    assert not is_echo("Binary Tree Traversal") and not chrome.is_chrome("Binary Tree Traversal")
    assert chrome.strip_glued("Jetzt kostenlos anmeldenStell dir vor, du…") == "Stell dir vor, du…"
    assert chrome.strip_glued("Jetzt kostenlos anmelden") == "Jetzt kostenlos anmelden"


def test_emoji_lines_are_chrome() -> None:
    assert not any(chrome.EMOJI.search(chr(code)) for code in range(128))
    assert chrome.has_emoji("Du hast dein AI Limit erreicht 😱") and not chrome.has_emoji("Need help? :-)")
    assert chrome.is_chrome("Erstelle unlimitiert Karteikarten 🚀") and chrome.is_chrome("✅")


ARTICLE_PATTERNS = [p for table in chrome.ARTICLE_TABLES for p in table]


@pytest.mark.parametrize("pattern", ARTICLE_PATTERNS, ids=[p.name for p in ARTICLE_PATTERNS])
def test_no_line_an_article_table_matches_is_plain(pattern: chrome.Pattern) -> None:
    for line in (pattern.example, f"• {pattern.example}", pattern.example.upper()):
        assert not chrome.is_plain(line), line


CHROME_PATTERNS = [p for table in (*chrome.CHROME.values(), chrome.CHAPTER_JUMP, chrome.CAROUSEL_TAG_RUN)
                   for p in table]


@pytest.mark.parametrize("pattern", CHROME_PATTERNS, ids=[p.name for p in CHROME_PATTERNS])
def test_chrome_lines_are_found_by_their_pattern(pattern: chrome.Pattern) -> None:
    found = chrome.matching_pattern(f"• {pattern.example}")
    assert found is not None and found.match(pattern.example)


@pytest.mark.parametrize("line", ["Photosynthesis is how plants make sugar.", "Progress", "• A bullet of the article",
                                  "Team work makes the dream work.", "Zellen - Das Wichtigste zuerst"])
def test_article_lines_are_plain(line: str) -> None:
    assert chrome.is_plain(line)


@pytest.mark.parametrize("line", ["Zellen - Das Wichtigste", "Les cellules – Points à retenir",
                                  "Células - Conclusiones clave", "X - KEY TAKEAWAYS", "A - B - Key takeaways"])
def test_key_takeaways_markers_in_four_languages(line: str) -> None:
    assert chrome.first_match(chrome.TAKEAWAYS_MARKERS, line) is not None
    assert not chrome.is_plain(line)
