"""An adversarial review of the term (issue 25): mistakes a new author makes in course.yml,
calendars that must not hold one event twice, schedule.ics read by parsers other than the
one that wrote it, titles that are markup, and the week marked by a reader's clock on days
the fixture's own tests do not visit (before the term, in a break)."""

from __future__ import annotations

import collections
import datetime as dt
import json
from zoneinfo import ZoneInfo

import ics
import pytest
import recurring_ical_events
import test_term_browser
import vobject
import yaml
from coursebook.course.term import TermLoader
from coursebook.course.term_ical import term_to_ical
from icalendar import Calendar
from term_fixtures import write_term_site
from test_term import LECTURES, NY, STAMP, TERM, lecture, messages, read

BASE = TERM.read_text()
# The fixture term's site built for the browser tests (on 2027-01-20), and how they open it.
term_url = test_term_browser.term_url
open_at, MARKED = test_term_browser.open_at, test_term_browser.MARKED


def ical(text: str = BASE, lectures=LECTURES) -> bytes:
    term, problems = read(text, lectures=lectures)
    assert problems == []
    return term_to_ical(
        term, lectures, course_name="CIS 522", page_urls={}, uid_domain="example.org", stamp=STAMP
    )


def events_twice(data: bytes) -> list[tuple[str, str]]:
    """(UID, RECURRENCE-ID) pairs held by more than one VEVENT: one event twice in a calendar."""
    found = collections.Counter(
        (str(e["UID"]), str(e.decoded("recurrence-id")) if "RECURRENCE-ID" in e else "")
        for e in Calendar.from_ical(data).walk("VEVENT")
    )
    return [key for key, count in found.items() if count > 1]


# --- Times as a new author writes them --------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "got"),
    [
        ("9", "9"),
        ("900", "900"),
        ("25:00", "'25:00'"),
        ("10:15:30", "'10:15:30'"),
        ("9am", "'9am'"),
    ],
)
def test_a_bare_number_or_impossible_clock_is_no_time(written, got):
    # `start: 9` was read as 00:09 and `start: 900` as 15:00 (YAML 1.1's base-60 integers
    # were taken as minutes), without a word; an unquoted 25:00 was reported as "got 1500".
    text = BASE.replace('start: "10:15"', f"start: {written}", 1)
    assert messages(text) == [
        f"course.yml: meetings[0].start: expected a time of day like 10:15 or 17:00, got {got}"
    ]


@pytest.mark.parametrize("written", ["9:00", '"9:00"', '"09:00"', "09:00"])
def test_nine_oclock_is_nine_oclock_however_written(written):
    term, problems = read(BASE.replace('start: "10:15"', f"start: {written}", 1))
    assert problems == []
    assert term.meetings[0].start == dt.time(9, 0)


# --- One event once in a calendar ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            # A second lecture meeting (Friday's) without a title: both were `meeting-lecture`.
            lambda t: t.replace(
                "meetings:\n",
                "meetings:\n  - {kind: lecture, days: Friday, start: '14:00', end: '15:00'}\n",
            ),
            "course.yml: meetings[1].id: 'lecture' (its name in calendars) is also "
            "meetings[0]'s: give one an id",
        ),
        (
            lambda t: t.replace(
                "exams:\n",
                "exams:\n  - {title: Quiz, date: 2027-02-01}\n"
                "  - {title: Quiz, date: 2027-03-01}\n",
            ),
            "course.yml: exams[1].id: 'quiz' (its name in calendars) is also exams[0]'s: "
            "give one an id",
        ),
        (
            lambda t: t.replace(
                "  holidays:\n", "  holidays:\n    - {name: Day off, date: 2027-01-18}\n"
            ),
            "course.yml: term.holidays[1].date: 2027-01-18 is already term.holidays[0]'s day: "
            "one calendar event for both",
        ),
    ],
)
def test_two_items_that_would_share_a_calendar_uid_are_reported(change, expected):
    assert messages(change(BASE)) == [expected]


def test_two_quizzes_with_ids_are_two_events():
    text = BASE.replace(
        "exams:\n",
        "exams:\n  - {id: quiz-1, title: Quiz, date: 2027-02-01}\n"
        "  - {id: quiz-2, title: Quiz, date: 2027-03-01}\n",
    )
    assert events_twice(ical(text)) == []


@pytest.mark.parametrize(
    ("text", "lectures"),
    [
        # A planned lecture on Lecture 2's day, and a second lecture page on that day: both
        # were written as the lecture series' occurrence of 13 January (one UID, one
        # RECURRENCE-ID twice), which a calendar keeps one of.
        (BASE.replace("planned:\n", "planned:\n  - {title: Extra, date: 2027-01-13}\n"), LECTURES),
        (BASE, [*LECTURES, lecture(3, dt.date(2027, 1, 13))]),
    ],
)
def test_two_lectures_on_one_day_are_two_events(text, lectures):
    data = ical(text, lectures)
    assert events_twice(data) == []
    on_the_day = recurring_ical_events.of(Calendar.from_ical(data)).at(dt.date(2027, 1, 13))
    titles = sorted(str(e["SUMMARY"]) for e in on_the_day)
    assert len([t for t in titles if "Lecture 2: Topic 2" in t]) == 1
    assert len(titles) == 2, titles


