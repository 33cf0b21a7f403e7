"""What the stripping took out of a page or a notebook, found by comparing the text before
and after it: whatever marks a solution (admonitions, BEGIN/END blocks, tags, the formats to
come), the lines it removed or replaced are the withheld text, and the guard needs no
knowledge of the markers."""

from __future__ import annotations

import difflib
from typing import Any

from ..course.withheld import WithheldText


def removed_runs(before: str, after: str) -> list[tuple[int, str]]:
    """(first line number, text) of each run of lines of `before` that `after` lost or
    replaced."""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    # Only the part between the first and the last change is compared: difflib's cost grows
    # with the square of the lines it is given when lines repeat (blank lines always do).
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    old_middle, new_middle = old[start : len(old) - end], new[start : len(new) - end]
    matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=False)
    return [
        (start + first + 1, "".join(old_middle[first:last]))
        for kind, first, last, _, _ in matcher.get_opcodes()
        if kind in ("replace", "delete")
    ]


def removed_from_page(
    before: str, after: str, shown: str, file_text: str = ""
) -> list[WithheldText]:
    """What stripping `before` (a page's Markdown) into `after` withheld, named by line of
    the page's file (`file_text`, front matter included: the Markdown MkDocs hands plugins
    starts after it)."""
    withheld = []
    for number, text in removed_runs(before, after):
        first = text.splitlines()[0] if text.strip() else ""
        found = file_text.find(first) if first.strip() else -1
        line = file_text.count("\n", 0, found) + 1 if found >= 0 else number
        withheld.append(WithheldText(f"{shown}: line {line}", text))
    return withheld


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def removed_from_notebook(
    before: dict[str, Any], after: dict[str, Any], shown: str
) -> list[WithheldText]:
    """What the student version `after` withheld of the notebook `before`, named by cell and
    line. Cells are matched by their sources, so a stripping that drops whole cells is read
    right too."""
    old = [_source(cell) for cell in before.get("cells", [])]
    new = [_source(cell) for cell in after.get("cells", [])]
    withheld = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for kind, start, end, new_start, new_end in matcher.get_opcodes():
        if kind not in ("replace", "delete"):
            continue
        for index in range(start, end):
            # A replaced cell is compared with the student cell in its place, if any.
            paired = new_start + index - start
            student = new[paired] if kind == "replace" and paired < new_end else ""
            for number, text in removed_runs(old[index], student):
                withheld.append(WithheldText(f"{shown}: cell {index + 1}, line {number}", text))
    return withheld


def notebook_sources(nb: dict[str, Any]) -> str:
    """The cells' sources of a notebook as published (not its outputs: an output may quote a
    solution, and is no proof that the solution is public)."""
    return "\n".join(_source(cell) for cell in nb.get("cells", []))
