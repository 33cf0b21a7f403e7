"""The grader formats, the renderers' fences and a Student/TA pair in real builds: with solutions
dated 2099-01-01, every file of the built site is scanned for each secret (none may be there);
on the date, each solution is where it belongs and hidden tests are still nowhere."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import nbformat
import pytest
from grader_fixtures import (
    ALWAYS_PUBLISHED,
    HIDDEN_TESTS,
    NBGRADER_SECRETS,
    NEUROMATCH_SECRETS,
    NM_EXERCISE,
    NM_SOLUTION,
    NM_TA_ONLY,
    OT_ATTACHED,
    OT_HIDDEN,
    OTTER_SECRETS,
    nbgrader_problem,
    neuromatch_tutorial,
    otter_assignment,
)

FENCE_FOUR = "QXFENCEFOURSOLN"  # a ??? solution after a four-backtick block showing three
FENCE_INLINE = "QXFENCEINLINESOLN"  # a ??? solution after inline code with triple backticks
FENCE_SHOWN = "QXFENCESHOWNCODE"  # a ??? solution inside a fence: shown as code, by design
PAGE_SECRETS = (FENCE_FOUR, FENCE_INLINE)
SOLUTIONS = (*NBGRADER_SECRETS, *OTTER_SECRETS, *NEUROMATCH_SECRETS, *PAGE_SECRETS, NM_TA_ONLY)
# An attachment is published as an image file: its bytes are looked for too.
ATTACHED_BYTES = base64.b64decode(OT_ATTACHED)

LECTURE = f"""\
---
title: Fences and graders
lecture: 1
date: 2098-12-01
solutions: 2099-01-01
notebooks:
  - notebooks/ps1.ipynb
  - notebooks/demo.ipynb
  - tutorials/student/W1D1_Tutorial1.ipynb
---

# Fences and graders

A block that shows a fence of three backticks:

````md
```
````

??? solution
    {FENCE_FOUR}

```x``` is inline code written with triple backticks.

??? solution
    {FENCE_INLINE}

How a solution is written:

```md
??? solution
    {FENCE_SHOWN}
