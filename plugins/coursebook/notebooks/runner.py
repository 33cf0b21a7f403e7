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
from .execute import KERNELS, NotebookFailure, execute_notebook, kernel_name_of
from .notebook import CellFormatError, Notebook, read_notebook

EXECUTED, CACHED, RENDER_ONLY, FAILED = "executed", "cached", "render-only", "failed"
STOP_SECONDS = 10  # after Ctrl-C, how long to wait for the killed kernels' notebooks to end


@dataclass(frozen=True)
class RunOptions:
    execute: bool = True
    render_only: tuple[str, ...] = ()
    timeout: int = 120
    allow_errors: bool = False
    kernel_name: str | None = None
    jobs: int = 1
    # A build after sharded execution: a notebook missing from the cache fails the build
    # instead of being executed here.
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
            f"{self.seconds:.1f} s"
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


def notebook_settings(nb: Notebook, uri: str) -> dict:
    """`metadata.coursebook`, its values checked: JSON written by hand says `"no"` for false
    (which Python's `bool` reads as true) and `"data.csv"` for a list of one file."""
    value = nb.get("metadata", {}).get("coursebook", {})
    if not isinstance(value, dict):
        raise NotebookFailure(uri, None, "MetadataError", "metadata.coursebook must be a mapping")
    for name, (valid, expected) in SETTING_TYPES.items():
        if name in value and not valid(value[name]):
            raise NotebookFailure(
                uri,
                None,
                "MetadataError",
                f"metadata.coursebook.{name}: expected {expected}, got {value[name]!r}",
            )
    return value


def _is_seconds(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


SETTING_TYPES = {
    "execute": (lambda v: isinstance(v, bool), "true or false"),
    "allow_errors": (lambda v: isinstance(v, bool), "true or false"),
    "timeout": (_is_seconds, "a whole number of seconds, such as 600"),
    "depends": (
        lambda v: isinstance(v, list) and all(isinstance(name, str) for name in v),
        'a list of file names, such as ["data.csv"]',
    ),
}


def should_execute(uri: str, settings: dict, options: RunOptions) -> bool:
    """The notebook's own `execute` setting wins; then the `render_only` globs; then the
    site-wide default."""
    if "execute" in settings:
        if not isinstance(settings["execute"], bool):
            raise NotebookFailure(
                uri, None, "MetadataError", "metadata.coursebook.execute must be true or false"
            )
        return settings["execute"]
    if any(fnmatch.fnmatch(uri, pattern) for pattern in options.render_only):
        return False
    return options.execute


def dependency_paths(source: Path, nb: Notebook) -> list[Path]:
    """The files a notebook declares in `metadata.coursebook.depends`, as paths on disk."""
    settings = nb.get("metadata", {}).get("coursebook", {})
    depends = settings.get("depends", []) if isinstance(settings, dict) else []
    if not isinstance(depends, list):  # reported by notebook_settings
        return []
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
            try:
                nb = read_notebook(source)
            except CellFormatError as error:
                raise NotebookFailure(
                    uri, error.cell, "NotebookFormatError", error.message
                ) from error
            except (OSError, ValueError) as error:
                raise NotebookFailure(uri, None, type(error).__name__, str(error)) from error
            settings = notebook_settings(nb, uri)
            if not should_execute(uri, settings, options):
                results[uri] = NotebookResult(uri, RENDER_ONLY, nb)
                continue
            kernel = kernel_name_of(nb, options.kernel_name)
            allow_errors = settings.get("allow_errors", options.allow_errors)
            key = notebook_cache_key(
                nb,
                kernel=kernel,
                dependencies=_dependencies(source, uri, settings),
                environment=environment,
                allow_errors=allow_errors,
            )
        except NotebookFailure as failure:
            results[uri] = NotebookResult(uri, FAILED, failure=failure)
            continue
        cached = cache.load(key, nb)
        if cached is not None:
            results[uri] = NotebookResult(uri, CACHED, cached)
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
        timeout = settings.get("timeout", options.timeout)
        plans.append(_Plan(uri, source, nb, timeout, allow_errors, kernel, key))

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
            verb = "stopped" if failure.error_type == "Interrupted" else "failed"
            log(f"{verb} {plan.uri} after {seconds:.1f} s")
            return NotebookResult(plan.uri, FAILED, seconds=seconds, failure=failure)
        cache.store(plan.key, executed)  # only successes are ever cached
        seconds = time.monotonic() - one_started
        cache.record_seconds(plan.uri, seconds)
        log(f"executed {plan.uri} in {seconds:.1f} s")
        return NotebookResult(plan.uri, EXECUTED, executed, seconds)

    if plans:
        KERNELS.reset()
        pool = ThreadPoolExecutor(max_workers=max(1, options.jobs))
        try:
            for result in pool.map(execute, enumerate(plans, start=1)):
                results[result.uri] = result
        except KeyboardInterrupt:
            # Ctrl-C: start no other notebook, and kill the running kernels, whose notebooks
            # then end at once; waiting for them took as long as the slowest notebook.
            pool.shutdown(wait=False, cancel_futures=True)
            deadline = time.monotonic() + STOP_SECONDS
            KERNELS.stop_all()
            # A kernel still starting has no process to kill yet: try again until all ended.
            while KERNELS.busy() and time.monotonic() < deadline:
                time.sleep(0.1)
                KERNELS.stop_all()
            raise
        pool.shutdown()
    return RunSummary([results[uri] for _, uri in notebooks], seconds=time.monotonic() - started)
