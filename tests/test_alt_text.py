"""Alt text (issue 24): the author's for notebook figures (`#| fig-alt:`, metadata), else the
description the kernel wrote, else empty and reported; images written without alt text in a
page or a notebook's Markdown cell are problems naming the file and line."""

from __future__ import annotations

import base64
import json

import nbformat
import pytest
from bs4 import BeautifulSoup
from coursebook.notebooks.fragments import FRAGMENT_PATTERN
from coursebook.notebooks.image_alt import cell_alt_problems
from coursebook.notebooks.to_markdown import notebook_to_markdown
from coursebook.pages.alt_text import page_alt_problems
from test_notebooks import PNG_1PX

GENERATED = "Line plot: y (0–1) against x (0–3)"


def figure_output(alt: str | None = None) -> dict:
    metadata = {"coursebook": {"alt": alt}} if alt else {}
    return {
        "output_type": "display_data",
        "data": {"image/png": PNG_1PX, "text/plain": "<Figure>"},
        "metadata": metadata,
    }


def figure_cell(source: str, *outputs, metadata: dict | None = None) -> dict:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    cell.metadata.update(metadata or {})
    return cell


def rendered(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    page = notebook_to_markdown(nb, image_prefix="nb_files/")
    html = FRAGMENT_PATTERN.sub(lambda m: page.fragments[int(m[1])], page.markdown)
    return page, BeautifulSoup(html, "html.parser")


def test_the_kernels_description_is_the_alt_text():
    page, soup = rendered(figure_cell("plot()", figure_output(GENERATED)))
    image = soup.select_one("img.nb-figure")
    assert image["alt"] == GENERATED
    assert not image.has_attr("data-coursebook-alt")
    assert page.undescribed == []


def test_fig_alt_wins_over_the_metadata_which_wins_over_the_description():
    source = "#| fig-alt: Loss falls from 2 to 0.1 over 300 epochs\nplot()"
    _, soup = rendered(
        figure_cell(
            source,
            figure_output(GENERATED),
            metadata={"coursebook": {"alt": "from the metadata"}},
        )
    )
    assert soup.select_one("img")["alt"] == "Loss falls from 2 to 0.1 over 300 epochs"
    _, soup = rendered(
        figure_cell(
            "plot()", figure_output(GENERATED), metadata={"coursebook": {"alt": "from metadata"}}
        )
    )
    assert soup.select_one("img")["alt"] == "from metadata"


def test_a_list_gives_each_figure_its_own_and_a_string_only_the_first():
    cell = figure_cell(
        "#| fig-alt:\n#|   - the first\n#|   - the second\n#| fig-cap: Both runs\nplot()",
        figure_output(GENERATED),
        figure_output(GENERATED),
        figure_output("third, as generated"),
    )
    _, soup = rendered(cell)
    assert [img["alt"] for img in soup.select("img")] == [
        "the first",
        "the second",
        "third, as generated",
    ]
    # The caption (a string) is the first figure's, shown under it.
    assert [f.get_text() for f in soup.select("figure figcaption")] == ["Both runs"]
    assert soup.select_one("figure img")["alt"] == "the first"
    cell = figure_cell(
        "plot()",
        figure_output(),
        figure_output(GENERATED),
        metadata={"coursebook": {"alt": "only the first"}},
    )
    _, soup = rendered(cell)
    assert [img["alt"] for img in soup.select("img")] == ["only the first", GENERATED]


def test_a_figure_nobody_described_has_an_empty_alt_and_is_reported():
    """Never a placeholder: an empty alt, a marker the audit reads, and a note naming the
    cell, the output and the fix."""
    page, soup = rendered(
        nbformat.v4.new_markdown_cell("# Results"),
        figure_cell(
            "print('x')\nshow()",
            {"output_type": "stream", "name": "stdout", "text": "x"},
            figure_output(),
        ),
    )
    image = soup.select_one("img.nb-figure")
    assert image["alt"] == ""
    assert image["data-coursebook-alt"] == "missing"
    assert page.undescribed == [
        "cell 2: output 2: no alt text: coursebook describes the matplotlib figures it runs, "
        "but could not describe this one; say what it shows with `#| fig-alt: ...` as the "
        'cell\'s first line (or `"coursebook": {"alt": "..."}` in the cell\'s metadata)'
    ]
    assert "Figure produced by" not in str(soup)


def test_a_caption_alone_is_the_alt_text_and_not_reported():
    page, soup = rendered(figure_cell("#| fig-cap: Accuracy per epoch\nplot()", figure_output()))
    assert soup.select_one("figure img")["alt"] == "Accuracy per epoch"
    assert soup.select_one("figcaption").get_text() == "Accuracy per epoch"
    assert page.undescribed == []


@pytest.mark.parametrize(
    ("markdown", "found"),
    [
        ("![](plot.png)", ["line 3: image 'plot.png' has no alt text"]),
        ("![  ][ref]\n\n[ref]: x.png", ["line 3: image 'ref' has no alt text"]),
        ('<p>\n<img src="a.png" width="3">\n</p>', ['line 4: <img src="a.png"> has no alt']),
        ("![](deco.png){ role=presentation }", []),
        ('![](deco.png){: role="none" }', []),
        ('<img src="deco.png" alt="">', []),
        ("![A loss curve](loss.png)", []),
        ("```md\n![](shown-as-code.png)\n```", []),
        ("Write `![](x.png)` for an image.", []),
        ("<!-- ![](commented.png) -->", []),
    ],
)
def test_page_images_without_alt_text(markdown, found):
    problems = page_alt_problems(f"# Page\n\n{markdown}\n", "docs/p.md", first_line=1)
    assert len(problems) == len(found), problems
    for problem, expected in zip(problems, found, strict=True):
        assert problem.startswith(f"docs/p.md: {expected}")


def test_notebook_markdown_cells_are_checked_with_commonmarks_code_rules():
    assert cell_alt_problems("Text\n\n![](attachment:plot.png)") == [
        "line 3: image 'attachment:plot.png' has no alt text: write what it shows, "
        "![what it shows](attachment:plot.png), or mark it decorative, "
        '<img src="attachment:plot.png" alt="">'
    ]
    assert cell_alt_problems("    ![](indented-code.png)") == []
    assert cell_alt_problems('<img src="x.png" alt="">') == []


# Real builds: the kernel describes the figures, the page shows it, the cache keeps it.

PLOT = """\
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.plot([0, 100, 200, 300], [0.1, 0.6, 0.9, 1.0], label="true labels")
ax.plot([0, 100, 200, 300], [0.1, 0.2, 0.4, 0.7], label="random labels")
ax.set(title="Training accuracy", xlabel="epoch", ylabel="accuracy")
ax.legend()
plt.show()"""

DESCRIBED = (
    "Line plot 'Training accuracy': accuracy (0.1–1) against epoch (0–300); "
    "2 series: true labels, random labels"
)


def executed_notebook() -> dict:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Figures"),
        nbformat.v4.new_code_cell(PLOT),
        nbformat.v4.new_code_cell(
            "#| fig-alt: Two dots, one above the other\nplt.plot([0, 0], [0, 1], 'o')\nplt.show()"
        ),
        # Not a matplotlib figure: nothing to describe it from.
        nbformat.v4.new_code_cell(
            f"import base64\nfrom IPython.display import Image\n"
            f"Image(data=base64.b64decode({PNG_1PX!r}))"
        ),
    ]
    return nb


