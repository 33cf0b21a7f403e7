"""Fixture notebooks shaped like the grading tools' own examples: nbgrader's `source/ps1`
problem (solution cells, autograder tests with hidden tests, a read-only cell), otter-grader's
assignment format (raw boundary cells, `# SOLUTION` forms, public and hidden test cells, a
written answer), and a Neuromatch tutorial with its TA version. Each secret is a marker string
that appears nowhere else in the fixtures."""

from __future__ import annotations

import nbformat
from notebook_fixtures import png

# nbgrader
NB_SOLUTION_CELL = "QXNBWHOLESOLN"  # a solution cell without BEGIN/END: all of it is the answer
NB_BLOCK = "QXNBBLOCKSOLN"  # inside ### BEGIN SOLUTION
NB_HIDDEN = "QXNBHIDDENTEST"  # inside ### BEGIN HIDDEN TESTS
NB_MARKDOWN = "QXNBMDSOLN"  # a Markdown solution cell (a written answer)
NB_PUBLIC_TEST = "QXNBPUBLICTEST"  # a visible test: always published
NB_LOCKED = "QXNBLOCKED"  # a read-only cell: always published
# otter-grader
OT_LINE = "QXOTLINESOLN"  # `# SOLUTION`
OT_NO_PROMPT = "QXOTNOPROMPTSOLN"  # `# SOLUTION NO PROMPT`
OT_BLOCK_NO_PROMPT = "QXOTBLOCKNPSOLN"  # `# BEGIN SOLUTION NO PROMPT`
OT_PROMPT = "QXOTPROMPTTEXT"  # between `# BEGIN PROMPT` and `# END PROMPT`: always published
OT_ANSWER = "QXOTANSWERSOLN"  # a Markdown answer in a solution block
OT_HIDDEN = "QXOTHIDDENTEST"  # a `# HIDDEN` test cell
OT_HIDDEN_CONFIG = "QXOTHIDDENCFGTEST"  # a test cell whose config says hidden: true
OT_PUBLIC_TEST = "QXOTPUBLICTEST"  # a public test cell: always published
# An image attached to a Markdown answer: its base64 payload.
OT_ATTACHED = png(seed=7)
# Neuromatch
NM_SOLUTION = "QXNMSOLUTION"  # `# to_remove solution`
NM_EXPLANATION = "QXNMEXPLANATION"  # `# to_remove explanation` (code)
NM_MD_EXPLANATION = "QXNMMDEXPLANATION"  # `# to_remove explanation` (Markdown)
NM_EXERCISE = "QXNMEXERCISE"  # the exercise: always published
NM_TA_ONLY = "QXNMTAONLY"  # only in the TA version

NBGRADER_SECRETS = (NB_SOLUTION_CELL, NB_BLOCK, NB_MARKDOWN)
OTTER_SECRETS = (OT_LINE, OT_NO_PROMPT, OT_BLOCK_NO_PROMPT, OT_ANSWER, OT_ATTACHED)
NEUROMATCH_SECRETS = (NM_SOLUTION, NM_EXPLANATION, NM_MD_EXPLANATION)
HIDDEN_TESTS = (NB_HIDDEN, OT_HIDDEN, OT_HIDDEN_CONFIG)
ALWAYS_PUBLISHED = (NB_PUBLIC_TEST, NB_LOCKED, OT_PROMPT, OT_PUBLIC_TEST, NM_EXERCISE)

KERNEL = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}


def _nbgrader(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def nbgrader_problem() -> dict:
    """Like nbgrader's documented `ps1/problem1.ipynb`: squares, its tests, a written answer."""
    nb = nbformat.v4.new_notebook(metadata=dict(KERNEL))
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "For this problem set, we'll be using the Jupyter notebook.",
            metadata=_nbgrader("jupyter", locked=True) | {"deletable": False},
        ),
        nbformat.v4.new_code_cell(
            f"# {NB_LOCKED}\nimport math", metadata=_nbgrader("imports", locked=True)
        ),
        nbformat.v4.new_markdown_cell("## Part A\n\nWrite `squares(n)`."),
        nbformat.v4.new_code_cell(
            'def squares(n):\n    """Compute the squares of numbers from 1 to n."""\n'
            "    ### BEGIN SOLUTION\n"
            f"    # {NB_BLOCK}\n"
            "    if n < 1:\n        raise ValueError\n"
            "    return [i ** 2 for i in range(1, n + 1)]\n"
            "    ### END SOLUTION",
            metadata=_nbgrader("squares", solution=True),
        ),
        nbformat.v4.new_code_cell(
            '"""Check that squares returns the correct output for several inputs"""\n'
            f"# {NB_PUBLIC_TEST}\n"
            "assert squares(1) == [1]\n"
            "### BEGIN HIDDEN TESTS\n"
            f"# {NB_HIDDEN}\n"
            "assert squares(10) == [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]\n"
            "### END HIDDEN TESTS",
            metadata=_nbgrader("correct_squares", grade=True, points=1),
        ),
        nbformat.v4.new_code_cell(
            f"def sum_of_squares(n):\n    return sum(squares(n))  # {NB_SOLUTION_CELL}",
            metadata=_nbgrader("sum_of_squares", solution=True),
        ),
        nbformat.v4.new_markdown_cell(
            f"The sum grows as $n^3/3$ ({NB_MARKDOWN}).",
            metadata=_nbgrader("sum_explanation", solution=True, grade=True, points=2),
        ),
    ]
    return nb


