"""Assemble a lecture's slide deck from its page as MkDocs rendered it: the key the deck is
cached under, its HTML, and its file in the built site.

Plain functions of what the plugin hands them (the rendered page, the course, the theme's
scripts and palette), so nothing here imports MkDocs. slides.py splits the page into slides;
this module puts the course's blocks into them and the site's look around them.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..notebooks.pages import page_uri_for
from .slides import (
    CourseBlocks,
    CriteriaSlide,
    deck_url,
    page_url_rebaser,
    rebase_urls,
    relative_url,
    split_slides,
    url_folder,
)

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..course.lectures import LectureSource
    from ..course.model import Course

# Loaded by the decks only: their stylesheet and scripts, reveal.js and MathJax (vendored, see
# README). A deck loads nothing else: not the site's extra_javascript (thebe, mermaid, analytics
# would run on every slide, and a CDN would make the deck need a network).
DECK_ASSETS = "assets/coursebook"
DECK_FILES = ("slides.css", "slides.js", "slides-math.js")
VENDOR_FOLDERS = ("vendor/reveal", "vendor/mathjax")
# pymdownx.arithmatex (generic) marks every formula with this class; MathJax typesets only those.
MATH = re.compile(r"""<[a-z][^<>]*\sclass=["'](?:[^"']*\s)?arithmatex[\s"']""")
STYLESHEET = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*>")
ICON = re.compile(r"<link\b[^>]*\brel=\"icon\"[^>]*>")
HREF = re.compile(r"\bhref=\"([^\"]*)\"")
BODY = re.compile(r"<body\b([^>]*)>")
SECTION = re.compile(rb"<section\b[^>]*>")
TOO_BIG = re.compile(rb'\sdata-cb-too-big="([^"]*)"')
TITLE = re.compile(rb'\sdata-cb-title="([^"]*)"')
SLIDE_SIZE = "1280×720"
COLOR_ATTRIBUTE = re.compile(r"\b(data-md-color-[a-z]+|dir)=\"([^\"]*)\"")


@dataclass(frozen=True)
class RenderedPage:
    """What a deck is made from of its lecture page as rendered: not the nav around the
    content (hashing a 500-lecture nav 500 times was a tenth of a second)."""

    url: str  # the page's URL in the site, e.g. lectures/02-theory/
    head: str  # the page's HTML up to its </head>: the stylesheets and the icon it loads
    body_tag: str  # its <body> tag, with the palette's attributes
    content: str  # the page's content HTML

    @classmethod
    def from_output(cls, url: str, output: str, content: str) -> RenderedPage:
        """`output`: the page's whole HTML; `content`: its content HTML."""
        head = output.split("</head>", 1)[0]
        body = BODY.search(output, len(head))
        return cls(url, head, body.group(0) if body else "", content)


@dataclass(frozen=True)
class DeckLecture:
    """The lecture as a deck's template sees it (`lecture.label`, `lecture.meta.title`, ...),
    in plain data: its front matter as validated, without the pydantic model."""

    file: str
    src_uri: str
    label: str
    meta: SimpleNamespace  # the validated front matter, field by field (see `as_fields`)


def as_fields(value):
    """A model's dump read like the model: mappings become attributes, so that a template's
    `group.items` is the criterion list, not a dict's `items` method (a copied `slides.html`
    in overrides/coursebook/ keeps working)."""
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return SimpleNamespace(**{key: as_fields(item) for key, item in value.items()})
    if isinstance(value, list):
        return [as_fields(item) for item in value]
    return value


@dataclass(frozen=True)
class DeckCourse:
    """What a lecture's deck takes from the course: rendered once with the course and kept
    (plain data), so a deck made again after a prose edit needs neither the course nor
    pydantic."""

    lecture: DeckLecture
    blocks: CourseBlocks  # the readings, criteria and notebooks slides


@dataclass(frozen=True)
class DeckSettings:
    """What every deck of a build shares: the course's name and slide settings, and what the
    site's theme loads."""

    course_name: str
    language: str
    slide_level: int  # the deepest heading that starts a slide, for lectures that set none
    min_text_scale: float
    palette: object  # the theme's `palette` setting as written: one palette, a list, or None
    page_stylesheet: str  # coursebook's stylesheet for pages: the deck loads it after the theme's


def is_external(url: str) -> bool:
    """Whether `url` leads off the site (a CDN, a font service)."""
    return bool(urlsplit(url).scheme) or url.startswith("//")


def deck_key(course_key: str, page: RenderedPage, settings: DeckSettings) -> str:
    """The key a deck is cached under. It is made from the page's content, its <head> and
    <body> tag, the course (`course_key`: the snapshot key covers front matter, settings and
    coursebook's code) and everything `render_deck` takes from `settings`."""
    digest = hashlib.sha256(f"{course_key}\0{page.url}\0{settings!r}\0".encode())
    for part in (page.head, page.body_tag, page.content):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def too_big_slides(deck: bytes) -> list[tuple[int, str, str]]:
    """(number, title, what) of each slide of a deck's HTML that holds a block too tall for
    it even shrunk (`Slide.too_big`, kept in the deck as `data-cb-too-big`, so that a deck
    taken from the cache is reported as the one made)."""
    if b"data-cb-too-big" not in deck:
        return []
    found = []
    for number, tag in enumerate(SECTION.findall(deck), start=1):
        if what := TOO_BIG.search(tag):
            title = TITLE.search(tag)
            found.append(
                (
                    number,
                    html.unescape(title.group(1).decode() if title else ""),
                    html.unescape(what.group(1).decode()),
                )
            )
    return found


