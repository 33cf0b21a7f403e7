"""Keep pymdownx.snippets (`--8<-- "file"`) to the course's own files.

Its default `base_path` is the folder MkDocs runs in, the whole checkout: a page with
`--8<-- ".git/config"` published the checkout's authorization header. Snippets are read from
the docs and a shared `snippets/` folder beside mkdocs.yml unless the site names its own
folders, and never from a folder that holds the checkout's `.git`.
"""

from __future__ import annotations

import os
from pathlib import Path

EXTENSION = "pymdownx.snippets"
SHARED_FOLDER = "snippets"


def restrict_snippets(
    extensions: list, options: dict, *, docs_dir: Path, repo_root: Path
) -> list[str]:
    """Set the snippets' options in `options` (MkDocs' `mdx_configs`) when the site uses
    the extension; return the problems of a `base_path` the site set itself."""
    if EXTENSION not in extensions:
        return []
    settings = options.setdefault(EXTENSION, {})
    # A snippet that is not there fails the build instead of leaving the marker on the page.
    settings.setdefault("check_paths", True)
    # A base path cannot be left by `../` (the default, made explicit: it is the guarantee).
    settings["restrict_base_path"] = True
    if "base_path" not in settings:
        settings["base_path"] = [str(docs_dir), str(repo_root / SHARED_FOLDER)]
    written = settings["base_path"]
    bases = [written] if isinstance(written, str) else list(written or [])
    problems = _missing_appended(settings, bases)
    for base in bases:
        # As pymdownx reads it: relative to the folder MkDocs runs in.
        path = Path(os.path.abspath(str(base)))
        if repo_root.is_relative_to(path) or ".git" in path.parts:
            problems.append(
                f"mkdocs.yml: markdown_extensions: {EXTENSION}: base_path: {str(base)!r} "
                "lets a page include any file of the checkout (.git/config can hold its "
                "credentials): name the folders snippets come from, e.g. "
                f"[{docs_dir.name}, {SHARED_FOLDER}]"
            )
    return problems


def _missing_appended(settings: dict, bases: list) -> list[str]:
    """`auto_append` files that are in none of the base paths: pymdownx would stop every page
    with a traceback (SnippetMissingError); the build says which file and where it looked."""
    appended = settings.get("auto_append") or []
    problems = []
    for name in [appended] if isinstance(appended, str) else list(appended):
        if not any(_finds(Path(os.path.abspath(str(base))), str(name)) for base in bases):
            looked = ", ".join(str(base) for base in bases)
            problems.append(
                f"mkdocs.yml: markdown_extensions: {EXTENSION}: auto_append: {name}: no such "
                f"file in the snippets' base_path ({looked})"
            )
    return problems


def _finds(base: Path, name: str) -> bool:
    # A base path may be a file itself, found by its own name (as pymdownx reads it).
    return base.name == name if base.is_file() else (base / name).is_file()
