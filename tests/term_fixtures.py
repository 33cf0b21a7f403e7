"""The fixture term's site (tests/data/term/course.yml), for the page and browser tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FixtureSite, new_fixture_site

TERM = Path(__file__).parent / "data" / "term" / "course.yml"
SECRET = "The answer is forty-two, said the deep thought computer of Homework 6."
OPTIONS = """\
timezone: America/New_York
"""


def write_term_site(root: Path, options: str = "") -> FixtureSite:
    site = new_fixture_site(root, OPTIONS + options)
    config = site.root / "mkdocs.yml"
    config.write_text(
        "site_url: https://example.org/course/\n"
        + config.read_text().replace("  - admonition\n", "  - admonition\n  - pymdownx.details\n")
    )
    shutil.copy(TERM, site.root / "course.yml")
    site.write(
        "docs/index.md",
        """\
        # Fixture course

        ## This week

        <!-- coursebook:this-week -->

        ## Due soon

        <!-- coursebook:due-soon -->
        """,
    )
    for number, day, title in ((1, "2027-01-11", "Intro"), (2, "2027-01-13", "Theory")):
        site.write(
            f"docs/lectures/{number:02d}.md",
            f"---\ntitle: {title}\nlecture: {number}\ndate: {day}\n---\n# {title}\n",
        )
    site.write("docs/hw/2.md", "# Homework 2\n\nFit a line.\n")
    site.write(
        "docs/hw/6.md",
        f"""\
        ---
        kind: assignment
        title: Homework 6
        release: 2027-03-31
        due: 2027-04-09 23:59
        points: 10
        solutions: 2027-04-12
        ---
        # Homework 6

        Find the answer.

        ??? solution
            {SECRET}
        """,
    )
    return site