# --- schedule.ics by other parsers ---------------------------------------------------------------


def test_a_second_parser_reads_the_weekly_series_across_the_dst_change():
    # vobject expands RRULE with the file's own VTIMEZONE (not the system's zone database).
    calendar = vobject.readOne(ical().decode())
    assert calendar.vtimezone.tzid.value == "America/New_York"
    series = next(e for e in calendar.vevent_list if e.summary.value.endswith("Section B"))
    fridays = [d for d in series.getrruleset() if d.month == 3]
    assert [(d.day, d.hour, d.minute) for d in fridays] == [(5, 9, 0), (19, 9, 0), (26, 9, 0)]
    assert [d.utcoffset() for d in fridays] == [dt.timedelta(hours=h) for h in (-5, -4, -4)]
    rule = series.rrule.value
    until = rule.split("UNTIL=")[1].split(";")[0]
    # RFC 5545: with a DTSTART in a TZID, UNTIL is in UTC.
    assert until.startswith("20270416T")
    assert until.endswith("Z")


def test_every_tzid_used_has_its_vtimezone_and_no_uid_is_twice():
    calendar = Calendar.from_ical(ical())
    zones = {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
    used = set()
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "EXDATE", "RECURRENCE-ID"):
            values = event.get(name)
            for value in values if isinstance(values, list) else [values]:
                if value is not None and "TZID" in value.params:
                    used.add(value.params["TZID"])
    assert used == zones == {"America/New_York"}
    assert events_twice(ical()) == []


def test_a_term_across_new_year_has_the_zone_rules_of_both_years():
    text = BASE.replace("start: 2027-01-11", "start: 2026-12-28")
    calendar = vobject.readOne(ical(text).decode())
    series = next(e for e in calendar.vevent_list if e.summary.value.endswith("Section B"))
    offsets = {d.utcoffset() for d in series.getrruleset() if d.month in (1, 4)}
    assert offsets == {dt.timedelta(hours=-5), dt.timedelta(hours=-4)}


def test_a_title_with_markup_commas_and_newlines_survives_three_parsers():
    title = 'A <script>alert(1)</script> & "q", semi; back\\slash ' + "é" * 60 + "\nline"
    text = BASE.replace("{title: Project proposal,", "{title: " + json.dumps(title) + ",")
    data = ical(text)
    assert max(len(line) for line in data.split(b"\r\n")) <= 75  # octets, folded
    data.decode("utf-8")  # folding did not split a character
    want = f"CIS 522 · Project: {title}"
    assert want in [str(e["SUMMARY"]) for e in Calendar.from_ical(data).walk("VEVENT")]
    assert want in [e.summary.value for e in vobject.readOne(data.decode()).vevent_list]
    assert want in [e.name for e in ics.Calendar(data.decode()).events]


# --- Markup in titles, on the built site ----------------------------------------------------------

EVIL = "<script>alert(1)</script> & \"quotes\" 'too'"


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory):
    site = write_term_site(tmp_path_factory.mktemp("term-review") / "project")
    term = site.root / "course.yml"
    text = term.read_text().replace("title: Homework 3,", f"title: {json.dumps('HW3 ' + EVIL)},")
    text = text.replace("title: Section A", f"title: {json.dumps('Section ' + EVIL)}")
    text = text.replace(
        "{name: Dana Diaz, role: TA}", f"{{name: Dana Diaz, role: {json.dumps(EVIL)}}}"
    )
    term.write_text(text)
    # Homework 3 is due within the fortnight of 2027-02-10: on the home page's Due soon.
    build = site.build(env={"COURSEBOOK_TODAY": "2027-02-10", "SOURCE_DATE_EPOCH": "1767225600"})
    assert build.returncode == 0, build.log
    return build


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("schedule/index.html", ["HW3 " + EVIL, "Section " + EVIL]),
        ("assignments/index.html", ["HW3 " + EVIL]),
        ("staff/index.html", [EVIL, "Section " + EVIL]),
        ("index.html", ["HW3 " + EVIL]),
    ],
)
def test_a_title_that_is_markup_is_shown_as_text(evil_site, page, expected):
    html = evil_site.html(page)
    article = html.select_one("article")
    assert article.select("script") == []
    shown = " ".join(article.get_text(" ").split())
    for text in expected:
        assert text in shown, (page, text)


# --- In a browser: readers abroad, days outside the weeks, a narrow phone ------------------------

TOKYO = ZoneInfo("Asia/Tokyo")
PAST = "() => [...document.querySelectorAll('.cb-weeks > .cb-week--past')].length"


