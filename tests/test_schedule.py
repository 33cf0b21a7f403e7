"""Schedule rows, the next lecture, and the iCalendar export read back by icalendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from coursebook.course.model import LectureSource
from coursebook.course.schedule import next_lecture, schedule_rows, schedule_to_ical
from coursebook.course.schema import Lecture
from icalendar import Calendar


def lecture(number: int, day: dt.date) -> LectureSource:
    meta = Lecture(title=f"Topic <{number}> & more", lecture=number, date=day, summary="Sum")
    return LectureSource(f"docs/lectures/{number}.md", f"lectures/{number}.md", meta)


LECTURES = [
    lecture(1, dt.date(2027, 1, 13)),
    lecture(2, dt.date(2027, 1, 20)),
    lecture(3, dt.date(2027, 1, 27)),
]


def test_next_lecture_is_the_first_on_or_after_today():
    assert next_lecture(LECTURES, dt.date(2027, 1, 14)) is LECTURES[1]
    assert next_lecture(LECTURES, dt.date(2027, 1, 20)) is LECTURES[1]
    assert next_lecture(LECTURES, dt.date(2027, 2, 1)) is None


def test_schedule_rows_mark_only_the_next_lecture():
    rows = schedule_rows(LECTURES, {2: 4}, dt.date(2027, 1, 14))
    assert [r.is_next for r in rows] == [False, True, False]
    assert [r.readings for r in rows] == [0, 4, 0]


def test_all_day_calendar_parses_back():
    ics = schedule_to_ical(
        LECTURES,
        course_name="CIS 522",
        page_urls={2: "https://example.org/lectures/2/"},
        uid_domain="example.org",
    )
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert [str(e["summary"]) for e in events][1] == "CIS 522 · Lecture 2: Topic <2> & more"
    assert [e.decoded("dtstart") for e in events] == [lec.meta.date for lec in LECTURES]
    assert events[1]["url"] == "https://example.org/lectures/2/"
    assert len({str(e["uid"]) for e in events}) == 3


def test_timed_calendar_uses_the_time_zone():
    ics = schedule_to_ical(
        LECTURES[:1],
        course_name="CIS 522",
        page_urls={},
        uid_domain="example.org",
        start_time=dt.time(10, 15),
        duration=dt.timedelta(minutes=80),
        timezone="America/New_York",
    )
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert start == dt.datetime(2027, 1, 13, 10, 15, tzinfo=ZoneInfo("America/New_York"))
    assert event.decoded("dtend") - start == dt.timedelta(minutes=80)
