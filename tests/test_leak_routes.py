"""The routes by which a solution reached the site before its date (issue 20), one fixture course
each, solutions dated 2099-01-01: every file of the built site is scanned for each secret (absent
before the date, present on it). Routes: includes (pymdownx.snippets), text notebooks (light
format, jupytext pairs), outputs quoting a solution (warnings, tracebacks), dates (time zone,
a notebook listed twice), and `--dirty`."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from conftest import where

ROOT = Path(__file__).resolve().parent.parent
FUTURE = "2099-01-01"
BEFORE = {"COURSEBOOK_TODAY": "2098-12-31", "COURSEBOOK_SOLUTIONS": "auto"}
ON_THE_DAY = {"COURSEBOOK_TODAY": FUTURE, "COURSEBOOK_SOLUTIONS": "auto"}
ZONE = "timezone: America/New_York\n"


def lecture(body: str, notebooks: str = "[]", solutions: str = FUTURE, number: int = 1) -> str:
    return (
        f"---\ntitle: Lecture {number}\nlecture: {number}\ndate: 2098-12-01\n"
        f"solutions: {solutions}\nnotebooks: {notebooks}\n---\n\n# Lecture {number}\n\n{body}\n"
    )


def add_extensions(site, *lines: str) -> None:
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text() + "".join(f"{line}\n" for line in lines))


# --- route 1: includes ----------------------------------------------------------------------

WHOLE = "QXINCLUDEWHOLE"  # a snippet file that is a `??? solution`
SECTION = "QXINCLUDESECTION"  # a section of a snippet file
LINES = "QXINCLUDELINES"  # a line range, in the block form
NESTED = "QXINCLUDENESTED"  # a snippet that includes the solution
INCLUDE_SECRETS = (WHOLE, SECTION, LINES, NESTED)

INCLUDING_LECTURE = lecture(
    """\
## Whole file

--8<-- "sol.md"

## A section

--8<-- "parts.md:answer"

## Line ranges, block form

--8<--
lines.md:3:4
--8<--

## Nested

--8<-- "outer.md"

## The syntax, escaped

```text
;--8<-- "sol.md"
```

Text after the includes.
"""
)


@pytest.fixture(scope="module")
def including(module_fixture_site):
    site = module_fixture_site(ZONE + "notebooks:\n  execute: false", custom_dir="overrides")
    # The course's own source partial: mkdocs-material's asks api.github.com for the star
    # count, which a handout (printed offline) refuses.
    site.write(
        "overrides/partials/source.html", (ROOT / "overrides/partials/source.html").read_text()
    )
    add_extensions(
        site,
        "  - pymdownx.details",
        "  - pymdownx.superfences",
        "  - pymdownx.snippets:",
        "      base_path: [snippets]",
        "      check_paths: true",
    )
    site.write("snippets/sol.md", f'??? solution "Whole"\n    The answer is {WHOLE}.\n')
    site.write(
        "snippets/parts.md",
        f"Intro, not included.\n\n--8<-- [start:answer]\n!!! solution\n    {SECTION}\n"
        "--8<-- [end:answer]\n",
    )
    site.write("snippets/lines.md", f"Line 1\n\n!!! solution\n    {LINES}\n\nLine 6\n")
    site.write("snippets/outer.md", '--8<-- "inner.md"\n')
    site.write("snippets/inner.md", f"???+ solution\n    {NESTED}\n")
    site.write("docs/lectures/01-includes.md", INCLUDING_LECTURE)
    return site


@pytest.fixture(scope="module")
def including_before(including):
    build = including.build(env=BEFORE, site="site-before")
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="module")
def including_after(including, including_before):
    build = including.build(env=ON_THE_DAY, site="site-after")
    assert build.returncode == 0, build.log
    return build


@pytest.mark.parametrize("secret", INCLUDE_SECRETS)
def test_an_included_solution_is_nowhere_before_its_date(including_before, secret):
    assert where(including_before.site, secret) == []


def test_an_included_solution_leaves_its_note_and_the_rest_of_the_page(including_before):
    page = including_before.html("lectures/01-includes/index.html")
    notes = [n.get_text(" ", strip=True) for n in page.select(".admonition.note")]
    assert notes == [f"Solution Solution released on {FUTURE}."] * 4
    # The escaped include is shown as written, once, and nothing is included twice.
    assert [c.get_text() for c in page.select("pre code")] == ['--8<-- "sol.md"\n']
    assert "Text after the includes." in page.get_text()


def _handout_texts(site: Path, browser) -> dict[str, str]:
    """The lecture's handout and slides PDFs, printed as `make handouts` prints them, as text."""
    from coursebook.present.handouts import Handout, SlideDeck, make_handouts
    from pypdf import PdfReader

    make_handouts(
        site,
        [Handout("Lecture 1", "lectures/01-includes/", "lecture-01.pdf")],
        decks=[
            SlideDeck(
                "Lecture 1", "docs/lectures/01-includes.md", "lectures/01-includes/slides/", "s.pdf"
            )
        ],
        browser=browser,
        log=lambda message: None,
    )
    return {
        name: "\n".join(page.extract_text() for page in PdfReader(site / "handouts" / name).pages)
        for name in ("lecture-01.pdf", "s.pdf")
    }


