"""The plugin in real builds of fixture sites: generated pages, links, and bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import ROOT, FixtureSite, tree_state
from icalendar import Calendar

SHARED = """\
  - title: Understanding deep learning requires rethinking generalization
    authors: [Chiyuan Zhang, Samy Bengio]
    year: 2017
    arxiv: "1611.03530"
    required: true
    note: The randomization test."""

LECTURE_2 = f"""\
---
title: Intro to theory
lecture: 2
date: 2027-01-20
topics: [regularization]
notebooks: [nb/demo.ipynb]
papers:
{SHARED}
  - cite: kale2021sgd
criteria:
  - id: good-question
    title: What makes a question a good question?
    items:
      - id: must-be-a-question
        text: Must be a question
        counterexamples: [We use GANs and make them bigger]
      - id: must-have-an-answer
        text: Must have an answer
---

# Intro to theory

## Criteria

<!-- coursebook:criteria -->

## After the criteria
"""

LECTURE_5 = f"""\
---
title: Generalization again
lecture: 5
date: 2027-02-10
papers:
{SHARED}
---

# Generalization again

Text.
"""

BIB = """\
@inproceedings{kale2021sgd,
  title = {SGD: The Role of Implicit Regularization, Batch-size and Multiple-epochs},
  author = {Kale, Satyen and Sekhari, Ayush and Sridharan, Karthik},
  booktitle = {Advances in Neural Information Processing Systems 34},
  year = {2021},
  eprint = {2107.05074},
  archiveprefix = {arXiv}
}
"""

NOTEBOOK = (
    '{"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Demo"}], '
    '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
)


@pytest.fixture
def course(fixture_site):
    site = fixture_site("notebooks:\n  execute: false\n")
    site.write("docs/lectures/02-theory.md", LECTURE_2)
    site.write("docs/lectures/05-again.md", LECTURE_5)
    site.write("docs/lectures/index.md", "# Lectures\n")
    site.write("docs/nb/demo.ipynb", NOTEBOOK)
    site.write("references.bib", BIB)
    return site


@pytest.fixture
def built(course):
    build = course.build()
    assert build.returncode == 0, build.log
    return build


def resolve(build, page: str, href: str):
    """The built file and fragment that a relative link on `page` points at."""
    target = urlsplit(urljoin("http://site/" + page, href))
    path = target.path.lstrip("/")
    file = build.site / (path + "index.html" if path.endswith("/") or not path else path)
    return file, target.fragment


def test_generated_pages_exist_and_are_in_the_nav(built):
    for page in ("readings/index.html", "criteria/index.html", "schedule/index.html"):
        assert (built.site / page).exists()
    nav = {a.get_text(strip=True) for a in built.html("index.html").select("nav.md-nav a")}
    assert {"Reading list", "Project criteria", "Schedule"} <= nav


def test_generated_pages_are_in_the_search_index(built):
    import json

    index = json.loads((built.site / "search/search_index.json").read_text("utf-8"))

    def text(page: str) -> str:
        return " ".join(d["text"] for d in index["docs"] if d["location"].startswith(page))

    assert "Intro to theory" in text("schedule/")
    titles = [d["title"] for d in index["docs"] if d["location"].startswith("readings/")]
    assert "Lecture 2 · Intro to theory" in titles
    titles = [d["title"] for d in index["docs"] if d["location"].startswith("criteria/")]
    assert "What makes a question a good question?" in titles


def test_a_criterion_is_found_by_search_on_its_lecture_only(built):
    """The criteria page repeats the lectures' checklists: a search for a criterion leads to
    the lecture that gives it, once, not to the criteria page again."""
    import json

    index = json.loads((built.site / "search/search_index.json").read_text("utf-8"))
    docs = index["docs"]
    found = {d["location"].split("#")[0] for d in docs if "Must be a question" in d["text"]}
    assert found == {"lectures/02-theory/"}
    # The checklist is on the criteria page all the same, with its boxes.
    page = built.html("criteria/index.html")
    items = page.select(".cb-checklist__item")
    assert "Must be a question" in items[0].get_text()
    assert items[0].select_one("input[type=checkbox]")


def test_a_paper_is_found_by_search_on_the_lectures_that_cite_it_only(built):
    """The reading list repeats the lectures' readings (and its by-year table repeats it): a
    search for a title leads to each lecture citing it, once, not to the list again."""
    import json

    index = json.loads((built.site / "search/search_index.json").read_text("utf-8"))
    title = "rethinking generalization"
    found = {d["location"] for d in index["docs"] if title in d["text"]}
    assert found == {"lectures/02-theory/#readings", "lectures/05-again/#readings"}
    # The list is on the page all the same.
    page = built.html("readings/index.html")
    assert title in page.select_one("li#zhang2017understanding").get_text()
    assert page.select(".cb-readings-by-year tr")


def test_page_furniture_is_not_in_the_search_index(built):
    import json

    index = json.loads((built.site / "search/search_index.json").read_text("utf-8"))
    lecture = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("lectures/"))
    assert "Present" not in lecture
    assert "Print handout" not in lecture
    page = built.html("lectures/02-theory/index.html")
    assert page.select_one(".cb-lecture-actions a.cb-present").get_text() == "Present"
    assert page.select_one(".cb-handout-header time")


def test_a_shared_paper_is_listed_once_with_back_links_that_resolve(built):
    page = built.html("readings/index.html")
    entries = page.select("li.cb-reading[id]")
    assert [e["id"] for e in entries] == ["zhang2017understanding", "kale2021sgd"]
    backlinks = entries[0].select("a.cb-reading__backlink")
    assert [a.get_text() for a in backlinks] == ["Lecture 2", "Lecture 5"]
    for link in backlinks:
        file, _ = resolve(built, "readings/", link["href"])
        assert file.exists(), link["href"]
    again = page.select_one("#lecture-5 ~ p.cb-readings__again a")
    assert again["href"] == "#zhang2017understanding"


def test_reading_entries_show_required_links_and_notes(built):
    entry = built.html("readings/index.html").select_one("#zhang2017understanding")
    assert "cb-reading--required" in entry["class"]
    links = {a.get_text(): a["href"] for a in entry.select("a.cb-reading__link")}
    assert links == {
        "arXiv": "https://arxiv.org/abs/1611.03530",
        "PDF": "https://arxiv.org/pdf/1611.03530",
    }
    assert entry.select_one(".cb-reading__note").get_text() == "The randomization test."
    optional = built.html("readings/index.html").select_one("#kale2021sgd")
    assert "Optional" in optional.select_one(".cb-reading__badge").get_text()


def test_lecture_pages_list_their_readings_linking_to_the_course_list(built):
    page = built.html("lectures/02-theory/index.html")
    titles = page.select("#readings ~ ol.cb-readings a.cb-reading__title")
    assert next(a.get_text() for a in titles).startswith("Understanding deep learning")
    for link in titles:
        file, fragment = resolve(built, "lectures/02-theory/", link["href"])
        assert built.html(str(file.relative_to(built.site))).find(id=fragment), link["href"]


def test_checklist_goes_where_the_marker_is_with_stable_anchors(built):
    article = built.html("lectures/02-theory/index.html").select_one("article")
    checklist = article.select_one(".cb-checklist")
    heading_after = checklist.find_next("h2")
    assert heading_after.get_text(strip=True).startswith("After the criteria")
    items = checklist.select("li.cb-checklist__item")
    assert [i["id"] for i in items] == [
        "good-question-must-be-a-question",
        "good-question-must-have-an-answer",
    ]
    box = items[0].select_one("input[type=checkbox]")
    assert box["data-cb-item"] == "good-question/must-be-a-question"
    assert "We use GANs and make them bigger" in items[0].select_one("details").get_text()
    assert "style" not in str(checklist)  # classes only, so print CSS can restyle


def test_criteria_page_collects_groups_linked_to_their_lecture(built):
    page = built.html("criteria/index.html")
    group = page.select_one("h2#good-question")
    assert group.get_text(strip=True).startswith("What makes a question a good question?")
    source = page.select_one(".cb-criteria__source a")
    file, _ = resolve(built, "criteria/", source["href"])
    assert file == built.site / "lectures/02-theory/index.html"
    assert len(page.select("li.cb-checklist__item")) == 2


def test_schedule_lists_lectures_in_order_and_exports_a_calendar(built):
    page = built.html("schedule/index.html")
    rows = page.select("tr.cb-schedule__row")
    assert [r.select("td")[0].get_text() for r in rows] == ["2", "5"]
    cells = rows[0].select("td")
    assert cells[2].get_text() == "Intro to theory"
    assert cells[4].get_text() == "2"  # readings count
    notebook = cells[5].select_one("a")["href"]
    assert resolve(built, "schedule/", notebook)[0] == built.site / "nb/demo/index.html"
    deck = rows[0].select_one('td[data-label="Slides"] a')
    assert deck.get_text() == "Deck"
    assert resolve(built, "schedule/", deck["href"])[0] == (
        built.site / "lectures/02-theory/slides/index.html"
    )
    assert resolve(built, "schedule/", deck["href"])[0].exists()
    calendar = Calendar.from_ical((built.site / "schedule.ics").read_bytes())
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert summaries == [
        "Fixture course · Lecture 2: Intro to theory",
        "Fixture course · Lecture 5: Generalization again",
    ]


def test_readings_bib_is_downloadable_and_parses(built):
    import bibtexparser

    library = bibtexparser.parse_string((built.site / "readings.bib").read_text("utf-8"))
    assert [e.key for e in library.entries] == ["zhang2017understanding", "kale2021sgd"]


def test_templates_can_be_overridden_from_the_custom_dir(fixture_site):
    site = fixture_site("notebooks:\n  execute: false\n", custom_dir="overrides")
    site.write("docs/lectures/02-theory.md", LECTURE_5.replace("lecture: 5", "lecture: 2"))
    site.write(
        "overrides/coursebook/criteria.md",
        "# Our own rubric\n\n{% for lecture, group in groups %}{{ group.title }}{% endfor %}\n",
    )
    build = site.build()
    assert build.returncode == 0, build.log
    assert (
        build.html("criteria/index.html")
        .select_one("article h1")
        .get_text(strip=True)
        .startswith("Our own rubric")
    )


BAD_INPUT = [
    (
        "lecture: [2\n",
        # The reason's wording differs between libyaml and pure-Python PyYAML.
        "docs/lectures/02-theory.md: front matter: invalid YAML at line 4, column 5: ",
    ),
    ("title: null\n", "docs/lectures/02-theory.md: title: expected non-empty text, got None"),
    (
        "date: soon\n",
        "docs/lectures/02-theory.md: date: expected a date like 2027-01-20, got 'soon'",
    ),
    ("paper: []\n", "docs/lectures/02-theory.md: paper: unknown field; did you mean 'papers'?"),
    (
        "slides: javascript:alert(1)\n",
        "docs/lectures/02-theory.md: slides: expected an http(s) URL, DOI or arXiv id, "
        "got 'javascript:alert(1)'",
    ),
]


@pytest.mark.parametrize(("extra", "message"), BAD_INPUT, ids=lambda x: x[:12])
def test_bad_front_matter_fails_a_strict_build_with_the_exact_message(course, extra, message):
    path = course.root / "docs/lectures/02-theory.md"
    text = path.read_text()
    key = extra.split(":")[0]
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith(key + ":")]
    lines.insert(2, extra)
    path.write_text("".join(lines))
    build = course.build()
    assert build.returncode == 1
    assert f"WARNING -  coursebook: {message}" in build.log
    assert f"ERROR   -  coursebook: 1 problem(s) in a strict build:\n  {message}" in build.log


def break_lecture_number(course) -> str:
    path = course.root / "docs/lectures/02-theory.md"
    path.write_text(path.read_text().replace("lecture: 2", "lecture: twenty"))
    return "docs/lectures/02-theory.md: lecture: expected a whole number, got 'twenty'"


def test_a_plain_build_warns_but_goes_on(course):
    message = break_lecture_number(course)
    build = course.build(strict=False)
    assert build.returncode == 0, build.log
    assert f"WARNING -  coursebook: {message}" in build.log
    assert "in a strict build" not in build.log


def test_a_quiet_strict_build_still_fails_and_lists_the_problems(course):
    """`-q` hides warnings from MkDocs's strict counter; coursebook counts its own."""
    message = break_lecture_number(course)
    build = course.build(quiet=True)
    assert build.returncode == 1
    assert "WARNING" not in build.log
    assert f"ERROR   -  coursebook: 1 problem(s) in a strict build:\n  {message}" in build.log


