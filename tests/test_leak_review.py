"""An adversarial review of the promise that nothing of a solution is published before its date
(issue 20): one fixture course holding every odd way of writing a solution a real course may
use (marker spellings, nested admonitions, notebooks' widget state, titles, files included by a
solution), solutions dated 2099-01-01, and every file of the built site scanned for each
secret. Each secret is written once, in the place its name says."""

from __future__ import annotations

import base64
from pathlib import Path

import jupytext
import nbformat
import pytest
from conftest import texts, where
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
FUTURE = "2099-01-01"
BEFORE = {"COURSEBOOK_TODAY": "2098-12-31", "COURSEBOOK_SOLUTIONS": "auto"}
EXTENSIONS = """\
  - def_list
  - footnotes
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.blocks.details
  - pymdownx.blocks.admonition:
      types: [note, solution]
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.snippets:
      check_paths: true
"""


def lecture(body: str, notebooks: str = "[]", number: int = 1) -> str:
    return (
        f"---\ntitle: Lecture {number}\nlecture: {number}\ndate: 2098-12-01\n"
        f"solutions: {FUTURE}\nnotebooks: {notebooks}\n---\n\n# Lecture {number}\n\n{body}\n"
    )


# --- lecture pages ---------------------------------------------------------------------------

PAGE_SECRETS = {
    "QXQUOTED": "> ??? solution\n>     The answer is QXQUOTED.\n",
    "QXMIXEDTABS": "- An item\n\n    ??? solution\n\t\tThe answer is QXMIXEDTABS.\n",
    "QXINNOTE": "!!! note\n    ??? solution\n        The answer is QXINNOTE.\n",
    "QXINTAB": '=== "A"\n\n    ???+ solution "Tab"\n        The answer is QXINTAB.\n',
    "QXINLIST": '1. An item\n\n    !!! solution "Title"\n        The answer is QXINLIST.\n',
    "QXCAPITAL": "??? Solution\n    The answer is QXCAPITAL.\n",
    "QXINLINEEND": "??? solution inline end\n    The answer is QXINLINEEND.\n",
    "QXTITLE": '!!! solution "QXTITLE"\n    Body.\n',
    "QXNOSPACE": "!!!solution\n    The answer is QXNOSPACE.\n",
    "QXTRAILING": "??? solution   \n    The answer is QXTRAILING.\n",
    "QXBLANKS": "??? solution\n\n\n\n    The answer is QXBLANKS.\n",
    "QXALT": "??? solution\n    ![The answer is QXALT](pic.png)\n",
    "QXINHTML": "<div markdown>\n??? solution\n    The answer is QXINHTML.\n</div>\n",
    "QXCONTINUED": "??? solution\n    First part.\n\n    The answer is QXCONTINUED.\n",
    "QXLISTMARKER": "- !!! solution\n\n        The answer is QXLISTMARKER.\n",
    "QXDEFLIST": "Term\n\n:   !!! solution\n\n        The answer is QXDEFLIST.\n",
    "QXFOOTNOTE": "A claim.[^sol]\n\n[^sol]: !!! solution\n\n        The answer is QXFOOTNOTE.\n",
    "QXBLOCKDETAILS": "/// details | Answer\n    type: solution\n\n"
    "The answer is QXBLOCKDETAILS.\n///\n",
    "QXBLOCKTYPE": "/// solution | Answer\n\nThe answer is QXBLOCKTYPE.\n///\n",
    "QXBLOCKATTRS": "/// admonition | Answer\n    attrs: {class: solution}\n\n"
    "The answer is QXBLOCKATTRS.\n///\n",
    "QXHTMLDIV": '<div class="admonition solution">\n<p class="admonition-title">Solution</p>\n'
    "<div><p>The answer is QXHTMLDIV.</p></div>\n</div>\n",
    "QXHTMLDETAILS": '<details class="solution" markdown>\n<summary>Answer</summary>\n\n'
    "The answer is QXHTMLDETAILS.\n\n</details>\n",
}
# A page written with Windows line ends and tabs.
CRLF_SECRET = "QXCRLF"
CRLF_PAGE = (
    lecture(f"??? solution\r\n\tThe answer is {CRLF_SECRET}.\r\n", number=2)
    .replace("\n", "\r\n")
    .replace("\r\r\n", "\r\n")
)
# A solution that includes a code file kept under docs/, and one that links a data file there.
INCLUDED_PY = "QXINCLUDEDPY"
LINKED_CSV = "QXLINKEDCSV"
FILE_ROUTES = (
    '??? solution\n    ```python\n    --8<-- "code/sol.py"\n    ```\n\n'
    "??? solution\n    The data: [answer.csv](../solutions/answer.csv)\n"
)

