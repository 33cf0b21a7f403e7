"""Jinja environment for coursebook's pages and snippets; a site overrides any template by
putting a file of the same name in `overrides/coursebook/` (the theme's custom_dir)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
)
from markupsafe import Markup, escape

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^=])")


def markdown_text(value) -> Markup:
    """Front-matter text for a Markdown line (a heading): HTML-escaped, then every Markdown
    special character backslash-escaped, so `[x](javascript:...)` stays text."""
    return Markup(MARKDOWN_SPECIALS.sub(r"\\\1", str(escape(value))))


@functools.cache
def make_environment(override_dir: Path | None, bytecode_dir: Path | None = None) -> Environment:
    """One environment per override folder, kept across `mkdocs serve` rebuilds; compiled
    templates are also kept in `bytecode_dir` between builds. Jinja still reloads a template
    whose file changed."""
    loaders = []
    if override_dir is not None:
        loaders.append(FileSystemLoader(str(override_dir / "coursebook")))
    loaders.append(PackageLoader("coursebook", "templates"))
    cache = None
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        cache = FileSystemBytecodeCache(str(bytecode_dir))
    environment = Environment(
        loader=ChoiceLoader(loaders),
        bytecode_cache=cache,
        # Every value from front matter is HTML-escaped unless a template says otherwise.
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["md_text"] = markdown_text
    return environment