def test_a_quiet_strict_build_of_a_good_course_passes(course):
    build = course.build(quiet=True)
    assert (build.returncode, build.log) == (0, "")


def test_a_missing_title_is_reported(course):
    """Without `title` a lecture takes its `# ` heading (tests/test_adopt.py); without
    either, the title is missing."""
    path = course.root / "docs/lectures/05-again.md"
    text = path.read_text().replace("title: Generalization again\n", "")
    path.write_text(text.replace("# Generalization again\n", ""))
    build = course.build()
    assert build.returncode == 1
    assert "coursebook: docs/lectures/05-again.md: title: required field is missing" in build.log


def test_conflicting_duplicates_name_both_places(course):
    path = course.root / "docs/lectures/05-again.md"
    path.write_text(path.read_text().replace("year: 2017", "year: 2016"))
    build = course.build()
    assert build.returncode == 1
    assert (
        "coursebook: docs/lectures/05-again.md: papers[0]: same paper as "
        "docs/lectures/02-theory.md: papers[0] but they disagree: year 2016 vs 2017"
    ) in build.log


def test_every_problem_of_a_build_is_reported_together(course):
    for name in ("02-theory.md", "05-again.md"):
        path = course.root / "docs/lectures" / name
        path.write_text(path.read_text().replace("date: 2027", "date: x2027"))
    build = course.build()
    warnings = [line for line in build.log.splitlines() if line.startswith("WARNING")]
    assert sum(": date: expected a date like 2027-01-20" in line for line in warnings) == 2
    assert "coursebook: 2 problem(s) in a strict build:" in build.log


