"""Notebook stage: execute notebooks before rendering and turn them into Markdown pages."""
