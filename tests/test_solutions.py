"""The solutions module alone: markers in the nbgrader and otter-grader forms, the student
notebook, admonitions in pages, release dates."""

from __future__ import annotations

import datetime as dt
import json

import nbformat
import pytest
from coursebook.course.solutions import (
    SolutionError,
    find_solutions,
    is_released,
    notebook_release,
    notebook_view,
    release_note,
    solutions_mode,
    strip_admonitions,
    strip_code,
    student_notebook,
    today_in,
)

RELEASE = dt.date(2027, 1, 27)


@pytest.mark.parametrize(
    ("begin", "end"),
    [
        ("### BEGIN SOLUTION", "### END SOLUTION"),  # nbgrader
        ("# BEGIN SOLUTION", "# END SOLUTION"),  # otter-grader
    ],
    ids=["nbgrader", "otter-grader"],
)
@pytest.mark.parametrize("indent", ["", "    ", "        "])
def test_block_becomes_the_nbgrader_stub_at_the_delimiter_indentation(begin, end, indent):
    source = (
        "def weight_norm(w):\n"
        f"{indent}{begin}\n"
        f"{indent}secret = (w ** 2).sum()\n"
        f"{indent}return secret ** 0.5\n"
        f"{indent}{end}\n"
        "\n"
        "print('after')"
    )
    stripped, marked = strip_code(source, "nb.ipynb: cell 1")
    assert marked
    assert stripped == (
        "def weight_norm(w):\n"
        f"{indent}# YOUR CODE HERE\n"
        f"{indent}raise NotImplementedError()\n"
        "\n"
        "print('after')"
    )


def test_block_at_the_end_of_a_cell_leaves_no_trailing_newline():
    assert strip_code("x = 1\n# BEGIN SOLUTION\ny = 2\n# END SOLUTION", "w") == (
        "x = 1\n# YOUR CODE HERE\nraise NotImplementedError()",
        True,
    )


@pytest.mark.parametrize(
    ("line", "student"),
    [
        ("x = 42  # SOLUTION", "x = ..."),
        ("    penalty = 0.1 * lam # SOLUTION", "    penalty = ..."),
        ("total += step  # SOLUTION", "total += ..."),
        ("print(x)  # SOLUTION", "..."),
        ("    assert y == 3  # SOLUTION", "    ..."),
        ("s = 'a # b'  # SOLUTION", "s = ..."),  # a `#` in a string
        ("weights[0] **= 2  # SOLUTION", "weights[0] **= ..."),
        ("model.alpha = 0.1  #SOLUTION", "model.alpha = ..."),
        ("f(a=1)  # SOLUTION", "..."),  # a keyword argument is no assignment
    ],
)
def test_otter_one_line_solutions(line, student):
    assert strip_code(line + "\nnext_line()\n", "w") == (student + "\nnext_line()\n", True)


@pytest.mark.parametrize(
    "source",
    ["x = 1\n", "# SOLUTION is explained below\n", "s = '# a SOLUTION of sorts'\n"],
)
def test_code_without_markers_is_unchanged(source):
    assert strip_code(source, "w") == (source, False)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "a = 1\n# BEGIN SOLUTION\nb = 2\n",
            "nb.ipynb: cell 4, line 2: BEGIN SOLUTION is never closed",
        ),
        (
            "# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n",
            "nb.ipynb: cell 4, line 2: BEGIN SOLUTION inside the solution begun on line 1 "
            "(solutions do not nest)",
        ),
        ("a = 1\n\n### END SOLUTION\n", "nb.ipynb: cell 4, line 3: END SOLUTION without BEGIN"),
    ],
)
def test_badly_marked_blocks_name_the_cell_and_line(source, message):
    with pytest.raises(SolutionError) as raised:
        strip_code(source, "nb.ipynb: cell 4")
    assert str(raised.value).startswith(message)


def _notebook() -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Exercise"),
        nbformat.v4.new_code_cell("import math\nprint('kept output')"),
        nbformat.v4.new_code_cell(
            "def f():\n    ### BEGIN SOLUTION\n    return 'BLOCK-MARK'\n    ### END SOLUTION"
        ),
        nbformat.v4.new_code_cell("answer = 'LINE-MARK'  # SOLUTION\nprint(answer)"),
        nbformat.v4.new_code_cell("print('TAGGED-CODE-MARK')", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("TAGGED-MD-MARK", metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell("print('later')"),
    ]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                nbformat.v4.new_output("stream", name="stdout", text=f"out of {cell.source}\n")
            ]
            cell.execution_count = 1
    return nbformat.from_dict(nb)


