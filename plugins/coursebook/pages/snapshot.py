"""Keep what coursebook makes from the lectures' front matter between builds: the validated
course, its generated pages and its exports, keyed by everything they are made from.

A rebuild where no front matter, bibliography, setting, template or coursebook file changed
(editing a lecture's prose, a notebook, the theme) loads one file instead of parsing YAML,
validating with pydantic and rendering the reading list again. On a course of hundreds of
lectures that work is most of coursebook's share of a build. Any change to the inputs is a
new key; a missing or unreadable snapshot only means the work is done again.

The snapshot holds plain objects only (`Snapshot`): the validated course (pydantic models,
every paper) is kept in a file of its own and read only when something must be rendered
again from it (a listing not yet cached). Unpickling the course imports pydantic and holds
every paper in memory: at 500 lectures and 5,000 papers that was a tenth of a second and
30 MiB of every warm build. What each deck takes from the course is kept apart as well, as
plain data, and read only when a deck must be made again (its page changed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..cache_files import cached_bytes, cached_text, load_snapshot, prune, store_snapshot
from ..course.frontmatter import FRONT_MATTER
from .blocks import HeldBlocks, LectureBlocks

SNAPSHOT_FORMAT = 6  # 6: the term's pages, and the assignment pages' solution dates
# The whole coursebook package, not only pages/: a change to any module or template is new code.
PACKAGE = Path(__file__).parent.parent


@dataclass(frozen=True)
class LectureInfo:
    """What a build needs of one lecture when the course itself is not loaded."""

    file: str  # path shown in messages, e.g. docs/lectures/02-theory.md
    src_uri: str
    number: int
    solutions: dt.date | None  # release day of the page's solutions


@dataclass(frozen=True)
class CourseSource:
    """What the course is made from, kept from the start of a build for when it must be made
    (the snapshot was there, but a listing or a deck must be rendered again)."""

    folder: Path  # where the course is stored, under `key`
    key: str
    pages: list[tuple[str, str, str]]  # (file, src_uri, front matter)
    bib_name: str
    bib_bytes: bytes | None
    existing_uris: set[str]
    term: object = None  # course/term.py TermSource, when the course has a term


@dataclass
class Snapshot:
    """What one build made from the front matter, in plain objects (no pydantic model)."""

    lectures: list[LectureInfo]  # in schedule order
    problems: list[str]
    notes: list[str]
    exports: dict[str, bytes]  # readings.bib, schedule.ics
    pages: dict[str, tuple[str, HeldBlocks]]  # generated page URI -> (Markdown, its blocks)
    lecture_blocks: dict[str, LectureBlocks]
    # Pages of assignments and milestones (their solutions date), as lectures are kept.
    work_pages: list[LectureInfo] = field(default_factory=list)


def _code_fingerprint() -> list[tuple[str, int, int]]:
    """coursebook's own modules and templates (by size and time): new code, new snapshot."""
    return sorted(
        (path.relative_to(PACKAGE).as_posix(), stat.st_mtime_ns, stat.st_size)
        for path in PACKAGE.rglob("*")
        if path.suffix in (".py", ".html", ".md") and (stat := path.stat())
    )


def code_key() -> str:
    """A hash of coursebook's own code and templates, for caches of what it renders."""
    return hashlib.sha256(json.dumps(_code_fingerprint()).encode()).hexdigest()


def _folder_fingerprint(folder: Path | None) -> list[tuple[str, int, int]]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(
        (path.relative_to(folder).as_posix(), stat.st_mtime_ns, stat.st_size)
        for path in folder.rglob("*")
        if path.is_file() and (stat := path.stat())
    )


TITLE_KEY = re.compile(r"^title[ \t]*:", re.MULTILINE)
FIRST_H1 = re.compile(r"^#[ \t]+.+$", re.MULTILINE)


def front_matter_of(text: str) -> str:
    """What of a lecture page the course is made from: its front matter (the whole text when
    it has none, or one that does not close, so that the problem is reported as it is), and
    its first `# ` heading when the front matter has no `title` (which it then stands for)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return text
    front = match.group(0)
    if TITLE_KEY.search(front) is None:
        heading = FIRST_H1.search(text, match.end())
        if heading:
            front += heading.group(0) + "\n"
    return front


def snapshot_key(
    pages: list[tuple[str, str, str]],
    *,
    bibliography: bytes | None,
    existing_uris: set[str],
    overrides: Path | None,
    settings: object,
    code: str,
) -> str:
    """Hash of the lectures' front matter, the .bib bytes, the site's file names, the
    template overrides, coursebook's code (`code_key()`), and `settings` (JSON-able)."""
    digest = hashlib.sha256()

    def feed(value: str | bytes) -> None:
        data = value.encode("utf-8") if isinstance(value, str) else value
        digest.update(f"{len(data)}:".encode())
        digest.update(data)

    feed(json.dumps([SNAPSHOT_FORMAT, code, _folder_fingerprint(overrides)]))
    feed(json.dumps(settings, sort_keys=True, default=str))
    for file, src_uri, front_matter in pages:
        feed(file)
        feed(src_uri)
        # The front matter only (`front_matter_of`): editing prose keeps the snapshot.
        feed(front_matter)
    feed(bibliography if bibliography is not None else b"\0none")
    feed("\n".join(sorted(existing_uris)))
    return digest.hexdigest()


# Kept here too: the cache files of every stage are read and written by the same functions.
__all__ = [
    "CourseSource",
    "LectureInfo",
    "Snapshot",
    "cached_bytes",
    "cached_text",
    "code_key",
    "front_matter_of",
    "load_snapshot",
    "prune",
    "snapshot_key",
    "store_snapshot",
]