# --- notebooks --------------------------------------------------------------------------------

WIDGET = "QXWIDGET"  # a Label displayed by a solution cell: its state in metadata.widgets
PRINTED = "QXPRINTED"  # computed by a solution, printed by a later cell
IMAGE_BYTES = b"\x89PNG\r\n\x1a\nQXIMAGEBYTES-the-answer-plot"
# a display_data image of a solution cell (tagged `Solution`, capitalised)
IMAGE = base64.b64encode(IMAGE_BYTES).decode()
NB_TITLE = "QXNBTITLE"  # the notebook's first heading, in a solution Markdown cell
NB_QUOTED = "QXNBQUOTED"  # an admonition in a blockquote, in a Markdown cell
SHORT_LINE = "q=1/x"  # a solution line shorter than quoted.py's MIN_QUOTED, in a traceback
NB_RAW = "QXNBRAW"  # an admonition in a raw cell of format text/markdown
NB_LIST = "QXNBLIST"  # `- !!! solution`, in a Markdown cell
NB_DETAILS = "QXNBDETAILS"  # <details class="solution">, in a Markdown cell
NB_CRLF = "QXNBCRLF"  # nbgrader block with Windows line ends
NB_NOSPACE = "QXNBNOSPACE"  # `###BEGIN SOLUTION`
NB_TO_REMOVE = "QXNBTOREMOVE"  # Neuromatch, with its output
# Jupyter's .ipynb_checkpoints/ and exclude_docs: neither published nor read (no date needed)
CHECKPOINT = "QXCHECKPOINT"
EXCLUDED = "QXEXCLUDED"
TA = "QXTAVERSION"  # the TA version of a pair
NOT_LISTED = "QXNOTLISTED"  # a notebook no lecture lists, dated by its own metadata

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
# A notebook's title is its first heading: here, each time, inside a solution.
TITLE_NOTEBOOKS = {
    "title1": "!!! solution\n    # QXADMTITLE\n",
    "title2": "### BEGIN SOLUTION\n# QXBEGINTITLE\n### END SOLUTION\n",
    "title3": '<details class="solution">\n\n# QXDETAILSTITLE\n\n</details>\n',
}
WIDGET_ID = "0123456789abcdef0123456789abcdef"
BOX_ID = "1123456789abcdef0123456789abcdef"
SHOWN_ID = "2123456789abcdef0123456789abcdef"


