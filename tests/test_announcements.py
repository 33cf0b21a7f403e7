"""Announcements (issue 25): real builds of fixture courses configured as
docs/authoring/announcements.md tells a course to (mkdocs-material's blog, mkdocs-rss-plugin,
coursebook's home page list), and the pure reading of a post's front matter."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from conftest import new_fixture_site, texts, where
from coursebook.course.announcements import (
    Announcement,
    blog_moment,
    is_published,
    newest_first,
    read_announcement,
)

SITE_URL = "https://courses.example.edu/dl101/"
SCHEDULED = "QXSCHEDULEDPOST"  # only in the post dated after today: never published

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "authoring" / "announcements.md"


def guide_plugins() -> str:
    """The `- blog:` and `- rss:` entries exactly as docs/authoring/announcements.md tells a
    course to write them: the fixtures are configured by the guide itself."""
    guide = GUIDE.read_text(encoding="utf-8")
    block = guide.split("## Set it up", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    return block[block.index("  - blog:") : block.index("nav:")]


NAV = """\
site_url: {site_url}
site_description: A fixture course with announcements
nav:
  - Home: index.md
  - Announcements:
      - announcements/index.md
  - Lectures:
      - lectures/index.md
"""

LECTURE = """\
---
title: Shrinkage
lecture: 1
date: 2026-01-20
---

# Shrinkage

