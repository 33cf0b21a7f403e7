"""Notebook pages built for real from notebooks shaped like Colab and JupyterLab saves: table of
contents, links, attachments, outputs by Jupyter's priority, widgets, players, big notebooks,
and the messages a broken notebook gets (naming the .ipynb and the cell)."""

from __future__ import annotations

import json
from urllib.parse import unquote

import nbformat
import pytest
from notebook_fixtures import BIG_NOTEBOOK, SITE_NOTEBOOKS, YOUTUBE_ID

TUTORIAL = "notebooks/colab-tutorial/index.html"
CONSTRUCTS = "notebooks/markdown-constructs/index.html"
OLD = "notebooks/week-03/old format – 4.0/index.html"


@pytest.fixture(scope="module")
def built(notebook_site):
    return notebook_site


def article(build, path):
    return build.html(path).select_one("article")


def resolve(build, page: str, href: str):
    return (build.site / page).parent.joinpath(unquote(href.split("#")[0])).resolve()


def test_the_log_has_no_traceback_and_no_warning(built):
    assert "Traceback" not in built.log
    assert "WARNING" not in built.log
    rendered = len(SITE_NOTEBOOKS) + 1  # and the big one
    assert f"notebooks: 0 executed, 0 from cache, {rendered} render-only, 0 failed" in built.log


def test_every_heading_of_a_notebook_is_in_the_table_of_contents(built):
    page = built.html(TUTORIAL)
    toc = [a.get_text(strip=True) for a in page.select(".md-sidebar--secondary a.md-nav__link")]
    # Several `#` headings, as notebooks have them: all listed, with their sections.
    assert toc == ["Setup", "Video 1: Introduction", "Data", "Widgets", "Errors", "Summary"]
    headings = page.select("article h1, article h2")
    assert [h["id"] for h in headings] == [
        "Tutorial-1:-a-Colab-notebook",
        "Setup",
        "Video-1:-Introduction",
        "Data",
        "Widgets",
        "Errors",
        "Summary",
    ]
    assert all(h.select_one("a.headerlink")["href"] == f"#{h['id']}" for h in headings)
    assert page.select_one("title").get_text().startswith("Tutorial 1: a Colab notebook")


def test_the_actions_sit_under_the_title_even_after_a_badge(built):
    body = article(built, TUTORIAL)
    title = body.select_one("h1")
    assert title.find_next_sibling().get("class") == ["cb-notebook-actions"]
    badge = body.select_one(".nb-markdown a[href^='https://colab'] .cb-badge")
    assert badge.get_text() == "Open In Colab"  # not fetched from colab.research.google.com


def test_links_between_notebooks_and_to_lectures_resolve(built):
    links = {a.get_text(): a["href"] for a in article(built, CONSTRUCTS).select(".nb-markdown a")}
    assert links["the other notebook"] == "../colab-tutorial/"
    assert links["its section"] == "../colab-tutorial/#Data"
    assert links["the lecture"] == "../../lectures/01-intro/"
    assert links["a section here"] == "#Setext-heading"
    assert (
        resolve(built, CONSTRUCTS, links["the lecture"])
        == (built.site / "lectures/01-intro").resolve()
    )
    back = article(built, OLD).select_one(".nb-markdown a")
    assert back["href"] == "../../markdown-constructs/"


def test_attachments_become_files_beside_the_page(built):
    image = article(built, CONSTRUCTS).select_one(".nb-markdown img[alt='A diagram']")
    assert image["src"] == "../markdown-constructs_files/cell-1-diagram.png"
    assert resolve(built, CONSTRUCTS, image["src"]).read_bytes().startswith(b"\x89PNG")


