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
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin

from ..build_context import BuildContext
from ..cache_files import load_snapshot, prune, store_snapshot
from ..course.release_dates import notebooks_listed_by_lectures
from ..course.solutions import (
    SolutionError,
    find_solutions,
    hidden_tests,
    notebook_release,
    publish_notebook,
)
from ..course.withheld import WithheldText
from ..errors import BuildError
from .cache import NotebookCache, notebook_cache_folder
from .cell_tags import TagRules, apply_tag_rules
from .custom_fences import CustomFence, draw_custom_fences
from .environment import environment_fingerprint
from .fragments import FRAGMENT_PATTERN
from .links import AnchorLink, Target, element_ids, point_links_at_pages, resolve_links
from .notebook import (
    NOTEBOOK_KEYS,
    notebooks_outside,
    paired_text_files,
    read_notebook,
    read_text_notebook,
    select_notebooks,
)
from .output_limit import cap_outputs
from .pages import (
    NotebookPage,
    build_notebook_page,
    colab_repository,
    colab_url,
    page_uri_for,
)
from .runner import (
    STALE,
    RunOptions,
    dependency_paths,
    execute_mode,
    notebook_runner,
    run_notebooks,
)

if TYPE_CHECKING:
    from ..guard.build import LeakGuard

# Makes a File of the site: (uri, content=None, abs_src_path=None) -> File.
NewFile = Callable[..., object]
# The folder of the student branch holding the notebooks at their paths in the site: the
# deploy workflow's "The notebooks as published" step copies them there.
STUDENT_BRANCH_FOLDER = "docs"


def _declares_student_version(nb: dict) -> bool:
    return "student_version" in ((nb.get("metadata") or {}).get("coursebook") or {})


def run_options(options, environ: Mapping[str, str] = os.environ) -> RunOptions:
    """The notebook stage's options from the plugin's `notebooks:` settings (shared with
    `python -m coursebook execute`). COURSEBOOK_NOTEBOOKS=cache-only makes a build that
    executes nothing, after the notebooks were executed elsewhere (sharded CI)."""
    mode = environ.get("COURSEBOOK_NOTEBOOKS", "")
    if mode not in ("", "cache-only"):
        raise BuildError(f"COURSEBOOK_NOTEBOOKS: expected 'cache-only' or nothing, got {mode!r}")
    try:
        written = "cache" if options.execute is None else options.execute
        execute = execute_mode(written, "mkdocs.yml: plugins.coursebook.notebooks.execute")
        globs = tuple(
            (
                str(pattern),
                execute_mode(
                    mode, f"mkdocs.yml: plugins.coursebook.notebooks.execute_globs[{pattern!r}]"
                ),
            )
            for pattern, mode in options.execute_globs.items()
        )
    except ValueError as error:
        raise BuildError(str(error)) from error
    return RunOptions(
        execute=execute,
        execute_globs=globs,
        render_only=tuple(options.render_only),
        timeout=options.timeout,
        allow_errors=options.allow_errors,
        kernel_name=options.kernel_name,
        jobs=options.jobs or os.cpu_count() or 1,
        cache_only=mode == "cache-only",
    )


# Scripts of the languages the grading tools mark (nbgrader, otter: Python, R, Julia) that may
# hold a marked block without being notebooks, and the block markers looked for.
MARKED_SCRIPT_SUFFIXES = (".py", ".R", ".r", ".jl")
BLOCK_MARKERS = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS")


