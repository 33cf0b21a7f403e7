"""Render coursebook's generated pages and lecture blocks from Jinja templates.

`href(src_uri)` is supplied by the caller (the plugin knows the site's URLs), so this module
stays free of MkDocs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from jinja2 import Environment

from ..course.schedule import next_lecture, schedule_rows
from ..notebooks.pages import page_uri_for
from .blocks import HeldBlocks, LectureBlocks, block_holder

if TYPE_CHECKING:
    from ..course.lectures import LectureSource
    from ..course.model import Course

Href = Callable[[str], str]

READINGS_PAGE = "readings.md"
CRITERIA_PAGE = "criteria.md"
SCHEDULE_PAGE = "schedule.md"
BIBTEX_FILE = "readings.bib"
ICAL_FILE = "schedule.ics"
READINGS_MARKER = "<!-- coursebook:readings -->"
LECTURE_LIST_MARKER = "<!-- coursebook:lecture-list -->"
NOTEBOOK_LIST_MARKER = "<!-- coursebook:notebook-list -->"
CRITERIA_MARKER = "<!-- coursebook:criteria -->"


def render_readings_page(
    env: Environment,
    course: Course,
    href: Href,
    source_url,
    *,
    max_authors: int,
    blocks: HeldBlocks | None = None,
) -> str:
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
        source_url=source_url,
        max_authors=max_authors,
        hold=block_holder(blocks),
    )


def render_criteria_page(
    env: Environment, course: Course, href: Href, source_url, blocks: HeldBlocks | None = None
) -> str:
    groups = [(lecture, group) for lecture in course.lectures for group in lecture.meta.criteria]
    return env.get_template("criteria.md").render(
        groups=groups, href=href, source_url=source_url, hold=block_holder(blocks)
    )


def _notebook_links(titles: dict[str, str], href: Href):
    """`links(lecture)` -> [(title, href)] for the lecture's notebooks that have a page
    (a missing one is reported by validation, not by a broken link)."""

    def links(lecture: LectureSource) -> list[tuple[str, str]]:
        pages = [page_uri_for(n) for n in lecture.meta.notebooks]
        return [(titles[p], href(p)) for p in pages if p in titles]

    return links


def render_schedule_page(
    env: Environment,
    course: Course,
    href: Href,
    today: dt.date,
    notebook_titles: dict[str, str],
    source_url: str | None,
    blocks: HeldBlocks | None = None,
    deck_url: Callable[[str], str] | None = None,
) -> str:
    """The schedule; with `deck_url` (a page's URL -> its deck's, when the site builds decks),
    each lecture links to its slide deck too. A course with a term (course.yml) gets its weeks
    above the lectures: one schedule page."""
    counts = {
        lecture.meta.lecture: len(course.readings.for_lecture(lecture))
        for lecture in course.lectures
    }
    deck_href = (lambda lecture: deck_url(href(lecture.src_uri))) if deck_url else None
    weeks_html = None
    if course.term is not None:
        from .term_pages import render_weeks

        weeks_html = render_weeks(
            env,
            course,
            href,
            today,
            notebook_titles,
            deck_href=deck_href,
            readings_href=href(READINGS_PAGE),
        )
    return env.get_template("schedule.md").render(
        weeks_html=weeks_html,
        zone=course.term.zone if course.term is not None else None,
        rows=schedule_rows(course.lectures, counts, today),
        next_lecture=next_lecture(course.lectures, today),
        today=today,
        href=href,
        notebook_links=_notebook_links(notebook_titles, href),
        readings_href=href(READINGS_PAGE),
        ical_name=ICAL_FILE,
        source_url=source_url,
        hold=block_holder(blocks),
        deck_href=deck_href,
    )


def handout_name(lecture: LectureSource) -> str:
    return f"lecture-{lecture.meta.lecture:02d}.pdf"


def slides_pdf_name(lecture: LectureSource) -> str:
    return f"lecture-{lecture.meta.lecture:02d}-slides.pdf"


def render_lecture_blocks(
    env: Environment,
    course: Course,
    lecture: LectureSource,
    href: Href,
    *,
    course_name: str,
    handout_href: str | None,
    max_authors: int,
    slides_href: str | None = None,
    slides_pdf_href: str | None = None,
    blocks: HeldBlocks | None = None,
) -> LectureBlocks:
    """The handout header, the page actions, the readings and the checklists of a lecture."""
    hold = block_holder(blocks)
    # Page furniture: in the page, not in its search entry (see blocks.py).
    header = hold(
        env.get_template("lecture_header.html").render(lecture=lecture, course_name=course_name),
        late=True,
    ).strip()
    actions = hold(
        env.get_template("lecture_actions.html").render(
            handout_href=handout_href, slides_href=slides_href, slides_pdf_href=slides_pdf_href
        ),
        late=True,
    ).strip()
    entries = course.readings.for_lecture(lecture)
    placed = []
    if entries:
        readings = env.get_template("lecture_readings.md").render(
            lecture=lecture,
            entries=entries,
            href=href,
            readings_href=href(READINGS_PAGE),
            max_authors=max_authors,
            hold=hold,
        )
        placed.append((READINGS_MARKER, readings))
    if lecture.meta.criteria:
        criteria = env.get_template("lecture_criteria.md").render(
            lecture=lecture, href=href, hold=hold
        )
        placed.append((CRITERIA_MARKER, criteria))
    return LectureBlocks(header, actions, placed, blocks)


def place_lecture_blocks(markdown: str, rendered: LectureBlocks) -> str:
    """Put the handout header above the lecture's title and the actions under it, and the
    readings and checklists at their markers, or at the end of the page."""
    lines = markdown.split("\n")
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if title is None:
        markdown = f"{rendered.header}\n\n{rendered.actions}\n\n{markdown}"
    else:
        lines[title : title + 1] = [f"{rendered.header}\n", lines[title], f"\n{rendered.actions}\n"]
        markdown = "\n".join(lines)
    for marker, block in rendered.placed:
        if marker in markdown:
            markdown = markdown.replace(marker, f"\n{block}\n", 1)
        else:
            markdown = f"{markdown.rstrip()}\n\n{block}\n"
    return markdown


def listing_markers(markdown: str) -> list[str]:
    """The lecture-list and notebook-list markers a page holds (any page may)."""
    return [m for m in (LECTURE_LIST_MARKER, NOTEBOOK_LIST_MARKER) if m in markdown]


def render_listing(
    env: Environment, course: Course, notebook_titles: dict[str, str], marker: str, href: Href
) -> str:
    """The Markdown that replaces a listing marker."""
    if marker == LECTURE_LIST_MARKER:
        return env.get_template("lecture_list.md").render(
            lectures=course.lectures,
            href=href,
            notebook_links=_notebook_links(notebook_titles, href),
        )
    cited = {page_uri_for(n) for lec in course.lectures for n in lec.meta.notebooks}
    return env.get_template("notebook_list.md").render(
        lectures=course.lectures,
        others=[(notebook_titles[u], href(u)) for u in sorted(notebook_titles) if u not in cited],
        notebook_links=_notebook_links(notebook_titles, href),
        href=href,
    )