def test_outputs_show_what_jupyter_shows(built):
    outputs = article(built, TUTORIAL).select(".nb-outputs")
    # The YouTube output: its HTML (the player, deferred) with its own JPEG as thumbnail.
    video = outputs[0].select_one("[data-cb-embed]")
    thumbnail = video.select_one("img.cb-embed__thumbnail")["src"]
    assert resolve(built, TUTORIAL, thumbnail).read_bytes().startswith(b"\xff\xd8")
    assert video.select_one("template.cb-embed__player").find("iframe")["src"] == (
        f"https://www.youtube.com/embed/{YOUTUBE_ID}?fs=1&rel=0"
    )
    assert video.select_one(".cb-embed__address a")["href"] == (
        f"https://www.youtube.com/watch?v={YOUTUBE_ID}"
    )
    # The DataFrame: pandas' table, not its text.
    table = outputs[1].select_one("table.dataframe")
    cells = [td.get_text() for td in table.select("tbody td")]
    assert cells == ["5.1", "setosa", "7.0", "versicolor"]
    # Widgets: the saved fallback when there is one, else a note.
    assert outputs[2].get_text(strip=True) == (
        "IntSlider(value=3): run the notebook to interact with it."
    )
    assert outputs[3].select_one("p.fallback").get_text() == "Slider at 3"
    assert outputs[4].select_one("img.nb-figure")
    assert outputs[5].get_text(strip=True) == (
        "Interactive widget: run the notebook to interact with it."
    )
    # The error: IPython's traceback without its colour codes.
    error = outputs[6].select_one("pre.nb-error").get_text()
    assert "\x1b" not in error
    assert error.endswith("ZeroDivisionError: division by zero")
    # Three writes to stdout are one block, as in Jupyter.
    assert outputs[8].select_one("pre.nb-stream").get_text() == "epoch 0\nepoch 1\nepoch 2\n"


def test_a_big_notebook_builds_with_each_image_written_once(built):
    page_path = BIG_NOTEBOOK.removesuffix(".ipynb") + "/index.html"
    body = article(built, page_path)
    figures = body.select("img.nb-figure")
    assert len(figures) == 120
    # Runs 0, 10, 20, ... show the same picture: one file for all twelve.
    assert len({f["src"] for f in figures}) == 109
    folder = built.site / "notebooks/big/training log_files"
    assert len(list(folder.iterdir())) == 109
    long_streams = body.select(".nb-long")
    assert [block["data-cb-lines"] for block in long_streams[:4]] == ["3000"] * 4
    assert all(b.select_one("button.nb-long__toggle[hidden]") for b in long_streams)
    assert (built.site.parent / "docs" / BIG_NOTEBOOK).stat().st_size >= 3_000_000


def markdown_cell(source: str, **extra) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source, **extra}


def test_broken_links_and_attachments_name_the_notebook_and_the_cell(fixture_site):
    site = fixture_site("notebooks:\n  execute: false\n")
    site.write("docs/lecture.md", "# Lecture\n\n## Known\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Broken"),
        nbformat.v4.new_markdown_cell(
            "[gone](missing.ipynb) and [bad anchor](../lecture.md#unknown) and "
            "[good](../lecture.md#known)\n\n![x](attachment:nothing.png)"
        ),
    ]
    site.write("docs/week 1/broken – links.ipynb", json.dumps(nbformat.from_dict(nb)))
    site.write("docs/lecture.md", "# Lecture\n\n## Known\n")
    quiet = site.build(quiet=True)
    assert quiet.returncode == 1
    # Missing anchors follow MkDocs's validation setting (info by default): two problems.
    assert "ERROR   -  coursebook: 2 problem(s) in a strict build" in quiet.log
    build = site.build()
    assert build.returncode == 1
    name = "week 1/broken – links.ipynb"
    assert f"{name}: cell 2: no attachment 'nothing.png' in the cell" in build.log
    assert (
        f"{name}: cell 2: link 'missing.ipynb' points at 'week 1/missing.ipynb', "
        "which is not among the documentation files"
    ) in build.log
    assert (
        f"{name}: cell 2: link '../lecture.md#unknown': 'lecture.md' has no anchor '#unknown'"
        in (build.log)
    )
    assert "'../lecture.md#known'" not in build.log
    assert "broken – links.md" not in build.log  # messages never name the generated page
