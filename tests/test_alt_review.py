"""An adversarial review of alt text (issue 24): inputs as real courses write them, against the
page check (pages/alt_text.py), the describer (figure_description.py) and the kernel hook
(kernel_figures.py). Each test is an attack: those marked xfail are defects not fixed here."""

from __future__ import annotations

import base64
import copy
import datetime
import io
import json
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest
from bs4 import BeautifulSoup
from coursebook.notebooks import execute
from coursebook.notebooks.figure_description import describe_figure
from coursebook.notebooks.fragments import FRAGMENT_PATTERN
from coursebook.notebooks.to_markdown import notebook_to_markdown
from coursebook.pages.alt_text import page_alt_problems
from test_notebooks import PNG_1PX

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after choosing the backend


def problems(markdown: str) -> list[str]:
    return page_alt_problems(markdown, "docs/p.md")


def missing(src: str, line: int) -> str:
    return (
        f"docs/p.md: line {line}: image '{src}' has no alt text: write what it shows, "
        f"![what it shows]({src}), or mark it decorative, ![]({src}){{ role=presentation }}"
    )


# --- pages -------------------------------------------------------------------------------


def test_attr_list_alt_is_the_images_alt_text():
    """attr_list sets any attribute, `alt` too: `![](x.png){ alt="..." }` is written as
    `<img alt="...">` (checked in `review_site` below), so it is no problem."""
    assert problems('![](loss.png){ alt="Loss falls from 2.3 to 0.1" }\n') == []
    assert problems('![](loss.png){: .wide alt="Loss falls" }\n') == []
    # An empty one says nothing more than the empty brackets.
    assert problems('![](loss.png){ alt="" }\n') == [missing("loss.png", 1)]


def test_an_escaped_bang_is_a_link_not_an_image():
    r"""`\![](x.png)` is a `!` and then a link: Python-Markdown writes no <img>."""
    assert problems("See \\![](loss.png) here.\n") == []
    assert problems("\\![](a.png) and ![](b.png)\n") == [missing("b.png", 1)]


@pytest.mark.parametrize(
    ("markdown", "found"),
    [
        # Reference style: the alt text is the first brackets, the reference the second.
        ("![][logo]\n\n[logo]: logo.png\n", [missing("logo", 1)]),
        ("![Course logo][logo]\n\n[logo]: logo.png\n", []),
        # Inside blocks the check does not parse: an admonition, a tab, a list, a table.
        ("!!! note\n\n    Text.\n\n    ![](a.png)\n", [missing("a.png", 5)]),
        ('=== "Plot"\n\n    ![](a.png)\n', [missing("a.png", 3)]),
        ("- one\n- two ![](a.png)\n", [missing("a.png", 2)]),
        ("| a | b |\n|---|---|\n| ![](a.png) | 1 |\n", [missing("a.png", 3)]),
        # A badge in a link: the link's only name would be the image's.
        ("[![](badge.svg)](https://ci.example.org)\n", [missing("badge.svg", 1)]),
        # Code in the fences superfences reads, nested in an admonition too, is no image.
        ("````markdown\n```\n![](a.png)\n```\n````\n", []),
        ("!!! note\n\n    ~~~\n    ![](a.png)\n    ~~~\n", []),
        # Commented out, on one line or several.
        ("<!-- ![](a.png) -->\n<!--\n<img src=b.png>\n-->\n", []),
    ],
)
def test_images_where_courses_put_them(markdown, found):
    assert problems(markdown) == found


@pytest.mark.parametrize(
    ("markdown", "line"),
    [
        ('<div markdown>\n\n<img src="a.png">\n\n</div>\n', 3),  # md_in_html
        ('<picture>\n  <source srcset="a.webp">\n  <img src="a.png">\n</picture>\n', 3),
        ('Text <img\n  src="a.png"\n  width="300"> more.\n', 1),  # a tag over lines
    ],
)
def test_html_images_in_blocks_and_pictures(markdown, line):
    assert problems(markdown) == [
        f'docs/p.md: line {line}: <img src="a.png"> has no alt attribute: add '
        'alt="what it shows", or alt="" if it is only decoration'
    ]
    assert problems(markdown.replace('src="a.png"', 'src="a.png" alt="A chart"')) == []


