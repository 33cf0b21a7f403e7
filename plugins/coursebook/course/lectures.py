"""The lectures of a course: each lecture page's validated front matter, in schedule order."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .frontmatter import FRONT_MATTER, read_front_matter
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


# Front-matter keys only a lecture has (course/schema.py `Lecture`, less what MkDocs and the
# theme read too). A page under the lectures glob is a lecture when its front matter has one:
# a schedule or notes kept beside the lectures are left alone.
LECTURE_ONLY_FIELDS = (
    "lecture",
    "date",
    "solutions",
    "topics",
    "summary",
    "notebooks",
    "slides",
    "slide_level",
    "video",
    "papers",
    "criteria",
)
_LECTURE_FIELD = re.compile(r"^(?:" + "|".join(LECTURE_ONLY_FIELDS) + r")[ \t]*:", re.MULTILINE)
_OPENING = re.compile(r"\A---[ \t]*\r?\n")
_FIRST_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def declares_lecture(text: str) -> bool:
    """Whether a page (its text, or its front matter as `pages/snapshot.py` `front_matter_of`
    gives it) says it is a lecture: a top-level key of its front matter only lectures have.
    Read without YAML, as every build does this for every page under the glob. A front
    matter that does not close says nothing clear, so it counts (and its problem is
    reported)."""
    found = FRONT_MATTER.match(text)
    if found is None:
        return bool(_OPENING.match(text))
    return bool(_LECTURE_FIELD.search(found.group(0)))


def first_heading(body: str) -> str | None:
    """The text of a page's first `# ` heading, which titles a lecture without `title`."""
    found = _FIRST_H1.search(body)
    return found.group(1).strip() if found else None


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
        if "title" not in data:
            # A lecture page without `title` is titled by its heading, as MkDocs titles it.
            opening = FRONT_MATTER.match(text)
            heading = first_heading(text[opening.end() :] if opening else text)
            if heading:
                data = {**data, "title": heading}
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
