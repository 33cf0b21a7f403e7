"""`python -m coursebook execute`: only the notebook stage, for one machine's share, filling
the execution cache; and `python -m coursebook merge-cache`, which joins the caches that the
machines of a CI matrix filled.

The settings are read through MkDocs's own config loader, so this command sees exactly the
options, notebook files and exclusions that `mkdocs build` sees.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from .notebooks.cache import NotebookCache
from .notebooks.environment import environment_fingerprint
from .notebooks.execute import NotebookFailure
from .notebooks.merge import Wanted, merge_caches
from .notebooks.notebook import code_cells, read_notebook, select_notebooks
from .notebooks.runner import (
    NotebookResult,
    notebook_settings,
    plan_notebook,
    run_notebooks,
    should_execute,
)
from .notebooks.sharding import Shard, share_of


def _site_notebooks(config, text_globs: list[str], lectures: str) -> list[tuple[Path, str]]:
    """The notebooks `mkdocs build` would run: .ipynb files and text ones (any jupytext
    format, or a .py a lecture lists: `lectures` is the plugin's glob of lecture pages)."""
    from mkdocs.structure.files import get_files

    from .course.lectures import is_lecture_page
    from .course.release_dates import notebooks_listed_by_lectures

    by_uri = {f.src_uri: f for f in get_files(config) if f.abs_src_path}

    @functools.cache
    def listed() -> dict:
        pages = [
            (uri, uri, f.content_string)
            for uri, f in by_uri.items()
            if uri.endswith(".md") and is_lecture_page(uri, lectures)
        ]
        return notebooks_listed_by_lectures(pages)[0]

    chosen = select_notebooks(
        list(by_uri),
        text_globs,
        lambda u: by_uri[u].content_string,
        listed=lambda uri: uri in listed(),
    )
    return [(Path(by_uri[uri].abs_src_path), uri) for uri in chosen]


def execute(
    config_file: Path,
    *,
    shard: Shard | None,
    runner: str | None,
    cache_dir: Path | None,
) -> int:
    """Execute this machine's notebooks into the cache; 1 when any of them failed."""
    from mkdocs.config import load_config

    from .jupyter_compat import adopt_options
    from .notebooks.notebook_site import run_options

    config = load_config(str(config_file))
    plugin = config.plugins.get("coursebook")
    if plugin is None:
        print(f"{config_file}: plugins: coursebook is not enabled", file=sys.stderr)
        return 1
    options = adopt_options(plugin.config).notebooks
    root = config_file.resolve().parent
    run = run_options(options)
    cache = NotebookCache(cache_dir or root / options.cache_dir)

    mine: dict[str, Path] = {}
    for source, uri in _site_notebooks(config, options.text_notebooks, plugin.config.lectures):
        try:
            nb = read_notebook(source)
            settings = notebook_settings(nb, uri)
        except NotebookFailure as failure:
            print(str(failure), file=sys.stderr)
            return 1
        except (OSError, ValueError) as error:
            print(f"{uri}: {error}", file=sys.stderr)
            return 1
        label = settings.get("runner")
        if label is not None and not isinstance(label, str):
            print(
                f"{uri}: metadata.coursebook.runner: expected a label such as 'gpu', got {label!r}",
                file=sys.stderr,
            )
            return 1
        # Labelled notebooks (a GPU, say) run only on a machine asked for that label, and
        # unlabelled ones only where no label is asked for.
        if label == runner and should_execute(uri, settings, run, nb):
            mine[uri] = source
    if shard is not None:
        seconds = {uri: cache.last_seconds(uri) for uri in mine}
        share = set(share_of(shard, seconds))
        mine = {uri: source for uri, source in mine.items() if uri in share}
    where = f"shard {shard.index}/{shard.count}" if shard else "all"
    label = f", runner {runner!r}" if runner else ""
    print(f"execute ({where}{label}): {len(mine)} notebook(s): {', '.join(sorted(mine)) or '-'}")

    summary = run_notebooks(
        [(source, uri) for uri, source in sorted(mine.items())],
        options=run,
        cache=cache,
        environment=environment_fingerprint([root / name for name in options.lock_files]),
        log=print,
    )
    print(summary.describe())
    for failure in summary.failures:
        print(str(failure), file=sys.stderr)
    if summary.failures:
        names = ", ".join(f.notebook for f in summary.failures)
        print(f"{len(summary.failures)} notebook(s) failed: {names}", file=sys.stderr)
        return 1
    return 0


def course_wanted(config_file: Path) -> Wanted | None:
    """The cache entries the course's notebooks use now (None: coursebook not enabled)."""
    from mkdocs.config import load_config

    from .notebooks.notebook_site import run_options

    config = load_config(str(config_file))
    plugin = config.plugins.get("coursebook")
    if plugin is None:
        return None
    options = plugin.config.notebooks
    root = config_file.resolve().parent
    run = run_options(options)
    environment = environment_fingerprint([root / name for name in options.lock_files])
    entries: dict[str, tuple[str, int]] = {}
    uris = set()
    for source, uri in _site_notebooks(config, options.text_notebooks):
        uris.add(uri)
        try:
            plan = plan_notebook(source, uri, run, environment)
        except NotebookFailure:
            continue  # the build names what is wrong with it; no entry can serve it
        if not isinstance(plan, NotebookResult):  # render-only notebooks have no entry
            entries[plan.key] = (uri, len(code_cells(plan.nb)))
    return Wanted(entries, frozenset(uris))


def merge(config_file: Path, sources: list[Path], into: Path) -> int:
    problems = [
        f"merge-cache: {source}: {'a symbolic link, not' if source.is_symlink() else 'not'} "
        "a cache folder"
        for source in sources
        if source.is_symlink() or not source.is_dir()
    ]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    wanted = course_wanted(config_file)
    if wanted is None:
        print(f"{config_file}: plugins: coursebook is not enabled", file=sys.stderr)
        return 1
    report = merge_caches(sources, into, wanted)
    print(
        f"merged into {into}: {report.copied} copied, {report.identical} already there, "
        f"{report.skipped} not used by the course, {len(report.conflicts)} conflict(s), "
        f"{len(report.refused)} refused"
    )
    for name in report.conflicts:
        print(f"conflict: {name}: kept the entry already in {into}", file=sys.stderr)
    for refusal in report.refused:
        print(f"refused: {refusal}", file=sys.stderr)
    if report.refused:
        print(
            f"merge-cache: {len(report.refused)} file(s) refused (above); nothing of them was "
            "copied. If a cache restored by CI holds them, delete that cache (Actions → Caches).",
            file=sys.stderr,
        )
        return 1
    return 0
