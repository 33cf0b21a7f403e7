"""Join execution caches that other machines filled (CI shards, a GPU runner, a restored CI
cache) into this machine's cache, trusting none of them.

What is accepted:

- only the cache's own layout: `<sha-256>.json` entries at the top and `timings/<name>.json`
  records; anything else (a folder, a symbolic link, JSON at another depth, a leftover
  temporary file) is refused, and nothing is ever read through a link;
- an entry only under a name the course's notebooks hash to now (the key covers their code,
  kernel, `depends` files and environment), or the last run of a notebook labelled for another
  machine; other entries (older versions, other environments) are skipped, not copied;
- an entry only if it has the shape of a cache entry: one list of outputs per code cell of
  that notebook, each output valid under nbformat's v4 output schema, and an execution count
  (an integer or null) per cell.

What no merge can check: that the outputs are the ones the notebook's code produces. An entry
with the right name and shape that a machine made up (an HTML output with a `<script>`, say)
is indistinguishable from a real run without running the notebook again. The outputs are as
trustworthy as the machines that can write the caches merged here: the repository's own
workflow jobs on its main branch, which run the notebooks' code anyway.

A refused file is reported with its path and why; the rest is still merged, and the command
exits non-zero so that CI stops rather than publish around it. The folder merged into is this
machine's own and is not checked (the deploy merges into an empty one, the restored cache
being one of the sources).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..atomic_write import write_atomically
from .cache import ENTRY_KEY

TIMING_NAME = re.compile(r"[0-9a-f]{24}\.json")
# Far above any real notebook's outputs (a cell's output is not capped elsewhere yet), and
# a bound on what one file can make this process read.
MAX_FILE_BYTES = 256 * 1024 * 1024
OUTPUT_TYPES = ("execute_result", "display_data", "stream", "error")


@dataclass(frozen=True)
class Wanted:
    """What the course can use: each notebook's current key and code-cell count, and which
    notebooks' last runs (timings) are worth keeping."""

    entries: dict[str, tuple[str, int]]  # key -> (notebook uri, number of code cells)
    uris: frozenset[str]


@dataclass
class MergeReport:
    copied: int = 0
    identical: int = 0
    skipped: int = 0  # well-placed entries that no notebook of the course uses now
    conflicts: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "<path>: <why>"


class Refused(Exception):
    """One file of a source cache that is not accepted; the message says why."""


def merge_caches(sources: list[Path], into: Path, wanted: Wanted) -> MergeReport:
    report = MergeReport()
    files = [found for source in sources for found in _layout(source, report)]
    # Timings first: the last run of each notebook names an entry worth keeping.
    timings: dict[str, tuple[float, bytes, dict]] = {}  # file name -> (finished, bytes, record)
    for path in (path for path, kind in files if kind == "timing"):
        try:
            data = _read_regular_file(path)
            record = _check_timing(path.name, data)
        except Refused as refusal:
            report.refused.append(f"{path}: {refusal}")
            continue
        if record["uri"] not in wanted.uris:
            report.skipped += 1
        elif path.name not in timings or record["finished"] > timings[path.name][0]:
            # The later of two runs wins: it says where the notebook's latest outputs are.
            timings[path.name] = (record["finished"], data, record)
    last_runs = {r["key"]: r["uri"] for _, _, r in timings.values() if r.get("key")}
    for path in (path for path, kind in files if kind == "entry"):
        key = path.name.removesuffix(".json")
        if key in wanted.entries:
            uri, code_cells = wanted.entries[key]
        elif key in last_runs:
            uri, code_cells = last_runs[key], None
        else:
            report.skipped += 1
            continue
        try:
            data = _read_regular_file(path)
            _check_entry(data, uri, code_cells)
        except Refused as refusal:
            report.refused.append(f"{path}: {refusal}")
            continue
        _place(into / path.name, data, report)
    for name, (_, data, _) in sorted(timings.items()):
        write_atomically(into / "timings" / name, data)
    return report


def _layout(source: Path, report: MergeReport):
    """(path, "entry" | "timing") for each file in the cache layout, timings first (entries
    that are a notebook's last run are recognised by them); the rest refused."""
    entries, timing_files = [], []
    for item in sorted(os.scandir(source), key=lambda e: e.name):
        path = Path(item.path)
        if item.is_symlink():
            report.refused.append(f"{path}: a symbolic link; a cache holds only plain files")
        elif item.name == "timings" and item.is_dir(follow_symlinks=False):
            for timing in sorted(os.scandir(item.path), key=lambda e: e.name):
                timing_path = Path(timing.path)
                if timing.is_symlink():
                    report.refused.append(
                        f"{timing_path}: a symbolic link; a cache holds only plain files"
                    )
                elif TIMING_NAME.fullmatch(timing.name) and timing.is_file(follow_symlinks=False):
                    timing_files.append((timing_path, "timing"))
                else:
                    report.refused.append(f"{timing_path}: {_NOT_LAYOUT}")
        elif (
            item.name.endswith(".json")
            and ENTRY_KEY.fullmatch(item.name.removesuffix(".json"))
            and item.is_file(follow_symlinks=False)
        ):
            entries.append((path, "entry"))
        else:
            report.refused.append(f"{path}: {_NOT_LAYOUT}")
    return timing_files + entries


