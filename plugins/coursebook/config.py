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

    lectures = c.Type(str, default="lectures/*.md")
    """Glob (inside docs/) of the lecture pages whose front matter builds the course;
    `index.md` files are never lectures."""

    references = c.Optional(c.Type(str))
    """A BibTeX file (relative to mkdocs.yml) that `cite:` entries point into; by default
    `references.bib` beside mkdocs.yml when it exists."""

    course_name = c.Optional(c.Type(str))
    """Name used in the calendar and handouts; defaults to `site_name`."""

    lecture_time = c.Optional(c.Type(str))
    """Start time of lectures as HH:MM for the calendar; all-day events when unset."""

    lecture_minutes = c.Type(int, default=90)
    """Length of a lecture in the calendar."""

    timezone = c.Optional(c.Type(str))
    """IANA time zone of `lecture_time`, e.g. America/New_York."""

    notebooks = c.SubConfig(NotebookOptions)
    """How Jupyter notebooks under `docs/` are executed and rendered."""
