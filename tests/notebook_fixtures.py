"""Fixture notebooks shaped like real Colab and JupyterLab saves, one construct each.

`python tests/notebook_fixtures.py` rewrites the committed ones in tests/data/notebooks/; the
big notebook (3 MB, 120 images, long streams) is made on demand by `write_big_notebook`.
"""

from __future__ import annotations

import base64
import html
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


BILIBILI_ID = "BV1y5411x7Pz"
BILIBILI_HTML = f"""
        <iframe
            width="854"
            height="480"
            src="https://player.bilibili.com/player.html?bvid={BILIBILI_ID}&page=1"
            frameborder="0"
            allowfullscreen

        ></iframe>
        """
# pip's progress bar hides and shows the cursor (private-mode CSI), colours its bar, and sets
# the terminal title (OSC); Jupyter shows the text and the colours only.
PIP_OUTPUT = (
    "Collecting torch==2.1.0\n"
    "\x1b[?25l   \x1b[90m━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\x1b[0m \x1b[32m0.0/1.2 MB\x1b[0m"
    "\r\x1b[2K   \x1b[38;2;114;156;31m━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\x1b[0m"
    " \x1b[32m1.2/1.2 MB\x1b[0m \x1b[31m9.1 MB/s\x1b[0m eta \x1b[36m0:00:00\x1b[0m\n"
    "\x1b[?25h\x1b]0;pip install\x07Successfully installed torch-2.1.0\n"
)
FORM_INSTALL = """\
# @title Install dependencies { display-mode: "form" }
# @markdown Run this cell **once**: it installs the libraries of $\\mathcal{W}$eek 1.
!pip install torch==2.1.0 --quiet
"""
FORM_PARAMS = """\
#@title Set the hyperparameters
#@markdown The learning rate $\\eta$ and the activation of the hidden layer:
learning_rate = 0.01 #@param {type:"number"}
activation = "relu" #@param ["relu", "tanh", "sigmoid"]
use_gpu = True #@param {type:"boolean"}
epochs = 20  # @param {type:"slider", min:1, max:100, step:1}
print(f"lr={learning_rate}, {activation}, gpu={use_gpu}, {epochs} epochs")
"""


def colab_forms() -> dict:
    """Colab form cells as Colab saves them (`metadata.cellView: "form"`, `#@title`,
    `#@markdown`, `#@param`), one whose output is pip's (with terminal codes), and headings
    with an ordinal and with math.

    Reference, what Colab shows: each form cell as its title in bold, its `#@markdown` text
    rendered, its fields as input boxes (text boxes, a drop-down, a checkbox, a slider) with the
    saved values, the code hidden until "Show code", and the output below as usual; pip's output
    as text with its green and red figures, without `[?25l`. JupyterLab shows the code of every
    cell instead; both show "The 4th week" as typed."""
    cells = [
        markdown("# Colab forms\n\n## The 4th week: set-up\n"),
        code(FORM_INSTALL, [stream(PIP_OUTPUT)], metadata={"cellView": "form"}),
        markdown("## The loss $\\mathcal{L}(\\theta)$ of a model\n"),
        code(
            FORM_PARAMS,
            [stream("lr=0.01, relu, gpu=True, 20 epochs\n")],
            count=2,
            metadata={"cellView": "form"},
        ),
        code("# A plain cell: its code is shown.\nmodel = train(learning_rate)", count=3),
    ]
    ids = [f"f{n:03d}x" for n in range(len(cells))]
    return {
        "nbformat": 4,
        "nbformat_minor": 0,
        "metadata": {
            "colab": {"provenance": [], "toc_visible": True},
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "language_info": {"name": "python"},
        },
        "cells": [_colab_cell(cell, ids[n]) for n, cell in enumerate(cells)],
    }


def _model(module: str, version: str, name: str, state: dict, buffers=None) -> dict:
    model = {
        "model_module": module,
        "model_module_version": version,
        "model_name": name,
        "state": {
            "_model_module": module,
            "_model_module_version": version,
            "_model_name": name,
            **state,
        },
    }
    if buffers:
        model["buffers"] = buffers
    return model


def _output_model(outputs: list) -> dict:
    return _model(
        "@jupyter-widgets/output",
        "1.0.0",
        "OutputModel",
        {"_dom_classes": [], "layout": "IPY_MODEL_layout0", "msg_id": "", "outputs": outputs},
    )


def _view(model_id: str, text: str) -> dict:
    return display(
        {
            "application/vnd.jupyter.widget-view+json": {
                "model_id": model_id,
                "version_major": 2,
                "version_minor": 0,
            },
            "text/plain": [text],
        }
    )


