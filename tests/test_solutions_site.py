"""Solutions in real builds: one fixture course built on the day before and on the day of its
release date, every file of each built site scanned for a marker inside each kind of solution."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import nbclient
import nbformat
import pytest
from bs4 import BeautifulSoup
from coursebook.present.handouts import Handout, SlideDeck, make_handouts
from nbclient.exceptions import CellExecutionError
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent

# One marker inside each kind of solution; each appears nowhere else in the sources.
BLOCK = "QXBLOCKSOLN"  # between BEGIN and END SOLUTION (and in its cell's output)
LINE = "QXLINESOLN"  # an otter-grader `# SOLUTION` line
TAGGED_CODE = "QXTAGCODESOLN"  # a code cell tagged `solution`, and its output
TAGGED_OUTPUT = "QXTAGOUTPUTSOLN"  # only in the tagged cell's output
TAGGED_MARKDOWN = "QXTAGMDSOLN"  # a Markdown cell tagged `solution`
ADMONITION = "QXADMONSOLN"  # a `!!! solution` admonition in the lecture page
DETAILS = "QXDETAILSSOLN"  # a `??? solution` (collapsed) admonition
CELL_ADMONITION = "QXCELLADMONSOLN"  # a `!!! solution` admonition in a notebook's Markdown cell
TEXT_BLOCK = "QXTEXTSOLN"  # a BEGIN/END block in a text (.py) notebook
KEPT_OUTPUT = "QXKEPTOUTPUT"  # output of a cell after the exercise: in both versions
MARKERS = (
    BLOCK,
    LINE,
    TAGGED_CODE,
    TAGGED_OUTPUT,
    TAGGED_MARKDOWN,
    ADMONITION,
    DETAILS,
    CELL_ADMONITION,
    TEXT_BLOCK,
)

LECTURE = f"""\
---
title: Shrinkage
lecture: 1
date: 2027-01-20
solutions: 2027-01-27
notebooks: [notebooks/exercise.ipynb, notebooks/text.py]
---

# Shrinkage

## The exercise

Compute the weight norm.

!!! solution "Solution to the exercise"
    The norm is {ADMONITION}.

## Another

??? solution
    Collapsed: {DETAILS}.

Text after the solutions.
"""


def _code(source: str, tags: list[str] | None = None):
    return nbformat.v4.new_code_cell(source, metadata={"tags": tags} if tags else {})


def exercise_notebook() -> str:
    """Shaped like a JupyterLab notebook: kernelspec, language_info, execution counts."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Weight norms\n\nA warm-up, then one exercise."),
        _code("import math\nweights = [3.0, 4.0]\nprint('warm-up done')"),
        nbformat.v4.new_markdown_cell("## Exercise 1\n\nWrite `weight_norm`."),
        _code(
            "def weight_norm(w):\n"
            "    ### BEGIN SOLUTION\n"
            f"    print('{BLOCK}')\n"
            "    return math.sqrt(sum(x * x for x in w))\n"
            "    ### END SOLUTION\n"
            "\n"
            "print(weight_norm(weights))"
        ),
        _code(f"penalty = '{LINE}'  # SOLUTION\nprint(penalty)"),
        _code(
            f"print('{TAGGED_CODE}')\nprint(''.join(['QXTAGOUTPUT', 'SOLN']))", tags=["solution"]
        ),
        nbformat.v4.new_markdown_cell(
            f"The answer is {TAGGED_MARKDOWN}.", metadata={"tags": ["solution"]}
        ),
        nbformat.v4.new_markdown_cell(f"Check:\n\n!!! solution\n    {CELL_ADMONITION}\n"),
        _code("print(''.join(['QXKEPT', 'OUTPUT']))"),
    ]
    return nbformat.writes(nb)


TEXT_NOTEBOOK = f"""\
# %% [markdown]
# # A text notebook

# %%
def double(x):
    # BEGIN SOLUTION
    return 2 * x  # {TEXT_BLOCK}
    # END SOLUTION


# %%
print("text notebook ran")
"""


@pytest.fixture(scope="module")
def course(module_fixture_site):
    site = module_fixture_site(
        "handouts: true\nnotebooks:\n  student_branch: student", custom_dir="overrides"
    )
    # The course's own source partial: mkdocs-material's asks api.github.com for the star
    # count, which a handout (printed offline) refuses.
    site.write(
        "overrides/partials/source.html", (ROOT / "overrides/partials/source.html").read_text()
    )
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text() + "  - pymdownx.details\n")
    site.write("docs/lectures/01-shrinkage.md", LECTURE)
    site.write("docs/notebooks/exercise.ipynb", exercise_notebook())
    site.write("docs/notebooks/text.py", TEXT_NOTEBOOK)
    return site


