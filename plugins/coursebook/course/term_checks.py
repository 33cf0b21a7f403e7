"""Read and check the term: course.yml and the assignment and milestone pages validated
together (course/term_schema.py), then checked across their values (a deadline before its
release, on a holiday, outside the term), every problem named by file and field, in one pass."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .frontmatter import read_front_matter
from .problems import Problem
from .term import TERM_PAGE_KINDS, Term, TermSource, Work, exam_name, load_yaml, meeting_name, slug

if TYPE_CHECKING:
    from .lectures import LectureSource


def read_term(
    source: TermSource, lectures: list[LectureSource], existing_uris: set[str]
) -> tuple[Term | None, list[Problem]]:
    """Validate course.yml and the assignment pages; check dates against each other."""
    from pydantic import ValidationError

    from .schema import THEME_KEYS
    from .term_schema import TERM_FIELDS, AssignmentPage, CourseFile
    from .validation import did_you_mean, field_path, problem_message

    file = source.file
    if source.text is None:
        page_file = source.pages[0][0]
        return None, [
            Problem(
                page_file,
                "kind",
                f"an assignment or milestone page needs the term: no {file} beside mkdocs.yml "
                "(term: start, end; see docs/authoring/term.md)",
            )
        ]
    data, problems = load_yaml(source.text, file)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(file, "", "expected key: value pairs (term:, meetings:, ...)")]
    spec = None
    try:
        spec = CourseFile.model_validate(data)
    except ValidationError as error:
        problems += [
            Problem(file, field_path(e["loc"]), problem_message(e, TERM_FIELDS))
            for e in error.errors()
        ]
    pages = []
    for page_file, src_uri, front_matter in source.pages:
        meta, found = read_front_matter(front_matter, page_file)
        problems += found
        if found:
            continue
        kind = meta.get("kind")
        if kind not in TERM_PAGE_KINDS:
            # Only a near miss makes a page one of the term's (course/term.py).
            hint = did_you_mean(str(kind).lower(), TERM_PAGE_KINDS)
            problems.append(
                Problem(page_file, "kind", f"unknown kind {kind!r} (assignment or milestone){hint}")
            )
            continue
        known = set(AssignmentPage.model_fields)
        for key in meta:
            if key not in known and key not in THEME_KEYS and did_you_mean(key, known):
                problems.append(
                    Problem(page_file, str(key), "unknown field" + did_you_mean(key, known))
                )
        try:
            pages.append((page_file, src_uri, AssignmentPage.model_validate(meta)))
        except ValidationError as error:
            problems += [
                Problem(page_file, field_path(e["loc"]) or "front matter", problem_message(e))
                for e in error.errors()
            ]
    zone, found = _zone(source.timezone)
    problems += found
    if spec is None:
        return None, problems
    checks = _Checks(file, spec, zone)
    work = checks.work(pages)
    term = Term(
        file=file,
        zone=source.timezone if zone else None,
        name=spec.term.name,
        start=spec.term.start,
        end=spec.term.end,
        breaks=list(spec.term.breaks),
        holidays=list(spec.term.holidays),
        meetings=list(spec.meetings),
        staff=list(spec.staff),
        work=sorted(work, key=lambda w: (w.due is None, _sort_moment(w.due), w.title)),
        exams=sorted(spec.exams, key=lambda e: (e.date, e.start or dt.time())),
        planned=sorted(spec.planned, key=lambda p: p.date),
    )
    checks.dates(term, lectures, existing_uris)
    return term, problems + checks.problems


def _comparable(a: dt.datetime, b: dt.datetime) -> bool:
    # Without a time zone (reported), a time with an offset and one without cannot be ordered.
    return (a.tzinfo is None) == (b.tzinfo is None)


def _sort_moment(moment: dt.datetime | None) -> dt.datetime:
    if moment is None:
        return dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _zone(name: str | None) -> tuple[ZoneInfo | None, list[Problem]]:
    if not name:
        return None, []
    try:
        return ZoneInfo(name), []
    except (ZoneInfoNotFoundError, ValueError):
        return None, [
            Problem(
                "mkdocs.yml",
                "plugins.coursebook.timezone",
                f"unknown time zone {name!r}: expected an IANA name like America/New_York",
            )
        ]


class _Checks:
    """The checks across values of course.yml and the assignment pages."""

    def __init__(self, file: str, spec, zone: ZoneInfo | None) -> None:
        self.file = file
        self.spec = spec
        self.zone = zone
        self.problems: list[Problem] = []
        self._zoneless: list[tuple[str, str, str]] = []  # (file, field, value) of naive times

    def report(self, file: str, where: str, message: str) -> None:
        self.problems.append(Problem(file, where, message))

    def moment(self, value, file: str, where: str) -> dt.datetime | None:
        """A release or due value in the course's zone: a day starts at 00:00 there."""
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        elif value.tzinfo is None:
            self._zoneless.append((file, where, value.strftime("%Y-%m-%d %H:%M")))
        if value.tzinfo is None and self.zone is not None:
            local = value.replace(tzinfo=self.zone)
            if local.astimezone(dt.timezone.utc).astimezone(self.zone).time() != local.time():
                # In the hour the clocks skip: pages, calendars and browsers would each read
                # it differently (02:30 EST, 03:30 EDT).
                self.report(
                    file,
                    where,
                    f"{value:%Y-%m-%d %H:%M} does not exist in {self.zone.key} (the clocks "
                    "go forward that night): choose another time",
                )
            return local
        if value.tzinfo is not None and self.zone is not None:
            return value.astimezone(self.zone)
        return value

    def work(self, pages) -> list[Work]:
        found = []
        for index, entry in enumerate(self.spec.assignments):
            found.append(
                self._work("assignment", entry, self.file, f"assignments[{index}]", entry.page)
            )
        for index, entry in enumerate(self.spec.milestones):
            found.append(
                self._work("milestone", entry, self.file, f"milestones[{index}]", entry.page)
            )
        for page_file, src_uri, entry in pages:
            # What course.yml requires of each kind, a page must say too.
            needed = "release" if entry.kind == "assignment" else "due"
            if getattr(entry, needed) is None:
                self.report(page_file, needed, f"required of a page of kind {entry.kind}")
            found.append(self._work(entry.kind, entry, page_file, "", src_uri))
        seen: dict[str, Work] = {}
        for item in found:
            if item.id in seen:
                other = seen[item.id]
                named = f"{other.file}: {other.path}" if other.path else other.file
                self.report(item.file, item.field("id"), f"{item.id!r} is already used by {named}")
            seen[item.id] = item
        return found

    def _work(self, kind, entry, file, path, page) -> Work:
        at = (lambda name: f"{path}.{name}") if path else (lambda name: name)
        release = getattr(entry, "release", None)
        return Work(
            kind=kind,
            id=entry.id or slug(entry.title),
            title=entry.title,
            file=file,
            path=path,
            page=page,
            release=self.moment(release, file, at("release")),
            due=self.moment(entry.due, file, at("due")),
            points=entry.points,
            submit=entry.submit,
            notebook=getattr(entry, "notebook", None),
            solutions=getattr(entry, "solutions", None),
        )

    def dates(self, term: Term, lectures: list[LectureSource], existing: set[str]) -> None:
        file = self.file
        span = f"the term is {term.start} to {term.end}"

        def inside(day: dt.date, where_file: str, where: str) -> bool:
            if term.start <= day <= term.end:
                return True
            self.report(where_file, where, f"{day} is outside the term ({span}, in {file})")
            return False

        if term.end < term.start:
            self.report(file, "term.end", f"{term.end} is before term.start ({term.start})")
            return
        for index, pause in enumerate(term.breaks):
            if pause.end < pause.start:
                self.report(
                    file,
                    f"term.breaks[{index}].end",
                    f"{pause.end} is before its start ({pause.start})",
                )
            inside(pause.start, file, f"term.breaks[{index}].start")
            inside(pause.end, file, f"term.breaks[{index}].end")
        for index, holiday in enumerate(term.holidays):
            inside(holiday.date, file, f"term.holidays[{index}].date")
        # Each is one event in schedule.ics, its UID made from these: two alike would be one
        # event twice in a calendar (or one lost).
        self._unique("term.holidays", [str(h.date) for h in term.holidays], "date", "")
        self._unique("meetings", [meeting_name(m) for m in self.spec.meetings], "id", "its name")
        self._unique("exams", [exam_name(e) for e in self.spec.exams], "id", "its name")
        for index, meeting in enumerate(term.meetings):
            if meeting.end <= meeting.start:
                self.report(
                    file,
                    f"meetings[{index}].end",
                    f"{meeting.end:%H:%M} is not after its start ({meeting.start:%H:%M})",
                )
            if not self.zone:
                self._zoneless.append((file, f"meetings[{index}].start", f"{meeting.start:%H:%M}"))
        # Indices as written (the term keeps them sorted by date).
        for index, exam in enumerate(self.spec.exams):
            where = f"exams[{index}]"
            inside(exam.date, file, f"{where}.date")
            if (exam.start is None) != (exam.end is None):
                missing = "end" if exam.end is None else "start"
                self.report(
                    file,
                    f"{where}.{missing}",
                    "required with the exam's " + ("start" if missing == "end" else "end"),
                )
            elif exam.start and exam.end <= exam.start:
                self.report(
                    file,
                    f"{where}.end",
                    f"{exam.end:%H:%M} is not after its start ({exam.start:%H:%M})",
                )
            if exam.start and not self.zone:
                self._zoneless.append((file, f"{where}.start", f"{exam.start:%H:%M}"))
        for index, planned in enumerate(self.spec.planned):
            if inside(planned.date, file, f"planned[{index}].date"):
                self._off(term, planned.date, file, f"planned[{index}].date", "a lecture")
        for lecture in lectures:
            if inside(lecture.meta.date, lecture.file, "date"):
                self._off(term, lecture.meta.date, lecture.file, "date", "a lecture")
        for item in term.work:
            self._check_work(term, item, existing, inside)
        # A page that is not there is reported (above), and not linked: the build goes on.
        term.work = [
            replace(item, page=None) if item.page and item.page not in existing else item
            for item in term.work
        ]
        for index, person in enumerate(term.staff):
            photo = person.photo
            if photo and not photo.startswith(("http://", "https://")) and photo not in existing:
                self.report(file, f"staff[{index}].photo", f"no file {photo!r} in docs/")
        if self._zoneless and not self.zone:
            where_file, where, value = self._zoneless[0]
            more = len(self._zoneless) - 1
            self.report(
                where_file,
                where,
                f"{value} has no time zone: name the course's time zone in mkdocs.yml "
                "(plugins: - coursebook: timezone: America/New_York, an IANA name); every time "
                "in the term is in that zone" + (f" ({more} more time(s) need it)" if more else ""),
            )

    def _unique(self, where: str, names: list[str], field: str, what: str) -> None:
        seen: dict[str, int] = {}
        for index, name in enumerate(names):
            if name in seen:
                first = f"{where}[{seen[name]}]"
                message = (
                    f"{name} is already {first}'s day: one calendar event for both"
                    if field == "date"
                    else f"{name!r} ({what} in calendars) is also {first}'s: give one an id"
                )
                self.report(self.file, f"{where}[{index}].{field}", message)
            seen.setdefault(name, index)

    def _off(self, term: Term, day: dt.date, file: str, where: str, what: str) -> None:
        reason = term.day_off(day)
        if reason:
            self.report(
                file, where, f"{day} is a day without class ({reason}), but {what} is on it"
            )

    def _check_work(self, term: Term, item: Work, existing: set[str], inside) -> None:
        if item.release is not None:
            inside(item.release.date(), item.file, item.field("release"))
        if item.due is not None:
            due = f"{item.due:%Y-%m-%d %H:%M}"
            if inside(item.due.date(), item.file, item.field("due")):
                reason = term.day_off(item.due.date())
                if reason:
                    self.report(
                        item.file,
                        item.field("due"),
                        f"{due} is a day without class ({reason}): move the deadline",
                    )
            if (
                item.release is not None
                and _comparable(item.due, item.release)
                and item.due < item.release
            ):
                self.report(
                    item.file,
                    item.field("due"),
                    f"{due} is before its release ({item.release:%Y-%m-%d %H:%M})",
                )
            if item.solutions is not None and item.solutions < item.due.date():
                self.report(
                    item.file,
                    item.field("solutions"),
                    f"{item.solutions} is before the due date ({due}): the solutions would be "
                    "out while the assignment is open",
                )
        for name in ("page", "notebook"):
            uri = getattr(item, name)
            if uri and uri not in existing and item.path:
                self.report(item.file, item.field(name), f"no file {uri!r} in docs/")
