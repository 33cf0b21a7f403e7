""" "Open in Colab" for a course whose `repo_url` is not on GitHub (issue 22, item 10): Colab
opens notebooks only from GitHub, gists and Drive, so such a course gets the button from a
GitHub copy named by `notebooks.colab_github`, or no button and one INFO line saying why."""

from __future__ import annotations

import json

import pytest

from tests.notebook_fixtures import code, markdown

GITLAB = "https://gitlab.com/stats-dept/stat200"
NO_BUTTON = (
    'INFO    -  coursebook: notebooks: no "Open in Colab" button: Colab opens notebooks only '
    f"from GitHub, and repo_url ({GITLAB}) is not a github.com repository. A GitHub copy of "
    "it can be named with notebooks.colab_github: owner/repo"
)


def notebook() -> str:
    cells = [markdown("# Week 1\n"), code("print(1)", count=None)]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def gitlab_course(fixture_site, notebooks: str = ""):
    site = fixture_site(plugin_options="notebooks:\n  execute: false\n" + notebooks)
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text()
        .replace("https://github.com/example/fixture-course", GITLAB)
        .replace("edit/main/docs/", "-/edit/main/docs/")
    )
    site.write("docs/notebooks/week-1.ipynb", notebook())
    return site


def colab_link(build):
    return build.html("notebooks/week-1/index.html").select_one("a.cb-notebook-actions__colab")


def test_a_repo_elsewhere_gets_no_colab_button_and_one_line_saying_why(fixture_site):
    build = gitlab_course(fixture_site).build()
    assert build.returncode == 0, build.log
    assert colab_link(build) is None
    assert build.html("notebooks/week-1/index.html").select_one("a.cb-notebook-actions__download")
    assert build.log.count(NO_BUTTON) == 1, build.log


def test_a_github_copy_named_by_colab_github_gets_the_button(fixture_site):
    build = gitlab_course(fixture_site, "  colab_github: stats-dept/stat200-mirror\n").build()
    assert build.returncode == 0, build.log
    assert colab_link(build)["href"] == (
        "https://colab.research.google.com/github/stats-dept/stat200-mirror/blob/main/"
        "docs/notebooks/week-1.ipynb"
    )
    assert "Open in Colab" not in build.log


def test_a_github_repo_url_needs_nothing_and_says_nothing(fixture_site):
    site = fixture_site(plugin_options="notebooks:\n  execute: false\n")
    site.write("docs/notebooks/week-1.ipynb", notebook())
    build = site.build()
    assert build.returncode == 0, build.log
    assert colab_link(build)["href"].startswith(
        "https://colab.research.google.com/github/example/fixture-course/blob/main/"
    )
    assert "Open in Colab" not in build.log


@pytest.mark.parametrize("value", ["https://github.com/a/b", "stat200", "gitlab.com/a/b"])
def test_colab_github_must_be_owner_and_repo(fixture_site, value):
    build = gitlab_course(fixture_site, f"  colab_github: {value}\n").build()
    assert build.returncode == 1, build.log
    assert (
        "mkdocs.yml: plugins.coursebook.notebooks.colab_github: expected a GitHub repository "
        f"as owner/repo, got {value!r}"
    ) in build.log
