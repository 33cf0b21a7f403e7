"""MkDocs event glue for coursebook: each event hands MkDocs' objects to the build's stage
objects (made in `on_config`) and returns what they give back. Every decision lives in them:
the course's pages in pages/course_pages.py, the notebooks in notebooks/notebook_site.py, the
decks in present/deck_writer.py (see docs/authoring/architecture.md)."""

from __future__ import annotations

import functools
import os
import posixpath
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from .blog_settings import blog_settings
from .config import CourseConfig
from .course.fences import page_renderer
from .course.solutions import SolutionError, solutions_mode, today_in
from .course.withheld import WithheldText
from .errors import BuildError, ProblemLog
from .guard.build import LeakGuard
from .guard.scan import describe
from .jupyter_compat import adopt_options
from .notebooks.custom_fences import custom_fences_of
from .notebooks.notebook_site import NotebookSite
from .pages.course_pages import CoursePages
from .pages.includes import snippet_settings
from .pages.navigation import fill_index_sections, pages_in_nav, point_nav_at_pages
from .pages.snapshot import code_key
from .pages.templating import forget_replaced_templates, make_environment
from .present import slides
from .present.deck_writer import DeckWriter
from .site_checks import check_site_settings
from .site_files import SiteFiles, require_in_config

log = get_plugin_logger("coursebook")

# Generated headings carry their anchors as `{ #id }`.
REQUIRED_MARKDOWN_EXTENSIONS = ("attr_list",)
ASSETS = Path(__file__).parent / "assets"
ASSET_URIS = {"css": "assets/coursebook/coursebook.css", "js": "assets/coursebook/coursebook.js"}