The lecture.
"""

# (file, date, title, body): four out, one dated long after any test run.
POSTS = [
    ("welcome.md", "2026-01-12", "Welcome to DL 101", "The course site is up."),
    ("lecture-1.md", "2026-01-20", "Lecture 1 notes are up", "Read [them](../../lectures/01.md)."),
    ("room.md", "2026-01-27", 'Room & time: "Towne 100" <b>not</b> Levine', "See you there."),
    ("notebook.md", "2026-02-03", "Notebook 1 is up", "Run it in Colab."),
    ("scheduled.md", "2099-01-27", f"Exam review {SCHEDULED}", f"Bring questions. {SCHEDULED}"),
]
OUT = [p for p in POSTS if not p[1].startswith("2099")]


def announcing_site(root: Path, *, future_is_draft: bool = True, posts=POSTS):
    site = new_fixture_site(root, "timezone: America/New_York")
    config = (root / "mkdocs.yml").read_text()
    config = config.replace(
        "  - coursebook:",
        guide_plugins().replace(
            "draft_if_future_date: true", f"draft_if_future_date: {str(future_is_draft).lower()}"
        )
        + "  - coursebook:",
    )
    config = config.replace("  font: false", "  font: false\n  features:\n    - navigation.indexes")
    site.write("mkdocs.yml", config + NAV.format(site_url=SITE_URL))
    site.write(
        "docs/index.md", "# DL 101\n\n## Announcements\n\n<!-- coursebook:announcements -->\n"
    )
    site.write("docs/announcements/index.md", "# Announcements\n")
    site.write("docs/lectures/index.md", "# Lectures\n")
    site.write("docs/lectures/01.md", LECTURE)
    for name, date, title, body in posts:
        # A title with markup is text: written as `title:`, the heading says something else.
        front, heading = (f"title: '{title}'\n", "Room change") if "<" in title else ("", title)
        site.write(
            f"docs/announcements/posts/{name}",
            f"---\ndate: {date}\ncategories: [News]\n{front}---\n\n# {heading}\n\n{body}\n",
        )
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    build = announcing_site(tmp_path_factory.mktemp("announcing")).build()
    assert build.returncode == 0, build.log
    return build


def home_list(build):
    return build.html("index.html").select(".cb-announcements .cb-announcement")


def test_each_post_has_its_own_page(built):
    titles = {}
    for page in (built.site / "announcements").glob("*/index.html"):
        soup = built.html(str(page.relative_to(built.site)))
        titles[page.parent.name] = soup.select_one(".md-content h1").get_text()
    assert titles == {
        "welcome-to-dl-101": "Welcome to DL 101",
        "lecture-1-notes-are-up": "Lecture 1 notes are up",
        "room--time-towne-100-not-levine": "Room change",
        "notebook-1-is-up": "Notebook 1 is up",
    }


def test_home_page_lists_the_three_latest_newest_first_with_dates_and_links(built):
    items = home_list(built)
    newest = sorted(OUT, key=lambda p: p[1], reverse=True)[:3]
    assert [item.select_one("a").get_text() for item in items] == [p[2] for p in newest]
    assert [item.select_one("time")["datetime"] for item in items] == [p[1] for p in newest]
    assert items[0].select_one("time").get_text() == "Tue 03 Feb 2026"
    for item in items:
        href = item.select_one("a")["href"]
        target = built.site / href / "index.html"
        assert target.is_file(), href
        title = built.html(str(target.relative_to(built.site))).select_one("title").get_text()
        assert title == item.select_one("a").get_text() + " - Fixture course"
    more = built.html("index.html").select(".cb-announcements__more a")
    assert [a.get_text() for a in more] == ["All announcements", "RSS feed"]
    assert (built.site / more[0]["href"] / "index.html").is_file()
    assert more[1]["href"] == "feed_rss_created.xml"


def test_a_title_is_text_on_the_home_page(built):
    room = next(
        item for item in home_list(built) if item.select_one("time")["datetime"] == "2026-01-27"
    )
    link = room.select_one("a")
    assert link.get_text() == 'Room & time: "Towne 100" <b>not</b> Levine'
    assert link.find("b") is None


def test_the_feed_holds_the_posts_newest_first_with_absolute_links(built):
    feed = feedparser.parse((built.site / "feed_rss_created.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    newest = sorted(OUT, key=lambda p: p[1], reverse=True)
    assert [entry.title for entry in feed.entries] == [p[2] for p in newest]
    for entry in feed.entries:
        assert entry.link.startswith(SITE_URL)
        page = built.site / urlsplit(entry.link).path.removeprefix("/dl101/") / "index.html"
        assert page.is_file(), entry.link
    # Each date is the post's day in the course's time zone (midnight in New York).
    published = [dt.datetime(*entry.published_parsed[:6]) for entry in feed.entries]
    assert [(d.date().isoformat(), d.hour) for d in published] == [(p[1], 5) for p in newest]


def test_the_feed_reads_as_plain_xml_too(built):
    channel = ET.parse(built.site / "feed_rss_created.xml").getroot().find("channel")
    assert channel.findtext("link") == SITE_URL
    assert [image.findtext("url") for image in channel.findall("image")] == []
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [
        p[2] for p in sorted(OUT, key=lambda p: p[1], reverse=True)
    ]
    for item in items:
        link = item.findtext("link")
        assert link.startswith(SITE_URL + "announcements/"), link
        assert item.findtext("guid") == link
        assert (built.site / link.removeprefix(SITE_URL) / "index.html").is_file()


def test_every_page_names_the_feed_in_its_head(built):
    alternate = built.html("index.html").select('head link[rel="alternate"]')
    assert "feed_rss_created.xml" in [link["href"] for link in alternate]


def test_a_post_dated_after_today_is_nowhere_in_the_site(built):
    assert where(built.site, SCHEDULED) == []
    assert (built.site / "search" / "search_index.json").is_file()
    assert not (built.site / "announcements" / f"exam-review-{SCHEDULED.lower()}").exists()


def test_posts_stay_out_of_the_nav_and_lectures_fill_theirs(built):
    home = built.html("index.html")
    nav = [a.get_text(" ", strip=True) for a in home.select(".md-nav--primary .md-nav__link")]
    assert not any(title in nav for _, _, title, _ in POSTS)
    assert "Shrinkage" in nav
    # The blog's posts are no lectures: the schedule lists the one lecture only.
    rows = built.html("schedule/index.html").select("table tbody tr")
    assert len(rows) == 1


def test_posts_are_in_the_search_index(built):
    index = texts(built.site)["search/search_index.json"]
    assert "Notebook 1 is up" in index


def test_the_course_zone_decides_not_the_blog(tmp_path):
    """Without the blog's own date rule, coursebook still holds the post until its day comes in
    the course's time zone (COURSEBOOK_TODAY stands for that day here)."""
    posts = [POSTS[0], ("later.md", "2099-01-27", f"Later {SCHEDULED}", "Body.")]
    site = announcing_site(tmp_path / "p", future_is_draft=False, posts=posts)
    before = site.build(env={"COURSEBOOK_TODAY": "2099-01-26"})
    assert before.returncode == 0, before.log
    assert where(before.site, SCHEDULED) == []
    on_the_day = site.build(env={"COURSEBOOK_TODAY": "2099-01-27"}, site="site-on-the-day")
    assert on_the_day.returncode == 0, on_the_day.log
    assert [a.get_text() for a in on_the_day.html("index.html").select(".cb-announcement a")] == [
        f"Later {SCHEDULED}",
        "Welcome to DL 101",
    ]
    feed = feedparser.parse((on_the_day.site / "feed_rss_created.xml").read_bytes())
    assert feed.entries[0].title == f"Later {SCHEDULED}"