def saved_notebook() -> dict:
    """Render-only: saved in Jupyter, its figure has no description."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["coursebook"] = {"execute": "off"}
    nb.cells = [figure_cell("show_saved_plot()", figure_output())]
    return nb


@pytest.fixture(scope="module")
def figures_site(module_fixture_site):
    site = module_fixture_site()
    site.write("docs/figures.ipynb", json.dumps(executed_notebook()))
    site.write("docs/saved.ipynb", json.dumps(saved_notebook()))
    build = site.build()
    assert build.returncode == 0, build.log
    return site, build


def page_images(build, page: str) -> list:
    html = (build.site / page / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").select("article img.nb-figure")


def test_a_notebook_run_by_the_build_describes_its_figures(figures_site):
    _, build = figures_site
    assert "notebooks: 2 executed" not in build.log  # one executed, one render-only
    images = page_images(build, "figures")
    assert [img["alt"] for img in images] == [DESCRIBED, "Two dots, one above the other", ""]
    assert [img.get("data-coursebook-alt") for img in images] == [None, None, "missing"]
    assert "figures.ipynb: cell 4: output 1: no alt text: coursebook describes" in build.log


def test_the_description_is_output_metadata_of_a_valid_notebook(figures_site):
    """What the cache keeps (and a text notebook's download offers) is Jupyter's own format:
    the description is metadata of the figure's output, which Jupyter leaves alone."""
    site, _ = figures_site
    (entry,) = [
        json.loads(path.read_text("utf-8"))
        for path in (site.root / ".cache").rglob("*.json")
        if "execution_counts" in path.read_text("utf-8")
    ]
    nb = executed_notebook()
    for cell, outputs in zip(nb.cells[1:], entry["outputs"], strict=True):
        cell.outputs = [nbformat.from_dict(output) for output in outputs]
    nbformat.validate(nb)
    assert nb.cells[1].outputs[0].metadata == {"coursebook": {"alt": DESCRIBED}}
    assert nb.cells[1].outputs[0].data.keys() == {"image/png", "text/plain"}


def test_a_render_only_figure_is_reported_not_passed(figures_site):
    _, build = figures_site
    (image,) = page_images(build, "saved")
    assert image["alt"] == ""
    assert image["data-coursebook-alt"] == "missing"
    assert "saved.ipynb: cell 1: output 1: no alt text: " in build.log


def test_the_cache_keeps_the_descriptions(figures_site):
    site, _ = figures_site
    again = site.build(site="site-again")
    assert again.returncode == 0, again.log
    assert "0 executed, 1 from cache" in again.log
    assert page_images(again, "figures")[0]["alt"] == DESCRIBED


def test_an_image_without_alt_text_fails_a_strict_build_naming_file_and_line(fixture_site):
    site = fixture_site()
    site.write(
        "docs/lectures/intro.md",
        "---\ntitle: Intro\n---\n\n# Intro\n\nA plot:\n\n![](plot.png)\n\n"
        '![](line.png){ role=presentation }\n\n<img src="raw.png">\n',
    )
    nb = nbformat.v4.new_notebook()
    nb.metadata["coursebook"] = {"execute": "off"}
    cell = nbformat.v4.new_markdown_cell("# N\n\n![](attachment:a.png)")
    cell.attachments = {"a.png": {"image/png": PNG_1PX}}
    nb.cells = [cell]
    site.write("docs/notes.ipynb", json.dumps(nb))
    for name in ("plot.png", "line.png", "raw.png"):
        site.write(f"docs/lectures/{name}", base64.b64decode(PNG_1PX))
    strict = site.build()
    assert strict.returncode == 1
    assert "coursebook: 3 problem(s) in a strict build:" in strict.log
    assert (
        "  docs/lectures/intro.md: line 9: image 'plot.png' has no alt text: write what it "
        "shows, ![what it shows](plot.png), or mark it decorative, "
        "![](plot.png){ role=presentation }\n"
    ) in strict.log
    assert (
        '  docs/lectures/intro.md: line 13: <img src="raw.png"> has no alt attribute: add '
        'alt="what it shows", or alt="" if it is only decoration\n'
    ) in strict.log
    assert "  notes.ipynb: cell 1: line 3: image 'attachment:a.png' has no alt text" in strict.log
    relaxed = site.build(strict=False, site="site-relaxed")
    assert relaxed.returncode == 0
    assert "WARNING -  coursebook: docs/lectures/intro.md: line 9: image 'plot.png'" in relaxed.log


def image_widget_cell(source: str) -> tuple[dict, dict]:
    view = {"model_id": "img", "version_major": 2, "version_minor": 0}
    cell = figure_cell(source)
    cell.outputs = [
        nbformat.from_dict(
            {
                "output_type": "display_data",
                "data": {"application/vnd.jupyter.widget-view+json": view, "text/plain": "Image"},
                "metadata": {},
            }
        )
    ]
    state = {"img": {"model_name": "ImageModel", "state": {"value": PNG_1PX, "format": "png"}}}
    return cell, {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": state}}}


@pytest.mark.parametrize(
    ("source", "alt", "reported"),
    [
        (
            "#| fig-alt: The first weights, as an 8×8 picture\nshow()",
            "The first weights, as an 8×8 picture",
            False,
        ),
        ("show()", "", True),
    ],
)
def test_an_image_widget_is_one_of_the_cells_figures(source, alt, reported):
    """An Image widget has no alt text of its own: the cell's `#| fig-alt:`, else reported."""
    cell, metadata = image_widget_cell(source)
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    nb.metadata.update(metadata)
    page = notebook_to_markdown(nb, image_prefix="nb_files/")
    html = FRAGMENT_PATTERN.sub(lambda m: page.fragments[int(m[1])], page.markdown)
    image = BeautifulSoup(html, "html.parser").select_one("img.nb-figure")
    assert image["alt"] == alt
    assert bool(page.undescribed) is reported
    assert "Image widget of cell" not in html


def test_fig_alt_that_is_not_yaml_is_a_problem_not_lost():
    page, soup = rendered(figure_cell("#| fig-alt: Loss: falls fast\nplot()", figure_output()))
    assert page.problems == [
        "cell 1: line 1: the `#|` options are not YAML (mapping values are not allowed here): "
        'quote the text, `#| fig-alt: "..."`'
    ]
    assert soup.select_one("img")["alt"] == ""  # and reported as undescribed
    assert len(page.undescribed) == 1