def test_an_included_solution_is_in_no_handout_before_its_date(including_before, browser):
    printed = _handout_texts(including_before.site, browser)
    assert "Text after the includes." in printed["lecture-01.pdf"]
    assert "Line ranges, block form" in printed["s.pdf"]
    for secret in INCLUDE_SECRETS:
        assert [name for name, text in printed.items() if secret in text] == []


@pytest.mark.parametrize("secret", INCLUDE_SECRETS)
def test_an_included_solution_is_on_its_page_on_the_day(including_after, secret):
    assert where(including_after.site, secret) == [
        "lectures/01-includes/index.html",
        "lectures/01-includes/slides/index.html",
        "search/search_index.json",
    ]
    page = including_after.html("lectures/01-includes/index.html")
    assert [c.get_text() for c in page.select("pre code")] == ['--8<-- "sol.md"\n']


def test_a_missing_include_stops_the_build_naming_the_page(fixture_site):
    site = fixture_site(ZONE)
    add_extensions(site, "  - pymdownx.snippets:", "      check_paths: true")
    site.write("docs/lectures/01-includes.md", lecture('--8<-- "nowhere.md"\n'))
    build = site.build(env=BEFORE)
    assert build.returncode == 1
    assert (
        "ERROR   -  docs/lectures/01-includes.md: Snippet at path 'nowhere.md' could not be "
        "found" in build.log
    )
    assert "Traceback" not in build.log


def test_an_auto_appended_solution_stops_the_build(fixture_site):
    site = fixture_site(ZONE)
    add_extensions(site, "  - pymdownx.snippets:", "      auto_append: [appended.md]")
    # In snippets/, one of the folders snippets may read (the docs and snippets/, snippets.py).
    site.write("snippets/appended.md", "!!! solution\n    QXAPPENDED\n")
    site.write("docs/lectures/01-includes.md", lecture("Body."))
    build = site.build(env=BEFORE)
    assert build.returncode == 1
    assert (
        "mkdocs.yml: markdown_extensions: pymdownx.snippets: auto_append: appended.md holds a "
        "solution, which would be appended to every page unreleased: include it from the "
        "lecture page with `--8<--` instead"
    ) in build.log


# --- route 3: text notebooks ---------------------------------------------------------------

LIGHT = "QXLIGHTSOLN"  # a light-format .py listed by the lecture
LIGHT_UNLISTED = "QXLIGHTUNLISTED"  # a light-format .py with `# +` cells, listed by no lecture
PAIR_TEXT = "QXPAIRTEXT"  # the .py of a jupytext pair
PAIR_IPYNB = "QXPAIRIPYNB"  # the .ipynb of the pair
TEXT_SECRETS = (LIGHT, LIGHT_UNLISTED, PAIR_TEXT, PAIR_IPYNB)

