"""Colab and Neuromatch notebooks as their authors see them (issue 23): Colab forms, videos and
layouts kept in saved ipywidgets state, math wherever Jupyter typesets it, headings with math in
the table of contents, and terminal codes. The fixture notebooks (notebook_fixtures.py) say
in their docstrings what Colab and JupyterLab show; the site is built for real and parsed."""

from __future__ import annotations

import json

import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import new_fixture_site
from coursebook.notebooks.ansi import ansi_to_html
from coursebook.notebooks.forms import parse_form
from coursebook.notebooks.math import remove_math
from coursebook.notebooks.widgets import WidgetState
from notebook_fixtures import (
    BILIBILI_ID,
    DATA,
    FORM_PARAMS,
    MATH_AFTER_BR,
    MATH_BACKSLASH,
    MATH_CONTINUING,
    MATH_IN_HTML,
    MATH_IN_LIST,
    PIP_OUTPUT,
    YOUTUBE_ID,
)
from test_notebook_rendering import md, output_cell, render

FORMS = "notebooks/colab-forms/index.html"
WIDGETS = "notebooks/widget-videos/index.html"
MATH = "notebooks/jupyter-math/index.html"


def typeset(soup) -> list[str]:
    return [element.get_text() for element in soup.select(".arithmatex")]


def prose(soup) -> str:
    """The text a reader sees outside math and code."""
    for element in soup.select(".arithmatex, pre, code"):
        element.decompose()
    return soup.get_text()


# --- Math: the cases of issue 23, each as JupyterLab shows it (see jupyter_math's docstring).


def test_math_after_a_br_html_block_is_typeset():
    _, soup = render(md(MATH_AFTER_BR))
    assert typeset(soup) == ["\\(\\eta\\)", "\\(\\nabla_\\theta \\mathcal{L}\\)"]
    assert "$" not in prose(soup)


def test_bare_environments_in_a_list_item_and_after_text_keep_their_line_breaks():
    _, soup = render(md(MATH_IN_LIST))
    aligned, eqnarray = typeset(soup)
    assert aligned.startswith("\\begin{aligned}")
    assert aligned.endswith("\\end{aligned}")
    assert eqnarray.startswith("\\begin{eqnarray*}")
    # CommonMark would read `\\` as an escaped backslash; inside math it stays a line break.
    assert aligned.count("\\\\") == 1
    assert eqnarray.count("\\\\") == 1
    assert "\\begin" not in prose(soup)


def test_display_math_continuing_a_paragraph_leaves_the_prose_after_it_prose():
    _, soup = render(md(MATH_CONTINUING))
    assert len(typeset(soup)) == 1
    assert typeset(soup)[0].startswith("\\[")
    assert "samples" not in typeset(soup)[0]
    assert soup.select_one("p em").get_text() == "n"
    assert "$$" not in prose(soup)


def test_a_backslash_ending_the_paragraph_escapes_no_dollar():
    """mdit-py-plugins' dollarmath reads src[-1] for a `$` at position 0: with it, this cell
    showed both formulas raw."""
    _, soup = render(md(MATH_BACKSLASH))
    assert typeset(soup) == ["\\(\\mathbf{x}\\)", "\\(\\mathbf{y}\\)"]
    _, soup = render(md("$x$ a \\"))
    assert typeset(soup) == ["\\(x\\)"]


def test_math_inside_an_html_block_is_typeset():
    _, soup = render(md(MATH_IN_HTML))
    assert soup.select_one("div.note .arithmatex").get_text() == "\\(E = m c^2\\)"


def test_dollars_in_code_and_escaped_dollars_stay_text():
    _, soup = render(md("`$a$` costs \\$5 and \\$6\n\n    $indented$ code\n"))
    assert typeset(soup) == []
    assert soup.select_one("p code").get_text() == "$a$"
    assert "$5 and $6" in soup.get_text()
    assert soup.select_one("pre code").get_text() == "$indented$ code\n"