def stops_the_build(event):
    """A stage's `BuildError` stops the build as MkDocs' PluginError, with its message."""

    @functools.wraps(event)
    def handler(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except (BuildError, SolutionError) as error:
            raise PluginError(str(error)) from error

    return handler


class CoursebookPlugin(BasePlugin[CourseConfig]):
    dirty = False  # `--dirty`: only the pages changed since the last build are built
    serving = False  # `mkdocs serve`, which shows draft pages too

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # With this event MkDocs keeps the plugin object across the rebuilds of one
        # `mkdocs serve`; per-build state is made again in on_config. (A program calling
        # MkDocs' `build(config, dirty=True)` itself sends no startup event: its builds prune
        # the caches as full builds do, which costs the next build time, never correctness.)
        self.dirty = dirty
        self.serving = command == "serve"

    @stops_the_build
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        require_in_config(config, REQUIRED_MARKDOWN_EXTENSIONS, ASSET_URIS)
        # One object per stage for this build: a plugin object lives across the rebuilds of
        # `mkdocs serve`, the state of a build lives in its stages.
        custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        repo_root = Path(config.config_file_path or ".").resolve().parent
        cache_dir = repo_root / self.config.cache_dir
        templates = make_environment(custom_dir, cache_dir / "templates")
        forget_replaced_templates(templates, custom_dir)
        docs = Path(config.docs_dir).resolve()
        # Snippets read only the course's folders; no cache is published (site_checks.py).
        check_site_settings(config, self.config, docs=docs, repo_root=repo_root)
        common = {
            "repo_root": repo_root,
            "cache_dir": cache_dir,
            # docs/ as a path from the repository, for messages.
            "docs_shown": posixpath.relpath(docs.as_posix(), repo_root.as_posix()),
            "templates": templates,
            "code_key": code_key(),
            # Whether solutions are in: by their release date in the course's time zone,
            # unless COURSEBOOK_SOLUTIONS forces a view (see course/solutions.py).
            "today": today_in(self.config.timezone, os.environ),
            "solutions_mode": solutions_mode(os.environ),
            "problems": ProblemLog(log),
            # Told by the page and notebook stages what their stripping withheld and what
            # they publish; checks every file of the site at the very end (guard/).
            "leak_guard": LeakGuard(cache_dir),
        }
        self.problems = common["problems"]
        self.leak_guard = common["leak_guard"]
        # mkdocs-jupyter's options, written at the top level by a site that switched.
        adopted = adopt_options(self.config)
        if adopted.notice():
            self.problems.info(adopted.notice())
        self.notebooks = NotebookSite(
            options=adopted.notebooks,
            repo_url=config.repo_url,
            include=adopted.include,
            ignore=adopted.ignore,
            tag_rules=adopted.tag_rules,
            keep_nav_titles=adopted.keep_nav_titles,
            custom_fences=custom_fences_of(config.mdx_configs),
            serving=self.serving,
            **common,
        )
        self.course = CoursePages(
            settings=self.config,
            site=(config.site_name, config.site_url, config.repo_url),
            use_directory_urls=config.use_directory_urls,
            overrides=custom_dir / "coursebook" if custom_dir else None,
            deck_url=slides.deck_url if self.config.slides.enabled else None,
            # Issue 20: a page's includes are expanded before its solutions are stripped.
            snippets=snippet_settings(config.markdown_extensions, config.mdx_configs),
            # Leak review: what is code in a page depends on the site's fence extension.
            fences=page_renderer(config.markdown_extensions),
            **common,
        )
        self.decks = DeckWriter(
            course=self.course,
            settings=self.config.slides,
            site_dir=Path(config.site_dir),
            templates=templates,
            problems=self.problems,
            notebook_titles=self.notebooks.titles,
            page_stylesheet=ASSET_URIS["css"],
        )
        return config

    @property
    def withheld(self) -> list[WithheldText]:
        """What this build withheld from pages and notebooks (issue 20), for the leak guard."""
        return self.course.withheld + self.notebooks.withheld

    @stops_the_build
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        site = SiteFiles(files, config)
        # Issue 25: the blog's posts; those not out yet (the course's day) are left out.
        announcing = blog_settings(config, self.config, self.problems)
        self.course.read_announcements(site, announcing, keep_scheduled=self.serving)
        # Pages in the nav: neither excluded, drafts, `not_in_nav`, nor left out of a nav the
        # course wrote. Only these become lectures and fill the nav's index sections.
        in_nav = files.documentation_pages(inclusion=lambda level: level.is_in_nav())
        lecture_pages = self.course.lecture_pages(
            in_nav, pages_in_nav(config.nav, [f.src_uri for f in in_nav])
        )
        # Issue 25: the term (course.yml); its assignments' notebooks are dated as lectures'.
        dated = self.course.with_term(lecture_pages, in_nav)
        notebooks = self.notebooks.choose(files, dated)
        self.notebooks.add_pages(notebooks, files, site.new_file, dated)
        for uri, path in self._asset_files():
            site.add(uri, abs_src_path=str(path))
        # A notebook source withheld until its solutions' release is still a file of docs/.
        existing = {f.src_uri for f in files} | self.notebooks.withheld_sources
        self.course.add_pages(site, lecture_pages, self.notebooks.titles, existing)
        # Issue 20: a dated course names its time zone; --dirty never mixes solutions views.
        self.course.check_release_dates(
            self.notebooks.solution_dates, Path(config.site_dir), self.dirty
        )
        self.course.record_published(Path(config.site_dir))  # what `handouts` prints
        # Notebooks listed in the nav (`week-1.ipynb`) stand for their pages.
        config.nav = point_nav_at_pages(
            config.nav, self.notebooks.page_by_source, self.notebooks.titles_over_nav
        )
        numbers = {uri: lecture.number for uri, lecture in self.course.lecture_by_uri.items()}
        # Lectures in schedule order, then other pages by name.
        config.nav = fill_index_sections(
            config.nav,
            [f.src_uri for f in files.documentation_pages(inclusion=lambda lv: lv.is_in_nav())],
            order=lambda uri: (numbers.get(uri, float("inf")), uri),
        )
        self.site = site
        return files

    def _asset_files(self) -> list[tuple[str, Path]]:
        """(site URI, file) of the CSS and JS every page loads, and what the decks load."""
        found = [(uri, ASSETS / f"coursebook.{kind}") for kind, uri in ASSET_URIS.items()]
        if self.config.slides.enabled:
            found += DeckWriter.asset_files(ASSETS)
        return found

    # Before other plugins see the Markdown, so the blocks added here get their treatment too.
    @event_priority(50)
    @stops_the_build
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return markdown
        # Issue 20: a page written as a jupytext notebook holding a solution stops the build.
        self.notebooks.check_markdown_page(markdown, page.meta, page.file.src_uri)
        return self.course.page_markdown(markdown, page, self.site, self.notebooks.titles)

    # First, so that every other plugin (search among them) sees the notebook's cells.
    @event_priority(100)
    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return html
        html = self.notebooks.markdown_page_links(html, page, files)
        html = self.course.fill(html, page.file.src_uri)
        return self.notebooks.page_content(html, page, files, config.validation.links.not_found)

    # First, before any plugin that strips HTML comments (a minifier) removes the late blocks'
    # places.
    @event_priority(100)
    @stops_the_build
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Put in the page's late blocks (pages/blocks.py), and build a lecture's deck."""
        if not self.config.enabled:
            return output
        output = self.course.fill_late(output, page.file.src_uri)
        if page.file.src_uri in self.course.lecture_by_uri and self.config.slides.enabled:
            self.decks.write(page, output, self.site, config.theme)
        return output

    def on_env(self, env, /, *, config: MkDocsConfig, files: Files):
        if self.config.enabled:
            # Every page is rendered now, so links into other pages' headings can be checked.
            self.notebooks.check_anchors(files, config.validation.links.anchors)
            # Leak review: a file under docs/ that a withheld solution includes is not copied
            # (static files are copied after this event, pages were read before it).
            SiteFiles(files, config).exclude_static(self.course.withheld_files)
            self.course.check_announcements(self.site)  # issue 25: two posts at one URL
        return env

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):
        """Rebuild when references.bib, a theme override (coursebook's templates live in
        `overrides/coursebook/`) or a file a notebook depends on changes."""
        if not self.config.enabled:
            return server
        watched = self.course.inputs | self.notebooks.inputs
        if config.theme.custom_dir:
            watched.add(Path(config.theme.custom_dir))
        docs = Path(config.docs_dir).resolve()
        for path in sorted(watched):
            # docs/ is watched already; a path that does not exist (yet) cannot be.
            if path.exists() and not path.resolve().is_relative_to(docs):
                server.watch(str(path))
        return server

    @event_priority(-50)  # after mkdocs-rss-plugin wrote its feeds (pages/announcements.py)
    def _finish_site(self, *, config: MkDocsConfig) -> None:
        """Drop what the caches hold that this build did not use (their inputs are gone)."""
        if self.config.enabled:
            self.course.finish_feeds(Path(config.site_dir))
            self.decks.finish(self.dirty)
            self.notebooks.prune_caches()
            if not self.dirty:
                self.course.prune_caches()

    # Last, so every other plugin has finished with the site: then the strict build stops.
    @event_priority(-100)
    def _stop_a_strict_build(self, *, config: MkDocsConfig) -> None:
        """MkDocs counts warnings for --strict only when they are shown: `mkdocs build --strict
        -q` (a common CI line) would pass with broken front matter. So a strict build with any
        coursebook problem fails here, listing them, whatever the log level."""
        if self.config.enabled and config.strict and self.problems.problems:
            problems = self.problems.problems
            listed = "\n".join(f"  {problem}" for problem in problems)
            raise PluginError(
                f"coursebook: {len(problems)} problem(s) in a strict build:\n{listed}"
            )

    # Later still: the site is finished only when every plugin's on_post_build has written
    # its part (the search index among them). Strict or not, a leak stops the build.
    @event_priority(-1000)
    def _guard_the_site(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        site = Path(config.site_dir)
        # The installed theme's files, copied unchanged, are not the course's: not its
        # overrides (custom_dir), which the course writes.
        custom = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
        theme = [Path(d) for d in config.theme.dirs if Path(d).resolve() != custom]
        leaks = self.leak_guard.check(site, theme)
        if leaks:
            raise PluginError(describe(leaks, site))

    on_post_build = CombinedEvent(_finish_site, _stop_a_strict_build, _guard_the_site)