LIGHT_NOTEBOOK = f"""\
# A light-format notebook: no cell markers at all, one cell per paragraph.
import math


def norm(w):
    # BEGIN SOLUTION
    return math.sqrt(sum(x * x for x in w))  # {LIGHT}
    # END SOLUTION
"""

LIGHT_WITH_MARKERS = f"""\
# # Light cells

# +
def double(x):
    return 2 * x  # {LIGHT_UNLISTED}  # SOLUTION
# -

print("done")
"""

PAIR_PY = f"""\
# %%
def half(x):
    ### BEGIN SOLUTION
    return x / 2  # {PAIR_TEXT}
    ### END SOLUTION
"""


def pair_ipynb() -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            f"def half(x):\n    ### BEGIN SOLUTION\n    return x / 2  # {PAIR_IPYNB}\n"
            "    ### END SOLUTION\n"
        )
    ]
    return nbformat.writes(nb)


@pytest.fixture(scope="module")
def text_course(module_fixture_site):
    site = module_fixture_site(ZONE + "notebooks:\n  execute: false")
    site.write(
        "docs/lectures/01-text.md",
        lecture(
            "Notebooks.",
            notebooks="[notebooks/light.py, notebooks/marked.py, notebooks/pair.ipynb]",
        ),
    )
    site.write("docs/notebooks/light.py", LIGHT_NOTEBOOK)
    site.write("docs/notebooks/marked.py", LIGHT_WITH_MARKERS)
    site.write("docs/notebooks/pair.py", PAIR_PY)
    site.write("docs/notebooks/pair.ipynb", pair_ipynb())
    site.write("docs/notebooks/helpers.py", "def helper():\n    return 1\n")
    return site


@pytest.fixture(scope="module")
def text_before(text_course):
    build = text_course.build(env=BEFORE, site="site-before")
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="module")
def text_after(text_course, text_before):
    build = text_course.build(env=ON_THE_DAY, site="site-after")
    assert build.returncode == 0, build.log
    return build


@pytest.mark.parametrize("secret", TEXT_SECRETS)
def test_a_text_notebooks_solution_is_nowhere_before_its_date(text_before, secret):
    assert where(text_before.site, secret) == []


def test_text_notebooks_in_any_format_are_notebooks_and_pairs_one(text_before):
    site = text_before.site
    for name in ("light", "marked", "pair"):
        assert (site / f"notebooks/{name}/index.html").is_file(), name
        saved = nbformat.read(site / f"notebooks/{name}.ipynb", as_version=4)
        nbformat.validate(saved)
    light = nbformat.read(site / "notebooks/light.ipynb", as_version=4)
    assert "    # YOUR CODE HERE\n    raise NotImplementedError()" in light.cells[-1].source
    # No text form of a withheld notebook is copied; a plain module stays a plain file.
    assert not (site / "notebooks/light.py").exists()
    assert not (site / "notebooks/pair.py").exists()
    assert (site / "notebooks/helpers.py").read_text() == "def helper():\n    return 1\n"
    assert not (site / "notebooks/helpers").exists()


def test_text_notebooks_show_their_solutions_on_the_day(text_after):
    assert where(text_after.site, LIGHT) == [
        "notebooks/light.ipynb",
        "notebooks/light.py",
        "notebooks/light/index.html",
        "search/search_index.json",
    ]
    assert where(text_after.site, PAIR_TEXT) == ["notebooks/pair.py"]
    assert where(text_after.site, PAIR_IPYNB) == [
        "notebooks/pair.ipynb",
        "notebooks/pair/index.html",
        "search/search_index.json",
    ]


