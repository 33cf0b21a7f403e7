"""Fixture notebooks shaped like real Colab and JupyterLab saves, one construct each.

`python tests/notebook_fixtures.py` rewrites the committed ones in tests/data/notebooks/; the
big notebook (3 MB, 120 images, long streams) is made on demand by `write_big_notebook`.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "notebooks"
YOUTUBE_ID = "aircAruvnKk"


def _lines(text: str) -> list[str]:
    """Sources as Jupyter saves them: a list of lines, each with its newline but the last."""
    lines = text.splitlines(keepends=True)
    return lines or [""]


def png(width: int = 8, height: int = 6, seed: int = 0, kind: str = "PNG") -> str:
    """A small real image (base64) whose pixels depend on `seed`."""
    from PIL import Image

    image = Image.new("RGB", (width, height))
    image.putdata(
        [
            ((x * 31 + seed * 7) % 256, (y * 47 + seed * 13) % 256, (seed * 61) % 256)
            for y in range(height)
            for x in range(width)
        ]
    )
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return base64.b64encode(buffer.getvalue()).decode()


def markdown(text: str, **extra) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": _lines(text), **extra}


def code(text: str, outputs=(), count: int | None = 1, metadata=None) -> dict:
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": metadata or {},
        "outputs": list(outputs),
        "source": _lines(text),
    }


def stream(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": _lines(text)}


def display(data: dict, metadata=None, result: int | None = None) -> dict:
    if result is not None:
        return {
            "output_type": "execute_result",
            "execution_count": result,
            "data": data,
            "metadata": metadata or {},
        }
    return {"output_type": "display_data", "data": data, "metadata": metadata or {}}


def with_ids(cells: list[dict], prefix: str) -> list[dict]:
    """JupyterLab (nbformat 4.5) gives every cell an id."""
    return [{"id": f"{prefix}-{n:02d}", **cell} for n, cell in enumerate(cells)]


JUPYTERLAB_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.7",
    },
}

MARKDOWN_CONSTRUCTS = """\
# Markdown as Jupyter renders it

Lists right after a line of text:
- first item with $x_1$ and $x_2$
- second item with *emphasis* and `code_with_underscores`
- third item
  - nested by two spaces
  - another nested item
    1. deeper, numbered
    2. and again
- back to the first level

A loose list:

1. one paragraph

2. another paragraph

   with a second paragraph

Task list:
- [x] written the notebook
- [ ] executed it

#Heading without a space

Setext heading
--------------

### Third-level heading with $\\alpha_i$ math

> A quotation
> over two lines
>
> > and a nested one

| model | accuracy | notes |
|:------|---------:|-------|
| linear | 0.91 | ~~baseline~~ |
| MLP | 0.97 | see https://scikit-learn.org |

<div class="custom">

An HTML block with **Markdown** after a blank line.

</div>

Inline math beside underscores and stars: $a_i * b_j$, $\\mathbb{E}_{x}[f(x)]$ and
$\\sum_{i=1}^{n} x_i^*$, then _emphasis_ and **strong** text.

$$
\\mathcal{L}(\\theta) = \\frac{1}{n} \\sum_{i=1}^{n} \\ell\\big(f_\\theta(x_i), y_i\\big)
$$

\\begin{align}
a &= b + c \\\\
d &= e * f
\\end{align}

