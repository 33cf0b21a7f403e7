"""What the stripping took out of a page or a notebook, as WithheldText records for the leak
guard, found by comparing the text as written with its student version.

Comparing rather than asking each marker's stripper keeps this true of every marker format
(admonitions, BEGIN/END blocks, one-line solutions, tagged cells, grader formats added later):
whatever the student version lacks is what was withheld."""

from __future__ import annotations

import difflib
from typing import Any

from .withheld import WithheldText

Notebook = dict[str, Any]


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def removed_runs(before: str, after: str) -> list[tuple[int, str]]:
    """(first line number, text) of each run of lines of `before` that `after` lacks."""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    runs = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, start, end, _new_start, _new_end in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            text = "".join(old[start:end])
            if text.strip():
                runs.append((start + 1, text))
    return runs


def withheld_from_text(name: str, before: str, after: str) -> list[WithheldText]:
    """The runs of lines `after` (the student version of a page) lacks; `name` is the file as
    shown in messages."""
    return [
        WithheldText(f"{name}: line {line}", text) for line, text in removed_runs(before, after)
    ]


def withheld_from_notebook(name: str, before: Notebook, after: Notebook) -> list[WithheldText]:
    """The source lines each cell of `after` (the student notebook) lacks, cell by cell. Cells
    are matched by position: the student version keeps every cell in its place."""
    found = []
    cells_after = after.get("cells", [])
    for index, cell in enumerate(before.get("cells", []), start=1):
        source = _source(cell)
        kept = _source(cells_after[index - 1]) if index - 1 < len(cells_after) else ""
        if source == kept:
            continue
        for line, text in removed_runs(source, kept):
            found.append(WithheldText(f"{name}: cell {index}, line {line}", text))
    return found