NEUROMATCH_VIDEO = """\
# @title Video 1: Overview
from ipywidgets import widgets
from IPython.display import YouTubeVideo, IFrame, display

out2 = widgets.Output()
with out2:
    print(f"Video available at https://www.bilibili.com/video/{BILIBILI_ID}")
    display(IFrame(src=f"https://player.bilibili.com/player.html?bvid={BILIBILI_ID}&page=1",
                   width=854, height=480))
out1 = widgets.Output()
with out1:
    video = YouTubeVideo(id=YOUTUBE_ID, width=854, height=480, fs=1, rel=0)
    print(f"Video available at https://youtube.com/watch?v={video.id}")
    display(video)
out = widgets.Tab([out1, out2])
out.set_title(0, "Youtube")
out.set_title(1, "Bilibili")
display(out)
"""


def widget_videos() -> dict:
    """A Neuromatch-format tutorial: the lecture video in an ipywidgets 7 `Tab` of two `Output`
    widgets (YouTube, Bilibili) whose outputs exist only in the saved widget state, an
    ipywidgets 8 `Accordion` holding `HTMLMath`, and a `VBox` of a `Label` and an `Image`, an
    `HBox` of `HTML`, and a slider (not shown statically).

    Reference, what JupyterLab and Colab show (from the saved state, without a kernel): a tab
    bar "Youtube | Bilibili" over the YouTube player and the line "Video available at …", the
    Bilibili player under the second tab; the accordion's sections "Formula" (with typeset
    math) and "Picture" (the label and the picture); the HBox's two HTML blocks side by side;
    the slider as "IntSlider(value=3)" (its text: no kernel, no widget). nbconvert shows none
    of the widgets (it needs their JavaScript)."""
    youtube_outputs = [
        stream(f"Video available at https://youtube.com/watch?v={YOUTUBE_ID}\n"),
        display(
            {
                "image/jpeg": png(32, 18, seed=7, kind="JPEG"),
                "text/html": _lines(YOUTUBE_HTML),
                "text/plain": ["<IPython.lib.display.YouTubeVideo at 0x7f3c1c2d9e50>"],
            }
        ),
    ]
    bilibili_outputs = [
        stream(f"Video available at https://www.bilibili.com/video/{BILIBILI_ID}\n"),
        display(
            {
                "text/html": _lines(BILIBILI_HTML),
                "text/plain": ["<__main__.PlayVideo at 0x7f3c1c2d9f10>"],
            }
        ),
    ]
    controls7 = ("@jupyter-widgets/controls", "1.5.0")
    controls8 = ("@jupyter-widgets/controls", "2.0.0")
    picture = png(12, 8, seed=11)
    state = {
        "layout0": _model("@jupyter-widgets/base", "1.2.0", "LayoutModel", {"width": None}),
        "yt0": _output_model(youtube_outputs),
        "bb0": _output_model(bilibili_outputs),
        "tab0": _model(
            *controls7,
            "TabModel",
            {
                "_titles": {"0": "Youtube", "1": "Bilibili"},
                "children": ["IPY_MODEL_yt0", "IPY_MODEL_bb0"],
                "layout": "IPY_MODEL_layout0",
                "selected_index": 0,
            },
        ),
        "math8": _model(
            *controls8,
            "HTMLMathModel",
            {"value": "The loss $\\mathcal{L}(\\theta) = \\sum_i \\ell_i$ over the batch."},
        ),
        "label8": _model(*controls8, "LabelModel", {"value": "A picture of the weights"}),
        "image8": _model(
            *controls8,
            "ImageModel",
            {"format": "png", "width": "120", "height": "80"},
            buffers=[{"path": ["value"], "encoding": "base64", "data": picture}],
        ),
        "vbox8": _model(
            *controls8, "VBoxModel", {"children": ["IPY_MODEL_label8", "IPY_MODEL_image8"]}
        ),
        "acc8": _model(
            *controls8,
            "AccordionModel",
            {
                "titles": ["Formula", "Picture"],
                "children": ["IPY_MODEL_math8", "IPY_MODEL_vbox8"],
                "selected_index": None,
            },
        ),
        "left": _model(*controls7, "HTMLModel", {"value": "<b>Left</b> column"}),
        "right": _model(*controls7, "HTMLModel", {"value": "<i>Right</i> column"}),
        "hbox7": _model(
            *controls7, "HBoxModel", {"children": ["IPY_MODEL_left", "IPY_MODEL_right"]}
        ),
        "slider": _model(*controls7, "IntSliderModel", {"value": 3, "min": 0, "max": 10}),
    }
    cells = [
        markdown("# Tutorial 1: videos in widgets\n\n## Section 1: Overview\n"),
        code(
            NEUROMATCH_VIDEO,
            [
                _view(
                    "tab0",
                    "Tab(children=(Output(), Output()), _titles={'0': 'Youtube', '1': 'Bilibili'})",
                )
            ],
            metadata={"cellView": "form"},
        ),
        markdown("## Section 2: Other layouts\n"),
        code(
            "accordion",
            [_view("acc8", "Accordion(children=(HTMLMath(value=...), VBox()))")],
            count=2,
        ),
        code(
            "columns",
            [
                _view(
                    "hbox7",
                    "HBox(children=(HTML(value='<b>Left</b> column'), HTML(value='<i>Right</i> col"
                    "umn')))",
                )
            ],
            count=3,
        ),
        code("slider", [_view("slider", "IntSlider(value=3)")], count=4),
        code("missing", [_view("not-saved", "Output()")], count=5),
    ]
    ids = [f"w{n:03d}x" for n in range(len(cells))]
    return {
        "nbformat": 4,
        "nbformat_minor": 0,
        "metadata": {
            "colab": {"provenance": [], "toc_visible": True},
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "language_info": {"name": "python"},
            "widgets": {
                "application/vnd.jupyter.widget-state+json": {
                    "version_major": 2,
                    "version_minor": 0,
                    "state": state,
                }
            },
        },
        "cells": [_colab_cell(cell, ids[n]) for n, cell in enumerate(cells)],
    }


