"""The course's announcements in one build: the posts of mkdocs-material's blog plugin, those
not out yet (by the course's day) kept out of the site before the blog sees them, and the
latest ones listed where a page asks with `<!-- coursebook:announcements -->`.

The blog plugin makes the posts' pages, their URLs and the blog's index; mkdocs-rss-plugin
makes the feed. coursebook adds what neither does: one rule for when a post is out (the
course's time zone and COURSEBOOK_TODAY, as for solutions, where mkdocs-material compares
midnight UTC with the machine's clock), posts kept out of the index sections coursebook fills,
and the home page's list, made from the posts' front matter."""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..course.announcements import Announcement, is_published, newest_first, read_announcement
from ..errors import BuildError

MARKER = "<!-- coursebook:announcements -->"
ITEM_TITLE = re.compile(r"(<item>\s*<title>)(.*?)(</title>)", re.DOTALL)
# Where a page's Markdown names another file: `](x)`, a reference `[id]: x`, `src=`/`href=`.
LINK_TARGET = re.compile(
    r"\]\(\s*<?([^)\s>]+)|^[ \t]*\[[^\]]+\]:[ \t]*<?([^\s>]+)|\b(?:src|href)\s*=\s*[\"']([^\"']+)",
    re.MULTILINE,
)
# mkdocs-rss-plugin writes the channel's image even without one (`image:` unset): "None".
NO_IMAGE = re.compile(r"<image>\s*<url>None</url>.*?</image>\s*", re.DOTALL)


@dataclass(frozen=True)
class BlogSettings:
    """What coursebook needs of the site's `material/blog` (and `rss`) settings."""

    index: str  # the blog's index page inside docs/, e.g. announcements/index.md
    posts_dir: str  # inside docs/, e.g. announcements/posts
    latest: int  # posts a page's list shows
    feed: str | None = None  # the RSS feed's file at the site's root, when one is made
    feeds: tuple[str, ...] = ()  # every feed file mkdocs-rss-plugin writes (created, updated)
    json_feeds: tuple[str, ...] = ()  # its JSON Feeds, when `json_feed_enabled` (its default)
    # The blog's own `draft_if_future_date`: a post it holds back is not listed either.
    blog_holds_future: bool = False
    zone: str | None = None  # the course's time zone: a post's day is a day there


