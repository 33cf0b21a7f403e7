"""The benchmarks' same-content floor (benchmarks/floor.py): the course site written out as plain
MkDocs input builds strictly without coursebook, and is the same site: every page's content,
every file, every deck and the search index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, NavigableString
from conftest import ROOT, run_mkdocs_build

sys.path.insert(0, str(ROOT / "benchmarks"))
from floor import excluded_from_search, indented

# Written by MkDocs and the theme from the pages, compared on their own below (search) or not
# at all (the sitemap lists the same URLs; its bytes carry the build date, as do the
# announcements' feeds, which list the same posts).
DERIVED = {
    "search/search_index.json",
    "sitemap.xml",
    "sitemap.xml.gz",
    "feed_rss_created.xml",
    "feed_rss_updated.xml",
}


@pytest.fixture(scope="module")
def floor(course_site, tmp_path_factory):
    """The course site's floor, exported from the course_site build's project, and built."""
    project = course_site.docs.parent
    root = tmp_path_factory.mktemp("floor") / "project"
    # The course_site build's view: the same day, so the same solutions are in.
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "COURSEBOOK_TODAY": "2026-11-26",
        "COURSEBOOK_SOLUTIONS": "auto",
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/floor.py"), str(project), str(root)],
        # Not from the course's folder: the export must find what its pages include itself.
        cwd=root.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    build = run_mkdocs_build(root, root.parent / "site", strict=True)
    return root, build


def content(path: Path) -> str | None:
    """A page's article, less what names the page's source (the edit button: coursebook points
    a notebook page's at its notebook, and gives generated pages none) and the floor's marks
    for mkdocs-material's search (compared through the index itself)."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-content__inner")
    if article is None:
        return None
    for button in article.select(".md-content__button"):
        after = button.next_sibling
        if isinstance(after, NavigableString) and not after.strip():
            after.extract()
        button.decompose()
    for element in article.find_all(attrs={"data-search-exclude": True}):
        del element["data-search-exclude"]
    return str(article)


def files_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_the_floor_builds_strictly_without_coursebook(floor):
    root, build = floor
    assert build.returncode == 0, build.log
    config = yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=yaml.Loader)
    # Only coursebook is gone: the announcements' plugins (mkdocs-material's blog, the feed) stay.
    names = [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]
    assert names == ["search", "blog", "rss"]
    # What coursebook made is now plain input: its generated pages and a lecture's deck.
    assert (root / "docs/readings.md").is_file()
    assert (root / "docs/lectures/02-intro-to-theory/slides/index.html").is_file()


def test_every_page_of_the_floor_has_coursebook_s_content(course_site, floor):
    _, build = floor
    pages = 0
    for relative in sorted(files_of(course_site.site)):
        if not relative.endswith(".html"):
            continue
        ours = content(course_site.site / relative)
        if ours is None:  # a deck, or another file of the site: compared as bytes below
            continue
        pages += 1
        assert content(build.site / relative) == ours, relative
    # The generated pages, the lecture and the notebook page were among them.
    assert pages >= 8


def test_every_page_of_the_floor_has_the_same_nav_contents_and_title(course_site, floor):
    _, build = floor
    pages = [
        p
        for p in sorted(files_of(course_site.site))
        if p.endswith(".html") and content(course_site.site / p) is not None
    ]
    assert len(pages) >= 8
    for relative in pages:
        ours, theirs = (
            BeautifulSoup((site / relative).read_text("utf-8"), "html.parser")
            for site in (course_site.site, build.site)
        )
        for part in ("title", "nav.md-nav--primary", "div.md-sidebar--secondary"):
            assert str(theirs.select_one(part)) == str(ours.select_one(part)), (relative, part)


def test_the_floor_writes_the_same_files(course_site, floor):
    _, build = floor
    assert files_of(build.site) == files_of(course_site.site)
    for relative in files_of(course_site.site) - DERIVED:
        if relative.endswith(".html") and content(course_site.site / relative) is not None:
            continue  # a page: compared above
        assert (build.site / relative).read_bytes() == (course_site.site / relative).read_bytes(), (
            relative
        )


def test_the_floor_indexes_the_same_text_for_search(course_site, floor):
    _, build = floor

    def index(site: Path) -> dict[str, dict]:
        docs = json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
        return {doc["location"]: doc for doc in docs}

    ours = index(course_site.site)
    assert index(build.site) == ours
    # coursebook keeps the reading list's entries out of the index (a late block): so does
    # the floor, or this entry would hold every paper of Lecture 2.
    assert ours["readings/#lecture-2"]["text"] == ""


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<div class="a">x</div>', '<div data-search-exclude class="a">x</div>'),
        (
            '<p>From <a href="x">y</a></p>\n<ul><li>a<br>b</li></ul>',
            '<p data-search-exclude>From <a href="x">y</a></p>\n'
            "<ul data-search-exclude><li>a<br>b</li></ul>",
        ),
        ("<img src=x>\n<hr/>", "<img data-search-exclude src=x>\n<hr data-search-exclude/>"),
    ],
)
def test_a_late_block_is_excluded_from_search_element_by_element(html, expected):
    assert excluded_from_search(html) == expected


def test_a_block_placed_inside_an_indented_container_stays_inside():
    markdown = "!!! note\n    <!--cb-block:0-->\n"
    at = markdown.index("<!--")
    assert indented("<div>\n<p>x</p>\n</div>", markdown, at) == "<div>\n    <p>x</p>\n    </div>"
    assert indented("<div>\n</div>", "<!--cb-block:0-->", 0) == "<div>\n</div>"