@pytest.mark.parametrize("attributes", ['{ alt="Loss falls" }', "{ role=presentation }"])
def test_attribute_lists_are_text_in_a_notebook_cell(attributes):
    """Jupyter's Markdown (markdown-it here, as in JupyterLab) has no attr_list: `{ ... }` after
    an image is text on the page, the image's alt stays empty, and the fix named is HTML."""
    cell = nbformat.v4.new_markdown_cell(f"![](plot.png){attributes}")
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    page = notebook_to_markdown(nb, image_prefix="nb_files/")
    html = FRAGMENT_PATTERN.sub(lambda m: page.fragments[int(m[1])], page.markdown)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("img")["alt"] == ""
    assert attributes in soup.get_text()
    assert page.problems == [
        "cell 1: line 1: image 'plot.png' has no alt text: write what it shows, "
        '![what it shows](plot.png), or mark it decorative, <img src="plot.png" alt="">'
    ]


@pytest.mark.xfail(
    strict=True,
    reason="defect: an indented code block (4 spaces after a paragraph, Python-Markdown's "
    "code) is scanned as text: `    ![](x.png)` shown as code is reported as an image",
)
def test_an_indented_code_block_is_code():
    assert problems("An example:\n\n    ![](a.png)\n\nDone.\n") == []


PNG = base64.b64decode(PNG_1PX)


@pytest.fixture(scope="module")
def review_site(module_fixture_site):
    site = module_fixture_site()
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "markdown_extensions:\n",
        "exclude_docs: |\n  excluded.md\nmarkdown_extensions:\n  - attr_list\n"
        "  - md_in_html\n  - pymdownx.snippets:\n      base_path: [snippets]\n",
    )
    site.write("mkdocs.yml", config + "hooks:\n  - early.py\n")
    # As a template plugin listed before coursebook (mkdocs-macros): the Markdown coursebook
    # sees is no longer the file's text.
    site.write(
        "early.py",
        """\
        from mkdocs.plugins import event_priority


        @event_priority(100)
        def on_page_markdown(markdown, **kwargs):
            return markdown.replace("{{ course }}", "ML 101")
        """,
    )
    site.write("docs/macro.md", "---\ntitle: M\nauthor: x\n---\n\n# {{ course }}\n\n![](a.png)\n")
    for name in ("a.png", "b.png", "c.png", "from-snippet.png"):
        site.write(f"docs/{name}", PNG)
    # Front matter over several lines (a block scalar), then blank lines: the line is the
    # file's, not the body's.
    site.write(
        "docs/front.md",
        "---\ntitle: Front\ndescription: |\n  two\n  lines\n---\n\n\n# Front\n\n![](a.png)\n",
    )
    (site.root / "docs/crlf.md").write_bytes(b"---\r\ntitle: C\r\n---\r\n\r\n![](b.png)\r\n")
    site.write("docs/plain.md", "# No front matter\n\nText.\n\n![](c.png)\n")
    site.write("docs/attr.md", '# Attr\n\n![](a.png){ alt="Loss against epoch" }\n')
    site.write("docs/escaped.md", "# Escaped\n\nA \\![](a.png) link.\n")
    site.write("docs/excluded.md", "# Not published\n\n![](a.png)\n")
    site.write("docs/snipped.md", '# Snippet\n\n--8<-- "figure.md"\n\n![](a.png)\n')
    site.write("snippets/figure.md", "![](from-snippet.png)\n")
    return site.build()


