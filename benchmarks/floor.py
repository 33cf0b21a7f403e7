"""The same-content floor: a coursebook site written out as plain MkDocs input, to be built by
MkDocs without the plugin (same theme, same Markdown extensions, same nav).

What coursebook adds to a site is content (the reading list, the criteria and schedule pages,
each lecture's readings and checklists, notebook outputs, decks, downloads) plus the work of
making it. A floor without that content measures the content, not coursebook; this floor has
it, so the ratio to it is what coursebook itself costs.

The export runs one coursebook build in this process with `FloorExport` added as a plugin:
- each page's Markdown is taken after every plugin's `on_page_markdown` (coursebook's listings,
  lecture blocks and solution stripping done), with its front matter as written;
- coursebook keeps finished HTML out of Python-Markdown behind placeholder comments (its held
  blocks, pages/blocks.py, and a notebook page's cell fragments, notebooks/pages.py) and puts
  it back later: in `on_page_content` (blocks, fragments with their links resolved) or in
  `on_post_page` (late blocks: page furniture, views that repeat the page). The export wraps
  each placeholder in markers before coursebook fills it and reads what it was filled with
  after, so the floor's Markdown carries the same final HTML, as a hand-written page would;
- a late block is kept out of the search index by coursebook (it is not there when search reads
  the page), so in the floor its first element gets `data-search-exclude`, mkdocs-material's
  way to do the same: both sites index the same text;
- every file of the site that is not a page (coursebook's readings.bib, schedule.ics, assets,
  notebook images and downloads, and the docs' own files) is written with the same bytes, and
  each lecture's deck, which coursebook writes into the site itself, is copied as a static file;
- mkdocs.yml: the course's own, without the coursebook plugin, with the nav coursebook filled
  in, and the stylesheets, scripts and Markdown extensions coursebook added.

The floor is what plain MkDocs does with this content: its HTML blocks go through
Python-Markdown's raw-HTML parser, which coursebook's build skips by filling them in after the
conversion.

The markers never reach what the deck is made from (`page.content` is cleaned before
coursebook's `on_post_page`; the late blocks' markers are in the body, which the deck does not
read), so the decks copied are the decks a plain coursebook build writes.

    python benchmarks/floor.py COURSE FLOOR    # COURSE: a folder with mkdocs.yml using coursebook
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from coursebook.notebooks.fragments import FRAGMENT_PATTERN
from coursebook.pages.blocks import LATE_PLACEHOLDER, PLACEHOLDER
from coursebook.present.decks import deck_path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.yaml import yaml_load

PLUGIN = "coursebook"
# Filled in on_page_content (coursebook's is at priority 100): wrapped before, read after.
CONTENT_PLACEHOLDERS = (PLACEHOLDER, FRAGMENT_PATTERN)
# The page's front matter as MkDocs reads it (mkdocs.utils.meta).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
BEGIN = "<!--floor-begin:{}-->"
END = "<!--floor-end:{}-->"
MARKED = re.compile(r"<!--floor-begin:(\d+)-->(.*?)<!--floor-end:\1-->", re.DOTALL)
VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


class FloorExport(BasePlugin):
    """Collects, during one coursebook build, what the floor is written from."""

    def __init__(self) -> None:
        self.markdown: dict[str, str] = {}  # page src_uri -> Markdown, placeholders in it
        self.filled: dict[str, dict[str, str]] = {}  # page src_uri -> placeholder -> its HTML
        self.marked: dict[str, list[str]] = {}  # page src_uri -> placeholders, by marker number
        self.files: Files | None = None
        self.nav: Any = None
        self.extra_css: list[str] = []
        self.extra_javascript: list[Any] = []
        self.extensions: list[str] = []
        self.decks: dict[str, bytes] = {}  # path inside docs/ -> the deck's bytes

    @event_priority(-100)  # after coursebook: the stylesheets, scripts and extensions it adds
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.extra_css = [str(path) for path in config.extra_css]
        self.extra_javascript = [script_entry(script) for script in config.extra_javascript]
        self.extensions = list(config.markdown_extensions)
        return config

    @event_priority(-100)  # after coursebook has added its files and filled the nav
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.files = files
        return files

    @event_priority(-100)
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, **_: Any) -> Navigation:
        # mkdocs.yml's nav as coursebook filled it; an automatic nav is written out, since the
        # floor's files, listed by MkDocs, would come in another order (coursebook's last).
        self.nav = config.nav if config.nav is not None else nav_data(nav.items)
        return nav

    @event_priority(-100)  # the Markdown as Python-Markdown gets it
    def on_page_markdown(self, markdown: str, /, *, page: Page, **_: Any) -> str:
        self.markdown[page.file.src_uri] = markdown
        return markdown

    @event_priority(101)  # before coursebook fills its placeholders
    def _mark_content(self, html: str, /, *, page: Page, **_: Any) -> str:
        return self._mark(page, html, CONTENT_PLACEHOLDERS)

    @event_priority(99)  # after it: read what they became, leave the page as coursebook made it
    def _read_content(self, html: str, /, *, page: Page, **_: Any) -> str:
        return self._read(page, html)

    on_page_content = CombinedEvent(_mark_content, _read_content)

    @event_priority(101)
    def _mark_late(self, output: str, /, *, page: Page, **_: Any) -> str:
        return self._mark(page, output, (LATE_PLACEHOLDER,))

    @event_priority(-100)
    def _read_late(self, output: str, /, *, page: Page, **_: Any) -> str:
        return self._read(page, output)

    on_post_page = CombinedEvent(_mark_late, _read_late)

    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        for file in self.files.documentation_pages():
            deck = deck_path(site, file.url)
            if deck.is_file():
                self.decks[deck.relative_to(site).as_posix()] = deck.read_bytes()

    def _mark(self, page: Page, html: str, patterns) -> str:
        marked = self.marked.setdefault(page.file.src_uri, [])

        def wrap(match: re.Match) -> str:
            marked.append(match.group(0))
            number = len(marked) - 1
            return BEGIN.format(number) + match.group(0) + END.format(number)

        for pattern in patterns:
            html = pattern.sub(wrap, html)
        return html

    def _read(self, page: Page, html: str) -> str:
        marked = self.marked.get(page.file.src_uri, [])
        filled = self.filled.setdefault(page.file.src_uri, {})

        def take(match: re.Match) -> str:
            filled[marked[int(match.group(1))]] = match.group(2)
            return match.group(2)

        return MARKED.sub(take, html)

    def page_markdown(self, src_uri: str, source: str) -> str:
        """The page as the floor's Markdown file: its front matter as written, then its
        Markdown with every placeholder replaced by the HTML coursebook put there."""
        markdown = self.markdown[src_uri]
        filled = self.filled.get(src_uri, {})

        def html_of(match: re.Match, late: bool) -> str:
            html = filled.get(match.group(0))
            if html is None:
                raise SystemExit(f"floor: {src_uri}: {match.group(0)} was never filled")
            if late:
                html = excluded_from_search(html)
            return indented(html, markdown, match.start())

        for pattern in CONTENT_PLACEHOLDERS:
            markdown = pattern.sub(lambda m: html_of(m, False), markdown)
        # Late blocks last: a block filled above may hold one.
        markdown = LATE_PLACEHOLDER.sub(lambda m: html_of(m, True), markdown)
        front = FRONT_MATTER.match(source)
        return (front.group(0) if front else "") + markdown


class _TopLevelTags(HTMLParser):
    """Where each top-level element of an HTML fragment starts (offsets after its tag name)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [i + 1 for i, c in enumerate(html) if c == "\n"]
        self.depth = 0
        self.offsets: list[int] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs) -> None:
        if self.depth == 0:
            line, column = self.getpos()
            self.offsets.append(self.line_starts[line - 1] + column + 1 + len(tag))
        if tag not in VOID_ELEMENTS:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        if self.depth == 0:
            line, column = self.getpos()
            self.offsets.append(self.line_starts[line - 1] + column + 1 + len(tag))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS:
            self.depth = max(0, self.depth - 1)


