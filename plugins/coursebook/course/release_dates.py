"""Release dates that cannot release a solution early: the date a notebook takes from the
lectures listing it (the latest of them), and the time zone every dated course must name."""

from __future__ import annotations

import posixpath
from typing import Any

from .dates import as_date
from .frontmatter import read_front_matter


class TimezoneMissing(ValueError):
    """A course with solution dates but no `timezone`; the message says what to add."""


class ListedNotebooks(dict):
    """Notebook URI -> (lecture file, its `solutions` value as written); `unreadable` holds
    the problems of the lectures whose front matter could not be read, which may be the
    ones that would have listed a notebook."""

    def __init__(self, *args, unreadable: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unreadable = unreadable or []


def notebooks_listed_by_lectures(
    pages: list[tuple[str, str, str]],
) -> tuple[ListedNotebooks, list[str]]:
    """Notebook URI -> (the lecture file whose date it takes, that `solutions` value as
    written), from each lecture's (file as shown, src_uri, front matter); and a warning for
    each notebook listed by lectures with different dates.

    A notebook listed twice takes the LATEST date: the earlier one would publish the solutions
    while the other lecture still withholds them. A value that is not a date wins over any date,
    so that the build stops on it (`notebook_view` parses the one it uses; the course reports
    bad values too)."""
    listings: dict[str, list[tuple[str, Any]]] = {}
    found = ListedNotebooks()
    for shown, _uri, text in pages:
        meta, problems = read_front_matter(text, shown)
        found.unreadable += [str(problem) for problem in problems]
        listed = meta.get("notebooks")
        for uri in listed if isinstance(listed, list) else []:
            if not isinstance(uri, str):
                continue
            uri = uri.strip()
            # A lecture may list a text notebook by the .ipynb it is published as.
            for name in dict.fromkeys((uri, posixpath.splitext(uri)[0] + ".py")):
                listings.setdefault(name, []).append((shown, meta.get("solutions")))
    warnings: list[str] = []
    warned: set[tuple] = set()  # x.ipynb and its alias x.py: one warning
    for uri, entries in listings.items():
        found[uri] = max(entries, key=_lateness)
        dated = [(shown, value) for shown, value in entries if value is not None]
        conflict = tuple(sorted((shown, str(value)) for shown, value in dated))
        if len({str(value) for _shown, value in dated}) > 1 and conflict not in warned:
            warned.add(conflict)
            chosen_file, chosen = found[uri]
            others = ", ".join(
                f"{shown} (solutions: {value})" for shown, value in dated if shown != chosen_file
            )
            warnings.append(
                f"{uri}: listed by lectures with different solution dates: {others} and "
                f"{chosen_file} (solutions: {chosen}); its solutions are released on the "
                "latest date"
            )
    return found, warnings


def _lateness(entry: tuple[str, Any]) -> tuple[int, Any]:
    value = entry[1]
    if value is None:
        return (0, None)
    day = as_date(value)
    return (2, None) if day is None else (1, day)


def require_timezone(timezone: str | None, dated: str | None) -> None:
    """A course with a solution date (`dated`: where one is set, for the message) must name its
    time zone: "today" on a build machine in UTC is tomorrow in the evening of a US course, and
    would release its solutions a day early."""
    if timezone or dated is None:
        return
    raise TimezoneMissing(
        f"mkdocs.yml: plugins: coursebook: timezone: not set, but solutions are released by "
        f"date ({dated}). Name the course's time zone, e.g.\n"
        "  plugins:\n    - coursebook:\n        timezone: America/New_York\n"
        "(an IANA name: the day of a release is the day in that zone, not the build machine's)"
    )