@pytest.fixture(scope="module")
def before(course):
    build = course.build(env={"COURSEBOOK_TODAY": "2027-01-26"}, site="site-before")
    assert build.returncode == 0, build.log
    assert "2 executed" in build.log
    return build


@pytest.fixture(scope="module")
def after(course, before):
    build = course.build(env={"COURSEBOOK_TODAY": "2027-01-27"}, site="site-after")
    assert build.returncode == 0, build.log
    # The staff view comes from the cache filled by the student build: nothing runs again.
    assert "0 executed, 2 from cache" in build.log
    return build


def _pdfs(site: Path, browser) -> None:
    make_handouts(
        site,
        [Handout("Lecture 1", "lectures/01-shrinkage/", "lecture-01.pdf")],
        decks=[
            SlideDeck(
                "Lecture 1",
                "docs/lectures/01-shrinkage.md",
                "lectures/01-shrinkage/slides/",
                "s.pdf",
            )
        ],
        browser=browser,
        log=lambda message: None,
    )


def _texts(site: Path) -> dict[str, str]:
    """Every file of the built site as text: PDFs read back with pypdf, the rest decoded."""
    texts = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        if path.suffix == ".pdf":
            texts[name] = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        else:
            texts[name] = path.read_bytes().decode("utf-8", errors="replace")
    return texts


def _where(texts: dict[str, str], marker: str) -> list[str]:
    return sorted(name for name, text in texts.items() if marker in text)


@pytest.fixture(scope="module")
def before_texts(before, browser):
    _pdfs(before.site, browser)
    return _texts(before.site)


@pytest.fixture(scope="module")
def after_texts(after, browser):
    _pdfs(after.site, browser)
    return _texts(after.site)


def test_the_scan_covers_every_kind_of_published_file(before_texts):
    suffixes = {Path(name).suffix for name in before_texts}
    assert {".html", ".json", ".ipynb", ".xml", ".pdf", ".ics", ".bib"} <= suffixes
    assert "search/search_index.json" in before_texts
    assert {"handouts/course.pdf", "handouts/lecture-01.pdf", "handouts/s.pdf"} <= set(before_texts)


@pytest.mark.parametrize("marker", MARKERS)
def test_no_solution_anywhere_before_the_release(before_texts, marker):
    assert _where(before_texts, marker) == []


def test_other_outputs_stay_in_the_student_version(before_texts):
    assert _where(before_texts, KEPT_OUTPUT) == [
        "notebooks/exercise/index.html",
        "search/search_index.json",
    ]


NOTEBOOK_PAGE = [
    "notebooks/exercise.ipynb",
    "notebooks/exercise/index.html",
    "search/search_index.json",
]


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        (BLOCK, NOTEBOOK_PAGE),
        (LINE, NOTEBOOK_PAGE),
        (TAGGED_CODE, NOTEBOOK_PAGE),
        # The source notebook has no outputs; the page has the executed ones.
        (TAGGED_OUTPUT, ["notebooks/exercise/index.html", "search/search_index.json"]),
        (TAGGED_MARKDOWN, NOTEBOOK_PAGE),
        (CELL_ADMONITION, NOTEBOOK_PAGE),
        (
            ADMONITION,
            [
                "handouts/course.pdf",
                "handouts/lecture-01.pdf",
                "handouts/s.pdf",
                "lectures/01-shrinkage/index.html",
                "lectures/01-shrinkage/slides/index.html",
                "search/search_index.json",
            ],
        ),
        (
            TEXT_BLOCK,
            [
                "notebooks/text.ipynb",
                "notebooks/text.py",
                "notebooks/text/index.html",
                "search/search_index.json",
            ],
        ),
    ],
)
def test_solutions_where_expected_on_the_release_day(after_texts, marker, expected):
    assert _where(after_texts, marker) == sorted(expected)


def test_collapsed_solution_is_in_the_page_after_the_release(after):
    details = after.html("lectures/01-shrinkage/index.html").select("details.solution")
    assert [d.get_text(" ", strip=True) for d in details] == [f"Solution Collapsed: {DETAILS}."]


def test_student_page_says_when_the_solutions_come(before):
    page = before.html("lectures/01-shrinkage/index.html")
    notes = [n.get_text(" ", strip=True) for n in page.select(".admonition.note")]
    assert notes == ["Solution Solution released on 2027-01-27."] * 2
    assert page.select(".admonition.solution, details.solution") == []
    assert "Text after the solutions." in page.get_text()


