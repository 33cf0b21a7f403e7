"""MkDocs event glue for coursebook: every decision lives in the plain modules it calls."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import json
import logging
import os
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .config import CourseConfig
from .course.model import is_lecture_page
from .course.schedule import schedule_to_ical
from .course.solutions import (
    SolutionError,
    is_released,
    notebook_view,
    notebooks_listed_by_lectures,
    solutions_mode,
    strip_admonitions,
    student_notebook,
    today_in,
)
from .notebooks.cache import NotebookCache
from .notebooks.environment import environment_fingerprint
from .notebooks.links import AnchorLink, Target, element_ids, resolve_links
from .notebooks.notebook import notebooks_outside, select_notebooks
from .notebooks.output_limit import cap_outputs
from .notebooks.pages import (
    FRAGMENT_PATTERN,
    NotebookPage,
    build_notebook_page,
    colab_url,
    github_file_url,
    page_uri_for,
)
from .notebooks.runner import RunOptions, dependency_paths, run_notebooks
from .pages import generated
from .pages.blocks import HeldBlocks
from .pages.navigation import fill_index_sections
from .pages.snapshot import (
    CourseSource,
    LectureInfo,
    Snapshot,
    cached_bytes,
    cached_text,
    code_key,
    front_matter_of,
    load_snapshot,
    prune,
    snapshot_key,
    store_snapshot,
)
from .pages.templating import forget_replaced_templates, make_environment
from .present import decks, slides
from .snippets import restrict_snippets

if TYPE_CHECKING:
    from .course.model import Course

log = get_plugin_logger("coursebook")

# Generated headings carry their anchors as `{ #id }`.
REQUIRED_MARKDOWN_EXTENSIONS = ("attr_list",)
ASSETS = Path(__file__).parent / "assets"
HANDOUT_FOLDER = "handouts"
ASSET_URIS = {"css": "assets/coursebook/coursebook.css", "js": "assets/coursebook/coursebook.js"}


def run_options(options) -> RunOptions:
    """The notebook stage's options from the plugin's `notebooks:` settings (shared with
    `python -m coursebook execute`). COURSEBOOK_NOTEBOOKS=cache-only makes a build that
    executes nothing, after the notebooks were executed elsewhere (sharded CI)."""
    mode = os.environ.get("COURSEBOOK_NOTEBOOKS", "")
    if mode not in ("", "cache-only"):
        raise PluginError(f"COURSEBOOK_NOTEBOOKS: expected 'cache-only' or nothing, got {mode!r}")
    return RunOptions(
        execute=options.execute,
        render_only=tuple(options.render_only),
        timeout=options.timeout,
        allow_errors=options.allow_errors,
        kernel_name=options.kernel_name,
        jobs=options.jobs or os.cpu_count() or 1,
        cache_only=mode == "cache-only",
    )


class CoursebookPlugin(BasePlugin[CourseConfig]):
    dirty = False  # `--dirty`: only the pages changed since the last build are built
    serving = False  # `mkdocs serve`, which shows draft pages too

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # With this event MkDocs keeps the plugin object across the rebuilds of one
        # `mkdocs serve`; per-build state is set again in on_config. (A program calling
        # MkDocs' `build(config, dirty=True)` itself sends no startup event: its builds prune
        # the caches as full builds do, which costs the next build time, never correctness.)
        self.dirty = dirty
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        for extension in REQUIRED_MARKDOWN_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        custom_dir = config.theme.custom_dir
        self.repo_root = Path(config.config_file_path or ".").resolve().parent
        # hostile-input: snippets read only the docs and snippets/ (snippets.py).
        snippet_problems = restrict_snippets(
            config.markdown_extensions,
            config.mdx_configs,
            docs_dir=Path(config.docs_dir).resolve(),
            repo_root=self.repo_root,
        )
        if snippet_problems:
            raise PluginError("\n".join(snippet_problems))
        self.templates = make_environment(
            Path(custom_dir) if custom_dir else None,
            self.repo_root / self.config.cache_dir / "templates",
        )
        forget_replaced_templates(self.templates, Path(custom_dir) if custom_dir else None)
        # Per-build state: a plugin object lives across rebuilds under `mkdocs serve`.
        # The validated course: made on a cold build, else read from its own file only when
        # something must be rendered again (see pages/snapshot.py and `_full_course`).
        self._course: Course | None = None
        self._course_source: CourseSource | None = None  # what `_full_course` reads or makes
        self._decks_made: dict[str, decks.DeckCourse] | None = None  # see `_deck_parts`
        self.lecture_by_uri: dict[str, LectureInfo] = {}
        self.listing_keys: set[str] = set()  # cached page listings used by this build
        self.notebook_titles: dict[str, str] = {}
        self.problems: list[str] = []
        self.withheld_sources: set[str] = set()
        try:
            # Whether solutions are in: by their release date in the course's time zone, unless
            # COURSEBOOK_SOLUTIONS forces a view (see course/solutions.py).
            self.solutions_mode = solutions_mode(os.environ)
            self.today = today_in(self.config.timezone, os.environ)
        except SolutionError as error:
            raise PluginError(str(error)) from error
        # Inputs outside docs/ and mkdocs.yml, which `mkdocs serve` does not watch by itself.
        self.inputs: set[Path] = set()
        self.decks_written = 0
        self.deck_keys: set[str] = set()  # cached decks used by this build; the rest are stale
        self._deck_settings: decks.DeckSettings | None = None  # made by the first deck
        self.page_keys: set[str] = set()  # cached notebook pages used by this build
        self.code_key = code_key()
        # Notebook page URI -> (notebook URI, the HTML fragments its placeholders stand for)
        self.notebook_fragments: dict[str, tuple[str, list[str]]] = {}
        self.notebooks_with_pages: set[str] = set()  # their URIs, for links between notebooks
        self.held: dict[str, HeldBlocks] = {}
        self.lecture_blocks: dict[str, generated.LectureBlocks] = {}
        self.notebook_anchor_links: list[tuple[str, str, AnchorLink]] = []
        if ASSET_URIS["css"] not in config.extra_css:
            config.extra_css.append(ASSET_URIS["css"])
        if ASSET_URIS["js"] not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(ASSET_URIS["js"])
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        # hostile-input: a notebook MkDocs will not publish (exclude_docs, .ipynb_checkpoints/,
        # and drafts outside `serve`) is neither executed nor solution-checked.
        by_uri = {
            f.src_uri: f
            for f in files
            if f.abs_src_path
            and (f.inclusion.is_in_serve() if self.serving else f.inclusion.is_included())
        }
        chosen = select_notebooks(
            list(by_uri),
            self.config.notebooks.text_notebooks,
            lambda uri: by_uri[uri].content_string,
        )
        notebooks = [by_uri[uri] for uri in chosen]
        self._files = files
        pages = self._lecture_pages(files, config)
        self._add_notebook_pages(notebooks, files, config, pages)
        self._add_assets(files, config)
        self._use_snapshot(files, config, pages)
        numbers = {uri: lecture.number for uri, lecture in self.lecture_by_uri.items()}
        # Lectures in schedule order, then other pages by name.
        config.nav = fill_index_sections(
            config.nav,
            [f.src_uri for f in files.documentation_pages()],
            order=lambda uri: (numbers.get(uri, float("inf")), uri),
        )
        return files

    def _lecture_pages(self, files: Files, config: MkDocsConfig) -> list[tuple[str, str, str]]:
        """(file as shown, src_uri, front matter) of each lecture page."""
        shown = self._docs_shown(config)
        return [
            (f"{shown}/{f.src_uri}", f.src_uri, front_matter_of(f.content_string))
            for f in files.documentation_pages()
            if is_lecture_page(f.src_uri, self.config.lectures) and f.generated_by is None
        ]

    def _references(self) -> tuple[str, bytes | None]:
        configured = self.config.references
        path = self.repo_root / (configured or "references.bib")
        self.inputs.add(path)
        if not path.exists():
            if configured:
                raise PluginError(f"mkdocs.yml: plugins.coursebook.references: no file {path}")
            return "references.bib", None
        return configured or "references.bib", path.read_bytes()

    def _use_snapshot(
        self, files: Files, config: MkDocsConfig, pages: list[tuple[str, str, str]]
    ) -> None:
        """The course's generated pages, exports and lecture blocks: from the snapshot of an
        earlier build with the same inputs (pages/snapshot.py), else made now and kept for the next
        build. `pages`: `_lecture_pages`."""
        bib_name, bib_bytes = self._references()
        # A notebook source withheld until its solutions' release is still a file of docs/.
        existing = {f.src_uri for f in files} | self.withheld_sources
        custom_dir = config.theme.custom_dir
        settings = {
            "plugin": dict(self.config),
            "site": [config.site_name, config.site_url, config.repo_url],
            "use_directory_urls": config.use_directory_urls,
            "notebook_titles": self.notebook_titles,
            # The schedule marks the next lecture and the released solutions.
            "today": self.today.isoformat(),
        }
        key = snapshot_key(
            pages,
            bibliography=bib_bytes,
            existing_uris=existing,
            overrides=Path(custom_dir) / "coursebook" if custom_dir else None,
            settings=settings,
            code=self.code_key,
        )
        self.course_key = key
        folder = self.repo_root / self.config.cache_dir / "snapshots"
        # Exactly what the key was made from, should the course be made later in the build.
        self._course_source = CourseSource(
            folder / "courses", key, pages, bib_name, bib_bytes, existing
        )
        snapshot = load_snapshot(folder, key, Snapshot, log.warning)  # hostile-input: kind, warn
        if snapshot is None:
            course = self._full_course()
            snapshot = self._make_snapshot(course, files, config)
            store_snapshot(folder, key, snapshot)
        for problem in snapshot.problems:
            # Warnings, so a plain build goes on; on_post_build fails a strict one.
            self.problems.append(problem)
            log.warning(problem)
        for note in snapshot.notes:
            log.info(note)
        self.lecture_by_uri = {lecture.src_uri: lecture for lecture in snapshot.lectures}
        self.lecture_blocks = snapshot.lecture_blocks
        for uri, data in snapshot.exports.items():
            files.append(File.generated(config, uri, content=data))
        for uri, (markdown, blocks) in snapshot.pages.items():
            page_file = File.generated(config, uri, content=markdown)
            # Linked from the page's edit button: where this generated page comes from.
            page_file.edit_uri = None
            files.append(page_file)
            self.held[uri] = blocks

    def _full_course(self) -> Course:
        """The validated course, with every paper: read back from its file, else made from the
        front matter and the bibliography (a cold build, or its file was deleted)."""
        if self._course is not None:
            return self._course
        source = self._course_source
        from .course.model import Course  # hostile-input: a damaged course file is made again

        course = load_snapshot(source.folder, source.key, Course, log.warning)
        if course is None:
            from .course.bibtex import read_bibliography
            from .course.model import build_course

            bibliography = None
            if source.bib_bytes is not None:
                cache = self.repo_root / self.config.cache_dir / "references"
                bibliography = read_bibliography(
                    source.bib_bytes, source.bib_name, cache, log.warning
                )
            course = build_course(
                source.pages,
                bibliography=bibliography,
                bib_file=source.bib_name,
                existing_uris=source.existing_uris,
            )
            store_snapshot(source.folder, source.key, course)
        self._course = course
        return course

    def _add_assets(self, files: Files, config: MkDocsConfig) -> None:
        for kind, uri in ASSET_URIS.items():
            files.append(
                File.generated(config, uri, abs_src_path=str(ASSETS / f"coursebook.{kind}"))
            )
        if self.config.slides.enabled:
            for name in decks.DECK_FILES:
                uri = f"{decks.DECK_ASSETS}/{name}"
                files.append(File.generated(config, uri, abs_src_path=str(ASSETS / name)))
            for path in sorted((ASSETS / decks.REVEAL_FOLDER).iterdir()):
                uri = f"{decks.DECK_ASSETS}/{decks.REVEAL_FOLDER}/{path.name}"
                files.append(File.generated(config, uri, abs_src_path=str(path)))

    def _make_snapshot(self, course: Course, files: Files, config: MkDocsConfig) -> Snapshot:
        """Render the exports and generated pages. Links are resolved against `files` with
        placeholder pages of the generated URIs, which the caller then adds for real."""
        from .course.readings import readings_to_bibtex

        exports = {generated.BIBTEX_FILE: readings_to_bibtex(course.readings.entries).encode()}
        site_url = config.site_url or ""
        urls = {
            lecture.meta.lecture: (
                site_url.rstrip("/") + "/" + files.get_file_from_path(lecture.src_uri).url
            )
            if site_url
            else None
            for lecture in course.lectures
        }
        start = (
            dt.time.fromisoformat(self.config.lecture_time) if self.config.lecture_time else None
        )
        exports[generated.ICAL_FILE] = schedule_to_ical(
            lectures=course.lectures,
            course_name=self.config.course_name or config.site_name,
            page_urls=urls,
            uid_domain=urlsplit(site_url).hostname or "coursebook.invalid",
            start_time=start,
            duration=dt.timedelta(minutes=self.config.lecture_minutes),
            timezone=self.config.timezone,
        )
        source_url = self.config.contributing_url or github_file_url(
            config.repo_url, self.config.notebooks.colab_branch, "CONTRIBUTING.md"
        )
        renderers = {
            generated.READINGS_PAGE: lambda href, blocks: generated.render_readings_page(
                self.templates,
                course,
                href,
                source_url,
                max_authors=self.config.max_authors,
                blocks=blocks,
            ),
            generated.CRITERIA_PAGE: lambda href, blocks: generated.render_criteria_page(
                self.templates, course, href, source_url, blocks
            ),
            generated.SCHEDULE_PAGE: lambda href, blocks: generated.render_schedule_page(
                self.templates,
                course,
                href,
                # Today as the solutions see it: in the course's time zone, COURSEBOOK_TODAY.
                self.today,
                self.notebook_titles,
                source_url,
                blocks,
                deck_url=slides.deck_url if self.config.slides.enabled else None,
            ),
        }
        # The generated files must exist for links between them to resolve.
        probe = Files([*files, *(File.generated(config, uri, content="") for uri in exports)])
        placeholders = {uri: File.generated(config, uri, content="") for uri in renderers}
        for page_file in placeholders.values():
            probe.append(page_file)
        pages = {}
        for uri, render in renderers.items():
            blocks = HeldBlocks()
            pages[uri] = (render(self._href_from(placeholders[uri], probe), blocks), blocks)
        lectures = [
            LectureInfo(lecture.file, lecture.src_uri, lecture.meta.lecture, lecture.meta.solutions)
            for lecture in course.lectures
        ]
        return Snapshot(
            lectures=lectures,
            problems=[str(problem) for problem in course.problems],
            notes=list(course.notes),
            exports=exports,
            pages=pages,
            lecture_blocks=self._render_lecture_blocks(course, probe, config),
        )

    @staticmethod
    def _file_to_link(files: Files, src_uri: str) -> File:
        target = files.get_file_from_path(src_uri)
        if target is None:
            raise PluginError(f"coursebook: no file {src_uri!r} to link to")
        return target

    @classmethod
    def _href_from(cls, page_file: File, files: Files):
        return lambda src_uri: cls._file_to_link(files, src_uri).url_relative_to(page_file)

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):
        """Rebuild when references.bib, a theme override (coursebook's templates live in
        `overrides/coursebook/`) or a file a notebook depends on changes."""
        if not self.config.enabled:
            return server
        watched = set(self.inputs)
        if config.theme.custom_dir:
            watched.add(Path(config.theme.custom_dir))
        docs = Path(config.docs_dir).resolve()
        for path in sorted(watched):
            # docs/ is watched already; a path that does not exist (yet) cannot be.
            if path.exists() and not path.resolve().is_relative_to(docs):
                server.watch(str(path))
        return server

    def _finish_site(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled:
            self._finish_caches()

    # Last, so every other plugin has finished with the site: then the strict build stops.
    @event_priority(-100)
    def _stop_a_strict_build(self, *, config: MkDocsConfig) -> None:
        """MkDocs counts warnings for --strict only when they are shown: `mkdocs build --strict
        -q` (a common CI line) would pass with broken front matter. So a strict build with any
        coursebook problem fails here, listing them, whatever the log level."""
        if self.config.enabled and config.strict and self.problems:
            listed = "\n".join(f"  {problem}" for problem in self.problems)
            raise PluginError(
                f"coursebook: {len(self.problems)} problem(s) in a strict build:\n{listed}"
            )

    on_post_build = CombinedEvent(_finish_site, _stop_a_strict_build)

    def _finish_caches(self) -> None:
        """Say how many decks were written, and drop cached decks, listings and notebook pages
        that this build did not use (their inputs are gone)."""
        if self.decks_written:
            log.info(f"wrote {self.decks_written} slide deck(s)")
        cache = self.repo_root / self.config.cache_dir
        prune(cache / "notebook-pages", self.page_keys, ".pickle")  # every notebook, always
        if self.dirty:
            # The pages `--dirty` skipped did not use their deck or listing: they are not stale.
            return
        prune(cache / "decks", self.deck_keys, ".html")
        prune(cache / "listings", self.listing_keys, ".md")

    # Before other plugins see the Markdown, so the blocks added here get their treatment too.
    @event_priority(50)
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self._course_source is None:
            return markdown
        # mkdocs-material prints page titles (nav, <title>) and descriptions (<meta>)
        # unescaped; front matter is text.
        for name in ("title", "description"):
            value = page.meta.get(name)
            if isinstance(value, str):
                page.meta[name] = html.escape(value)
        markdown = self._add_listings(markdown, page, files)
        lecture = self.lecture_by_uri.get(page.file.src_uri)
        markdown = self._page_solutions(markdown, page, lecture)
        # Each page's blocks are used once: let them go (megabytes on a big course).
        rendered = self.lecture_blocks.pop(page.file.src_uri, None)
        if rendered is None:
            return markdown
        if rendered.blocks is not None:
            self.held[page.file.src_uri] = rendered.blocks
        return generated.place_lecture_blocks(markdown, rendered)

    def _add_listings(self, markdown: str, page: Page, files: Files) -> str:
        """The lecture and notebook lists a page asks for with a marker. Cached by the course
        and the page's URL, so a warm build renders none and needs no course."""
        href = self._href_from(page.file, files)
        for marker in generated.listing_markers(markdown):
            digest = hashlib.sha256(
                f"{self.course_key}\0{page.file.src_uri}\0{page.file.url}\0{marker}".encode()
            )
            key = digest.hexdigest()
            self.listing_keys.add(key)
            listing = cached_text(
                self.repo_root / self.config.cache_dir / "listings",
                key,
                lambda marker=marker: generated.render_listing(
                    self.templates, self._full_course(), self.notebook_titles, marker, href
                ),
                suffix=".md",
            )
            markdown = markdown.replace(marker, f"\n{listing}\n")
        return markdown

    def _render_lecture_blocks(self, course: Course, files: Files, config) -> dict:
        """Every lecture's generated blocks, rendered once with the course (and kept in the
        snapshot): links are relative to each lecture page."""
        rendered = {}
        for lecture in course.lectures:
            page_file = files.get_file_from_path(lecture.src_uri)
            if page_file is None:
                continue
            url = page_file.url
            handout_href = slides_href = slides_pdf_href = None
            if self.config.handouts:
                # The PDFs are written after the build (`make handouts`), so these links are
                # computed rather than checked: from the page's own URL to site/handouts/.
                handout = posixpath.join(HANDOUT_FOLDER, generated.handout_name(lecture))
                handout_href = get_relative_url(handout, url)
            if self.config.slides.enabled:
                slides_href = get_relative_url(slides.deck_url(url), url)
                if self.config.handouts:
                    slides_pdf = posixpath.join(HANDOUT_FOLDER, generated.slides_pdf_name(lecture))
                    slides_pdf_href = get_relative_url(slides_pdf, url)
            rendered[lecture.src_uri] = generated.render_lecture_blocks(
                self.templates,
                course,
                lecture,
                self._href_from(page_file, files),
                course_name=self.config.course_name or config.site_name,
                handout_href=handout_href,
                max_authors=self.config.max_authors,
                slides_href=slides_href,
                slides_pdf_href=slides_pdf_href,
                blocks=HeldBlocks(),
            )
        return rendered

    def _page_solutions(self, markdown: str, page: Page, lecture) -> str:
        """The page's `solution` admonitions, or (before their release) a note in their place.
        Removed from the Markdown, they are in none of what is made from the page: its HTML,
        the search index, the slide deck, the handout and slides PDFs."""
        released_on = lecture.solutions if lecture is not None else None
        if is_released(released_on, self.today, self.solutions_mode):
            return markdown
        stripped, count = strip_admonitions(markdown, released_on)
        if count and released_on is None and self.solutions_mode == "auto":
            where = lecture.file if lecture is not None else page.file.src_uri
            self._report(
                f"{where}: {count} solution admonition(s) but no release date: set "
                f"`solutions: YYYY-MM-DD` in the front matter (a lecture page) "
                f"(they are left out until then)"
            )
        return stripped

    # First, before any plugin that strips HTML comments (a minifier) removes the late blocks'
    # places.
    @event_priority(100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Put in the page's late blocks (pages/blocks.py), and build a lecture's deck."""
        if not self.config.enabled:
            return output
        held = self.held.pop(page.file.src_uri, None)
        if held is not None:
            output, missing = held.fill_late(output)
            if missing:
                self._report(
                    f"{page.file.src_uri}: {missing} generated block(s) lost from "
                    f"the page before it was written (did a plugin remove its HTML comments?)"
                )
        if page.file.src_uri in self.lecture_by_uri and self.config.slides.enabled:
            self._write_deck(page, output, config)
        return output

    def _write_deck(self, page: Page, output: str, config: MkDocsConfig) -> None:
        """Build the lecture's deck from the page as rendered (present/decks.py), or take the
        one cached for the same inputs. The deck is a file of the site, never a page of it, so
        it stays out of the search index and the sitemap."""
        rendered = decks.RenderedPage.from_output(page.file.url, output, page.content or "")
        if self._deck_settings is None:  # the same for every deck of the build
            self._deck_settings = self._make_deck_settings(config)
        settings = self._deck_settings
        key = decks.deck_key(self.course_key, rendered, settings)
        self.deck_keys.add(key)
        folder = self.repo_root / self.config.cache_dir / "decks"
        try:
            deck = cached_bytes(
                folder, key, lambda: self._render_deck(page.file.src_uri, rendered, settings)
            )
        except OSError as error:
            raise PluginError(
                f"coursebook: {page.file.src_uri}: could not keep its slide deck in the cache "
                f"{folder}: {error}"
            ) from error
        # Written now, not held for the end of the build: 500 decks held in memory cost more
        # than the course. Not on a worker thread either: a thread waiting on the disk fights
        # the page loop for the GIL, and on a 60-lecture build that cost up to 0.13 s.
        target = decks.deck_path(Path(config.site_dir), page.file.url)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(deck)
        except OSError as error:
            raise PluginError(
                f"coursebook: {page.file.src_uri}: could not write its slide deck {target}: {error}"
            ) from error
        self.decks_written += 1

    def _make_deck_settings(self, config: MkDocsConfig) -> decks.DeckSettings:
        """What every deck shares, as the page loop sees it: the plugin's settings, the
        theme's language and palette, and the scripts of the site."""
        return decks.DeckSettings(
            course_name=self.config.course_name or config.site_name,
            language=config.theme.get("language") or "en",
            slide_level=self.config.slides.level,
            min_text_scale=self.config.slides.min_text_scale,
            scripts=[(str(s), getattr(s, "type", None)) for s in config.extra_javascript],
            palette=config.theme.get("palette"),
            page_stylesheet=ASSET_URIS["css"],
            page_script=ASSET_URIS["js"],
        )

    def _render_deck(
        self, src_uri: str, page: decks.RenderedPage, settings: decks.DeckSettings
    ) -> str:
        parts = self._deck_parts().get(src_uri)
        if parts is None:  # the snapshot listed it: the two are made from the same inputs
            raise PluginError(f"coursebook: {src_uri}: not a lecture of the course")
        return decks.render_deck(self.templates, parts, page, settings)

    def _deck_parts(self) -> dict[str, decks.DeckCourse]:
        """What each lecture's deck takes from the course, by lecture URI: read back from its
        own file (plain data: a deck made again after a prose edit needs neither the course
        nor pydantic), else made from the course and kept under the same key. Only a build
        that renders a deck reads it; a warm build renders none."""
        if self._decks_made is None:
            folder = self.repo_root / self.config.cache_dir / "snapshots" / "decks"
            parts = load_snapshot(folder, self.course_key, dict, log.warning)
            if parts is None:
                course = self._full_course()
                parts = {
                    lecture.src_uri: decks.deck_course(
                        self.templates,
                        course,
                        lecture,
                        self._url_of(lecture.src_uri),
                        notebook_titles=self.notebook_titles,
                        url_of=self._url_of,
                    )
                    for lecture in course.lectures
                }
                store_snapshot(folder, self.course_key, parts)
            self._decks_made = parts
        return self._decks_made

    def _url_of(self, src_uri: str) -> str:
        return self._file_to_link(self._files, src_uri).url

    def _add_notebook_pages(
        self,
        notebooks: list[File],
        files: Files,
        config: MkDocsConfig,
        pages: list[tuple[str, str, str]],
    ):
        options = self.config.notebooks
        # hostile-input: a link to a notebook outside the repository is refused before it runs.
        outside = notebooks_outside(
            self.repo_root,
            [(Path(f.abs_src_path), f.src_uri) for f in notebooks],
            self._docs_shown(config),
        )
        if outside:
            raise PluginError("\n".join(outside))
        summary = run_notebooks(
            [(Path(f.abs_src_path), f.src_uri) for f in notebooks],
            options=run_options(options),
            cache=NotebookCache(self.repo_root / options.cache_dir, log.warning),
            environment=environment_fingerprint(
                [self.repo_root / name for name in options.lock_files]
            ),
            log=log.info,
        )
        if notebooks:
            log.info(summary.describe())
        if summary.failures:
            for failure in summary.failures:
                log.error(str(failure))
            raise PluginError(
                f"{len(summary.failures)} notebook(s) failed: "
                + ", ".join(f.notebook for f in summary.failures)
            )
        by_uri = {f.src_uri: f for f in notebooks}
        # Needed only when a notebook holds a solution.
        lecture_release = functools.cache(lambda: self._lecture_release_by_notebook(pages))
        for result in summary.results:
            notebook = by_uri[result.uri]
            self.inputs.update(dependency_paths(Path(notebook.abs_src_path), result.nb))
            repo_path = Path(notebook.abs_src_path).resolve().relative_to(self.repo_root)
            download = posixpath.splitext(notebook.src_uri)[0] + ".ipynb"
            is_text = download != notebook.src_uri
            shown = f"{self._docs_shown(config)}/{notebook.src_uri}"
            try:
                nb, withheld_until = notebook_view(
                    result.nb,
                    shown,
                    lecture_release,
                    notebook.src_uri,
                    self.today,
                    self.solutions_mode,
                )
            except SolutionError as error:
                raise PluginError(str(error)) from error
            if withheld_until:
                # The source (with its solutions) must not be published: the download is the
                # student version of the notebook as written (the executed one, for a text
                # notebook), and a text notebook's .py is not copied at all.
                files.remove(notebook)
                self.withheld_sources.add(notebook.src_uri)
                source = result.nb if is_text else json.loads(notebook.content_string)
                stripped = student_notebook(source, shown, withheld_until)
                files.append(File.generated(config, download, content=json.dumps(stripped)))
            elif is_text:
                # A text notebook is offered as the .ipynb it stands for, with its outputs.
                files.append(File.generated(config, download, content=json.dumps(result.nb)))
            page_file = File.generated(config, page_uri_for(notebook.src_uri), content="")
            download_href = files.get_file_from_path(download).url_relative_to(page_file)
            actions = self.templates.get_template("notebook_actions.html").render(
                download_href=download_href,
                colab_url=self._colab_url(config, repo_path, download, is_text, withheld_until),
            )
            # hostile-input: a cell's output is capped on its page (notebooks/output_limit.py).
            nb, cut = cap_outputs(nb, options.max_output_chars, download_href, shown)
            for problem in cut:
                self._report(problem)
            page = self._notebook_page(nb, notebook.src_uri, actions)
            self.notebook_titles[page.page_uri] = page.title or page.page_uri
            page_file.content_string = page.markdown
            # "Edit this page" opens the notebook, not the Markdown made from it.
            page_file.edit_uri = notebook.src_uri
            files.append(page_file)
            self.notebook_fragments[page.page_uri] = (notebook.src_uri, page.fragments)
            self.notebooks_with_pages.add(notebook.src_uri)
            for problem in page.problems:
                self._report(problem)
            for uri, data in page.images.items():
                files.append(File.generated(config, uri, content=data))

    def _notebook_page(self, nb, notebook_uri: str, actions: str):
        """The rendered page of a notebook, kept between builds by what it is made from (the
        notebook with its outputs, its actions, coursebook's code): a warm build parses no
        Markdown cell and does not even import the CommonMark parser."""
        digest = hashlib.sha256(f"{self.code_key}\0{notebook_uri}\0{actions}\0".encode())
        digest.update(json.dumps(nb, sort_keys=True).encode("utf-8"))
        key = digest.hexdigest()
        self.page_keys.add(key)
        folder = self.repo_root / self.config.cache_dir / "notebook-pages"
        page = load_snapshot(folder, key, NotebookPage, log.warning)
        if page is None:
            page = build_notebook_page(nb, notebook_uri, actions)
            store_snapshot(folder, key, page, keep=None)
        return page

    def _colab_url(self, config, repo_path: Path, download: str, is_text, withheld) -> str | None:
        """Colab opens .ipynb files from GitHub. Until its solutions are released a notebook
        opens from the student branch, which holds the published (student) .ipynb at the
        same path, or not at all: never from the source, which holds the solutions."""
        options = self.config.notebooks
        if withheld:
            if not options.student_branch:
                return None
            published = repo_path.parent / posixpath.basename(download)
            return colab_url(config.repo_url, options.student_branch, published.as_posix())
        if is_text:
            return None
        return colab_url(config.repo_url, options.colab_branch, repo_path.as_posix())

    def _docs_shown(self, config: MkDocsConfig) -> str:
        """docs/ as a path from the repository, for messages."""
        docs = Path(config.docs_dir).resolve()
        return posixpath.relpath(docs.as_posix(), self.repo_root.as_posix())

    def _lecture_release_by_notebook(self, pages: list[tuple[str, str, str]]) -> dict:
        """Notebook URI -> (lecture file, its `solutions` value as written) for the notebooks a
        lecture lists. Read from the front matter itself: the notebook pages are made before
        the course (whose snapshot key covers their titles); the course reports bad values.
        Kept between builds by the front matter it is read from: parsing every lecture's
        YAML on each build was most of a warm build's own work on a 61-lecture course."""
        digest = hashlib.sha256(self.code_key.encode())
        for part in pages:
            digest.update(json.dumps(part).encode("utf-8"))
        key = digest.hexdigest()
        folder = self.repo_root / self.config.cache_dir / "snapshots" / "release-dates"
        found = load_snapshot(folder, key, dict, log.warning)
        if found is None:
            found = notebooks_listed_by_lectures(pages)
            store_snapshot(folder, key, found)
        return found

    # First, so that every other plugin (search among them) sees the notebook's cells.
    @event_priority(100)
    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return html
        held = self.held.get(page.file.src_uri)
        if held is not None:
            html = held.fill(html)
        entry = self.notebook_fragments.get(page.file.src_uri)
        if entry is None:
            return html
        notebook_uri, fragments = entry

        def lookup(src_uri: str) -> Target | None:
            found = files.get_file_from_path(src_uri)
            if found is None:
                return None
            return Target(src_uri, found.url_relative_to(page.file), found.is_documentation_page())

        def page_of(src_uri: str) -> str | None:
            return page_uri_for(src_uri) if src_uri in self.notebooks_with_pages else None

        def fill(match: re.Match) -> str:
            index = int(match.group(1))
            return fragments[index] if index < len(fragments) else match.group(0)

        resolved = resolve_links(
            FRAGMENT_PATTERN.sub(fill, html),
            notebook_uri=notebook_uri,
            lookup=lookup,
            notebook_pages=page_of,
        )
        for problem in resolved.problems:
            self._report(problem, config.validation.links.not_found)
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= element_ids(resolved.html)
        self.notebook_anchor_links += [
            (notebook_uri, page.file.src_uri, link) for link in resolved.anchors
        ]
        # Notebooks often have several `#` headings; mkdocs-material's table of contents lists
        # only what is under the first h1, so the later ones (and their sections) go there too.
        items = page.toc.items
        if len(items) > 1 and items[0].level == 1:
            items[0].children.extend(items[1:])
            del items[1:]
        return resolved.html

    def _report(self, problem: str, level: int = logging.WARNING) -> None:
        """Log a problem at `level` (MkDocs' validation setting for its kind); a warning also
        fails a strict build in on_post_build, even when the log is quiet."""
        log.log(level, problem)
        if level >= logging.WARNING:
            self.problems.append(problem)

    def on_env(self, env, /, *, config: MkDocsConfig, files: Files):
        if not self.config.enabled:
            return env
        # Every page is rendered now, so links into other pages' headings can be checked.
        for notebook_uri, _page_uri, link in self.notebook_anchor_links:
            target = files.get_file_from_path(link.page_uri)
            ids = target.page.present_anchor_ids if target and target.page else None
            if ids is not None and link.anchor not in ids:
                self._report(
                    f"{notebook_uri}: cell {link.cell}: link '{link.link}': "
                    f"'{link.page_uri}' has no anchor '#{link.anchor}'",
                    config.validation.links.anchors,
                )
        return env