_NOT_LAYOUT = "not part of a notebook cache (<sha-256>.json entries and timings/<name>.json only)"


def _read_regular_file(path: Path) -> bytes:
    # O_NOFOLLOW: the file cannot be swapped for a link between the listing and the read.
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        raise Refused(f"cannot be read: {error.strerror}") from error
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not a plain file")
        if info.st_size > MAX_FILE_BYTES:
            raise Refused(f"{info.st_size} bytes, more than the {MAX_FILE_BYTES} allowed")
        return stream.read(MAX_FILE_BYTES + 1)


def _json(data: bytes):
    try:
        return json.loads(
            data.decode("utf-8"), parse_constant=_not_json_number, parse_float=_finite
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise Refused(f"not JSON: {error}") from error
    except RecursionError as error:  # Python's reader recurses once per nesting level
        raise Refused("not JSON: nested too deeply") from error


def _not_json_number(name: str):
    # Python reads NaN and Infinity, which JSON does not have: a notebook written with one
    # is not JSON for Jupyter or a browser, and a NaN passes every comparison check.
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 reads as infinity, then written back as Infinity
        raise ValueError(f"{text} is too large a number")
    return value


def _check_timing(name: str, data: bytes) -> dict:
    """The run recorded in a timing file, checked; `finished` is 0 when not recorded."""
    record = _json(data)
    if not isinstance(record, dict) or not isinstance(record.get("uri"), str):
        raise Refused('a timing must be an object with a "uri"')
    uri = record["uri"]
    if hashlib.sha256(uri.encode("utf-8")).hexdigest()[:24] + ".json" != name:
        raise Refused(f"the timing of {uri!r} is filed under another notebook's name")
    record.setdefault("finished", 0)
    for label in ("seconds", "finished"):
        value = record.get(label)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise Refused(f"{label}: expected a number of seconds, got {value!r}")
    key = record.get("key")
    if key is not None and not (isinstance(key, str) and ENTRY_KEY.fullmatch(key)):
        raise Refused(f"key: expected a cache key (64 hex digits), got {key!r}")
    return record


def _check_entry(data: bytes, uri: str, code_cells: int | None) -> None:
    """Refuse an entry that does not have the shape of one for notebook `uri`. The cell count
    of a last run's entry is not checked here (the notebook may have changed since; the
    build falls back to it only if it still fits)."""
    entry = _json(data)
    if not isinstance(entry, dict) or set(entry) != {"outputs", "execution_counts"}:
        raise Refused('an entry must be an object with exactly "outputs" and "execution_counts"')
    outputs, counts = entry["outputs"], entry["execution_counts"]
    if not isinstance(outputs, list) or not isinstance(counts, list):
        raise Refused('"outputs" and "execution_counts" must be lists')
    if len(outputs) != len(counts):
        raise Refused(f"{len(outputs)} lists of outputs but {len(counts)} execution counts")
    if code_cells is not None and len(outputs) != code_cells:
        raise Refused(
            f"outputs for {len(outputs)} code cells, but {uri} has {code_cells}: "
            "not an entry of this notebook"
        )
    for number, count in enumerate(counts):
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
            raise Refused(f"execution_counts[{number}]: expected a number or null, got {count!r}")
    for number, cell_outputs in enumerate(outputs):
        if not isinstance(cell_outputs, list):
            raise Refused(f"outputs[{number}]: expected a list of outputs")
        for index, output in enumerate(cell_outputs):
            problem = output_problem(output)
            if problem:
                raise Refused(f"outputs[{number}][{index}]: {problem} (nbformat v4 output schema)")


def output_problem(output) -> str | None:
    """Why `output` is not a valid nbformat v4 output, or None."""
    import jsonschema  # nbformat's own dependency; only a merge needs it

    if not isinstance(output, dict):
        return f"expected an output object, got {type(output).__name__}"
    kind = output.get("output_type")
    if kind not in OUTPUT_TYPES:
        return f"output_type: expected one of {', '.join(OUTPUT_TYPES)}, got {kind!r}"
    error = jsonschema.exceptions.best_match(_validator(kind).iter_errors(output))
    if error is None:
        return None
    where = "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message


@cache
def _validator(kind: str):
    import jsonschema
    import nbformat.v4

    schema_file = Path(nbformat.v4.__file__).parent / "nbformat.v4.5.schema.json"
    definitions = json.loads(schema_file.read_text(encoding="utf-8"))["definitions"]
    return jsonschema.Draft4Validator({"$ref": f"#/definitions/{kind}", "definitions": definitions})


def _place(target: Path, data: bytes, report: MergeReport) -> None:
    try:
        existing = _read_regular_file(target) if target.exists() else None
    except Refused:
        existing = None
    if existing is None:
        write_atomically(target, data)  # the bytes checked, not a second read of the source
        report.copied += 1
    elif existing == data:
        report.identical += 1
    else:
        # Two runs of the same inputs whose outputs differ (timings printed, unseeded random
        # numbers): either is faithful; keeping the first makes merging again change nothing.
        report.conflicts.append(target.name)
