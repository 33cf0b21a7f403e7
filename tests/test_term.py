"""The term (course.yml): validation messages, weeks, and the iCalendar file read back by
icalendar, recurring-ical-events (which expands RRULE/EXDATE) and dateutil's rrule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
import yaml
from coursebook.course.model import LectureSource
from coursebook.course.schema import Lecture
from coursebook.course.term import TermLoader, TermSource, release_listings
from coursebook.course.term_calendar import term_weeks
from coursebook.course.term_checks import read_term
from coursebook.course.term_ical import term_to_ical
from dateutil.rrule import rrulestr
from icalendar import Calendar

TERM = Path(__file__).parent / "data" / "term" / "course.yml"
NY = ZoneInfo("America/New_York")
EXISTING = {"hw/2.md", "hw/6.md"}
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def lecture(number: int, day: dt.date) -> LectureSource:
    meta = Lecture(title=f"Topic {number}", lecture=number, date=day)
    return LectureSource(f"docs/lectures/{number:02d}.md", f"lectures/{number:02d}.md", meta)


LECTURES = [lecture(1, dt.date(2027, 1, 11)), lecture(2, dt.date(2027, 1, 13))]


def read(text: str | None = None, *, timezone="America/New_York", pages=(), lectures=LECTURES):
    source = TermSource("course.yml", text or TERM.read_text(), list(pages), timezone)
    return read_term(source, lectures, EXISTING)


def edited(change) -> str:
    """The fixture term with `change(data)` applied."""
    # Read as coursebook reads it: PyYAML's own loader makes the unquoted 15:30 the number 930.
    data = yaml.load(TERM.read_text(), Loader=TermLoader)
    change(data)
    return yaml.safe_dump(data, sort_keys=False)


def messages(text=None, **kwargs) -> list[str]:
    return [str(problem) for problem in read(text, **kwargs)[1]]


def test_the_fixture_term_is_valid():
    term, problems = read()
    assert problems == []
    assert (term.start, term.end) == (dt.date(2027, 1, 11), dt.date(2027, 4, 16))
    assert [w.id for w in term.assignments] == ["hw1", "hw2", "hw3", "hw4", "hw5"]
    assert term.assignments[0].due == dt.datetime(2027, 1, 22, 23, 59, tzinfo=NY)
    assert [e.title for e in term.exams] == ["Midterm", "Final exam"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["assignments"][1].update(due="2027-01-25 23:59"),
            "course.yml: assignments[1].due: 2027-01-25 23:59 is before its release "
            "(2027-01-27 00:00)",
        ),
        (
            lambda d: d["assignments"][0].update(due="2027-01-18 12:00"),
            "course.yml: assignments[0].due: 2027-01-18 12:00 is a day without class "
            "(Martin Luther King Jr. Day): move the deadline",
        ),
        (
            lambda d: d["assignments"][3].update(due="2027-03-10 23:59"),
            "course.yml: assignments[3].due: 2027-03-10 23:59 is a day without class "
            "(Spring break): move the deadline",
        ),
        (
            lambda d: d["meetings"][1].update(days=["Thurday"]),
            "course.yml: meetings[1].days[0]: unknown weekday 'Thurday' (Monday to Sunday); "
            "did you mean 'Thursday'?",
        ),
        (
            lambda d: d["meetings"][0].update(end="10:00"),
            "course.yml: meetings[0].end: 10:00 is not after its start (10:15)",
        ),
        (
            lambda d: d["term"].update(end=dt.date(2027, 1, 1)),
            "course.yml: term.end: 2027-01-01 is before term.start (2027-01-11)",
        ),
        (
            lambda d: d["exams"][1].update(date=dt.date(2027, 5, 3)),
            "course.yml: exams[1].date: 2027-05-03 is outside the term (the term is 2027-01-11 "
            "to 2027-04-16, in course.yml)",
        ),
        (
            lambda d: d["assignments"][0].update(solutions=dt.date(2027, 1, 20)),
            "course.yml: assignments[0].solutions: 2027-01-20 is before the due date "
            "(2027-01-22 23:59): the solutions would be out while the assignment is open",
        ),
        (
            lambda d: d["assignments"][2].update(due="2027-02-19"),
            "course.yml: assignments[2].due: expected a date and a time like 2027-02-03 23:59, "
            "got 2027-02-19 (no time)",
        ),
        (
            lambda d: d["assignments"][2].update(page="hw/3.md"),
            "course.yml: assignments[2].page: no file 'hw/3.md' in docs/",
        ),
        (
            lambda d: d["staff"][1].update(photo="img/bo.jpg"),
            "course.yml: staff[1].photo: no file 'img/bo.jpg' in docs/",
        ),
        (
            lambda d: d["assignments"][4].update(id="hw1"),
            "course.yml: assignments[4].id: 'hw1' is already used by course.yml: assignments[0]",
        ),
        (
            lambda d: d["staff"][0].update(emial="x@example.org"),
            "course.yml: staff[0].emial: unknown field; did you mean 'email'?",
        ),
        (
            lambda d: d["planned"].append({"title": "On a holiday", "date": dt.date(2027, 1, 18)}),
            "course.yml: planned[2].date: 2027-01-18 is a day without class (Martin Luther "
            "King Jr. Day), but a lecture is on it",
        ),
    ],
)
def test_a_bad_term_is_reported_by_file_and_field(change, expected):
    assert messages(edited(change)) == [expected]


def test_a_time_without_a_time_zone_is_reported_once_naming_the_first():
    assert messages(timezone=None) == [
        "course.yml: assignments[0].due: 2027-01-22 23:59 has no time zone: name the course's "
        "time zone in mkdocs.yml (plugins: - coursebook: timezone: America/New_York, an IANA "
        "name); every time in the term is in that zone (12 more time(s) need it)"
    ]


def test_an_unknown_time_zone_is_named():
    assert messages(timezone="America/New_Yrok")[0] == (
        "mkdocs.yml: plugins.coursebook.timezone: unknown time zone 'America/New_Yrok': "
        "expected an IANA name like America/New_York"
    )


def test_every_problem_is_reported_in_one_pass():
    def change(data):
        data["meetings"][1]["days"] = ["Thurday"]
        data["assignments"][1]["due"] = "2027-01-25 23:59"
        data["exams"][0]["date"] = dt.date(2027, 5, 3)

    text = edited(change)
    # A value pydantic refuses stops the checks across values: those need valid values.
    assert len(messages(text)) == 1
    text = edited(lambda d: (change(d), d["meetings"][1].update(days=["Thursday"])))
    assert [m.split(": ")[1] for m in messages(text)] == ["exams[0].date", "assignments[1].due"]


def test_an_assignment_page_is_validated_by_its_own_file_and_field():
    page = (
        "docs/hw/6.md",
        "hw/6.md",
        "---\nkind: assignment\ntitle: Homework 6\nrelease: 2027-03-31\n"
        "due: 2027-03-30 23:59\npionts: 3\n---\n",
    )
    assert messages(pages=[page]) == [
        "docs/hw/6.md: pionts: unknown field; did you mean 'points'?",
        "docs/hw/6.md: due: 2027-03-30 23:59 is before its release (2027-03-31 00:00)",
    ]


def test_a_lecture_outside_the_term_or_on_a_holiday_is_named_in_its_file():
    late = [lecture(3, dt.date(2027, 5, 1)), lecture(4, dt.date(2027, 1, 18))]
    assert messages(lectures=late) == [
        "docs/lectures/03.md: date: 2027-05-01 is outside the term (the term is 2027-01-11 to "
        "2027-04-16, in course.yml)",
        "docs/lectures/04.md: date: 2027-01-18 is a day without class (Martin Luther King "
        "Jr. Day), but a lecture is on it",
    ]


def test_an_assignment_notebook_is_listed_with_its_own_solutions_date():
    text = edited(
        lambda d: d["assignments"][0].update(notebook="nb/hw1.ipynb", solutions="2027-01-29")
    )
    listed = release_listings(TermSource("course.yml", text, [], "America/New_York"))
    assert len(listed) == 1
    where, _uri, front_matter = listed[0]
    assert where == "course.yml: assignments[0]"
    assert yaml.safe_load(front_matter.strip("-\n")) == {
        "notebooks": ["nb/hw1.ipynb"],
        "solutions": "2027-01-29",
    }


def test_weeks_mark_the_current_one_and_leave_out_days_off():
    term, _ = read()
    weeks = term_weeks(term, LECTURES, dt.date(2027, 1, 20))
    assert len(weeks) == 14
    assert [w.number for w in weeks if w.current] == [2]
    assert [w.number for w in weeks if w.past] == [1]
    second = weeks[1]
    assert [(e.kind, e.day.day) for e in second.entries if e.day == dt.date(2027, 1, 18)] == [
        ("holiday", 18)
    ]
    spring = weeks[8]  # 8 to 14 March: the second week of the break
    assert spring.days_off == ["Spring break (Sat 06 Mar – Sun 14 Mar)"]
    assert spring.entries == []


def ical(term, lectures=LECTURES, **kwargs) -> Calendar:
    data = term_to_ical(
        term,
        lectures,
        course_name="CIS 522",
        page_urls={"lectures/01.md": "https://example.org/lectures/01/"},
        uid_domain="example.org",
        stamp=STAMP,
        **kwargs,
    )
    return Calendar.from_ical(data)


def test_the_calendar_has_the_course_zone_and_every_dated_thing():
    term, _ = read()
    calendar = ical(term)
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    for title in (
        "Lecture",
        "Section A",
        "Section B",
        "Ana's office hours",
        "Due: Homework 3",
        "Project: Project proposal",
        "Midterm",
        "Final exam",
        "No class: Spring break",
        "No class: Martin Luther King Jr. Day",
        "Lecture 1: Topic 1",
        "Transformers (planned)",
    ):
        assert f"CIS 522 · {title}" in summaries, title
    due = next(e for e in calendar.walk("VEVENT") if "Homework 3" in str(e["summary"]))
    assert due.decoded("dtstart") == dt.datetime(2027, 2, 19, 17, 0, tzinfo=NY)
    assert due["dtstart"].params["TZID"] == "America/New_York"


def expand(calendar: Calendar, summary: str) -> list[dt.datetime]:
    events = recurring_ical_events.of(calendar).between(dt.date(2027, 1, 1), dt.date(2027, 6, 1))
    return sorted(e.decoded("dtstart") for e in events if str(e["summary"]) == summary)


def test_recurring_meetings_leave_out_the_holiday_and_the_break():
    term, _ = read()
    calendar = ical(term)
    lectures = expand(calendar, "CIS 522 · Lecture")
    days = {start.date() for start in lectures}
    assert dt.date(2027, 1, 18) not in days  # the holiday, on a Monday
    assert dt.date(2027, 1, 20) in days
    assert not any(dt.date(2027, 3, 6) <= day <= dt.date(2027, 3, 14) for day in days)
    # Lectures 1 and 2 and the planned ones are the series' own occurrences, renamed.
    assert {dt.date(2027, 1, 11), dt.date(2027, 1, 13), dt.date(2027, 1, 27)}.isdisjoint(days)
    assert expand(calendar, "CIS 522 · Lecture 1: Topic 1") == [
        dt.datetime(2027, 1, 11, 10, 15, tzinfo=NY)
    ]
    # 14 weeks of Monday and Wednesday, less the holiday, 2 in the break and 4 renamed.
    assert len(lectures) == 28 - 1 - 2 - 4
    sections = expand(calendar, "CIS 522 · Section A")
    assert len(sections) == 14 - 1  # the break's Thursday
    assert sections[0] == dt.datetime(2027, 1, 14, 15, 30, tzinfo=NY)


def test_rrule_and_exdate_read_back_by_dateutil():
    """A second reading of the series, by dateutil from the file's own lines."""
    term, _ = read()
    raw = term_to_ical(
        term, LECTURES, course_name="C", page_urls={}, uid_domain="x.org", stamp=STAMP
    ).decode()
    block = raw.split("BEGIN:VEVENT")[1].split("END:VEVENT")[0].replace("\r\n ", "")
    lines = [
        line
        for line in block.splitlines()
        if line.split(":")[0].split(";")[0] in ("DTSTART", "RRULE", "EXDATE")
    ]
    rule = rrulestr("\n".join(lines), forceset=True, tzinfos={"America/New_York": NY})
    days = [start.date() for start in rule]
    assert dt.date(2027, 1, 18) not in days
    assert days[0] == dt.date(2027, 1, 11)
    assert days[-1] == dt.date(2027, 4, 14)


