"""The preview page: every card rendered with Anki's template language."""
