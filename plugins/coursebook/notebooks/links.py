"""Resolve the relative links and images of a rendered notebook against the site's files.

MkDocs rewrites and checks only links that Python-Markdown produced; a notebook's cells reach
the page as finished HTML, so their relative URLs (marked `cb-nb:<cell>:<url>` by the renderer)
are resolved here, by the same rules, and every problem names the notebook and the cell.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit

from .markdown_cells import URL_MARK

MARKED_URL = re.compile(
    r'(?P<attr>\b(?:href|src))="' + re.escape(URL_MARK) + r'(?P<cell>\d+):(?P<url>[^"]*)"'
)
ELEMENT_ID = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass(frozen=True)
class Target:
    """A file of the site that a link can point at."""

    src_uri: str
    url: str  # relative to the linking page, already quoted
    is_page: bool


@dataclass
class AnchorLink:
    """A link to `#anchor` on another page, checked once every page is rendered."""

    cell: int
    link: str
    page_uri: str
    anchor: str


@dataclass
class ResolvedLinks:
    html: str
    problems: list[str] = field(default_factory=list)
    anchors: list[AnchorLink] = field(default_factory=list)


def target_candidates(notebook_uri: str, path: str, notebook_pages: Callable[[str], str | None]):
    """Source URIs a relative `path` in the notebook may mean, best first: a link to another
    notebook means its page; a folder means its index page."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(notebook_uri), path))
    page = notebook_pages(target)
    if page:
        yield page
    yield target
    if not posixpath.splitext(target)[1]:
        yield posixpath.join(target, "index.md")
        yield posixpath.join(target, "README.md")


def resolve_links(
    text: str,
    *,
    notebook_uri: str,
    lookup: Callable[[str], Target | None],
    notebook_pages: Callable[[str], str | None],
) -> ResolvedLinks:
    """`text` with every marked URL made relative to the page, plus the problems found.

    `lookup(src_uri)` finds a file of the site; `notebook_pages(src_uri)` gives the page that
    a notebook source is published as (or None)."""
    result = ResolvedLinks(text)

    def replace(match: re.Match) -> str:
        cell = int(match["cell"])
        original = html.unescape(match["url"])
        parts = urlsplit(original)
        path = unquote(parts.path)
        if not path:
            return f'{match["attr"]}="{html.escape(original)}"'
        target = None
        for candidate in target_candidates(notebook_uri, path, notebook_pages):
            target = lookup(candidate)
            if target:
                break
        if target is None:
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(notebook_uri), path))
            result.problems.append(
                f"{notebook_uri}: cell {cell}: link '{original}' points at '{resolved}', "
                "which is not among the documentation files"
            )
            return f'{match["attr"]}="{html.escape(original)}"'
        if parts.fragment and target.is_page:
            result.anchors.append(AnchorLink(cell, original, target.src_uri, parts.fragment))
        url = urlunsplit(("", "", target.url, parts.query, parts.fragment))
        return f'{match["attr"]}="{html.escape(url)}"'

    result.html = MARKED_URL.sub(replace, text)
    return result


def element_ids(text: str) -> set[str]:
    """The ids in a piece of HTML: targets that links from other pages may name."""
    return {html.unescape(a or b) for a, b in ELEMENT_ID.findall(text)}


ANCHOR_TAG = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
DOWNLOAD = re.compile(r"\sdownload\b", re.IGNORECASE)


def point_links_at_pages(text: str, pages: dict[str, str]) -> str:
    """`text` (a page's HTML) with each link to a notebook file pointing at the notebook's
    page instead, as mkdocs-jupyter's sites expect of `[Week 1](week-1.ipynb)`. `pages`:
    the notebook's URL -> its page's URL, both relative to the page and as MkDocs wrote
    them. A link with a `download` attribute (`{download}` with attr_list) keeps the file."""

    def replace(tag: re.Match) -> str:
        whole = tag.group(0)
        href = HREF.search(whole)
        if href is None or DOWNLOAD.search(whole):
            return whole
        url = html.unescape(href.group(1) if href.group(1) is not None else href.group(2))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return whole
        page = pages.get(urlunsplit(("", "", parts.path, "", "")))
        if page is None:
            return whole
        new = urlunsplit(("", "", page, parts.query, parts.fragment))
        return whole[: href.start()] + f'href="{html.escape(new)}"' + whole[href.end() :]

    return ANCHOR_TAG.sub(replace, text)