@pytest.mark.parametrize(
    ("when", "status", "due_soon"),
    [
        # Homework 1 is due Friday 22 January, 23:59 in New York: Saturday 13:59 in Tokyo.
        (dt.datetime(2027, 1, 23, 13, 30, tzinfo=TOKYO), "Open", True),
        (dt.datetime(2027, 1, 23, 14, 30, tzinfo=TOKYO), "Closed", False),
    ],
)
def test_a_deadline_read_in_tokyo_is_the_courses_minute(browser, term_url, when, status, due_soon):
    page = open_at(browser, f"{term_url}assignments/", when, timezone="Asia/Tokyo")
    assert page.locator("#hw1 [data-cb-status]").inner_text() == status
    page.context.close()
    page = open_at(browser, term_url, when, timezone="Asia/Tokyo")
    shown = page.locator(".cb-due-soon li:visible").all_inner_texts()
    assert (
        any(line.startswith("Homework 1 <setup>: due Fri 22 Jan, 23:59 EST") for line in shown)
        == due_soon
    )
    page.context.close()


@pytest.mark.parametrize(
    ("when", "current", "past"),
    [
        (dt.datetime(2027, 1, 5, 9, 0, tzinfo=NY), [], 0),  # the week before the term
        (dt.datetime(2027, 3, 10, 9, 0, tzinfo=NY), ["week-9"], 8),  # in the spring break
        (dt.datetime(2027, 6, 1, 9, 0, tzinfo=NY), [], 14),  # after the term
    ],
)
def test_the_week_marked_before_in_a_break_and_after_the_term(
    browser, term_url, when, current, past
):
    page = open_at(browser, f"{term_url}schedule/", when)
    assert page.evaluate(MARKED) == current
    assert page.evaluate(PAST) == past
    page.context.close()
    page = open_at(browser, term_url, when)
    visible = page.locator(".cb-this-week section.cb-week:visible")
    assert visible.count() == len(current)
    assert page.locator(".cb-this-week__none").is_visible() == (not current)
    if current:
        assert "Spring break" in visible.inner_text()
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("path", ["schedule/", "", "assignments/", "staff/"])
def test_the_term_at_320_px_does_not_scroll_sideways(browser, term_url, path):
    when = dt.datetime(2027, 1, 20, 9, 0, tzinfo=NY)
    page = open_at(browser, f"{term_url}{path}", when, viewport={"width": 320, "height": 640})
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), f"{path}: the page scrolls sideways at 320 px"
    page.context.close()


@pytest.mark.parametrize(
    ("kind", "hint"),
    [("assigment", "assignment"), ("Assignment", "assignment"), ("milstone", "milestone")],
)
def test_a_misspelled_kind_on_a_page_is_reported(tmp_path, kind, hint):
    # It was silently an ordinary page: its release, due and solutions ignored, a strict
    # build passing.
    site = write_term_site(tmp_path / "project")
    site.write(
        "docs/hw/7.md",
        f"---\nkind: {kind}\ntitle: Homework 7\nrelease: 2027-03-31\n"
        "due: 2027-04-09 23:59\n---\n# Homework 7\n",
    )
    build = site.build(env={"COURSEBOOK_TODAY": "2027-01-20"})
    assert build.returncode != 0
    assert (
        f"docs/hw/7.md: kind: unknown kind {kind!r} (assignment or milestone); "
        f"did you mean {hint!r}?"
    ) in build.log


# --- YAML mistakes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            # A second due date added in the same entry instead of replacing the first.
            BASE.replace("points: 10, submit", "due: 2027-01-25 23:59, points: 10, submit"),
            "course.yml: line 46, column 86: not valid YAML: 'due' is given twice in one "
            "mapping (first at line 46): keep one",
        ),
        (
            # A second term pasted at the end of the file: it won, silently.
            BASE + "term:\n  start: 2027-01-04\n  end: 2027-04-16\n",
            "course.yml: line 60, column 1: not valid YAML: 'term' is given twice in one "
            "mapping (first at line 3): keep one",
        ),
        (
            BASE.replace("  name: Spring 2027", "\tname: Spring 2027"),
            "course.yml: line 4, column 1: not valid YAML: found character that cannot start "
            "any token",
        ),
    ],
)
def test_a_yaml_mistake_is_named_by_line(text, expected):
    assert messages(text) == [expected]


def test_a_merge_key_may_still_override_what_it_merges():
    text = BASE.replace(
        "exams:\n",
        "x-room: &room {place: Towne 100, start: '10:15', end: '11:45'}\nexams:\n"
        "  - {<<: *room, title: Quiz, date: 2027-02-01, place: Towne 200}\n",
    )
    data = yaml.load(text, Loader=TermLoader)
    assert data["exams"][0]["place"] == "Towne 200"


def test_a_deadline_in_the_hour_the_clocks_skip_is_reported():
    # 02:30 on 14 March 2027 never happens in New York; it was shown as "02:30 EST" while
    # calendars and browsers read 03:30 EDT.
    text = BASE.replace("start: 2027-03-06, end: 2027-03-14", "start: 2027-03-20, end: 2027-03-24")
    text = text.replace("due: 2027-03-05 23:59", "due: 2027-03-14 02:30")
    assert messages(text) == [
        "course.yml: assignments[3].due: 2027-03-14 02:30 does not exist in America/New_York "
        "(the clocks go forward that night): choose another time"
    ]
    assert messages(text.replace("2027-03-14 02:30", "2027-03-14 03:30")) == []
