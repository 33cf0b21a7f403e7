"""Create a new lecture page (and optionally its starter notebook) with valid front matter."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .course.lectures import LectureSource

WEEK = dt.timedelta(days=7)


class ScaffoldError(Exception):
    """A lecture could not be created; the message says why and what to do."""


@dataclass(frozen=True)
class Scaffolded:
    lecture: Path
    notebook: Path | None
    number: int


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:60].rstrip("-") or "lecture"


def lecture_page(title: str, number: int, date: dt.date, notebook_uri: str | None) -> str:
    front_matter = {"title": title, "lecture": number, "date": date}
    if notebook_uri:
        # The notebook's exercise: its solution is published a week after the lecture.
        front_matter["solutions"] = date + WEEK
    front_matter["topics"] = []
    if notebook_uri:
        front_matter["notebooks"] = [notebook_uri]
    front_matter["papers"] = []
    header = yaml.safe_dump(front_matter, sort_keys=False, allow_unicode=True)
    heading = title.replace("<", "&lt;")
    return (
        f"---\n{header}---\n\n# {heading}\n\n"
        "What students should know and do before and after this lecture.\n\n"
        "<!-- coursebook:readings -->\n\n"
        "## First section\n\nLecture notes go here.\n"
    )


def starter_notebook(title: str, lecture_uri_from_notebook: str) -> str:
    notebook = {
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": f"# {title}: notebook\n\n"
                f"Companion to [the lecture]({lecture_uri_from_notebook}).",
            },
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": "import numpy as np\n\nprint(np.arange(3))",
            },
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": "## Exercise 1\n\n"
                "Write `mean_square(x)`, the mean of the squares of the numbers in `x`. "
                # No marker words here: in a Markdown cell they would mark a solution too.
                "(The solution below is on the site from the lecture's `solutions` date; "
                "until then the site shows a gap.)",
            },
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": "def mean_square(x):\n"
                "    ### BEGIN SOLUTION\n"
                "    return float(np.mean(np.square(x)))\n"
                "    ### END SOLUTION\n"
                "\n"
                "\n"
                "print(mean_square([1, 2, 3]))",
            },
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def next_number(published: list[LectureSource], existing: list[LectureSource]) -> int:
    """The number after the last published lecture, passing over any a draft, an excluded or
    an unlisted lecture holds (it would clash the day that one is published)."""
    held = {lec.meta.lecture for lec in existing}
    number = max((lec.meta.lecture for lec in published), default=0) + 1
    while number in held:
        number += 1
    return number


def held_by_drafts(
    number: int, published: list[LectureSource], existing: list[LectureSource]
) -> list[LectureSource]:
    """The unpublished lectures whose numbers `next_number` passed over to reach `number`."""
    after = max((lec.meta.lecture for lec in published), default=0)
    uris = {lec.src_uri for lec in published}
    return sorted(
        (lec for lec in existing if lec.src_uri not in uris and after < lec.meta.lecture < number),
        key=lambda lec: lec.meta.lecture,
    )


def new_lecture(
    docs_dir: Path,
    lectures_glob: str,
    existing: list[LectureSource],
    *,
    title: str,
    number: int | None = None,
    date: dt.date | None = None,
    notebook: bool = False,
    today: dt.date | None = None,
    published: set[str] | None = None,
) -> Scaffolded:
    """Write the new lecture (and notebook); refuse to overwrite or to reuse a number.
    `existing`: every lecture, drafts too; `published`: the source URIs of those a build
    publishes (None: all), which the new lecture follows."""
    title = title.strip()
    if not title:
        raise ScaffoldError("the title is empty")
    shown = [lec for lec in existing if published is None or lec.src_uri in published]
    if number is None:
        number = next_number(shown, existing)
    if number < 0:
        raise ScaffoldError(f"--number must be 0 or more, got {number}")
    clash = next((lec for lec in existing if lec.meta.lecture == number), None)
    if clash is not None:
        raise ScaffoldError(f"lecture number {number} is already used by {clash.file}")
    if date is None:
        latest = max((lec.meta.date for lec in shown), default=None)
        date = latest + WEEK if latest else (today or dt.date.today())
    folder = posixpath.dirname(lectures_glob) or "."
    slug = slugify(title)
    lecture_uri = posixpath.normpath(posixpath.join(folder, f"{number:02d}-{slug}.md"))
    notebook_uri = f"notebooks/lecture-{number:02d}-{slug}.ipynb" if notebook else None
    targets = [docs_dir / lecture_uri] + ([docs_dir / notebook_uri] if notebook_uri else [])
    for target in targets:
        if target.exists():
            raise ScaffoldError(f"{target} already exists; not overwriting it")
    lecture_path = docs_dir / lecture_uri
    lecture_path.parent.mkdir(parents=True, exist_ok=True)
    lecture_path.write_text(lecture_page(title, number, date, notebook_uri), encoding="utf-8")
    notebook_path = None
    if notebook_uri:
        notebook_path = docs_dir / notebook_uri
        notebook_path.parent.mkdir(parents=True, exist_ok=True)
        relative = posixpath.relpath(lecture_uri, posixpath.dirname(notebook_uri))
        notebook_path.write_text(starter_notebook(title, relative), encoding="utf-8")
    return Scaffolded(lecture_path, notebook_path, number)
