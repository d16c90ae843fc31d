"""Presentation: numbers as words and HTML fragments (`narrative`), charts with their sources
(`plotting`). The analyses use them; they know nothing of any question."""