def test_colab_opens_the_student_branch_until_the_release(before, after):
    def colab(build, page):
        page = build.html(f"notebooks/{page}/index.html")
        return [a["href"] for a in page.select("a.cb-notebook-actions__colab")]

    blob = "https://colab.research.google.com/github/example/fixture-course/blob"
    assert colab(before, "exercise") == [f"{blob}/student/docs/notebooks/exercise.ipynb"]
    # The text notebook's published .ipynb is on the student branch too.
    assert colab(before, "text") == [f"{blob}/student/docs/notebooks/text.ipynb"]
    assert colab(after, "exercise") == [f"{blob}/main/docs/notebooks/exercise.ipynb"]
    assert colab(after, "text") == []  # Colab opens no .py from the source


def test_student_notebook_validates_and_runs_to_the_first_exercise(before, tmp_path):
    nb = nbformat.read(before.site / "notebooks/exercise.ipynb", as_version=4)
    nbformat.validate(nb)
    client = nbclient.NotebookClient(nb, timeout=60, kernel_name="python3")
    with pytest.raises(CellExecutionError) as raised:
        client.execute(cwd=str(tmp_path))
    assert raised.value.ename == "NotImplementedError"
    ran = [cell for cell in nb.cells if cell.cell_type == "code" and cell.execution_count]
    # The warm-up ran, then the exercise raised.
    assert [cell.source.splitlines()[0] for cell in ran] == ["import math", "def weight_norm(w):"]
    assert ran[-1].source == (
        "def weight_norm(w):\n"
        "    # YOUR CODE HERE\n"
        "    raise NotImplementedError()\n"
        "\n"
        "print(weight_norm(weights))"
    )


def test_staff_preview_shows_solutions_before_the_date(course, before):
    build = course.build(
        env={"COURSEBOOK_TODAY": "2027-01-01", "COURSEBOOK_SOLUTIONS": "show"}, site="site-show"
    )
    assert build.returncode == 0, build.log
    page = build.html("lectures/01-shrinkage/index.html")
    assert ADMONITION in page.select_one(".admonition.solution").get_text()
    source = json.loads((build.site / "notebooks/exercise.ipynb").read_text())
    assert BLOCK in "".join(source["cells"][3]["source"])


def test_deploy_workflow_runs_daily_and_publishes_the_student_branch():
    import yaml

    deploy = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text())
    # A release date publishes the solutions with no push: the site is rebuilt every day.
    assert deploy[True]["schedule"] == [{"cron": "17 5 * * *"}]
    build = deploy["jobs"]["build"]
    assert build["permissions"]["contents"] == "write"
    runs = [step.get("run") or "" for step in build["steps"]]
    publish = next(run for run in runs if "HEAD:student" in run)
    # From the built site (student versions until release), never from docs/ (the source).
    assert "(cd site && find . -name '*.ipynb'" in publish
    assert runs.index(publish) > runs.index("make handouts")
    config = yaml.safe_load(
        (ROOT / "mkdocs.yml").read_text().replace("!ENV", "").replace("!!python", "")
    )
    coursebook = next(
        p["coursebook"] for p in config["plugins"] if isinstance(p, dict) and "coursebook" in p
    )
    assert coursebook["notebooks"]["student_branch"] == "student"


def test_course_site_publishes_lecture_2_without_its_solution(course_site):
    """Built for a day before 2027-01-27 (conftest): the weight-norm exercise is a gap."""
    solution = "return float(np.linalg.norm(model.coef_))"
    assert (
        solution
        in (ROOT / "docs/notebooks/lecture-02-memorization-and-shrinkage.ipynb").read_text()
    )

    def shows(path: Path) -> bool:
        # On an HTML page the highlighter splits the line into tokens: read its text.
        if path.suffix == ".html":
            return solution in BeautifulSoup(path.read_text("utf-8"), "html.parser").get_text()
        return solution.encode() in path.read_bytes()

    pages = [path for path in course_site.site.rglob("*") if path.is_file()]
    assert any(
        "def weight_norm" in BeautifulSoup(p.read_text("utf-8"), "html.parser").get_text()
        for p in pages
        if p.name == "index.html" and "lecture-02-memorization" in p.parent.name
    )  # the exercise's page is there, and readable as text
    assert [p.relative_to(course_site.site).as_posix() for p in pages if shows(p)] == []
    nb = nbformat.read(
        course_site.site / "notebooks/lecture-02-memorization-and-shrinkage.ipynb", as_version=4
    )
    nbformat.validate(nb)
    exercise = next(c for c in nb.cells if c.source.startswith("def weight_norm"))
    assert "    # YOUR CODE HERE\n    raise NotImplementedError()\n" in exercise.source
    page = course_site.html("schedule/index.html")
    released = page.select_one("#lecture-2 td[data-label=Solutions] time")
    assert released["datetime"] == "2027-01-27"


