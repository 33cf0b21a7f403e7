"""The coursebook plugin's options, as written under `plugins: - coursebook:` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class NotebookOptions(base.Config):
    execute = c.Type(bool, default=True)
    """Execute notebooks during the build; when false, their stored outputs are shown."""

    timeout = c.Type(int, default=120)
    """Seconds one cell may run before the build fails with a timeout error."""

    kernel_name = c.Optional(c.Type(str))
    """Kernel to run every notebook with; by default each notebook's own kernelspec."""

    colab_branch = c.Type(str, default="main")
    """Branch that "Open in Colab" links point at (with `repo_url` on GitHub)."""


class CourseConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the whole plugin off, e.g. for a quick preview of prose only."""

    notebooks = c.SubConfig(NotebookOptions)
    """How Jupyter notebooks under `docs/` are executed and rendered."""