def adversary_notebook() -> str:
    nb = new_notebook()
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "version_major": 2,
            "version_minor": 0,
            "state": {
                WIDGET_ID: {
                    "model_name": "LabelModel",
                    "model_module": "@jupyter-widgets/controls",
                    "model_module_version": "2.0.0",
                    "state": {"value": f"The answer is {WIDGET}"},
                },
                # A box and its label, shown by a cell that is no solution: kept.
                BOX_ID: {
                    "model_name": "HBoxModel",
                    "model_module": "@jupyter-widgets/controls",
                    "model_module_version": "2.0.0",
                    "state": {"children": [f"IPY_MODEL_{SHOWN_ID}"]},
                },
                SHOWN_ID: {
                    "model_name": "LabelModel",
                    "model_module": "@jupyter-widgets/controls",
                    "model_module_version": "2.0.0",
                    "state": {"value": "A label shown to students"},
                },
            },
        }
    }
    title = new_markdown_cell(f"# {NB_TITLE}\n\nThe answer, as a heading.")
    title.metadata["tags"] = ["solution"]
    widget = new_code_cell(
        "import ipywidgets\nipywidgets.Label('The answer is ' + 'QX' + 'WIDGET')",
        outputs=[
            new_output(
                "display_data",
                data={
                    "text/plain": "Label()",
                    "application/vnd.jupyter.widget-view+json": {
                        "version_major": 2,
                        "version_minor": 0,
                        "model_id": WIDGET_ID,
                    },
                },
            )
        ],
    )
    widget.metadata["tags"] = ["solution"]
    shown = new_code_cell(
        "ipywidgets.HBox([ipywidgets.Label('A label shown to students')])",
        outputs=[
            new_output(
                "display_data",
                data={
                    "text/plain": "HBox()",
                    "application/vnd.jupyter.widget-view+json": {
                        "version_major": 2,
                        "version_minor": 0,
                        "model_id": BOX_ID,
                    },
                },
            )
        ],
    )
    # The value only: nothing of the line's text is in the output.
    computed = new_code_cell("answer = ''.join(reversed('DETNIRPXQ'))  # SOLUTION")
    printed = new_code_cell(
        "print(answer)", outputs=[new_output("stream", name="stdout", text=f"{PRINTED}\n")]
    )
    plot = new_code_cell(
        "plot_the_answer()",
        outputs=[new_output("display_data", data={"image/png": IMAGE, "text/plain": "<Figure>"})],
    )
    plot.metadata["tags"] = ["Solution"]  # capitalised
    quoted = new_markdown_cell(f"> ??? solution\n>     The answer is {NB_QUOTED}.\n")
    crlf = new_code_cell(
        f"### BEGIN SOLUTION\r\nx = '{NB_CRLF}'\r\n### END SOLUTION\r\n", outputs=[]
    )
    nospace = new_code_cell(f"###BEGIN SOLUTION\ny = '{NB_NOSPACE}'\n###END SOLUTION\n")
    exercise = new_code_cell("def f(x):\n    raise NotImplementedError('exercise')")
    to_remove = new_code_cell(
        "# to_remove solution\ndef f(x):\n    return x + 1\nprint(f(1))",
        outputs=[new_output("stream", name="stdout", text=f"{NB_TO_REMOVE}\n")],
    )
    in_list = new_markdown_cell(f"- !!! solution\n\n      The answer is {NB_LIST}.\n")
    details = new_markdown_cell(
        f'<details class="solution">\n<summary>Answer</summary>\n\n{NB_DETAILS}\n\n</details>\n'
    )
    short = new_code_cell(
        "def inverse(x):\n    ### BEGIN SOLUTION\n    q=1/x\n    ### END SOLUTION\n    return q"
    )
    gutter = "\x1b[0;32m----> 3\x1b[0m     "
    # IPython colours the quoted line, `=` among its operators.
    coloured = SHORT_LINE.replace("=", "\x1b[38;5;241m=\x1b[39m")
    failing = new_code_cell(
        "inverse(0)",
        outputs=[
            new_output(
                "error",
                ename="ZeroDivisionError",
                evalue="division by zero",
                traceback=[
                    "\x1b[0;31mZeroDivisionError\x1b[0m  Traceback (most recent call last)",
                    "Cell \x1b[0;32mIn[5], line 3\x1b[0m, in \x1b[0;36minverse\x1b[0;34m(x)\n"
                    f"{gutter}{coloured}\n"
                    "\x1b[1;32m      4\x1b[0m     \x1b[38;5;66;03m### END SOLUTION\x1b[39;00m\n",
                    "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero",
                ],
            )
        ],
    )
    raw = nbformat.v4.new_raw_cell(f"!!! solution\n    The answer is {NB_RAW}.\n")
    raw.metadata["format"] = "text/markdown"
    nb.cells = [
        raw,
        short,
        failing,
        in_list,
        details,
        title,
        widget,
        shown,
        computed,
        printed,
        plot,
        quoted,
        crlf,
        nospace,
        exercise,
        to_remove,
    ]
    return nbformat.writes(nb)


