"""The term as weeks: what happens on which day, for the schedule and the home page (its
iCalendar file: course/term_ical.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lectures import LectureSource
    from .term import Term, Work
    from .term_schema import Meeting

# What the schedule shows of the weekly meetings: office hours are on the staff page.
SCHEDULED_KINDS = ("lecture", "recitation", "section", "lab")


@dataclass(frozen=True)
class Entry:
    """One thing on one day of the schedule."""

    kind: str  # lecture, planned, recitation, section, lab, release, due, solutions, exam,
    # holiday
    day: dt.date
    title: str
    start: dt.time | None = None
    end: dt.time | None = None
    place: str | None = None
    link: str | None = None  # an http(s) link (a meeting's call)
    page: str | None = None  # src_uri of its page
    lecture: LectureSource | None = None
    work: Work | None = None
    moment: dt.datetime | None = None  # a release or deadline, in the course's zone


@dataclass
class Week:
    number: int
    start: dt.date  # its Monday
    end: dt.date  # its Sunday
    entries: list[Entry] = field(default_factory=list)
    days_off: list[str] = field(default_factory=list)  # breaks and holidays of the week
    current: bool = False
    past: bool = False


def lecture_meeting(term: Term, day: dt.date) -> Meeting | None:
    """The weekly lecture meeting on `day`'s weekday (its time and room), if there is one."""
    return next((m for m in term.meetings if m.kind == "lecture" and day.weekday() in m.days), None)


def term_entries(term: Term, lectures: list[LectureSource]) -> list[Entry]:
    """Every dated thing of the term, in order: lectures (with a page, planned, or only the
    weekly meeting), the other weekly meetings, releases, deadlines, exams, days off."""
    entries: list[Entry] = []
    lecture_days: set[dt.date] = set()
    for lecture in lectures:
        day = lecture.meta.date
        meeting = lecture_meeting(term, day)
        lecture_days.add(day)
        entries.append(
            Entry(
                "lecture",
                day,
                f"{lecture.label}: {lecture.meta.title}",
                start=meeting.start if meeting else None,
                end=meeting.end if meeting else None,
                place=meeting.place if meeting else None,
                page=lecture.src_uri,
                lecture=lecture,
            )
        )
    for planned in term.planned:
        meeting = lecture_meeting(term, planned.date)
        lecture_days.add(planned.date)
        entries.append(
            Entry(
                "planned",
                planned.date,
                planned.title,
                start=meeting.start if meeting else None,
                end=meeting.end if meeting else None,
                place=meeting.place if meeting else None,
            )
        )
    for meeting in term.meetings:
        if meeting.kind not in SCHEDULED_KINDS:
            continue
        for day in term.occurrences(meeting):
            if meeting.kind == "lecture" and day in lecture_days:
                continue
            entries.append(
                Entry(
                    meeting.kind,
                    day,
                    meeting.title or meeting.kind.capitalize(),
                    start=meeting.start,
                    end=meeting.end,
                    place=meeting.place,
                    link=meeting.link,
                )
            )
    for work in term.work:
        if work.release is not None:
            entries.append(
                Entry(
                    "release",
                    work.release.date(),
                    work.title,
                    page=work.page,
                    work=work,
                    moment=work.release,
                )
            )
        if work.due is not None:
            entries.append(
                Entry(
                    "due",
                    work.due.date(),
                    work.title,
                    start=work.due.time(),
                    page=work.page,
                    work=work,
                    moment=work.due,
                )
            )
        if work.solutions is not None:
            entries.append(
                Entry("solutions", work.solutions, work.title, page=work.page, work=work)
            )
    for exam in term.exams:
        entries.append(
            Entry("exam", exam.date, exam.title, start=exam.start, end=exam.end, place=exam.place)
        )
    for holiday in term.holidays:
        entries.append(Entry("holiday", holiday.date, holiday.name))
    order = {
        "holiday": 0,
        "exam": 1,
        "lecture": 2,
        "planned": 2,
        "due": 4,
        "release": 5,
        "solutions": 6,
    }
    entries.sort(key=lambda e: (e.day, e.start or dt.time(), order.get(e.kind, 3), e.title))
    return entries


def term_weeks(term: Term, lectures: list[LectureSource], today: dt.date) -> list[Week]:
    """The weeks of the term, Monday to Sunday, each with its entries; the week holding
    `today` is current, those before it past."""
    first = term.start - dt.timedelta(days=term.start.weekday())
    weeks: list[Week] = []
    start = first
    while start <= term.end:
        end = start + dt.timedelta(days=6)
        weeks.append(
            Week(len(weeks) + 1, start, end, current=start <= today <= end, past=end < today)
        )
        start += dt.timedelta(days=7)
    for entry in term_entries(term, lectures):
        index = (entry.day - first).days // 7
        if 0 <= index < len(weeks):
            weeks[index].entries.append(entry)
    for week in weeks:
        for pause in term.breaks:
            if pause.start <= week.end and pause.end >= week.start:
                week.days_off.append(f"{pause.name} ({_span(pause.start, pause.end)})")
    return weeks


def _span(start: dt.date, end: dt.date) -> str:
    return f"{start:%a %d %b}" if start == end else f"{start:%a %d %b} – {end:%a %d %b}"


def status(work: Work, today: dt.date) -> str:
    """upcoming (not released), open, or closed (past its due day), by the build's day; the
    browser refines it to the minute (assets/coursebook.js)."""
    if work.release is not None and today < work.release.date():
        return "upcoming"
    if work.due is not None and today > work.due.date():
        return "closed"
    return "open"