def test_lines_are_the_files_with_or_without_front_matter(review_site):
    log = review_site.log
    assert "  docs/front.md: line 11: image 'a.png' has no alt text" in log
    assert "  docs/crlf.md: line 5: image 'b.png' has no alt text" in log
    assert "  docs/plain.md: line 5: image 'c.png' has no alt text" in log
    # Was line 3 (the body's line) once another plugin had rewritten the page's Markdown.
    assert "  docs/macro.md: line 8: image 'a.png' has no alt text" in log


def test_attr_list_alt_and_escaped_images_are_no_problems_in_a_build(review_site):
    assert review_site.returncode == 1
    assert "docs/attr.md" not in review_site.log
    assert "docs/escaped.md" not in review_site.log
    # What Python-Markdown made of them: the alt attr_list gave, and no image at all.
    attr = BeautifulSoup((review_site.site / "attr/index.html").read_text(), "html.parser")
    assert attr.select_one("article img")["alt"] == "Loss against epoch"
    escaped = BeautifulSoup((review_site.site / "escaped/index.html").read_text(), "html.parser")
    assert escaped.select("article img") == []


def test_a_page_excluded_from_the_site_is_not_checked(review_site):
    assert "excluded.md" not in review_site.log
    assert "coursebook: 6 problem(s) in a strict build:" in review_site.log


def test_an_image_in_a_snippet_include_is_reported(review_site):
    """The check ran on the page's Markdown before pymdownx.snippets inserted the include,
    and the page got an <img alt=""> without a word."""
    soup = BeautifulSoup((review_site.site / "snipped/index.html").read_text(), "html.parser")
    assert soup.select_one("article img")["alt"] == ""  # what the page shows
    assert (
        "  docs/snipped.md (includes expanded): line 3: image 'from-snippet.png' has no alt "
        "text: write what it shows"
    ) in review_site.log
    # The page's own image is named once, by the file's line (a warning, and the summary).
    assert review_site.log.count("docs/snipped.md: line 5: image 'a.png'") == 2
    assert "(includes expanded): line 5" not in review_site.log


# --- the describer -----------------------------------------------------------------------


def described(draw, **subplot) -> str | None:
    fig = plt.figure()
    draw(fig.add_subplot(111, **subplot))
    fig.savefig(io.BytesIO(), format="png")
    try:
        return describe_figure(fig)
    finally:
        plt.close(fig)


def test_a_long_legend_is_named_up_to_a_point():
    def draw(ax):
        for n in range(60):
            ax.plot([0, 1], [n, n + 1], label=f"seed {n}")
        ax.legend()

    text = described(draw)
    assert text.endswith(
        "; 60 series: seed 0, seed 1, seed 2, seed 3, seed 4, seed 5, seed 6, seed 7, …"
    )
    assert len(text) < 200


def test_a_date_axis_reads_as_dates():
    start = datetime.date(2024, 1, 1)
    days = [start + datetime.timedelta(days=n) for n in range(30)]
    text = described(lambda ax: (ax.plot(days, range(30)), ax.set_xlabel("day")))
    assert text == "Line plot: unlabelled y-axis (0–29) against day (2024-01-01–2024-01-30)"
    hours = [datetime.datetime(2024, 3, 1, 9) + datetime.timedelta(hours=n) for n in range(4)]
    text = described(lambda ax: ax.plot(hours, range(4)))
    assert "(2024-03-01 09:00–2024-03-01 12:00)" in text


def test_a_line_of_nothing_but_nan_is_nothing_described():
    """All-NaN data draws nothing: its "range" would be the empty view's ±0.055."""
    assert described(lambda ax: ax.plot([1, 2, 3], [float("nan")] * 3)) is None
    text = described(lambda ax: ax.plot([1, 2, 3], [1, float("inf"), 3]))
    assert text == "Line plot: unlabelled y-axis (1–3) against unlabelled x-axis (1–3)"


