"""Jinja environment for coursebook's HTML snippets; a site overrides any template from
`overrides/coursebook/` (the theme's custom_dir)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape


def make_environment(override_dir: Path | None) -> Environment:
    loaders = []
    if override_dir is not None:
        loaders.append(FileSystemLoader(str(override_dir / "coursebook")))
    loaders.append(PackageLoader("coursebook", "templates"))
    return Environment(
        loader=ChoiceLoader(loaders),
        # Everything from front matter or notebooks is escaped unless a template says otherwise.
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