def excluded_from_search(html: str) -> str:
    """`html` with `data-search-exclude` on each of its top-level elements: mkdocs-material's
    search then leaves them out, as coursebook's late blocks are left out (pages/blocks.py)."""
    for offset in reversed(_TopLevelTags(html).offsets):
        html = html[:offset] + " data-search-exclude" + html[offset:]
    return html


def nav_data(items: list) -> list:
    """A built nav as mkdocs.yml writes it."""
    data: list = []
    for item in items:
        if isinstance(item, Section):
            data.append({item.title: nav_data(item.children)})
        elif isinstance(item, Page):
            data.append(item.file.src_uri)
        elif isinstance(item, Link):
            data.append({item.title: item.url})
    return data


def indented(html: str, markdown: str, at: int) -> str:
    """`html` for the place `at` in `markdown`: a placeholder indented inside a list or an
    admonition gets its following lines indented alike, so the block stays inside."""
    line_start = markdown.rfind("\n", 0, at) + 1
    prefix = markdown[line_start:at]
    if not prefix or prefix.strip():
        return html
    return html.replace("\n", "\n" + prefix)


def script_entry(script: Any) -> str | dict[str, Any]:
    """An `extra_javascript` entry as mkdocs.yml writes it."""
    if isinstance(script, str):
        return script
    entry: dict[str, Any] = {"path": str(script.path)}
    for key, value in (("type", script.type), ("async", script.async_), ("defer", script.defer)):
        if value:
            entry[key] = value
    return entry if len(entry) > 1 else entry["path"]


