"""Grader formats as their tools define them, in the course stage alone: nbgrader, otter-grader
(its assignment format too), Neuromatch's `# to_remove`, hidden tests, attachments, what each
stripping records, and the messages for badly marked notebooks."""

from __future__ import annotations

import datetime as dt
import json

import nbformat
import pytest
from coursebook.course.grader_formats import cell_roles, strip_hidden_tests
from coursebook.course.solutions import (
    SolutionError,
    find_solutions,
    hidden_tests,
    publish_notebook,
    strip_code,
    student_notebook,
)
from coursebook.course.withheld import WithheldText
from grader_fixtures import (
    ALWAYS_PUBLISHED,
    HIDDEN_TESTS,
    NB_BLOCK,
    NB_HIDDEN,
    NBGRADER_SECRETS,
    NEUROMATCH_SECRETS,
    NM_SOLUTION,
    NM_TA_ONLY,
    OT_ATTACHED,
    OT_PROMPT,
    OTTER_SECRETS,
    nbgrader_problem,
    neuromatch_tutorial,
    otter_assignment,
)

RELEASE = dt.date(2099, 1, 1)
BEFORE, AFTER = dt.date(2098, 12, 31), dt.date(2099, 1, 1)
FIXTURES = {
    "nbgrader": (nbgrader_problem, NBGRADER_SECRETS),
    "otter": (otter_assignment, OTTER_SECRETS),
    "neuromatch": (neuromatch_tutorial, NEUROMATCH_SECRETS),
}


def _text(nb: dict) -> str:
    return json.dumps(nb)


def _publish(nb, today, *, publish_hidden_tests=False, listed=None, uri="notebooks/x.ipynb"):
    listing = listed if listed is not None else {uri: ("docs/lectures/01.md", "2099-01-01")}
    return publish_notebook(
        nb,
        f"docs/{uri}",
        lambda: listing,
        uri,
        today,
        "auto",
        publish_hidden_tests=publish_hidden_tests,
    )


@pytest.mark.parametrize("fixture", FIXTURES)
def test_before_the_date_no_secret_is_published_and_each_is_recorded(fixture):
    make, secrets = FIXTURES[fixture]
    nb = make()
    release = _publish(nb, BEFORE)
    assert release.withheld_until == RELEASE
    assert release.source_withheld
    published = _text(release.notebook) + _text(release.view(make()))
    recorded = "".join(w.text for w in release.withheld)
    for secret in (*secrets, *HIDDEN_TESTS):
        assert secret not in published
        if secret in _text(nb) and secret != OT_ATTACHED:
            assert secret in recorded
    for kept in ALWAYS_PUBLISHED:
        assert (kept in published) == (kept in _text(nb))
    nbformat.validate(nbformat.from_dict(release.notebook))


@pytest.mark.parametrize("fixture", FIXTURES)
def test_after_the_date_solutions_are_shown_and_hidden_tests_still_withheld(fixture):
    make, secrets = FIXTURES[fixture]
    nb = make()
    release = _publish(nb, AFTER)
    assert release.withheld_until is None
    published = _text(release.notebook)
    for secret in secrets:
        assert secret in published
    for secret in HIDDEN_TESTS:
        assert secret not in published
    has_hidden = any(secret in _text(nb) for secret in HIDDEN_TESTS)
    # The source holds the hidden tests: it may not be published as it is.
    assert release.source_withheld == has_hidden
    assert {w.text for w in release.withheld} == (
        {w.text for w in release.withheld if any(s in w.text for s in HIDDEN_TESTS)}
    )


def test_hidden_tests_are_published_after_the_date_when_the_course_says_so():
    nb = otter_assignment()
    release = _publish(nb, AFTER, publish_hidden_tests=True)
    assert release.notebook == nb
    assert not release.source_withheld
    before = _publish(nb, BEFORE, publish_hidden_tests=True)
    # Before the date, still: tests and solutions alike.
    for secret in OTTER_SECRETS:
        assert secret not in _text(before.notebook)


def test_a_notebook_with_only_hidden_tests_needs_no_date():
    nb = nbformat.v4.new_notebook()
    source = "x = 1\n### BEGIN HIDDEN TESTS\nassert x\n### END HIDDEN TESTS"
    nb.cells = [nbformat.v4.new_code_cell(source)]
    release = _publish(nb, BEFORE, listed={})
    assert release.withheld_until is None
    assert release.source_withheld
    assert release.notebook["cells"][0]["source"] == "x = 1\n"
    assert release.withheld == [
        WithheldText(
            "docs/notebooks/x.ipynb: cell 1, line 2",
            "### BEGIN HIDDEN TESTS\nassert x\n### END HIDDEN TESTS",
        )
    ]


def test_nbgrader_cells_as_nbgrader_clears_them():
    student = student_notebook(nbgrader_problem(), "ps1.ipynb", RELEASE)
    cells = student["cells"]
    # A solution cell without markers: emptied; with markers: the stub in the block's place.
    assert cells[5]["source"] == ""
    assert "raise NotImplementedError()" in cells[3]["source"]
    assert cells[3]["source"].startswith("def squares(n):")
    # The autograder test keeps its visible part, loses the hidden one.
    assert cells[4]["source"].endswith("assert squares(1) == [1]\n")
    assert cells[6]["source"] == "*Solution released on 2099-01-01.*"
    assert find_solutions(nbgrader_problem(), "ps1.ipynb") == ["cell 4", "cell 6", "cell 7"]
    assert hidden_tests(nbgrader_problem(), "ps1.ipynb") == ["cell 5"]


