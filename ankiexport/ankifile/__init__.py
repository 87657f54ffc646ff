"""Anki files: writing an .apkg (writer), reading one back (reader), the lock, atomic writes."""
