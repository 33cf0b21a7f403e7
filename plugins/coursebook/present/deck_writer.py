"""The slide decks of one build: each lecture's deck made from its page as rendered (or taken
from the cache for the same inputs) and written into the site as the page loop reaches it.

One `DeckWriter` per build, made by the plugin in `on_config`, handed each lecture page's final
HTML. A deck is a file of the site, never a page of it, so it stays out of the search index
and the sitemap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..cache_files import cached_bytes, load_snapshot, prune, store_snapshot
from ..errors import BuildError, ProblemLog
from ..pages.course_pages import CoursePages
from . import decks


@dataclass
class DeckWriter:
    course: CoursePages
    settings: object  # the plugin's `slides:` settings (config.SlideOptions)
    site_dir: Path
    templates: object  # the Jinja environment of coursebook's templates
    problems: ProblemLog
    notebook_titles: dict[str, str]  # the notebook pages' titles (filled in by on_files)
    page_stylesheet: str  # the stylesheet of coursebook's pages (site URI)
    written: int = 0
    keys: set[str] = field(default_factory=set)  # cached decks used by this build
    _deck_settings: decks.DeckSettings | None = None  # made by the first deck
    _parts: dict[str, decks.DeckCourse] | None = None  # see `_deck_parts`

    @property
    def cache(self) -> Path:
        return self.course.cache_dir / "decks"

    @staticmethod
    def asset_files(assets: Path) -> list[tuple[str, Path]]:
        """(site URI, file) of what every deck loads: reveal.js, MathJax and coursebook's deck
        scripts and styles."""
        found = [(f"{decks.DECK_ASSETS}/{name}", assets / name) for name in decks.DECK_FILES]
        for folder in decks.VENDOR_FOLDERS:
            for path in sorted((assets / folder).iterdir()):
                found.append((f"{decks.DECK_ASSETS}/{folder}/{path.name}", path))
        return found

    def write(self, page, output: str, site, theme) -> None:
        """Build the lecture's deck from the page as rendered (present/decks.py), or take the
        one cached for the same inputs, and write it. `theme`: MkDocs' theme, read once for
        the settings every deck shares."""
        rendered = decks.RenderedPage.from_output(page.file.url, output, page.content or "")
        if self._deck_settings is None:
            self._deck_settings = self._settings_of(theme)
        settings = self._deck_settings
        key = decks.deck_key(self.course.key, rendered, settings)
        self.keys.add(key)
        src_uri = page.file.src_uri
        try:
            deck = cached_bytes(
                self.cache, key, lambda: self._render(src_uri, rendered, settings, site)
            )
        except OSError as error:
            raise BuildError(
                f"coursebook: {src_uri}: could not keep its slide deck in the cache "
                f"{self.cache}: {error}"
            ) from error
        # Written now, not held for the end of the build: 500 decks held in memory cost more
        # than the course. Not on a worker thread either: a thread waiting on the disk fights
        # the page loop for the GIL, and on a 60-lecture build that cost up to 0.13 s.
        target = decks.deck_path(self.site_dir, page.file.url)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(deck)
        except OSError as error:
            raise BuildError(
                f"coursebook: {src_uri}: could not write its slide deck {target}: {error}"
            ) from error
        self.written += 1
        # Cached or not, the deck says which of its slides cannot fit (decks.too_big_slides).
        for number, title, what in decks.too_big_slides(deck):
            self.problems.report(
                f"{self.course.lecture_by_uri[src_uri].file}: slide {number} "
                f'"{title}" cannot fit {decks.SLIDE_SIZE}: {what}; shorten it, or keep it '
                "on the page only (page-only, see docs/authoring/slides.md)"
            )

    def _settings_of(self, theme) -> decks.DeckSettings:
        """What every deck shares, as the page loop sees it: the plugin's settings, the
        theme's language and palette."""
        return decks.DeckSettings(
            course_name=self.course.course_name,
            language=theme.get("language") or "en",
            slide_level=self.settings.level,
            min_text_scale=self.settings.min_text_scale,
            palette=theme.get("palette"),
            page_stylesheet=self.page_stylesheet,
        )

    def _render(self, src_uri: str, page: decks.RenderedPage, settings, site) -> str:
        parts = self._deck_parts(site).get(src_uri)
        if parts is None:  # the snapshot listed it: the two are made from the same inputs
            raise BuildError(f"coursebook: {src_uri}: not a lecture of the course")
        return decks.render_deck(self.templates, parts, page, settings)

    def _deck_parts(self, site) -> dict[str, decks.DeckCourse]:
        """What each lecture's deck takes from the course, by lecture URI: read back from its
        own file (plain data: a deck made again after a prose edit needs neither the course
        nor pydantic), else made from the course and kept under the same key. Only a build
        that renders a deck reads it; a warm build renders none."""
        if self._parts is None:
            folder = self.course.cache_dir / "snapshots" / "decks"
            parts = load_snapshot(folder, self.course.key, dict, self.problems.info)
            if parts is None:
                course = self.course.full_course()
                parts = {
                    lecture.src_uri: decks.deck_course(
                        self.templates,
                        course,
                        lecture,
                        site.url(lecture.src_uri),
                        notebook_titles=self.notebook_titles,
                        url_of=site.url,
                    )
                    for lecture in course.lectures
                }
                store_snapshot(folder, self.course.key, parts)
            self._parts = parts
        return self._parts

    def finish(self, dirty: bool) -> None:
        """Say how many decks were written; drop the cached ones this build did not use (not
        after `--dirty`: the pages it skipped did not use theirs, which are not stale)."""
        if self.written:
            self.problems.info(f"wrote {self.written} slide deck(s)")
        if not dirty:
            prune(self.cache, self.keys, ".html")