Links: [the other notebook](colab-tutorial.ipynb), [its section](colab-tutorial.ipynb#Data),
[the lecture](../lectures/01-intro.md), [a section here](#Setext-heading) and
<https://jupyter.org>.

![A diagram](attachment:diagram.png)

A video, embedded by hand:

<iframe width="560" height="315" src="https://www.youtube.com/embed/aircAruvnKk"
  title="But what is a neural network?" allowfullscreen></iframe>

```python
def not_math(x):
    return x * 2  # $ signs and _underscores_ stay code
```
"""


def markdown_constructs() -> dict:
    cells = [
        markdown(MARKDOWN_CONSTRUCTS, attachments={"diagram.png": {"image/png": png(seed=3)}}),
        markdown("## A second cell\n\n* star bullets\n* work too\n\n1) parenthesis numbers\n"),
        code("print('hello')", [stream("hello\n")]),
    ]
    return {
        "cells": with_ids(cells, "md"),
        "metadata": JUPYTERLAB_METADATA,
        "nbformat": 4,
        "nbformat_minor": 5,
    }


DATAFRAME_HTML = """\
<div>
<style scoped>
    .dataframe tbody tr th:only-of-type {
        vertical-align: middle;
    }

    .dataframe tbody tr th {
        vertical-align: top;
    }

    .dataframe thead th {
        text-align: right;
    }
</style>
<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;">
      <th></th>
      <th>sepal_length</th>
      <th>species</th>
    </tr>
  </thead>
  <tbody>
    <tr>
      <th>0</th>
      <td>5.1</td>
      <td>setosa</td>
    </tr>
    <tr>
      <th>1</th>
      <td>7.0</td>
      <td>versicolor</td>
    </tr>
  </tbody>
</table>
</div>"""

YOUTUBE_HTML = f"""
        <iframe
            width="854"
            height="480"
            src="https://www.youtube.com/embed/{YOUTUBE_ID}?fs=1&rel=0"
            frameborder="0"
            allowfullscreen

        ></iframe>
        """

RED, GREEN, CYAN, BLUE, RESET = "\x1b[0;31m", "\x1b[0;32m", "\x1b[0;36m", "\x1b[0;34m", "\x1b[0m"
ANSI_TRACEBACK = [
    f"{RED}{'-' * 75}{RESET}",
    f"{RED}ZeroDivisionError{RESET}                         Traceback (most recent call last)",
    f"{GREEN}<ipython-input-7-9e1622b385b6>{RESET} in {CYAN}<cell line: 1>{BLUE}(){RESET}\n"
    f"{GREEN}----> 1{RED} {CYAN}1{RESET} {BLUE}/{RESET} {CYAN}0{RESET}{BLUE}{RESET}\n",
    f"{RED}ZeroDivisionError{RESET}: division by zero",
]


def _colab_cell(cell: dict, cell_id: str, output_id: str | None = None) -> dict:
    cell["metadata"] = {"id": cell_id, **cell["metadata"]}
    if output_id:
        cell["metadata"]["outputId"] = output_id
        cell["metadata"]["colab"] = {"base_uri": "https://localhost:8080/", "height": 501}
    return cell


def colab_tutorial() -> dict:
    widget = "application/vnd.jupyter.widget-view+json"
    cells = [
        markdown(
            '<a href="https://colab.research.google.com/github/example/course/blob/main/'
            'tutorial.ipynb" target="_parent"><img src="https://colab.research.google.com/'
            'assets/colab-badge.svg" alt="Open In Colab"/></a>'
        ),
        markdown(
            "# Tutorial 1: a Colab notebook\n"
            "**Week 1, Day 2**\n\n"
            "__Content creators:__ Someone, Someone Else\n\n"
            "---\n"
            "# Setup\n"
        ),
        code("import pandas as pd\nfrom IPython.display import YouTubeVideo", count=1),
        markdown("## Video 1: Introduction\n"),
        code(
            f'YouTubeVideo(id="{YOUTUBE_ID}", width=854, height=480, fs=1, rel=0)',
            [
                display(
                    {
                        "image/jpeg": png(32, 18, seed=5, kind="JPEG"),
                        "text/html": _lines(YOUTUBE_HTML),
                        "text/plain": ["<IPython.lib.display.YouTubeVideo at 0x7f3c1c2d9e50>"],
                    },
                    result=2,
                )
            ],
            count=2,
        ),
        markdown("## Data\n\nA DataFrame, as pandas shows it:"),
        code(
            "df = pd.read_csv('iris.csv')\ndf.head(2)",
            [
                display(
                    {
                        "text/html": _lines(DATAFRAME_HTML),
                        "text/plain": [
                            "   sepal_length     species\n",
                            "0           5.1      setosa\n",
                            "1           7.0  versicolor",
                        ],
                    },
                    result=3,
                )
            ],
            count=3,
        ),
        markdown("## Widgets\n\nA slider saved without its state, and outputs with fallbacks."),
        code(
            "slider = widgets.IntSlider(value=3)\nslider",
            [
                display(
                    {
                        widget: {"model_id": "4f1c", "version_major": 2, "version_minor": 0},
                        "text/plain": ["IntSlider(value=3)"],
                    }
                )
            ],
            count=4,
        ),
        code(
            "interactive_plot",
            [
                display(
                    {
                        widget: {"model_id": "77aa", "version_major": 2, "version_minor": 0},
                        "text/html": ['<p class="fallback">Slider at <b>3</b></p>'],
                        "text/plain": ["interactive(children=(IntSlider(value=3),))"],
                    }
                )
            ],
            count=5,
        ),
        code(
            "figure_widget",
            [
                display(
                    {
                        widget: {"model_id": "9b0e", "version_major": 2, "version_minor": 0},
                        "image/png": png(seed=9),
                    }
                )
            ],
            count=6,
        ),
        code(
            "bare_widget",
            [display({widget: {"model_id": "c3d2", "version_major": 2, "version_minor": 0}})],
            count=7,
        ),
        markdown("## Errors\n\nA cell that raised, with IPython's coloured traceback:"),
        code(
            "1 / 0",
            [
                {
                    "output_type": "error",
                    "ename": "ZeroDivisionError",
                    "evalue": "division by zero",
                    "traceback": ANSI_TRACEBACK,
                }
            ],
            count=8,
        ),
        code(
            "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])",
            [
                display({"text/plain": ["[<matplotlib.lines.Line2D at 0x7f3c>]"]}, result=9),
                display(
                    {"image/png": png(16, 12, seed=1), "text/plain": ["<Figure size 640x480>"]},
                    metadata={"needs_background": "light"},
                ),
            ],
            count=9,
        ),
        code(
            "for epoch in range(3):\n    print(f'epoch {epoch}')",
            [stream("epoch 0\n"), stream("epoch 1\n"), stream("epoch 2\n")],
            count=10,
        ),
        markdown("---\n# Summary\n\n* Videos load on click.\n* DataFrames stay tables.\n"),
    ]
    ids = [f"c{n:03d}x" for n in range(len(cells))]
    cells = [
        _colab_cell(cell, ids[n], f"o{n:03d}y" if cell.get("outputs") else None)
        for n, cell in enumerate(cells)
    ]
    return {
        "nbformat": 4,
        "nbformat_minor": 0,
        "metadata": {
            "colab": {"provenance": [], "toc_visible": True, "include_colab_link": True},
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "language_info": {"name": "python"},
            "accelerator": "GPU",
            "widgets": {
                # As Colab saves it: the models, without nbformat's {"state": ..., "version_*"}.
                "application/vnd.jupyter.widget-state+json": {
                    "4f1c": {
                        "model_module": "@jupyter-widgets/controls",
                        "model_name": "IntSliderModel",
                        "model_module_version": "1.5.0",
                        "state": {"value": 3, "min": 0, "max": 10},
                    }
                }
            },
        },
        "cells": cells,
    }


def old_format() -> dict:
    """nbformat 4.0 as the classic Notebook wrote it: no ids, no language_info version."""
    return {
        "cells": [
            markdown("# An nbformat 4.0 notebook\n\nSaved by the classic Notebook in 2015."),
            code("print(1 + 1)", [stream("2\n")]),
            markdown("Back to [the constructs](../markdown-constructs.ipynb)."),
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 2", "language": "python", "name": "python2"}
        },
        "nbformat": 4,
        "nbformat_minor": 0,
    }


def write_big_notebook(path: Path, *, images: int = 120, stream_lines: int = 3000) -> Path:
    """A notebook of about 3 MB: `images` figures (every tenth a repeat of the first) and
    long training logs."""
    cells = [markdown("# A big notebook\n\nTraining runs with their full logs and figures.")]
    blob = png(96, 64, seed=0)
    for n in range(images):
        picture = blob if n % 10 == 0 else png(96, 64, seed=n)
        cells.append(markdown(f"## Run {n}\n\nThe loss of run {n} with $\\eta = 10^{{-{n % 5}}}$:"))
        outputs = [display({"image/png": picture, "text/plain": ["<Figure>"]})]
        if n % 30 == 0:
            log = "".join(f"step {i}: loss {1 / (i + 1):.6f}\n" for i in range(stream_lines))
            outputs.insert(0, stream(log))
        cells.append(code(f"train(run={n})", outputs, count=n + 1))
    nb = {"cells": cells, "metadata": JUPYTERLAB_METADATA, "nbformat": 4, "nbformat_minor": 4}
    padding = 3_000_000 - len(json.dumps(nb))
    if padding > 0:  # reach 3 MB with a realistic long output: a printed array
        cells.append(code("print(weights)", [stream(("0.123456 " * 15 + "\n") * (padding // 136))]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


SITE_NOTEBOOKS = {
    "notebooks/markdown-constructs.ipynb": "markdown-constructs.ipynb",
    "notebooks/colab-tutorial.ipynb": "colab-tutorial.ipynb",
    "notebooks/week-03/old format – 4.0.ipynb": "week-03/old format – 4.0.ipynb",
}
BIG_NOTEBOOK = "notebooks/big/training log.ipynb"
# Like the course site: MathJax from the site itself, a nav whose Notebooks section is filled
# from the folder, and notebooks rendered from their saved outputs (as a course's old ones are).
SITE_CONFIG = """\
site_name: Notebook fixtures
theme:
  name: material
  font: false
  custom_dir: overrides
  features: [navigation.sections, navigation.indexes]
  palette:
    - scheme: default
      primary: indigo
      accent: deep orange
    - scheme: slate
      primary: indigo
      accent: deep orange
plugins:
  - search
  - coursebook:
      lectures: "course/*.md"
      notebooks:
        execute: false
markdown_extensions:
  - admonition
  - attr_list
  - toc:
      permalink: true
  - pymdownx.arithmatex:
      generic: true
extra_css:
  - assets/stylesheets/course.css
extra_javascript:
  - assets/javascripts/mathjax-config.js
  - path: assets/vendor/mathjax/tex-svg-full.js
    async: true
nav:
  - Home: index.md
  - Lectures: [lectures/01-intro.md]
  - Notebooks: [notebooks/index.md]
"""


def write_notebook_site(root: Path) -> Path:
    """A MkDocs project in `root` with the fixture notebooks (and the big one) under
    docs/notebooks/; returns `root`."""
    (root / "docs/notebooks").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(SITE_CONFIG, encoding="utf-8")
    (root / "docs/index.md").write_text("# Notebook fixtures\n", encoding="utf-8")
    (root / "docs/notebooks/index.md").write_text("# Notebooks\n", encoding="utf-8")
    (root / "docs/lectures").mkdir(exist_ok=True)
    (root / "docs/lectures/01-intro.md").write_text(
        "# Lecture 1\n\nSee [the tutorial's data](../notebooks/colab-tutorial.ipynb#Data).\n",
        encoding="utf-8",
    )
    shutil.copytree(ROOT / "overrides", root / "overrides", dirs_exist_ok=True)
    for asset in (
        "stylesheets/course.css",
        "javascripts/mathjax-config.js",
        "vendor/mathjax/tex-svg-full.js",
    ):
        target = root / "docs/assets" / asset
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "docs/assets" / asset, target)
    for uri, name in SITE_NOTEBOOKS.items():
        target = root / "docs" / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA / name, target)
    write_big_notebook(root / "docs" / BIG_NOTEBOOK)
    return root


COMMITTED = {
    "markdown-constructs.ipynb": markdown_constructs,
    "colab-tutorial.ipynb": colab_tutorial,
    "week-03/old format – 4.0.ipynb": old_format,
}


if __name__ == "__main__":
    for name, make in COMMITTED.items():
        target = DATA / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(make(), indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"wrote {target}")