def test_student_notebook_strips_every_kind_and_keeps_other_outputs():
    nb = _notebook()
    student = student_notebook(nb, "nb.ipynb", RELEASE)
    text = nbformat.writes(nbformat.from_dict(student))
    for marker in ("BLOCK-MARK", "LINE-MARK", "TAGGED-CODE-MARK", "TAGGED-MD-MARK"):
        assert marker not in text
        assert marker in nbformat.writes(nb)  # the source is left alone
    nbformat.validate(nbformat.from_dict(student))
    cells = student["cells"]
    assert [len(c.get("outputs", [])) for c in cells if c["cell_type"] == "code"] == [1, 0, 0, 0, 1]
    assert cells[4]["source"] == ""
    assert cells[5]["source"] == "*Solution released on 2027-01-27.*"
    assert cells[3]["source"] == "answer = ...\nprint(answer)"
    assert find_solutions(nb, "nb.ipynb") == ["cell 3", "cell 4", "cell 5", "cell 6"]
    assert find_solutions(student, "nb.ipynb") == ["cell 5", "cell 6"]  # tags stay


def test_markdown_cell_block_becomes_the_note():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "Answer:\n<!-- BEGIN SOLUTION -->\n42\n<!-- END SOLUTION -->\n"
        )
    ]
    student = student_notebook(nb, "nb.ipynb", RELEASE)
    assert student["cells"][0]["source"] == "Answer:\n*Solution released on 2027-01-27.*\n"


def test_badly_marked_markdown_cell_is_an_error():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("BEGIN SOLUTION")]
    with pytest.raises(SolutionError, match=r"^nb.ipynb: cell 2, line 1: BEGIN SOLUTION is never"):
        find_solutions(nb, "nb.ipynb")


PAGE = """# Lecture

Text before.

!!! solution "Exercise 1"
    The answer is ADMONITION-MARK.

    ```python
    print("ADMONITION-MARK")
    ```

??? solution
    Collapsed DETAILS-MARK.

- list item

    ```markdown
    !!! solution
        shown as syntax
    ```

Text after.
"""


def test_strip_admonitions_replaces_each_block_and_leaves_fences_alone():
    stripped, count = strip_admonitions(PAGE, RELEASE)
    assert count == 2
    assert "ADMONITION-MARK" not in stripped
    assert "DETAILS-MARK" not in stripped
    assert stripped.count('!!! note "Solution"\n    Solution released on 2027-01-27.\n') == 2
    assert "shown as syntax" in stripped
    assert stripped.startswith("# Lecture\n\nText before.\n\n!!! note")
    assert stripped.endswith(
        "- list item\n\n    ```markdown\n    !!! solution\n        shown as syntax\n"
        "    ```\n\nText after.\n"
    )


def test_indented_admonition_keeps_its_indentation():
    page = "1. Step\n\n    !!! solution\n        hidden IND-MARK\n\n    Still in the item.\n"
    stripped, count = strip_admonitions(page, None)
    assert count == 1
    assert stripped == (
        '1. Step\n\n    !!! note "Solution"\n        Solution released later.\n\n'
        "    Still in the item.\n"
    )


@pytest.mark.parametrize(
    ("released", "today", "mode", "expected"),
    [
        (RELEASE, dt.date(2027, 1, 26), "auto", False),
        (RELEASE, RELEASE, "auto", True),
        (RELEASE, dt.date(2027, 3, 1), "auto", True),
        (None, dt.date(2030, 1, 1), "auto", False),
        (RELEASE, dt.date(2027, 1, 1), "show", True),
        (RELEASE, dt.date(2030, 1, 1), "hide", False),
    ],
)
def test_is_released(released, today, mode, expected):
    assert is_released(released, today, mode) is expected


def test_environment_settings():
    assert solutions_mode({}) == "auto"
    assert solutions_mode({"COURSEBOOK_SOLUTIONS": "show"}) == "show"
    with pytest.raises(SolutionError, match="COURSEBOOK_SOLUTIONS: expected show, hide or auto"):
        solutions_mode({"COURSEBOOK_SOLUTIONS": "yes"})
    assert today_in("Pacific/Kiritimati", {"COURSEBOOK_TODAY": "2027-01-27"}) == RELEASE
    with pytest.raises(SolutionError, match="COURSEBOOK_TODAY: expected a date"):
        today_in(None, {"COURSEBOOK_TODAY": "tomorrow"})
    # The course's time zone decides which day it is: Kiritimati (UTC+14) is always a day or
    # two ahead of Pago Pago (UTC-11), 25 hours behind it.
    ahead = today_in("Pacific/Kiritimati", {}) - today_in("Pacific/Pago_Pago", {})
    assert ahead in (dt.timedelta(days=1), dt.timedelta(days=2))


