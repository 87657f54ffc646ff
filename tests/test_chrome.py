"""The chrome and marker tables: every entry matches its own example, and the tables do their job."""

from __future__ import annotations

import re

import pytest

from ankiexport import chrome

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


def test_no_emoji_is_ascii() -> None:
    """chrome.has_emoji skips the search for ASCII lines: EMOJI matches single characters, none ASCII."""
    assert not any(chrome.EMOJI.search(chr(code)) for code in range(128))
    assert chrome.has_emoji("Du hast dein AI Limit erreicht 😱") and not chrome.has_emoji("Need help? :-)")


def test_emoji_are_the_documented_ranges() -> None:
    """EMOJI is written as the complement of the other ranges (faster to search): it matches exactly
    U+2600–U+27BF and U+1F000–U+1FAFF."""
    every = "".join(map(chr, range(0x110000)))
    assert set(chrome.EMOJI.findall(every)) == set(re.findall("[\u2600-\u27bf\U0001f000-\U0001faff]", every))
