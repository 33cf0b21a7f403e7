"""The course: every lecture's validated front matter, in schedule order, with its readings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .lectures import LectureSource, is_lecture_page, read_lectures
from .problems import Problem

if TYPE_CHECKING:
    # Imported where used: a warm build (the snapshot reused) never needs pydantic, whose
    # import alone costs a tenth of a second and megabytes (see pages/snapshot.py).
    from .bibtex import Bibliography
    from .readings import ReadingList
    from .term import Term, TermSource


@dataclass
class Course:
    """Everything the generated pages need, built from all lectures at once."""

    lectures: list[LectureSource]
    readings: ReadingList
    problems: list[Problem]
    # Worth telling the author, but not wrong (the build goes on in --strict mode).
    notes: list[str] = field(default_factory=list)
    # The term (course.yml and the assignment pages), when the course has one.
    term: Term | None = None


def build_course(
    pages: list[tuple[str, str, str]],
    *,
    bibliography: Bibliography | None,
    bib_file: str,
    existing_uris: set[str],
    term: TermSource | None = None,
) -> Course:
    """Validate every lecture, merge readings (inline and from the .bib), check notebook paths;
    collect every problem rather than stopping at the first."""
    from .readings import build_reading_list

    lectures, problems = read_lectures(pages)
    if bibliography is not None:
        problems += bibliography.problems
    readings, found = build_reading_list(lectures, bibliography, bib_file)
    problems += found
    for lecture in lectures:
        for index, notebook in enumerate(lecture.meta.notebooks):
            if notebook not in existing_uris:
                problems.append(
                    Problem(lecture.file, f"notebooks[{index}]", f"no file {notebook!r} in docs/")
                )
    found_term = None
    if term is not None and (term.text is not None or term.pages):
        from .term_checks import read_term

        found_term, found = read_term(term, lectures, existing_uris)
        problems += found
    return Course(lectures, readings, problems, readings.notes, found_term)


# The lectures alone live in course/lectures.py (the reading list needs them, and the course
# needs the reading list); they are named here too, as part of the course.
__all__ = ["Course", "LectureSource", "build_course", "is_lecture_page", "read_lectures"]
