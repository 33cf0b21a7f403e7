"""Shared fixtures: real MkDocs builds of the course site and of small fixture sites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Build:
    """The result of one `mkdocs build`: exit code, log, and the built site folder."""

    returncode: int
    log: str
    site: Path
    docs: Path | None = None  # the project's docs/ folder
    docs_before: dict[str, tuple[int, int]] = field(default_factory=dict)  # see `tree_state`

    def html(self, path: str) -> BeautifulSoup:
        return BeautifulSoup((self.site / path).read_text(encoding="utf-8"), "html.parser")


def tree_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder`: its relative path -> (size, modification time in ns)."""
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


def run_mkdocs_build(
    project: Path,
    site: Path,
    *,
    strict: bool = True,
    quiet: bool = False,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> Build:
    """Run the real `mkdocs build` CLI on `project`, writing into `site` (never the source)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site), *args]
    if strict:
        command.append("--strict")
    if quiet:
        command.append("--quiet")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    docs = project / "docs"
    docs_before = tree_state(docs)
    done = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    return Build(done.returncode, done.stdout + done.stderr, site, docs, docs_before)


# What a leak test looks through: every file a build published.
def texts(site: Path) -> dict[str, str]:
    """Every file of a built site, decoded as text."""
    return {
        path.relative_to(site).as_posix(): path.read_bytes().decode("utf-8", errors="replace")
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def where(site: Path, secret: str) -> list[str]:
    return sorted(name for name, text in texts(site).items() if secret in text)


# Never copied into the course build: local state that would let an earlier run leak in.
LOCAL_STATE = (
    ".git",
    ".venv",
    ".cache",
    "site",
    "build",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.egg-info",
)


@pytest.fixture(scope="session")
def course_site(tmp_path_factory) -> Build:
    """The course site itself, built once per test run with --strict, from a copy of the
    repository with an empty notebook cache: the notebooks really execute in this run."""
    project = tmp_path_factory.mktemp("course") / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(*LOCAL_STATE))
    # A fixed day before Lecture 2's solutions are released (2027-01-27): the student view,
    # whatever day the tests run.
    today = {"COURSEBOOK_TODAY": "2026-11-26", "COURSEBOOK_SOLUTIONS": "auto"}
    build = run_mkdocs_build(project, project.parent / "site", env=today)
    assert build.returncode == 0, build.log
    assert "notebooks: 1 executed, 0 from cache" in build.log, build.log
    return build


@pytest.fixture
def private_site(course_site, tmp_path) -> Path:
    """A copy of the built course site for a test that writes into it (PDFs, broken pages),
    so that tests reading the shared site never see what another test wrote."""
    copy = tmp_path / "site"
    shutil.copytree(course_site.site, copy)
    return copy


FIXTURE_CONFIG = """\
site_name: Fixture course
repo_url: https://github.com/example/fixture-course
edit_uri: edit/main/docs/
theme:
  name: material
  font: false{theme_extra}
plugins:
  - search
  - coursebook{plugin_options}
markdown_extensions:
  - admonition
  - pymdownx.arithmatex:
      generic: true
"""


@dataclass
class FixtureSite:
    """A throw-away MkDocs project in a temporary folder."""

    root: Path

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def build(
        self,
        *,
        strict: bool = True,
        quiet: bool = False,
        env: dict[str, str] | None = None,
        site: str = "site",
        args: tuple[str, ...] = (),
    ) -> Build:
        return run_mkdocs_build(
            self.root, self.root / site, strict=strict, quiet=quiet, env=env, args=args
        )


def new_fixture_site(
    root: Path, plugin_options: str = "", custom_dir: str | None = None
) -> FixtureSite:
    site = FixtureSite(root)
    options = ":\n" + textwrap.indent(textwrap.dedent(plugin_options), "      ")
    site.write(
        "mkdocs.yml",
        FIXTURE_CONFIG.format(
            plugin_options=options if plugin_options else "",
            theme_extra=f"\n  custom_dir: {custom_dir}" if custom_dir else "",
        ),
    )
    site.write("docs/index.md", "# Fixture course\n")
    return site


@pytest.fixture
def fixture_site(tmp_path) -> callable:
    """Factory: `fixture_site(plugin_options="...")` makes a site with docs/index.md."""
    return lambda *args, **kwargs: new_fixture_site(tmp_path / "project", *args, **kwargs)


@pytest.fixture(scope="module")
def module_fixture_site(tmp_path_factory) -> callable:
    """`fixture_site` for a module whose tests all read one build of one site."""
    return lambda *args, **kwargs: new_fixture_site(
        tmp_path_factory.mktemp("project"), *args, **kwargs
    )


@pytest.fixture(scope="session")
def site_url(course_site):
    """The built course site, served from 127.0.0.1 for the browser tests."""
    from coursebook.present.browser import serve_folder

    with serve_folder(course_site.site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run. A missing browser fails, never skips."""
    from coursebook.present.browser import BrowserUnavailable, launch_chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright)
        except BrowserUnavailable as error:
            pytest.fail(str(error))
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def notebook_site(tmp_path_factory) -> Build:
    """The site of notebooks shaped like Colab, JupyterLab and old tools' (notebook_fixtures.py),
    built once for the page tests and the browser tests, which only read it."""
    from notebook_fixtures import write_notebook_site

    site = FixtureSite(write_notebook_site(tmp_path_factory.mktemp("notebook-site")))
    build = site.build()
    assert build.returncode == 0, build.log
    return build
