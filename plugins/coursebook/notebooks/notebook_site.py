"""The notebooks of one build: executed (or taken from the cache), shown as the student view
their release date allows, and turned into pages, downloads and images of the site.

One `NotebookSite` per build, made by the plugin in `on_config`. It is handed MkDocs' files
and pages (used through their attributes only: this stage imports nothing from MkDocs) and
owns everything the build keeps about notebooks: the fragments each page's placeholders stand
for, the sources withheld until a release, the titles other pages list, the files a notebook
depends on, and the links into other pages' headings checked once every page is rendered.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..cache_files import load_snapshot, prune, store_snapshot
from ..course.solutions import (
    SolutionError,
    notebook_view,
    notebooks_listed_by_lectures,
    student_notebook,
)
from ..errors import BuildError, ProblemLog
from .cache import NotebookCache
from .environment import environment_fingerprint
from .fragments import FRAGMENT_PATTERN
from .links import AnchorLink, Target, element_ids, resolve_links
from .notebook import select_notebooks
from .pages import build_notebook_page, colab_url, page_uri_for
from .runner import STALE, RunOptions, dependency_paths, notebook_runner, run_notebooks

# Makes a File of the site: (uri, content=None, abs_src_path=None) -> File.
NewFile = Callable[..., object]
# The folder of the student branch holding the notebooks at their paths in the site: the
# deploy workflow's "The notebooks as published" step copies them there.
STUDENT_BRANCH_FOLDER = "docs"


def run_options(options, environ: Mapping[str, str] = os.environ) -> RunOptions:
    """The notebook stage's options from the plugin's `notebooks:` settings (shared with
    `python -m coursebook execute`). COURSEBOOK_NOTEBOOKS=cache-only makes a build that
    executes nothing, after the notebooks were executed elsewhere (sharded CI)."""
    mode = environ.get("COURSEBOOK_NOTEBOOKS", "")
    if mode not in ("", "cache-only"):
        raise BuildError(f"COURSEBOOK_NOTEBOOKS: expected 'cache-only' or nothing, got {mode!r}")
    return RunOptions(
        execute=options.execute,
        render_only=tuple(options.render_only),
        timeout=options.timeout,
        allow_errors=options.allow_errors,
        kernel_name=options.kernel_name,
        jobs=options.jobs or os.cpu_count() or 1,
        cache_only=mode == "cache-only",
    )


@dataclass
class NotebookSite:
    options: object  # the plugin's `notebooks:` settings (config.NotebookOptions)
    repo_root: Path
    cache_dir: Path  # coursebook's cache folder (the plugin's `cache_dir`)
    docs_shown: str  # docs/ as a path from the repository, for messages
    templates: object  # the Jinja environment of coursebook's templates
    code_key: str  # coursebook's own code, in every cache key
    today: dt.date  # in the course's time zone
    solutions_mode: str  # see course/solutions.py `solutions_mode`
    problems: ProblemLog
    repo_url: str | None = None
    # What the build made, for the other stages and events:
    titles: dict[str, str] = field(default_factory=dict)  # page URI -> title
    withheld_sources: set[str] = field(default_factory=set)  # not published until released
    inputs: set[Path] = field(default_factory=set)  # files notebooks depend on, to watch
    # Notebook page URI -> (notebook URI, the HTML fragments its placeholders stand for).
    fragments: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    with_pages: set[str] = field(default_factory=set)  # notebook URIs, for links between them
    anchor_links: list[tuple[str, AnchorLink]] = field(default_factory=list)
    page_keys: set[str] = field(default_factory=set)  # cached notebook pages used by this build

    def choose(self, files) -> list:
        """The notebooks among the site's files: every .ipynb, and the text notebooks."""
        by_uri = {f.src_uri: f for f in files if f.abs_src_path}
        chosen = select_notebooks(
            list(by_uri),
            self.options.text_notebooks,
            lambda uri: by_uri[uri].content_string,
        )
        return [by_uri[uri] for uri in chosen]

    def add_pages(self, notebooks: list, files, new_file: NewFile, lecture_pages: list) -> None:
        """Execute `notebooks` (or take them from the cache) and add to `files` a page for each,
        with its download and images. `lecture_pages`: (file, src_uri, front matter) of every
        lecture, read for the release dates of the notebooks they list."""
        summary = run_notebooks(
            [(Path(f.abs_src_path), f.src_uri) for f in notebooks],
            options=run_options(self.options),
            cache=NotebookCache(self.repo_root / self.options.cache_dir),
            environment=environment_fingerprint(
                [self.repo_root / name for name in self.options.lock_files]
            ),
            log=self.problems.info,
        )
        if notebooks:
            self.problems.info(summary.describe())
        # A labelled notebook shown with its last run's outputs is named here (CI copies this
        # line into the run's summary) and on its page (notebook_actions.html).
        stale = {r.uri for r in summary.results if r.status == STALE}
        if stale:
            self.problems.info(
                "notebooks shown with the outputs of an earlier version (their runner has not "
                "run this one yet): " + ", ".join(sorted(stale))
            )
        if summary.failures:
            for failure in summary.failures:
                self.problems.log.error(str(failure))
            raise BuildError(
                f"{len(summary.failures)} notebook(s) failed: "
                + ", ".join(f.notebook for f in summary.failures)
            )
        by_uri = {f.src_uri: f for f in notebooks}
        # Needed only when a notebook holds a solution.
        lecture_release = functools.cache(lambda: self._release_by_notebook(lecture_pages))
        for result in summary.results:
            stale_runner = notebook_runner(result.nb) if result.uri in stale else None
            self._add_page(
                by_uri[result.uri], result.nb, files, new_file, lecture_release, stale_runner
            )

    def _add_page(
        self, notebook, executed, files, new_file: NewFile, lecture_release, stale_runner=None
    ) -> None:
        self.inputs.update(dependency_paths(Path(notebook.abs_src_path), executed))
        repo_path = Path(notebook.abs_src_path).resolve().relative_to(self.repo_root)
        download = posixpath.splitext(notebook.src_uri)[0] + ".ipynb"
        is_text = download != notebook.src_uri
        shown = f"{self.docs_shown}/{notebook.src_uri}"
        try:
            nb, withheld_until = notebook_view(
                executed, shown, lecture_release, notebook.src_uri, self.today, self.solutions_mode
            )
        except SolutionError as error:
            raise BuildError(str(error)) from error
        if withheld_until:
            # The source (with its solutions) must not be published: the download is the
            # student version of the notebook as written (the executed one, for a text
            # notebook), and a text notebook's .py is not copied at all.
            files.remove(notebook)
            self.withheld_sources.add(notebook.src_uri)
            source = executed if is_text else json.loads(notebook.content_string)
            stripped = student_notebook(source, shown, withheld_until)
            files.append(new_file(download, content=json.dumps(stripped)))
        elif is_text:
            # A text notebook is offered as the .ipynb it stands for, with its outputs.
            files.append(new_file(download, content=json.dumps(executed)))
        page_file = new_file(page_uri_for(notebook.src_uri), content="")
        actions = self.templates.get_template("notebook_actions.html").render(
            download_href=files.get_file_from_path(download).url_relative_to(page_file),
            colab_url=self._colab_url(repo_path, download, is_text, withheld_until),
            stale_runner=stale_runner,
        )
        page = self._page(nb, notebook.src_uri, actions)
        self.titles[page.page_uri] = page.title or page.page_uri
        page_file.content_string = page.markdown
        # "Edit this page" opens the notebook, not the Markdown made from it.
        page_file.edit_uri = notebook.src_uri
        files.append(page_file)
        self.fragments[page.page_uri] = (notebook.src_uri, page.fragments)
        self.with_pages.add(notebook.src_uri)
        for problem in page.problems:
            self.problems.report(problem)
        for uri, data in page.images.items():
            files.append(new_file(uri, content=data))

    def _page(self, nb, notebook_uri: str, actions: str):
        """The rendered page of a notebook, kept between builds by what it is made from (the
        notebook with its outputs, its actions, coursebook's code): a warm build parses no
        Markdown cell and does not even import the CommonMark parser."""
        digest = hashlib.sha256(f"{self.code_key}\0{notebook_uri}\0{actions}\0".encode())
        digest.update(json.dumps(nb, sort_keys=True).encode("utf-8"))
        key = digest.hexdigest()
        self.page_keys.add(key)
        folder = self.cache_dir / "notebook-pages"
        page = load_snapshot(folder, key)
        if page is None:
            page = build_notebook_page(nb, notebook_uri, actions)
            store_snapshot(folder, key, page, keep=None)
        return page

    def _colab_url(self, repo_path: Path, download: str, is_text, withheld) -> str | None:
        """Colab opens .ipynb files from GitHub. Until its solutions are released a notebook
        opens from the student branch, which holds the published (student) .ipynb at
        `docs/<its path in the site>` (what deploy.yml pushes there, whatever the course's
        docs_dir or the folder of its mkdocs.yml), or not at all: never from the source,
        which holds the solutions."""
        if withheld:
            if not self.options.student_branch:
                return None
            published = f"{STUDENT_BRANCH_FOLDER}/{download}"
            return colab_url(self.repo_url, self.options.student_branch, published)
        if is_text:
            return None
        return colab_url(self.repo_url, self.options.colab_branch, repo_path.as_posix())

    def _release_by_notebook(self, lecture_pages: list) -> dict:
        """Notebook URI -> (lecture file, its `solutions` value as written) for the notebooks a
        lecture lists. Read from the front matter itself: the notebook pages are made before
        the course (whose snapshot key covers their titles); the course reports bad values.
        Kept between builds by the front matter it is read from: parsing every lecture's
        YAML on each build was most of a warm build's own work on a 61-lecture course."""
        digest = hashlib.sha256(self.code_key.encode())
        for part in lecture_pages:
            digest.update(json.dumps(part).encode("utf-8"))
        key = digest.hexdigest()
        folder = self.cache_dir / "snapshots" / "release-dates"
        found = load_snapshot(folder, key)
        if found is None:
            found = notebooks_listed_by_lectures(lecture_pages)
            store_snapshot(folder, key, found)
        return found

    def page_content(self, html: str, page, files, not_found_level: int) -> str:
        """A notebook page's HTML with its fragments put back and its links resolved to the
        site's pages (`not_found_level`: MkDocs' validation level for a missing target). Any
        other page is returned as it is."""
        entry = self.fragments.get(page.file.src_uri)
        if entry is None:
            return html
        notebook_uri, fragments = entry

        def lookup(src_uri: str) -> Target | None:
            found = files.get_file_from_path(src_uri)
            if found is None:
                return None
            return Target(src_uri, found.url_relative_to(page.file), found.is_documentation_page())

        def page_of(src_uri: str) -> str | None:
            return page_uri_for(src_uri) if src_uri in self.with_pages else None

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
            self.problems.report(problem, not_found_level)
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= element_ids(resolved.html)
        self.anchor_links += [(notebook_uri, link) for link in resolved.anchors]
        # Notebooks often have several `#` headings; mkdocs-material's table of contents lists
        # only what is under the first h1, so the later ones (and their sections) go there too.
        items = page.toc.items
        if len(items) > 1 and items[0].level == 1:
            items[0].children.extend(items[1:])
            del items[1:]
        return resolved.html

    def check_anchors(self, files, level: int) -> None:
        """Once every page is rendered: links from notebooks into other pages' headings."""
        for notebook_uri, link in self.anchor_links:
            target = files.get_file_from_path(link.page_uri)
            ids = target.page.present_anchor_ids if target and target.page else None
            if ids is not None and link.anchor not in ids:
                self.problems.report(
                    f"{notebook_uri}: cell {link.cell}: link '{link.link}': "
                    f"'{link.page_uri}' has no anchor '#{link.anchor}'",
                    level,
                )

    def prune_caches(self) -> None:
        """Drop the cached pages of notebooks this build did not have (every notebook is
        made on every build, `--dirty` ones too)."""
        prune(self.cache_dir / "notebook-pages", self.page_keys, ".pickle")