# Each case where Jupyter typesets math that a parser reading math inside Markdown misses.
MATH_AFTER_BR = """\
**Learning rate**

<br>
The step $\\eta$ scales the gradient $\\nabla_\\theta \\mathcal{L}$.
"""
MATH_IN_LIST = """\
1. The update of both parameters:

   \\begin{aligned}
   w_{t+1} &= w_t - \\eta\\, g_t \\\\
   b_{t+1} &= b_t - \\eta\\, h_t
   \\end{aligned}

2. The posterior, after text: \\begin{eqnarray*} p(\\theta \\mid x) &\\propto& \
p(x \\mid \\theta)\\, p(\\theta) \\\\ &=& q(\\theta) \\end{eqnarray*}
"""
MATH_CONTINUING = """\
The mean squared error is
$$
\\mathrm{MSE} = \\frac{1}{n} \\sum_i (y_i - \\hat{y}_i)^2
$$
where *n* is the number of samples.
"""
MATH_BACKSLASH = """\
$\\mathbf{x}$ is the input, and a line may end in a backslash \\
$\\mathbf{y}$ is the target, and so may the last one \\
"""
MATH_IN_HTML = """\
<div class="note">The energy $E = m c^2$ of a body at rest.</div>
"""


def jupyter_math() -> dict:
    """Math where JupyterLab typesets it: each Markdown cell holds one case.

    Reference, what JupyterLab shows (it takes math out of the cell before parsing Markdown
    and puts it back after, then MathJax typesets the cell): in every cell each formula is
    typeset exactly once, no `$$` or `\\begin` is left as text, the prose after a `$$` block
    ("where n is the number of samples") is prose with *n* in italics, the aligned and
    eqnarray* environments keep their `\\\\` line breaks (two rows each), math inside an
    HTML block is typeset too, and the heading's math is typeset in the heading."""
    cells = [
        markdown("# Math where Jupyter typesets it\n"),
        markdown(MATH_AFTER_BR),
        markdown(MATH_IN_LIST),
        markdown(MATH_CONTINUING),
        markdown(MATH_BACKSLASH),
        markdown(MATH_IN_HTML),
        markdown("## Gradient $\\nabla_\\theta \\mathcal{L}$ of the loss\n\nText under it.\n"),
    ]
    return {
        "cells": with_ids(cells, "mx"),
        "metadata": JUPYTERLAB_METADATA,
        "nbformat": 4,
        "nbformat_minor": 5,
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
    "notebooks/colab-forms.ipynb": "colab-forms.ipynb",
    "notebooks/widget-videos.ipynb": "widget-videos.ipynb",
    "notebooks/jupyter-math.ipynb": "jupyter-math.ipynb",
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
  # As the course site: it made `4th` in a notebook heading 4<sup>th</sup> (issue 23).
  - pymdownx.smartsymbols
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
    "colab-forms.ipynb": colab_forms,
    "widget-videos.ipynb": widget_videos,
    "jupyter-math.ipynb": jupyter_math,
}