def test_uids_come_from_the_items_not_their_order():
    term, _ = read()
    before = {
        str(e["summary"]): str(e["uid"])
        for e in ical(term).walk("VEVENT")
        if "RECURRENCE-ID" not in e
    }
    text = edited(
        lambda d: d["assignments"].insert(
            0, {"title": "Homework 0", "release": "2027-01-11", "due": "2027-01-15 23:59"}
        )
    )
    moved, problems = read(text)
    assert problems == []
    after = {
        str(e["summary"]): str(e["uid"])
        for e in ical(moved).walk("VEVENT")
        if "RECURRENCE-ID" not in e
    }
    assert after.pop("CIS 522 · Due: Homework 0") == "assignment-homework-0@example.org"
    assert after == before
    assert len(set(before.values())) == len(before)


def test_the_committed_term_reference_is_generated_from_the_schema():
    from coursebook.course.reference import term_reference

    committed = Path(__file__).parent.parent / "docs/authoring/term-fields.md"
    assert committed.read_text(encoding="utf-8") == term_reference(), (
        "run: python -m coursebook schema-docs --term > docs/authoring/term-fields.md"
    )


def test_a_milestone_page_needs_a_due_date_and_an_assignment_page_a_release():
    pages = [
        ("docs/p/proposal.md", "p/proposal.md", "---\nkind: milestone\ntitle: Proposal\n---\n"),
        ("docs/hw/7.md", "hw/7.md", "---\nkind: assignment\ntitle: HW 7\n---\n"),
        (
            "docs/p/report.md",
            "p/report.md",
            "---\nkind: milestone\ntitle: Report\ndue: 2027-04-16 17:00\n---\n",
        ),
    ]
    term, problems = read(pages=pages)
    assert [str(p) for p in problems] == [
        "docs/p/proposal.md: due: required of a page of kind milestone",
        "docs/hw/7.md: release: required of a page of kind assignment",
    ]
    assert "Report" in [w.title for w in term.milestones]


def test_only_front_matter_makes_a_page_an_assignment():
    from coursebook.course.term import declares_term_page

    assert declares_term_page("---\nkind: assignment\ntitle: HW\n---\n# HW\n")
    assert declares_term_page("---\nkind: 'milestone'  # the proposal\n---\n")
    # A page showing the fields in a code block (docs/authoring/term.md) is not one.
    assert not declares_term_page("# The term\n\n```yaml\n---\nkind: assignment\n---\n```\n")
    assert not declares_term_page("---\ntitle: Notes\n---\n```yaml\nkind: assignment\n```\n")
