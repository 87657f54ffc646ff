"""Editable rules: page-chrome tables, thresholds and patterns, the language vote."""
