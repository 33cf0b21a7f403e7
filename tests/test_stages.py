"""The package's layout: stages that import only the stages below them, and a code key that
still covers every module and template after they moved into stage folders."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import coursebook
import pytest
from conftest import ROOT
from coursebook.pages import snapshot


def test_no_stage_imports_a_stage_above_it():
    checked = subprocess.run(
        [sys.executable, ROOT / "scripts/stage_imports.py"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    summary = checked.stdout.splitlines()[-1]
    assert summary.endswith("none goes up, no circle")
    counted = re.match(r"(\d+) imports between coursebook modules in (\d+) files", summary)
    assert int(counted[2]) == len(list(snapshot.PACKAGE.rglob("*.py")))
    assert int(counted[1]) > 50  # it read the imports, not an empty package


def load_checker(package: Path):
    spec = importlib.util.spec_from_file_location(
        "stage_imports", ROOT / "scripts/stage_imports.py"
    )
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    checker.PACKAGE = package
    return checker


@pytest.mark.parametrize(
    ("importer", "line", "verdict"),
    [
        ("course/model.py", "from ..present import decks", "up:       coursebook.course.model"),
        ("notebooks/pages.py", "import coursebook.pages.blocks", "up:       coursebook.notebooks"),
        ("present/decks.py", "from ..course import model", None),  # down: allowed
        ("plugin.py", "from .present import decks", None),
    ],
)
def test_the_checker_finds_an_import_that_goes_up(tmp_path, capsys, importer, line, verdict):
    package = tmp_path / "coursebook"
    for module in (
        "__init__.py",
        "plugin.py",
        "course/__init__.py",
        "course/model.py",
        "notebooks/__init__.py",
        "notebooks/pages.py",
        "pages/__init__.py",
        "pages/blocks.py",
        "present/__init__.py",
        "present/decks.py",
    ):
        (package / module).parent.mkdir(parents=True, exist_ok=True)
        (package / module).write_text("")
    (package / importer).write_text(f"{line}\n")
    status = load_checker(package).main()
    printed = capsys.readouterr().out
    if verdict is None:
        assert status == 0, printed
        assert "1 imports between coursebook modules in 10 files" in printed
    else:
        assert status == 1
        assert verdict in printed, printed


def test_the_code_key_covers_the_whole_package():
    assert Path(coursebook.__file__).parent == snapshot.PACKAGE
    covered = {name for name, _, _ in snapshot._code_fingerprint()}
    for name in (
        "plugin.py",
        "course/model.py",
        "notebooks/cache.py",
        "pages/generated.py",
        "present/decks.py",
        "templates/slides.html",
        "templates/readings.md",
    ):
        assert name in covered


@pytest.mark.parametrize(
    "second_import",
    [
        "from .model import Course",  # at the top
        "def f():\n    from .model import Course",  # inside a function
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .model import Course",
    ],
)
def test_the_checker_fails_on_a_circle_within_a_stage(tmp_path, capsys, second_import):
    """Two modules of one stage that import each other fail, however the import is made."""
    package = tmp_path / "coursebook"
    (package / "course").mkdir(parents=True)
    for module in ("__init__.py", "course/__init__.py"):
        (package / module).write_text("")
    (package / "course/model.py").write_text("from .readings import ReadingList\n")
    (package / "course/readings.py").write_text(f"{second_import}\n")
    status = load_checker(package).main()
    printed = capsys.readouterr().out
    assert status == 1, printed
    assert "circle:   coursebook.course.model <-> coursebook.course.readings" in printed
    assert printed.rstrip().endswith("none goes up, 1 circle(s)")


def test_a_one_way_import_within_a_stage_is_no_circle(tmp_path, capsys):
    package = tmp_path / "coursebook"
    (package / "course").mkdir(parents=True)
    for module in ("__init__.py", "course/__init__.py", "course/readings.py"):
        (package / module).write_text("")
    (package / "course/model.py").write_text("from .readings import ReadingList\n")
    status = load_checker(package).main()
    assert status == 0, capsys.readouterr().out
