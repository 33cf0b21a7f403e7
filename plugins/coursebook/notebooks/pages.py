"""Build the Markdown page for one notebook: execute it (or keep its outputs), render it,
and put the notebook actions under its title."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from .notebook import Notebook

GITHUB_REPO = re.compile(r"^https://github\.com/(?P<owner>[^/]+)/(?P<repo>[^/]+?)(?:\.git)?/?$")


@dataclass
class NotebookPage:
    """What the site publishes for one notebook: a page and the images beside it."""

    notebook_uri: str
    page_uri: str
    markdown: str
    images: dict[str, bytes]
    title: str | None
    # HTML that the page's `<!--cb-nb-fragment:N-->` placeholders stand for (see to_markdown.py)
    fragments: list[str] = field(default_factory=list)
    # What the notebook asks for but does not hold, each naming the notebook and the cell
    problems: list[str] = field(default_factory=list)
    # Figures without alt text (figure_alt.py), each naming the notebook, cell and output
    undescribed: list[str] = field(default_factory=list)


def page_uri_for(notebook_uri: str) -> str:
    """`notebooks/lecture 02.ipynb` is published as the page `notebooks/lecture 02.md`."""
    return posixpath.splitext(notebook_uri)[0] + ".md"


def _github_blob(repo_url: str | None, branch: str, repo_path: str) -> str | None:
    """`owner/repo/blob/branch/path` for a GitHub `repo_url`, else None."""
    match = GITHUB_REPO.match(repo_url or "")
    if not match:
        return None
    return f"{match['owner']}/{match['repo']}/blob/{quote(branch)}/{quote(repo_path)}"


def github_file_url(repo_url: str | None, branch: str, repo_path: str) -> str | None:
    """Web page of a file in a GitHub repository, else None."""
    blob = _github_blob(repo_url, branch, repo_path)
    return f"https://github.com/{blob}" if blob else None


# A repository named "." or ".." is no repository: its link would point elsewhere.
COLAB_GITHUB = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*)/(?!\.\.?$)[A-Za-z0-9._-]+$")
COLAB_GITHUB_OPTION = "mkdocs.yml: plugins.coursebook.notebooks.colab_github"


def colab_repository(repo_url: str | None, colab_github: str | None) -> tuple[str | None, str]:
    """The GitHub repository "Open in Colab" opens notebooks from (None: no button), and why
    not when there is none but a `repo_url` ("" otherwise). Colab opens notebooks from GitHub
    only (colab.research.google.com/github/…), so a `repo_url` elsewhere needs `colab_github`,
    a GitHub copy. ValueError for a `colab_github` that is not `owner/repo`."""
    if colab_github is not None:
        if not COLAB_GITHUB.match(colab_github):
            raise ValueError(
                f"{COLAB_GITHUB_OPTION}: expected a GitHub repository as owner/repo, got "
                f"{colab_github!r}"
            )
        return f"https://github.com/{colab_github}", ""
    if not repo_url or GITHUB_REPO.match(repo_url):
        return repo_url, ""
    return None, (
        f'notebooks: no "Open in Colab" button: Colab opens notebooks only from GitHub, and '
        f"repo_url ({repo_url}) is not a github.com repository. A GitHub copy of it can be "
        f"named with notebooks.colab_github: owner/repo"
    )


def colab_url(repo_url: str | None, branch: str, repo_path: str) -> str | None:
    """Open-in-Colab link for a notebook at `repo_path` in a GitHub repository, else None."""
    blob = _github_blob(repo_url, branch, repo_path)
    return f"https://colab.research.google.com/github/{blob}" if blob else None


def build_notebook_page(
    nb: Notebook, notebook_uri: str, actions_html: str, *, colab_forms: bool = True
) -> NotebookPage:
    """Render `nb` (executed, from the cache, or with its stored outputs) as the page for
    `notebook_uri`, with `actions_html` (download, Colab) under its title; `colab_forms`: show
    Colab form cells as forms."""
    stem = posixpath.splitext(posixpath.basename(notebook_uri))[0]
    # Imported here: a warm build reads rendered pages from the cache and never needs the
    # CommonMark renderer and its plugins.
    from .to_markdown import notebook_to_markdown

    rendered = notebook_to_markdown(
        nb, image_prefix=f"{stem}_files/", after_title=actions_html, colab_forms=colab_forms
    )
    markdown = rendered.markdown
    if rendered.title:
        # The title as front matter (JSON is YAML): MkDocs would take it from the page only
        # when the page starts with it, and Colab notebooks often start with a badge.
        markdown = f"---\ntitle: {json.dumps(rendered.title)}\n---\n\n{markdown}"
    folder = posixpath.dirname(notebook_uri)
    images = {posixpath.join(folder, name): data for name, data in rendered.images.items()}
    return NotebookPage(
        notebook_uri,
        page_uri_for(notebook_uri),
        markdown,
        images,
        rendered.title,
        rendered.fragments,
        [f"{notebook_uri}: {problem}" for problem in rendered.problems],
        [f"{notebook_uri}: {note}" for note in rendered.undescribed],
    )