def test_a_post_without_a_date_stops_the_build_naming_it(tmp_path):
    site = announcing_site(tmp_path / "p", posts=POSTS[:1])
    site.write("docs/announcements/posts/undated.md", "---\ncategories: [News]\n---\n\n# Hi\n")
    site.write("docs/announcements/posts/twice.md", "---\ndate:\n  created: 2026-01-01\n---\n# T\n")
    build = site.build()
    assert build.returncode == 1
    assert (
        "coursebook: 2 announcement problem(s):\n"
        "  docs/announcements/posts/twice.md: date: write one date, like `date: 2027-01-20` "
        "(with `created:`/`updated:` the feed would date the post by the build)\n"
        "  docs/announcements/posts/undated.md: date: an announcement needs its date, like "
        "2027-01-20"
    ) in build.log


def test_a_course_without_a_blog_is_unaffected(tmp_path):
    site = new_fixture_site(tmp_path / "p")
    build = site.build()
    assert build.returncode == 0, build.log
    assert not (build.site / "feed_rss_created.xml").exists()
    assert not (build.site / "announcements").exists()
    assert build.html("index.html").select(".cb-announcements") == []
    assert not (site.root / "docs" / "announcements").exists()


def test_the_list_asked_for_without_a_blog_is_a_problem(tmp_path):
    site = new_fixture_site(tmp_path / "p")
    site.write("docs/index.md", "# Home\n\n<!-- coursebook:announcements -->\n")
    build = site.build()
    assert build.returncode == 1
    assert (
        "docs/index.md: <!-- coursebook:announcements --> lists the posts of mkdocs-material's "
        "blog plugin, which mkdocs.yml does not use (`- blog:` under `plugins:`, see "
        "docs/authoring/announcements.md)"
    ) in build.log


def test_the_feed_in_another_time_zone_is_a_problem(tmp_path):
    site = announcing_site(tmp_path / "p", posts=POSTS[:1])
    config = (site.root / "mkdocs.yml").read_text()
    site.write("mkdocs.yml", config.replace("default_timezone: America/New_York", ""))
    build = site.build()
    assert build.returncode == 1
    assert (
        "mkdocs.yml: plugins.rss.date_from_meta.default_timezone: 'UTC' is not the course's "
        "time zone 'America/New_York' (plugins.coursebook.timezone): the feed would date each "
        "announcement in another zone"
    ) in build.log


