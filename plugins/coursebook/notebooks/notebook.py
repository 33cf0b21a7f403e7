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

        return nbformat.reads(json.dumps(nb), as_version=4)
    cells = nb.get("cells")
    if not isinstance(cells, list) or not all(
        isinstance(c, dict) and "cell_type" in c for c in cells
    ):
        raise ValueError("not a notebook: 'cells' must be a list of cells")
    return nb


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def code_cells(nb: Notebook) -> list[dict]:
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
