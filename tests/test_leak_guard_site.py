"""The leak guard proven on its own, in real builds: a pytest-only hook puts a withheld
solution back into one kind of published file after the stripping did its work (as an
include, another plugin or an output quoting it would), and the build must stop naming that
file and the solution's source, strict or not. The same course without the hook, or after the
release date, builds."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import nbformat
import pytest

PAGE_SECRET = "The weight norm shrinks by exactly lambda over one plus lambda."
CODE_SECRET = "shrunk = weights / (1.0 + penalty_strength)"
TODAY = {"COURSEBOOK_TODAY": "2027-01-21", "COURSEBOOK_SOLUTIONS": "auto"}

LECTURE = f"""\
---
title: Shrinkage
lecture: 1
date: 2027-01-20
solutions: 2027-01-27
notebooks: [notebooks/exercise.ipynb]
---

# Shrinkage

## Exercise

How much does the weight norm shrink?

??? solution
    {PAGE_SECRET}

## After
"""
PAGE_LINE = 15  # of the `??? solution` line in the lecture file


def exercise() -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Exercise"),
        nbformat.v4.new_code_cell(
            f"def shrink(weights, penalty_strength):\n    ### BEGIN SOLUTION\n"
            f"    {CODE_SECRET}\n    return shrunk\n    ### END SOLUTION"
        ),
    ]
    return nbformat.writes(nb)


# How each kind of published file gets the solution back (the hook's on_post_build runs
# before coursebook's guard, which runs last).
HOOK = """\
import html
import json
import os
from pathlib import Path

PAGE_SECRET = {page!r}
CODE_SECRET = {code!r}


def highlighted(code):
    # As Pygments wraps it: a span per token.
    return "".join(f'<span class="n">{{html.escape(word)}}</span> ' for word in code.split())


def on_post_build(config, **kwargs):
    site = Path(config.site_dir)
    where = os.environ.get("LEAK_INTO", "")
    if where == "page":
        path = site / "index.html"
        path.write_text(path.read_text() + f"<p>{{html.escape(PAGE_SECRET)}}</p>")
    elif where == "deck":
        path = site / "lectures/01-shrinkage/slides/index.html"
        path.write_text(path.read_text() + f"<pre><code>{{highlighted(CODE_SECRET)}}</code></pre>")
    elif where == "search":
        path = site / "search/search_index.json"
        index = json.loads(path.read_text())
        index["docs"].append(
            {{"location": "x/", "title": "x", "text": f"<p>{{html.escape(PAGE_SECRET)}}</p>"}}
        )
        path.write_text(json.dumps(index))
    elif where == "ipynb":
        source = Path(config.docs_dir) / "notebooks/exercise.ipynb"
        (site / "notebooks/exercise.ipynb").write_text(source.read_text())
    elif where == "py":
        (site / "notebooks/exercise.py").write_text(f"# %%\\n{{CODE_SECRET}}\\n")
    elif where == "data":
        (site / "data").mkdir()
        (site / "data/answers.txt").write_text(PAGE_SECRET.upper())