if __name__ == "__main__":
    for name, make in COMMITTED.items():
        target = DATA / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(make(), indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"wrote {target}")


FIGURE_SPACE = "\u2007"  # tqdm's widget writes its spaces as these (HTML would collapse them)


def _tqdm_widget(bar: str, n: int, total: int, right: str, style: str, hidden=False) -> dict:
    """The three models of one tqdm.notebook bar, as Colab saves them (ipywidgets 7 ids: 32 hex
    digits), ids starting with `bar`: an HBox of an HTML (percentage), a FloatProgress and an
    HTML (count, times, rate), their texts HTML-escaped with figure spaces."""
    controls = ("@jupyter-widgets/controls", "1.5.0")
    layout = {"visibility": "hidden"} if hidden else {}

    def text(value: str) -> str:
        return html.escape(value).replace(" ", FIGURE_SPACE)

    return {
        f"{bar}0": _model(
            *controls,
            "HBoxModel",
            {
                "children": [f"IPY_MODEL_{bar}1", f"IPY_MODEL_{bar}2", f"IPY_MODEL_{bar}3"],
                "layout": f"IPY_MODEL_{bar}4",
            },
        ),
        f"{bar}1": _model(*controls, "HTMLModel", {"value": text(f"{100 * n // total:3d}%")}),
        f"{bar}2": _model(
            *controls,
            "FloatProgressModel",
            {"bar_style": style, "max": total, "min": 0, "value": n, "description": ""},
        ),
        f"{bar}3": _model(*controls, "HTMLModel", {"value": text(right)}),
        f"{bar}4": _model("@jupyter-widgets/base", "1.2.0", "LayoutModel", layout),
    }


# What tqdm's widget repr (its text/plain) is when it is displayed: the bar at 0.
TQDM_START = "  0%|          | 0/10 [00:00<?, ?it/s]"
TQDM_STDERR = (
    "\r  0%|          | 0/10 [00:00<?, ?it/s]"
    "\r 50%|█████     | 5/10 [00:00<00:00,  9.81it/s]"
    "\r100%|██████████| 10/10 [00:01<00:00,  9.52it/s]\n"
)


def progress_bars() -> dict:
    """tqdm as Colab saves it: `tqdm.auto` loops (a widget: HBox of HTML, FloatProgress, HTML)
    finished, stopped early, and with leave=False; a widget whose state was not saved (as
    JupyterLab saves by default); and plain `tqdm` writing to stderr with `\\r` rewrites.

    Reference, what Jupyter shows: the finished bar full and green with "100%" and "10/10
    [00:01<00:00, 9.52it/s]"; the stopped one red at 4/10; nothing for leave=False; for the
    unsaved one nbconvert shows its text/plain (the bar at 0, when it was displayed); for
    stderr the last line only."""
    state = {
        **_tqdm_widget("aa11", 10, 10, " 10/10 [00:01<00:00,  9.52it/s]", "success"),
        **_tqdm_widget("bb22", 4, 10, " 4/10 [00:00<00:01,  9.90it/s]", "danger"),
        **_tqdm_widget("cc33", 10, 10, " 10/10 [00:01<00:00,  9.70it/s]", "success", True),
    }
    cells = [
        markdown("# Training with progress bars\n"),
        code("for i in tqdm.auto.trange(10):\n    step()", [_view("aa110", TQDM_START)]),
        code(
            "for i in tqdm.auto.trange(10):\n    step(fail_at=4)",
            [_view("bb220", TQDM_START)],
            count=2,
        ),
        code(
            "for i in tqdm.auto.trange(10, leave=False):\n    step()",
            [_view("cc330", TQDM_START)],
            count=3,
        ),
        code(
            "for i in tqdm.auto.trange(10):\n    step()", [_view("not-saved", TQDM_START)], count=4
        ),
        code(
            "for i in tqdm.tqdm(range(10)):\n    step()", [stream(TQDM_STDERR, "stderr")], count=5
        ),
    ]
    ids = [f"p{n:03d}x" for n in range(len(cells))]
    return {
        "nbformat": 4,
        "nbformat_minor": 0,
        "metadata": {
            "colab": {"provenance": []},
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "language_info": {"name": "python"},
            # Colab: the models without the {"version_major": …, "state": …} wrapper.
            "widgets": {"application/vnd.jupyter.widget-state+json": state},
        },
        "cells": [_colab_cell(cell, ids[n]) for n, cell in enumerate(cells)],
    }
