"""The course's pages of one build: the generated pages and exports, the blocks each lecture
page gets, the listings pages ask for, and the solutions a page shows by its release date.

One `CoursePages` per build, made by the plugin in `on_config`. It owns the snapshot of the
course (pages/snapshot.py): what a warm build reads instead of validating the front matter,
and the course itself, made or read back only when something must be rendered from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..audit.report import RECORD_FILE, RecordError
from ..build_context import BuildContext
from ..course.frontmatter import FRONT_MATTER
from ..course.lectures import declares_lecture, first_heading
from ..course.model import is_lecture_page
from ..course.release_dates import TimezoneMissing, require_timezone
from ..course.schedule import build_time, schedule_to_ical
from ..course.solutions import is_released, strip_admonitions
from ..course.term import TermSource, declares_term_page, release_listings
from ..course.withheld import WithheldText
from ..errors import BuildError
from ..notebooks.pages import github_file_url
from . import generated, term_pages
from .alt_text import included_alt_problems, page_alt_problems
from .announcements import MARKER as ANNOUNCEMENTS_MARKER
from .announcements import Announcements, BlogSettings
from .blocks import HeldBlocks
from .includes import IncludeError, check_auto_append, expand_includes, included_files
from .navigation import pages_in_nav
from .published import record_lectures
from .snapshot import (
    CourseSource,
    LectureInfo,
    Snapshot,
    cached_text,
    front_matter_of,
    load_snapshot,
    prune,
    snapshot_key,
    store_snapshot,
)
from .solutions_view import DirtyBuildRefused, check_and_record, solutions_view
from .statement import STATEMENT_PAGE, contact_of, statement_page

if TYPE_CHECKING:
    from ..course.model import Course
    from ..guard.build import LeakGuard

HANDOUT_FOLDER = "handouts"


@dataclass
class CoursePages(BuildContext):  # the build's context, then its own
    settings: object  # the plugin's settings (config.CourseConfig)
    site: tuple[str, str | None, str | None]  # mkdocs.yml's site_name, site_url, repo_url
    use_directory_urls: bool
    overrides: Path | None  # the theme's `coursebook/` templates folder, when there is one
    # Where a lecture page's deck is, from the page's URL; None without decks.
    deck_url: Callable[[str], str] | None = None
    # The site's pymdownx.snippets settings (pages/includes.py `snippet_settings`), or None.
    snippets: dict | None = None
    # How the pages decide what is code, for the stripping (course/fences.py `page_renderer`).
    fences: str = "superfences"
    # Told what each page publishes and what its stripping withheld (guard/).
    leak_guard: LeakGuard | None = None
    # What the build made, for the other stages and events:
    lecture_by_uri: dict[str, LectureInfo] = field(default_factory=dict)
    # Assignment and milestone pages (their own solutions date), from the term.
    work_by_uri: dict[str, LectureInfo] = field(default_factory=dict)
    key: str = ""  # the snapshot's key: everything the course is made from
    inputs: set[Path] = field(default_factory=set)  # read from outside docs/, to watch
    held: dict[str, HeldBlocks] = field(default_factory=dict)  # page URI -> its HTML blocks
    listing_keys: set[str] = field(default_factory=set)  # cached listings used by this build
    # The text of every solution withheld from a page, for the leak guard.
    withheld: list[WithheldText] = field(default_factory=list)
    # Files a withheld solution includes (pages/includes.py `included_files`): under docs/,
    # they would be published as static files.
    withheld_files: set[Path] = field(default_factory=set)
    # The blog's posts (issue 25), once `read_announcements` has read them; None without a blog.
    announcements: Announcements | None = None
    _lecture_blocks: dict = field(default_factory=dict)
    _course: Course | None = None
    _source: CourseSource | None = None  # what `full_course` reads or makes
    _term: TermSource | None = None  # what the term is made from (`with_term`)

    def __post_init__(self) -> None:
        # Snippets appended to every page by the renderer cannot be withheld: see includes.py.
        appended = check_auto_append(
            self.snippets, lambda text: bool(strip_admonitions(text, None)[1])
        )
        if appended:
            raise BuildError(appended)

    @property
    def course_name(self) -> str:
        return self.settings.course_name or self.site[0]

    def lecture_pages(self, pages, in_nav: set[str] | None) -> list[tuple[str, str, str]]:
        """(file as shown, src_uri, front matter) of each lecture page among `pages` (MkDocs'
        documentation files the site publishes): those under the `lectures` glob whose front
        matter says they are lectures, and (`in_nav`: the pages of a nav the course wrote)
        which the nav lists: a draft left out of it is no lecture, numbered or counted."""
        found = []
        for f in pages:
            if not is_lecture_page(f.src_uri, self.settings.lectures) or f.generated_by:
                continue
            if in_nav is not None and f.src_uri not in in_nav:
                continue
            front_matter = front_matter_of(f.content_string)
            if declares_lecture(front_matter):
                found.append((f"{self.docs_shown}/{f.src_uri}", f.src_uri, front_matter))
        return found

    def with_term(self, lecture_pages: list, pages) -> list:
        """Read the term file and find the assignment and milestone pages among `pages` (those
        in the nav); return `lecture_pages` with the assignments' notebooks and their solutions
        dates in the same form, for the notebook stage: an assignment's notebook is withheld
        until the assignment's own date, as a lecture's is (issue 25)."""
        path = self.repo_root / self.settings.term
        self.inputs.add(path)
        text = path.read_text(encoding="utf-8-sig") if path.is_file() else None
        found = []
        for f in pages:
            if f.generated_by or not f.src_uri.endswith(".md"):
                continue
            front_matter = front_matter_of(f.content_string)
            if declares_term_page(front_matter):
                found.append((f"{self.docs_shown}/{f.src_uri}", f.src_uri, front_matter))
        self._term = TermSource(self.settings.term, text, found, self.settings.timezone)
        return lecture_pages + release_listings(self._term)

    @property
    def has_term(self) -> bool:
        return self._term is not None and (self._term.text is not None or bool(self._term.pages))

    def _references(self) -> tuple[str, bytes | None]:
        configured = self.settings.references
        path = self.repo_root / (configured or "references.bib")
        self.inputs.add(path)
        if not path.exists():
            if configured:
                raise BuildError(f"mkdocs.yml: plugins.coursebook.references: no file {path}")
            return "references.bib", None
        return configured or "references.bib", path.read_bytes()

    def add_pages(self, site, pages: list, titles: dict[str, str], existing: set[str]) -> None:
        """Add the course's generated pages and exports to the site (`site`: SiteFiles): from
        the snapshot of an earlier build with the same inputs, else made now and kept for the
        next build. `pages`: `lecture_pages`; `titles`: the notebook pages' titles; `existing`:
        every source URI of docs/, withheld ones included."""
        self._add_statement(site, existing)
        bib_name, bib_bytes = self._references()
        settings = {
            "plugin": dict(self.settings),
            "site": list(self.site),
            "use_directory_urls": self.use_directory_urls,
            "notebook_titles": titles,
            # The schedule marks the next lecture and the released solutions.
            "today": self.today.isoformat(),
            # The term file and the assignment pages (issue 25).
            "term": [self._term.text, self._term.pages] if self.has_term else None,
        }
        self.key = snapshot_key(
            pages,
            bibliography=bib_bytes,
            existing_uris=existing,
            overrides=self.overrides,
            settings=settings,
            code=self.code_key,
        )
        folder = self.cache_dir / "snapshots"
        # Exactly what the key was made from, should the course be made later in the build.
        self._source = CourseSource(
            folder / "courses",
            self.key,
            pages,
            bib_name,
            bib_bytes,
            existing,
            self._term if self.has_term else None,
        )
        snapshot = load_snapshot(folder, self.key, Snapshot, self.problems.info)
        if snapshot is None:
            snapshot = self._make_snapshot(self.full_course(), site, titles)
            store_snapshot(folder, self.key, snapshot)
        for problem in snapshot.problems:
            # Warnings, so a plain build goes on; the plugin fails a strict one at its end.
            self.problems.report(problem)
        for note in snapshot.notes:
            self.problems.info(note)
        self.lecture_by_uri = {lecture.src_uri: lecture for lecture in snapshot.lectures}
        self.work_by_uri = {work.src_uri: work for work in snapshot.work_pages}
        self._lecture_blocks = snapshot.lecture_blocks
        if not pages and not self.has_term:
            # A site without lectures (a notebook site that switched plugins) gets no
            # schedule, readings or criteria: the same pages as before, nothing empty.
            self.problems.info(
                f"no lecture pages under '{self.settings.lectures}' (front matter with "
                "`lecture:`): no schedule, readings or criteria pages"
            )
            return
        for uri, data in snapshot.exports.items():
            site.add(uri, content=data)
        for uri, (markdown, blocks) in snapshot.pages.items():
            page_file = site.add(uri, content=markdown)
            # Linked from the page's edit button: where this generated page comes from.
            page_file.edit_uri = None
            self.held[uri] = blocks

    def read_announcements(
        self, site, settings: BlogSettings | None, *, keep_scheduled: bool
    ) -> None:
        """Read the blog's posts (pages/announcements.py): those not out by today, in the
        course's time zone, are no part of this build unless `keep_scheduled` (a preview)."""
        if settings is None:
            return
        now = dt.datetime.now(dt.timezone.utc)
        self.announcements = Announcements(settings, self.today, now, self.docs_shown)
        self.announcements.read(site, keep_scheduled=keep_scheduled)
        self.withheld_files |= self.announcements.withheld_files

    def _add_statement(self, site, existing: set[str]) -> None:
        """The accessibility statement (pages/statement.py), whatever the site holds; not when
        the course wrote its own `accessibility.md`. Read from the audit's record each build
        (it is one small file), so it is no part of the snapshot."""
        options = self.settings.accessibility
        if not options.statement or STATEMENT_PAGE in existing:
            return
        self.inputs.add(self.repo_root / RECORD_FILE)  # `mkdocs serve` shows a new audit
        try:
            markdown = statement_page(
                self.templates,
                self.repo_root,
                contact_of(options.contact, self.site[2]),
                self.site[0],
            )
        except RecordError as error:
            raise BuildError(f"{error} (written by `python -m coursebook audit`)") from error
        listed = pages_in_nav(site.config.nav, [STATEMENT_PAGE])
        page_file = site.add(
            STATEMENT_PAGE, content=markdown, in_nav=listed is None or STATEMENT_PAGE in listed
        )
        page_file.edit_uri = None

    def full_course(self) -> Course:
        """The validated course, with every paper: read back from its file, else made from the
        front matter and the bibliography (a cold build, or its file was deleted)."""
        if self._course is not None:
            return self._course
        source = self._source
        from ..course.model import Course  # a damaged course file is made again

        course = load_snapshot(source.folder, source.key, Course, self.problems.info)
        if course is None:
            from ..course.bibtex import read_bibliography
            from ..course.model import build_course

            bibliography = None
            if source.bib_bytes is not None:
                cache = self.cache_dir / "references"
                bibliography = read_bibliography(
                    source.bib_bytes, source.bib_name, cache, self.problems.info
                )
            course = build_course(
                source.pages,
                bibliography=bibliography,
                bib_file=source.bib_name,
                existing_uris=source.existing_uris,
                term=source.term,
            )
            store_snapshot(source.folder, source.key, course)
        self._course = course
        return course

    def _make_snapshot(self, course: Course, site, titles: dict[str, str]) -> Snapshot:
        """Render the exports and generated pages. Links are resolved against the site's files
        with placeholder pages of the generated URIs, which the caller then adds for real."""
        from ..course.readings import readings_to_bibtex

        settings = self.settings
        exports = {generated.BIBTEX_FILE: readings_to_bibtex(course.readings.entries).encode()}
        site_url = self.site[1] or ""
        urls = {
            lecture.meta.lecture: (site_url.rstrip("/") + "/" + site.url(lecture.src_uri))
            if site_url
            else None
            for lecture in course.lectures
        }
        start = dt.time.fromisoformat(settings.lecture_time) if settings.lecture_time else None
        calendar = term_pages.term_calendar(
            course,
            site,
            course_name=self.course_name,
            site_url=self.site[1] or "",
            lecture_minutes=settings.lecture_minutes,
            lecture_time=start,
        )
        exports[generated.ICAL_FILE] = calendar or schedule_to_ical(
            lectures=course.lectures,
            course_name=self.course_name,
            page_urls=urls,
            uid_domain=urlsplit(site_url).hostname or "coursebook.invalid",
            start_time=start,
            duration=dt.timedelta(minutes=settings.lecture_minutes),
            timezone=settings.timezone,
            stamp=build_time(os.environ),
        )
        source_url = settings.contributing_url or github_file_url(
            self.site[2], settings.notebooks.colab_branch, "CONTRIBUTING.md"
        )
        renderers = {
            generated.READINGS_PAGE: lambda href, blocks: generated.render_readings_page(
                self.templates,
                course,
                href,
                source_url,
                max_authors=settings.max_authors,
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
                titles,
                source_url,
                blocks,
                deck_url=self.deck_url,
            ),
        }
        if course.term is not None:
            renderers.update(
                term_pages.term_renderers(self.templates, course, titles, source_url, self.today)
            )
        # The generated files must exist for links between them to resolve.
        probe, placeholders = site.with_placeholders([*exports, *renderers])
        pages = {}
        for uri, render in renderers.items():
            blocks = HeldBlocks()
            pages[uri] = (render(probe.href_from(placeholders[uri]), blocks), blocks)
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
            lecture_blocks=self._render_lecture_blocks(course, probe),
            work_pages=[
                LectureInfo(_shown_page(work, self.docs_shown), work.page, 0, work.solutions)
                for work in (course.term.work if course.term else [])
                if work.page
            ],
        )

    def _render_lecture_blocks(self, course: Course, site) -> dict:
        """Every lecture's generated blocks, rendered once with the course (and kept in the
        snapshot): links are relative to each lecture page."""
        rendered = {}
        handouts = self.settings.handouts
        for lecture in course.lectures:
            page_file = site.files.get_file_from_path(lecture.src_uri)
            if page_file is None:
                continue
            url = page_file.url
            handout_href = slides_href = slides_pdf_href = None
            if handouts:
                # The PDFs are written after the build (`make handouts`), so these links are
                # computed rather than checked: from the page's own URL to site/handouts/.
                handout = posixpath.join(HANDOUT_FOLDER, generated.handout_name(lecture))
                handout_href = site.relative(handout, url)
            if self.deck_url is not None:
                slides_href = site.relative(self.deck_url(url), url)
                if handouts:
                    slides_pdf = posixpath.join(HANDOUT_FOLDER, generated.slides_pdf_name(lecture))
                    slides_pdf_href = site.relative(slides_pdf, url)
            rendered[lecture.src_uri] = generated.render_lecture_blocks(
                self.templates,
                course,
                lecture,
                site.href_from(page_file),
                course_name=self.course_name,
                handout_href=handout_href,
                max_authors=self.settings.max_authors,
                slides_href=slides_href,
                slides_pdf_href=slides_pdf_href,
                blocks=HeldBlocks(),
            )
        return rendered

    def page_markdown(self, markdown: str, page, site, titles: dict[str, str]) -> str:
        """A page's Markdown with its listings, its solutions as their release allows, and (a
        lecture) its generated blocks. `titles`: the notebook pages' titles, for listings."""
        if self._source is None:  # the build stopped before the course was read
            return markdown
        self._check_alt_text(markdown, page)
        if "title" not in page.meta and page.file.src_uri in self.lecture_by_uri:
            # A lecture without `title` is titled by its heading, in the nav and schedule
            # alike (MkDocs would not find it: the lecture's header block comes first).
            heading = first_heading(markdown)
            if heading:
                page.meta["title"] = heading
        # mkdocs-material prints page titles (nav, <title>) and descriptions (<meta>)
        # unescaped; front matter is text.
        for name in ("title", "description"):
            value = page.meta.get(name)
            if isinstance(value, str):
                page.meta[name] = html.escape(value)
        markdown = self._add_listings(markdown, page, site, titles)
        self._refuse_scheduled_includes(markdown, page.file.src_uri)
        if ANNOUNCEMENTS_MARKER in markdown:
            markdown = self._add_announcements(markdown, page, site)
        uri = page.file.src_uri
        # An assignment's page is dated like a lecture's: by its own `solutions` (issue 25).
        lecture = self.lecture_by_uri.get(uri) or self.work_by_uri.get(uri)
        markdown = self._page_solutions(markdown, page, lecture)
        # Each page's blocks are used once: let them go (megabytes on a big course).
        rendered = self._lecture_blocks.pop(page.file.src_uri, None)
        if rendered is None:
            return markdown
        if rendered.blocks is not None:
            self.held[page.file.src_uri] = rendered.blocks
        return generated.place_lecture_blocks(markdown, rendered)

    def _check_alt_text(self, markdown: str, page) -> None:
        """Report each image the author wrote without alt text (pages/alt_text.py), by the
        line of the page's file. Pages the build makes (notebooks' among them) are not
        written by hand: their images are checked where they are made."""
        if page.file.generated_by or not page.file.abs_src_path:
            return
        includes = self.snippets is not None and "8<" in markdown
        if "![" not in markdown and "<img" not in markdown.lower() and not includes:
            return  # most pages: nothing to scan, and the file is not read again
        content = page.file.content_string
        first_line = body_line(content, markdown)
        where = f"{self.docs_shown}/{page.file.src_uri}"
        found = page_alt_problems(markdown, where, first_line)
        if includes:
            try:
                expanded, included = expand_includes(markdown, self.snippets, where)
            except IncludeError:
                expanded, included = markdown, False  # said by the solutions check, next
            if included:
                found += included_alt_problems(markdown, expanded, where, first_line)
        for problem in found:
            self.problems.report(problem)

    def _add_listings(self, markdown: str, page, site, titles: dict[str, str]) -> str:
        """The lecture and notebook lists a page asks for with a marker. Cached by the course
        and the page's URL, so a warm build renders none and needs no course."""
        href = site.href_from(page.file)
        markers = generated.listing_markers(markdown)
        markers += [m for m in term_pages.TERM_MARKERS if m in markdown and self.has_term]
        for marker in markers:
            digest = hashlib.sha256(
                f"{self.key}\0{page.file.src_uri}\0{page.file.url}\0{marker}".encode()
            )
            key = digest.hexdigest()
            self.listing_keys.add(key)
            listing = cached_text(
                self.cache_dir / "listings",
                key,
                lambda marker=marker: self._render_listing(marker, titles, href),
                suffix=".md",
            )
            markdown = markdown.replace(marker, f"\n{listing}\n")
        return markdown

    def _add_announcements(self, markdown: str, page, site) -> str:
        if self.announcements is None:
            self.problems.report(
                f"{self.docs_shown}/{page.file.src_uri}: {ANNOUNCEMENTS_MARKER} lists the posts "
                "of mkdocs-material's blog plugin, which mkdocs.yml does not use (`- blog:` "
                "under `plugins:`, see docs/authoring/announcements.md)"
            )
            return markdown.replace(ANNOUNCEMENTS_MARKER, "")
        return self.announcements.fill(markdown, self.templates, site, page.file)

    def _render_listing(self, marker: str, titles: dict[str, str], href) -> str:
        if marker in term_pages.TERM_MARKERS:
            return term_pages.render_term_block(
                self.templates, self.full_course(), marker, href, self.today, titles
            )
        return generated.render_listing(self.templates, self.full_course(), titles, marker, href)

    def _refuse_scheduled_includes(self, markdown: str, src_uri: str) -> None:
        """A page that includes a scheduled post (pymdownx.snippets) would publish its text
        before its day: the build stops, naming both. A link to one is named too."""
        if self.announcements is None or not self.announcements.scheduled_sources:
            return
        for post in self.announcements.scheduled_linked(markdown, src_uri):
            # MkDocs says only that the target is not found.
            self.problems.report(
                f"{self.docs_shown}/{src_uri}: links to {self.docs_shown}/{post.src_uri}, an "
                f"announcement scheduled for {post.date.isoformat()}: the link is broken until "
                "the post is out"
            )
        post = self.announcements.scheduled_included(included_files(markdown, self.snippets))
        if post is not None:
            raise BuildError(
                f"{self.docs_shown}/{src_uri}: includes {self.docs_shown}/{post.src_uri}, an "
                f"announcement scheduled for {post.date.isoformat()}: its text would be "
                "published before its day (link to the post once it is out)"
            )

    def _page_solutions(self, markdown: str, page, lecture) -> str:
        """The page's `solution` admonitions, or (before their release) a note in their place.
        Removed from the Markdown, they are in none of what is made from the page: its HTML,
        the search index, the slide deck, the handout and slides PDFs."""
        released_on = lecture.solutions if lecture is not None else None
        where = lecture.file if lecture is not None else page.file.src_uri
        if is_released(released_on, self.today, self.solutions_mode):
            if self.leak_guard is not None:
                self.leak_guard.page(markdown, markdown, where)  # published on purpose
            return markdown
        try:
            # The includes first, so that what is stripped is what the page will show.
            expanded, included = expand_includes(markdown, self.snippets, where)
        except IncludeError as error:
            raise BuildError(str(error)) from error
        content = page.file.content_string
        found: list[WithheldText] = []
        stripped, count = strip_admonitions(
            expanded,
            released_on,
            renderer=self.fences,
            source=f"{where} (includes expanded)" if included else where,
            # The front matter's lines, for the line numbers of what is withheld.
            first_line=body_line(content, markdown),
            withheld=found,
        )
        if included:
            _refuse_included_markers(markdown, stripped, where)
        if not count:
            # Nothing withheld: the renderer includes the snippets itself, as it always has.
            if self.leak_guard is not None:
                self.leak_guard.page(expanded, expanded, where)
            return markdown
        self.withheld += found
        if included:
            # The blocks as written, with their include lines, to see which files they read.
            written: list[WithheldText] = []
            strip_admonitions(markdown, released_on, renderer=self.fences, withheld=written)
            self.withheld_files |= included_files(
                "\n".join(block.text for block in written), self.snippets
            )
        if self.leak_guard is not None:
            # What was taken out (named by the file's own line numbers), and what is left.
            self.leak_guard.page(expanded, stripped, where, "" if included else content)
        if released_on is None and self.solutions_mode == "auto":
            self.problems.report(
                f"{where}: {count} solution admonition(s) but no release date: set "
                f"`solutions: YYYY-MM-DD` in the front matter (a lecture page) "
                f"(they are left out until then)"
            )
        return stripped

    def check_release_dates(
        self, notebook_dates: dict[str, dt.date], site_dir: Path, dirty: bool
    ) -> None:
        """Once the lectures are read (`add_pages`): a course with any solution date names its
        time zone, and a `--dirty` build never keeps pages of another solutions view
        (pages/solutions_view.py). `notebook_dates`: the notebooks' own dates, where set."""
        dates = dict(notebook_dates)
        for lecture in [*self.lecture_by_uri.values(), *self.work_by_uri.values()]:
            if lecture.solutions is not None:
                dates[f"{lecture.file}: solutions"] = lecture.solutions
        try:
            require_timezone(self.settings.timezone, min(dates, default=None))
            view = solutions_view(self.solutions_mode, self.today, dates.values())
            check_and_record(self.cache_dir, site_dir, view, dirty)
        except (TimezoneMissing, DirtyBuildRefused) as error:
            raise BuildError(str(error)) from error

    def record_published(self, site_dir: Path) -> None:
        """Once the lectures are read: keep which ones this build publishes into `site_dir`,
        for `python -m coursebook handouts` (pages/published.py)."""
        record_lectures(self.cache_dir, site_dir, list(self.lecture_by_uri))

    def fill(self, html: str, src_uri: str) -> str:
        """A page's content with its generated blocks (but for the late ones)."""
        held = self.held.get(src_uri)
        return held.fill(html) if held is not None else html

    def fill_late(self, output: str, src_uri: str) -> str:
        """A page's final HTML with its late blocks; a block without its place is a problem."""
        held = self.held.pop(src_uri, None)
        if held is None:
            return output
        output, missing = held.fill_late(output)
        if missing:
            self.problems.report(
                f"{src_uri}: {missing} generated block(s) lost from "
                f"the page before it was written (did a plugin remove its HTML comments?)"
            )
        return output

    def check_announcements(self, site) -> None:
        """Once the blog has given the posts their URLs: none shares one (`site`: SiteFiles)."""
        for clash in self.announcements.clashes(site) if self.announcements else []:
            self.problems.report(clash)

    def finish_feeds(self, site_dir: Path) -> None:
        """The announcements' feeds, once mkdocs-rss-plugin has written them."""
        if self.announcements is not None:
            self.announcements.finish_feeds(site_dir)

    def prune_caches(self) -> None:
        """Drop cached listings this build did not use (not after `--dirty`: the pages it
        skipped did not use theirs, which are not stale)."""
        prune(self.cache_dir / "listings", self.listing_keys, ".md")


