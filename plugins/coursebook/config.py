"""The coursebook plugin's options, as written under `plugins: - coursebook:` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class NotebookOptions(base.Config):
    execute = c.Optional(c.Type((bool, str)))
    """When notebooks run during the build: `cache` (or `force`, or true; the default unless
    mkdocs-jupyter's options are written, see jupyter_compat.py) runs every notebook,
    reusing the execution cache; `auto` runs only notebooks with a code cell never run (no
    outputs, no execution count), rendering the others as saved; `off` (or false) renders
    every notebook as saved. A notebook's own `metadata.coursebook.execute` (a mode or true/
    false) wins over `execute_globs`, which wins over `render_only`, which wins over this."""

    execute_globs = c.Type(dict, default={})
    """Globs (inside docs/) -> mode for the notebooks they match, the first match winning,
    e.g. `{"gpu/*.ipynb": "off", "labs/*.ipynb": "auto"}`."""

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
    """Globs (inside docs/) of Python files taken as notebooks when jupytext reads them as one:
    a jupytext header or the cell markers of any of its formats (percent `# %%`, light `# +`,
    hydrogen, nbconvert scripts, sphinx-gallery), or listed under a lecture's `notebooks`.
    They execute and render like .ipynb files, and their page offers the .ipynb to download.
    A paired `x.ipynb` beside `x.py` is the notebook, and `x.py` is withheld with it. `[]`
    turns this off."""

    colab_forms = c.Type(bool, default=True)
    """Show a Colab form cell (`#@title`, `#@param`, `#@markdown`) as Colab does: its title,
    text and fields, with its code folded. False shows every cell's code as written. The
    .ipynb download is the notebook as written either way."""

    publish_hidden_tests = c.Type(bool, default=False)
    """Publish the hidden tests of grader notebooks (nbgrader's `### BEGIN HIDDEN TESTS`
    blocks, otter-grader's hidden test cells) once the solutions are released. Off, they are
    never published: a course that reuses its tests keeps them for grading."""

    colab_branch = c.Type(str, default="main")
    """Branch that "Open in Colab" links point at (with `repo_url` on GitHub)."""

    colab_github = c.Optional(c.Type(str))
    """`owner/repo` of a GitHub copy of the repository, for a course whose `repo_url` is
    elsewhere (GitLab, Codeberg, its own server): Colab opens notebooks only from GitHub, so
    "Open in Colab" points there (at `colab_branch`, or `student_branch` before a release).
    Unset with such a `repo_url`, notebook pages have no Colab button and the build says so
    in one INFO line."""

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


class JupyterCompatOptions(base.Config):
    """mkdocs-jupyter's options, accepted where it had them (at the top level of the plugin's
    options) so that a site switches by renaming the plugin; jupyter_compat.py says what each
    one becomes here. Unset (None) means "not written": then coursebook's own settings hold."""

    include = c.Optional(c.ListOfItems(c.Type(str)))
    ignore = c.Optional(c.ListOfItems(c.Type(str)))
    execute = c.Optional(c.Type(bool))
    execute_ignore = c.Optional(c.ListOfItems(c.Type(str)))
    allow_errors = c.Optional(c.Type(bool))
    kernel_name = c.Optional(c.Type(str))
    include_source = c.Optional(c.Type(bool))
    remove_tag_config = c.Optional(c.Type(dict))
    ignore_h1_titles = c.Optional(c.Type(bool))
    show_input = c.Optional(c.Type(bool))
    no_input = c.Optional(c.Type(bool))
    include_requirejs = c.Optional(c.Type(bool))
    custom_mathjax_url = c.Optional(c.Type(str))
    toc_depth = c.Optional(c.Type(int))
    theme = c.Optional(c.Type(str))
    highlight_extra_classes = c.Optional(c.Type(str))
    data_files = c.Optional(c.Type(dict))


class AccessibilityOptions(base.Config):
    statement = c.Type(bool, default=True)
    """Generate the accessibility statement page (`accessibility.md`, unless docs/ has one):
    what `python -m coursebook audit` checks, the date and result of the last audit (from
    `accessibility-report.json` beside mkdocs.yml, which the audit writes), how to report a
    barrier. In an automatic nav it is listed; a nav the course writes lists it where it
    wants (`- Accessibility: accessibility.md`)."""

    contact = c.Optional(c.Type(str))
    """Where readers report a barrier: a web address, an email address, or text (an office);
    by default the issues of `repo_url`."""


class CourseConfig(JupyterCompatOptions):
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
    """IANA time zone of the course, e.g. America/New_York: of `lecture_time`, and of the day
    a solution is released on. Required as soon as a lecture or notebook sets a `solutions`
    date (the build machine's day, in UTC, is already tomorrow in a US evening)."""

    term = c.Type(str, default="course.yml")
    """The term file (relative to mkdocs.yml): the term's dates, weekly meetings, staff,
    assignments, exams, milestones and planned lectures (docs/authoring/term.md). Without the
    file, the course has no term: the schedule lists the lectures only."""

    contributing_url = c.Optional(c.Type(str))
    """Where generated pages (readings, criteria, schedule) send readers who want to change
    them; by default CONTRIBUTING.md in the GitHub repository of `repo_url`."""

    latest_announcements = c.Type(int, default=3)
    """Announcements (posts of mkdocs-material's blog plugin) listed, newest first, where a
    page asks with `<!-- coursebook:announcements -->`."""

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

    accessibility = c.SubConfig(AccessibilityOptions)
    """The accessibility statement page."""
