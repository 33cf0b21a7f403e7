"""The term as time: its weeks (what happens on which day, for the schedule and the home page)
and its iCalendar file (every dated thing, meetings as weekly series without the days off)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .term import slug

if TYPE_CHECKING:
    from .lectures import LectureSource
    from .term import Term, Work
    from .term_schema import Meeting

ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
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


def term_to_ical(
    term: Term,
    lectures: list[LectureSource],
    *,
    course_name: str,
    page_urls: dict[str, str],
    uid_domain: str,
    stamp: dt.datetime | None = None,
    lecture_minutes: int = 90,
    lecture_time: dt.time | None = None,
) -> bytes:
    """Everything dated, in the course's zone (with its VTIMEZONE): the weekly meetings as
    series (RRULE) without the days off (EXDATE), each lecture as its series' occurrence
    (RECURRENCE-ID) or an event of its own, deadlines, exams and days off. UIDs come from what
    an event is (a lecture's number, an assignment's id), never from its place in the file, so
    that a calendar subscribed to the file updates an event rather than adding another."""
    from icalendar import Calendar, Event, vRecur

    zone = term.tzinfo
    calendar = Calendar()
    calendar.add("prodid", "-//coursebook//course term//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", course_name)
    if term.zone:
        calendar.add("x-wr-timezone", term.zone)
    stamp = stamp or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)

    def event(uid: str, summary: str, **fields) -> Event:
        item = Event()
        item.add("uid", f"{uid}@{uid_domain}")
        item.add("dtstamp", stamp)
        item.add("summary", f"{course_name} · {summary}")
        for name, value in fields.items():
            if value is not None:
                item.add(name.replace("_", "-"), value)
        calendar.add_component(item)
        return item

    def at(day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=zone)

    overridden: dict[dt.date, tuple[str, Meeting]] = {}
    for meeting in term.meetings:
        name = meeting.id or slug(f"{meeting.kind} {meeting.title or ''}")
        uid = f"meeting-{name}"
        days = sorted(term.occurrences(meeting) + term.skipped(meeting))
        if not days:
            continue
        first = days[0]
        until = at(term.end, meeting.end)
        series = event(
            uid,
            meeting.title or meeting.kind.replace("-", " ").capitalize(),
            dtstart=at(first, meeting.start),
            dtend=at(first, meeting.end),
            location=meeting.place,
            url=meeting.link,
            description=", ".join(meeting.who) or None,
            rrule=vRecur(
                freq="WEEKLY",
                byday=[ICAL_DAYS[d] for d in sorted(meeting.days)],
                until=until.astimezone(dt.timezone.utc) if zone else until,
            ),
        )
        for day in term.skipped(meeting):
            series.add("exdate", at(day, meeting.start))
        if meeting.kind == "lecture":
            for day in term.occurrences(meeting):
                overridden.setdefault(day, (uid, meeting))
    lecture_length = dt.timedelta(minutes=lecture_minutes)

    def lecture_event(uid: str, day: dt.date, summary: str, url: str | None, text: str | None):
        if day in overridden:
            series_uid, meeting = overridden[day]
            event(
                series_uid,
                summary,
                recurrence_id=at(day, meeting.start),
                dtstart=at(day, meeting.start),
                dtend=at(day, meeting.end),
                location=meeting.place,
                url=url,
                description=text,
            )
        elif lecture_time is not None:
            start = at(day, lecture_time)
            event(
                uid, summary, dtstart=start, dtend=start + lecture_length, url=url, description=text
            )
        else:
            event(
                uid,
                summary,
                dtstart=day,
                dtend=day + dt.timedelta(days=1),
                url=url,
                description=text,
            )

    for lecture in lectures:
        meta = lecture.meta
        lecture_event(
            f"lecture-{meta.lecture}",
            meta.date,
            f"Lecture {meta.lecture}: {meta.title}",
            page_urls.get(lecture.src_uri),
            meta.summary,
        )
    for planned in term.planned:
        lecture_event(
            f"planned-{planned.date.isoformat()}-{slug(planned.title)}",
            planned.date,
            f"{planned.title} (planned)",
            None,
            None,
        )
    for work in term.work:
        if work.due is None:
            continue
        # A deadline is a moment: DTSTART without DTEND or DURATION (RFC 5545, 3.6.1).
        what = "Due" if work.kind == "assignment" else "Project"
        event(
            f"{work.kind}-{work.id}",
            f"{what}: {work.title}",
            dtstart=work.due,
            url=page_urls.get(work.page) if work.page else work.submit,
        )
    for exam in term.exams:
        uid = f"exam-{exam.id or slug(exam.title)}"
        if exam.start and exam.end:
            event(
                uid,
                exam.title,
                dtstart=at(exam.date, exam.start),
                dtend=at(exam.date, exam.end),
                location=exam.place,
            )
        else:
            event(
                uid,
                exam.title,
                dtstart=exam.date,
                dtend=exam.date + dt.timedelta(days=1),
                location=exam.place,
            )
    for holiday in term.holidays:
        event(
            f"holiday-{holiday.date.isoformat()}",
            f"No class: {holiday.name}",
            dtstart=holiday.date,
            dtend=holiday.date + dt.timedelta(days=1),
            transp="TRANSPARENT",
        )
    for pause in term.breaks:
        event(
            f"break-{pause.start.isoformat()}",
            f"No class: {pause.name}",
            dtstart=pause.start,
            dtend=pause.end + dt.timedelta(days=1),
            transp="TRANSPARENT",
        )
    if zone is not None:
        # The zone's rules over the term only (by default 1970 to 2038: 4 kB of transitions).
        calendar.add_missing_timezones(
            first_date=term.start.replace(month=1, day=1),
            last_date=term.end.replace(month=12, day=31) + dt.timedelta(days=1),
        )
    return calendar.to_ical()
