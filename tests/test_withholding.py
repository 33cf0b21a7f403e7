"""The plain functions behind the leak routes (issue 20): what was withheld, outputs quoting
it, the release date of a notebook listed twice, includes, text notebook formats, the
solutions view a --dirty build compares."""

from __future__ import annotations

import datetime as dt

import nbformat
import pytest
from coursebook.course.quoted import MARK, redact_quoted_solutions
from coursebook.course.release_dates import notebooks_listed_by_lectures
from coursebook.course.solutions import strip_admonitions, student_notebook
from coursebook.course.withheld import WithheldText
from coursebook.course.withholding import withheld_from_notebook, withheld_from_text
from coursebook.notebooks.notebook import (
    is_markdown_notebook,
    is_text_notebook,
    paired_text_files,
)
from coursebook.pages.includes import expand_includes
from coursebook.pages.solutions_view import solutions_view


def test_withheld_text_of_a_page_is_each_stripped_admonition_with_its_line():
    page = "# T\n\nBefore.\n\n!!! solution\n    SECRET ONE\n\nMiddle.\n\n??? solution\n    TWO\n"
    stripped, count = strip_admonitions(page, dt.date(2099, 1, 1))
    assert count == 2
    assert withheld_from_text("docs/l.md", page, stripped) == [
        WithheldText("docs/l.md: line 5", "!!! solution\n    SECRET ONE\n"),
        WithheldText("docs/l.md: line 10", "??? solution\n    TWO\n"),
    ]


def test_withheld_text_of_a_notebook_is_each_cells_stripped_lines():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell(
            "def f():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION\n"
        ),
        nbformat.v4.new_code_cell("y = 'secret'  # SOLUTION"),
        nbformat.v4.new_markdown_cell("The answer.", metadata={"tags": ["solution"]}),
    ]
    student = student_notebook(nb, "nb.ipynb", dt.date(2099, 1, 1))
    assert withheld_from_notebook("docs/nb.ipynb", nb, student) == [
        WithheldText(
            "docs/nb.ipynb: cell 2, line 2",
            "    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION\n",
        ),
        WithheldText("docs/nb.ipynb: cell 3, line 1", "y = 'secret'  # SOLUTION"),
        WithheldText("docs/nb.ipynb: cell 4, line 1", "The answer."),
    ]


def _with_outputs(*outputs) -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "def f(x):\n    ### BEGIN SOLUTION\n    return np.log(x) / total\n    ### END SOLUTION"
        ),
        nbformat.v4.new_code_cell("f(0)", outputs=list(outputs)),
    ]
    return nb


@pytest.mark.parametrize(
    ("output", "field", "expected"),
    [
        (
            nbformat.v4.new_output(
                "stream",
                name="stderr",
                text="x.py:3: RuntimeWarning: divide by zero\n  return np.log(x) / total\n",
            ),
            "text",
            f"x.py:3: RuntimeWarning: divide by zero\n  {MARK}\n",
        ),
        (
            nbformat.v4.new_output(
                "error",
                ename="ValueError",
                evalue="bad",
                traceback=["\x1b[0;31m----> 3\x1b[0m     return np.log(x) / total\n", "ValueError"],
            ),
            "traceback",
            [f"----> 3     {MARK}\n", "ValueError"],
        ),
        (
            nbformat.v4.new_output(
                "execute_result", data={"text/plain": "'return np.log(x) / total'"}
            ),
            "data",
            {"text/plain": f"'{MARK}"},
        ),
    ],
    ids=["warning", "traceback", "result"],
)
def test_an_output_line_quoting_a_solution_is_redacted(output, field, expected):
    nb = _with_outputs(output)
    before = nbformat.from_dict(nb)
    student = student_notebook(nb, "nb.ipynb", None)
    assert student["cells"][1]["outputs"][0][field] == expected
    # The source notebook is left as it was (the student copy shares what it does not change).
    assert nb == before


def test_short_and_unrelated_lines_are_not_redacted():
    nb = _with_outputs(
        nbformat.v4.new_output("stream", name="stdout", text="np.log(x) is -inf\nreturn\n")
    )
    before = nbformat.from_dict(nb)
    student = student_notebook(nb, "nb.ipynb", None)
    assert student["cells"][1]["outputs"] == before.cells[1].outputs
    assert redact_quoted_solutions(nb, nb) == []  # nothing withheld, nothing redacted


def _lecture(listed: str, solutions: str = "") -> str:
    return f"---\ntitle: L\nlecture: 1\nnotebooks: {listed}\n{solutions}---\n"


def test_notebooks_listed_by_lectures_take_the_latest_date_and_warn():
    pages = [
        (
            "docs/lectures/01.md",
            "lectures/01.md",
            _lecture("[nb/a.ipynb]", "solutions: 2027-01-27\n"),
        ),
        ("docs/lectures/02.md", "lectures/02.md", _lecture("[nb/a.ipynb, nb/b.py, 3]")),
        (
            "docs/lectures/03.md",
            "lectures/03.md",
            _lecture("[nb/a.ipynb]", "solutions: 2027-02-03\n"),
        ),
        ("docs/lectures/04.md", "lectures/04.md", _lecture("nb/c.ipynb")),  # not a list
    ]
    found, warnings = notebooks_listed_by_lectures(pages)
    assert found["nb/a.ipynb"] == ("docs/lectures/03.md", dt.date(2027, 2, 3))
    # A text notebook may be listed by the .ipynb it is published as.
    assert found["nb/a.py"] == found["nb/a.ipynb"]
    assert found["nb/b.py"] == ("docs/lectures/02.md", None)
    assert "nb/c.ipynb" not in found
    assert warnings == [
        "nb/a.ipynb: listed by lectures with different solution dates: docs/lectures/01.md "
        "(solutions: 2027-01-27) and docs/lectures/03.md (solutions: 2027-02-03); its solutions "
        "are released on the latest date"
    ]


