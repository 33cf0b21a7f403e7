"""Announcements as the course publishes them: each post's title and date read from its front
matter (the posts are mkdocs-material blog posts), checked with the file and field named, and
whether it is out yet, by the course's day, as solutions are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from .dates import DATE_SHAPE, impossible_date
from .frontmatter import FRONT_MATTER, read_front_matter
from .lectures import first_heading
from .problems import Problem

DATE_EXAMPLE = "2027-01-20"


@dataclass(frozen=True)
class Announcement:
    src_uri: str  # the post's page, inside docs/
    title: str
    date: dt.date  # the day it is published, in the course's time zone
    # The front matter's `draft`: True holds it back, False publishes it whatever its date
    # (as mkdocs-material's blog reads it); None lets the date decide.
    draft: bool | None = None
    categories: tuple[str, ...] = field(default_factory=tuple)
    time: dt.datetime | None = None  # when the front matter gives a time too


def blog_moment(post: Announcement) -> dt.datetime:
    """When mkdocs-material's blog takes the post to be published (`draft_if_future_date`):
    its date at midnight UTC, or its time, in UTC unless the time says otherwise."""
    if post.time is not None:
        return post.time if post.time.tzinfo else post.time.replace(tzinfo=dt.timezone.utc)
    return dt.datetime.combine(post.date, dt.time(), dt.timezone.utc)


def read_announcement(
    text: str, src_uri: str, shown: str, zone: str | None = None
) -> tuple[Announcement | None, list[Problem]]:
    """The announcement a post's text makes, or None with every problem that stops it, each
    naming `shown` (the file as the course sees it) and the field. `zone`: the course's time
    zone, whose day a date and time with an offset falls on (the machine's without one)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None, [Problem(shown, "date", "an announcement needs front matter with its date")]
    meta, problems = read_front_matter(text, shown)
    if problems:
        return None, problems
    day = _day(meta.get("date"), zone, shown, problems)
    draft = meta.get("draft")
    if draft is not None and not isinstance(draft, bool):
        problems.append(Problem(shown, "draft", f"expected true or false, got {draft!r}"))
    categories = meta.get("categories") or []
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        problems.append(
            Problem(shown, "categories", f"expected a list of names, got {categories!r}")
        )
    title = meta.get("title")
    if title is None:
        heading = first_heading(text[match.end() :])
        title = heading_text(heading) if heading else heading
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(shown, "title", "an announcement needs `title:` or a `# ` heading"))
    if problems or day is None:
        return None, problems
    written = meta["date"] if isinstance(meta["date"], dt.datetime) else None
    if written is not None and written.tzinfo is not None:
        # The same moment, on the course's clock: one day's posts are ordered by it.
        written = written.astimezone(ZoneInfo(zone) if zone else None)
    return Announcement(src_uri, title.strip(), day, draft, tuple(categories), written), []


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def heading_text(heading: str) -> str:
    """A `# ` heading's Markdown as the text MkDocs titles its page with (`Lecture *2*` ->
    `Lecture 2`, `Q&amp;A` -> `Q&A`): the home list then reads as the post's page and feed."""
    import markdown

    parser = _Text()
    parser.feed(markdown.markdown(f"# {heading}", extensions=["attr_list"]))
    parser.close()
    return "".join(parser.parts)


def _day(value, zone: str | None, shown: str, problems: list[Problem]) -> dt.date | None:
    """The post's day: a YAML date, or a date and time (whose day counts): with an offset
    (`2027-01-20 22:00:00-10:00`), its day in the course's zone (there 2027-01-21), else the
    post would be out a day early in New York."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value.astimezone(ZoneInfo(zone) if zone else None).date()
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None:
        problems.append(
            Problem(shown, "date", f"an announcement needs its date, like {DATE_EXAMPLE}")
        )
    elif isinstance(value, dict):
        # mkdocs-material accepts `date: {created: ...}`, but the feed plugin then dates the
        # post by the build instead: one form, read the same by both.
        problems.append(
            Problem(
                shown,
                "date",
                f"write one date, like `date: {DATE_EXAMPLE}` (with `created:`/`updated:` the "
                "feed would date the post by the build)",
            )
        )
    else:
        why = impossible_date(value)
        detail = f" ({why})" if why else ""
        if isinstance(value, str) and not why and DATE_SHAPE.fullmatch(value.strip()):
            # `date: "2027-01-20"` is text to YAML, and the blog refuses it too.
            detail = " (text in quotes: write the date without them)"
        problems.append(
            Problem(shown, "date", f"expected a date like {DATE_EXAMPLE}, got {value!r}{detail}")
        )
    return None


def is_published(post: Announcement, today: dt.date, blog_now: dt.datetime | None = None) -> bool:
    """Out on `today` (the course's day): not a draft, and its day has come, unless its
    front matter says `draft: false`, which publishes it now (mkdocs-material's reading).
    `blog_now`: the time now, when the blog's own `draft_if_future_date` holds back posts
    too (by midnight UTC and the machine's clock): then it must let the post out as well."""
    if post.draft is not None:
        return not post.draft
    if blog_now is not None and blog_moment(post) > blog_now:
        return False
    return post.date <= today


def newest_first(posts: list[Announcement]) -> list[Announcement]:
    """By date, newest first, as the blog lists them (one day's posts by their times, the
    latest first); then by title, so the order never depends on files."""
    return sorted(
        sorted(posts, key=lambda p: (p.title, p.src_uri)),
        key=lambda p: (p.date, p.time.time() if p.time else dt.time.min),
        reverse=True,
    )