def test_notebook_release_from_metadata():
    nb = {"metadata": {"coursebook": {"solutions": "2027-02-03"}}, "cells": []}
    assert notebook_release(nb, "nb.ipynb") == dt.date(2027, 2, 3)
    assert notebook_release({"metadata": {}}, "nb.ipynb") is None
    with pytest.raises(SolutionError) as raised:
        notebook_release({"metadata": {"coursebook": {"solutions": "soon"}}}, "nb.ipynb")
    assert str(raised.value) == (
        "nb.ipynb: metadata.coursebook.solutions: expected a date like 2027-01-20, got 'soon'"
    )
    assert release_note(None) == "Solution released later."


def test_solution_admonition_in_a_markdown_cell():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Try it.\n\n??? solution\n    It is 42.\n")]
    assert find_solutions(nb, "nb.ipynb") == ["cell 1"]
    student = student_notebook(nb, "nb.ipynb", RELEASE)
    assert student["cells"][0]["source"] == (
        'Try it.\n\n!!! note "Solution"\n    Solution released on 2027-01-27.\n\n'
    )


@pytest.mark.parametrize(
    "header",
    [
        "!!! solution",
        "??? solution",
        "???+ solution",
        '???+\tsolution "Ex. 1"',
        "    ???+ solution",
        "!!!solution",
        "!!! Solution",
        '!!! SOLUTION "Shown in capitals"',
        "!!! danger solution",
        "!!!+ solution",  # not an admonition to Python-Markdown: its body would show as text
    ],
)
def test_a_page_whose_only_solution_has_this_header_is_stripped(header):
    """Each form alone on its page, so the quick check that skips pages without solutions is
    tested too: a form it missed would be published before its release."""
    indent = header[: len(header) - len(header.lstrip())]
    page = f"1. Step\n\n{header}\n{indent}    SECRET\n\n{indent}After.\n"
    stripped, count = strip_admonitions(page, None)
    assert count == 1
    assert "SECRET" not in stripped
    assert f"{indent}After." in stripped


@pytest.mark.parametrize(
    "line", ["!!! note", "!!! solutions", '!!! note "Solution"', "!!! solution-like", "??? tip"]
)
def test_other_admonitions_are_not_solutions(line):
    page = f"# T\n\n{line}\n    kept\n"
    assert strip_admonitions(page, None) == (page, 0)


def test_a_page_without_solutions_is_returned_as_is():
    page = "# T\r\n\n!!! note\n    x\u2028y\n```\n!!! solution\n```\n"
    assert strip_admonitions(page, None) == (page, 0)


def _notebook_with_a_solution(metadata: dict | None = None):
    nb = nbformat.v4.new_notebook()
    nb.metadata.update(metadata or {})
    nb.cells = [nbformat.v4.new_code_cell("x = 'SECRET'  # SOLUTION\nprint(x)")]
    return nb


def test_notebook_view_takes_the_listing_lectures_date_and_withholds_until_then():
    asked = []

    def listed_by():
        asked.append(1)
        return {"nb/a.ipynb": ("docs/lectures/01.md", "2027-01-27")}

    nb = _notebook_with_a_solution()
    view, until = notebook_view(
        nb, "docs/nb/a.ipynb", listed_by, "nb/a.ipynb", dt.date(2027, 1, 26), "auto"
    )
    assert until == dt.date(2027, 1, 27)
    assert "SECRET" not in json.dumps(view)
    view, until = notebook_view(
        nb, "docs/nb/a.ipynb", listed_by, "nb/a.ipynb", dt.date(2027, 1, 27), "auto"
    )
    assert (view, until) == (nb, None)
    plain = nbformat.v4.new_notebook()
    plain.cells = [nbformat.v4.new_code_cell("print(1)")]
    assert notebook_view(
        plain, "docs/nb/p.ipynb", listed_by, "nb/p.ipynb", dt.date(2027, 1, 1), "auto"
    ) == (plain, None)
    assert len(asked) == 2, "the lectures were read for a notebook without solutions"


def test_notebook_view_prefers_the_notebooks_own_date_and_names_a_missing_one():
    own = _notebook_with_a_solution({"coursebook": {"solutions": "2027-02-01"}})
    listed = {"nb/a.ipynb": ("docs/lectures/01.md", "2027-01-27")}
    _, until = notebook_view(
        own, "docs/nb/a.ipynb", lambda: listed, "nb/a.ipynb", dt.date(2027, 1, 28), "auto"
    )
    assert until == dt.date(2027, 2, 1)
    with pytest.raises(
        SolutionError, match=r"docs/nb/b.ipynb: cell 1: a solution, but no release date"
    ):
        notebook_view(
            _notebook_with_a_solution(),
            "docs/nb/b.ipynb",
            dict,
            "nb/b.ipynb",
            dt.date(2027, 1, 1),
            "auto",
        )
