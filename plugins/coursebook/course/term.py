"""The term of a course as data: what it is read from (course.yml beside mkdocs.yml, and the
pages that are assignments or milestones), and the validated term with its days off and
meeting days. Reading and checking it: course/term_checks.py."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import yaml

from .frontmatter import FRONT_MATTER, SafeLoader, read_front_matter
from .problems import Problem

if TYPE_CHECKING:
    from .term_schema import Break, Exam, Holiday, Meeting, Person, PlannedLecture

TERM_FILE = "course.yml"  # the default of the plugin's `term` option
TERM_PAGE_KINDS = ("assignment", "milestone")
# A page is an assignment or a milestone when its front matter says so: read without YAML,
# as every build looks at every page.
_PAGE_KIND = re.compile(r"^kind[ \t]*:[ \t]*['\"]?([A-Za-z_-]+)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)


def declares_term_page(text: str) -> bool:
    """Whether a page (or its front matter) starts with front matter saying `kind: assignment`
    or `kind: milestone`, or a near miss (`kind: assigment`), which the term's checks then
    name: a misspelled kind would otherwise make the page an ordinary one without a word. The
    same words in its body (a code block showing them) are not."""
    found = FRONT_MATTER.match(text)
    if found is None:
        return False
    kinds = [match.lower() for match in _PAGE_KIND.findall(found.group(0))]
    return any(difflib.get_close_matches(kind, TERM_PAGE_KINDS, n=1, cutoff=0.85) for kind in kinds)


@dataclass(frozen=True)
class TermSource:
    """What the term is made from: course.yml's text (None: there is none), the assignment and
    milestone pages (file as shown, src_uri, front matter), and the course's time zone."""

    file: str
    text: str | None
    pages: list[tuple[str, str, str]] = field(default_factory=list)
    timezone: str | None = None


@dataclass(frozen=True)
class Work:
    """An assignment or a project milestone, from course.yml or from its own page."""

    kind: str  # "assignment" or "milestone"
    id: str
    title: str
    file: str  # where it is written, for messages
    path: str  # its field path in that file ("assignments[2]"), "" for a page's front matter
    page: str | None  # src_uri of its page
    release: dt.datetime | None  # in the course's zone
    due: dt.datetime | None
    points: float | None = None
    submit: str | None = None
    notebook: str | None = None
    solutions: dt.date | None = None

    def field(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name


@dataclass
class Term:
    """The validated term: dates in the course's zone (`zone`, an IANA name)."""

    file: str
    zone: str | None
    name: str | None
    start: dt.date
    end: dt.date
    breaks: list[Break]
    holidays: list[Holiday]
    meetings: list[Meeting]
    staff: list[Person]
    work: list[Work]  # assignments and milestones, by due date
    exams: list[Exam]
    planned: list[PlannedLecture]

    @property
    def tzinfo(self) -> dt.tzinfo | None:
        return ZoneInfo(self.zone) if self.zone else None

    def day_off(self, day: dt.date) -> str | None:
        """Why there is no class on `day` (a holiday's or break's name), or None."""
        for holiday in self.holidays:
            if holiday.date == day:
                return holiday.name
        for pause in self.breaks:
            if pause.start <= day <= pause.end:
                return pause.name
        return None

    def occurrences(self, meeting: Meeting) -> list[dt.date]:
        """The days `meeting` meets: its weekdays in the term, less holidays and breaks."""
        days = []
        day = self.start
        while day <= self.end:
            if day.weekday() in meeting.days and self.day_off(day) is None:
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def skipped(self, meeting: Meeting) -> list[dt.date]:
        """The days `meeting` would meet but for a holiday or a break (a calendar's EXDATE)."""
        days = []
        day = self.start
        while day <= self.end:
            if day.weekday() in meeting.days and self.day_off(day) is not None:
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    @property
    def assignments(self) -> list[Work]:
        return [w for w in self.work if w.kind == "assignment"]

    @property
    def milestones(self) -> list[Work]:
        return [w for w in self.work if w.kind == "milestone"]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


def meeting_name(meeting: Meeting) -> str:
    """A meeting's name in calendars (its UID): its id, else made from its kind and title."""
    return meeting.id or slug(f"{meeting.kind} {meeting.title or ''}")


def exam_name(exam: Exam) -> str:
    """An exam's name in calendars (its UID): its id, else made from its title."""
    return exam.id or slug(exam.title)


class TermLoader(SafeLoader):
    """The front matter's loader, with YAML 1.1's numbers in base 60 (an unquoted `10:15`,
    read as 615) kept as the text written: a time is then read from what the author wrote, and
    a bare number (`start: 9`, nine o'clock or nine minutes past midnight?) is no time."""

    def construct_yaml_int(self, node):
        if ":" in node.value:
            return self.construct_scalar(node)
        return super().construct_yaml_int(node)

    def construct_mapping(self, node, deep=False):
        # YAML says a mapping's keys are unique; PyYAML keeps the last of two silently, so a
        # second `due:` (or a second `term:` at the end of the file) would win without a word.
        seen: dict[str, yaml.Mark] = {}
        for key_node, _value in node.value if isinstance(node, yaml.MappingNode) else ():
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"{key_node.value!r} is given twice in one mapping (first at line "
                    f"{seen[key_node.value].line + 1}): keep one",
                    key_node.start_mark,
                )
            seen[key_node.value] = key_node.start_mark
        return super().construct_mapping(node, deep)


TermLoader.add_constructor("tag:yaml.org,2002:int", TermLoader.construct_yaml_int)


def load_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    loader = TermLoader(text)
    try:
        return loader.get_single_data(), []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        return None, [Problem(file, "", f"{where}not valid YAML: {reason}")]
    finally:
        loader.dispose()


def release_listings(source: TermSource) -> list[tuple[str, str, str]]:
    """The assignments' notebooks with their solutions dates, as (where, "", front matter) in
    the form a lecture lists notebooks, so that the notebook stage withholds an assignment's
    notebook until the assignment's own date. Read without validation (the term is validated
    later, with the course); values that are wrong are reported then."""
    found: list[tuple[str, str, str]] = []
    entries: list[tuple[str, dict]] = []
    if source.text:
        data, problems = load_yaml(source.text, source.file)
        listed = data.get("assignments") if isinstance(data, dict) and not problems else None
        for index, entry in enumerate(listed if isinstance(listed, list) else []):
            entries.append((f"{source.file}: assignments[{index}]", entry))
    for file, _uri, front_matter in source.pages:
        data, problems = read_front_matter(front_matter, file)
        entries.append((file, data))
    for where, entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("notebook"), str):
            meta = {"notebooks": [entry["notebook"]], "solutions": entry.get("solutions")}
            found.append((where, "", f"---\n{json.dumps(meta, default=str)}\n---\n"))
    return found