def _raw(text: str) -> dict:
    return nbformat.v4.new_raw_cell(text)


def otter_assignment() -> dict:
    """Like otter-grader's v1 demo notebook: assignment config, an autograded question with
    public and hidden tests, and a manually graded written question."""
    nb = nbformat.v4.new_notebook(metadata=dict(KERNEL))
    answer = nbformat.v4.new_markdown_cell(
        f"**Answer:** the square grows fastest ({OT_ANSWER}).\n\n![plot](attachment:plot.png)"
    )
    answer["attachments"] = {"plot.png": {"image/png": OT_ATTACHED}}
    nb.cells = [
        _raw("# ASSIGNMENT CONFIG\ninit_cell: false\nexport_cell: false"),
        nbformat.v4.new_markdown_cell("# Otter-Assign Demo"),
        _raw("# BEGIN QUESTION\nname: q1\npoints: 2"),
        nbformat.v4.new_markdown_cell("**Question 1:** Write `square` and compute `nine`."),
        _raw("# BEGIN SOLUTION"),
        nbformat.v4.new_code_cell(
            "def square(x):\n"
            f"    y = x * x if '{OT_NO_PROMPT}' else 0  # SOLUTION NO PROMPT\n"
            f"    return y or '{OT_LINE}'  # SOLUTION\n"
            "\n"
            "def circumference(r):\n"
            "    # BEGIN SOLUTION NO PROMPT\n"
            f"    return 2 * 3.14 * r  # {OT_BLOCK_NO_PROMPT}\n"
            "    # END SOLUTION\n"
            '    """ # BEGIN PROMPT\n'
            f"    # {OT_PROMPT}: define a circumference function.\n"
            "    pass\n"
            '    """; # END PROMPT\n'
            "\n"
            "nine = square(3)"
        ),
        _raw("# END SOLUTION"),
        _raw("# BEGIN TESTS"),
        nbformat.v4.new_code_cell(f"# {OT_PUBLIC_TEST}\nsquare(1) == 1"),
        nbformat.v4.new_code_cell(f"# HIDDEN\n# {OT_HIDDEN}\nsquare(10) == 100"),
        nbformat.v4.new_code_cell(
            '""" # BEGIN TEST CONFIG\nhidden: true\npoints: 1\n""" # END TEST CONFIG\n'
            f"# {OT_HIDDEN_CONFIG}\nsquare(0) == 0"
        ),
        _raw("# END TESTS"),
        _raw("# END QUESTION"),
        _raw("# BEGIN QUESTION\nname: q2\nmanual: true"),
        nbformat.v4.new_markdown_cell("**Question 2:** Which grows fastest?"),
        _raw("# BEGIN SOLUTION"),
        answer,
        _raw("# END SOLUTION"),
        _raw("# END QUESTION"),
    ]
    return nb


def neuromatch_tutorial(ta: bool = False) -> dict:
    """Like a Neuromatch Academy tutorial: an exercise that raises NotImplementedError, its
    `# to_remove solution` cell, a discussion answered by `# to_remove explanation` cells. Its
    TA version (`ta=True`) declares the student version and adds a TA-only note."""
    nb = nbformat.v4.new_notebook(metadata=dict(KERNEL))
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tutorial 1: Linear regression"),
        nbformat.v4.new_markdown_cell("## Coding Exercise 1: compute the MSE"),
        nbformat.v4.new_code_cell(
            "def mse(x, y, theta_hat):\n"
            f'    """{NM_EXERCISE}"""\n'
            "    ####################################################\n"
            "    ## TODO for students: compute the mean squared error\n"
            '    raise NotImplementedError("Student exercise: compute the MSE")\n'
            "    ####################################################\n"
            "    y_hat = ...\n"
            "    return ...\n"
        ),
        nbformat.v4.new_code_cell(
            "# to_remove solution\n"
            "def mse(x, y, theta_hat):\n"
            f"    # {NM_SOLUTION}\n"
            "    y_hat = theta_hat * x\n"
            "    return ((y - y_hat) ** 2).mean()\n"
        ),
        nbformat.v4.new_markdown_cell("### Think! 1: Why the square?"),
        nbformat.v4.new_code_cell(
            f'# to_remove explanation\n"""\nLarge errors weigh more ({NM_EXPLANATION}).\n"""'
        ),
        nbformat.v4.new_markdown_cell(
            f"# to_remove explanation\n\nThe mean keeps it comparable ({NM_MD_EXPLANATION})."
        ),
    ]
    if ta:
        nb.cells.insert(1, nbformat.v4.new_markdown_cell(f"TA note: {NM_TA_ONLY}"))
        nb.metadata["coursebook"] = {"student_version": "../student/W1D1_Tutorial1.ipynb"}
    return nb
