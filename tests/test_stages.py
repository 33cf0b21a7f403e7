"""The package's layout: stages that import only the stages below them, and a code key that
still covers every module and template after they moved into stage folders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import coursebook
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
    assert checked.stdout.splitlines()[-1].endswith("none goes up or sideways")


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
