"""The HTML reader: a page, its fragments, its schema.org items and its images."""
