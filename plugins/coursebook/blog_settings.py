"""What the announcements stage needs of mkdocs.yml's `blog` (mkdocs-material's) and `rss`
(mkdocs-rss-plugin's) settings, read from the plugins MkDocs loaded, as plain data."""

from __future__ import annotations

import posixpath

from mkdocs.config.defaults import MkDocsConfig

from .errors import ProblemLog
from .pages.announcements import BlogSettings


def blog_settings(config: MkDocsConfig, course, problems: ProblemLog) -> BlogSettings | None:
    """The announcements' settings (`course`: coursebook's own), or None when the site has
    no blog. The first `material/blog` instance holds the announcements (the plugin may be
    listed twice)."""
    from material.plugins.blog.plugin import BlogPlugin

    blog = next(
        (p for p in config.plugins.values() if isinstance(p, BlogPlugin) and p.config.enabled),
        None,
    )
    if blog is None:
        return None
    root = posixpath.normpath(blog.config.blog_dir)
    posts = posixpath.normpath(blog.config.post_dir.format(blog=root))
    feed, feeds, json_feeds = None, (), ()
    rss = config.plugins.get("rss")
    if rss is not None and rss.config.enabled and rss.config.json_feed_enabled:
        names = rss.config.feeds_filenames
        json_feeds = (names.json_created, names.json_updated)
    if rss is not None and rss.config.enabled and rss.config.rss_feed_enabled:
        feed = rss.config.feeds_filenames.rss_created
        feeds = (feed, rss.config.feeds_filenames.rss_updated)
        zone = rss.config.date_from_meta.default_timezone
        course_zone = course.timezone
        if course_zone and zone != course_zone:
            # A post's date is a day of the course; the feed would put it in another zone.
            problems.report(
                f"mkdocs.yml: plugins.rss.date_from_meta.default_timezone: {zone!r} is not "
                f"the course's time zone {course_zone!r} (plugins.coursebook.timezone): the "
                "feed would date each announcement in another zone"
            )
    return BlogSettings(
        index=posixpath.join(root, "index.md") if root != "." else "index.md",
        posts_dir=posts,
        latest=course.latest_announcements,
        feed=feed,
        feeds=feeds,
        json_feeds=json_feeds,
        blog_holds_future=blog.config.draft_if_future_date,
        zone=course.timezone,
    )
