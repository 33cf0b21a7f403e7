"""Build the Markdown page for one notebook: execute it (or keep its outputs), render it,
and put the notebook actions under its title."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import nbformat

from .execute import execute_notebook
from .to_markdown import notebook_to_markdown

GITHUB_REPO = re.compile(r"^https://github\.com/(?P<owner>[^/]+)/(?P<repo>[^/]+?)(?:\.git)?/?$")


@dataclass
class NotebookPage:
    """What the site publishes for one notebook: a page and the images beside it."""

    notebook_uri: str
    page_uri: str
    markdown: str
    images: dict[str, bytes]


def page_uri_for(notebook_uri: str) -> str:
    """`notebooks/lecture 02.ipynb` is published as the page `notebooks/lecture 02.md`."""
    return posixpath.splitext(notebook_uri)[0] + ".md"


def colab_url(repo_url: str | None, branch: str, repo_path: str) -> str | None:
    """Open-in-Colab link for a notebook at `repo_path` in a GitHub repository, else None."""
    match = GITHUB_REPO.match(repo_url or "")
    if not match:
        return None
    return (
        "https://colab.research.google.com/github/"
        f"{match['owner']}/{match['repo']}/blob/{quote(branch)}/{quote(repo_path)}"
    )


def build_notebook_page(
    source: Path,
    notebook_uri: str,
    *,
    execute: bool,
    timeout: int,
    kernel_name: str | None,
    render_actions,
) -> NotebookPage:
    """Execute (when `execute`) and render the notebook at `source` (known to the site as
    `notebook_uri`). `render_actions()` returns the HTML put under the title.

    Raises NotebookFailure when execution fails."""
    if execute:
        nb = execute_notebook(
            source, display_path=notebook_uri, timeout=timeout, kernel_name=kernel_name
        )
    else:
        nb = nbformat.read(source, as_version=4)
    stem = posixpath.splitext(posixpath.basename(notebook_uri))[0]
    image_folder = f"{stem}_files/"
    rendered = notebook_to_markdown(nb, image_prefix=image_folder)
    actions = render_actions()
    body = rendered.markdown
    if body.startswith("# "):
        title_line, _, rest = body.partition("\n")
        markdown = f"{title_line}\n\n{actions}\n\n{rest.lstrip()}"
    else:
        markdown = f"{actions}\n\n{body}"
    folder = posixpath.dirname(notebook_uri)
    images = {posixpath.join(folder, name): data for name, data in rendered.images.items()}
    return NotebookPage(notebook_uri, page_uri_for(notebook_uri), markdown, images)