PAIRS = [(".jl", "QXJULIAPAIR", "ipynb,jl:percent", "julia")]


def pair_notebook(secret: str, formats: str, language: str):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": language, "display_name": language, "language": language}
    nb.metadata["jupytext"] = {"formats": formats}
    nb.cells = [new_markdown_cell("# A pair"), new_code_cell(f'x = "{secret}"  # SOLUTION')]
    return nb


def solution_notebook(secret: str, **coursebook) -> str:
    nb = new_notebook()
    nb.metadata["kernelspec"] = KERNEL
    if coursebook:
        nb.metadata["coursebook"] = coursebook
    nb.cells = [
        new_markdown_cell("# A notebook"),
        new_code_cell(f"x = '{secret}'  # SOLUTION"),
        new_markdown_cell(f"Not a solution: plain-{secret.lower()}"),
    ]
    return nbformat.writes(nb)


@pytest.fixture(scope="module")
def adversary(module_fixture_site):
    site = module_fixture_site(
        "timezone: America/New_York\nnotebooks:\n  execute: false", custom_dir="overrides"
    )
    # The course's own source partial: mkdocs-material's asks api.github.com for the star
    # count, which a handout (printed offline) refuses.
    site.write(
        "overrides/partials/source.html", (ROOT / "overrides/partials/source.html").read_text()
    )
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text() + EXTENSIONS + "exclude_docs: |\n  private/\n", encoding="utf-8"
    )
    body = "\n".join(
        f"## Route {n}\n\n{text}\nAfter route {n}.\n"
        for n, text in enumerate(PAGE_SECRETS.values())
    )
    site.write(
        "docs/lectures/01.md",
        lecture(
            body + "\n## Files\n\n" + FILE_ROUTES,
            notebooks="[notebooks/adversary.ipynb, notebooks/student/tutorial.ipynb, "
            "notebooks/title1.ipynb, notebooks/title2.ipynb, notebooks/title3.ipynb, "
            "notebooks/julia.ipynb]",
        ),
    )
    (site.root / "docs/lectures/02.md").write_bytes(CRLF_PAGE.encode())
    site.write("docs/lectures/pic.png", IMAGE_BYTES)
    site.write("docs/code/sol.py", f"answer = '{INCLUDED_PY}'\n")
    site.write("docs/solutions/answer.csv", f"x,y\n1,{LINKED_CSV}\n")
    site.write("docs/notebooks/adversary.ipynb", adversary_notebook())
    site.write(
        "docs/notebooks/.ipynb_checkpoints/adversary-checkpoint.ipynb",
        solution_notebook(CHECKPOINT),
    )
    site.write("docs/private/excluded.ipynb", solution_notebook(EXCLUDED))
    site.write("docs/notebooks/student/tutorial.ipynb", solution_notebook("QXSTUDENT"))
    site.write(
        "docs/notebooks/ta/tutorial.ipynb",
        solution_notebook(TA, student_version="../student/tutorial.ipynb"),
    )
    site.write("docs/notebooks/extra.ipynb", solution_notebook(NOT_LISTED, solutions=FUTURE))
    # Jupytext pairs a course may keep: a Julia notebook's .jl, and a .py in another folder
    # (jupytext's prefix formats), each with the solution.
    for suffix, secret, formats, language in PAIRS:
        nb = pair_notebook(secret, formats, language)
        site.write(
            f"docs/notebooks/julia{suffix}", jupytext.writes(nb, fmt=f"{suffix[1:]}:percent")
        )
        site.write("docs/notebooks/julia.ipynb", nbformat.writes(nb))
    for name, heading in TITLE_NOTEBOOKS.items():
        nb = new_notebook(metadata={"kernelspec": KERNEL})
        nb.cells = [new_markdown_cell(heading), new_markdown_cell("# Second heading")]
        site.write(f"docs/notebooks/{name}.ipynb", nbformat.writes(nb))
    return site


@pytest.fixture(scope="module")
def adversary_before(adversary):
    build = adversary.build(env=BEFORE, site="site-before")
    assert build.returncode == 0, build.log
    return build


