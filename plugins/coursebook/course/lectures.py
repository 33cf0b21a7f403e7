"""The lectures of a course: each lecture page's validated front matter, in schedule order."""

from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .frontmatter import read_front_matter
from .problems import Problem

if TYPE_CHECKING:
    # Imported where used: a warm build (the snapshot reused) never needs pydantic, whose
    # import alone costs a tenth of a second and megabytes (see pages/snapshot.py).
    from .schema import Lecture


@dataclass(frozen=True)
class LectureSource:
    """One lecture page as the course sees it: where it lives and what it says."""

    file: str  # path shown in messages, e.g. docs/lectures/02-theory.md
    src_uri: str  # path inside docs/, e.g. lectures/02-theory.md
    meta: Lecture

    @property
    def label(self) -> str:
        return f"Lecture {self.meta.lecture}"


def is_lecture_page(src_uri: str, pattern: str) -> bool:
    """Lecture pages match the `lectures` glob; a folder's index page never is one."""
    return fnmatch.fnmatch(src_uri, pattern) and posixpath.basename(src_uri) not in (
        "index.md",
        "README.md",
    )


def read_lectures(
    pages: list[tuple[str, str, str]],
) -> tuple[list[LectureSource], list[Problem]]:
    """Validate `(file, src_uri, text)` triples; return lectures in schedule order + problems."""
    from .validation import validate_lecture

    lectures: list[LectureSource] = []
    problems: list[Problem] = []
    for file, src_uri, text in pages:
        data, found = read_front_matter(text, file)
        problems += found
        if found:
            continue
        lecture, found = validate_lecture(data, file)
        problems += found
        if lecture is not None:
            lectures.append(LectureSource(file, src_uri, lecture))
    lectures.sort(key=lambda lecture: (lecture.meta.lecture, lecture.meta.date))
    seen: dict[int, LectureSource] = {}
    for lecture in lectures:
        number = lecture.meta.lecture
        if number in seen:
            problems.append(
                Problem(
                    lecture.file,
                    "lecture",
                    f"lecture number {number} is already used by {seen[number].file}",
                )
            )
        seen[number] = lecture
    return lectures, problems
