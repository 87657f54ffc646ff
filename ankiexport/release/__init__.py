"""Release commands: what changed between two decks (diff) and fit to publish (verify)."""
