"""An existing MkDocs site adopts coursebook by changing one line of mkdocs.yml: sites shaped like
the ones in issue 22, converted by renaming the plugin, built strictly, their HTML read."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pybtex.database
import pytest
from conftest import ROOT, FixtureSite
from notebook_fixtures import code, markdown, stream

JUPYTER_SITE = """\
site_name: Data science 101
theme:
  name: material
  font: false
markdown_extensions:
  - attr_list
  - pymdownx.arithmatex:
      generic: true
nav:
  - Home: index.md
  - Week 1: notebooks/week-1.ipynb
  - notebooks/week-2.ipynb
plugins:
  - search
  - mkdocs-jupyter:
      execute: false
      include_source: true
      theme: dark
      ignore: ["scratch/*.ipynb"]
      remove_tag_config:
        remove_input_tags:
          - hide_code
"""

INDEX = """\
# Data science 101

Start with [the first week](notebooks/week-1.ipynb), then [fitting](notebooks/week-2.ipynb#fitting).
The raw notebook: [week-1.ipynb](notebooks/week-1.ipynb){download}.
"""


def notebook(*cells: dict) -> str:
    return json.dumps(
        {
            "cells": list(cells),
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
            "nbformat": 4,
            "nbformat_minor": 4,
        }
    )


def switch_to_coursebook(site: FixtureSite) -> None:
    """The one line."""
    config = site.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("- mkdocs-jupyter:") == 1
    config.write_text(text.replace("- mkdocs-jupyter:", "- coursebook:"), encoding="utf-8")


def jupyter_site(root) -> FixtureSite:
    site = FixtureSite(root)
    site.write("mkdocs.yml", JUPYTER_SITE)
    site.write("docs/index.md", INDEX)
    # Saved without outputs: mkdocs-jupyter (execute: false) shows the code only.
    site.write(
        "docs/notebooks/week-1.ipynb",
        notebook(
            markdown("# Week one: arrays"),
            code("import numpy_not_installed\nprint('never run')", count=None),
        ),
    )
    site.write(
        "docs/notebooks/week-2.ipynb",
        notebook(
            markdown("# Week two\n\n## Fitting"),
            code(
                "secret_setup = 42",
                outputs=[stream("set up\n")],
                metadata={"tags": ["hide_code"]},
            ),
            code("print(1 + 1)", outputs=[stream("2\n")]),
        ),
    )
    site.write("docs/scratch/try.ipynb", notebook(markdown("# Scratch")))
    return site


@pytest.fixture(scope="module")
def switched(tmp_path_factory):
    site = jupyter_site(tmp_path_factory.mktemp("jupyter-site"))
    switch_to_coursebook(site)
    return site.build()


def test_the_switched_site_builds_strictly_and_names_the_options_it_does_not_use(switched):
    assert switched.returncode == 0, switched.log
    assert "Unrecognised configuration name" not in switched.log
    notice = next(line for line in switched.log.splitlines() if "no effect in coursebook" in line)
    assert notice.startswith("INFO")
    assert "include_source:" in notice
    assert "theme:" in notice
    # Options with a meaning here are not in the notice.
    for used in ("execute:", "ignore:", "remove_tag_config:"):
        assert used not in notice
    # mkdocs-jupyter's `execute: false`: the notebooks are rendered as saved, none runs.
    assert "0 executed" in switched.log
    # The same pages as before: no schedule, readings or criteria without lectures; only the
    # accessibility statement, out of the nav the site wrote (docs/authoring/accessibility.md).
    pages = sorted(p.relative_to(switched.site).as_posix() for p in switched.site.rglob("*.html"))
    assert pages == [
        "404.html",
        "accessibility/index.html",
        "index.html",
        "notebooks/week-1/index.html",
        "notebooks/week-2/index.html",
    ]


def nav_entries(build) -> list[tuple[str, str]]:
    nav = build.html("index.html").select(".md-nav--primary > .md-nav__list > li > a")
    return [(a.get_text(strip=True), a["href"]) for a in nav]


def test_notebooks_in_the_nav_are_their_pages_in_the_same_place(switched):
    # As in mkdocs-jupyter, a notebook's own title wins over the nav's ("Week 1").
    assert nav_entries(switched) == [
        ("Home", "."),
        ("Week one: arrays", "notebooks/week-1/"),
        ("Week two", "notebooks/week-2/"),
    ]


def test_ignore_h1_titles_keeps_the_navs_titles(tmp_path):
    site = jupyter_site(tmp_path)
    site.write(
        "mkdocs.yml",
        JUPYTER_SITE.replace("execute: false", "execute: false\n      ignore_h1_titles: true"),
    )
    switch_to_coursebook(site)
    build = site.build()
    assert build.returncode == 0, build.log
    assert nav_entries(build)[1] == ("Week 1", "notebooks/week-1/")


def test_the_nav_and_links_are_mkdocs_jupyters(tmp_path, switched):
    """The same fixture built by mkdocs-jupyter itself (the `test` extra installs it)."""
    before = jupyter_site(tmp_path).build()
    assert before.returncode == 0, before.log
    assert nav_entries(switched) == nav_entries(before)

    def links(build) -> list[tuple[str, str]]:
        found = build.html("index.html").select("article a")
        return [(a.get_text(strip=True), a["href"]) for a in found if not a.get("class")]

    # One difference: `{download}` links the notebook file, which mkdocs-jupyter cannot.
    same, downloads = links(switched)[:2], links(switched)[2:]
    assert same == links(before)[:2]
    assert downloads == [("week-1.ipynb", "notebooks/week-1.ipynb")]


def test_links_to_notebooks_in_markdown_open_their_pages(switched):
    links = switched.html("index.html").select("article a")
    hrefs = {a.get_text(strip=True): a["href"] for a in links if not a.get("class")}
    assert hrefs["the first week"] == "notebooks/week-1/"
    assert hrefs["fitting"] == "notebooks/week-2/#fitting"
    # `{download}` keeps the link to the file itself.
    assert hrefs["week-1.ipynb"] == "notebooks/week-1.ipynb"
    assert (switched.site / "notebooks/week-1.ipynb").is_file()


def test_the_notebook_pages_show_what_mkdocs_jupyter_showed(switched):
    week1 = switched.html("notebooks/week-1/index.html").select_one("article")
    assert week1.select_one("h1").get_text(strip=True) == "Week one: arrays"
    assert "import numpy_not_installed" in week1.select_one("pre").get_text()
    assert week1.select(".nb-outputs") == []
    week2 = switched.html("notebooks/week-2/index.html").select_one("article")
    code_blocks = [pre.get_text() for pre in week2.select(".nb-input pre, pre.nb-input")]
    # The `hide_code` input is gone (remove_tag_config), its output stays.
    assert not any("secret_setup" in block for block in code_blocks)
    assert [pre.get_text() for pre in week2.select("pre.nb-stream")] == ["set up\n", "2\n"]


def test_ignored_notebooks_are_no_pages(switched):
    assert not (switched.site / "scratch/try/index.html").exists()
    assert (switched.site / "scratch/try.ipynb").is_file()


def test_a_link_to_a_missing_notebook_fails_a_strict_build(tmp_path):
    site = jupyter_site(tmp_path)
    site.write("docs/index.md", INDEX + "\nSee also [week 9](notebooks/week-9.ipynb).\n")
    switch_to_coursebook(site)
    build = site.build()
    assert build.returncode == 1
    assert (
        "WARNING -  Doc file 'index.md' contains a link 'notebooks/week-9.ipynb', but the "
        "target is not found among documentation files." in build.log
    )


def test_executing_as_mkdocs_jupyter_did_lets_cells_raise(tmp_path):
    """mkdocs-jupyter's `execute: true` runs every notebook and allows errors by default."""
    site = jupyter_site(tmp_path)
    site.write("mkdocs.yml", JUPYTER_SITE.replace("execute: false", "execute: true"))
    site.write(
        "docs/notebooks/week-2.ipynb",
        notebook(markdown("# Week two\n\n## Fitting"), code("1 / 0\nprint('after')")),
    )
    site.write("docs/notebooks/week-1.ipynb", notebook(markdown("# Week one"), code("2 * 21")))
    switch_to_coursebook(site)
    build = site.build()
    assert build.returncode == 0, build.log
    week1 = build.html("notebooks/week-1/index.html")
    assert week1.select_one(".nb-outputs").get_text(strip=True) == "42"
    week2 = build.html("notebooks/week-2/index.html")
    assert "ZeroDivisionError" in week2.select_one(".nb-outputs").get_text()


def saved_notebook(title: str, source: str, stored: str | None, **metadata) -> str:
    """A notebook whose one code cell was run (its stored output `stored`) or never run."""
    cell = (
        code(source, outputs=[stream(stored)], count=1)
        if stored is not None
        else code(source, count=None)
    )
    nb = json.loads(notebook(markdown(f"# {title}"), cell))
    if metadata:
        nb["metadata"]["coursebook"] = metadata
    return json.dumps(nb)


def test_execution_modes_auto_by_glob_and_by_notebook(fixture_site):
    site = fixture_site(
        """\
        notebooks:
          execute: auto
          execute_globs:
            "forced/*.ipynb": force
        """
    )
    run = "print('ran now')"
    site.write("docs/never-run.ipynb", saved_notebook("Never run", run, None))
    site.write("docs/saved.ipynb", saved_notebook("Saved", run, "saved output\n"))
    site.write("docs/forced/stale.ipynb", saved_notebook("Stale", run, "stale output\n"))
    site.write("docs/off.ipynb", saved_notebook("Off", run, None, execute="off"))
    build = site.build()
    assert build.returncode == 0, build.log
    assert "notebooks: 2 executed" in build.log

    def stream_text(page: str) -> list[str]:
        return [pre.get_text() for pre in build.html(page).select("article pre.nb-stream")]

    assert stream_text("never-run/index.html") == ["ran now\n"]
    assert stream_text("saved/index.html") == ["saved output\n"]
    assert stream_text("forced/stale/index.html") == ["ran now\n"]
    assert stream_text("off/index.html") == []


def test_an_unknown_mode_names_the_setting(fixture_site):
    site = fixture_site("notebooks:\n  execute: sometimes\n")
    site.write("docs/a.ipynb", saved_notebook("A", "1", None))
    build = site.build()
    assert build.returncode == 1
    assert (
        "mkdocs.yml: plugins.coursebook.notebooks.execute: expected auto, cache, force, "
        "off, true or false, got 'sometimes'" in build.log
    )


def test_a_missing_package_is_named_with_the_setting_that_renders_as_saved(fixture_site):
    site = fixture_site()
    site.write(
        "docs/labs/gpu.ipynb",
        saved_notebook("GPU lab", "import torch_not_here.nn\nprint(1)", None),
    )
    build = site.build()
    assert build.returncode == 1
    assert (
        "labs/gpu.ipynb: cell 2: ModuleNotFoundError: No module named 'torch_not_here' "
        "('torch_not_here' is not installed where the site is built: install it there, or "
        'render this notebook as saved with `render_only: ["labs/gpu.ipynb"]` under the '
        'plugin\'s `notebooks:` settings, or `"coursebook": {"execute": "off"}` in the '
        "notebook's metadata)" in build.log
    )


def test_the_adoption_guide_lists_every_mkdocs_jupyter_option():
    """The option table of docs/authoring/adopt.md names each option the plugin accepts."""
    from coursebook.config import JupyterCompatOptions
    from coursebook.jupyter_compat import OPTION_NAMES

    accepted = {name for name, _ in JupyterCompatOptions._schema}
    assert accepted == set(OPTION_NAMES)
    guide = (ROOT / "docs/authoring/adopt.md").read_text(encoding="utf-8")
    rows = [line for line in guide.splitlines() if line.startswith("| `")]
    in_table = {name for row in rows for name in re.findall(r"`(\w+)[`:]", row.split("|")[1])}
    assert accepted <= in_table, accepted - in_table


TEXTBOOK_SITE = """\
site_name: Statistics 200
theme:
  name: material
  font: false
exclude_docs: |
  lectures/04-excluded.md
draft_docs: |
  lectures/03-draft.md
not_in_nav: |
  lectures/06-hidden.md
nav:
  - Home: index.md
  - Lectures:
      - lectures/index.md
  - Schedule: schedule.md
plugins:
  - search
  - coursebook
"""


def lecture(number: int, title: str | None, heading: str) -> str:
    titled = f"title: {title}\n" if title else ""
    return f"---\n{titled}lecture: {number}\ndate: 2025-01-{number + 10:02d}\n---\n\n# {heading}\n"


def textbook_site(root) -> FixtureSite:
    """A course whose docs/lectures/ also holds its schedule notes and drafts."""
    site = FixtureSite(root)
    site.write("mkdocs.yml", TEXTBOOK_SITE)
    site.write("docs/index.md", "# Statistics 200\n")
    site.write("docs/lectures/index.md", "# Lectures\n")
    site.write("docs/lectures/01-sampling.md", lecture(1, "Sampling", "Sampling"))
    # No `title`: the page's heading is the lecture's title.
    site.write("docs/lectures/02-estimation.md", lecture(2, None, "Estimation and error"))
    site.write("docs/lectures/03-draft.md", lecture(3, "Draft", "Draft"))
    site.write("docs/lectures/04-excluded.md", lecture(4, "Excluded", "Excluded"))
    site.write("docs/lectures/05-unlisted.md", lecture(5, "Unlisted", "Unlisted"))
    site.write("docs/lectures/06-hidden.md", lecture(6, "Hidden", "Hidden"))
    # Pages beside the lectures that are not lectures.
    site.write("docs/lectures/reading-schedule.md", "# Reading schedule\n\nWeek 1: chapter 1.\n")
    site.write("docs/lectures/notes.md", "---\ntitle: Notes\nhide: [toc]\n---\n\nSome notes.\n")
    return site


def schedule_rows(build) -> list[tuple[str, str]]:
    rows = build.html("schedule/index.html").select("tr.cb-schedule__row")
    return [(r.select("td")[0].get_text(), r.select("td")[2].get_text()) for r in rows]


def lecture_nav(build) -> list[str]:
    section = next(
        li
        for li in build.html("index.html").select(".md-nav--primary > .md-nav__list > li")
        if li.select_one("label") and "Lectures" in li.select_one("label").get_text()
    )
    return [a.get_text(strip=True) for a in section.select("nav a")]


def test_only_pages_that_say_they_are_lectures_are_lectures(tmp_path):
    build = textbook_site(tmp_path).build()
    assert build.returncode == 0, build.log
    assert "WARNING" not in build.log
    # 05 is a lecture: the nav's Lectures section lists its folder. Drafts, excluded and
    # not_in_nav pages are not.
    assert schedule_rows(build) == [
        ("1", "Sampling"),
        ("2", "Estimation and error"),
        ("5", "Unlisted"),
    ]
    assert lecture_nav(build) == [
        "Lectures",
        "Sampling",
        "Estimation and error",
        "Unlisted",
        "Notes",
        "Reading schedule",
    ]
    # The notes and the schedule kept beside the lectures are plain pages.
    notes = build.html("lectures/notes/index.html").select_one("article")
    assert notes.select(".cb-lecture-header, .cb-lecture-actions") == []
    assert not (build.site / "lectures/03-draft/index.html").exists()


def test_lectures_left_out_of_a_written_nav_stay_out(tmp_path):
    site = textbook_site(tmp_path)
    site.write(
        "mkdocs.yml",
        TEXTBOOK_SITE.replace(
            "      - lectures/index.md\n",
            "      - lectures/index.md\n      - lectures/01-sampling.md\n"
            "      - lectures/02-estimation.md\n",
        ),
    )
    build = site.build(strict=False)
    assert build.returncode == 0, build.log
    assert schedule_rows(build) == [("1", "Sampling"), ("2", "Estimation and error")]
    assert lecture_nav(build) == ["Lectures", "Sampling", "Estimation and error"]


@pytest.mark.parametrize(
    ("text", "is_lecture"),
    [
        ("---\nlecture: 3\n---\n# Three\n", True),
        ("---\ntitle: T\npapers: []\n---\n", True),
        ("---\ntitle: Notes\nhide: [toc]\n---\ndate: not front matter\n", False),
        ("# Schedule\n\nlecture: 3\n", False),
        ("---\nlecture: 3\n", True),  # never closed: reported, not skipped
        ("---\n# lecture: 3 (a comment)\ntitle: x\n---\n", False),
    ],
)
def test_a_page_is_a_lecture_by_its_front_matter(text, is_lecture):
    from coursebook.course.lectures import declares_lecture

    assert declares_lecture(text) is is_lecture


BOOK_BIB = """\
@book{wasserman2004all,
  author = {Wasserman, Larry},
  title = {All of Statistics},
  year = {2004},
  publisher = {Springer},
}
"""


def reading_lecture(number: int, note: str | None) -> str:
    noted = f"\n    note: {note}" if note else ""
    return (
        f"---\ntitle: Lecture on chapter {number}\nlecture: {number}\n"
        f"date: 2025-01-{number + 10:02d}\npapers:\n  - cite: wasserman2004all{noted}\n---\n\n"
        f"# Lecture on chapter {number}\n"
    )


def test_one_book_read_across_the_term_keeps_every_lectures_note(tmp_path):
    site = textbook_site(tmp_path)
    site.write("references.bib", BOOK_BIB)
    notes = {1: "1.1–1.3 (20 p.)", 2: None, 5: "4.1–4.3 (23 p.)"}
    site.write("docs/lectures/01-sampling.md", reading_lecture(1, notes[1]))
    site.write("docs/lectures/02-estimation.md", reading_lecture(2, notes[2]))
    site.write("docs/lectures/05-unlisted.md", reading_lecture(5, notes[5]))
    build = site.build()
    assert build.returncode == 0, build.log
    pages = {1: "01-sampling", 2: "02-estimation", 5: "05-unlisted"}
    for number, page in pages.items():
        shown = build.html(f"lectures/{page}/index.html").select(
            ".cb-lecture-readings .cb-reading__note"
        )
        assert [n.get_text() for n in shown] == ([notes[number]] if notes[number] else [])
    readings = build.html("readings/index.html")
    assert [n.get_text() for n in readings.select("#wasserman2004all .cb-reading__note")] == [
        notes[1]
    ]
    # Under each later lecture: the book again, with that lecture's own note.
    again = {
        number: readings.select_one(f"#lecture-{number} ~ p.cb-readings__again")
        for number in (2, 5)
    }
    assert again[2].select(".cb-reading__note") == []
    assert [n.get_text() for n in again[5].select(".cb-reading__note")] == [notes[5]]
    bib = pybtex.database.parse_file(
        io.StringIO((build.site / "readings.bib").read_text("utf-8")), bib_format="bibtex"
    )
    assert bib.entries["wasserman2004all"].fields["annote"] == (
        r"Lecture 1: 1.1{\textendash}1.3 (20 p.); Lecture 5: 4.1{\textendash}4.3 (23 p.)"
    )


RICH_SITE = """\
site_name: Visual course
theme:
  name: material
  font: false
markdown_extensions:
  - attr_list
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
plugins:
  - search
  - coursebook:
      notebooks:
        execute: off
"""
MERMAID = "graph TD\n  A[Data] --> B{Model & loss}\n"


def test_notebook_markdown_draws_the_sites_mermaid_and_keeps_empty_cells(tmp_path):
    site = FixtureSite(tmp_path)
    site.write("mkdocs.yml", RICH_SITE)
    site.write("docs/index.md", f"# Visual course\n\n```mermaid\n{MERMAID}```\n")
    site.write(
        "docs/lab.ipynb",
        notebook(
            markdown(f"# Lab\n\n```mermaid\n{MERMAID}```\n\n```python\nprint('code')\n```"),
            code("x = 1", outputs=[]),
            code("", count=None),  # the answer slot of an exercise
            code("# your answer here", count=None),
        ),
    )
    build = site.build()
    assert build.returncode == 0, build.log
    on_page = build.html("index.html").select_one("article pre.mermaid")
    in_notebook = build.html("lab/index.html").select_one("article pre.mermaid")
    assert in_notebook is not None
    assert str(in_notebook) == str(on_page)
    # Other fences stay code.
    article = build.html("lab/index.html").select_one("article")
    assert article.select_one("code.language-python").get_text() == "print('code')\n"
    inputs = [pre.get_text() for pre in article.select(".nb-input pre, pre.nb-input")]
    assert [text.strip() for text in inputs] == ["x = 1", "", "# your answer here"]


def test_a_markdown_page_beside_its_notebook_is_reported(fixture_site):
    site = fixture_site("notebooks:\n  execute: off\n")
    site.write("docs/week-1.md", "# Week 1 notes\n")
    site.write("docs/week-1.ipynb", notebook(markdown("# Week 1"), code("1", count=None)))
    build = site.build()
    assert build.returncode == 1
    assert (
        "docs/week-1.md: docs/week-1.ipynb is published at the same address and replaces "
        "this page: rename one of them"
    ) in build.log
    assert build.html("week-1/index.html").select_one("article h1").get_text(strip=True) == (
        "Week 1"
    )


def check_output(project) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "coursebook", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_check_counts_the_lectures_a_build_counts(tmp_path):
    """`python -m coursebook check` finds the lectures as the build does: no notes, drafts,
    excluded or not_in_nav pages, nor lectures left out of a nav that lists its pages."""
    site = textbook_site(tmp_path)
    assert check_output(site.root) == "ok: 3 lecture(s), 0 reading(s)"
    site.write(
        "mkdocs.yml",
        TEXTBOOK_SITE.replace("      - lectures/index.md\n", "      - lectures/01-sampling.md\n"),
    )
    assert check_output(site.root) == "ok: 1 lecture(s), 0 reading(s)"


def test_kernel_name_runs_notebooks_saved_with_a_courses_own_kernel(tmp_path):
    """Notebooks saved with the course's kernelspec ("ds101", not installed here) run in the
    kernel that mkdocs-jupyter's `kernel_name` names."""
    site = jupyter_site(tmp_path)
    site.write(
        "mkdocs.yml",
        JUPYTER_SITE.replace("execute: false", "execute: true\n      kernel_name: python3"),
    )
    nb = json.loads(notebook(markdown("# Week one"), code("print(6 * 7)", count=None)))
    nb["metadata"]["kernelspec"] = {"name": "ds101", "display_name": "DS 101", "language": "python"}
    site.write("docs/notebooks/week-1.ipynb", json.dumps(nb))
    switch_to_coursebook(site)
    build = site.build()
    assert build.returncode == 0, build.log
    week1 = build.html("notebooks/week-1/index.html")
    assert week1.select_one("pre.nb-stream").get_text() == "42\n"


def test_a_mode_chosen_under_notebooks_wins_over_mkdocs_jupyters_default(tmp_path):
    site = jupyter_site(tmp_path)
    site.write(
        "mkdocs.yml",
        JUPYTER_SITE.replace("      execute: false\n", "      notebooks:\n        execute: auto\n"),
    )
    site.write("docs/notebooks/week-1.ipynb", saved_notebook("Week one", "print(6 * 7)", None))
    switch_to_coursebook(site)
    build = site.build()
    assert build.returncode == 0, build.log
    assert "notebooks: 1 executed" in build.log
    ran = build.html("notebooks/week-1/index.html").select_one("pre.nb-stream")
    assert ran.get_text() == "42\n"


def test_every_lecture_field_but_title_makes_a_page_a_lecture():
    """A new front-matter field is a lecture's own unless MkDocs or the theme read it too."""
    from coursebook.course.lectures import LECTURE_ONLY_FIELDS
    from coursebook.course.schema import THEME_KEYS, Lecture

    assert set(LECTURE_ONLY_FIELDS) == set(Lecture.model_fields) - THEME_KEYS


def adopted(options: dict):
    from coursebook.config import CourseConfig
    from coursebook.jupyter_compat import adopt_options

    config = CourseConfig()
    config.load_dict(options)
    errors, _ = config.validate()
    assert errors == []
    return adopt_options(config)


def test_mkdocs_jupyter_options_map_onto_notebook_settings():
    result = adopted(
        {
            "execute": True,
            "execute_ignore": ["gpu-*.ipynb"],
            "kernel_name": "python3",
            "include": ["notebooks/*.ipynb"],
            "ignore": ["*-draft.ipynb"],
            "toc_depth": 3,
        }
    )
    assert result.notebooks["execute"] == "cache"
    assert result.notebooks["allow_errors"] is True  # mkdocs-jupyter's default
    assert result.notebooks["execute_globs"] == {"gpu-*.ipynb": "off", "*/gpu-*.ipynb": "off"}
    assert result.notebooks["kernel_name"] == "python3"
    assert (result.include, result.ignore) == (("notebooks/*.ipynb",), ("*-draft.ipynb",))
    assert result.no_effect == ["toc_depth"]
    # Without mkdocs-jupyter's options, coursebook's own settings are untouched.
    plain = adopted({})
    assert (plain.notebooks["execute"], plain.notice()) == (None, None)


def test_a_bad_remove_tag_config_names_the_key():
    from coursebook.errors import BuildError

    with pytest.raises(BuildError) as raised:
        adopted({"remove_tag_config": {"remove_cells_tags": ["x"]}})
    assert str(raised.value) == (
        "mkdocs.yml: plugins.coursebook.remove_tag_config: unknown key 'remove_cells_tags'; "
        "expected one of remove_cell_tags, remove_input_tags, remove_all_outputs_tags, "
        "remove_single_output_tags"
    )


def test_tag_rules_hide_what_nbconverts_tag_remover_hides():
    from coursebook.notebooks.cell_tags import TagRules, apply_tag_rules

    tagged = {"tags": ["drop"]}
    nb = {
        "cells": [
            code("a", metadata=tagged),
            code("b", outputs=[{**stream("x\n"), "metadata": tagged}, stream("y\n")]),
            markdown("text", metadata=tagged),
        ]
    }
    rules = TagRules(
        remove_cell_tags=("drop",), remove_single_output_tags=("drop",), hide_all_inputs=True
    )
    cells = apply_tag_rules(nb, rules)["cells"]
    assert [c["metadata"].get("tags") for c in cells] == [
        ["drop", "remove-cell", "remove-input"],
        ["remove-input"],
        ["drop", "remove-cell"],
    ]
    assert [o["text"] for o in cells[1]["outputs"]] == [["y\n"]]
    assert apply_tag_rules(nb, TagRules()) is nb


def test_a_theme_override_reading_nb_url_gets_the_download(tmp_path):
    """mkdocs-jupyter documents a download button in `main.html` reading `page.nb_url`."""
    site = jupyter_site(tmp_path)
    site.write(
        "mkdocs.yml",
        JUPYTER_SITE.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
        + "site_url: https://example.org/ds101/\n",
    )
    site.write(
        "overrides/main.html",
        '{% extends "base.html" %}\n{% block content %}'
        '{% if page.nb_url %}<a class="nb-download" href="{{ page.nb_url }}">Download</a>'
        "{% endif %}{{ super() }}{% endblock content %}\n",
    )
    switch_to_coursebook(site)
    build = site.build()
    assert build.returncode == 0, build.log
    button = build.html("notebooks/week-1/index.html").select_one("a.nb-download")
    assert button["href"] == "/ds101/notebooks/week-1.ipynb"
    assert build.html("index.html").select_one("a.nb-download") is None


def test_new_lecture_numbers_after_drafts_it_would_clash_with(tmp_path):
    site = textbook_site(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "coursebook", "new", "lecture", "Regression"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # Lectures 1, 2 and 5 are published; 3 (draft), 4 (excluded) and 6 (not_in_nav) wait:
    # 6 would clash the day it is published.
    assert done.stdout.splitlines()[:2] == [
        "created docs/lectures/07-regression.md",
        "numbered 7: 6 is docs/lectures/06-hidden.md (not published yet); --number N to "
        "choose another",
    ]


def test_new_lecture_follows_the_published_lectures_not_a_draft_far_ahead(tmp_path):
    """Issue 22: `new lecture` numbered after excluded drafts. A draft kept for later (lecture
    30) neither moves the new lecture's number nor its date."""
    site = textbook_site(tmp_path)
    site.write(
        "docs/lectures/30-later.md",
        "---\ntitle: Later\nlecture: 30\ndate: 2025-06-01\n---\n\n# Later\n",
    )
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  lectures/03-draft.md\n", "  lectures/03-draft.md\n  lectures/30-later.md\n"
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "coursebook", "new", "lecture", "Regression"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "created docs/lectures/07-regression.md"
    made = (site.root / "docs/lectures/07-regression.md").read_text()
    # A week after the last published lecture (5, 2025-01-15), not after the draft.
    assert "\ndate: 2025-01-22\n" in made
