"""How kernels are started: numeric libraries on one thread each (kernels run side by side),
unless the user chose a number; notebooks of format 4.5 without cell ids run quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
from bs4 import BeautifulSoup
from coursebook.notebooks.execute import kernel_environment, with_cell_ids


def test_kernels_get_one_thread_unless_the_user_chose(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "4")
    environment = kernel_environment()
    assert environment["OMP_NUM_THREADS"] == "1"
    assert environment["OPENBLAS_NUM_THREADS"] == os.environ.get("OPENBLAS_NUM_THREADS", "1")
    assert environment["MKL_NUM_THREADS"] == "4"
    assert environment["PATH"] == os.environ["PATH"]


def test_missing_cell_ids_are_added_only_where_the_format_needs_them():
    cells = [{"cell_type": "code", "source": "1", "metadata": {}, "outputs": []}] * 2
    old = {"nbformat": 4, "nbformat_minor": 4, "cells": cells, "metadata": {}}
    assert with_cell_ids(old) is old
    new = with_cell_ids({**old, "nbformat_minor": 5})
    assert [cell["id"] for cell in new["cells"]] == ["cell-1", "cell-2"]
    assert "id" not in cells[0]  # the notebook read from disk is left alone


def test_a_built_notebook_sees_the_thread_limit_and_no_id_warning(fixture_site):
    site = fixture_site()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Threads"),
        nbformat.v4.new_code_cell("import os\nprint(os.environ['OPENBLAS_NUM_THREADS'])"),
    ]
    data = json.loads(nbformat.writes(nb))
    for cell in data["cells"]:
        del cell["id"]  # as older tools saved nbformat 4.5
    site.write("docs/threads.ipynb", json.dumps(data))
    environment = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=site.root,
        env={**environment, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert "MissingIDFieldWarning" not in log
    page = BeautifulSoup((site.root / "site/threads/index.html").read_text("utf-8"), "html.parser")
    assert page.select_one("article pre.nb-stream--stdout").get_text() == "1\n"


def test_an_nbformat_4_0_notebook_with_an_odd_name_executes_without_a_traceback(fixture_site):
    """Executed, not only rendered: upgrading it (cell ids) happens on the execution path."""
    import shutil

    from notebook_fixtures import DATA

    site = fixture_site("notebooks:\n  kernel_name: python3\n")
    target = site.root / "docs/week-03/old format – 4.0.ipynb"
    target.parent.mkdir(parents=True)
    shutil.copy(DATA / "week-03/old format – 4.0.ipynb", target)
    # The notebook it links to, as a render-only page of one Markdown cell.
    linked = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Constructs")])
    linked.metadata["coursebook"] = {"execute": False}
    site.write("docs/markdown-constructs.ipynb", nbformat.writes(linked))
    build = site.build()
    assert build.returncode == 0, build.log
    assert "notebooks: 1 executed, 0 from cache, 1 render-only, 0 failed" in build.log
    assert "Traceback" not in build.log
    assert "Warning" not in build.log
    page = build.html("week-03/old format – 4.0/index.html")
    assert page.select_one("pre.nb-stream").get_text() == "2\n"