def test_a_3d_plot_says_its_height():
    """Was '3D line plot: b (3–4) against a (1–2)': the z-axis, what the plot shows, left out;
    a 3D scatter was described as nothing, and an empty 3D axes as '3D plot'."""

    def line(ax):
        ax.plot([1, 2], [3, 4], [5, 60])
        ax.set(xlabel="a", ylabel="b", zlabel="loss")

    assert (
        described(line, projection="3d") == "3D line plot: loss (5–60) against a (1–2) and b (3–4)"
    )
    grid = np.meshgrid(range(3), range(3))
    surface = described(lambda ax: ax.plot_surface(*grid, grid[0] * grid[1]), projection="3d")
    assert surface == (
        "3D surface plot: unlabelled z-axis (0–4) against unlabelled x-axis (0–2) and "
        "unlabelled y-axis (0–2)"
    )
    scatter = described(lambda ax: ax.scatter([1, 2], [1, 3], [0, 9]), projection="3d")
    assert scatter.startswith("3D scatter plot: unlabelled z-axis (0–9)")
    assert described(lambda ax: None, projection="3d") is None


def test_a_polar_plot_is_radius_against_angle():
    """Was 'Line plot: unlabelled y-axis (0–2) against unlabelled x-axis (0–3.14)'."""
    text = described(
        lambda ax: ax.plot(np.linspace(0, np.pi, 50), np.linspace(0, 2, 50)), projection="polar"
    )
    assert text == "Polar line plot: radius (0–2) against angle (0–180°)"


def test_hexbin_is_a_heatmap_with_its_colour_scale():
    """Was 'Area plot: ...' (its hexagons are a PolyCollection, as fill_between's area is)."""
    rng = np.random.default_rng(0)

    def draw(ax):
        ax.hexbin(rng.normal(size=200), rng.normal(size=200), gridsize=5)
        ax.set(xlabel="a", ylabel="b")

    text = described(draw)
    assert text.startswith("Heatmap: b (")
    assert "against a (" in text
    assert "; colour scale 0–" in text
    area = described(lambda ax: ax.fill_between([0, 1, 2], [0, 1, 0]))
    assert area == "Area plot: unlabelled y-axis (0–1) against unlabelled x-axis (0–2)"


@pytest.mark.xfail(
    strict=True,
    reason="defect: a bar chart with error bars drawn as lines (seaborn's barplot does so) is "
    "'Bar and line plot: ...; 4 series': its error bars are called a line plot and series",
)
def test_error_bars_drawn_as_lines_are_not_series():
    def draw(ax):
        ax.bar(["a", "b", "c"], [1, 2, 3])
        for i, v in enumerate([1, 2, 3]):
            ax.plot([i, i], [v - 0.2, v + 0.2], color="k")

    assert described(draw).startswith("Bar chart: ")


@pytest.mark.xfail(
    strict=True,
    reason="defect: a violin plot is described as 'Area plot: ...' (its bodies are "
    "PolyCollections): a distribution's shape called an area",
)
def test_a_violin_plot_is_not_an_area_plot():
    rng = np.random.default_rng(0)
    assert not described(lambda ax: ax.violinplot([rng.normal(size=50)])).startswith("Area")


@pytest.mark.xfail(
    strict=True,
    reason="defect: a box plot is described as 'Line and scatter plot: ...; 19 series' (its "
    "boxes, whiskers, caps, medians and fliers are Line2D): a wrong description, where none "
    "would at least be reported",
)
def test_a_box_plot_is_not_called_a_line_plot():
    text = described(lambda ax: ax.boxplot([[1, 2, 3, 10], [2, 3, 4], [1, 5, 6]]))
    assert text is None or text.startswith("Box plot")


# --- the page's alt attribute ------------------------------------------------------------


