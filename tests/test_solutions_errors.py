"""Badly marked solutions stop the build, naming the file and the cell, line or field."""

from __future__ import annotations

import nbformat
import pytest

LECTURE = """\
---
title: Shrinkage
lecture: 1
date: 2027-01-20
{solutions}notebooks: [notebooks/ex.ipynb]
---

# Shrinkage
{body}
"""


def notebook(*sources: str, metadata: dict | None = None) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3"},
        **(metadata or {}),
    }
    nb.cells = [nbformat.v4.new_markdown_cell("# Exercise")] + [
        nbformat.v4.new_code_cell(source) for source in sources
    ]
    return nbformat.writes(nb)


@pytest.mark.parametrize(
    ("solutions", "cells", "metadata", "message"),
    [
        (
            "solutions: 2027-01-27\n",
            ["x = 1", "def f():\n    ### BEGIN SOLUTION\n    return 1\n"],
            None,
            "ERROR   -  docs/notebooks/ex.ipynb: cell 3, line 2: BEGIN SOLUTION is never closed",
        ),
        (
            "solutions: 2027-01-27\n",
            ["# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n# END SOLUTION"],
            None,
            "ERROR   -  docs/notebooks/ex.ipynb: cell 2, line 2: BEGIN SOLUTION inside the "
            "solution begun on line 1 (solutions do not nest)",
        ),
        (
            "solutions: 2027-01-27\n",
            ["x = 1\n### END SOLUTION"],
            None,
            "ERROR   -  docs/notebooks/ex.ipynb: cell 2, line 2: "
            "END SOLUTION without BEGIN SOLUTION",
        ),
        (
            "",
            ["x = 42  # SOLUTION"],
            None,
            "ERROR   -  docs/notebooks/ex.ipynb: cell 2: a solution, but no release date: set "
            "`solutions: YYYY-MM-DD` in the front matter of the lecture that lists it "
            "(docs/lectures/01-shrinkage.md) or metadata.coursebook.solutions in the notebook",
        ),
        (
            "",
            ["x = 42  # SOLUTION"],
            {"coursebook": {"solutions": "after the exam"}},
            "ERROR   -  docs/notebooks/ex.ipynb: metadata.coursebook.solutions: expected a date "
            "like 2027-01-20, got 'after the exam'",
        ),
    ],
    ids=["unclosed", "nested", "end-without-begin", "no-release-date", "bad-metadata-date"],
)
def test_badly_marked_notebook_stops_the_build(fixture_site, solutions, cells, metadata, message):
    site = fixture_site("timezone: America/New_York")
    site.write("docs/lectures/01-shrinkage.md", LECTURE.format(solutions=solutions, body=""))
    site.write("docs/notebooks/ex.ipynb", notebook(*cells, metadata=metadata))
    build = site.build(quiet=True)
    assert build.returncode == 1
    assert message in build.log.splitlines(), build.log


def test_solutions_date_that_is_not_a_date_fails_a_quiet_strict_build(fixture_site):
    site = fixture_site("timezone: America/New_York")
    site.write(
        "docs/lectures/01-shrinkage.md", LECTURE.format(solutions="solutions: next week\n", body="")
    )
    site.write("docs/notebooks/ex.ipynb", notebook("x = 1"))
    build = site.build(quiet=True)
    assert build.returncode == 1
    assert (
        "  docs/lectures/01-shrinkage.md: solutions: expected a date like 2027-01-20, "
        "got 'next week'" in build.log.splitlines()
    ), build.log


def test_solution_admonition_without_a_date_fails_a_quiet_strict_build(fixture_site):
    site = fixture_site("timezone: America/New_York")
    body = "\n!!! solution\n    The answer.\n"
    site.write("docs/lectures/01-shrinkage.md", LECTURE.format(solutions="", body=body))
    site.write("docs/notebooks/ex.ipynb", notebook("x = 1"))
    build = site.build(quiet=True)
    assert build.returncode == 1
    assert (
        "  docs/lectures/01-shrinkage.md: 1 solution admonition(s) but no release date: set "
        "`solutions: YYYY-MM-DD` in the front matter (a lecture page) (they are left out until "
        "then)" in build.log.splitlines()
    ), build.log
    # Without --strict the site builds, without the solution.
    relaxed = site.build(strict=False, quiet=True)
    assert relaxed.returncode == 0
    assert "The answer." not in relaxed.html("lectures/01-shrinkage/index.html").get_text()