def leak(secret: str, reason: str):
    return pytest.param(secret, marks=pytest.mark.xfail(strict=True, reason=reason))


SECRETS = [
    *PAGE_SECRETS,
    CRLF_SECRET,
    INCLUDED_PY,
    leak(
        LINKED_CSV,
        "a data file under docs/ linked only from a withheld solution is copied to the site: "
        "the build cannot tell an answer's data from a notebook's input (solutions.md makes it "
        "the course's to keep such files out of docs/, or to include them in the solution)",
    ),
    WIDGET,
    leak(
        PRINTED,
        "a later cell's output computed from the solution (print(answer), a plot of the fitted "
        "model) is published: the page shows the outputs of the source's run, which had the "
        "solutions (README: 'the other cells keep theirs'); closing it needs the student "
        "version executed on its own, or outputs after a solution withheld: a design choice",
    ),
    IMAGE,
    NB_TITLE,
    NB_QUOTED,
    NB_LIST,
    NB_DETAILS,
    SHORT_LINE,
    NB_RAW,
    *(secret for _suffix, secret, _formats, _language in PAIRS),
    "QXADMTITLE",
    "QXBEGINTITLE",
    "QXDETAILSTITLE",
    NB_CRLF,
    NB_NOSPACE,
    NB_TO_REMOVE,
    CHECKPOINT,
    "plain-" + CHECKPOINT.lower(),
    EXCLUDED,
    "plain-" + EXCLUDED.lower(),
    TA,
    NOT_LISTED,
    "QXSTUDENT",
]


@pytest.mark.parametrize("secret", SECRETS)
def test_no_secret_is_published_before_its_date(adversary_before, secret):
    assert where(adversary_before.site, secret) == []


def test_every_route_left_its_note_and_the_page_around_it(adversary_before):
    """The scan above passes trivially if the pages are not built: each route's block is
    replaced by its note, and the text after it stays."""
    page = adversary_before.html("lectures/01/index.html")
    text = page.get_text()
    notes = text.count(f"Solution released on {FUTURE}.")
    assert notes == len(PAGE_SECRETS) + 2
    for number in range(len(PAGE_SECRETS)):
        assert f"After route {number}." in text
    assert (
        f"Solution released on {FUTURE}."
        in adversary_before.html("lectures/02/index.html").get_text()
    )
    notebook = adversary_before.html("notebooks/adversary/index.html").get_text()
    assert "[solution withheld]" in notebook
    assert "ZeroDivisionError: division by zero" in notebook
    assert notebook.count(f"Solution released on {FUTURE}.") == 5  # Markdown and to_remove


# --- a site whose fences are not superfences' -------------------------------------------------

NO_SUPERFENCES = "QXNOSUPERFENCES"  # a fence in a site without superfences is no fence
FENCED_CODE = "QXFENCEDCODE"  # Python-Markdown's fenced_code: an indented fence is no fence


@pytest.mark.parametrize(
    ("extensions", "body", "secret"),
    [
        ("", f"```text\n!!! solution\n    The answer is {NO_SUPERFENCES}.\n```\n", NO_SUPERFENCES),
        (
            "  - fenced_code\n",
            f"- An item\n\n    ```text\n    !!! solution\n        {FENCED_CODE}\n    ```\n",
            FENCED_CODE,
        ),
    ],
)
def test_a_fence_the_site_does_not_render_as_code_hides_no_solution(
    fixture_site, extensions, body, secret
):
    site = fixture_site("timezone: America/New_York")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text() + extensions, encoding="utf-8")
    site.write("docs/lectures/01.md", lecture(body))
    build = site.build(env=BEFORE)
    assert build.returncode == 0, build.log
    assert where(build.site, secret) == []
    assert "Solution released on 2099-01-01." in build.html("lectures/01/index.html").get_text()


def test_the_student_notebook_keeps_the_widgets_its_outputs_show(adversary_before):
    """Only the solution's widget goes from the saved state: the box another cell shows and
    the label in it stay, in the download and on the page."""
    download = nbformat.reads(
        (adversary_before.site / "notebooks/adversary.ipynb").read_text(), as_version=4
    )
    state = download.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    assert set(state) == {BOX_ID, SHOWN_ID}
    page = adversary_before.html("notebooks/adversary/index.html")
    assert "A label shown to students" in page.get_text()


