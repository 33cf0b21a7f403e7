"""The term's iCalendar file: every dated thing, the weekly meetings as series without the
days off, in the course's time zone."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .term import exam_name, meeting_name, slug

if TYPE_CHECKING:
    from .lectures import LectureSource
    from .term import Term
    from .term_schema import Meeting

ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


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
        uid = f"meeting-{meeting_name(meeting)}"
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
            # The series' occurrence that day is this lecture's; a second lecture or a planned
            # one on the same day is an event of its own (not a second RECURRENCE-ID).
            series_uid, meeting = overridden.pop(day)
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
        uid = f"exam-{exam_name(exam)}"
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