def test_otter_assignment_format_is_read_not_refused():
    """Its raw `# BEGIN SOLUTION` cells once stopped the build: "never closed"."""
    nb = otter_assignment()
    roles = cell_roles(nb["cells"], "demo.ipynb")
    assert [i for i, r in enumerate(roles, 1) if r.boundary] == [3, 5, 7, 8, 12, 13, 14, 16, 18, 19]
    assert [i for i, r in enumerate(roles, 1) if r.hidden_test] == [10, 11]
    assert [i for i, r in enumerate(roles, 1) if r.solution] == [17]
    student = student_notebook(nb, "demo.ipynb", RELEASE)
    code = student["cells"][5]["source"]
    assert code == (
        "def square(x):\n    ...\n\ndef circumference(r):\n"
        f"    # {OT_PROMPT}: define a circumference function.\n    pass\n\nnine = square(3)"
    )
    # The hidden test cells are gone; the public one stays.
    assert len(student["cells"]) == len(nb["cells"]) - 2


def test_an_attachment_only_a_stripped_solution_showed_is_removed():
    cell = nbformat.v4.new_markdown_cell(
        "Look: ![kept](attachment:kept.png)\n\n!!! solution\n    ![s](attachment:sol.png)\n"
    )
    cell["attachments"] = {"kept.png": {"image/png": "AAA"}, "sol.png": {"image/png": "SOL"}}
    block = nbformat.v4.new_markdown_cell(
        "Answer:\n\nBEGIN SOLUTION\n![s](attachment:only.png)\nEND SOLUTION\n"
    )
    block["attachments"] = {"only.png": {"image/png": "ONLY"}}
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell, block]
    student = student_notebook(nb, "a.ipynb", RELEASE)
    assert student["cells"][0]["attachments"] == {"kept.png": {"image/png": "AAA"}}
    assert "attachments" not in student["cells"][1]
    nbformat.validate(nbformat.from_dict(student))


def test_neuromatch_solution_becomes_a_note_next_to_its_exercise():
    nb = neuromatch_tutorial()
    student = student_notebook(nb, "W1D1_Tutorial1.ipynb", RELEASE)
    cells = student["cells"]
    assert "raise NotImplementedError" in cells[2]["source"]
    assert cells[3] == {
        "cell_type": "markdown",
        "metadata": {},
        "source": "*Solution released on 2099-01-01.*",
        "id": nb.cells[3]["id"],
    }
    assert [c["cell_type"] for c in cells[5:]] == ["markdown", "markdown"]
    assert find_solutions(nb, "t.ipynb") == ["cell 4", "cell 6", "cell 7"]


def test_a_ta_version_is_unpublished_before_its_date_and_dated_by_its_student_version():
    ta = neuromatch_tutorial(ta=True)
    listed = {"tutorials/student/W1D1_Tutorial1.ipynb": ("docs/lectures/01.md", "2099-01-01")}
    uri = "tutorials/instructor/W1D1_Tutorial1.ipynb"
    before = _publish(ta, BEFORE, listed=listed, uri=uri)
    assert before.unpublished
    assert before.withheld_until == RELEASE
    assert NM_SOLUTION in "".join(w.text for w in before.withheld)
    after = _publish(ta, AFTER, listed=listed, uri=uri)
    assert not after.unpublished
    assert NM_TA_ONLY in _text(after.notebook)
    assert NM_SOLUTION in _text(after.notebook)


def test_a_ta_version_without_a_date_is_an_error():
    ta = neuromatch_tutorial(ta=True)
    ta.cells = ta.cells[:2]  # no solution cells: still a TA version
    with pytest.raises(SolutionError) as error:
        _publish(ta, BEFORE, listed={}, uri="tutorials/instructor/T.ipynb")
    assert str(error.value) == (
        "docs/tutorials/instructor/T.ipynb: a TA version, but no release date: set "
        "`solutions: YYYY-MM-DD` in the front matter of the lecture that lists it or "
        "metadata.coursebook.solutions in the notebook"
    )


def _otter(*cells) -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_raw_cell(c[4:]) if c.startswith("raw:") else nbformat.v4.new_code_cell(c)
        for c in cells
    ]
    return nb


