"""Run once in each notebook kernel coursebook starts (IPython's `exec_lines`, execute.py):
every matplotlib figure the notebook displays carries a description of itself in its output's
metadata, `{"coursebook": {"alt": "..."}}`, which the page uses as the image's alt text.

IPython formats every object it displays through `display_formatter.format` (inline figures
at the end of a cell, `plt.show()`, `display(fig)`, a figure as a cell's value), after the
figure was drawn for its image. Wrapping that one call adds metadata only: the image, the
other outputs and the user's namespace are untouched, and a figure the describer fails on is
shown as before, without a description. Runs in the kernel's Python, perhaps not the build's:
it imports nothing of coursebook, and loads the describer from the file beside it.
"""

import os
import runpy


def _install():
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or getattr(shell, "_coursebook_figures", False):
        return
    here = os.path.dirname(os.path.abspath(__file__))
    describe = runpy.run_path(os.path.join(here, "figure_description.py"))["describe_figure"]
    formatter = shell.display_formatter
    original = formatter.format

    def is_figure(obj):
        return any(
            c.__name__ == "Figure" and c.__module__ == "matplotlib.figure"
            for c in type(obj).__mro__
        )

    def format(obj, include=None, exclude=None):
        data, metadata = original(obj, include=include, exclude=exclude)
        if is_figure(obj) and any(key.startswith("image/") for key in data):
            try:
                text = describe(obj)
            except Exception:  # noqa: BLE001 - a figure it cannot read is shown undescribed
                text = None
            if text:
                metadata = dict(metadata or {})
                metadata["coursebook"] = {"alt": text}
        return data, metadata

    formatter.format = format
    shell._coursebook_figures = True


_install()
