"""A fixture term built by MkDocs: the schedule's weeks, the home page's blocks, the assignments
and staff pages, schedule.ics, and an assignment page's solutions by its own date."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

import nbformat
import pytest
import recurring_ical_events
from conftest import where
from icalendar import Calendar
from term_fixtures import SECRET, write_term_site

NY = ZoneInfo("America/New_York")
BUILD_DAY = {"COURSEBOOK_TODAY": "2027-01-20", "SOURCE_DATE_EPOCH": "1767225600"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = write_term_site(tmp_path_factory.mktemp("term") / "project")
    build = site.build(env=BUILD_DAY)
    assert build.returncode == 0, build.log
    return build


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def test_the_schedule_shows_the_term_week_by_week(built):
    page = built.html("schedule/index.html")
    weeks = page.select(".cb-weeks > section.cb-week")
    assert len(weeks) == 14
    current = [w["id"] for w in weeks if "cb-week--current" in w["class"]]
    assert current == ["week-2"]
    assert weeks[1]["aria-current"] == "date"
    assert [w["id"] for w in weeks if "cb-week--past" in w["class"]] == ["week-1"]
    assert (weeks[1]["data-cb-start"], weeks[1]["data-cb-end"]) == ("2027-01-18", "2027-01-24")
    entries = [text(li) for li in weeks[1].select("li.cb-entry")]
    assert entries[0] == "Mon 18 Jan No class Martin Luther King Jr. Day"
    assert not any(e.startswith("Mon 18 Jan") and "Lecture" in e for e in entries)
    assert "Fri 22 Jan 23:59 EST Due Homework 1 <setup> · Submit" in entries
    lecture = weeks[0].select_one("li.cb-entry--lecture")
    assert text(lecture) == "Mon 11 Jan 10:15–11:45 Lecture Lecture 1: Intro · Deck Towne 100"
    assert lecture.select_one("a")["href"] == "../lectures/01/"
    planned = weeks[2].select_one("li.cb-entry--planned")
    assert (
        text(planned) == "Wed 27 Jan 10:15–11:45 Lecture (planned) Convolutional networks Towne 100"
    )
    spring = weeks[8]
    assert text(spring.select_one(".cb-week__off")) == (
        "No class: Spring break (Sat 06 Mar – Sun 14 Mar)"
    )
    assert spring.select("li.cb-entry") == []
    # The lectures' own table stays below: one schedule page.
    assert [tr["id"] for tr in page.select("tr.cb-schedule__row")] == ["lecture-1", "lecture-2"]


def test_the_home_page_says_this_week_and_what_is_due_soon(built):
    page = built.html("index.html")
    weeks = page.select(".cb-this-week section.cb-week")
    assert len(weeks) == 14
    shown = [w for w in weeks if not w.has_attr("hidden")]
    assert [w["data-cb-start"] for w in shown] == ["2027-01-18"]
    assert page.select_one(".cb-this-week__none").has_attr("hidden")
    items = page.select(".cb-due-soon li[data-cb-due]")
    assert len(items) == 8  # five assignments, the page's, two milestones
    visible = [text(li) for li in items if not li.has_attr("hidden")]
    assert visible == ["Homework 1 <setup> : due Fri 22 Jan, 23:59 EST · 10 points · Submit"]
    assert items[0]["data-cb-due"] == "2027-01-22T23:59:00-05:00"


def test_the_assignments_page_lists_every_assignment_with_its_status(built):
    page = built.html("assignments/index.html")
    tables = page.select(".cb-assignments table")
    rows = tables[0].select("tr.cb-assignment")
    assert [r["id"] for r in rows] == ["hw1", "hw2", "hw3", "hw4", "hw5", "homework-6"]
    status = {r["id"]: text(r.select_one("[data-label=Status]")) for r in rows}
    assert status == {
        "hw1": "Open",
        "hw2": "Upcoming",
        "hw3": "Upcoming",
        "hw4": "Upcoming",
        "hw5": "Upcoming",
        "homework-6": "Upcoming",
    }
    first = rows[0]
    assert text(first.select_one("[data-label=Due]")) == "Fri 22 Jan, 23:59 EST"
    assert first.select_one("[data-cb-status]")["data-cb-due"] == "2027-01-22T23:59:00-05:00"
    assert text(first.select_one("[data-label=Solutions]")) == "On Fri 29 Jan"
    assert rows[1].select_one("a")["href"] == "../hw/2/"
    assert rows[5].select_one("a")["href"] == "../hw/6/"
    milestones = [text(r.select_one("td")) for r in tables[1].select("tr")[1:]]
    assert milestones == ["Project proposal", "Project report"]


def test_the_staff_page_has_people_and_office_hours(built):
    page = built.html("staff/index.html")
    people = [
        (text(p.select_one(".cb-person__name")), text(p.select_one(".cb-person__role")))
        for p in page.select(".cb-person")
    ]
    assert people == [("Ana Lee", "Instructor"), ("Bo Chen", "Head TA"), ("Dana Diaz", "TA")]
    assert page.select_one(".cb-person a[href^=mailto]")["href"] == "mailto:ana@example.org"
    hours = [text(td) for td in page.select(".cb-meetings")[0].select("tbody td")]
    assert hours == [
        "Ana's office hours",
        "Tuesday, 13:00–14:00 (America/New_York)",
        "Levine 512",
        "Ana Lee",
    ]


def test_the_built_calendar_carries_the_term(built):
    calendar = Calendar.from_ical((built.site / "schedule.ics").read_bytes())
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    stamps = {e.decoded("dtstamp") for e in calendar.walk("VEVENT")}
    assert stamps == {dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)}
    events = recurring_ical_events.of(calendar).between(dt.date(2027, 1, 1), dt.date(2027, 5, 1))
    by_summary = {}
    for event in events:
        by_summary.setdefault(str(event["summary"]), []).append(event)
    lecture = by_summary["Fixture course · Lecture 1: Intro"][0]
    assert str(lecture["url"]) == "https://example.org/course/lectures/01/"
    due = by_summary["Fixture course · Due: Homework 6"][0]
    assert due.decoded("dtstart") == dt.datetime(2027, 4, 9, 23, 59, tzinfo=NY)
    assert str(due["url"]) == "https://example.org/course/hw/6/"
    mondays = {e.decoded("dtstart").date() for e in by_summary["Fixture course · Lecture"]}
    assert dt.date(2027, 1, 18) not in mondays
    assert dt.date(2027, 1, 25) in mondays


def test_an_assignment_page_keeps_its_solutions_until_its_own_date(built, tmp_path):
    assert where(built.site, SECRET) == []
    site = write_term_site(tmp_path / "project")
    later = site.build(env={**BUILD_DAY, "COURSEBOOK_TODAY": "2027-04-12"})
    assert later.returncode == 0, later.log
    assert where(later.site, SECRET)[:1] == ["hw/6/index.html"]
    row = later.html("assignments/index.html").select_one("tr#homework-6")
    assert row.select_one(".cb-solutions-link")["href"] == "../hw/6/"
    assert text(row.select_one("[data-label=Status]")) == "Closed"


def test_a_bad_term_stops_a_strict_build_and_the_check(tmp_path):
    site = write_term_site(tmp_path / "project")
    term = site.root / "course.yml"
    written = term.read_text()
    term.write_text(
        written.replace("due: 2027-02-05 23:59", "due: 2027-01-25 23:59").replace(
            "page: hw/2.md", "page: hw/two.md"
        )
    )
    build = site.build(env=BUILD_DAY)
    assert build.returncode == 1
    # Both reported, in one pass; the missing page is not linked, so rendering goes on.
    problems = build.log.split("problem(s) in a strict build:\n")[1].splitlines()
    assert [line.strip() for line in problems[:2]] == [
        "course.yml: assignments[1].due: 2027-01-25 23:59 is before its release (2027-01-27 00:00)",
        "course.yml: assignments[1].page: no file 'hw/two.md' in docs/",
    ]
    term.write_text(written.replace("days: Tuesday", "days: Tusday"))
    check = subprocess.run(
        [sys.executable, "-m", "coursebook", "check"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 1
    assert check.stderr.splitlines() == [
        "course.yml: meetings[3].days[0]: unknown weekday 'Tusday' (Monday to Sunday); "
        "did you mean 'Tuesday'?",
        "1 problem(s); 2 lecture(s) valid",
    ]


def test_an_assignment_notebook_keeps_its_solutions_until_the_assignments_date(tmp_path):
    """Listed by no lecture, the notebook takes its release date from its assignment: without
    it, a notebook with a solution and no date stops the build."""
    secret = "QXHOMEWORKONESECRETANSWERFORTHETERM"
    site = write_term_site(tmp_path / "project", "notebooks:\n  execute: false\n")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Homework 1 notebook"),
        nbformat.v4.new_code_cell(
            f"def answer():\n    ### BEGIN SOLUTION\n    return '{secret}'\n    ### END SOLUTION"
        ),
    ]
    site.write("docs/nb/hw1.ipynb", nbformat.writes(notebook))
    term = site.root / "course.yml"
    term.write_text(
        term.read_text().replace(
            "solutions: 2027-01-29}", "notebook: nb/hw1.ipynb, solutions: 2027-01-29}"
        )
    )
    before = site.build(env=BUILD_DAY)
    assert before.returncode == 0, before.log
    assert where(before.site, secret) == []
    row = before.html("assignments/index.html").select_one("tr#hw1")
    assert row.select_one("a[title]")["href"] == "../nb/hw1/"
    released = site.build(env={**BUILD_DAY, "COURSEBOOK_TODAY": "2027-01-29"})
    assert released.returncode == 0, released.log
    assert "nb/hw1/index.html" in where(released.site, secret)
    row = released.html("assignments/index.html").select_one("tr#hw1")
    assert row.select_one(".cb-solutions-link")["href"] == "../nb/hw1/"


def test_an_edit_to_the_term_is_a_new_snapshot(tmp_path):
    site = write_term_site(tmp_path / "project")
    assert site.build(env=BUILD_DAY).returncode == 0
    term = site.root / "course.yml"
    term.write_text(term.read_text().replace("title: Homework 3,", "title: Homework Three,"))
    again = site.build(env=BUILD_DAY)
    assert again.returncode == 0, again.log
    titles = [
        text(td) for td in again.html("assignments/index.html").select("td[data-label=Title]")
    ]
    assert "Homework Three" in titles
    weeks = again.html("schedule/index.html").select_one("#week-6")
    assert "Homework Three" in text(weeks)


def test_a_warm_build_of_a_term_does_not_import_pydantic(tmp_path, monkeypatch):
    """course.yml is read on every build, but validated only when the snapshot is made: the
    home page's blocks come from the listing cache, the term pages from the snapshot."""
    from test_course_build import warm_build_modules

    for name, value in BUILD_DAY.items():
        monkeypatch.setenv(name, value)
    site = write_term_site(tmp_path / "project")
    cold = site.build(env=BUILD_DAY)
    assert cold.returncode == 0, cold.log
    assert warm_build_modules(site, "site-warm") == []
    for page in ("index.html", "schedule/index.html", "assignments/index.html"):
        warm = (site.root / "site-warm" / page).read_text("utf-8")
        assert warm == (cold.site / page).read_text("utf-8"), page
