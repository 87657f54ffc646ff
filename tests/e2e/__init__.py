"""End to end: the CLI in a subprocess, decks imported into a real Anki collection, pages in Chromium, signals, HTTP."""
