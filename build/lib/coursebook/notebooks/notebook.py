"""Notebooks as plain JSON dicts: reading them costs no nbformat import or schema validation
on the (common) path where every notebook comes from the cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Notebook = dict[str, Any]


def read_notebook(path: Path) -> Notebook:
    """Read an .ipynb file; nbformat 4 directly, older formats upgraded by nbformat.

    Raises ValueError (with the reason) for a file that is not a notebook."""
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