@dataclass
class Announcements:
    settings: BlogSettings
    today: dt.date  # in the course's time zone
    now: dt.datetime  # the machine's clock, as the blog plugin reads it
    docs_shown: str  # docs/ as a path from the repository, for messages
    published: list[Announcement] = field(default_factory=list)  # newest first
    scheduled: list[Announcement] = field(default_factory=list)
    # Files (an image, a PDF) only scheduled posts link to: not copied before the post is out.
    withheld_files: set[Path] = field(default_factory=set)
    # The scheduled posts' own files: a page that includes one (a snippet) would publish it.
    scheduled_sources: dict[Path, Announcement] = field(default_factory=dict)

    def read(self, site, *, keep_scheduled: bool) -> None:
        """Read every post (`site`: SiteFiles), stop on any that cannot be dated (all named
        at once), keep those not out yet out of the site (but under `mkdocs serve`, which
        previews them as the blog does its drafts), and keep every post out of the index
        sections of the nav: the blog lists them on its own index."""
        found, problems, texts = [], [], {}
        for src_uri, text in site.pages_under(self.settings.posts_dir):
            texts[src_uri] = text
            shown = f"{self.docs_shown}/{src_uri}"
            post, post_problems = read_announcement(text, src_uri, shown, self.settings.zone)
            problems += post_problems
            if post is not None:
                found.append(post)
        if problems:
            listed = "\n".join(f"  {problem}" for problem in problems)
            raise BuildError(f"coursebook: {len(problems)} announcement problem(s):\n{listed}")
        blog_now = self.now if self.settings.blog_holds_future else None
        for post in newest_first(found):
            out = is_published(post, self.today, blog_now)
            (self.published if out else self.scheduled).append(post)
        for post in found:
            site.keep_out_of_nav(post.src_uri)
        if not keep_scheduled:
            for post in self.scheduled:
                source = site.remove(post.src_uri)
                if source is not None:
                    self.scheduled_sources[source] = post
            self.withheld_files = _attachments(
                site, [(p.src_uri, texts[p.src_uri]) for p in self.scheduled]
            )

    def scheduled_linked(self, markdown: str, src_uri: str) -> list[Announcement]:
        """The scheduled posts a page's Markdown links to (its links are broken until then)."""
        linked = linked_files(markdown, src_uri)
        return [post for post in self.scheduled_sources.values() if post.src_uri in linked]

    def scheduled_included(self, included: set[Path]) -> Announcement | None:
        """The scheduled post among the files a page includes (`included`), if any."""
        return next(
            (self.scheduled_sources[p] for p in sorted(included) if p in self.scheduled_sources),
            None,
        )

    def clashes(self, site) -> list[str]:
        """Published posts the blog gave one URL (`site`: SiteFiles, once the blog has set the
        URLs): with `post_url_format: "{slug}"` two posts titled alike ("No lecture on
        Thursday", twice a term) are one page, and the older one is silently lost."""
        by_url: dict[str, list[str]] = {}
        for post in self.published:
            by_url.setdefault(site.url(post.src_uri), []).append(post.src_uri)
        return [
            f"{' and '.join(f'{self.docs_shown}/{uri}' for uri in sorted(uris))}: both are "
            f"published at {url!r}: give one a `slug:` of its own in its front matter"
            for url, uris in sorted(by_url.items())
            if len(uris) > 1
        ]

    def fill(self, markdown: str, env, site, page_file) -> str:
        """`markdown` with the list of the latest posts at its marker; `site`: SiteFiles,
        `page_file`: the page's file, which links are made from."""
        if MARKER not in markdown:
            return markdown
        href = site.href_from(page_file)
        block = env.get_template("announcements.md").render(
            posts=self.published[: self.settings.latest],
            more=len(self.published) > self.settings.latest,
            href=href,
            index_href=href(self.settings.index),
            # The feed is written after the pages: its link is made, not looked up.
            feed_href=site.relative(self.settings.feed, page_file.url)
            if self.settings.feed
            else None,
        )
        return markdown.replace(MARKER, f"\n{block}\n")

    def finish_feeds(self, site_dir) -> None:
        """Each item's title in the feeds as text, and no image named "None". A page's title
        in MkDocs is HTML (`Q&amp;A`: from the heading as rendered, or from `title:` as
        coursebook escapes it for the theme), and mkdocs-rss-plugin escapes it once more: a
        feed reader would show "Q&amp;A"."""
        for name in self.settings.feeds:
            path = site_dir / name
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                text = NO_IMAGE.sub("", ITEM_TITLE.sub(_title_as_text, text))
                path.write_text(text, encoding="utf-8")
        for name in self.settings.json_feeds:
            path = site_dir / name
            if path.is_file():
                # JSON is no HTML: the title as text ("Q&A", not "Q&amp;A").
                text = path.read_text(encoding="utf-8")
                feed = json.loads(text)
                for item in feed.get("items", []):
                    if isinstance(item.get("title"), str):
                        item["title"] = html.unescape(item["title"])
                indent = 4 if text.startswith("{\n") else None
                path.write_text(json.dumps(feed, indent=indent), encoding="utf-8")


def _title_as_text(found: re.Match) -> str:
    # Once for the feed plugin's escaping, once for the title's own HTML; then as XML text.
    text = html.unescape(html.unescape(found.group(2)))
    return found.group(1) + html.escape(text, quote=False) + found.group(3)


def _attachments(site, scheduled: list[tuple[str, str]]) -> set[Path]:
    """The files of docs/ (not pages) that the scheduled posts (source URI, text) link to and
    no published page does: an exam's solutions attached to the post announcing them would
    otherwise be copied to the site, at a guessable address, before the post is out."""
    linked = set().union(*(linked_files(text, uri) for uri, text in scheduled))
    if not linked:
        return set()
    for uri, text in site.page_texts():
        linked -= linked_files(text, uri)
    return site.static_sources(linked)


def linked_files(text: str, src_uri: str) -> set[str]:
    """The source URIs (inside docs/) of the files a page's Markdown links to by a relative
    link, images and raw HTML too."""
    found = set()
    for match in LINK_TARGET.finditer(text):
        target = urlsplit(next(group for group in match.groups() if group))
        if target.scheme or target.netloc or target.path.startswith("/") or not target.path:
            continue
        path = posixpath.join(posixpath.dirname(src_uri), unquote(target.path))
        found.add(posixpath.normpath(path))
    return found
