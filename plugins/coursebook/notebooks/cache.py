"""On-disk cache of executed notebooks, keyed by what decides their outputs.

The key covers the code cells (source and execution tags), the kernel, the bytes of the files
the notebook declares it depends on, and a fingerprint of the environment. Markdown cells and
render options are not in it: editing them re-renders from the cache and executes nothing.
Entries hold only outputs, grafted onto the current notebook's code cells on a hit.

Beside the entries, `timings/` keeps each notebook's last run time (by path), which the
sharded `execute` command uses to balance machines. Being content-addressed, caches filled on
different machines merge by copying files (`merge_caches`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic_write import write_atomically
from .notebook import Notebook, cell_source, code_cells

# Tags that change how a cell executes, so they are part of the key.
EXECUTION_TAGS = ("raises-exception", "skip-execution")
CACHE_FORMAT = 1


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

    def record_seconds(self, uri: str, seconds: float) -> None:
        """Remember how long the notebook at `uri` took to execute, for balancing shards."""
        _write_json_atomically(self._timing_path(uri), {"uri": uri, "seconds": round(seconds, 3)})

    def last_seconds(self, uri: str) -> float | None:
        try:
            stored = json.loads(self._timing_path(uri).read_text(encoding="utf-8"))
            return float(stored["seconds"]) if stored.get("uri") == uri else None
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged timing is only a worse guess for the split


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


@dataclass
class MergeReport:
    copied: int = 0
    identical: int = 0
    conflicts: list[str] = field(default_factory=list)


def merge_caches(sources: list[Path], into: Path) -> MergeReport:
    """Copy every entry and timing of `sources` into the cache folder `into`.

    Entries are named by the hash of everything that decides a notebook's outputs, so two
    files of the same name are two executions of the same inputs. When their bytes differ
    (outputs that are not deterministic: timings printed, random numbers without a seed), the
    entry already in `into` is kept and the name is reported as a conflict: either is a
    faithful run, and keeping the first makes the merge independent of how often it runs.
    """
    report = MergeReport()
    for source in sources:
        for path in sorted(source.rglob("*.json")):
            relative = path.relative_to(source)
            target = into / relative
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                report.copied += 1
            elif target.read_bytes() == path.read_bytes():
                report.identical += 1
            else:
                report.conflicts.append(relative.as_posix())
    return report
