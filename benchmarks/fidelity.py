"""Fidelity table for `make bench`: on the fixture notebooks of the test suite (shaped like Colab
and JupyterLab saves), how many list items, headings, tables, images, players, blockquotes,
links and math spans nbconvert (the reference for "what Jupyter shows"), mkdocs-jupyter and
coursebook each put on the page, and whether each tool built at all; and what Colab and
JupyterLab show beyond nbconvert (COLAB_KINDS: form titles and folded form code, texts kept in
widget state, terminal codes left over, raw math in the table of contents, superscripts that
are not in the headings).

    python benchmarks/fidelity.py        # the table alone, in about half a minute
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "tests"))
from notebook_fixtures import BIG_NOTEBOOK, SITE_NOTEBOOKS, write_notebook_site  # noqa: E402
from notebook_inventory import (  # noqa: E402
    COLAB_KINDS,
    KINDS,
    colab_inventory,
    coursebook_content,
    inventory,
    nbconvert_html,
    nbconvert_parts,
    reference_content,
)

NOTEBOOKS = [*SITE_NOTEBOOKS, BIG_NOTEBOOK]
MARKDOWN = HERE / "fidelity.md"
SHORT_NAMES = {uri: Path(uri).stem for uri in NOTEBOOKS}
MKDOCS_JUPYTER_CONFIG = """\
site_name: Fidelity
theme:
  name: material
  font: false
plugins:
  - search
  - mkdocs-jupyter:
      execute: false
      include: ['*.ipynb']
markdown_extensions:
  - pymdownx.arithmatex:
      generic: true
"""


def _build(root: Path) -> tuple[bool, str]:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"},
        capture_output=True,
        text=True,
        check=False,
    )
    log = done.stdout + done.stderr
    last = next((line for line in reversed(log.splitlines()) if line.strip()), "")
    return done.returncode == 0, last.strip()


def _totals(parts: list) -> dict[str, int]:
    return {kind: sum(counts.values()) for kind, counts in inventory(parts).items()}


def _page(site: Path, uri: str) -> BeautifulSoup:
    path = site / (uri.removesuffix(".ipynb") + "/index.html")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def measure(workspace: Path) -> dict:
    """Per tool: whether it built, why not, and per notebook the element counts."""
    course = write_notebook_site(workspace / "coursebook")
    report: dict = {"nbconvert": {}, "mkdocs-jupyter": {}, "coursebook": {}}
    for uri in NOTEBOOKS:
        source = course / "docs" / uri
        report["nbconvert"][uri] = {
            "built": True,
            "note": "widget metadata removed (nbconvert issue 1731)",
            "counts": {
                **_totals(reference_content(source)),
                **colab_inventory(nbconvert_html(source), source),
            },
        }
    built, last = _build(course)
    for uri in NOTEBOOKS:
        counts = None
        if built:
            counts = {
                **colab_inventory(_page(course / "site", uri), course / "docs" / uri),
                **_totals(coursebook_content(_page(course / "site", uri))),
            }
        note = "" if built else last
        report["coursebook"][uri] = {"built": built, "note": note, "counts": counts}
    # mkdocs-jupyter, one site per notebook, so that one crash does not hide the others.
    for uri in NOTEBOOKS:
        root = workspace / "mkdocs-jupyter" / SHORT_NAMES[uri]
        (root / "docs").mkdir(parents=True)
        (root / "docs/index.md").write_text("# Fidelity\n", encoding="utf-8")
        target = root / "docs" / Path(uri).name
        target.write_bytes((course / "docs" / uri).read_bytes())
        (root / "mkdocs.yml").write_text(MKDOCS_JUPYTER_CONFIG, encoding="utf-8")
        built, last = _build(root)
        counts = None
        if built:
            page = _page(root / "site", Path(uri).name)
            counts = {**colab_inventory(page, target), **_totals(nbconvert_parts(page))}
        report["mkdocs-jupyter"][uri] = {
            "built": built,
            "note": "" if built else last,
            "counts": counts,
        }
    return report


def format_table(report: dict) -> str:
    tools = ("nbconvert", "mkdocs-jupyter", "coursebook")
    header = f"{'notebook':<22}{'element':<12}" + "".join(f"{t:>16}" for t in tools)
    lines = [header, "-" * len(header)]
    for uri in NOTEBOOKS:
        name = SHORT_NAMES[uri][:21]
        lines.append(
            f"{name:<22}{'built':<12}"
            + "".join(f"{'yes' if report[t][uri]['built'] else 'NO':>16}" for t in tools)
        )
        for kind in (*KINDS, *COLAB_KINDS):
            cells = ""
            for tool in tools:
                counts = report[tool][uri]["counts"]
                shown = counts.get(kind) if counts else None
                cells += f"{('—' if shown is None else shown)!s:>16}"
            lines.append(f"{'':<22}{kind:<12}{cells}")
    failures = [
        f"{tool} on {SHORT_NAMES[uri]}: {entry['note']}"
        for tool in tools
        for uri, entry in report[tool].items()
        if not entry["built"]
    ]
    return "\n".join(lines + (["", *failures] if failures else []))


def write_markdown(table: str) -> None:
    """The table for the docs (included by docs/authoring/benchmarks.md)."""
    MARKDOWN.write_text(
        "Elements on the page for the test suite's fixture notebooks (Colab and JupyterLab\n"
        "saves, and a 3 MB notebook with 120 images), with nbconvert's HTML as the reference\n"
        "for what Jupyter shows; `—` where the tool did not build.\n\n"
        f"```text\n{table}\n```\n",
        encoding="utf-8",
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="coursebook-fidelity-") as workspace:
        report = measure(Path(workspace))
    table = format_table(report)
    print(table)
    write_markdown(table)
    print(f"\nwritten to {MARKDOWN}")


if __name__ == "__main__":
    main()
