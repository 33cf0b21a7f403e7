"""The coursebook plugin's options, as written under `plugins: - coursebook:` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class NotebookOptions(base.Config):
    execute = c.Type(bool, default=True)
    """Execute notebooks during the build; when false, their stored outputs are shown.
    A notebook's own `metadata.coursebook.execute` wins over this and `render_only`."""

    render_only = c.ListOfItems(c.Type(str), default=[])
    """Globs (inside docs/) of notebooks never executed, e.g. GPU-heavy ones: their stored
    outputs are rendered as they are."""

    timeout = c.Type(int, default=120)
    """Seconds one cell may run before the build fails with a timeout error
    (per notebook: `metadata.coursebook.timeout`)."""

    allow_errors = c.Type(bool, default=False)
    """Let any cell raise without failing the build (per notebook:
    `metadata.coursebook.allow_errors`). Cells tagged `raises-exception` may always raise."""

    jobs = c.Type(int, default=0)
    """Notebooks executed at once; 0 means one per CPU core."""

    cache_dir = c.Type(str, default=".cache/coursebook/notebooks")
    """Folder (relative to mkdocs.yml) of the execution cache; safe to delete."""

    lock_files = c.ListOfItems(c.Type(str), default=[])
    """Files (relative to mkdocs.yml) whose bytes stand for the environment in the cache key,
    e.g. requirements.lock; by default the list of installed packages is used."""

    max_output_chars = c.Type(int, default=5_000_000)
    """Characters of output one code cell may put on its page (and in the search index);
    past it the page shows the first part, a note and a link to the notebook, which keeps
    every output, and the build warns. 0: no limit. (A cell printing a million lines made a
    54 MB page; a long training log or a printed array of a few MB stays whole.)"""

    kernel_name = c.Optional(c.Type(str))
    """Kernel to run every notebook with; by default each notebook's own kernelspec."""

    text_notebooks = c.ListOfItems(c.Type(str), default=["*.py"])
    """Globs (inside docs/) of Python files taken as notebooks when they are in jupytext's
    percent format (`# %%` cells): they execute and render like .ipynb files, and their page
    offers the .ipynb to download. A paired `x.ipynb` beside `x.py` wins. `[]` turns this off."""

    colab_branch = c.Type(str, default="main")
    """Branch that "Open in Colab" links point at (with `repo_url` on GitHub)."""

    student_branch = c.Optional(c.Type(str))
    """Branch of `repo_url` holding each notebook as the site publishes it (the deploy workflow
    pushes it): "Open in Colab" points there while a notebook's solutions are not released.
    Unset, such a notebook has no Colab link: the source holds the solutions."""


class SlideOptions(base.Config):
    enabled = c.Type(bool, default=True)
    """Build a reveal.js deck for every lecture at `<lecture page>/slides/`."""

    level = c.Type(int, default=2)
    """Deepest heading level that starts a new slide (1-6); a lecture's front matter
    `slide_level` wins. Deeper headings stay on their slide."""

    min_text_scale = c.Type(float, default=0.6)
    """How far a long slide's text may shrink to fit the 1280×720 frame (0.6: to 60 %,
    about 19px on a 720px-high slide); a slide that still overflows is reported."""


class CourseConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the whole plugin off, e.g. for a quick preview of prose only."""

    lectures = c.Type(str, default="lectures/*.md")
    """Glob (inside docs/) of the lecture pages whose front matter builds the course;
    `index.md` files are never lectures."""

    references = c.Optional(c.Type(str))
    """A BibTeX file (relative to mkdocs.yml) that `cite:` entries point into; by default
    `references.bib` beside mkdocs.yml when it exists."""

    max_authors = c.Type(int, default=6)
    """Authors a reading shows before "et al." (0: all of them). A list that ends in BibTeX's
    `and others` always ends in "et al."."""

    course_name = c.Optional(c.Type(str))
    """Name used in the calendar and handouts; defaults to `site_name`."""

    lecture_time = c.Optional(c.Type(str))
    """Start time of lectures as HH:MM for the calendar; all-day events when unset."""

    lecture_minutes = c.Type(int, default=90)
    """Length of a lecture in the calendar."""

    timezone = c.Optional(c.Type(str))
    """IANA time zone of `lecture_time`, e.g. America/New_York."""

    contributing_url = c.Optional(c.Type(str))
    """Where generated pages (readings, criteria, schedule) send readers who want to change
    them; by default CONTRIBUTING.md in the GitHub repository of `repo_url`."""

    cache_dir = c.Type(str, default=".cache/coursebook")
    """Folder (relative to mkdocs.yml) for what coursebook keeps between builds: compiled
    templates and the BibTeX/iCal exports. Safe to delete."""

    handouts = c.Type(bool, default=False)
    """Link each lecture page to its PDF handout in site/handouts/ (`make handouts` sets
    this through the COURSEBOOK_HANDOUTS environment variable and writes the PDFs)."""

    slides = c.SubConfig(SlideOptions)
    """The lecture decks (reveal.js) built from the lecture pages."""

    notebooks = c.SubConfig(NotebookOptions)
    """How Jupyter notebooks under `docs/` are executed and rendered."""