@pytest.mark.parametrize(
    ("nb", "message"),
    [
        (
            _otter("raw:# BEGIN QUESTION\nname: q1", "raw:# BEGIN SOLUTION", "x = 1"),
            "n.ipynb: cell 2: # BEGIN SOLUTION is never closed "
            "(no raw cell `# END SOLUTION` after it)",
        ),
        (
            _otter("x = 1", "raw:# END SOLUTION"),
            "n.ipynb: cell 2: # END SOLUTION without # BEGIN SOLUTION",
        ),
        (
            _otter("raw:# BEGIN QUESTION", "raw:# BEGIN TESTS", "raw:# END QUESTION"),
            "n.ipynb: cell 3: # END QUESTION without # BEGIN QUESTION "
            "(the tests block begun at cell 2 is open)",
        ),
        (
            _otter("raw:# BEGIN SOLUTION", "x", "raw:# END SOLUTION"),
            "n.ipynb: cell 1: # BEGIN SOLUTION outside a question (no # BEGIN QUESTION before it)",
        ),
        (
            _otter("x = 1\n### BEGIN HIDDEN TESTS\nassert x"),
            "n.ipynb: cell 1, line 2: BEGIN HIDDEN TESTS is never closed",
        ),
        (
            _otter("x = 1\n### END HIDDEN TESTS"),
            "n.ipynb: cell 1, line 2: END HIDDEN TESTS without BEGIN HIDDEN TESTS",
        ),
        (
            _otter("x = 1\n# BEGIN SOLUTION NO PROMPT\ny = 2"),
            "n.ipynb: cell 1, line 2: BEGIN SOLUTION is never closed",
        ),
    ],
    ids=[
        "otter unclosed",
        "otter end without begin",
        "otter crossed",
        "otter outside a question",
        "nbgrader hidden unclosed",
        "nbgrader hidden end only",
        "otter no prompt unclosed",
    ],
)
def test_bad_markers_name_the_file_and_cell(nb, message):
    with pytest.raises(SolutionError) as error:
        _publish(nb, BEFORE, uri="n.ipynb", listed={"n.ipynb": ("l.md", "2099-01-01")})
    assert str(error.value) == f"docs/{message}"


def test_strip_hidden_tests_keeps_what_is_around_the_region():
    text = "a\n### BEGIN HIDDEN TESTS\nb\n### END HIDDEN TESTS\nc\n"
    assert strip_hidden_tests(text, "w") == (
        "a\nc\n",
        [(2, "### BEGIN HIDDEN TESTS\nb\n### END HIDDEN TESTS\n")],
    )


def test_every_secret_is_in_its_fixture():
    """The fixtures hold what the tests look for (else a test of absence proves nothing)."""
    text = _text(nbgrader_problem()) + _text(otter_assignment()) + _text(neuromatch_tutorial())
    for secret in (*NBGRADER_SECRETS, *OTTER_SECRETS, *NEUROMATCH_SECRETS, *ALWAYS_PUBLISHED):
        assert secret in text
    for secret in HIDDEN_TESTS:
        assert secret in text
    assert NB_BLOCK in text
    assert NB_HIDDEN in text


def test_otter_boundaries_may_be_fenced_otter_markdown_cells():
    """otter's other spelling of a boundary cell: a Markdown cell holding one ```otter block."""
    nb = otter_assignment()
    for cell in nb.cells:
        if cell.cell_type == "raw":
            cell.cell_type = "markdown"
            cell.source = f"```otter\n{cell.source}\n```"
    student = student_notebook(nb, "demo.ipynb", RELEASE)
    for secret in (*OTTER_SECRETS, *HIDDEN_TESTS):
        assert secret not in _text(student)
    assert find_solutions(nb, "demo.ipynb") == ["cell 6", "cell 17"]


def test_a_markdown_cell_is_stripped_with_commonmark_fences():
    """Closed by a longer run of backticks: a fence ends there for CommonMark (which renders
    the cell), not for superfences; the solution after it is live and must go."""
    text = "```\nx\n````\n\n??? solution\n    QXCOMMONMARKSOLN\n\n```\n"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text)]
    student = student_notebook(nb, "c.ipynb", RELEASE)
    assert "QXCOMMONMARKSOLN" not in _text(student)
    assert find_solutions(nb, "c.ipynb") == ["cell 1"]


@pytest.mark.parametrize("otter", [True, False])
def test_a_bold_solution_line_is_an_answer_only_in_an_otter_v0_notebook(otter):
    question = "```\nBEGIN QUESTION\nname: q1\nmanual: true\n```" if otter else "Question 1"
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"**Question 1.** Why?\n\n{question}"),
        nbformat.v4.new_markdown_cell("**SOLUTION:** because."),
        nbformat.v4.new_code_cell("## Hidden Test ##\nassert True"),
    ]
    assert find_solutions(nb, "v0.ipynb") == (["cell 2"] if otter else [])
    assert hidden_tests(nb, "v0.ipynb") == ["cell 3"]


def test_strip_code_records_each_withheld_part_at_its_line():
    withheld: list[WithheldText] = []
    source = "a = 1\nb = a + 1  # SOLUTION\n# BEGIN SOLUTION NO PROMPT\nc = 3\n# END SOLUTION\n"
    assert strip_code(source, "x.ipynb: cell 2", withheld) == ("a = 1\nb = ...\n", True)
    assert withheld == [
        WithheldText("x.ipynb: cell 2, line 2", "b = a + 1  # SOLUTION\n"),
        WithheldText(
            "x.ipynb: cell 2, line 3", "# BEGIN SOLUTION NO PROMPT\nc = 3\n# END SOLUTION\n"
        ),
    ]
