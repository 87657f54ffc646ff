"""The text-dump reader: StudySmarter-style pages saved as plain text."""
