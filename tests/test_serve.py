"""`mkdocs serve` follows every input of the site, not only docs/ and mkdocs.yml: the course's
references.bib, coursebook templates in the theme's custom_dir, and files that a notebook
declares in `metadata.coursebook.depends` (outside docs/). A real server, real edits."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

LECTURE = """\
---
title: Intro to theory
lecture: 2
date: 2027-01-20
papers:
  - cite: zhang2017
---

# Intro to theory
"""

BIB = """\
@inproceedings{zhang2017,
  title = {Understanding deep learning requires rethinking generalization},
  author = {Zhang, Chiyuan and Bengio, Samy},
  booktitle = {ICLR},
  year = {2017}
}
"""

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Numbers"},
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": "print(open('../../data/numbers.txt').read().strip())",
        },
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"},
        "coursebook": {"depends": ["../../data/numbers.txt"]},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, predicate: Callable[[str], bool], server, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and predicate(page):
            return page
        assert server.poll() is None, "mkdocs serve exited"
        time.sleep(0.5)
    raise AssertionError(f"{url} did not change within {seconds} s")


def text_of(page: str, selector: str) -> str:
    element = BeautifulSoup(page, "html.parser").select_one(selector)
    assert element is not None, selector
    return element.get_text(" ", strip=True)


@pytest.fixture
def served(fixture_site, tmp_path):
    site = fixture_site(custom_dir="overrides")
    site.write("overrides/coursebook/.keep", "")
    site.write("docs/lectures/02-theory.md", LECTURE)
    site.write("docs/nb/numbers.ipynb", json.dumps(NOTEBOOK))
    site.write("data/numbers.txt", "first-version\n")
    site.write("references.bib", BIB)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=site.root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield site, f"http://127.0.0.1:{port}/", server
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_serve_rebuilds_on_references_templates_and_notebook_dependencies(served):
    site, base, server = served
    readings = base + "readings/"
    notebook = base + "nb/numbers/"
    first = wait_for(notebook, lambda page: "first-version" in page, server)
    assert "first-version" in text_of(first, "pre.nb-stream")
    assert "rethinking generalization" in text_of(wait_for(readings, bool, server), "article")

    bib = site.root / "references.bib"
    bib.write_text(bib.read_text().replace("rethinking generalization", "a second title"))
    page = wait_for(readings, lambda page: "a second title" in page, server)
    assert "rethinking generalization" not in text_of(page, "article")

    packaged = Path(__import__("coursebook").__file__).parent / "templates" / "readings.md"
    site.write(
        "overrides/coursebook/readings.md",
        packaged.read_text().replace(
            "# Reading list", "# Reading list\n\nOverridden while serving."
        ),
    )
    page = wait_for(readings, lambda page: "Overridden while serving." in page, server)
    assert "Overridden while serving." in text_of(page, "article")

    (site.root / "data/numbers.txt").write_text("second-version\n")
    page = wait_for(notebook, lambda page: "second-version" in page, server)
    assert "second-version" in text_of(page, "pre.nb-stream")