def _shown_page(work, docs_shown: str) -> str:
    """How messages name an assignment's page: its file, from the repository."""
    return work.file if not work.path else f"{docs_shown}/{work.page}"


# A grading tool's block (a starter script's `# BEGIN SOLUTION`): in a page it is no marker,
# only text, so one an include brings in would be published whole.
_BLOCK_MARKERS = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS")


def _refuse_included_markers(markdown: str, stripped: str, where: str) -> None:
    """Stop the build when the page's includes (outside its withheld solutions) bring in a
    solution block of a grading tool that the page as written does not show."""
    for marker in _BLOCK_MARKERS:
        if stripped.count(marker) > markdown.count(marker):
            raise BuildError(
                f"{where}: an include brings `{marker}` into the page, and its solution would "
                "be published: include the file inside a `??? solution` block, or include one "
                "without the solution"
            )


def body_line(content: str, markdown: str) -> int:
    """The line of the page's file (`content`) its Markdown body starts at, after the front
    matter. Found by the body's text, unless a plugin before this one rewrote it (a template
    plugin such as mkdocs-macros): then by the front matter, and the blank lines MkDocs strips
    after it, so that lines are still the file's, not the body's."""
    at = content.find(markdown)
    if at < 0:
        match = FRONT_MATTER.match(content)
        at = match.end() if match else 0
        at += len(content[at:]) - len(content[at:].lstrip("\r\n"))
    return 1 + content[:at].count("\n")
