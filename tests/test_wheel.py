"""coursebook installed from its wheel (not editable) carries every template and asset, and
builds a course in a fresh virtual environment: what a course gets from `pip install
git+https://...` or `pip install .`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "plugins" / "coursebook"

LECTURE = """\
---
title: Intro to theory
lecture: 2
date: 2027-01-20
papers:
  - title: Understanding deep learning requires rethinking generalization
    authors: [Chiyuan Zhang, Samy Bengio]
    year: 2017
    arxiv: "1611.03530"
criteria:
  - id: good-question
    title: What makes a question a good question?
    items:
      - id: must-be-a-question
        text: Must be a question
---

# Intro to theory
"""


def run(command: list, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy of the project, so the build leaves nothing in the source tree."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        PACKAGE, source / "plugins" / "coursebook", ignore=shutil.ignore_patterns("__pycache__")
    )
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, source], source)
    (built,) = out.glob("coursebook-*.whl")
    return built


def test_the_wheel_holds_every_file_of_the_package(wheel):
    expected = {
        "coursebook/" + path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    with zipfile.ZipFile(wheel) as archive:
        inside = {name for name in archive.namelist() if name.startswith("coursebook/")}
    assert expected - inside == set()
    assert any(name.endswith("templates/readings.md") for name in inside)
    assert any(name.endswith("assets/coursebook.css") for name in inside)
    # `python -m coursebook audit` runs offline where only the plugin is installed.
    assert "coursebook/assets/vendor/axe-core/axe.min.js" in inside
    assert "coursebook/assets/vendor/axe-core/VERSION" in inside


def test_a_course_builds_with_coursebook_installed_from_its_wheel(wheel, tmp_path):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], tmp_path)
    python = venv / "bin" / "python"
    run([python, "-m", "pip", "install", "--quiet", wheel], tmp_path)
    shown = run([python, "-c", "import coursebook; print(coursebook.__file__)"], tmp_path)
    assert shown.stdout.strip().startswith(str(venv)), "coursebook came from outside the venv"

    project = tmp_path / "course"
    (project / "docs" / "lectures").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(
        "site_name: Wheel course\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - coursebook\n"
    )
    (project / "docs" / "index.md").write_text("# Wheel course\n")
    (project / "docs" / "lectures" / "02-theory.md").write_text(LECTURE)
    run([venv / "bin" / "mkdocs", "build", "--strict", "--site-dir", project / "site"], project)

    site = project / "site"
    for page, text in (
        ("readings/index.html", "Understanding deep learning requires rethinking generalization"),
        ("criteria/index.html", "Must be a question"),
        ("schedule/index.html", "Intro to theory"),
    ):
        article = BeautifulSoup((site / page).read_text("utf-8"), "html.parser").article
        assert article is not None, page
        assert text in article.get_text(" "), page
    assert (site / "assets/coursebook/coursebook.css").stat().st_size > 0
    assert (site / "assets/coursebook/coursebook.js").stat().st_size > 0
    assert (site / "readings.bib").read_text().startswith("@")
    # The lecture's deck, with reveal.js from the package: nothing for the course to vendor.
    deck = BeautifulSoup(
        (site / "lectures/02-theory/slides/index.html").read_text("utf-8"), "html.parser"
    )
    assert [s["data-cb-title"] for s in deck.select(".slides > section")][:2] == [
        "Intro to theory",
        "Readings",
    ]
    for script in deck.select("script[src]"):
        assert (site / "lectures/02-theory/slides" / script["src"]).resolve().is_file()
    # A plugin-only install has no Playwright: `handouts` says what to install, no traceback.
    handouts = subprocess.run(
        [str(python), "-m", "coursebook", "handouts"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (handouts.returncode, handouts.stderr) == (
        1,
        "handouts: PDF handouts need Playwright, which `pip install coursebook` alone does not "
        "install: run `pip install 'coursebook[handouts]'`, then `python -m coursebook browser` "
        "(finds or installs the headless Chromium that prints them)\n",
    )
