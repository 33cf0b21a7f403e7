"""Render coursebook's generated pages and lecture blocks from Jinja templates.

`href(src_uri)` is supplied by the caller (the plugin knows the site's URLs), so this module
stays free of MkDocs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from jinja2 import Environment

from .course import Course, LectureSource
from .schedule import next_lecture, schedule_rows

Href = Callable[[str], str]

READINGS_PAGE = "readings.md"
CRITERIA_PAGE = "criteria.md"
SCHEDULE_PAGE = "schedule.md"
BIBTEX_FILE = "readings.bib"
ICAL_FILE = "schedule.ics"
READINGS_MARKER = "<!-- coursebook:readings -->"
CRITERIA_MARKER = "<!-- coursebook:criteria -->"


def render_readings_page(env: Environment, course: Course, href: Href) -> str:
    groups = []
    for lecture in course.lectures:
        entries = course.readings.for_lecture(lecture)
        groups.append(
            {
                "lecture": lecture,
                "first": [e for e in entries if e.first_lecture is lecture],
                "again": [e for e in entries if e.first_lecture is not lecture],
            }
        )
    return env.get_template("readings.md").render(
        groups=groups,
        by_year=course.readings.by_year(),
        href=href,
        bibtex_href=href(BIBTEX_FILE),
    )


def render_criteria_page(env: Environment, course: Course, href: Href) -> str:
    groups = [(lecture, group) for lecture in course.lectures for group in lecture.meta.criteria]
    return env.get_template("criteria.md").render(groups=groups, href=href)


def render_schedule_page(env: Environment, course: Course, href: Href, today: dt.date) -> str:
    counts = {
        lecture.meta.lecture: len(course.readings.for_lecture(lecture))
        for lecture in course.lectures
    }
    return env.get_template("schedule.md").render(
        rows=schedule_rows(course.lectures, counts, today),
        next_lecture=next_lecture(course.lectures, today),
        today=today,
        href=href,
        notebook_href=lambda uri: href(uri.rsplit(".", 1)[0] + ".md"),
        readings_href=href(READINGS_PAGE),
        ical_name=ICAL_FILE,
    )


def add_lecture_blocks(
    env: Environment, course: Course, lecture: LectureSource, markdown: str, href: Href
) -> str:
    """Put the lecture's readings and checklists at their markers, or at the end of the page."""
    entries = course.readings.for_lecture(lecture)
    blocks = []
    if entries:
        readings = env.get_template("lecture_readings.md").render(
            lecture=lecture, entries=entries, href=href, readings_href=href(READINGS_PAGE)
        )
        blocks.append((READINGS_MARKER, readings))
    if lecture.meta.criteria:
        criteria = env.get_template("lecture_criteria.md").render(lecture=lecture, href=href)
        blocks.append((CRITERIA_MARKER, criteria))
    for marker, block in blocks:
        if marker in markdown:
            markdown = markdown.replace(marker, f"\n{block}\n", 1)
        else:
            markdown = f"{markdown.rstrip()}\n\n{block}\n"
    return markdown