def markup(field: str) -> str:
    """Markup that would make an element (and a javascript: link) if it were not escaped."""
    return f'<i class="injected">{field}</i> [x](javascript:alert(1))'


# Every front-matter text that is rendered somewhere, and the pages where it must show as text.
INJECTED_FIELDS = {
    "lecture-title": (
        "lectures/index.html",
        "readings/index.html",
        "criteria/index.html",
        "schedule/index.html",
    ),
    "summary": ("lectures/index.html",),
    "topic": ("lectures/index.html", "schedule/index.html"),
    "paper-title": ("readings/index.html", "lectures/05-again/index.html"),
    "paper-author": ("readings/index.html", "lectures/05-again/index.html"),
    "paper-venue": ("readings/index.html", "lectures/05-again/index.html"),
    "paper-note": ("readings/index.html",),
    "group-title": ("criteria/index.html", "lectures/05-again/index.html"),
    "item-text": ("criteria/index.html", "lectures/05-again/index.html"),
    "explanation": ("criteria/index.html", "lectures/05-again/index.html"),
    "example": ("criteria/index.html", "lectures/05-again/index.html"),
    "counterexample": ("criteria/index.html", "lectures/05-again/index.html"),
}


def test_html_in_front_matter_is_escaped_everywhere_it_shows(course):
    def value(field: str) -> str:
        return "'" + markup(field).replace("'", "''") + "'"

    course.write(
        "docs/lectures/05-again.md",
        f"""\
        ---
        title: {value("lecture-title")}
        lecture: 5
        date: 2027-02-10
        summary: {value("summary")}
        topics: [{value("topic")}]
        papers:
          - title: {value("paper-title")}
            authors: [{value("paper-author")}]
            year: 2019
            venue: {value("paper-venue")}
            note: {value("paper-note")}
        criteria:
          - id: group
            title: {value("group-title")}
            items:
              - id: item
                text: {value("item-text")}
                explanation: {value("explanation")}
                examples: [{value("example")}]
                counterexamples: [{value("counterexample")}]
        ---

        # Generalization again

        <!-- coursebook:criteria -->
        """,
    )
    course.write("docs/lectures/index.md", "# Lectures\n\n<!-- coursebook:lecture-list -->\n")
    build = course.build()
    assert build.returncode == 0, build.log
    pages = {page for shown_on in INJECTED_FIELDS.values() for page in shown_on}
    for page in sorted(pages):
        soup = build.html(page)
        assert soup.select("i.injected") == [], page
        assert soup.select('a[href^="javascript:"]') == [], page
        text = soup.article.get_text(" ")
        for field, shown_on in INJECTED_FIELDS.items():
            if page in shown_on:
                assert markup(field) in text, (field, page)
    title = build.html("lectures/05-again/index.html").title.get_text()
    assert markup("lecture-title") in title


