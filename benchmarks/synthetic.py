"""Generate the synthetic course the benchmark builds: N lectures and M small notebooks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import nbformat


def base_config(site_name: str) -> str:
    """mkdocs.yml shared by every benchmark site: the theme and the Markdown of a course."""
    return (
        f"site_name: {site_name}\n"
        "theme:\n  name: material\n  font: false\n"
        "markdown_extensions:\n  - admonition\n  - pymdownx.arithmatex:\n      generic: true\n"
    )


LECTURE = """\
---
title: Synthetic lecture {n}
lecture: {n}
date: {date}
topics: [topic {n}, benchmarks]
papers:
  - title: A synthetic paper number {n}
    authors: [Ada Lovelace, Alan Turing]
    year: {year}
    arxiv: "1611.{n:05d}"
---

# Synthetic lecture {n}

{body}
"""

PARAGRAPH = (
    "Deep networks have many more parameters than data points, yet they generalize. "
    "This paragraph stands in for lecture prose, with *emphasis*, `code`, and math "
    "$\\lVert w \\rVert_2^2$ so that the Markdown pipeline does its usual work.\n\n"
)

CODE = """\
import numpy as np
import matplotlib.pyplot as plt

shift = {shift}
x = np.linspace(0, 1, 200)
y = np.sin(2 * np.pi * (x + shift))
print(f"mean {{y.mean():.4f}}, max {{y.max():.4f}}")
fig, ax = plt.subplots(figsize=(3, 2))
ax.plot(x, y)
plt.show()
"""


def notebook(n: int, shift: float | None = None) -> str:
    """Notebook `n`; its code differs from every other's (`shift`), so no tool can reuse one
    notebook's outputs for another."""
    shift = n / 100 if shift is None else shift
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# Synthetic notebook {n}\n\nA sine wave, shifted."),
        nbformat.v4.new_code_cell(CODE.format(shift=shift)),
    ]
    return nbformat.writes(nb)


def notebook_as_markdown(n: int) -> str:
    """The same notebook as a plain Markdown page (text and code, no outputs): the floor."""
    return (
        f"# Synthetic notebook {n}\n\nA sine wave, shifted.\n\n"
        f"```python\n{CODE.format(shift=n / 100)}```\n"
    )


def write_course(root: Path, lectures: int, notebooks: int, *, markdown_only: bool = False) -> None:
    """Write `docs/` with lectures and notebooks; config files are written per tool.

    With `markdown_only`, each notebook becomes a Markdown page with its text and code."""
    docs = root / "docs"
    (docs / "lectures").mkdir(parents=True, exist_ok=True)
    (docs / "notebooks").mkdir(exist_ok=True)
    (docs / "index.md").write_text("# Synthetic course\n\nA benchmark course.\n")
    start = dt.date(2027, 1, 11)
    for n in range(1, lectures + 1):
        text = LECTURE.format(
            n=n,
            date=start + dt.timedelta(days=7 * (n - 1) // 2),
            year=2000 + n % 25,
            body=PARAGRAPH * 12,
        )
        (docs / "lectures" / f"{n:02d}-synthetic.md").write_text(text)
    for n in range(1, notebooks + 1):
        if markdown_only:
            (docs / "notebooks" / f"nb{n:02d}.md").write_text(notebook_as_markdown(n))
        else:
            (docs / "notebooks" / f"nb{n:02d}.ipynb").write_text(notebook(n))


def edit_notebook(root: Path, n: int, shift: float) -> None:
    (root / "docs/notebooks" / f"nb{n:02d}.ipynb").write_text(notebook(n, shift))


def edit_lecture(root: Path, n: int, stamp: str) -> None:
    path = root / "docs/lectures" / f"{n:02d}-synthetic.md"
    path.write_text(path.read_text() + f"\nEdited {stamp}.\n")


def toc_for_jupyter_book(root: Path) -> None:
    docs = root / "docs"
    chapters = [
        {"file": str(p.relative_to(docs).with_suffix("").as_posix())}
        for p in sorted(docs.glob("lectures/*.md")) + sorted(docs.glob("notebooks/*.ipynb"))
    ]
    (docs / "_toc.yml").write_text(
        json.dumps({"format": "jb-book", "root": "index", "chapters": chapters})
    )
    (docs / "_config.yml").write_text(
        json.dumps(
            {
                "title": "Synthetic course",
                "execute": {"execute_notebooks": "cache", "timeout": 120},
                "only_build_toc_files": True,
                "sphinx": {"config": {"suppress_warnings": ["myst.header"]}},
            }
        )
    )