def test_the_execute_command_runs_a_listed_light_notebook_as_the_build_does(fixture_site):
    """Sharded CI executes with `python -m coursebook execute`, then builds from the cache only:
    both must take the same files for notebooks."""
    import subprocess
    import sys

    site = fixture_site(ZONE)
    site.write("docs/lectures/01-text.md", lecture("N.", notebooks="[notebooks/light.py]"))
    site.write("docs/notebooks/light.py", LIGHT_NOTEBOOK)
    site.write("docs/notebooks/helpers.py", "def helper():\n    return 1\n")
    done = subprocess.run(
        [sys.executable, "-m", "coursebook", "execute"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "execute (all): 1 notebook(s): notebooks/light.py" in done.stdout
    build = site.build(env={**BEFORE, "COURSEBOOK_NOTEBOOKS": "cache-only"})
    assert build.returncode == 0, build.log
    assert where(build.site, LIGHT) == []


def test_a_pairs_text_form_with_a_solution_the_ipynb_lacks_is_withheld(fixture_site):
    """The .ipynb of the pair has no solution (not synced), its .py has one."""
    site = fixture_site(ZONE + "notebooks:\n  execute: false")
    site.write("docs/lectures/01-text.md", lecture("N.", notebooks="[notebooks/pair.ipynb]"))
    site.write("docs/notebooks/pair.py", PAIR_PY)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("def half(x):\n    pass\n")]
    site.write("docs/notebooks/pair.ipynb", nbformat.writes(nb))
    build = site.build(env=BEFORE)
    assert build.returncode == 0, build.log
    assert where(build.site, PAIR_TEXT) == []
    assert (build.site / "notebooks/pair/index.html").is_file()


def test_a_pairs_markdown_form_is_the_notebook_not_a_page(fixture_site):
    site = fixture_site(ZONE + "notebooks:\n  execute: false")
    site.write("docs/lectures/01-text.md", lecture("N.", notebooks="[notebooks/pair.ipynb]"))
    site.write("docs/notebooks/pair.ipynb", pair_ipynb())
    site.write(
        "docs/notebooks/pair.md",
        "---\njupyter:\n  kernelspec:\n    name: python3\n    display_name: Python 3\n---\n\n"
        f"```python\ndef half(x):\n    return x / 2  # {PAIR_TEXT}  # SOLUTION\n```\n",
    )
    build = site.build(env=BEFORE)
    assert build.returncode == 0, build.log
    assert where(build.site, PAIR_TEXT) == []
    assert where(build.site, PAIR_IPYNB) == []
    page = build.html("notebooks/pair/index.html")
    assert "# YOUR CODE HERE" in page.select_one("article").get_text()


def test_a_markdown_notebook_holding_a_solution_stops_the_build(fixture_site):
    site = fixture_site(ZONE)
    site.write(
        "docs/notebooks/myst.md",
        "---\njupyter:\n  kernelspec:\n    name: python3\n    display_name: Python 3\n---\n\n"
        "# Exercise\n\n```python\nx = 42  # SOLUTION\n```\n",
    )
    build = site.build(env=BEFORE)
    assert build.returncode == 1
    assert (
        "ERROR   -  docs/notebooks/myst.md: cell 2: a solution in a Markdown notebook "
        "(jupytext): "
        "coursebook publishes .md files as pages and cannot withhold it; save the notebook as "
        ".ipynb or as a percent-format .py (`jupytext --to py:percent`)"
    ) in build.log


def test_a_listed_py_that_text_notebooks_leaves_out_is_not_published(fixture_site):
    site = fixture_site(ZONE + "notebooks:\n  execute: false\n  text_notebooks: []")
    site.write("docs/lectures/01-text.md", lecture("N.", notebooks="[notebooks/light.py]"))
    site.write("docs/notebooks/light.py", LIGHT_NOTEBOOK)
    build = site.build(strict=False, env=BEFORE)
    assert build.returncode == 0, build.log
    assert where(build.site, LIGHT) == []
    assert (
        "docs/notebooks/light.py: listed as a notebook by docs/lectures/01-text.md, but not a "
        "text notebook under notebooks.text_notebooks ([]): not published"
    ) in build.log


# --- route 5: outputs that quote a solution -------------------------------------------------

WARNED = "QXWARNEDLINE"  # the line a numpy RuntimeWarning quotes
WARN_CALL = "QXWARNCALL"  # a solution line calling warnings.warn
RAISED = "QXRAISEDLINE"  # a solution line a traceback quotes
QUOTED_SECRETS = (WARNED, WARN_CALL, RAISED)


def quoting_notebook() -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    nb.cells = [
        nbformat.v4.new_code_cell("import warnings\nimport numpy as np"),
        nbformat.v4.new_code_cell(
            "def log_loss(p):\n"
            "    ### BEGIN SOLUTION\n"
            f"    return -np.log(p)  # {WARNED}\n"
            "    ### END SOLUTION"
        ),
        nbformat.v4.new_code_cell("print(log_loss(np.float64(0.0)))"),
        nbformat.v4.new_code_cell(
            "def check(p):\n"
            "    ### BEGIN SOLUTION\n"
            f"    warnings.warn('p is small', UserWarning)  # {WARN_CALL}\n"
            "    return p\n"
            "    ### END SOLUTION"
        ),
        nbformat.v4.new_code_cell("check(0.1)"),
        nbformat.v4.new_code_cell(
            "def validate(p):\n"
            "    ### BEGIN SOLUTION\n"
            f"    raise ValueError('p out of range')  # {RAISED}\n"
            "    ### END SOLUTION"
        ),
        nbformat.v4.new_code_cell("validate(2.0)", metadata={"tags": ["raises-exception"]}),
    ]
    return nbformat.writes(nb)


@pytest.fixture(scope="module")
def quoting(module_fixture_site):
    site = module_fixture_site(ZONE)
    site.write("docs/lectures/01-q.md", lecture("N.", notebooks="[notebooks/quoting.ipynb]"))
    site.write("docs/notebooks/quoting.ipynb", quoting_notebook())
    return site


@pytest.fixture(scope="module")
def quoting_before(quoting):
    build = quoting.build(env=BEFORE, site="site-before")
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="module")
def quoting_after(quoting, quoting_before):
    build = quoting.build(env=ON_THE_DAY, site="site-after")
    assert build.returncode == 0, build.log
    return build