def run_check(project) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coursebook", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_command_passes_a_valid_course(course):
    done = run_check(course.root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok: 2 lecture(s), 2 reading(s)"


def test_check_command_reports_the_same_messages_and_fails(course):
    path = course.root / "docs/lectures/02-theory.md"
    path.write_text(
        path.read_text().replace("papers:", "paperz:").replace("date: 2027-01-20", "date: soon")
    )
    done = run_check(course.root)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "docs/lectures/02-theory.md: paperz: unknown field; did you mean 'papers'?",
        "docs/lectures/02-theory.md: date: expected a date like 2027-01-20, got 'soon'",
        "2 problem(s); 1 lecture(s) valid",
    ]


def test_a_lecture_naming_a_missing_notebook_is_reported(course):
    path = course.root / "docs/lectures/02-theory.md"
    path.write_text(path.read_text().replace("nb/demo.ipynb", "nb/missing.ipynb"))
    done = run_check(course.root)
    assert done.returncode == 1, done.stderr
    assert "docs/lectures/02-theory.md: notebooks[0]: no file 'nb/missing.ipynb' in docs/" in (
        done.stderr
    )


def test_check_command_names_a_missing_references_file(course):
    config = course.root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - coursebook:\n", "  - coursebook:\n      references: refs.bib\n"
        )
    )
    message = f"mkdocs.yml: plugins.coursebook.references: no file {course.root / 'refs.bib'}"
    done = run_check(course.root)
    assert done.returncode == 1
    assert done.stderr.strip() == message
    scaffold = subprocess.run(
        [sys.executable, "-m", "coursebook", "new", "lecture", "X"],
        cwd=course.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert scaffold.returncode == 1
    assert scaffold.stderr.strip() == message


def snapshots(course) -> list:
    return sorted((course.root / ".cache/coursebook/snapshots").glob("*.pickle"))


def test_a_rebuild_with_the_same_front_matter_loads_the_snapshot(course):
    first = course.build()
    assert first.returncode == 0, first.log
    (snapshot,) = snapshots(course)
    written = (snapshot.stat().st_ino, snapshot.stat().st_mtime_ns)
    readings = first.html("readings/index.html").article.get_text(" ")
    first_deck = first.html("lectures/05-again/slides/index.html").select_one(".reveal").get_text()
    lecture = course.root / "docs/lectures/05-again.md"
    lecture.write_text(lecture.read_text() + "\nMore prose, same front matter.\n")
    second = course.build()
    assert second.returncode == 0, second.log
    assert snapshots(course) == [snapshot], "prose edit made a new snapshot"
    # Read back, not made again: a rewrite replaces the file (new inode, new time).
    assert (snapshot.stat().st_ino, snapshot.stat().st_mtime_ns) == written
    assert second.html("readings/index.html").article.get_text(" ") == readings
    assert "More prose, same front matter." in second.html("lectures/05-again/index.html").text
    # The deck is cached by the page it is made from: the edit reaches it too.
    deck = second.html("lectures/05-again/slides/index.html")
    assert "More prose, same front matter." in deck.select_one(".reveal").get_text()
    assert "More prose" not in first_deck

    lecture.write_text(
        lecture.read_text().replace("Generalization again", "Generalization, once more")
    )
    third = course.build()
    assert third.returncode == 0, third.log
    assert len(snapshots(course)) == 2
    assert "Generalization, once more" in third.html("readings/index.html").article.get_text(" ")


def test_problems_are_reported_again_when_the_snapshot_is_reused(course):
    message = break_lecture_number(course)
    stamps = []
    for _ in range(2):
        build = course.build()
        assert build.returncode == 1
        assert f"WARNING -  coursebook: {message}" in build.log
        (snapshot,) = snapshots(course)
        stamps.append((snapshot.stat().st_ino, snapshot.stat().st_mtime_ns))
    assert stamps[0] == stamps[1], "the second build made the snapshot again"


def test_a_damaged_snapshot_is_made_again(course):
    assert course.build().returncode == 0
    (snapshot,) = snapshots(course)
    snapshot.write_bytes(b"not a pickle")
    build = course.build()
    assert build.returncode == 0, build.log
    assert "rethinking generalization" in build.html("readings/index.html").article.get_text()
    assert snapshot.read_bytes() != b"not a pickle"


WARM_BUILD = """\
import json, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
build(load_config("mkdocs.yml", site_dir=sys.argv[1]))
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & {"pydantic"})))
"""


def warm_build_modules(course, site: str) -> list[str]:
    """Build in one process; the heavy modules it imported."""
    done = subprocess.run(
        [sys.executable, "-c", WARM_BUILD, str(course.root / site)],
        cwd=course.root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def course_files(course, kind: str = "courses") -> list:
    """The kept validated course ("courses") or what each deck takes from it ("decks")."""
    return sorted((course.root / f".cache/coursebook/snapshots/{kind}").glob("*.pickle"))


def test_a_warm_build_reads_neither_the_course_nor_pydantic(course):
    """The snapshot holds what a build with unchanged front matter needs, listings included:
    the validated course is not read back (a damaged file of it stays as it is) and pydantic
    is never imported."""
    course.write("docs/lectures/index.md", "# Lectures\n\n<!-- coursebook:lecture-list -->\n")
    cold = course.build()
    assert cold.returncode == 0, cold.log
    (stored,) = course_files(course)
    stored.write_bytes(b"not a pickle")
    (deck_parts,) = course_files(course, "decks")
    deck_parts.write_bytes(b"not a pickle either")
    assert warm_build_modules(course, "site-warm") == []
    assert stored.read_bytes() == b"not a pickle", "the warm build read the course"
    assert deck_parts.read_bytes() == b"not a pickle either", "the warm build read deck parts"
    for page in ("lectures/index.html", "readings/index.html", "lectures/02-theory/index.html"):
        warm = (course.root / "site-warm" / page).read_text("utf-8")
        assert warm == (cold.site / page).read_text("utf-8"), page
    listing = cold.html("lectures/index.html").select("article a[href]")
    assert {a["href"] for a in listing} >= {"02-theory/", "05-again/"}


def test_a_prose_edit_makes_its_deck_again_without_the_course(course):
    """A prose edit changes the lecture's deck; what the deck takes from the course (title,
    readings, criteria, notebooks) is kept apart as plain data, so the course is not read (its
    damaged file stays as it is) and pydantic is not imported."""
    assert course.build().returncode == 0
    (stored,) = course_files(course)
    stored.write_bytes(b"not a pickle")
    lecture = course.root / "docs/lectures/02-theory.md"
    lecture.write_text(lecture.read_text() + "\nA new closing paragraph.\n")
    assert warm_build_modules(course, "site") == []
    assert stored.read_bytes() == b"not a pickle"
    deck = (course.root / "site/lectures/02-theory/slides/index.html").read_text("utf-8")
    assert "A new closing paragraph." in deck
    assert "rethinking generalization" in deck.lower()  # the readings slide
    assert "Must be a question" in deck  # the criteria slide
    assert 'href="../../../nb/demo/"' in deck  # the notebooks slide
    assert "<title>Lecture 2 · Intro to theory (slides)" in deck
    shutil.rmtree(course.root / ".cache")  # the same deck, made with the course at hand
    assert course.build(site="site-cold").returncode == 0
    cold = (course.root / "site-cold/lectures/02-theory/slides/index.html").read_text("utf-8")
    assert deck == cold


# A copied slides.html that reads the front matter further than the bundled one: a field named
# like a dict method (`items`), a nested paper's field, a date.
DECK_OVERRIDE_EXTRA = """\
<div id="override">{% for group in lecture.meta.criteria %}{% for item in group.items %}
<p class="criterion">{{ item.text }}</p>{% endfor %}{% endfor %}
<p class="paper">{{ lecture.meta.papers[0].authors[0] }}</p>
<p class="date">{{ lecture.meta.date.year }}</p></div>
"""


def test_a_copied_deck_template_reads_the_front_matter_as_before(fixture_site):
    """slides.html copied to overrides/coursebook/ reads `lecture.meta` field by field, in a
    cold build and in a deck made again from the snapshot after a prose edit."""
    site = fixture_site("notebooks:\n  execute: false\n", custom_dir="overrides")
    site.write("docs/lectures/02-theory.md", LECTURE_2)
    site.write("docs/nb/demo.ipynb", NOTEBOOK)
    site.write("references.bib", BIB)
    bundled = (ROOT / "plugins/coursebook/templates/slides.html").read_text("utf-8")
    site.write(
        "overrides/coursebook/slides.html",
        bundled.replace('<div class="reveal">', DECK_OVERRIDE_EXTRA + '<div class="reveal">'),
    )
    deck_file = "lectures/02-theory/slides/index.html"

    def override_part(build) -> list[str]:
        assert build.returncode == 0, build.log
        return [p.get_text() for p in build.html(deck_file).select("#override p")]

    expected = ["Must be a question", "Must have an answer", "Chiyuan Zhang", "2027"]
    assert override_part(site.build()) == expected
    lecture = site.root / "docs/lectures/02-theory.md"
    lecture.write_text(lecture.read_text() + "\nA new closing paragraph.\n")
    edited = site.build()
    assert override_part(edited) == expected
    assert "A new closing paragraph." in (edited.site / deck_file).read_text("utf-8")


def test_damaged_deck_parts_are_made_again_from_the_course(course):
    assert course.build().returncode == 0
    (deck_parts,) = course_files(course, "decks")
    deck_parts.write_bytes(b"not a pickle")
    lecture = course.root / "docs/lectures/02-theory.md"
    lecture.write_text(lecture.read_text() + "\nA new closing paragraph.\n")
    assert warm_build_modules(course, "site") == ["pydantic"]  # the course was read
    assert deck_parts.read_bytes() != b"not a pickle"
    deck = (course.root / "site/lectures/02-theory/slides/index.html").read_text("utf-8")
    assert "A new closing paragraph." in deck
    assert "Must be a question" in deck


def test_what_must_be_rendered_again_reads_or_remakes_the_course(course):
    """A listing no longer in its cache is made from the course: with the course's file
    damaged, the course is made again from the front matter."""
    course.write("docs/lectures/index.md", "# Lectures\n\n<!-- coursebook:lecture-list -->\n")
    assert course.build().returncode == 0
    (stored,) = course_files(course)
    stored.write_bytes(b"not a pickle")
    shutil.rmtree(course.root / ".cache/coursebook/listings")
    assert warm_build_modules(course, "site") == ["pydantic"]
    assert stored.read_bytes() != b"not a pickle"
    listing = (course.root / "site/lectures/index.html").read_text("utf-8")
    assert "Generalization again" in listing


def test_a_damaged_cached_listing_is_made_again(course):
    course.write("docs/lectures/index.md", "# Lectures\n\n<!-- coursebook:lecture-list -->\n")
    assert course.build().returncode == 0
    (listing,) = (course.root / ".cache/coursebook/listings").glob("*.md")
    listing.write_bytes(b"\xff\xfe not UTF-8")
    build = course.build()
    assert build.returncode == 0, build.log
    assert "Generalization again" in build.html("lectures/index.html").article.get_text()
    assert "Generalization again" in listing.read_text("utf-8")


def test_a_dirty_build_keeps_the_cached_decks_of_the_pages_it_skipped(course):
    """`mkdocs build --dirty` builds only the changed lecture: the other's cached deck is not
    stale and stays for the next full build, which prunes what no page used."""
    assert course.build().returncode == 0
    decks = course.root / ".cache/coursebook/decks"
    first = set(decks.glob("*.html"))
    assert len(first) == 2
    lecture = course.root / "docs/lectures/05-again.md"
    lecture.write_text(lecture.read_text() + "\nA dirty edit.\n")
    dirty = course.build(strict=False, args=("--dirty",))  # MkDocs warns of --dirty
    assert dirty.returncode == 0, dirty.log
    assert "A dirty edit." in (dirty.site / "lectures/05-again/slides/index.html").read_text()
    after_dirty = set(decks.glob("*.html"))
    assert first < after_dirty
    assert len(after_dirty) == 3
    full = course.build()
    assert full.returncode == 0, full.log
    kept = set(decks.glob("*.html"))
    assert len(kept) == 2
    assert kept < after_dirty


def test_a_dirty_build_keeps_the_cached_listing_of_a_page_it_skipped(course):
    course.write("docs/lectures/index.md", "# Lectures\n\n<!-- coursebook:lecture-list -->\n")
    assert course.build().returncode == 0
    (listing,) = (course.root / ".cache/coursebook/listings").glob("*.md")
    lecture = course.root / "docs/lectures/05-again.md"
    lecture.write_text(lecture.read_text() + "\nA dirty edit.\n")
    dirty = course.build(strict=False, args=("--dirty",))  # MkDocs warns of --dirty
    assert dirty.returncode == 0, dirty.log
    assert listing.exists()


def test_a_cached_listing_follows_a_changed_lecture_title(course):
    course.write("docs/lectures/index.md", "# Lectures\n\n<!-- coursebook:lecture-list -->\n")
    first = course.build()
    assert first.returncode == 0, first.log
    assert "Generalization again" in first.html("lectures/index.html").article.get_text()
    lecture = course.root / "docs/lectures/05-again.md"
    lecture.write_text(lecture.read_text().replace("Generalization again", "Implicit bias"))
    second = course.build()
    assert second.returncode == 0, second.log
    listing = second.html("lectures/index.html").article.get_text()
    assert "Implicit bias" in listing
    assert "Generalization again" not in listing
    assert len(list((course.root / ".cache/coursebook/listings").glob("*.md"))) == 1


def add_hook(course, source: str) -> None:
    """Add an MkDocs hook (a module of plugin events) to the course's mkdocs.yml."""
    course.write("hook.py", source)
    config = course.root / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - hook.py\n")


def test_a_plugin_that_strips_html_comments_cannot_lose_blocks_silently(course):
    """Late blocks (the lecture's buttons, the reading lists) wait in the page as comments
    until coursebook puts them in; a plugin removing comments before that is reported."""
    add_hook(
        course,
        "import re\n\n\ndef on_page_content(html, **kwargs):\n"
        "    return re.sub(r'<!--.*?-->', '', html)\n",
    )
    build = course.build()
    assert build.returncode == 1
    assert (
        "lectures/02-theory.md: 2 generated block(s) lost from the page before it was written"
        in build.log
    )


def test_a_deck_that_cannot_be_written_stops_the_build_naming_the_lecture_and_file(course):
    """A file where the deck's folder should be (here put there by a hook): the build fails
    and says which lecture's deck, and where."""
    add_hook(
        course,
        "from pathlib import Path\n\n\ndef on_page_content(html, page, config, **kwargs):\n"
        "    if page.file.src_uri == 'lectures/02-theory.md':\n"
        "        folder = Path(config.site_dir) / 'lectures/02-theory'\n"
        "        folder.mkdir(parents=True, exist_ok=True)\n"
        "        (folder / 'slides').write_text('in the way')\n"
        "    return html\n",
    )
    build = course.build()
    assert build.returncode == 1
    assert re.search(
        r"coursebook: lectures/02-theory\.md: could not write its slide deck "
        r"\S*lectures/02-theory/slides/index\.html",
        build.log,
    ), build.log


def test_a_deck_cache_that_cannot_be_used_stops_the_build_naming_the_lecture(course):
    course.write(".cache/coursebook/decks", "a file where the cache's folder should be")
    build = course.build()
    assert build.returncode == 1
    assert re.search(
        r"coursebook: lectures/02-theory\.md: could not keep its slide deck in the cache "
        r"\S*\.cache/coursebook/decks",
        build.log,
    ), build.log


def test_a_disabled_plugin_builds_the_pages_as_they_are(course):
    config = course.root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - coursebook:\n", "  - coursebook:\n      enabled: false\n")
    )
    build = course.build(strict=False)
    assert build.returncode == 0, build.log
    page = build.html("lectures/02-theory/index.html")
    assert not page.select(".cb-lecture-actions")
    assert not (build.site / "readings/index.html").exists()


def test_two_cold_builds_of_a_course_write_the_same_bytes(course, tmp_path):
    """A build is a function of its sources: two cold builds (no cache shared) of a course with
    readings, a calendar, decks and a notebook write the same files, byte for byte, when the
    build time is fixed the reproducible-builds way (the calendar's DTSTAMP)."""
    twin = tmp_path / "twin"
    shutil.copytree(course.root, twin, ignore=shutil.ignore_patterns(".cache", "site"))
    env = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01T00:00:00Z
    first = course.build(env=env)
    second = FixtureSite(twin).build(env=env)
    assert first.returncode == 0, first.log
    assert second.returncode == 0, second.log
    files = tree_state(first.site)
    assert files.keys() == tree_state(second.site).keys()
    assert any(name.endswith("slides/index.html") for name in files)  # decks were written
    differ = [
        name
        for name in sorted(files)
        if (first.site / name).read_bytes() != (second.site / name).read_bytes()
    ]
    assert differ == []
    assert b"DTSTAMP:20260101T000000Z" in (first.site / "schedule.ics").read_bytes()