```
"""


@pytest.fixture(scope="module")
def course(module_fixture_site):
    # Stored outputs only: the exercise raises NotImplementedError, as Neuromatch's do.
    site = module_fixture_site(
        "timezone: America/New_York\nnotebooks:\n  execute: false\n  student_branch: student"
    )
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text() + "  - pymdownx.superfences\n  - pymdownx.details\n", "utf-8"
    )
    site.write("docs/lectures/01-graders.md", LECTURE)
    # What the build withheld, as the plugin hands it to the leak guard.
    site.write(
        "hook.py",
        "import json, pathlib\n\n\ndef on_post_build(config, **kwargs):\n"
        "    withheld = config.plugins['coursebook'].withheld\n"
        "    name = pathlib.Path(config.site_dir).name\n"
        "    pathlib.Path(f'withheld-{name}.json').write_text(\n"
        "        json.dumps([[w.source, w.text] for w in withheld])\n"
        "    )\n",
    )
    config.write_text(config.read_text() + "hooks:\n  - hook.py\n", "utf-8")
    site.write("docs/notebooks/ps1.ipynb", nbformat.writes(nbgrader_problem()))
    site.write("docs/notebooks/demo.ipynb", nbformat.writes(otter_assignment()))
    site.write(
        "docs/tutorials/student/W1D1_Tutorial1.ipynb", nbformat.writes(neuromatch_tutorial())
    )
    site.write(
        "docs/tutorials/instructor/W1D1_Tutorial1.ipynb",
        nbformat.writes(neuromatch_tutorial(ta=True)),
    )
    return site


@pytest.fixture(scope="module")
def before(course):
    build = course.build(env={"COURSEBOOK_TODAY": "2098-12-31"}, site="site-before")
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="module")
def after(course, before):
    build = course.build(env={"COURSEBOOK_TODAY": "2099-01-01"}, site="site-after")
    assert build.returncode == 0, build.log
    return build


def _files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def _where(files: dict[str, bytes], secret: str | bytes) -> list[str]:
    needle = secret.encode() if isinstance(secret, str) else secret
    return sorted(name for name, data in files.items() if needle in data)


def test_before_the_date_no_file_of_the_site_holds_a_secret(before):
    files = _files(before.site)
    assert len(files) > 20
    for secret in (*SOLUTIONS, *HIDDEN_TESTS, OT_ATTACHED, ATTACHED_BYTES):
        assert _where(files, secret) == [], secret


def _withheld(build) -> list[tuple[str, str]]:
    path = build.site.parent / f"withheld-{build.site.name}.json"
    return [tuple(record) for record in json.loads(path.read_text())]


def _line_of(text: str, secret: str) -> int:
    """The 1-based line of the solution header above `secret` in `text`."""
    lines = text.splitlines()
    return next(i for i, line in enumerate(lines) if secret in line)  # header is the line above


def test_before_the_date_each_withheld_text_is_recorded_with_its_source(before):
    withheld = _withheld(before)
    page = "docs/lectures/01-graders.md"
    for secret in PAGE_SECRETS:
        assert (f"{page}: line {_line_of(LECTURE, secret)}", f"??? solution\n    {secret}\n\n") in (
            withheld
        )
    recorded = "".join(text for _source, text in withheld)
    for secret in (*SOLUTIONS, *HIDDEN_TESTS):
        if secret != NM_TA_ONLY:  # not a solution: what the TA version adds to the student's
            assert secret in recorded, secret
    sources = {source for source, _text in withheld}
    hidden = nbgrader_problem().cells[4].source.splitlines().index("### BEGIN HIDDEN TESTS")
    assert f"docs/notebooks/ps1.ipynb: cell 5, line {hidden + 1}" in sources
    assert "docs/tutorials/student/W1D1_Tutorial1.ipynb: cell 4" in sources


def test_on_the_date_only_hidden_tests_are_recorded(after):
    recorded = "".join(text for _source, text in _withheld(after))
    for secret in HIDDEN_TESTS:
        assert secret in recorded
    for secret in SOLUTIONS:
        assert secret not in recorded


def test_before_the_date_what_students_get_is_published(before):
    files = _files(before.site)
    for kept in ALWAYS_PUBLISHED:
        assert _where(files, kept), kept
    # Code that shows a solution's syntax stays: the fence is tracked as superfences does.
    assert "lectures/01-graders/index.html" in _where(files, FENCE_SHOWN)
    # The downloads are the student versions, parsed as notebooks.
    for name in ("notebooks/ps1.ipynb", "notebooks/demo.ipynb"):
        nbformat.validate(nbformat.reads(files[name].decode(), as_version=4))


def test_before_the_date_the_ta_version_has_no_page_no_download_no_link(before):
    files = _files(before.site)
    assert not [name for name in files if name.startswith("tutorials/instructor/")]
    assert _where(files, "tutorials/instructor") == []
    student = before.html("tutorials/student/W1D1_Tutorial1/index.html")
    assert NM_EXERCISE in student.get_text()
    assert student.select("a.cb-notebook-actions__solutions") == []
    notes = [p.get_text() for p in student.find_all("em")]
    assert notes.count("Solution released on 2099-01-01.") == 3


def test_on_the_date_each_solution_is_shown_and_hidden_tests_are_still_withheld(after):
    files = _files(after.site)
    for secret in SOLUTIONS:
        assert _where(files, secret), secret
    for secret in HIDDEN_TESTS:
        assert _where(files, secret) == [], secret
    # The source notebooks hold hidden tests: their downloads are still made without them.
    demo = json.loads(files["notebooks/demo.ipynb"])
    assert OT_HIDDEN not in json.dumps(demo)
    assert any(OTTER_SECRETS[0] in "".join(c["source"]) for c in demo["cells"])


def test_on_the_date_the_neuromatch_solution_is_next_to_its_exercise(after):
    page = after.html("tutorials/student/W1D1_Tutorial1/index.html")
    blocks = [pre.get_text() for pre in page.find_all("pre")]
    exercise = next(i for i, text in enumerate(blocks) if NM_EXERCISE in text)
    assert NM_SOLUTION in blocks[exercise + 1]


def test_on_the_date_the_ta_version_is_published_and_linked_from_the_student_version(after):
    student = after.html("tutorials/student/W1D1_Tutorial1/index.html")
    link = student.select_one("a.cb-notebook-actions__solutions")
    assert link["href"] == "../../instructor/W1D1_Tutorial1/"
    page = after.html("tutorials/instructor/W1D1_Tutorial1/index.html")
    assert NM_TA_ONLY in page.get_text()
    assert NM_SOLUTION in page.get_text()
    assert (after.site / "tutorials/instructor/W1D1_Tutorial1.ipynb").is_file()


def _bad(*cells: dict, metadata: dict | None = None) -> str:
    nb = nbformat.v4.new_notebook(metadata=metadata or {})
    nb.cells = list(cells)
    return nbformat.writes(nb)


@pytest.mark.parametrize(
    ("nb", "message"),
    [
        (
            _bad(
                nbformat.v4.new_raw_cell("# BEGIN QUESTION\nname: q1"),
                nbformat.v4.new_raw_cell("# BEGIN SOLUTION"),
                nbformat.v4.new_code_cell("x = 1  # SOLUTION"),
                nbformat.v4.new_raw_cell("# END QUESTION"),
            ),
            "ERROR   -  docs/notebooks/bad.ipynb: cell 4: # END QUESTION without # BEGIN "
            "QUESTION (the solution block begun at cell 2 is open)",
        ),
        (
            _bad(
                nbformat.v4.new_raw_cell("# BEGIN QUESTION\nname: q1"),
                nbformat.v4.new_raw_cell("# BEGIN SOLUTION"),
                nbformat.v4.new_code_cell("x = 1  # SOLUTION"),
            ),
            "ERROR   -  docs/notebooks/bad.ipynb: cell 2: # BEGIN SOLUTION is never closed "
            "(no raw cell `# END SOLUTION` after it)",
        ),
        (
            _bad(nbformat.v4.new_code_cell("assert f(1)\n### BEGIN HIDDEN TESTS\nassert f(2)")),
            "ERROR   -  docs/notebooks/bad.ipynb: cell 1, line 2: "
            "BEGIN HIDDEN TESTS is never closed",
        ),
        (
            _bad(
                nbformat.v4.new_code_cell("# to_remove solution\nx = 1"),
                metadata={"coursebook": {"student_version": "../../outside.ipynb"}},
            ),
            "ERROR   -  docs/notebooks/bad.ipynb: metadata.coursebook.student_version: "
            "'../../outside.ipynb' is outside docs/",
        ),
    ],
    ids=["otter-crossed-blocks", "otter-unclosed", "nbgrader-hidden-unclosed", "ta-outside-docs"],
)
def test_a_badly_marked_grader_notebook_stops_the_build(fixture_site, nb, message):
    site = fixture_site("timezone: America/New_York\nnotebooks:\n  execute: false")
    site.write("docs/notebooks/bad.ipynb", nb)
    build = site.build(quiet=True)
    assert build.returncode == 1
    assert message in build.log.splitlines(), build.log
