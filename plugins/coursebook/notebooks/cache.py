"""On-disk cache of executed notebooks, keyed by what decides their outputs.

The key covers the code cells (source and execution tags), the kernel, the bytes of the files
the notebook declares it depends on, and a fingerprint of the environment. Markdown cells and
render options are not in it: editing them re-renders from the cache and executes nothing.
Entries hold only outputs, grafted onto the current notebook's code cells on a hit.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import nbformat

# Tags that change how a cell executes, so they are part of the key.
EXECUTION_TAGS = ("raises-exception", "skip-execution")
CACHE_FORMAT = 1


def notebook_cache_key(
    nb: nbformat.NotebookNode,
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
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        tags = sorted(t for t in cell.get("metadata", {}).get("tags", []) if t in EXECUTION_TAGS)
        feed("cell", source)
        feed("tags", ",".join(tags))
    for name in sorted(dependencies):
        feed("file", name)
        feed("content", dependencies[name])
    return digest.hexdigest()


class NotebookCache:
    """Executed outputs stored as `<key>.json` under `folder`; safe to delete at any time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def load(self, key: str, nb: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
        """A copy of `nb` with the cached outputs, or None on a miss or an unreadable entry."""
        try:
            stored = json.loads(self._path(key).read_text(encoding="utf-8"))
            outputs = stored["outputs"]
            counts = stored["execution_counts"]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            # A corrupted entry only costs a re-execution; it is overwritten below.
            return None
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        if len(outputs) != len(code_cells) or len(counts) != len(code_cells):
            return None
        result = nbformat.from_dict(json.loads(json.dumps(nb)))
        for cell, cell_outputs, count in zip(
            (c for c in result.cells if c.cell_type == "code"), outputs, counts, strict=True
        ):
            cell.outputs = [nbformat.from_dict(o) for o in cell_outputs]
            cell.execution_count = count
        return result

    def store(self, key: str, executed: nbformat.NotebookNode) -> None:
        """Save the outputs of a successfully executed notebook (atomically)."""
        code_cells = [c for c in executed.cells if c.cell_type == "code"]
        payload = {
            "outputs": [c.get("outputs", []) for c in code_cells],
            "execution_counts": [c.get("execution_count") for c in code_cells],
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(payload, stream)
            os.replace(temporary, self._path(key))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
