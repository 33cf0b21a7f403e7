"""On-disk cache of executed notebooks, keyed by what decides their outputs.

The key covers the code cells (source and execution tags), the kernel, the bytes of the files
the notebook declares it depends on, and a fingerprint of the environment. Markdown cells and
render options are not in it: editing them re-renders from the cache and executes nothing.
Entries hold only outputs, grafted onto the current notebook's code cells on a hit.

Beside the entries, `timings/` keeps each notebook's last run time (by path), which the
sharded `execute` command uses to balance machines. Caches filled on different machines are
joined by `merge.py`, which trusts none of them.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from ..atomic_write import write_atomically
from ..errors import BuildError
from .notebook import Notebook, cell_source, code_cells

# Tags that change how a cell executes, so they are part of the key.
EXECUTION_TAGS = ("raises-exception", "skip-execution")
# 2: figures carry their description in their output's metadata (kernel_figures.py), which
# outputs executed before it lack: they run again once, rather than show undescribed figures.
CACHE_FORMAT = 2
# An entry's name: the hex SHA-256 of `notebook_cache_key`.
ENTRY_KEY = re.compile(r"[0-9a-f]{64}")


def notebook_cache_key(
    nb: Notebook,
    *,
    kernel: str,
    dependencies: dict[str, bytes],
    environment: str,
    allow_errors: bool,
) -> str:
    digest = hashlib.sha256()

    def feed(label: str, value: bytes | str) -> None:
        data = value.encode("utf-8") if isinstance(value, str) else value
        digest.update(f"{label}:{len(data)}:".encode())
        digest.update(data)

    feed("format", str(CACHE_FORMAT))
    feed("kernel", kernel)
    feed("environment", environment)
    feed("allow_errors", str(allow_errors))
    for cell in code_cells(nb):
        tags = sorted(t for t in cell.get("metadata", {}).get("tags", []) if t in EXECUTION_TAGS)
        source = cell_source(cell)
        feed("cell", source)
        feed("tags", ",".join(tags))
    for name in sorted(dependencies):
        feed("file", name)
        feed("content", dependencies[name])
    return digest.hexdigest()


class NotebookCache:
    """Executed outputs stored as `<key>.json` under `folder`; safe to delete at any time."""

    def __init__(self, folder: Path, warn: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        # Told, in one line, of an entry that is there but cannot be used (then re-executed).
        self.warn = warn or (lambda message: None)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def load(self, key: str, nb: Notebook) -> Notebook | None:
        """A copy of `nb` with the cached outputs, or None on a miss or an unreadable entry."""
        path = self._path(key)
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:  # ValueError: not JSON, or not UTF-8
            # A corrupted entry only costs a re-execution; it is overwritten then.
            self.warn(f"{path}: damaged execution cache entry, executing again ({error})")
            return None
        problem = entry_problem(stored, len(code_cells(nb)))
        if problem:
            self.warn(f"{path}: damaged execution cache entry, executing again ({problem})")
            return None
        outputs, counts = stored["outputs"], stored["execution_counts"]
        result = json.loads(json.dumps(nb))  # a copy: the source notebook is left alone
        for cell, cell_outputs, count in zip(code_cells(result), outputs, counts, strict=True):
            cell["outputs"] = cell_outputs
            cell["execution_count"] = count
        return result

    def store(self, key: str, executed: Notebook) -> None:
        """Save the outputs of a successfully executed notebook (atomically)."""
        cells = code_cells(executed)
        payload = {
            "outputs": [c.get("outputs", []) for c in cells],
            "execution_counts": [c.get("execution_count") for c in cells],
        }
        _write_json_atomically(self._path(key), payload)

    def _timing_path(self, uri: str) -> Path:
        name = hashlib.sha256(uri.encode("utf-8")).hexdigest()[:24]
        return self.folder / "timings" / f"{name}.json"

    def record_seconds(self, uri: str, seconds: float, *, key: str | None = None) -> None:
        """Remember the last run of the notebook at `uri`: how long it took (for balancing
        shards), its cache key (the outputs a cache-only build falls back to when the machine
        that runs it is offline) and when it finished (the later of two runs wins a merge)."""
        record = {"uri": uri, "seconds": round(seconds, 3), "finished": round(time.time(), 3)}
        if key is not None:
            record["key"] = key
        _write_json_atomically(self._timing_path(uri), record)

    def _last_run(self, uri: str) -> dict | None:
        try:
            stored = json.loads(self._timing_path(uri).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # a damaged timing is only a worse guess for the split
        return stored if isinstance(stored, dict) and stored.get("uri") == uri else None

    def last_seconds(self, uri: str) -> float | None:
        seconds = (self._last_run(uri) or {}).get("seconds")
        return float(seconds) if isinstance(seconds, (int, float)) else None

    def last_key(self, uri: str) -> str | None:
        key = (self._last_run(uri) or {}).get("key")
        return key if isinstance(key, str) and ENTRY_KEY.fullmatch(key) else None


def entry_problem(stored, cells: int) -> str | None:
    """What is wrong with a cache entry's shape for a notebook of `cells` code cells (None
    when nothing): a list of outputs (each a mapping with its `output_type`) and an execution
    count (a whole number or null) for each code cell."""
    if not isinstance(stored, dict):
        return "expected key: value pairs"
    outputs, counts = stored.get("outputs"), stored.get("execution_counts")
    if not isinstance(outputs, list) or len(outputs) != cells:
        return f"outputs: expected a list of {cells} cells' outputs"
    if not isinstance(counts, list) or len(counts) != cells:
        return f"execution_counts: expected a list of {cells} numbers"
    for index, (cell_outputs, count) in enumerate(zip(outputs, counts, strict=True)):
        if not isinstance(cell_outputs, list) or not all(
            isinstance(output, dict) and isinstance(output.get("output_type"), str)
            for output in cell_outputs
        ):
            return f"outputs[{index}]: expected a list of outputs"
        if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
            return f"execution_counts[{index}]: expected a whole number or null"
    return None


def _write_json_atomically(path: Path, payload) -> None:
    write_atomically(path, json.dumps(payload).encode("utf-8"))


# The workflows name one folder for the execution cache in every job (actions/cache paths,
# artifacts, merge-cache); a course may have set its own `notebooks.cache_dir`.
CACHE_FOLDER_VARIABLE = "COURSEBOOK_NOTEBOOK_CACHE"


def notebook_cache_folder(root: Path, configured: str, environ) -> Path:
    """The execution cache's folder: COURSEBOOK_NOTEBOOK_CACHE when set (relative to the
    repository, as the option is), else the course's `notebooks.cache_dir`."""
    return root / (environ.get(CACHE_FOLDER_VARIABLE) or configured)


def check_caches_outside(docs: Path, caches: dict[str, Path]) -> None:
    """Refuse a cache folder inside docs/ (`caches`: mkdocs.yml setting -> folder): the next
    build would publish it as static files, and the notebook cache holds every cell's outputs,
    the solutions' among them, whatever their date."""
    for setting, folder in caches.items():
        if folder.resolve().is_relative_to(docs.resolve()):
            raise BuildError(
                f"mkdocs.yml: plugins.coursebook.{setting}: {folder} is inside docs/, whose "
                "files are published: the cache holds the notebooks' outputs, solutions "
                "included. Put it outside docs/ (the default is under .cache/)"
            )
