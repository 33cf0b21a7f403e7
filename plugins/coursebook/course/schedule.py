"""The lecture schedule: rows for the schedule page and an iCalendar file of lecture dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from .lectures import LectureSource


@dataclass(frozen=True)
class ScheduleRow:
    lecture: LectureSource
    readings: int
    is_next: bool


def next_lecture(lectures: list[LectureSource], today: dt.date) -> LectureSource | None:
    """The first lecture on or after `today`: what students look for on the schedule."""
    return next(
        (lec for lec in sorted(lectures, key=lambda x: x.meta.date) if lec.meta.date >= today), None
    )


def schedule_rows(
    lectures: list[LectureSource], readings_per_lecture: dict[int, int], today: dt.date
) -> list[ScheduleRow]:
    upcoming = next_lecture(lectures, today)
    return [
        ScheduleRow(lec, readings_per_lecture.get(lec.meta.lecture, 0), lec is upcoming)
        for lec in lectures
    ]


def schedule_to_ical(
    lectures: list[LectureSource],
    *,
    course_name: str,
    page_urls: dict[int, str | None],
    uid_domain: str,
    start_time: dt.time | None = None,
    duration: dt.timedelta = dt.timedelta(minutes=90),
    timezone: str | None = None,
    stamp: dt.datetime | None = None,
) -> bytes:
    """An .ics calendar with one event per lecture (all-day unless `start_time` is given).
    `stamp`: when it was made (its events' DTSTAMP); now, unless given."""
    from icalendar import Calendar, Event  # only when the snapshot is made (pages/snapshot.py)

    calendar = Calendar()
    calendar.add("prodid", "-//coursebook//course schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", course_name)
    stamp = stamp or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for lecture in lectures:
        meta = lecture.meta
        event = Event()
        event.add("uid", f"lecture-{meta.lecture}@{uid_domain}")
        event.add("dtstamp", stamp)
        event.add("summary", f"{course_name} · Lecture {meta.lecture}: {meta.title}")
        if start_time is None:
            event.add("dtstart", meta.date)
            event.add("dtend", meta.date + dt.timedelta(days=1))
        else:
            zone = ZoneInfo(timezone) if timezone else None
            start = dt.datetime.combine(meta.date, start_time, tzinfo=zone)
            event.add("dtstart", start)
            event.add("dtend", start + duration)
        if meta.summary:
            event.add("description", meta.summary)
        if page_urls.get(meta.lecture):
            event.add("url", page_urls[meta.lecture])
        calendar.add_component(event)
    return calendar.to_ical()


def build_time(environ: Mapping[str, str]) -> dt.datetime | None:
    """The time a reproducible build says it was made at (SOURCE_DATE_EPOCH, the convention of
    reproducible builds), so two builds of the same sources write the same calendar; None
    means now. A value that is not a number of seconds is ignored, as other tools do."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(value), dt.timezone.utc)
