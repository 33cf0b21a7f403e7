"""What `course.yml` (the term file beside mkdocs.yml) and an assignment page's front matter may
say: the term's dates, the weekly meetings, the staff, the assignments, exams, milestones and
lectures planned without a page. Checks of one value live here; checks across values (a due
date before its release, a date outside the term) in course/term.py."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from .dates import WEEKDAYS
from .schema import HttpUrl, Slug, Strict, Text, _date

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def _weekday(value) -> int:
    """Monday..Sunday (or Mon..Sun, any case) -> 0..6."""
    text = str(value).strip()
    for number, name in enumerate(WEEKDAYS):
        if text.lower() in (name.lower(), name[:3].lower()):
            return number
    close = difflib.get_close_matches(text.capitalize(), WEEKDAYS, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise PydanticCustomError(
        "weekday",
        "unknown weekday {got} (Monday to Sunday){hint}",
        {"got": repr(value), "hint": hint},
    )


def _weekdays(value):
    return [value] if isinstance(value, str) else value


def _clock(value) -> dt.time:
    """A time of day: "10:15" (course.yml's loader keeps an unquoted 10:15 as written, which
    YAML 1.1 would read as 615, minutes in base 60; course/term.py). A number is no time:
    `start: 9` could be nine o'clock or 00:09."""
    match = _CLOCK.match(str(value).strip()) if isinstance(value, str) else None
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.time(int(match[1]), int(match[2]))
    raise PydanticCustomError(
        "clock", "expected a time of day like 10:15 or 17:00, got {got}", {"got": repr(value)}
    )


def _moment(value):
    """A date and time: "2027-02-03 23:59" (in the course's time zone) or with its offset
    ("2027-02-03T23:59-05:00"); a date alone is not a moment (at what time is it due?)."""
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0) if value.second == 0 else value
    text = value.strip() if isinstance(value, str) else None
    if text and len(text) > 10:
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            pass
    if isinstance(value, dt.date) or (text and len(text) == 10):
        raise PydanticCustomError(
            "moment",
            "expected a date and a time like 2027-02-03 23:59, got {got} (no time)",
            {"got": str(value)},
        )
    raise PydanticCustomError(
        "moment",
        "expected a date and a time like 2027-02-03 23:59, got {got}",
        {"got": repr(value)},
    )


def _day_or_moment(value):
    """A release: a day (at its start) or a moment."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value.strip()) > 10:
        return _moment(value)
    return _date(value)


def _names(value):
    return [value] if isinstance(value, str) else value


Day = Annotated[dt.date, BeforeValidator(_date)]
Clock = Annotated[dt.time, BeforeValidator(_clock)]
Moment = Annotated[dt.datetime, BeforeValidator(_moment)]
DayOrMoment = Annotated[dt.date | dt.datetime, BeforeValidator(_day_or_moment)]
# The string names the type in the generated reference (course/reference.py); pydantic keeps
# metadata it does not know without acting on it.
Weekday = Annotated[int, BeforeValidator(_weekday), "weekday"]
Names = Annotated[list[Text], BeforeValidator(_names)]


class Break(Strict):
    """Days without class: a break (several days) of the term."""

    name: Text = Field(description="What the break is called, e.g. Spring break.")
    start: Day = Field(description="First day without class, YYYY-MM-DD.")
    end: Day = Field(description="Last day without class, YYYY-MM-DD.")


class Holiday(Strict):
    """One day without class."""

    name: Text = Field(description="The holiday, e.g. Martin Luther King Jr. Day.")
    date: Day = Field(description="The day, YYYY-MM-DD.")


class TermDates(Strict):
    """The term: its first and last day, and the days without class."""

    name: Text | None = Field(None, description="The term's name, e.g. Spring 2027.")
    start: Day = Field(description="First day of the term, YYYY-MM-DD.")
    end: Day = Field(description="Last day of the term (exams included), YYYY-MM-DD.")
    breaks: list[Break] = Field(default_factory=list, description="Breaks (several days).")
    holidays: list[Holiday] = Field(default_factory=list, description="Single days off.")


MeetingKind = Literal["lecture", "recitation", "section", "office-hours", "lab"]


class Meeting(Strict):
    """A meeting every week of the term (but on holidays and in breaks)."""

    id: Slug | None = Field(None, description="Stable name in calendars; made from kind/title.")
    kind: MeetingKind = Field(
        description="lecture, recitation, section, lab or office-hours; office hours are "
        "listed on the staff page, the others in the weekly schedule."
    )
    title: Text | None = Field(
        None, description="Shown name, e.g. Recitation A; by default the kind."
    )
    days: Annotated[list[Weekday], BeforeValidator(_weekdays), Field(min_length=1)] = Field(
        description="Weekdays it meets, e.g. [Monday, Wednesday] (or Mon, Wed)."
    )
    start: Clock = Field(description="Start time, HH:MM, in the course's time zone.")
    end: Clock = Field(description="End time, HH:MM.")
    place: Text | None = Field(None, description="Room, e.g. Towne 100.")
    link: HttpUrl | None = Field(None, description="http(s) link, e.g. a video call.")
    who: Names = Field(default_factory=list, description="Who runs it (names of staff).")


class Person(Strict):
    """One member of the course staff."""

    name: Text = Field(description="Full name.")
    role: Text = Field(description="Role, e.g. Instructor, Head TA, TA.")
    email: Text | None = Field(None, description="Email address.")
    contact: Text | None = Field(None, description="Another way to reach them (text or link).")
    photo: Text | None = Field(None, description="Image path inside docs/, or an http(s) link.")


class AssignmentFields(Strict):
    """What an assignment says, in course.yml or in its own page's front matter."""

    id: Slug | None = Field(None, description="Stable name (calendar UID); made from the title.")
    title: Text = Field(description="The assignment's title.")
    release: DayOrMoment | None = Field(
        None,
        description="When it is out: YYYY-MM-DD or YYYY-MM-DD HH:MM (required of an "
        "assignment; a milestone may leave it out).",
    )
    due: Moment | None = Field(
        None,
        description="When it is due, with the time: YYYY-MM-DD HH:MM in the course's time zone "
        "(or with an offset). An exercise without a deadline leaves it out.",
    )
    points: Annotated[float, Field(ge=0)] | None = Field(None, description="Points it is worth.")
    submit: HttpUrl | None = Field(None, description="Where it is handed in (http(s) link).")
    notebook: Text | None = Field(None, description="Its notebook, a path inside docs/.")
    solutions: Day | None = Field(
        None, description="Day its solutions (page and notebook) are published, YYYY-MM-DD."
    )