@dataclass
class NotebookSite(BuildContext):  # the build's context, then its own
    options: object  # the plugin's `notebooks:` settings (config.NotebookOptions)
    repo_url: str | None = None
    # Told what each notebook publishes and what its stripping withheld (guard/).
    leak_guard: LeakGuard | None = None
    # Which notebooks become pages (mkdocs-jupyter's `include`/`ignore`, matched from the
    # right of the path as it does): None includes every notebook.
    include: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    tag_rules: TagRules = field(default_factory=TagRules)  # the site's own hiding tags
    custom_fences: tuple[CustomFence, ...] = ()  # the site's superfences (mermaid, ...)
    keep_nav_titles: bool = False  # mkdocs-jupyter's `ignore_h1_titles`
    serving: bool = False  # `mkdocs serve`, which shows drafts too
    # What the build made, for the other stages and events:
    titles: dict[str, str] = field(default_factory=dict)  # page URI -> title
    withheld_sources: set[str] = field(default_factory=set)  # not published until released
    # The text of every solution (and hidden test) withheld, for the leak guard.
    withheld: list[WithheldText] = field(default_factory=list)
    inputs: set[Path] = field(default_factory=set)  # files notebooks depend on, to watch
    # Notebook page URI -> (notebook URI, the HTML fragments its placeholders stand for).
    fragments: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    with_pages: set[str] = field(default_factory=set)  # notebook URIs, for links between them
    headed: set[str] = field(default_factory=set)  # page URIs of notebooks with a `#` title
    anchor_links: list[tuple[str, AnchorLink]] = field(default_factory=list)
    page_keys: set[str] = field(default_factory=set)  # cached notebook pages used by this build
    # Student version URI -> its TA version's page URI, once the TA version is published.
    ta_pages: dict[str, str] = field(default_factory=dict)
    # What the stripping withheld, for the leak guard (issue 20).
    # The notebooks' own release dates (metadata.coursebook.solutions): where set -> date.
    solution_dates: dict[str, dt.date] = field(default_factory=dict)
    # Notebook URI -> the text files jupytext pairs with it (`choose`).
    pairs: dict[str, list[str]] = field(default_factory=dict)
    _listing: Callable[[], dict] | None = None  # `_release_by_notebook`, read at most once

    def choose(self, files, lecture_pages: list) -> list:
        """The notebooks among the site's files: every .ipynb, and the text notebooks in any
        of jupytext's formats, or listed by a lecture (`lecture_pages`: (file, src_uri, front
        matter) of every lecture). Files that are a notebook in another form are not published
        raw: a listed .py `text_notebooks` leaves out (with a warning); a Markdown notebook
        is checked as a page (`check_markdown_page`)."""
        self._listing = functools.cache(lambda: self._release_by_notebook(lecture_pages))
        # Not those MkDocs leaves out (exclude_docs, .ipynb_checkpoints/, drafts but under
        # `serve`): they were executed and solution-checked though never published.
        by_uri = {
            f.src_uri: f
            for f in files
            if f.abs_src_path
            and (f.inclusion.is_in_serve() if self.serving else f.inclusion.is_included())
        }
        chosen = select_notebooks(
            list(by_uri),
            self.options.text_notebooks,
            lambda uri: by_uri[uri].content_string,
            listed=lambda uri: uri in self._listing(),
        )
        self.pairs = paired_text_files(list(by_uri), chosen, lambda uri: by_uri[uri].content_string)
        paired = {uri for texts in self.pairs.values() for uri in texts}
        # A text form in another folder was chosen as a notebook of its own: it is the pair's.
        chosen = [uri for uri in chosen if uri not in paired]
        self._withhold_listed_plain_files(files, set(chosen) | paired)
        self._withhold_marked_plain_files(files, set(chosen) | paired)
        made = [uri for uri in chosen if self._made_page(uri)]
        for uri in sorted(set(chosen) - set(made)):
            self._withhold_if_marked(files, by_uri[uri])
        return [by_uri[uri] for uri in made]

    def _withhold_if_marked(self, files, notebook) -> None:
        """A notebook `include`/`ignore` makes no page of is copied as a file: not one that
        holds solutions or hidden tests, whose student view is only ever made for a page."""
        shown = f"{self.docs_shown}/{notebook.src_uri}"
        try:
            nb = read_notebook(Path(notebook.abs_src_path))
            marked = find_solutions(nb, shown) or hidden_tests(nb, shown)
        except SolutionError as error:  # names the notebook, the cell and the line
            raise BuildError(str(error)) from error
        except (OSError, ValueError) as error:
            raise BuildError(f"{shown}: {error}") from error
        if marked:
            files.remove(notebook)
            self.withheld_sources.add(notebook.src_uri)
            self.problems.report(
                f"{shown}: holds solutions or hidden tests ({', '.join(marked)}) but is made "
                "no page (the `include`/`ignore` options): it is not published; make it a page "
                "so that its student version is"
            )

    def _made_page(self, uri: str) -> bool:
        path = PurePosixPath(uri)
        if any(path.match(pattern) for pattern in self.ignore):
            return False
        return self.include is None or any(path.match(pattern) for pattern in self.include)

    @property
    def titles_over_nav(self) -> set[str]:
        """The notebook pages whose own `#` title wins over a title the nav gives them, as
        in mkdocs-jupyter (none with its `ignore_h1_titles: true`)."""
        return set() if self.keep_nav_titles else self.headed

    @property
    def page_by_source(self) -> dict[str, str]:
        """Notebook URI -> the URI of its page, for the notebooks made pages."""
        return {uri: page_uri_for(uri) for uri in self.with_pages}

    def _withhold_marked_plain_files(self, files, taken: set[str]) -> None:
        """A script under docs/ that is no notebook (a helper, starter code) but holds a grading
        tool's solution or hidden-test block would be copied as it is written: it is not
        published, and the build says so (a strict build fails)."""
        for text_file in list(files):
            uri = text_file.src_uri
            if uri in taken or not uri.endswith(MARKED_SCRIPT_SUFFIXES):
                continue
            if text_file.abs_src_path is None:
                continue
            text = text_file.content_string
            marker = next((m for m in BLOCK_MARKERS if m in text), None)
            if marker is None:
                continue
            line = text[: text.index(marker)].count("\n") + 1
            files.remove(text_file)
            self.withheld_sources.add(uri)
            self.problems.report(
                f"{self.docs_shown}/{uri}: line {line}: {marker} in a file that is no notebook: "
                "not published (make it a notebook a lecture lists, or keep it outside docs/)"
            )

    def _withhold_listed_plain_files(self, files, taken: set[str]) -> None:
        """A .py a lecture lists as a notebook but that `text_notebooks` leaves out would be
        copied as it is written, solutions and all: it is not published, and the build says
        so (a strict build fails)."""
        candidates = [f for f in files if f.src_uri.endswith(".py") and f.src_uri not in taken]
        if not candidates:  # the listing is read only when there is something to look up
            return
        listed = self._listing()
        for text_file in candidates:
            if text_file.src_uri not in listed:
                continue
            lecture_file, _date = listed[text_file.src_uri]
            files.remove(text_file)
            self.withheld_sources.add(text_file.src_uri)
            self.problems.report(
                f"{self.docs_shown}/{text_file.src_uri}: listed as a notebook by "
                f"{lecture_file}, but not a text notebook under notebooks.text_notebooks "
                f"({self.options.text_notebooks}): not published"
            )

    def check_markdown_page(self, markdown: str, meta: dict, src_uri: str) -> None:
        """A Markdown page written as a jupytext notebook (its front matter, `meta`, names a
        kernel or jupytext) is published as a page, not read as a notebook (one paired with an
        .ipynb is not a page at all: `_withhold_paired_text`): one holding a solution would be
        published, so the build stops naming it. Asked for each page as MkDocs reads it, so it
        costs no reading of its own."""
        if not NOTEBOOK_KEYS.intersection(meta):
            return
        import jupytext

        where = f"{self.docs_shown}/{src_uri}"
        try:
            nb = json.loads(json.dumps(jupytext.reads(markdown, fmt="md")))
            marked = find_solutions(nb, where)
        except SolutionError as error:
            raise BuildError(str(error)) from error
        if marked:
            raise BuildError(
                f"{where}: {marked[0]}: a solution in a Markdown notebook (jupytext): "
                "coursebook publishes .md files as pages and cannot withhold it; save the "
                "notebook as .ipynb or as a percent-format .py (`jupytext --to py:percent`)"
            )
        self.problems.info(
            f"{where}: a Markdown notebook (jupytext), published as a page, not executed"
        )

    def add_pages(self, notebooks: list, files, new_file: NewFile, lecture_pages: list) -> None:
        """Execute `notebooks` (or take them from the cache) and add to `files` a page for each,
        with its download and images. `lecture_pages`: (file, src_uri, front matter) of every
        lecture, read for the release dates of the notebooks they list."""
        sources = [(Path(f.abs_src_path), f.src_uri) for f in notebooks]
        # A link to a notebook outside the repository is refused before it runs.
        outside = notebooks_outside(self.repo_root, sources, self.docs_shown)
        if outside:
            raise BuildError("\n".join(outside))
        summary = run_notebooks(
            sources,
            options=run_options(self.options),
            cache=NotebookCache(
                notebook_cache_folder(self.repo_root, self.options.cache_dir, os.environ),
                self.problems.info,
            ),
            environment=environment_fingerprint(
                [self.repo_root / name for name in self.options.lock_files]
            ),
            log=self.problems.info,
        )
        if notebooks:
            self.problems.info(summary.describe())
            if self._colab_repository[1]:
                self.problems.info(self._colab_repository[1])
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
        # Needed only when a notebook holds a solution (read once: see `choose`).
        lecture_release = self._listing or functools.cache(
            lambda: self._release_by_notebook(lecture_pages)
        )
        # TA versions first: a student version's page links to its published TA version.
        results = sorted(summary.results, key=lambda r: not _declares_student_version(r.nb))
        for result in results:
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
            release = publish_notebook(
                executed,
                shown,
                lecture_release,
                notebook.src_uri,
                self.today,
                self.solutions_mode,
                publish_hidden_tests=self.options.publish_hidden_tests,
            )
        except SolutionError as error:
            raise BuildError(str(error)) from error
        own_date = notebook_release(executed, shown)
        if own_date is not None:
            self.solution_dates[f"{shown}: metadata.coursebook.solutions"] = own_date
        self.withheld += release.withheld
        nb = release.notebook
        if release.unpublished:
            # A TA version before its date: no page, no download, no Colab link; the guard
            # looks for all of it that is not published elsewhere (in its student version).
            if self.leak_guard is not None:
                self.leak_guard.notebook(executed, {"cells": []}, shown)
            files.remove(notebook)
            self.withheld_sources.add(notebook.src_uri)
            return
        if not release.source_withheld and self.leak_guard is not None:
            self.leak_guard.notebook(nb, None, shown)  # published as it is
        if release.source_withheld:
            # The source (with its solutions or hidden tests) must not be published: the
            # download is the published view of the notebook as written (the executed one,
            # for a text notebook), and a text notebook's .py is not copied at all.
            files.remove(notebook)
            self.withheld_sources.add(notebook.src_uri)
            source = executed if is_text else json.loads(notebook.content_string)
            stripped = release.view(source)
            if self.leak_guard is not None:
                self.leak_guard.notebook(source, stripped, shown)
            files.append(new_file(download, content=json.dumps(stripped)))
        elif is_text:
            # A text notebook is offered as the .ipynb it stands for, with its outputs.
            files.append(new_file(download, content=json.dumps(executed)))
        # The text form of a pair (x.py beside x.ipynb) is the same notebook (issue 20).
        self._withhold_paired_text(
            notebook.src_uri, files, lecture_release, release.source_withheld
        )
        page_uri = page_uri_for(notebook.src_uri)
        beside = files.get_file_from_path(page_uri)
        if beside is not None:
            # x.md beside x.ipynb: both would be the page x/, and the notebook's wins.
            self.problems.report(
                f"{self.docs_shown}/{page_uri}: {self.docs_shown}/{notebook.src_uri} is "
                "published at the same address and replaces this page: rename one of them"
            )
            files.remove(beside)
        page_file = new_file(page_uri, content="")
        if release.student_version is not None:
            self.ta_pages[release.student_version] = page_uri
        ta_page = self.ta_pages.get(notebook.src_uri)
        download_href = files.get_file_from_path(download).url_relative_to(page_file)
        actions = self.templates.get_template("notebook_actions.html").render(
            download_href=download_href,
            solutions_href=(
                files.get_file_from_path(ta_page).url_relative_to(page_file) if ta_page else None
            ),
            colab_url=self._colab_url(repo_path, download, is_text, release.source_withheld),
            stale_runner=stale_runner,
        )
        # A cell's output is capped on its page, which links to the download for all of it.
        nb, cut = cap_outputs(nb, self.options.max_output_chars, download_href, shown)
        for problem in cut:
            self.problems.report(problem)
        page = self._page(apply_tag_rules(nb, self.tag_rules), notebook.src_uri, actions)
        self.titles[page.page_uri] = page.title or page.page_uri
        if page.title:
            self.headed.add(page.page_uri)
        page_file.content_string = page.markdown
        # "Edit this page" opens the notebook, not the Markdown made from it.
        page_file.edit_uri = notebook.src_uri
        files.append(page_file)
        self.fragments[page.page_uri] = (notebook.src_uri, page.fragments)
        self.with_pages.add(notebook.src_uri)
        for problem in page.problems:
            self.problems.report(problem)
        # Reported, not fatal: a course of render-only notebooks or plotly figures must still
        # build; the marker on each image lets the accessibility audit count them too.
        for note in page.undescribed:
            self.problems.info(note)
        for uri, data in page.images.items():
            files.append(new_file(uri, content=data))

    def _page(self, nb, notebook_uri: str, actions: str):
        """The rendered page of a notebook, kept between builds by what it is made from (the
        notebook with its outputs, its actions, `colab_forms`, coursebook's code): a warm build
        parses no Markdown cell and does not even import the CommonMark parser."""
        forms = self.options.colab_forms
        digest = hashlib.sha256(f"{self.code_key}\0{notebook_uri}\0{actions}\0{forms}\0".encode())
        digest.update(json.dumps(nb, sort_keys=True).encode("utf-8"))
        key = digest.hexdigest()
        self.page_keys.add(key)
        folder = self.cache_dir / "notebook-pages"
        page = load_snapshot(folder, key, NotebookPage, self.problems.info)
        if page is None:
            page = build_notebook_page(nb, notebook_uri, actions, colab_forms=forms)
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
            return colab_url(self._colab_repository[0], self.options.student_branch, published)
        if is_text:
            return None
        return colab_url(self._colab_repository[0], self.options.colab_branch, repo_path.as_posix())

    @functools.cached_property
    def _colab_repository(self) -> tuple[str | None, str]:
        """Where "Open in Colab" opens notebooks from, and why nowhere (notebooks/pages.py)."""
        try:
            return colab_repository(self.repo_url, self.options.colab_github)
        except ValueError as error:
            raise BuildError(str(error)) from error

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
        found = load_snapshot(folder, key, tuple, self.problems.info)
        if found is None:
            found = notebooks_listed_by_lectures(lecture_pages)
            store_snapshot(folder, key, found)
        listed, conflicts = found
        for conflict in conflicts:  # every build, the map being kept or not
            self.problems.report(conflict)
        return listed

    def _withhold_paired_text(self, notebook_uri: str, files, listing, source_withheld) -> None:
        """The text files jupytext pairs with a notebook are the notebook too: never published
        raw while its solutions (or their own) are withheld. A paired .md would also be a
        page at the notebook page's own URI: it is never published as a page."""
        for uri in self.pairs.get(notebook_uri, []):
            text_file = files.get_file_from_path(uri)
            if text_file is None:
                continue
            shown = f"{self.docs_shown}/{uri}"
            if not source_withheld and not uri.endswith(".md"):
                # Released, or the .ipynb holds no solution: the text form may hold one
                # (jupytext reads any text, in its light format when nothing says otherwise).
                try:
                    text_nb = read_text_notebook(Path(text_file.abs_src_path))
                    release = publish_notebook(
                        text_nb,
                        shown,
                        listing,
                        # The pair is the notebook: its date is the .ipynb's (a lecture lists
                        # the .ipynb, never its .jl).
                        notebook_uri,
                        self.today,
                        self.solutions_mode,
                        publish_hidden_tests=self.options.publish_hidden_tests,
                    )
                except SolutionError as error:
                    raise BuildError(str(error)) from error
                if not release.source_withheld:
                    continue
                self.withheld += release.withheld
            files.remove(text_file)
            self.withheld_sources.add(uri)

    def markdown_page_links(self, html: str, page, files) -> str:
        """A Markdown page's HTML with its links to notebooks pointing at their pages (MkDocs
        resolved them to the notebook files). Notebook pages resolve their own links."""
        if page.file.src_uri in self.fragments or not self.with_pages:
            return html
        pages = {}
        for notebook_uri, page_uri in self.page_by_source.items():
            name = posixpath.basename(notebook_uri)
            if name not in html and quote(name) not in html:
                continue  # not linked from this page: most pages link no notebook
            source = files.get_file_from_path(notebook_uri)
            made = files.get_file_from_path(page_uri)
            if source is not None and made is not None:
                pages[source.url_relative_to(page.file)] = made.url_relative_to(page.file)
        return point_links_at_pages(html, pages)

    def page_content(self, html: str, page, files, not_found_level: int) -> str:
        """A notebook page's HTML with its fragments put back and its links resolved to the
        site's pages (`not_found_level`: MkDocs' validation level for a missing target). Any
        other page is returned as it is."""
        entry = self.fragments.get(page.file.src_uri)
        if entry is None:
            return html
        notebook_uri, fragments = entry
        download = files.get_file_from_path(posixpath.splitext(notebook_uri)[0] + ".ipynb")
        if download is not None and page.abs_url:
            # mkdocs-jupyter's `page.nb_url`, which its documented download button in a
            # theme override reads: here, the address of the page's .ipynb download.
            page.nb_url = urljoin(page.abs_url, download.url_relative_to(page.file))

        def lookup(src_uri: str) -> Target | None:
            found = files.get_file_from_path(src_uri)
            if found is None:
                return None
            return Target(src_uri, found.url_relative_to(page.file), found.is_documentation_page())

        def page_of(src_uri: str) -> str | None:
            return page_uri_for(src_uri) if src_uri in self.with_pages else None

        fence_problems: list[str] = []
        if self.custom_fences:
            fragments = [
                draw_custom_fences(f, self.custom_fences, notebook_uri, fence_problems)
                for f in fragments
            ]
        for problem in fence_problems:
            self.problems.report(problem)

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