def deck_path(site_dir: Path, page_url: str) -> Path:
    """The file of the deck of the page at `page_url` in the built site."""
    url = deck_url(page_url)
    return site_dir / (url + "index.html" if url.endswith("/") else url)


def short_authors(paper) -> str:
    """Citation style for a slide: "Zhang et al.", "Kale and Sekhari", "Ramón y Cajal"."""
    last = [" ".join(p for p in (name.von, name.last) if p) for name in paper.authors]
    last = [name for name in last if name]
    if len(last) > 2 or (last and paper.more_authors):
        return f"{last[0]} et al."
    return " and ".join(last)


def deck_course_blocks(
    env: Environment, course: Course, lecture: LectureSource, notebook_links: list
) -> CourseBlocks:
    """The lecture's readings, criteria and notebooks rendered for its deck."""
    entries = course.readings.for_lecture(lecture)
    readings = None
    if entries:
        readings = env.get_template("slides_readings.html").render(
            entries=[(entry, short_authors(entry.paper)) for entry in entries]
        )
    criteria = {
        group.id: CriteriaSlide(
            title=group.title,
            body=env.get_template("slides_criteria.html").render(group=group, part="body"),
            notes=env.get_template("slides_criteria.html").render(group=group, part="notes"),
        )
        for group in lecture.meta.criteria
    }
    notebooks = None
    if notebook_links:
        notebooks = env.get_template("slides_notebooks.html").render(links=notebook_links)
    return CourseBlocks(readings=readings, notebooks=notebooks, criteria=criteria)


def deck_course(
    env: Environment,
    course: Course,
    lecture: LectureSource,
    page_url: str,
    *,
    notebook_titles: dict[str, str],
    url_of: Callable[[str], str],
) -> DeckCourse:
    """What the deck of `lecture` (its page at `page_url`) takes from the course.
    `notebook_titles`: notebook page URI -> title (the notebooks that have a page);
    `url_of(src_uri)`: the URL of a file of the site."""
    deck_dir = url_folder(deck_url(page_url))
    notebook_pages = [page_uri_for(n) for n in lecture.meta.notebooks]
    links = [
        (notebook_titles[uri], relative_url(url_of(uri), deck_dir))
        for uri in notebook_pages
        if uri in notebook_titles
    ]
    return DeckCourse(
        lecture=DeckLecture(
            lecture.file, lecture.src_uri, lecture.label, as_fields(lecture.meta.model_dump())
        ),
        blocks=deck_course_blocks(env, course, lecture, links),
    )


def render_deck(
    env: Environment, parts: DeckCourse, page: RenderedPage, settings: DeckSettings
) -> str:
    """The deck's HTML: the page's content split into slides, with the lecture's readings,
    criteria and notebooks (`parts`, see `deck_course`), under the page's stylesheets, icon
    and palette; its scripts are its own (MathJax only where the page has math)."""
    url = deck_url(page.url)
    deck_dir = url_folder(url)
    rebase = page_url_rebaser(page.url, url)
    level = parts.lecture.meta.slide_level or settings.slide_level
    content = rebase_urls(page.content, rebase)
    deck = split_slides(
        content,
        level,
        parts.blocks,
        page_title=html.escape(parts.lecture.meta.title),
        min_scale=settings.min_text_scale,
    )
    # The page's own stylesheets, not those from elsewhere (the theme's web fonts, a CDN's):
    # a deck works without a network.
    stylesheets = [
        rebase(href)
        for link in STYLESHEET.findall(page.head)
        if (m := HREF.search(link))
        and not is_external(href := html.unescape(m.group(1)))
        and not href.endswith(settings.page_stylesheet)
    ]
    stylesheets.append(html.escape(relative_url(settings.page_stylesheet, deck_dir)))
    icon = ICON.search(page.head)
    icon_href = HREF.search(icon.group(0)) if icon else None
    palettes = settings.palette or []
    if isinstance(palettes, dict):
        palettes = [palettes]
    return env.get_template("slides.html").render(
        lecture=parts.lecture,
        deck=deck,
        course_name=settings.course_name,
        language=settings.language,
        page_href=relative_url(page.url, deck_dir),
        assets=relative_url(DECK_ASSETS, deck_dir).rstrip("/"),
        stylesheets=stylesheets,
        icon=rebase(html.unescape(icon_href.group(1))) if icon_href else None,
        math=MATH.search(content) is not None,
        body_attributes=COLOR_ATTRIBUTE.findall(page.body_tag),
        deck_config={
            "siteRoot": relative_url("", deck_dir),
            "minScale": settings.min_text_scale,
            "palettes": [
                {key: p.get(key) for key in ("media", "scheme", "primary", "accent")}
                for p in palettes
            ],
        },
    )