def test_a_file_a_solution_includes_is_published_with_it_on_the_day(adversary, adversary_before):
    build = adversary.build(env={**BEFORE, "COURSEBOOK_TODAY": FUTURE}, site="site-on-the-day")
    assert build.returncode == 0, build.log
    assert (build.site / "code/sol.py").read_text() == f"answer = '{INCLUDED_PY}'\n"
    assert INCLUDED_PY in build.html("lectures/01/index.html").get_text()
    # A Julia pair is the notebook: published with it on its day.
    assert "QXJULIAPAIR" in (build.site / "notebooks/julia.jl").read_text()


# --- routes around the build -------------------------------------------------------------------


def ta_course(site) -> None:
    site.write(
        "docs/lectures/01.md", lecture("Tutorial.", notebooks="[notebooks/student/tutorial.ipynb]")
    )
    site.write("docs/notebooks/student/tutorial.ipynb", solution_notebook("QXSTUDENT"))
    site.write(
        "docs/notebooks/ta/tutorial.ipynb",
        solution_notebook(TA, student_version="../student/tutorial.ipynb"),
    )


def test_a_ta_version_in_the_nav_is_not_published_before_its_date(fixture_site):
    """The TA notebook named in `nav:` (as a course lists its tutorials): the nav entry cannot
    make the page exist, and a strict build says the nav names a file it does not have."""
    site = fixture_site("timezone: America/New_York\nnotebooks:\n  execute: false")
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text()
        + "nav:\n  - index.md\n  - lectures/01.md\n  - notebooks/student/tutorial.ipynb\n"
        + "  - TA: notebooks/ta/tutorial.ipynb\n",
        encoding="utf-8",
    )
    ta_course(site)
    build = site.build(env=BEFORE, strict=False)
    assert build.returncode == 0, build.log
    assert where(build.site, TA) == []
    assert "plain-qxtaversion" not in "".join(texts(build.site).values())


@pytest.mark.parametrize("value", ["SHOW", "true", "1", "yes"])
def test_a_solutions_view_other_than_show_hide_auto_stops_the_build(fixture_site, value):
    site = fixture_site("timezone: America/New_York\nnotebooks:\n  execute: false")
    ta_course(site)
    build = site.build(env={**BEFORE, "COURSEBOOK_SOLUTIONS": value})
    assert build.returncode == 1
    assert f"COURSEBOOK_SOLUTIONS: expected show, hide or auto, got {value!r}" in build.log
    assert not (build.site / "notebooks/ta/tutorial.ipynb").exists()


def test_a_solution_on_a_page_that_is_no_lecture_is_withheld(fixture_site):
    """A page outside lectures/ has no release date: its solutions are left out, and a strict
    build says so."""
    site = fixture_site("timezone: America/New_York")
    site.write("docs/exercises.md", "# Exercises\n\n??? solution\n    The answer is QXNOLECTURE.\n")
    build = site.build(env=BEFORE, strict=False)
    assert build.returncode == 0, build.log
    assert where(build.site, "QXNOLECTURE") == []
    strict = site.build(env=BEFORE, site="site-strict")
    assert strict.returncode == 1
    assert "exercises.md: 1 solution admonition(s) but no release date" in strict.log


