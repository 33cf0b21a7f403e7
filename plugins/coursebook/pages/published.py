"""Which lectures a build published into a site folder, kept in coursebook's cache (one record
per site folder) so that `python -m coursebook handouts` prints and counts exactly those: no
draft, `exclude_docs` page or lecture left out of a nav the course wrote, as the build decided
(not derived again from mkdocs.yml by the command line)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..atomic_write import write_atomically

FOLDER = "published"  # in coursebook's cache folder


def _record(cache: Path, site_dir: Path) -> Path:
    name = hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:24]
    return cache / FOLDER / f"{name}.json"


def record_lectures(cache: Path, site_dir: Path, src_uris: list[str]) -> None:
    """Keep the source URIs of the lectures a build of `site_dir` publishes."""
    record = _record(cache, site_dir)
    data = {"site_dir": str(site_dir.resolve()), "lectures": sorted(src_uris)}
    text = json.dumps(data, indent=1)
    if record.exists() and record.read_text(encoding="utf-8") == text:
        return  # a warm build: nothing to write
    write_atomically(record, text.encode("utf-8"))
    # `mkdocs serve` builds into a new temporary folder each time it starts: records of
    # folders that are gone go (not this one: its folder is made later in the build).
    for other in record.parent.glob("*.json"):
        if other == record:
            continue
        try:
            folder = json.loads(other.read_text(encoding="utf-8")).get("site_dir")
        except (OSError, ValueError, AttributeError):
            folder = None
        if not folder or not Path(folder).exists():
            other.unlink(missing_ok=True)


def published_lectures(cache: Path, site_dir: Path) -> set[str] | None:
    """The lectures the last build of `site_dir` published; None when no build recorded any."""
    try:
        data = json.loads(_record(cache, site_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    lectures = data.get("lectures") if isinstance(data, dict) else None
    return set(lectures) if isinstance(lectures, list) else None