@pytest.mark.parametrize("secret", QUOTED_SECRETS)
def test_an_output_quoting_a_solution_is_redacted_before_its_date(quoting_before, secret):
    assert where(quoting_before.site, secret) == []


def test_redacted_outputs_keep_the_warning_and_the_error_with_a_mark(quoting_before):
    page = quoting_before.html("notebooks/quoting/index.html")
    shown = [pre.get_text() for pre in page.select("article pre")]
    # The warning (its file and line, its message) stays; the quoted source line is marked.
    warnings = [text for text in shown if "Warning: " in text]
    assert [re.sub(r"^\S+:3: ", "", text) for text in warnings] == [
        "RuntimeWarning: divide by zero encountered in log\n  [solution withheld]\n",
        "UserWarning: p is small\n  [solution withheld]\n",
    ]
    # The traceback keeps its frames and the error; not the solution's lines (its markers,
    # comments like the rest).
    traceback = next(text for text in shown if "Traceback" in text)
    assert traceback.endswith(
        "Cell In[6], line 3, in validate(p)\n"
        "      1 def validate(p):\n"
        "      2     [solution withheld]\n"
        "----> 3     [solution withheld]\n"
        "      4     [solution withheld]\n\n"
        "ValueError: p out of range"
    )


@pytest.mark.parametrize("secret", QUOTED_SECRETS)
def test_the_quoted_lines_are_in_the_outputs_on_the_day(quoting_after, secret):
    page = quoting_after.html("notebooks/quoting/index.html")
    outputs = " ".join(o.get_text() for o in page.select(".nb-output, pre.nb-stream"))
    assert secret in outputs
    assert "[solution withheld]" not in page.get_text()


# --- route 7: dates -----------------------------------------------------------------------


def test_a_dated_course_without_a_time_zone_stops_the_build(fixture_site):
    site = fixture_site("notebooks:\n  execute: false")
    site.write("docs/lectures/01-dates.md", lecture("!!! solution\n    QXZONE\n"))
    build = site.build(env=BEFORE)
    assert build.returncode == 1
    assert (
        "mkdocs.yml: plugins: coursebook: timezone: not set, but solutions are released by "
        "date (docs/lectures/01-dates.md: solutions). Name the course's time zone, e.g.\n"
        "  plugins:\n    - coursebook:\n        timezone: America/New_York\n"
        "(an IANA name: the day of a release is the day in that zone, not the build machine's)"
    ) in build.log