def test_no_secret_is_in_the_handouts_before_its_date(adversary_before, browser, tmp_path):
    """The lecture's handout and slides PDFs and the notebook's handout, printed as `make
    handouts` prints them (present/handouts.py), as text."""
    import shutil

    from coursebook.present.handouts import Handout, SlideDeck, make_handouts
    from pypdf import PdfReader

    site = tmp_path / "site"
    shutil.copytree(adversary_before.site, site)
    make_handouts(
        site,
        [
            Handout("Lecture 1", "lectures/01/", "lecture.pdf"),
            Handout("Notebook", "notebooks/adversary/", "notebook.pdf"),
        ],
        decks=[SlideDeck("Lecture 1", "docs/lectures/01.md", "lectures/01/slides/", "s.pdf")],
        browser=browser,
        log=lambda message: None,
    )
    printed = {
        name: "\n".join(page.extract_text() for page in PdfReader(site / "handouts" / name).pages)
        for name in ("lecture.pdf", "notebook.pdf", "s.pdf")
    }
    assert "After route 3." in printed["lecture.pdf"]
    assert "A label shown to students" in printed["notebook.pdf"]
    assert "Route 3" in printed["s.pdf"]
    leaked = {
        secret: [name for name, text in printed.items() if secret in text]
        for secret in SECRETS
        if isinstance(secret, str)
    }
    assert {secret: names for secret, names in leaked.items() if names} == {}


def test_a_short_solution_line_is_redacted_only_where_a_traceback_quotes_it_whole():
    from coursebook.course.quoted import MARK, quoted_lines, redact_quoted

    quoted = quoted_lines(["    q=1/x\n    pass\n"])
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "source": "run()",
                "outputs": [
                    {
                        "output_type": "stream",
                        "name": "stdout",
                        "text": "----> 3     q=1/x\n    q=1/x\nfreq=1/x\n    pass\n",
                    }
                ],
            }
        ]
    }
    assert redact_quoted(nb, quoted) == [1]
    assert nb["cells"][0]["outputs"][0]["text"] == (
        f"----> 3     {MARK}\n    {MARK}\nfreq=1/x\n    pass\n"
    )


@pytest.mark.parametrize(
    ("text", "count", "kept"),
    [
        ('<div class="solution-hint">\nA hint.\n</div>\n', 0, "A hint."),
        ("/// details | Hint\n    type: tip\n\nA hint.\n///\n", 0, "A hint."),
        (
            "//// details | S\n    type: solution\n\n/// note\nY\n///\nAnswer.\n////\nAfter.\n",
            1,
            "After.",
        ),
        (
            '<details class="solution">\n<details><summary>Inner</summary>\nX\n</details>\n'
            "Y\n</details>\nAfter.\n",
            1,
            "After.",
        ),
        ("- !!! solution\n\n        Answer.\n- Next item.\n", 1, "- Next item."),
        ("Term\n\n:   !!! solution\n\n        Answer.\n\nAfter.\n", 1, "After."),
    ],
)
def test_html_and_container_solutions_end_where_their_block_does(text, count, kept):
    from coursebook.course.solutions import strip_admonitions

    stripped, found = strip_admonitions(text, None)
    assert found == count
    assert kept in stripped
    assert "Answer." not in stripped
    assert "Y\n" not in stripped


def test_a_pair_in_another_folder_is_one_notebook(fixture_site):
    site = fixture_site("timezone: America/New_York\nnotebooks:\n  execute: false")
    """jupytext's prefix formats: docs/notebooks/x.ipynb and docs/scripts/x.py are one notebook,
    withheld together, published together on the day."""
    nb = pair_notebook("QXPREFIXPAIR", "notebooks///ipynb,scripts///py:percent", "python")
    site.write("docs/lectures/01.md", lecture("Pair.", notebooks="[notebooks/prefixed.ipynb]"))
    site.write("docs/notebooks/prefixed.ipynb", nbformat.writes(nb))
    site.write("docs/scripts/prefixed.py", jupytext.writes(nb, fmt="py:percent"))
    build = site.build(env=BEFORE)
    assert build.returncode == 0, build.log
    assert where(build.site, "QXPREFIXPAIR") == []
    assert not (build.site / "scripts/prefixed.py").exists()
    after = site.build(env={**BEFORE, "COURSEBOOK_TODAY": FUTURE}, site="site-on-the-day")
    assert after.returncode == 0, after.log
    assert "QXPREFIXPAIR" in (after.site / "scripts/prefixed.py").read_text()


def test_every_script_jupytext_writes_is_a_pair_suffix():
    from coursebook.notebooks.notebook import SCRIPT_SUFFIXES
    from jupytext.languages import _SCRIPT_EXTENSIONS

    assert set(SCRIPT_SUFFIXES) == set(_SCRIPT_EXTENSIONS)


