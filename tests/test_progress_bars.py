"""A tqdm progress bar in a saved notebook shows its last text (issue 22, item 10), not "run
the notebook to interact with it": from the saved widget state (the HBox of tqdm.notebook: its
percentage, its bar at the saved value, its count and rate), else the widget's own text as
nbconvert shows it, and a stderr bar rewritten with `\\r` at its last line."""

from __future__ import annotations

import json

import pytest

from tests.notebook_fixtures import FIGURE_SPACE, TQDM_START, progress_bars

PAGE = "notebooks/training/index.html"


@pytest.fixture(scope="module")
def page(module_fixture_site):
    site = module_fixture_site(
        plugin_options="""
        notebooks:
          execute: false
        """
    )
    site.write("docs/notebooks/training.ipynb", json.dumps(progress_bars(), indent=1))
    build = site.build()
    assert build.returncode == 0, build.log
    return build.html(PAGE)


def cell(page, number: int):
    """The outputs of code cell `number` (1-based, in page order)."""
    return page.select(".nb-outputs")[number - 1]


def text(element) -> str:
    return element.get_text(" ", strip=True).replace(FIGURE_SPACE, " ")


def test_a_finished_bar_shows_its_last_text_and_a_full_bar(page):
    outputs = cell(page, 1)
    bar = outputs.select_one("progress.nb-widget-progress")
    assert (bar["value"], bar["max"]) == ("10", "10")
    assert "nb-widget-progress--success" in bar["class"]
    items = outputs.select(".nb-widget-box__item")
    assert [text(item) for item in items] == ["100%", "100%", "10/10 [00:01<00:00,  9.52it/s]"]
    assert "run the notebook" not in outputs.get_text()


def test_a_bar_stopped_early_shows_where_it_stopped(page):
    bar = cell(page, 2).select_one("progress")
    assert (bar["value"], bar["max"]) == ("4", "10")
    assert "nb-widget-progress--danger" in bar["class"]
    assert "4/10 [00:00<00:01,  9.90it/s]" in text(cell(page, 2))


def test_a_bar_that_does_not_stay_shows_nothing(page):
    outputs = cell(page, 3)
    assert outputs.select(".nb-widget-box, progress, .nb-widget") == []


def test_a_bar_without_saved_state_shows_its_text_as_nbconvert_does(page):
    from nbconvert import HTMLExporter
    from nbformat import reads

    outputs = cell(page, 4)
    assert outputs.select(".nb-widget[role=note]") == []
    shown = outputs.select_one("pre.nb-result").get_text()
    assert shown == TQDM_START
    notebook = progress_bars()
    # As JupyterLab saves it by default: no widget state (nbconvert also fails on Colab's
    # state without its wrapper: KeyError 'state').
    notebook["cells"] = [notebook["cells"][0], notebook["cells"][4]]
    del notebook["metadata"]["widgets"]
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(
        reads(json.dumps(notebook), as_version=4)
    )
    assert TQDM_START in body.replace("&lt;", "<")


def test_a_stderr_bar_shows_its_last_line_only(page):
    streams = cell(page, 5).select("pre.nb-stream--stderr")
    assert [pre.get_text() for pre in streams] == [
        "100%|██████████| 10/10 [00:01<00:00,  9.52it/s]\n"
    ]