def test_a_listed_value_that_is_not_a_date_wins_so_the_build_names_it():
    pages = [
        ("docs/l/01.md", "l/01.md", _lecture("[a.ipynb]", "solutions: 2027-01-27\n")),
        ("docs/l/02.md", "l/02.md", _lecture("[a.ipynb]", "solutions: soon\n")),
    ]
    assert notebooks_listed_by_lectures(pages)[0]["a.ipynb"] == ("docs/l/02.md", "soon")


def test_includes_are_expanded_and_escaped_notation_stays_escaped(tmp_path, monkeypatch):
    (tmp_path / "snip").mkdir()
    (tmp_path / "snip/a.md").write_text("!!! solution\n    A\n")
    (tmp_path / "snip/s.md").write_text("x\n--8<-- [start:s]\nS\n--8<-- [end:s]\n")
    monkeypatch.chdir(tmp_path)
    page = '--8<-- "a.md"\n\n;--8<-- "a.md"\n\n--8<-- "s.md:s"\n'
    expanded, included = expand_includes(page, {"base_path": ["snip"]}, "docs/p.md")
    assert included
    assert expanded == '!!! solution\n    A\n\n\n;--8<-- "a.md"\n\nS\n'
    # The renderer's own pass includes nothing more, and shows the escaped line as written.
    import markdown

    renderer = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": {"base_path": ["snip"]}},
    )
    assert renderer.preprocessors["snippet"].run(expanded.split("\n")) == [
        "!!! solution",
        "    A",
        "",
        "",
        '--8<-- "a.md"',
        "",
        "S",
        "",
    ]
    assert expand_includes("# No includes\n", {}, "docs/p.md") == ("# No includes\n", False)
    assert expand_includes(page, None, "docs/p.md") == (page, False)


@pytest.mark.parametrize(
    ("text", "notebook"),
    [
        ("# %%\nx = 1\n", True),
        ("# %% [markdown]\n# Title\n", True),
        ("# +\nx = 1\n# -\n", True),
        ("# ---\n# jupyter:\n#   kernelspec:\n#     name: python3\n# ---\nx = 1\n", True),
        ("# In[1]:\nx = 1\n", True),
        ("#" * 20 + "\n# Title\n" + "#" * 20 + "\nx = 1\n", True),
        ("def helper():\n    return 1\n", False),
        ("x = 1  # + one\ny = 2 # region\n", False),
    ],
    ids=["percent", "percent-md", "light", "header", "nbconvert", "sphinx", "module", "lookalike"],
)
def test_text_notebooks_in_every_jupytext_format_are_recognised(text, notebook):
    assert is_text_notebook(text) is notebook


def test_markdown_notebooks_and_pairs():
    assert is_markdown_notebook("---\njupyter:\n  kernelspec:\n    name: python3\n---\n# T\n")
    assert is_markdown_notebook("---\njupytext:\n  formats: md:myst\n---\n")
    assert not is_markdown_notebook("---\ntitle: T\n---\n# jupyter: no\n")
    assert not is_markdown_notebook("---\ntitle: T\n---\n\njupyter: in the body\n")
    assert not is_markdown_notebook("---\ntitle: T\n  kernelspec: nested\n---\n")
    uris = ["a.ipynb", "a.py", "a.md", "b.ipynb", "b.md", "c.py", "d/a.py"]
    texts = {"a.md": "---\njupyter:\n  kernelspec: {}\n---\n", "b.md": "# A page of its own\n"}
    assert paired_text_files(uris, ["a.ipynb", "b.ipynb", "c.py"], texts.get) == {
        "a.ipynb": ["a.py", "a.md"]
    }


def test_the_solutions_view_of_a_build():
    days = [dt.date(2027, 1, 27), dt.date(2027, 2, 3)]
    assert solutions_view("show", dt.date(2027, 1, 1), days) == {"mode": "show"}
    assert solutions_view("auto", dt.date(2027, 1, 27), days) == {
        "mode": "auto",
        "released": ["2027-01-27"],
    }
    assert solutions_view("auto", dt.date(2027, 1, 26), days) == {"mode": "auto", "released": []}


def test_the_view_of_each_site_folder_is_kept_while_the_folder_is(tmp_path):
    from coursebook.pages.solutions_view import FOLDER, DirtyBuildRefused, check_and_record

    cache = tmp_path / "cache"
    kept, gone, new = (tmp_path / name for name in ("kept", "gone", "new"))
    for folder in (kept, gone):
        folder.mkdir()
        (folder / "index.html").write_text("built")
        check_and_record(cache, folder, {"mode": "show"}, dirty=False)
    gone_record = {p.name for p in (cache / FOLDER).glob("*.json")}
    (gone / "index.html").unlink()
    gone.rmdir()
    check_and_record(cache, new, {"mode": "hide"}, dirty=True)  # an empty folder: no pages
    assert len(list((cache / FOLDER).glob("*.json"))) == 2
    assert len(gone_record & {p.name for p in (cache / FOLDER).glob("*.json")}) == 1
    check_and_record(cache, kept, {"mode": "show"}, dirty=True)  # the same view
    with pytest.raises(DirtyBuildRefused, match="last built with COURSEBOOK_SOLUTIONS=show"):
        check_and_record(cache, kept, {"mode": "hide"}, dirty=True)
