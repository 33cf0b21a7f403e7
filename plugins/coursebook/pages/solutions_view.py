"""`mkdocs build --dirty` and the solutions: which view of the solutions each site folder was
last built with, so that a dirty build never keeps pages of another view.

`--dirty` rebuilds only the pages whose source is newer than their page in the site. A lecture
page built with `COURSEBOOK_SOLUTIONS=show` (or on a release day) is older than nothing a later
build changes, so a later `--dirty` student build would keep it, solutions and all, and a text
notebook's source copied then would stay beside it. Making MkDocs rebuild those pages would
need to mark files modified behind its back (or to write into docs/); instead, a dirty build
into a folder last built with another view is refused, with what to do: the view of a build
is recorded (in the cache folder, one record per site folder) before any page is written, so
even a build that failed half-way is known. A view is the mode (`show`, `hide`, `auto`) and, in
`auto`, the release dates already reached."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from ..atomic_write import write_atomically
from ..course.solutions import is_released

FOLDER = "solutions-view"  # in coursebook's cache folder: one record per site folder


class DirtyBuildRefused(RuntimeError):
    """A `--dirty` build into a site folder last built with another solutions view."""


def solutions_view(mode: str, today: dt.date, dates: Iterable[dt.date]) -> dict:
    """What a build's pages show of the solutions: forced by `mode`, else the dates reached."""
    if mode != "auto":
        return {"mode": mode}
    reached = sorted({day.isoformat() for day in dates if is_released(day, today, mode)})
    return {"mode": mode, "released": reached}


def describe(view: dict) -> str:
    if view.get("mode") != "auto":
        return f"COURSEBOOK_SOLUTIONS={view.get('mode')}"
    released = view.get("released") or []
    return "by date, " + (
        f"solutions of {', '.join(released)} released" if released else "none released"
    )


def _record(cache: Path, site_dir: Path) -> Path:
    name = hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:24]
    return cache / FOLDER / f"{name}.json"


def _read(record: Path) -> dict | None:
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def check_and_record(cache: Path, site_dir: Path, view: dict, dirty: bool) -> None:
    """Record `view` as that of `site_dir`; for a dirty build, first refuse one whose folder
    holds pages of another view (or of a build that recorded none)."""
    record = _record(cache, site_dir)
    if dirty:
        last = (_read(record) or {}).get("view")
        has_pages = site_dir.is_dir() and any(site_dir.iterdir())
        if has_pages and last != view:
            was = describe(last) if isinstance(last, dict) else "an unknown solutions view"
            raise DirtyBuildRefused(
                f"coursebook: --dirty refused: {site_dir} was last built with {was}, this build "
                f"is {describe(view)}; the pages --dirty would skip would keep the other view "
                "(solutions published before their date, or missing after it). Build once "
                "without --dirty."
            )
    # The records of site folders that are gone (`mkdocs serve` builds into a new temporary
    # folder each time it starts) go.
    for other in record.parent.glob("*.json") if record.parent.is_dir() else []:
        folder = (_read(other) or {}).get("site_dir")
        if other != record and not (isinstance(folder, str) and Path(folder).is_dir()):
            other.unlink(missing_ok=True)
    data = {"site_dir": str(site_dir.resolve()), "view": view}
    write_atomically(record, json.dumps(data).encode())