class Assignment(AssignmentFields):
    """An assignment in course.yml (its page, if it has one, is named by `page`)."""

    release: DayOrMoment = Field(description="When it is out: YYYY-MM-DD or YYYY-MM-DD HH:MM.")
    page: Text | None = Field(None, description="Its page, a path inside docs/ (e.g. hw/1.md).")


class Milestone(Strict):
    """A dated step of the class project."""

    id: Slug | None = Field(None, description="Stable name (calendar UID); made from the title.")
    title: Text = Field(description="What is due, e.g. Project proposal.")
    due: Moment = Field(description="When, YYYY-MM-DD HH:MM in the course's time zone.")
    points: Annotated[float, Field(ge=0)] | None = Field(None, description="Points it is worth.")
    page: Text | None = Field(None, description="Its page, a path inside docs/.")
    submit: HttpUrl | None = Field(None, description="Where it is handed in.")


class Exam(Strict):
    """An exam."""

    id: Slug | None = Field(None, description="Stable name (calendar UID); made from the title.")
    title: Text = Field(description="e.g. Midterm.")
    date: Day = Field(description="Day of the exam, YYYY-MM-DD.")
    start: Clock | None = Field(None, description="Start time, HH:MM (all day when left out).")
    end: Clock | None = Field(None, description="End time, HH:MM.")
    place: Text | None = Field(None, description="Room.")


class PlannedLecture(Strict):
    """A lecture planned for a day, with no page yet."""

    title: Text = Field(description="Its title.")
    date: Day = Field(description="Its day, YYYY-MM-DD.")


class CourseFile(Strict):
    """course.yml: the term, beside mkdocs.yml."""

    term: TermDates = Field(description="The term's dates.")
    meetings: list[Meeting] = Field(default_factory=list, description="Weekly meetings.")
    staff: list[Person] = Field(default_factory=list, description="The course staff.")
    assignments: list[Assignment] = Field(default_factory=list, description="Assignments.")
    exams: list[Exam] = Field(default_factory=list, description="Exams.")
    milestones: list[Milestone] = Field(default_factory=list, description="Project milestones.")
    planned: list[PlannedLecture] = Field(
        default_factory=list, description="Lectures planned with no page yet."
    )


class AssignmentPage(AssignmentFields):
    """Front matter of a page that is an assignment (`kind: assignment`) or a project
    milestone (`kind: milestone`, with `due`); theme keys are left alone."""

    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)
    kind: Literal["assignment", "milestone"] = Field(description="assignment or milestone.")


TERM_MODELS = (
    CourseFile,
    TermDates,
    Break,
    Holiday,
    Meeting,
    Person,
    Assignment,
    Milestone,
    Exam,
    PlannedLecture,
)
TERM_FIELDS = sorted({name for model in TERM_MODELS for name in model.model_fields})
