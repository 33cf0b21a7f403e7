"""Run a site's notebooks: decide each one's policy, reuse cached outputs, execute the rest
in parallel, and report every failure together."""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .cache import NotebookCache, notebook_cache_key
from .execute import NotebookFailure, execute_notebook, kernel_name_of
from .notebook import Notebook, cell_source, code_cells, read_notebook

EXECUTED, CACHED, RENDER_ONLY, FAILED = "executed", "cached", "render-only", "failed"
# Outputs of an earlier version of a notebook that another machine runs (see RunOptions).
STALE = "stale"


# When a notebook runs (config.py `notebooks.execute`): every time, through the cache; only
# when a code cell was never run (Jupyter Book's `auto`); never, rendering it as saved.
CACHE, AUTO, OFF = "cache", "auto", "off"
MODE_NAMES = {"cache": CACHE, "force": CACHE, "auto": AUTO, "off": OFF, True: CACHE, False: OFF}


def execute_mode(value, where: str) -> str:
    """`cache`, `auto` or `off` from a mode as written (`force` and true mean `cache`, false
    means `off`); `where` names the setting in the error."""
    if isinstance(value, (bool, str)) and value in MODE_NAMES:
        return MODE_NAMES[value]
    raise ValueError(f"{where}: expected auto, cache, force, off, true or false, got {value!r}")


def never_run(nb: Notebook) -> bool:
    """A notebook with a code cell (not empty) that has neither outputs nor an execution
    count: saved before it was run, so `auto` runs it."""
    return any(
        not cell.get("outputs") and cell.get("execution_count") is None
        for cell in code_cells(nb)
        if cell_source(cell).strip()
    )


@dataclass(frozen=True)
class RunOptions:
    execute: str = CACHE  # a mode: CACHE, AUTO or OFF
    execute_globs: tuple[tuple[str, str], ...] = ()  # (glob, mode), the first match wins
    render_only: tuple[str, ...] = ()
    timeout: int = 120
    allow_errors: bool = False
    kernel_name: str | None = None
    jobs: int = 1
    # A build after sharded execution: a notebook missing from the cache fails the build
    # instead of being executed here. A notebook labelled for another machine
    # (metadata.coursebook.runner, a GPU say) falls back to the outputs of its last run there,
    # reported as stale: that machine may be offline, and the site must still deploy.
    cache_only: bool = False


@dataclass
class NotebookResult:
    uri: str
    status: str
    nb: Notebook | None = None
    seconds: float = 0.0
    failure: NotebookFailure | None = None