def test_the_check_command_reads_a_course_with_a_blog(built):
    project = built.site.parent
    done = subprocess.run(
        [sys.executable, "-m", "coursebook", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# The pure reading of a post.


def post(date: dt.date, draft: bool | None = None, time: dt.datetime | None = None):
    return Announcement("announcements/posts/p.md", "P", date, draft, (), time)


@pytest.mark.parametrize(
    ("draft", "today", "out"),
    [
        (None, dt.date(2027, 1, 19), False),
        (None, dt.date(2027, 1, 20), True),
        (True, dt.date(2027, 2, 1), False),
        (False, dt.date(2027, 1, 1), True),  # `draft: false` publishes now, as the blog does
    ],
)
def test_a_post_is_out_on_its_day(draft, today, out):
    assert is_published(post(dt.date(2027, 1, 20), draft), today) is out


def test_the_blog_s_own_rule_holds_a_post_until_midnight_utc():
    """East of UTC the course's day starts before the blog's: then both must agree."""
    day = dt.date(2027, 1, 20)
    assert blog_moment(post(day)) == dt.datetime(2027, 1, 20, tzinfo=dt.timezone.utc)
    just_before = dt.datetime(2027, 1, 19, 23, 30, tzinfo=dt.timezone.utc)
    assert is_published(post(day), day, blog_now=just_before) is False
    assert is_published(post(day), day, blog_now=just_before + dt.timedelta(hours=1)) is True


@pytest.mark.parametrize(
    ("front", "message"),
    [
        (
            "date: 2027-02-30",
            "docs/p.md: date: expected a date like 2027-01-20, got '2027-02-30' "
            "(day is out of range for month)",
        ),
        ("date: soon", "docs/p.md: date: expected a date like 2027-01-20, got 'soon'"),
        ("date: 2027-01-20\ndraft: maybe", "docs/p.md: draft: expected true or false, got 'maybe'"),
        ("date: [2027", "docs/p.md: front matter: invalid YAML"),
    ],
)
def test_bad_front_matter_names_file_and_field(front, message):
    found, problems = read_announcement(f"---\n{front}\n---\n\n# T\n", "p.md", "docs/p.md")
    assert found is None
    assert str(problems[0]).startswith(message)


def test_a_post_is_titled_by_its_heading_or_its_title():
    by_heading, _ = read_announcement("---\ndate: 2027-01-20\n---\n\n# Hello\n", "p.md", "p")
    by_title, _ = read_announcement("---\ndate: 2027-01-20\ntitle: Hi\n---\n\n# Hello\n", "p", "p")
    assert (by_heading.title, by_title.title) == ("Hello", "Hi")


def test_one_day_s_posts_keep_one_order():
    a = Announcement("b.md", "A", dt.date(2027, 1, 20))
    b = Announcement("a.md", "B", dt.date(2027, 1, 20))
    c = Announcement("c.md", "C", dt.date(2027, 1, 21))
    assert newest_first([b, a, c]) == newest_first([a, c, b]) == [c, a, b]


# The template course (CIS 522): its posts are Lecture 2's own dates, both after the day the
# shared course build stands for (2026-11-26), so they are scheduled there.

ROOT = GUIDE.parents[2]


def template_posts() -> list[Announcement]:
    posts = []
    for path in sorted((ROOT / "docs/announcements/posts").glob("*.md")):
        found, problems = read_announcement(path.read_text("utf-8"), path.name, path.name)
        assert problems == []
        posts.append(found)
    return posts


def test_the_template_s_posts_are_dated_by_lecture_2():
    lecture = (ROOT / "docs/lectures/02-intro-to-theory.md").read_text("utf-8")
    front = yaml.safe_load(lecture.split("---\n")[1])
    assert sorted(p.date for p in template_posts()) == [front["date"], front["solutions"]]


def test_the_template_s_home_page_lists_announcements_as_they_come_out(course_site):
    block = course_site.html("index.html").select_one(".cb-announcements")
    out = [p for p in template_posts() if is_published(p, dt.date(2026, 11, 26))]
    assert [a.get_text() for a in block.select(".cb-announcement a")] == [p.title for p in out]
    if not out:
        assert block.select_one(".cb-announcements__none").get_text() == "No announcements yet."
    for post in template_posts():
        if post not in out:
            assert where(course_site.site, post.title) == []
    tabs = [a.get_text(strip=True) for a in course_site.html("index.html").select(".md-tabs__link")]
    assert tabs[:2] == ["Home", "Announcements"]
    channel = ET.parse(course_site.site / "feed_rss_created.xml").getroot().find("channel")
    assert channel.findtext("link") == "https://cis-522.github.io/coursebook/"
    assert [item.findtext("title") for item in channel.findall("item")] == [p.title for p in out]
