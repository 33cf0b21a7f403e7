"""The staff view (COURSEBOOK_SOLUTIONS=show) and the student view (hide) of the same pages,
as Chromium shows them: they differ exactly by the solutions."""

from __future__ import annotations

import difflib

import pytest
from coursebook.present.browser import serve_folder
from test_solutions_site import (
    ADMONITION,
    BLOCK,
    CELL_ADMONITION,
    DETAILS,
    LINE,
    MARKERS,
    TAGGED_CODE,
    TAGGED_MARKDOWN,
    course,  # noqa: F401  (the module's fixture course, reused)
)

# What the page's visible blocks are: each child of the article, as the reader sees its text.
BLOCKS = """() => Array.from(document.querySelectorAll("article.md-content__inner > *"))
  .filter(e => e.offsetParent !== null || e.tagName === "DETAILS")
  .map(e => e.innerText.trim())"""


@pytest.fixture(scope="module")
def views(course, browser):  # noqa: F811
    """Visible blocks of each page in each view: {view: {page: [text, ...]}}."""
    found = {}
    for view in ("hide", "show"):
        build = course.build(env={"COURSEBOOK_SOLUTIONS": view}, site=f"site-{view}")
        assert build.returncode == 0, build.log
        context = browser.new_context()
        page = context.new_page()
        with serve_folder(build.site) as base:
            found[view] = {}
            for path in ("lectures/01-shrinkage/", "notebooks/exercise/"):
                page.goto(base + path, wait_until="load")
                found[view][path] = page.evaluate(BLOCKS)
                # All the article's text, a closed <details>' body included (innerText has not).
                found[view]["all text of " + path] = page.evaluate(
                    "() => document.querySelector('article').textContent"
                )
        context.close()
    return found


def _differences(student: list[str], staff: list[str]) -> tuple[list[str], list[str]]:
    """Blocks only in the student view, and blocks only in the staff view."""
    only_student, only_staff = [], []
    matcher = difflib.SequenceMatcher(a=student, b=staff, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            only_student += student[i1:i2]
            only_staff += staff[j1:j2]
    return only_student, only_staff


def test_lecture_page_views_differ_exactly_by_the_solutions(views):
    student, staff = _differences(
        views["hide"]["lectures/01-shrinkage/"], views["show"]["lectures/01-shrinkage/"]
    )
    assert student == ["Solution\n\nSolution released on 2027-01-27."] * 2
    # The collapsed one shows its summary until opened: its text is in the DOM all the same.
    assert len(staff) == 2
    assert ADMONITION in staff[0]
    assert staff[0].startswith("Solution to the exercise")
    assert staff[1] == "Solution"
    assert views["hide"]["all text of lectures/01-shrinkage/"].count(DETAILS) == 0
    assert views["show"]["all text of lectures/01-shrinkage/"].count(DETAILS) == 1


def test_notebook_page_views_differ_exactly_by_the_solution_cells(views):
    student, staff = _differences(
        views["hide"]["notebooks/exercise/"], views["show"]["notebooks/exercise/"]
    )
    assert student == [
        "def weight_norm(w):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n\n"
        "print(weight_norm(weights))",
        "penalty = ...\nprint(penalty)",
        "",  # a tagged solution cell: its empty code cell, the student's slot for the answer
        "Solution released on 2027-01-27.",
        "Check:\n\nSolution\n\nSolution released on 2027-01-27.",  # admonition in a cell
    ]
    # Every block only the staff see holds a solution: a marked input, or its output.
    assert len(staff) == 8
    for block in staff:
        assert any(marker in block for marker in MARKERS), block
    for marker in (BLOCK, LINE, TAGGED_CODE, TAGGED_MARKDOWN, CELL_ADMONITION):
        assert sum(marker in block for block in staff) >= 1