# Counts the front matter parsed, through both modules that bind the reader: the course's
# lectures and the release-date map.
COUNT_FRONT_MATTER_READS = """\
import sys
import coursebook.course.lectures as lectures
import coursebook.course.solutions as solutions
from mkdocs.commands.build import build
from mkdocs.config import load_config

reads = []
for module in (lectures, solutions):
    read = module.read_front_matter
    module.read_front_matter = lambda *args, read=read: reads.append(args[1]) or read(*args)
build(load_config("mkdocs.yml", site_dir=sys.argv[1]))
print(len(reads))
"""


def test_a_lectures_release_date_reaches_its_notebook_from_a_warm_build(fixture_site):
    """Which lecture lists a notebook, and its `solutions` date, are kept between builds (a
    warm build parses no lecture's YAML); a changed date reaches the notebook at once."""
    import os
    import subprocess
    import sys

    site = fixture_site()
    site.write("docs/lectures/01-shrinkage.md", LECTURE)
    site.write("docs/notebooks/exercise.ipynb", exercise_notebook())
    today = {"COURSEBOOK_TODAY": "2027-01-26"}

    def front_matter_reads() -> int:
        done = subprocess.run(
            [sys.executable, "-c", COUNT_FRONT_MATTER_READS, str(site.root / "site")],
            cwd=site.root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **today},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return int(done.stdout.strip().splitlines()[-1])

    def notebook_page() -> str:
        return (site.root / "site/notebooks/exercise/index.html").read_text("utf-8")

    # Cold: twice, by the release-date map (needed before the notebook pages are made) and by
    # the course (made after them: it needs their titles).
    assert front_matter_reads() == 2
    assert BLOCK not in notebook_page()
    assert front_matter_reads() == 0  # warm: from the caches, by neither
    assert BLOCK not in notebook_page()
    lecture = site.root / "docs/lectures/01-shrinkage.md"
    lecture.write_text(
        lecture.read_text().replace("solutions: 2027-01-27", "solutions: 2027-01-26")
    )
    assert front_matter_reads() == 2  # the front matter changed: both again
    assert BLOCK in notebook_page(), "the new release date did not reach the notebook"


def test_a_notebook_moved_to_another_lecture_takes_that_lectures_date(fixture_site):
    """The kept lecture-to-notebook map follows the whole front matter, not only the dates:
    a notebook listed by another lecture from now on is released on that lecture's date."""
    site = fixture_site()
    site.write("docs/lectures/01-shrinkage.md", LECTURE)
    later = (
        "---\ntitle: Later\nlecture: 2\ndate: 2027-01-21\nsolutions: 2027-01-26\n"
        "notebooks: []\n---\n\n# Later\n"
    )
    site.write("docs/lectures/02-later.md", later)
    site.write("docs/notebooks/exercise.ipynb", exercise_notebook())
    today = {"COURSEBOOK_TODAY": "2027-01-26"}
    page = site.root / "site/notebooks/exercise/index.html"
    for _ in range(2):  # cold, then warm
        build = site.build(strict=False, env=today)
        assert build.returncode == 0, build.log
        assert BLOCK not in page.read_text("utf-8")
    first = site.root / "docs/lectures/01-shrinkage.md"
    first.write_text(
        first.read_text().replace(
            "notebooks: [notebooks/exercise.ipynb, notebooks/text.py]", "notebooks: []"
        )
    )
    site.write(
        "docs/lectures/02-later.md",
        later.replace("notebooks: []", "notebooks: [notebooks/exercise.ipynb]"),
    )
    build = site.build(strict=False, env=today)
    assert build.returncode == 0, build.log
    assert BLOCK in page.read_text("utf-8"), "the notebook kept its old lecture's date"


def test_the_course_time_zone_decides_the_release_day(fixture_site):
    """Released on the day it already is in Kiritimati (UTC+14): a course there shows the
    solution; a course in Pago Pago (UTC-11), where that day is still to come, does not. No
    COURSEBOOK_TODAY: the plugin's `timezone` option and the clock decide."""
    day = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    lecture = LECTURE.replace("solutions: 2027-01-27", f"solutions: {day.isoformat()}").replace(
        "notebooks: [notebooks/exercise.ipynb, notebooks/text.py]\n", ""
    )
    shown = {}
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        site = fixture_site(f"timezone: {zone}\nnotebooks:\n  execute: false")
        site.write("docs/lectures/01-shrinkage.md", lecture)
        build = site.build(env={"COURSEBOOK_TODAY": ""}, site=f"site-{zone.split('/')[1]}")
        assert build.returncode == 0, build.log
        page = (build.site / "lectures/01-shrinkage/index.html").read_text("utf-8")
        shown[zone] = ADMONITION in page
    assert shown == {"Pacific/Kiritimati": True, "Pacific/Pago_Pago": False}
