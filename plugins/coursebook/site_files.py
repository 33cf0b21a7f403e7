"""MkDocs' files of one build, as coursebook's stages use them: by source URI, with links
between them resolved as MkDocs resolves them. The stages import nothing from MkDocs; the
plugin hands them this."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from .errors import BuildError


class SiteFiles:
    def __init__(self, files: Files, config: MkDocsConfig) -> None:
        self.files = files
        self.config = config

    def new_file(self, uri: str, *, content=None, abs_src_path: str | None = None) -> File:
        """A file the build makes (not one of docs/), not yet added to the site."""
        if abs_src_path is not None:
            return File.generated(self.config, uri, abs_src_path=abs_src_path)
        return File.generated(self.config, uri, content=content)

    def add(
        self, uri: str, *, content=None, abs_src_path: str | None = None, in_nav: bool = True
    ) -> File:
        made = self.new_file(uri, content=content, abs_src_path=abs_src_path)
        if not in_nav:
            # Left out of a nav the course wrote on purpose: no `omitted_files` warning.
            made.inclusion = InclusionLevel.NOT_IN_NAV
        self.files.append(made)
        return made

    def link_target(self, src_uri: str) -> File:
        target = self.files.get_file_from_path(src_uri)
        if target is None:
            raise BuildError(f"coursebook: no file {src_uri!r} to link to")
        return target

    def url(self, src_uri: str) -> str:
        """The site-relative URL of a file."""
        return self.link_target(src_uri).url

    def href_from(self, page_file: File) -> Callable[[str], str]:
        """Links from `page_file`: source URI -> URL relative to that page."""
        return lambda src_uri: self.link_target(src_uri).url_relative_to(page_file)

    def with_placeholders(self, uris: Iterable[str]) -> tuple[SiteFiles, dict[str, File]]:
        """These files and empty ones at `uris` (pages and exports about to be made), so that
        links to and between them resolve before they exist."""
        placeholders = {uri: self.new_file(uri, content="") for uri in uris}
        return SiteFiles(Files([*self.files, *placeholders.values()]), self.config), placeholders

    def exclude_static(self, sources: set[Path]) -> None:
        """Leave out of the site the files (not pages) read from `sources`: a page is read
        before this and stripped as a page; a static file would be copied as it is."""
        for file in self.files if sources else ():
            page = file.is_documentation_page()
            if not page and file.abs_src_path and Path(file.abs_src_path).resolve() in sources:
                file.inclusion = InclusionLevel.EXCLUDED

    def pages_under(self, folder: str) -> list[tuple[str, str]]:
        """(source URI, text) of every page the site publishes in `folder`, subfolders too."""
        prefix = folder.rstrip("/") + "/"
        return [
            (f.src_uri, f.content_string)
            for f in self.files.documentation_pages()
            if f.src_uri.startswith(prefix)
        ]

    def page_texts(self) -> list[tuple[str, str]]:
        """(source URI, text) of every page the site publishes."""
        return [(f.src_uri, f.content_string) for f in self.files.documentation_pages()]

    def static_sources(self, src_uris: Iterable[str]) -> set[Path]:
        """The source files of those of `src_uris` that are files of the site, not pages."""
        found = (self.files.get_file_from_path(uri) for uri in src_uris)
        return {
            Path(f.abs_src_path).resolve()
            for f in found
            if f is not None and f.abs_src_path and not f.is_documentation_page()
        }

    def keep_out_of_nav(self, src_uri: str) -> None:
        """Published, but in no section of the nav (nor in the index sections filled)."""
        self.files.get_file_from_path(src_uri).inclusion = InclusionLevel.NOT_IN_NAV

    def remove(self, src_uri: str) -> Path | None:
        """Not part of this build at all: no page, no search entry, no feed item. Returns its
        source file (None for a file the build made)."""
        file = self.files.get_file_from_path(src_uri)
        self.files.remove(file)
        return Path(file.abs_src_path).resolve() if file.abs_src_path else None

    @staticmethod
    def relative(url: str, from_url: str) -> str:
        """A site-relative URL as seen from the page at `from_url` (files not checked)."""
        return get_relative_url(url, from_url)


def require_in_config(config, extensions: tuple[str, ...], assets: dict[str, str]) -> None:
    """Add the Markdown extensions coursebook's output needs, and its own stylesheet and
    script (`assets`: "css"/"js" to site URI), to the course's config unless already there."""
    for extension in extensions:
        if extension not in config.markdown_extensions:
            config.markdown_extensions.append(extension)
    if assets["css"] not in config.extra_css:
        config.extra_css.append(assets["css"])
    if assets["js"] not in [str(script) for script in config.extra_javascript]:
        config.extra_javascript.append(assets["js"])