def test_remove_math_splits_as_jupyterlab_does():
    """JupyterLab's own unit tests of removeMath (rendermime, latex.spec)."""
    assert remove_math("hello, $ /alpha $, there")[0] == "hello, @@0@@, there"
    text, math = remove_math("`$foo` and `$bar` are variables")
    assert (text, math) == ("`$foo` and `$bar` are variables", [])


# --- Headings: the table of contents and the page title never show raw delimiters.


def test_a_heading_gives_the_toc_its_math_as_text_and_keeps_ordinals_as_typed():
    page, _ = render(md("## The 4th loss $\\mathcal{L}(\\theta)$"))
    converter = markdown.Markdown(
        extensions=["toc", "attr_list", "pymdownx.arithmatex", "pymdownx.smartsymbols"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    heading = BeautifulSoup(converter.convert(page), "html.parser").select_one("h2")
    assert heading.select("sup") == []
    assert heading.get_text().startswith("The 4th loss")
    assert heading.select_one(".arithmatex").get_text() == "\\(\\mathcal{L}(\\theta)\\)"
    label = BeautifulSoup(converter.toc_tokens[0]["name"], "html.parser").get_text()
    assert label == "The 4th loss ℒ(θ)"


def test_the_built_toc_and_title_show_formulas_as_text(notebook_site):
    page = notebook_site.html(MATH)
    toc = [a.get_text(" ", strip=True) for a in page.select(".md-nav--secondary a")]
    assert "Gradient ∇_θℒ of the loss" in toc
    assert not any("\\(" in entry or "$" in entry for entry in toc)
    forms = notebook_site.html(FORMS)
    toc = [a.get_text(" ", strip=True) for a in forms.select(".md-nav--secondary a")]
    assert "The loss ℒ(θ) of a model" in toc
    assert "The 4th week: set-up" in toc
    assert forms.select("article h2 sup") == []


# --- Terminal codes: what Jupyter's ANSI handling drops is dropped, colours stay.


def test_private_csi_and_osc_are_dropped_colours_kept():
    shown = BeautifulSoup(ansi_to_html(PIP_OUTPUT), "html.parser")
    text = shown.get_text()
    assert "\x1b" not in text
    assert "[?25" not in text
    assert "pip install" not in text  # the terminal title (OSC)
    assert "Successfully installed torch-2.1.0" in text
    assert [s.get_text() for s in shown.select(".ansi-green-fg")] == ["0.0/1.2 MB", "1.2/1.2 MB"]
    assert [s.get_text() for s in shown.select(".ansi-red-fg")] == ["9.1 MB/s"]
    # An OSC 8 hyperlink keeps its text.
    assert ansi_to_html("\x1b]8;;https://x.org\x1b\\docs\x1b]8;;\x1b\\") == "docs"


def test_the_pip_output_on_the_page_has_no_escape_codes(notebook_site):
    stream = notebook_site.html(FORMS).select_one(".nb-stream")
    assert "[?25" not in stream.get_text()
    assert "\x1b" not in stream.get_text()
    assert stream.select(".ansi-green-fg")


# --- Colab forms (reference: colab_forms' docstring).


def test_a_form_is_parsed_as_colab_reads_it():
    form = parse_form(FORM_PARAMS, {"cellView": "form"})
    assert form.title == "Set the hyperparameters"
    assert form.markdown.startswith("The learning rate $\\eta$")
    assert [(f.name, f.value, f.kind) for f in form.fields] == [
        ("learning_rate", "0.01", "text"),
        ("activation", "relu", "select"),
        ("use_gpu", "True", "checkbox"),
        ("epochs", "20", "range"),
    ]
    assert form.fields[1].choices == ["relu", "tanh", "sigmoid"]
    assert form.fields[3].bounds == {"min": "1", "max": "100", "step": "1"}
    assert form.folded
    assert parse_form("print(1)  # no form here", {}) is None
    # Without cellView "form", Colab shows the code beside the form.
    assert not parse_form(FORM_PARAMS, {}).folded


def test_a_form_cell_shows_title_text_fields_and_folded_code(notebook_site):
    article = notebook_site.html(FORMS).select_one("article")
    forms = article.select(".nb-form")
    assert [f.select_one(".nb-form__title").get_text() for f in forms] == [
        "Install dependencies",
        "Set the hyperparameters",
    ]
    params = forms[1]
    assert params.select_one(".nb-form__markdown .arithmatex").get_text() == "\\(\\eta\\)"
    fields = {
        label.select_one(".nb-form__name").get_text(): label.select_one("input, select")
        for label in params.select(".nb-form__fields label")
    }
    assert {name: box.get("value") for name, box in fields.items() if box.name == "input"} == {
        "learning_rate": "0.01",
        "use_gpu": None,
        "epochs": "20",
    }
    assert fields["activation"].select_one("option[selected]").get_text() == "relu"
    assert fields["epochs"]["type"] == "range"
    assert fields["use_gpu"].has_attr("checked")
    assert fields["use_gpu"].has_attr("disabled")
    assert all(box.has_attr("readonly") for box in fields.values() if box.get("type") == "text")
    code = params.select_one("details.nb-form__code")
    assert not code.has_attr("open")
    assert code.select_one("summary").get_text() == "Show code"
    assert code.select_one("pre").get_text().startswith("#@title Set the hyperparameters")
    # The output follows the form, as usual; a plain cell's code is not folded.
    assert params.find_next_sibling().select_one(".nb-stream").get_text().startswith("lr=0.01")
    plain = article.find_all("pre", class_="nb-input")[-1]
    assert plain.find_parent("details") is None


def test_forms_can_be_turned_off_and_the_download_is_the_notebook_as_written(tmp_path):
    site = new_fixture_site(
        tmp_path / "project", "notebooks:\n  execute: false\n  colab_forms: false\n"
    )
    source = (DATA / "colab-forms.ipynb").read_bytes()
    site.write("docs/forms.ipynb", source)
    build = site.build()
    assert build.returncode == 0, build.log
    article = build.html("forms/index.html").select_one("article")
    assert article.select(".nb-form, details") == []
    assert "#@title Set the hyperparameters" in article.get_text()
    assert (build.site / "forms.ipynb").read_bytes() == source


# --- Widgets (reference: widget_videos' docstring).


def test_a_tab_of_output_widgets_shows_both_players_under_their_titles(notebook_site):
    article = notebook_site.html(WIDGETS).select_one("article")
    tabs = article.select_one(".nb-widget-tabs")
    assert [label.get_text(strip=True) for label in tabs.select(".tabbed-labels label")] == [
        "Youtube",
        "Bilibili",
    ]
    blocks = tabs.select(".tabbed-block")
    addresses = [block.select_one(".cb-embed__address a")["href"] for block in blocks]
    assert addresses == [
        f"https://www.youtube.com/watch?v={YOUTUBE_ID}",
        f"https://www.bilibili.com/video/{BILIBILI_ID}",
    ]
    assert blocks[0].select_one(".nb-stream").get_text().startswith("Video available at")
    # Players load on click only: the iframes are inside inert templates.
    assert [frame.parent.name for frame in tabs.find_all("iframe")] == ["template", "template"]
    thumbnail = blocks[0].select_one("img.cb-embed__thumbnail")["src"]
    assert (notebook_site.site / "notebooks/widget-videos" / thumbnail).is_file()
    assert "run the notebook" not in tabs.get_text()


def test_accordion_boxes_html_math_label_and_image_render_from_state(notebook_site):
    article = notebook_site.html(WIDGETS).select_one("article")
    sections = article.select(".nb-widget-accordion details")
    assert [s.select_one("summary").get_text() for s in sections] == ["Formula", "Picture"]
    assert sections[0].select_one(".arithmatex").get_text().startswith("\\(\\mathcal{L}")
    image = sections[1].select_one("img")
    assert (image["width"], image["height"]) == ("120", "80")
    assert (notebook_site.site / "notebooks/widget-videos" / image["src"]).is_file()
    assert "A picture of the weights" in sections[1].get_text()
    columns = article.select(".nb-widget-box--h .nb-widget-box__item")
    assert [c.get_text(" ", strip=True) for c in columns] == ["Left column", "Right column"]
    notes = [n.get_text() for n in article.select(".nb-widget")]
    assert notes == [
        "IntSlider(value=3): run the notebook to interact with it.",
        "Output(): run the notebook to interact with it.",
    ]


SELF_VIEW = {
    "output_type": "display_data",
    "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "m"}},
    "metadata": {},
}


def _nb_with_state(saved, view_id="m") -> dict:
    view = {"model_id": view_id, "version_major": 2, "version_minor": 0}
    return {
        "cells": [
            output_cell(
                {
                    "output_type": "display_data",
                    "data": {
                        "application/vnd.jupyter.widget-view+json": view,
                        "text/plain": "Tab()",
                    },
                    "metadata": {},
                }
            )
        ],
        "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": saved}},
    }