def floor_config(config_file: Path, export: FloorExport) -> str:
    """The course's mkdocs.yml without the coursebook plugin, with what coursebook added."""
    with config_file.open("rb") as source:
        data = yaml_load(source)  # !ENV resolved, INHERIT merged: the floor stands alone
    plugins = data.get("plugins") or []
    if isinstance(plugins, dict):
        data["plugins"] = {k: v for k, v in plugins.items() if k != PLUGIN}
    else:
        data["plugins"] = [
            p for p in plugins if p != PLUGIN and not (isinstance(p, dict) and PLUGIN in p)
        ]
    data["docs_dir"], data["site_dir"] = "docs", "site"
    if export.nav is not None:
        data["nav"] = export.nav
    data["extra_css"] = export.extra_css
    data["extra_javascript"] = export.extra_javascript
    extensions = data.get("markdown_extensions") or []
    named = {next(iter(e)) if isinstance(e, dict) else e for e in extensions}
    extensions += [name for name in export.extensions if name not in named]
    data["markdown_extensions"] = extensions
    # Not safe_dump: the course's Markdown extensions may name Python functions
    # (`!!python/name:`, as the emoji extension's do), which MkDocs' loader reads back.
    return yaml.dump(data, sort_keys=False, allow_unicode=True)


def export_floor(course: Path, floor: Path) -> FloorExport:
    """Build `course` (a coursebook site) once, in this process and with its environment
    (COURSEBOOK_TODAY and the like), and write its same-content floor to `floor`: mkdocs.yml,
    docs/, and what else of the course the floor needs (theme overrides, snippets), copied."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    course, floor = course.resolve(), floor.resolve()
    config_file = course / "mkdocs.yml"
    export = FloorExport()
    where = Path.cwd()
    # From the course's folder, as `mkdocs build` is run: some paths of mkdocs.yml are read
    # from the working directory (pymdownx.snippets' base_path, ".").
    os.chdir(course)
    try:
        with tempfile.TemporaryDirectory(prefix="floor-export-site-") as site:
            config = load_config(str(config_file), site_dir=site)
            config.plugins["floor-export"] = export
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    finally:
        os.chdir(where)
    docs_dir = Path(config.docs_dir).resolve()
    # Everything beside docs/ (overrides, snippets' files, hooks), not the build's state.
    local_state = (".git", ".venv", ".cache", "site", "__pycache__", "node_modules")
    shutil.copytree(course, floor, ignore=shutil.ignore_patterns(*local_state, docs_dir.name))
    docs = floor / "docs"
    docs.mkdir()
    for file in export.files:
        if file.inclusion.is_excluded():
            continue
        target = docs / file.src_uri
        if file.is_documentation_page():
            source = file.content_string
            text = (
                export.page_markdown(file.src_uri, source)
                if file.src_uri in export.markdown
                else source
            )
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        elif file.generated_by is not None or is_inside(file.abs_src_path, docs_dir):
            # Not the theme's own files: the floor's theme has them.
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content_bytes)
    for relative, data in export.decks.items():
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (floor / "mkdocs.yml").write_text(floor_config(config_file, export), encoding="utf-8")
    return export


def is_inside(path: str | None, folder: Path) -> bool:
    return path is not None and Path(path).resolve().is_relative_to(folder)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    export_floor(Path(sys.argv[1]), Path(sys.argv[2]))
