"""Percent-format `.py` notebooks (jupytext): executed and rendered like `.ipynb` files, their
page offering the `.ipynb` to download; helper modules and paired files are left alone."""

from __future__ import annotations

import json

import nbformat

PERCENT_NOTEBOOK = """\
# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Gradient descent, as a text notebook
#
# Steps $x_{t+1} = x_t - \\eta \\nabla f(x_t)$ on $f(x) = x^2$:
# - start at $x_0 = 1$
# - use $\\eta = 0.25$

# %%
from helpers import step

x = 1.0
for _ in range(3):
    x = step(x, 0.25)
print(f"x after 3 steps: {x}")
"""

HELPERS = "def step(x, eta):\n    return x - eta * 2 * x\n"


def test_a_percent_notebook_executes_and_renders_and_offers_the_ipynb(fixture_site):
    site = fixture_site()
    site.write("docs/notebooks/gradient descent.py", PERCENT_NOTEBOOK)
    site.write("docs/notebooks/helpers.py", HELPERS)
    build = site.build()
    assert build.returncode == 0, build.log
    assert "executed notebooks/gradient descent.py" in build.log
    page = build.html("notebooks/gradient descent/index.html")
    article = page.select_one("article")
    assert article.select_one("h1").get_text(strip=True) == "Gradient descent, as a text notebook"
    assert len(article.select(".nb-markdown li")) == 2
    assert len(article.select(".nb-markdown .arithmatex")) == 4
    assert article.select_one("pre.nb-stream").get_text() == "x after 3 steps: 0.125\n"
    download = article.select_one("a.cb-notebook-actions__download")
    assert download["href"] == "../gradient%20descent.ipynb"
    assert article.select_one("a.cb-notebook-actions__colab") is None
    saved = nbformat.reads(
        (build.site / "notebooks/gradient descent.ipynb").read_text("utf-8"), as_version=4
    )
    nbformat.validate(saved)
    assert saved.cells[1].outputs[0]["text"] == "x after 3 steps: 0.125\n"
    # The helper module is a plain file, not a page.
    assert (build.site / "notebooks/helpers.py").read_text() == HELPERS
    assert not (build.site / "notebooks/helpers").exists()


def test_a_paired_ipynb_wins_over_its_py(fixture_site):
    site = fixture_site("notebooks:\n  execute: false\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# From the ipynb")]
    site.write("docs/paired.ipynb", json.dumps(nb))
    site.write("docs/paired.py", "# %% [markdown]\n# # From the py\n")
    build = site.build()
    assert build.returncode == 0, build.log
    assert build.html("paired/index.html").select_one("article h1").get_text(strip=True) == (
        "From the ipynb"
    )


def test_text_notebooks_can_be_turned_off(fixture_site):
    site = fixture_site("notebooks:\n  text_notebooks: []\n")
    site.write("docs/script.py", "# %%\nprint('not a page')\n")
    build = site.build()
    assert build.returncode == 0, build.log
    assert not (build.site / "script").exists()
    assert (build.site / "script.py").exists()
