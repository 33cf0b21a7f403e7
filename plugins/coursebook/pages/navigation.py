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


def section_title(folder: str) -> str:
    """`week-03_convolutions` is shown as "Week 03 convolutions"."""
    words = posixpath.basename(folder).replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or folder
    return text[:1].upper() + text[1:]


def _folder_items(folder: str, pages: list[str], order: Callable[[str], object]) -> list:
    """The pages directly in `folder`, then one nested section per subfolder that has pages
    (its own index.md first), so a course's `week-03/` folders need no nav entries."""
    direct = [p for p in pages if posixpath.dirname(p) == folder]
    items: list = sorted(direct, key=order)
    prefix = f"{folder}/" if folder else ""
    subfolders = sorted(
        {
            p[len(prefix) :].split("/", 1)[0]
            for p in pages
            if p.startswith(prefix) and p not in direct
        }
    )
    for name in subfolders:
        sub = posixpath.join(folder, name)
        inner = [p for p in pages if p.startswith(sub + "/")]
        index = posixpath.join(sub, "index.md")
        children = _folder_items(sub, [p for p in inner if p != index], order)
        items.append({section_title(sub): ([index] if index in inner else []) + children})
    return items


def fill_index_sections(
    nav: list | None, pages: Iterable[str], order: Callable[[str], object]
) -> list | None:
    """Return `nav` where every section whose only entry is `<folder>/index.md` also lists
    the pages of that folder that the nav does not list elsewhere, in `order`; pages in
    subfolders come as nested sections named after the subfolder.

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
        # Only a section listing nothing but its folder's index asks to be filled: one that
        # lists pages itself is the course's own choice, and what it leaves out (a draft)
        # stays out.
        if len(value) == 1 and index and posixpath.basename(index) == "index.md":
            folder = posixpath.dirname(index)
            inside = [
                p for p in pages if p != index and p.startswith(f"{folder}/" if folder else "")
            ]
            value = value + _folder_items(folder, inside, order)
        return value

    return fill(nav)


def point_nav_at_pages(
    nav: list | None, pages: dict[str, str], headed: set[str] = frozenset()
) -> list | None:
    """Return `nav` with each entry naming a notebook (`notebooks/week-1.ipynb`, as
    mkdocs-jupyter's sites list them) naming its page instead, in the same place. `pages`:
    notebook URI -> its page's URI. As in mkdocs-jupyter, a notebook's own `#` title wins
    over the nav's title for it: `headed` holds the pages that have one and so lose their
    nav title (empty: every nav title is kept, as with its `ignore_h1_titles: true`)."""
    if nav is None or not pages:
        return nav

    def point(item):
        if isinstance(item, str):
            return pages.get(item.lstrip("/"), item)
        if isinstance(item, list):
            return [point(entry) for entry in item]
        if isinstance(item, dict):
            if len(item) == 1:
                ((_, value),) = item.items()
                page = pages.get(value.lstrip("/")) if isinstance(value, str) else None
                if page is not None and page in headed:
                    return page
            return {title: point(value) for title, value in item.items()}
        return item

    return point(nav)


def pages_in_nav(nav: list | None, pages: Iterable[str]) -> set[str] | None:
    """The pages a written `nav` shows once its index sections are filled; None when the
    nav is MkDocs' automatic one (every page is in it)."""
    if nav is None:
        return None
    return _listed(fill_index_sections(nav, pages, order=str))