"""


@pytest.fixture(scope="module")
def course(module_fixture_site):
    site = module_fixture_site(
        plugin_options="""
        timezone: America/New_York
        notebooks:
          execute: false
        """
    )
    site.write("docs/lectures/01-shrinkage.md", LECTURE)
    site.write("docs/notebooks/exercise.ipynb", exercise())
    site.write("leak.py", HOOK.format(page=PAGE_SECRET, code=CODE_SECRET))
    config = site.root / "mkdocs.yml"
    # No repo_url: the theme would ask GitHub for the repository's stars, which handouts refuse.
    lines = [
        line
        for line in config.read_text().splitlines()
        if not line.startswith(("repo_url", "edit_uri"))
    ]
    config.write_text("\n".join(lines) + "\nhooks:\n  - leak.py\n")
    return site


def leak_message(site, *lines: str) -> str:
    return "\n".join(
        [
            f"ERROR   -  coursebook: leak guard: {len(lines)} published file(s) in {site} hold "
            "the text of a solution not yet released:",
            *(f"  {line}" for line in lines),
            "  Nothing was removed: find how the text reached these files (an include, a plugin, "
            "an output quoting the solution) and keep it out, or release the solution.",
        ]
    )


PAGE = f"docs/lectures/01-shrinkage.md: line {PAGE_LINE}"
CELL = "docs/notebooks/exercise.ipynb: cell 2, line 2"


@pytest.mark.parametrize(
    ("route", "published", "source"),
    [
        ("page", "index.html", PAGE),
        ("deck", "lectures/01-shrinkage/slides/index.html", CELL),
        ("search", "search/search_index.json", PAGE),
        ("ipynb", "notebooks/exercise.ipynb", CELL),
        ("py", "notebooks/exercise.py", CELL),
        ("data", "data/answers.txt", PAGE),
    ],
)
def test_a_solution_put_back_into_a_published_file_stops_the_build(
    course, route, published, source
):
    build = course.build(env={**TODAY, "LEAK_INTO": route})
    assert build.returncode == 1, build.log
    assert leak_message(build.site, f"{published}: from {source}") in build.log


def test_a_plain_build_fails_on_a_leak_too(course):
    build = course.build(strict=False, env={**TODAY, "LEAK_INTO": "page"})
    assert build.returncode == 1, build.log
    assert leak_message(build.site, f"index.html: from {PAGE}") in build.log


def test_without_a_leak_or_after_the_release_the_course_builds(course):
    clean = course.build(env=TODAY)
    assert clean.returncode == 0, clean.log
    assert "shrunk" not in (clean.site / "notebooks/exercise.ipynb").read_text()
    released = course.build(env={"COURSEBOOK_TODAY": "2027-01-27", "LEAK_INTO": "page"})
    assert released.returncode == 0, released.log


def test_handouts_stop_on_a_pdf_that_holds_a_withheld_solution(course):
    """The site builds clean; a page changed afterwards (as anything run between the build
    and `make handouts` could) is printed, and the PDFs are checked like the site."""
    build = course.build(env=TODAY)
    assert build.returncode == 0, build.log
    page = build.site / "lectures/01-shrinkage/index.html"
    page.write_text(page.read_text().replace("<h2", f"<p>{PAGE_SECRET}</p><h2", 1))
    done = subprocess.run(
        [sys.executable, "-m", "coursebook", "handouts", "--site", str(build.site), "--no-slides"],
        cwd=course.root,
        env={**os.environ, **TODAY},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert (build.site / "handouts/lecture-01.pdf").exists()
    expected = textwrap.dedent(
        leak_message(
            build.site, f"handouts/course.pdf: from {PAGE}", f"handouts/lecture-01.pdf: from {PAGE}"
        )
    )
    assert expected.removeprefix("ERROR   -  ") in done.stderr


def test_handouts_need_the_record_of_the_build(course, tmp_path):
    build = course.build(env=TODAY)
    assert build.returncode == 0, build.log
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    (copy / "index.html").write_text((build.site / "index.html").read_text())
    done = subprocess.run(
        [sys.executable, "-m", "coursebook", "handouts", "--site", str(copy)],
        cwd=course.root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"handouts: no record of what the build of {copy} withheld, to check the PDFs against: "
        "build the site first (mkdocs build, with coursebook enabled)\n"
    )


def test_the_template_course_builds_with_its_withheld_solutions_looked_for(course_site):
    """No false alarm on the course itself (the shared build is strict and passed), and not
    because nothing was looked for: Lecture 2's notebook solution is withheld that day."""
    from coursebook.guard.build import load_record
    from coursebook.guard.scan import find_leaks

    project = course_site.site.parent / "project"
    secrets = load_record(course_site.site, project / ".cache/coursebook")
    assert secrets is not None
    sources = {needle.source for needle in secrets.needles}
    assert any(
        source.startswith("docs/notebooks/lecture-02-memorization-and-shrinkage.ipynb: cell ")
        for source in sources
    ), sources
    assert find_leaks(course_site.site, secrets) == []
