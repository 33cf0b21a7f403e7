"""Settings of a site that coursebook refuses before it builds anything: each would publish
what must not be (a checkout's credentials through snippets, notebook outputs through a cache
kept inside docs/)."""

from __future__ import annotations

from pathlib import Path

from .errors import BuildError
from .notebooks.cache import check_caches_outside
from .snippets import restrict_snippets


def check_site_settings(config, settings, *, docs: Path, repo_root: Path) -> None:
    """`config`: MkDocs' configuration (its snippets' options are set here); `settings`: the
    plugin's. Raises BuildError naming the setting."""
    # Snippets (`--8<--`) read only the docs and snippets/, never .git/config (snippets.py).
    problems = restrict_snippets(
        config.markdown_extensions, config.mdx_configs, docs_dir=docs, repo_root=repo_root
    )
    if problems:
        raise BuildError("\n".join(problems))
    # A cache under docs/ would be published by the next build.
    check_caches_outside(
        docs,
        {
            "cache_dir": repo_root / settings.cache_dir,
            "notebooks.cache_dir": repo_root / settings.notebooks.cache_dir,
        },
    )
