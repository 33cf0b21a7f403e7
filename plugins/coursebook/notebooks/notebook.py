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
# What any of jupytext's Python formats marks a cell or a notebook with: a header (`# ---` then
# `# jupyter:`), percent and hydrogen (`# %%`), light (`# +`, `# {{{`, `# region`), nbconvert
# scripts (`# In[1]:`, `# <codecell>`), sphinx-gallery (a line of 20 `#`), marimo. A file
# with none of them is a plain module: jupytext is not even imported for it.
ANY_CELL_MARKER = re.compile(
    r"^(?:#\s*(?:%%|\+\s*$|\+ |\{\{\{|region\b|In\[|<codecell>|jupyter:)|#{20}|@app\.cell)",
    re.MULTILINE,
)
# Markdown files that jupytext reads as notebooks: front matter naming a kernel or jupytext.
NOTEBOOK_KEYS = frozenset({"jupyter", "jupytext", "kernelspec"})
# (A top-level key of the front matter only: the lines up to its closing `---`.)
MARKDOWN_NOTEBOOK = re.compile(
    r"\A---[ \t]*\n(?:(?!---[ \t]*$).*\n)*?(?:jupyter|jupytext|kernelspec):", re.MULTILINE
)
# Files jupytext pairs with an .ipynb of the same name in the same folder: Markdown forms, and
# the script of any language jupytext writes (jupytext.languages._SCRIPT_EXTENSIONS, copied to
# spare every build the import; tests/test_leak_review.py checks it against jupytext's own):
# a Julia course's `hw.jl` is its `hw.ipynb` as surely as `hw.py` is.
SCRIPT_SUFFIXES = (
    ".py", ".R", ".r", ".jl", ".clj", ".coco", ".cpp", ".cs", ".do", ".fs", ".fsx", ".go",
    ".gp", ".groovy", ".hs", ".java", ".jenner", ".js", ".lgt", ".logtalk", ".lua", ".m",
    ".mac", ".ml", ".pro", ".ps1", ".q", ".resource", ".robot", ".rs", ".sage", ".sas",
    ".scala", ".scm", ".sh", ".sos", ".ss", ".tcl", ".ts", ".wolfram", ".xsh",
)  # fmt: skip
MARKDOWN_SUFFIXES = (".md", ".Rmd", ".qmd", ".myst")
PAIRED_SUFFIXES = SCRIPT_SUFFIXES + MARKDOWN_SUFFIXES


def is_text_notebook(text: str) -> bool:
    """A Python file that jupytext reads as a notebook: a jupytext header, or the cell markers
    of one of its formats (percent, hydrogen, light, nbconvert script, sphinx-gallery, marimo).
    A file with no marker (a helper module) is not one: jupytext would read it as one light
    cell, but it was not written as a notebook."""
    if PERCENT_CELL.search(text):  # the common case, decided without jupytext
        return True
    if ANY_CELL_MARKER.search(text) is None:
        return False
    from jupytext.formats import guess_format, read_metadata

    if read_metadata(text, ".py"):
        return True
    name, options = guess_format(text, ".py")
    if name != "light" or options:
        return True
    # Light with no header: only its explicit `# +` ... `# -` cells make it a notebook.
    return re.search(r"^# \+\s*(?:\{.*\})?\s*$", text, re.MULTILINE) is not None


def is_markdown_notebook(text: str) -> bool:
    """A Markdown file written as a jupytext (or MyST) notebook: its front matter names a
    kernel or jupytext."""
    return MARKDOWN_NOTEBOOK.match(text) is not None


def select_notebooks(
    uris: list[str],
    text_globs: list[str],
    read_text: Callable[[str], str],
    listed: Callable[[str], bool] = lambda uri: False,
) -> list[str]:
    """The site files that are notebooks: every `.ipynb`, and each `.py` under `text_globs`
    that jupytext reads as a notebook (`is_text_notebook`), or that a lecture lists as one
    (`listed`: jupytext reads any Python file, in its light format), unless its paired `.ipynb`
    (same name) is there too: then the pair is one notebook, the `.ipynb`."""
    taken = {uri for uri in uris if uri.endswith(".ipynb")}
    chosen = []
    for uri in uris:
        if uri in taken or (
            uri.endswith(TEXT_NOTEBOOK_SUFFIXES)
            and any(fnmatch.fnmatch(uri, pattern) for pattern in text_globs)
            and posixpath.splitext(uri)[0] + ".ipynb" not in taken
            # Markers first: the lectures' listing is read only for a file without any.
            and (is_text_notebook(read_text(uri)) or listed(uri))
        ):
            chosen.append(uri)
    return chosen


def paired_text_files(
    uris: list[str], notebooks: list[str], read_text: Callable[[str], str]
) -> dict[str, list[str]]:
    """Notebook URI -> the text files beside an `.ipynb` that jupytext pairs with it (same
    folder and name: `x.ipynb` with `x.py`, `x.jl`, `x.md`): the same notebook in another form. A
    Markdown file is one only when written as a notebook (`is_markdown_notebook`): `x.md`
    beside `x.ipynb` may be a page of its own."""
    present = set(uris)
    # Names of text files anywhere: a pair in another folder (jupytext's prefix formats,
    # `notebooks///ipynb,scripts///py:percent`) has the notebook's name there.
    text_names = {
        posixpath.splitext(posixpath.basename(uri))[0]
        for uri in uris
        if uri.endswith(PAIRED_SUFFIXES)
    }
    pairs = {}
    for uri in notebooks:
        stem, suffix = posixpath.splitext(uri)
        if suffix != ".ipynb":
            continue
        found = [
            stem + s
            for s in PAIRED_SUFFIXES
            if stem + s in present
            and (s in SCRIPT_SUFFIXES or is_markdown_notebook(read_text(stem + s)))
        ]
        if posixpath.basename(stem) in text_names:
            found += [
                path
                for path in _prefixed_pairs(uri, read_text)
                if path in present and path not in found
            ]
        if found:
            pairs[uri] = found
    return pairs


def _prefixed_pairs(uri: str, read_text: Callable[[str], str]) -> list[str]:
    """The files a notebook's `metadata.jupytext.formats` pairs it with in other folders
    (paths as jupytext computes them, from the notebook's path in docs/)."""
    text = read_text(uri) or ""
    if '"formats"' not in text:
        return []
    try:
        formats = json.loads(text)["metadata"]["jupytext"]["formats"]
    except (ValueError, KeyError, TypeError):
        return []
    if not isinstance(formats, str) or "/" not in formats:
        return []
    from jupytext.paired_paths import InconsistentPath, paired_paths

    try:
        paths = paired_paths(uri, "ipynb", formats)
    except InconsistentPath:
        return []
    return [posixpath.normpath(path) for path, _fmt in paths if path != uri]


def read_text_notebook(path: Path) -> Notebook:
    """A text notebook read by jupytext in the format its header names, else the one its cell
    markers show (percent, light, hydrogen...: jupytext's own guess), jupytext imported only
    when there is one."""
    import jupytext

    fmt = path.suffix.lstrip(".")
    nb = jupytext.reads(path.read_text(encoding="utf-8"), fmt=fmt)
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