def test_coursebook_check_says_a_dated_course_needs_a_time_zone(fixture_site):
    import subprocess
    import sys

    site = fixture_site()
    site.write("docs/lectures/01-dates.md", lecture("Body."))
    done = subprocess.run(
        [sys.executable, "-m", "coursebook", "check"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(
        "mkdocs.yml: plugins: coursebook: timezone: not set, but solutions are released by "
        "date (docs/lectures/01-dates.md: solutions)."
    )


def test_a_new_lecture_with_a_notebook_says_to_set_the_time_zone(fixture_site):
    import subprocess
    import sys

    site = fixture_site()
    made = subprocess.run(
        [sys.executable, "-m", "coursebook", "new", "lecture", "Dates", "--notebook"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[-1] == (
        "also: set the course's time zone for its solutions' release day: "
        "`timezone: America/New_York` (yours) under `- coursebook:` in mkdocs.yml"
    )


def test_a_notebook_listed_with_two_dates_takes_the_latest_and_says_so(fixture_site):
    site = fixture_site(ZONE + "notebooks:\n  execute: false")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 'QXTWODATES'  # SOLUTION")]
    site.write("docs/notebooks/shared.ipynb", nbformat.writes(nb))
    listed = "[notebooks/shared.ipynb]"
    # The earlier date sorts first: it was the one taken.
    site.write("docs/lectures/01-a.md", lecture("A.", listed, "2099-01-01", 1))
    site.write("docs/lectures/02-b.md", lecture("B.", listed, "2099-02-01", 2))
    build = site.build(strict=False, env={"COURSEBOOK_TODAY": "2099-01-15"})
    assert build.returncode == 0, build.log
    assert where(build.site, "QXTWODATES") == []
    assert (
        "notebooks/shared.ipynb: listed by lectures with different solution dates: "
        "docs/lectures/01-a.md (solutions: 2099-01-01) and docs/lectures/02-b.md "
        "(solutions: 2099-02-01); its solutions are released on the latest date"
    ) in build.log
    after = site.build(strict=False, env={"COURSEBOOK_TODAY": "2099-02-01"}, site="site-after")
    assert "QXTWODATES" in (after.site / "notebooks/shared.ipynb").read_text()


# --- route 8: --dirty -----------------------------------------------------------------------


def test_a_dirty_build_after_a_staff_preview_is_refused(fixture_site):
    site = fixture_site(ZONE + "notebooks:\n  execute: false")
    site.write("docs/lectures/01-dirty.md", lecture("!!! solution\n    QXDIRTY\n"))
    page = site.root / "site/lectures/01-dirty/index.html"
    shown = site.build(env={**BEFORE, "COURSEBOOK_SOLUTIONS": "show"})
    assert shown.returncode == 0, shown.log
    assert "QXDIRTY" in page.read_text()
    dirty = site.build(strict=False, env=BEFORE, args=("--dirty",))
    assert dirty.returncode == 1
    assert (
        f"coursebook: --dirty refused: {site.root / 'site'} was last built with "
        "COURSEBOOK_SOLUTIONS=show, this build is by date, none released; the pages --dirty "
        "would skip would keep the other view (solutions published before their date, or "
        "missing after it). Build once without --dirty."
    ) in dirty.log
    clean = site.build(env=BEFORE)
    assert clean.returncode == 0, clean.log
    assert "QXDIRTY" not in page.read_text()
    # Same view: --dirty is fine.
    again = site.build(strict=False, env=BEFORE, args=("--dirty",))
    assert again.returncode == 0, again.log
    # A dirty build of the same view keeps the page: nothing changed.
    assert "QXDIRTY" not in page.read_text()
    # The release day comes: the view changed, --dirty is refused again.
    released = site.build(strict=False, env=ON_THE_DAY, args=("--dirty",))
    assert released.returncode == 1
    assert f"this build is by date, solutions of {FUTURE} released" in released.log