@pytest.mark.parametrize(
    ("options", "setting", "folder"),
    [
        ("notebooks:\n  cache_dir: docs/cache", "notebooks.cache_dir", "docs/cache"),
        ("cache_dir: docs/coursebook-cache", "cache_dir", "docs/coursebook-cache"),
    ],
)
def test_a_cache_inside_docs_stops_the_build(fixture_site, options, setting, folder):
    """The execution cache holds every cell's outputs, the solutions' among them: in docs/,
    the next build published them (`cache/<key>.json`)."""
    site = fixture_site("timezone: America/New_York\n" + options)
    build = site.build(env=BEFORE)
    assert build.returncode == 1
    assert (
        f"mkdocs.yml: plugins.coursebook.{setting}: {site.root / folder} is inside docs/, whose "
        "files are published: the cache holds the notebooks' outputs, solutions included. Put "
        "it outside docs/ (the default is under .cache/)"
    ) in build.log


@pytest.mark.parametrize("first", [True, False])
def test_a_course_that_keeps_mkdocs_jupyter_publishes_no_solution(fixture_site, first):
    """mkdocs-jupyter (the plugin many courses come from) renders every .ipynb itself."""
    site = fixture_site("timezone: America/New_York\nnotebooks:\n  execute: false")
    config = site.root / "mkdocs.yml"
    text = config.read_text()
    if first:
        text = text.replace("  - search\n", "  - search\n  - mkdocs-jupyter\n")
    else:
        text = text.replace("markdown_extensions:", "  - mkdocs-jupyter\nmarkdown_extensions:")
    config.write_text(text, encoding="utf-8")
    site.write("docs/lectures/01.md", lecture("Run.", notebooks="[notebooks/hw.ipynb]"))
    site.write("docs/notebooks/hw.ipynb", solution_notebook("QXJUPYTERPLUGIN"))
    build = site.build(env=BEFORE, strict=False)
    assert where(build.site, "QXJUPYTERPLUGIN") == [], build.log


def test_an_include_of_a_script_holding_solution_markers_stops_the_build(fixture_site):
    """A helper script under docs/ (no cell markers, listed by no lecture: a plain file) that
    holds nbgrader/otter solution markers, included in a page to show the starter code and
    offered for download."""
    site = fixture_site("timezone: America/New_York\nnotebooks:\n  execute: false")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text() + EXTENSIONS, encoding="utf-8")
    site.write(
        "docs/code/starter.py",
        "def norm(v):\n    # BEGIN SOLUTION\n    return 'QXSTARTER'\n    # END SOLUTION\n",
    )
    site.write(
        "docs/lectures/01.md",
        lecture(
            'Starter code:\n\n```python\n--8<-- "code/starter.py"\n```\n\n'
            "[Download](../code/starter.py)\n"
        ),
    )
    build = site.build(env=BEFORE, strict=False)
    assert build.returncode == 1
    assert (
        "docs/lectures/01.md: an include brings `BEGIN SOLUTION` into the page, and its solution "
        "would be published: include the file inside a `??? solution` block, or include one "
        "without the solution"
    ) in build.log
    assert where(build.site, "QXSTARTER") == []


def test_a_plain_script_holding_solution_markers_is_withheld_with_a_warning(fixture_site):
    site = fixture_site("timezone: America/New_York\nnotebooks:\n  execute: false")
    site.write(
        "docs/code/starter.py",
        "def norm(v):\n    # BEGIN SOLUTION\n    return 'QXSTARTER'\n    # END SOLUTION\n",
    )
    build = site.build(env=BEFORE, strict=False)
    assert build.returncode == 0, build.log
    assert where(build.site, "QXSTARTER") == []
    assert (
        "docs/code/starter.py: line 2: BEGIN SOLUTION in a file that is no notebook: not "
        "published (make it a notebook a lecture lists, or keep it outside docs/)"
    ) in build.log
    assert site.build(env=BEFORE, site="site-strict").returncode == 1
