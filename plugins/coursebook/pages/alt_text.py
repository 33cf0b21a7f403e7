"""The images of a Markdown page written without alt text, each named by file and line (a
problem: a strict build fails). Any page of the site, not only lectures: every page is
published, and a reader of the syllabus or a help page needs the text alternative as much."""

from __future__ import annotations

import re
from collections import Counter

from ..course.fences import split_lines, superfences_code_lines
from ..notebooks.image_alt import images_without_alt, line_of


def page_alt_problems(markdown: str, where: str, first_line: int = 1) -> list[str]:
    """`where: line N: ...` for each image of `markdown` without alt text (see image_alt.py);
    `first_line`: the file's line the Markdown starts at (after the front matter). Code, in
    fences or backticks, is not looked at: an image shown as code is no image."""
    if "![" not in markdown and "<img" not in markdown.lower():
        return []  # most pages: no scan at all
    lines = split_lines(markdown)
    code = superfences_code_lines(markdown)
    text = "".join(
        re.sub(r"[^\r\n]", " ", line) if number in code else line
        for number, line in enumerate(lines)
    )
    return [
        f"{where}: line {line_of(text, found.offset) + first_line - 1}: {found.message()}"
        for found in images_without_alt(text)
    ]


def included_alt_problems(
    markdown: str, expanded: str, where: str, first_line: int = 1
) -> list[str]:
    """The problems of the images a page's snippet includes (`--8<--`) bring in: those of
    `expanded` (the page with its includes expanded, pages/includes.py) that the page's own
    Markdown does not have, named `where (includes expanded): line N`, as the solutions
    check names them; the page's own images are reported by their file's line."""
    own = Counter(_without_line(p) for p in page_alt_problems(markdown, where, first_line))
    found = []
    for problem in page_alt_problems(expanded, f"{where} (includes expanded)", first_line):
        key = _without_line(problem)
        if own[key]:
            own[key] -= 1
        else:
            found.append(problem)
    return found


def _without_line(problem: str) -> str:
    """What a problem says of its image, without where it is."""
    return problem.split(": line ", 1)[1].split(": ", 1)[1]