@pytest.mark.parametrize(
    "saved",
    [
        {"version_major": 2, "version_minor": 0},  # no "state"
        {"version_major": 2, "version_minor": 0, "state": None},
        {"state": {"m": {"model_name": "TabModel"}}},  # no model state
        {"state": {"m": {"model_name": "TabModel", "state": {"children": "IPY_MODEL_m"}}}},
        {"state": {"m": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_m"]}}}},
        {"state": {"m": {"model_name": "OutputModel", "state": {"outputs": [None, 3]}}}},
        # An Output widget that holds a view of itself
        {"state": {"m": {"model_name": "OutputModel", "state": {"outputs": [SELF_VIEW]}}}},
        {"state": {"m": {"model_name": "ImageModel", "state": {"value": "%%%"}}}},
        {"state": {"m": {"model_name": "AccordionModel", "state": {"_titles": {"x": 1}}}}},
        "not a dict",
        [],
    ],
)
def test_incomplete_widget_state_never_crashes(saved):
    from coursebook.notebooks.to_markdown import notebook_to_markdown

    nb = _nb_with_state(saved)
    rendered = notebook_to_markdown(nb, image_prefix="nb_files/")
    assert rendered.fragments  # something is shown for the output, whatever the state


def test_ipywidgets_7_and_8_titles_and_colab_state_without_the_wrapper():
    from coursebook.notebooks.to_markdown import notebook_to_markdown

    def tab(state: dict) -> dict:
        child = {"model_name": "HTMLModel", "state": {"value": "<b>x</b>"}}
        return {"m": {"model_name": "TabModel", "state": state}, "c": child}

    for saved in (
        {"version_major": 2, "version_minor": 0, "state": tab({"_titles": {"0": "Seven"}})},
        tab({"titles": ["Eight"]}),  # as Colab saves it: the models alone
    ):
        state = WidgetState.from_notebook(_nb_with_state(saved))
        assert set(state.models) == {"m", "c"}
    for titles, expected in (
        ({"_titles": {"0": "Seven"}}, "Seven"),
        ({"titles": ["Eight"]}, "Eight"),
    ):
        saved = tab({**titles, "children": ["IPY_MODEL_c"]})
        html = "".join(notebook_to_markdown(_nb_with_state(saved), image_prefix="x/").fragments)
        soup = BeautifulSoup(html, "html.parser")
        assert soup.select_one(".tabbed-labels label").get_text(strip=True) == expected
        assert soup.select_one(".tabbed-block b").get_text() == "x"


def test_the_committed_fixtures_are_what_the_generator_writes():
    from notebook_fixtures import COMMITTED

    for name in ("colab-forms.ipynb", "widget-videos.ipynb", "jupyter-math.ipynb"):
        assert json.loads((DATA / name).read_text(encoding="utf-8")) == COMMITTED[name]()