@dataclass
class RunSummary:
    results: list[NotebookResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failures(self) -> list[NotebookFailure]:
        return [r.failure for r in self.results if r.failure is not None]

    def describe(self) -> str:
        return (
            f"notebooks: {self.count(EXECUTED)} executed, {self.count(CACHED)} from cache, "
            f"{self.count(RENDER_ONLY)} render-only, {self.count(FAILED)} failed, "
            + (f"{self.count(STALE)} stale, " if self.count(STALE) else "")
            + f"{self.seconds:.1f} s"
        )


@dataclass
class _Plan:
    uri: str
    source: Path
    nb: Notebook
    timeout: int
    allow_errors: bool
    kernel: str
    key: str
    runner: str | None = None  # metadata.coursebook.runner


def notebook_settings(nb: Notebook, uri: str) -> dict:
    value = nb.get("metadata", {}).get("coursebook", {})
    if not isinstance(value, dict):
        raise NotebookFailure(uri, None, "MetadataError", "metadata.coursebook must be a mapping")
    return value


def notebook_runner(nb: Notebook) -> str | None:
    """The label of the machine a notebook runs on (metadata.coursebook.runner), if any."""
    settings = nb.get("metadata", {}).get("coursebook", {})
    label = settings.get("runner") if isinstance(settings, dict) else None
    return label if isinstance(label, str) else None


def notebook_mode(uri: str, settings: dict, options: RunOptions) -> str:
    """The notebook's own `execute` setting wins; then `execute_globs`; then the
    `render_only` globs; then the site-wide mode."""
    if "execute" in settings:
        try:
            return execute_mode(settings["execute"], "metadata.coursebook.execute")
        except ValueError as error:
            raise NotebookFailure(uri, None, "MetadataError", str(error)) from error
    for pattern, mode in options.execute_globs:
        if fnmatch.fnmatch(uri, pattern):
            return mode
    if any(fnmatch.fnmatch(uri, pattern) for pattern in options.render_only):
        return OFF
    return options.execute


def should_execute(uri: str, settings: dict, options: RunOptions, nb: Notebook) -> bool:
    """Whether this build runs the notebook (`nb`: as saved), by its mode."""
    mode = notebook_mode(uri, settings, options)
    return mode == CACHE or (mode == AUTO and never_run(nb))


def dependency_paths(source: Path, nb: Notebook) -> list[Path]:
    """The files a notebook declares in `metadata.coursebook.depends`, as paths on disk."""
    settings = nb.get("metadata", {}).get("coursebook", {})
    depends = settings.get("depends", []) if isinstance(settings, dict) else []
    return [(source.parent / str(name)).resolve() for name in depends]


def _dependencies(source: Path, uri: str, settings: dict) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for index, name in enumerate(settings.get("depends", [])):
        path = source.parent / str(name)
        try:
            files[str(name)] = path.read_bytes()
        except OSError as error:
            raise NotebookFailure(
                uri,
                None,
                "DependencyError",
                f"metadata.coursebook.depends[{index}]: cannot read {name!r}: {error.strerror}",
            ) from error
    return files


def plan_notebook(
    source: Path, uri: str, options: RunOptions, environment: str
) -> _Plan | NotebookResult:
    """What running one notebook takes (its cache key above all), or its render-only
    result; raises NotebookFailure. Shared with `merge-cache`, which accepts only entries
    keyed as the course's notebooks are now."""
    try:
        nb = read_notebook(source)
    except (OSError, ValueError) as error:
        raise NotebookFailure(uri, None, type(error).__name__, str(error)) from error
    settings = notebook_settings(nb, uri)
    if not should_execute(uri, settings, options, nb):
        return NotebookResult(uri, RENDER_ONLY, nb)
    kernel = kernel_name_of(nb, options.kernel_name)
    allow_errors = bool(settings.get("allow_errors", options.allow_errors))
    key = notebook_cache_key(
        nb,
        kernel=kernel,
        dependencies=_dependencies(source, uri, settings),
        environment=environment,
        allow_errors=allow_errors,
    )
    timeout = int(settings.get("timeout", options.timeout))
    return _Plan(uri, source, nb, timeout, allow_errors, kernel, key, notebook_runner(nb))


def run_notebooks(
    notebooks: list[tuple[Path, str]],
    *,
    options: RunOptions,
    cache: NotebookCache,
    environment: str,
    log: Callable[[str], None],
) -> RunSummary:
    """Return one result per `(source path, site uri)` notebook, in the given order."""
    started = time.monotonic()
    results: dict[str, NotebookResult] = {}
    plans: list[_Plan] = []
    for source, uri in notebooks:
        try:
            plan = plan_notebook(source, uri, options, environment)
        except NotebookFailure as failure:
            results[uri] = NotebookResult(uri, FAILED, failure=failure)
            continue
        if isinstance(plan, NotebookResult):
            results[uri] = plan
            continue
        nb, key = plan.nb, plan.key
        cached = cache.load(key, nb)
        if cached is not None:
            results[uri] = NotebookResult(uri, CACHED, cached)
            continue
        if options.cache_only and plan.runner is not None:
            # Its last run's outputs if they still fit its cells, else none at all: a GPU
            # notebook added while the GPU runner is offline must not stop the deploy.
            last = cache.last_key(uri)
            earlier = cache.load(last, nb) if last else None
            results[uri] = NotebookResult(uri, STALE, earlier or nb)
            continue
        if options.cache_only:
            failure = NotebookFailure(
                uri,
                None,
                "CacheMiss",
                "not in the execution cache, and this build only reads the cache "
                "(COURSEBOOK_NOTEBOOKS=cache-only): execute it first with "
                "`python -m coursebook execute`",
            )
            results[uri] = NotebookResult(uri, FAILED, failure=failure)
            continue
        plans.append(plan)

    total = len(plans)

    def execute(numbered: tuple[int, _Plan]) -> NotebookResult:
        number, plan = numbered
        log(f"executing {number}/{total} {plan.uri} …")
        one_started = time.monotonic()
        try:
            executed = execute_notebook(
                plan.nb,
                workdir=plan.source.parent,
                display_path=plan.uri,
                timeout=plan.timeout,
                kernel_name=plan.kernel,
                allow_errors=plan.allow_errors,
            )
        except NotebookFailure as failure:
            seconds = time.monotonic() - one_started
            log(f"failed {plan.uri} after {seconds:.1f} s")
            return NotebookResult(plan.uri, FAILED, seconds=seconds, failure=failure)
        cache.store(plan.key, executed)  # only successes are ever cached
        seconds = time.monotonic() - one_started
        cache.record_seconds(plan.uri, seconds, key=plan.key)
        log(f"executed {plan.uri} in {seconds:.1f} s")
        return NotebookResult(plan.uri, EXECUTED, executed, seconds)

    if plans:
        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            for result in pool.map(execute, enumerate(plans, start=1)):
                results[result.uri] = result
    return RunSummary([results[uri] for _, uri in notebooks], seconds=time.monotonic() - started)