def test_a_description_with_markup_and_quotes_is_escaped_in_the_attribute():
    alt = 'Line plot \'<script>alert("x")</script> & "q"\': y (1–2) against x (0–1)'
    cell = nbformat.v4.new_code_cell("plot()")
    cell.outputs = [
        nbformat.from_dict(
            {
                "output_type": "display_data",
                "data": {"image/png": PNG_1PX, "text/plain": "<Figure>"},
                "metadata": {"coursebook": {"alt": alt}},
            }
        )
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    page = notebook_to_markdown(nb, image_prefix="nb_files/")
    html = FRAGMENT_PATTERN.sub(lambda m: page.fragments[int(m[1])], page.markdown)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("img.nb-figure")["alt"] == alt
    assert soup.select("script") == []


def rendered_cells(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    page = notebook_to_markdown(nb, image_prefix="nb_files/")
    html = FRAGMENT_PATTERN.sub(lambda m: page.fragments[int(m[1])], page.markdown)
    return page, BeautifulSoup(html, "html.parser")


def figure_cell(source: str) -> dict:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [
        nbformat.from_dict(
            {
                "output_type": "display_data",
                "data": {"image/png": PNG_1PX, "text/plain": "<Figure>"},
                "metadata": {"coursebook": {"alt": "Line plot: y (0–1) against x (0–3)"}},
            }
        )
    ]
    return cell


@pytest.mark.parametrize(
    ("option", "read_as"),
    [("Yes", "True"), ("2024", "2024"), ("\n#|   - Loss falls\n#|   - 0.5", "0.5")],
)
def test_a_fig_alt_yaml_reads_as_no_text_is_a_problem_not_dropped(option, read_as):
    """`#| fig-alt: Yes` is YAML's true: the author's text was dropped without a word, and the
    kernel's description shown in its place."""
    page, soup = rendered_cells(figure_cell(f"#| fig-alt: {option}\nplot()"))
    assert page.problems == [
        f'cell 1: `fig-alt` is read by YAML as {read_as}, not text: quote it, `#| fig-alt: "..."`'
    ]
    assert soup.select_one("img")["alt"] == "Line plot: y (0–1) against x (0–3)"


@pytest.mark.parametrize(
    ("option", "alt"),
    [
        ('"Loss: falls"', "Loss: falls"),
        ("'It''s: the loss'", "It's: the loss"),
        (">\n#|   Loss falls\n#|   steadily", "Loss falls steadily"),
        ('"<b>bold</b> & \\"quoted\\""', '<b>bold</b> & "quoted"'),
    ],
)
def test_fig_alt_in_yamls_quoted_and_folded_forms(option, alt):
    page, soup = rendered_cells(figure_cell(f"#| fig-alt: {option}\nplot()"))
    assert page.problems == []
    assert soup.select_one("img")["alt"] == alt


# --- the kernel --------------------------------------------------------------------------

CELLS = [
    "%matplotlib inline\nimport matplotlib.pyplot as plt\n"
    "fig, ax = plt.subplots(); ax.plot([1, 2, 3]); ax.set_title('png'); plt.show()",
    # SVG output.
    "%config InlineBackend.figure_format = 'svg'\n"
    "fig, ax = plt.subplots(); ax.plot([1, 2, 3]); ax.set_title('svg'); plt.show()\n"
    "%config InlineBackend.figure_format = 'png'",
    # One figure shown twice, and then as a cell's value.
    "fig, ax = plt.subplots(); ax.plot([3, 2, 1]); ax.set_title('twice'); plt.close(fig)\n"
    "from IPython.display import display\ndisplay(fig); display(fig)",
    "fig",
    # A transparent figure: the inline backend adds metadata of its own (needs_background).
    "fig, ax = plt.subplots(); fig.patch.set_alpha(0); ax.plot([1, 2]); "
    "ax.set_title('clear'); plt.show()",
    # Three figures, two alt texts: the third is the kernel's.
    "#| fig-alt:\n#|   - first\n#|   - second\nfor i in range(3):\n"
    "    plt.figure(); plt.plot([i, i + 1]); plt.title(f'fig {i}'); plt.show()",
    # A notebook that wraps the display formatter itself, positional arguments and all.
    "ip = get_ipython(); before = ip.display_formatter.format\n"
    "ip.display_formatter.format = lambda obj, include=None, exclude=None: "
    "before(obj, include, exclude)\nplt.plot([1, 5]); plt.title('wrapped'); plt.show()",
]


def run(nb, hook: bool, monkeypatch) -> dict:
    with monkeypatch.context() as patch:
        if not hook:
            patch.setattr(execute, "describe_figures_line", lambda: "--IPKernelApp.exec_lines=")
        return execute.execute_notebook(
            copy.deepcopy(nb), workdir=Path.cwd(), display_path="t.ipynb", timeout=120
        )


@pytest.fixture(scope="module")
def kernel_runs():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    monkeypatch = pytest.MonkeyPatch()
    try:
        return nb, run(nb, True, monkeypatch), run(nb, False, monkeypatch)
    finally:
        monkeypatch.undo()


def descriptions(nb) -> list[list[str | None]]:
    return [
        [(o.get("metadata") or {}).get("coursebook", {}).get("alt") for o in cell.outputs]
        for cell in nb.cells
    ]


def test_every_way_of_showing_a_figure_is_described(kernel_runs):
    _, hooked, plain = kernel_runs
    line = "Line plot '{}': unlabelled y-axis ({}) against unlabelled x-axis ({})"
    assert descriptions(hooked) == [
        [line.format("png", "1–3", "0–2")],
        [line.format("svg", "1–3", "0–2")],
        [line.format("twice", "1–3", "0–2")] * 2,
        [line.format("twice", "1–3", "0–2")],
        [line.format("clear", "1–2", "0–1")],
        [line.format(f"fig {i}", f"{i}–{i + 1}", "0–1") for i in range(3)],
        [line.format("wrapped", "1–5", "0–1")],
    ]
    assert [o.metadata.get("needs_background") for o in hooked.cells[4].outputs] == ["light"]
    assert "image/svg+xml" in hooked.cells[1].outputs[0].data
    assert descriptions(plain) == [[None] * len(c) for c in descriptions(hooked)]


def test_the_hook_changes_nothing_but_the_description(kernel_runs):
    """The executed outputs, less `metadata.coursebook`, are those of a run without the hook
    (an SVG holds its date and random ids, so it is compared without them)."""
    _, hooked, plain = kernel_runs

    def comparable(nb) -> list:
        cells = json.loads(json.dumps(nb))["cells"]
        for cell in cells:
            for output in cell["outputs"]:
                (output.get("metadata") or {}).pop("coursebook", None)
                svg = output.get("data", {}).get("image/svg+xml")
                if svg is not None:
                    output["data"]["image/svg+xml"] = len(svg.split("<path"))
        return [(c["execution_count"], c["outputs"]) for c in cells]

    assert comparable(hooked) == comparable(plain)


def test_a_fig_alt_list_shorter_than_the_figures_falls_through_to_the_kernels(kernel_runs):
    _, hooked, _ = kernel_runs
    page = notebook_to_markdown(hooked, image_prefix="nb_files/")
    html = FRAGMENT_PATTERN.sub(lambda m: page.fragments[int(m[1])], page.markdown)
    images = BeautifulSoup(html, "html.parser").select("img.nb-figure")
    assert [img["alt"] for img in images[6:9]] == [
        "first",
        "second",
        "Line plot 'fig 2': unlabelled y-axis (2–3) against unlabelled x-axis (0–1)",
    ]
    assert page.undescribed == []


def test_the_hook_needs_no_matplotlib_in_the_kernel():
    """A kernel without matplotlib installed starts, and
    shows everything as before: the hook imports neither matplotlib nor coursebook."""
    import subprocess
    import sys

    script = (
        "import sys, runpy\n"
        "sys.modules['matplotlib'] = None  # import matplotlib now fails\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        f"runpy.run_path({str(execute.KERNEL_FIGURES)!r})\n"
        "print(shell.display_formatter.format(42)[0]['text/plain'], shell._coursebook_figures)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "42 True"
