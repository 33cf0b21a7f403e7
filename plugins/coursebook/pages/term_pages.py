"""Render the term (course/term.py) as pages and blocks: the schedule's weeks, the home page's
"This week" and "Due soon", the assignments page and the staff page. The HTML is in the
templates (term_*.html, assignments.md, staff.md); this module gathers what they show.

Everything is rendered for the build's day, and carries the dates the browser needs to mark
them again for the reader's day (assets/coursebook.js): a site built last week still marks
this week and what is due now."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from jinja2 import Environment
from markupsafe import Markup

from ..course.dates import WEEKDAYS
from ..course.term_calendar import status, term_weeks
from ..errors import BuildError
from ..notebooks.pages import page_uri_for
from .blocks import block_holder

if TYPE_CHECKING:
    from ..course.model import Course
    from ..course.term import Term, Work

Href = Callable[[str], str]
ASSIGNMENTS_PAGE = "assignments.md"
STAFF_PAGE = "staff.md"
THIS_WEEK_MARKER = "<!-- coursebook:this-week -->"
DUE_SOON_MARKER = "<!-- coursebook:due-soon -->"
TERM_MARKERS = (THIS_WEEK_MARKER, DUE_SOON_MARKER)
# "Due soon": deadlines in the next two weeks (the browser counts from the reader's now).
DUE_SOON_DAYS = 14


def has_staff_page(term: Term) -> bool:
    return bool(term.staff or any(m.kind == "office-hours" for m in term.meetings))


def _helpers(term: Term, href: Href, titles: dict[str, str]) -> dict:
    """What every term template uses: how a moment and a day are written, and links."""

    def moment(value: dt.datetime | None) -> str:
        # The zone's abbreviation (EST, EDT) says which zone, even for a reader abroad.
        return value.strftime("%a %d %b, %H:%M %Z").strip() if value else ""

    def work_href(work: Work) -> str:
        if work.page:
            return href(work.page)
        return f"{href(ASSIGNMENTS_PAGE)}#{work.id}"

    def notebook_href(work: Work) -> tuple[str, str] | None:
        if not work.notebook:
            return None
        page = page_uri_for(work.notebook)
        return (titles[page], href(page)) if page in titles else None

    def days(numbers: list[int]) -> str:
        return ", ".join(WEEKDAYS[n] for n in sorted(numbers))

    return {
        "term": term,
        "zone": term.zone or "",
        "href": href,
        "moment": moment,
        "iso": lambda value: value.isoformat() if value else "",
        "work_href": work_href,
        "notebook_href": notebook_href,
        "days": days,
    }


def render_weeks(
    env: Environment,
    course: Course,
    href: Href,
    today: dt.date,
    titles: dict[str, str],
    *,
    deck_href: Callable | None = None,
    readings_href: str = "",
) -> Markup:
    """The schedule's week-by-week view (HTML)."""
    term = course.term
    counts = {lec.meta.lecture: len(course.readings.for_lecture(lec)) for lec in course.lectures}
    return Markup(
        env.get_template("term_weeks.html").render(
            weeks=term_weeks(term, course.lectures, today),
            today=today,
            readings=counts,
            readings_href=readings_href,
            deck_href=deck_href,
            **_helpers(term, href, titles),
        )
    )


def render_assignments_page(
    env: Environment, course: Course, href: Href, today: dt.date, titles, source_url, hold
) -> str:
    term = course.term
    return env.get_template("assignments.md").render(
        assignments=term.assignments,
        milestones=term.milestones,
        status=lambda work: status(work, today),
        released=lambda work: work.solutions is not None and work.solutions <= today,
        solutions_href=lambda work: _solutions_href(work, href, titles),
        today=today,
        source_url=source_url,
        hold=hold,
        **_helpers(term, href, titles),
    )


def _solutions_href(work: Work, href: Href, titles: dict[str, str]) -> str | None:
    """Where the released solutions are: in the assignment's page, else its notebook's."""
    if work.page:
        return href(work.page)
    if work.notebook and page_uri_for(work.notebook) in titles:
        return href(page_uri_for(work.notebook))
    return None


def render_staff_page(env: Environment, course: Course, href: Href, titles, source_url, hold):
    term = course.term
    return env.get_template("staff.md").render(
        staff=term.staff,
        office_hours=[m for m in term.meetings if m.kind == "office-hours"],
        meetings=[m for m in term.meetings if m.kind != "office-hours"],
        photo_href=lambda photo: _photo_href(photo, href),
        source_url=source_url,
        hold=hold,
        **_helpers(term, href, titles),
    )


def _photo_href(photo: str, href: Href) -> str | None:
    """A photo's link; None for a file that is not there (reported by the term's checks)."""
    if photo.startswith(("http://", "https://")):
        return photo
    try:
        return href(photo)
    except BuildError:
        return None


def render_term_block(
    env: Environment, course: Course, marker: str, href: Href, today: dt.date, titles
) -> str:
    """The HTML of a home-page block (`THIS_WEEK_MARKER`, `DUE_SOON_MARKER`)."""
    term = course.term
    if term is None:
        return ""
    helpers = _helpers(term, href, titles)
    if marker == THIS_WEEK_MARKER:
        weeks = term_weeks(term, course.lectures, today)
        return env.get_template("term_this_week.html").render(weeks=weeks, **helpers)
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    dated = [work for work in term.work if work.due is not None]
    return env.get_template("term_due_soon.html").render(
        dated=dated,
        soon=lambda work: today <= work.due.date() <= horizon,
        days=DUE_SOON_DAYS,
        **{k: v for k, v in helpers.items() if k != "days"},
    )


def term_renderers(env: Environment, course: Course, titles, source_url, today: dt.date) -> dict:
    """The term's own pages (URI -> `render(href, blocks)`): the assignments, and the staff
    when the term lists staff or office hours."""
    renderers = {
        ASSIGNMENTS_PAGE: lambda href, blocks: render_assignments_page(
            env, course, href, today, titles, source_url, block_holder(blocks)
        )
    }
    if has_staff_page(course.term):
        renderers[STAFF_PAGE] = lambda href, blocks: render_staff_page(
            env, course, href, titles, source_url, block_holder(blocks)
        )
    return renderers


def term_calendar(
    course: Course,
    site,
    *,
    course_name: str,
    site_url: str,
    lecture_minutes: int,
    lecture_time: dt.time | None,
) -> bytes | None:
    """schedule.ics of a course with a term: everything dated (course/term_ical.py);
    None without a term. `site`: the site's files (site_files.SiteFiles), for page URLs."""
    if course.term is None:
        return None
    from ..course.schedule import build_time
    from ..course.term_ical import term_to_ical

    site_url = site_url.rstrip("/")
    pages = [lecture.src_uri for lecture in course.lectures]
    pages += [work.page for work in course.term.work if work.page]
    urls = {
        uri: f"{site_url}/{site.url(uri)}"
        for uri in pages
        if site_url and site.files.get_file_from_path(uri) is not None
    }
    return term_to_ical(
        course.term,
        course.lectures,
        course_name=course_name,
        page_urls=urls,
        uid_domain=urlsplit(site_url).hostname or "coursebook.invalid",
        stamp=build_time(os.environ),
        lecture_minutes=lecture_minutes,
        lecture_time=lecture_time,
    )
