"""Notebooks as plain JSON dicts: reading them costs no nbformat import or schema validation
on the (common) path where every notebook comes from the cache."""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

Notebook = dict[str, Any]


TEXT_NOTEBOOK_SUFFIXES = (".py",)
PERCENT_CELL = re.compile(r"^# %%", re.MULTILINE)


def is_text_notebook(text: str) -> bool:
    """A Python file in jupytext's percent format: it has at least one `# %%` cell marker."""
    return bool(PERCENT_CELL.search(text))


def select_notebooks(
    uris: list[str], text_globs: list[str], read_text: Callable[[str], str]
) -> list[str]:
    """The site files that are notebooks: every `.ipynb`, and each `.py` under `text_globs` in
    percent format whose paired `.ipynb` (same name) is not there too."""
    taken = {uri for uri in uris if uri.endswith(".ipynb")}
    chosen = []
    for uri in uris:
        if uri in taken or (
            uri.endswith(TEXT_NOTEBOOK_SUFFIXES)
            and any(fnmatch.fnmatch(uri, pattern) for pattern in text_globs)
            and posixpath.splitext(uri)[0] + ".ipynb" not in taken
            and is_text_notebook(read_text(uri))
        ):
            chosen.append(uri)
    return chosen


def read_text_notebook(path: Path) -> Notebook:
    """A percent-format `.py` notebook, read by jupytext (imported only when there is one)."""
    import jupytext

    nb = jupytext.reads(path.read_text(encoding="utf-8"), fmt="py:percent")
    return json.loads(json.dumps(nb))  # plain dicts, as read_notebook returns


def read_notebook(path: Path) -> Notebook:
    """Read an .ipynb file (nbformat 4 directly, older formats upgraded by nbformat) or a
    percent-format .py notebook.

    Raises ValueError (with the reason) for a file that is not a notebook."""
    if path.suffix in TEXT_NOTEBOOK_SUFFIXES:
        return read_text_notebook(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg} at line {error.lineno})") from error
    if not isinstance(nb, dict):
        raise ValueError("not a notebook: the file holds no JSON object")
    if nb.get("nbformat") != 4:
        import nbformat  # upgrades v3 notebooks; rarely needed, so imported only then

        try:
            return nbformat.reads(json.dumps(nb), as_version=4)
        except Exception as error:  # nbformat raises a jsonschema error, a KeyError, ...
            reason = getattr(error, "message", None) or str(error)
            raise ValueError(f"not a notebook nbformat can read: {reason}") from error
    cells = nb.get("cells")
    if not isinstance(cells, list) or not all(
        isinstance(c, dict) and "cell_type" in c for c in cells
    ):
        raise ValueError("not a notebook: 'cells' must be a list of cells")
    check_cells(nb)
    return nb


class CellFormatError(ValueError):
    """A cell that breaks the notebook format in a way the build would trip on."""

    def __init__(self, cell: int, message: str) -> None:
        self.cell = cell  # numbered from 1, as Jupyter shows them
        self.message = message
        super().__init__(f"cell {cell}: {message}")


CELL_TYPES = ("code", "markdown", "raw")


def check_cells(nb: Notebook) -> None:
    """Raise CellFormatError for the first cell whose shape the build relies on is wrong:
    its type, its `source` (text or a list of lines), its `metadata` (a mapping), and a code
    cell's `outputs` (a list). Cheap enough for every build: nbformat's full schema check
    costs its import and a second or more on a big notebook, and is left to execution."""
    for number, cell in enumerate(nb["cells"], start=1):
        kind = cell.get("cell_type")
        if kind not in CELL_TYPES:
            raise CellFormatError(
                number, f"cell_type: expected code, markdown or raw, got {kind!r}"
            )
        source = cell.get("source", "")
        if not isinstance(source, str) and not (
            isinstance(source, list) and all(isinstance(line, str) for line in source)
        ):
            raise CellFormatError(
                number, f"source: expected text or a list of lines, got {_shown(source)}"
            )
        if "metadata" not in cell:
            raise CellFormatError(number, "metadata: missing (every cell has one, {} when empty)")
        if not isinstance(cell["metadata"], dict):
            raise CellFormatError(
                number, f"metadata: expected key: value pairs, got {_shown(cell['metadata'])}"
            )
        if kind == "code" and not isinstance(cell.get("outputs", []), list):
            raise CellFormatError(
                number, f"outputs: expected a list, got {_shown(cell['outputs'])}"
            )


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def code_cells(nb: Notebook) -> list[dict]:
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]


def notebooks_outside(root: Path, notebooks: list[tuple[Path, str]], shown: str) -> list[str]:
    """A problem for each `(path, uri)` notebook that is a link to a file outside `root` (the
    repository): it would run code the course does not hold, and no Colab link can reach it.
    `shown` is the docs folder as messages name it."""
    problems = []
    for path, uri in notebooks:
        target = path.resolve()
        if not target.is_relative_to(root):
            problems.append(
                f"{shown}/{uri}: a link to {target}, outside the repository {root}: "
                "a notebook must be a file of the course (copy it in instead of linking it)"
            )
    return problems
