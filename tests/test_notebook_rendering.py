"""Units of the notebook renderer: Jupyter's Markdown edge cases, output priority, terminal
colours, click-to-load players and headings that Python-Markdown must leave alone."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup
from coursebook.notebooks.ansi import ansi_to_html
from coursebook.notebooks.embeds import badges_as_text, defer_iframes, page_url
from coursebook.notebooks.fragments import FRAGMENT_PATTERN
from coursebook.notebooks.to_markdown import notebook_to_markdown


def render(*cells) -> tuple[str, BeautifulSoup]:
    nb = {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    rendered = notebook_to_markdown(nb, image_prefix="nb_files/")
    html = FRAGMENT_PATTERN.sub(lambda m: rendered.fragments[int(m[1])], rendered.markdown)
    return rendered.markdown, BeautifulSoup(html, "html.parser")


def md(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def output_cell(*outputs) -> dict:
    return {"cell_type": "code", "metadata": {}, "source": "", "outputs": list(outputs)}


def test_tight_headings_and_lists_after_text_follow_jupyter():
    page, soup = render(md("#Title\nText\n- a\n- b\n  - nested"))
    assert page.startswith("# Title { #Title }")
    assert [li.get_text(" ", strip=True) for li in soup.select("li")] == ["a", "b nested", "nested"]


def test_math_beside_underscores_and_stars_stays_math():
    _, soup = render(md("$a_i * b_j$ and _x_ and $$\\sum_i x_i$$"))
    assert [m.get_text() for m in soup.select(".arithmatex")] == [
        "\\(a_i * b_j\\)",
        "\\[\\sum_i x_i\\]",
    ]
    assert soup.select_one("em").get_text() == "x"


def test_headings_pass_python_markdown_unchanged():
    page, _ = render(md("## Loss $\\mathcal{L}_i^*$ of *the* `model_fn` (c) :smile:"))
    converted = markdown.markdown(
        page,
        extensions=["toc", "attr_list", "pymdownx.arithmatex", "pymdownx.smartsymbols"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    heading = BeautifulSoup(converted, "html.parser").select_one("h2")
    assert heading.select_one(".arithmatex").get_text() == "\\(\\mathcal{L}_i^*\\)"
    assert heading.select_one("em").get_text() == "the"
    assert heading.select_one("code").get_text() == "model_fn"
    assert heading.get_text().endswith("(c) :smile:")


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ({"text/html": "<b>h</b>", "image/png": "iVBORw0KGgo=", "text/plain": "t"}, "b"),
        ({"image/png": "iVBORw0KGgo=", "text/plain": "t"}, "img"),
        ({"text/latex": "$$x^2$$", "text/plain": "t"}, "div.nb-latex"),
        ({"text/markdown": "* a", "text/plain": "t"}, "div.nb-markdown li"),
        ({"application/javascript": "alert(1)", "text/plain": "t"}, "pre.nb-result"),
    ],
)
def test_outputs_follow_nbconverts_priority(data, shown):
    _, soup = render(output_cell({"output_type": "display_data", "data": data, "metadata": {}}))
    assert soup.select(shown)
    assert "alert(1)" not in str(soup)
    # Only the richest one: never a second rendering of the same output beside it.
    if shown != "img":
        assert soup.select("img") == []
    if shown != "pre.nb-result":
        assert [pre for pre in soup.select("pre") if pre.get_text().strip() == "t"] == []


def test_latex_output_is_written_for_arithmatex():
    data = {"text/latex": "$\\displaystyle x^{2}$", "text/plain": "x**2"}
    _, soup = render(output_cell({"output_type": "execute_result", "data": data, "metadata": {}}))
    assert soup.select_one("div.arithmatex").get_text() == "\\(\\displaystyle x^{2}\\)"


def test_progress_bars_keep_their_last_state_and_streams_merge():
    _, soup = render(
        output_cell(
            {"output_type": "stream", "name": "stderr", "text": "10%\r50%\r100%\n"},
            {"output_type": "stream", "name": "stderr", "text": "done\n"},
        )
    )
    assert [pre.get_text() for pre in soup.select("pre")] == ["100%\ndone\n"]


def test_ansi_colours_become_classes_and_other_escapes_go():
    text = "\x1b[0;31mError\x1b[0m \x1b[1;94m<x>\x1b[0m\x1b[2K plain"
    assert ansi_to_html(text) == (
        '<span class="ansi-red-fg">Error</span> '
        '<span class="ansi-blue-intense-fg ansi-bold">&lt;x&gt;</span> plain'
    )


@pytest.mark.parametrize(
    ("src", "address", "face"),
    [
        (
            "https://www.youtube.com/embed/abc?start=30",
            "https://www.youtube.com/watch?v=abc&t=30s",
            "YouTube video abc",  # untitled: the id tells players apart
        ),
        ("https://player.vimeo.com/video/123", "https://vimeo.com/123", "Vimeo video"),
        (
            "https://example.org/widget",
            "https://example.org/widget",
            "Embedded page from example.org",
        ),
    ],
)
def test_iframes_become_placeholders_that_load_nothing(src, address, face):
    soup = BeautifulSoup(defer_iframes(f'<p><iframe src="{src}"></iframe></p>'), "html.parser")
    embed = soup.select_one("[data-cb-embed]")
    assert embed.select_one(".cb-embed__title").get_text() == face
    assert embed.select_one(".cb-embed__address a")["href"] == address
    assert page_url(src) == address
    # The player itself is only inside the inert template.
    assert [f.parent.name for f in soup.find_all("iframe")] == ["template"]


def test_inline_frames_without_an_address_elsewhere_stay():
    frame = '<iframe srcdoc="<p>hi</p>"></iframe>'
    assert defer_iframes(frame) == frame


def test_off_site_badges_become_text_other_images_stay():
    text = (
        '<img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab">'
        '<img src="figure.png" alt="a figure">'
    )
    soup = BeautifulSoup(badges_as_text(text), "html.parser")
    assert soup.select_one(".cb-badge").get_text() == "Open In Colab"
    assert [img["src"] for img in soup.select("img")] == ["figure.png"]


def test_raw_cells_are_kept_only_when_meant_for_html():
    _, soup = render(
        {"cell_type": "raw", "metadata": {"format": "text/html"}, "source": "<b>kept</b>"},
        {"cell_type": "raw", "metadata": {"format": "text/latex"}, "source": "\\newpage"},
    )
    assert soup.select_one("b").get_text() == "kept"
    assert "newpage" not in soup.get_text()
