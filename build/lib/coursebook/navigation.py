"""Fill nav sections from the folders they index, so a new lecture or notebook shows up in the
navigation without anyone editing mkdocs.yml."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable


def _listed(items) -> set[str]:
    found: set[str] = set()
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                found |= _listed(value)
    return found


def fill_index_sections(
    nav: list | None, pages: Iterable[str], order: Callable[[str], object]
) -> list | None:
    """Return `nav` where every section whose first entry is `<folder>/index.md` also lists
    the pages of that folder (not nested deeper) that the nav does not list yet, in `order`.

    `nav` is mkdocs.yml's nav data; None (automatic nav) is returned unchanged."""
    if nav is None:
        return None
    listed = _listed(nav)
    pages = [p for p in pages if p not in listed]

    def fill(items: list) -> list:
        result = []
        for item in items:
            if isinstance(item, dict):
                item = {title: fill_section(value) for title, value in item.items()}
            result.append(item)
        return result

    def fill_section(value):
        if not isinstance(value, list):
            return value
        value = fill(value)
        first = value[0] if value else None
        index = first if isinstance(first, str) else None
        if isinstance(first, dict) and len(first) == 1:
            only = next(iter(first.values()))
            index = only if isinstance(only, str) else None
        if index and posixpath.basename(index) == "index.md":
            folder = posixpath.dirname(index)
            extra = [p for p in pages if posixpath.dirname(p) == folder and p != index]
            value = value + sorted(extra, key=order)
        return value

    return fill(nav)
