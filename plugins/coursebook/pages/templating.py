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

MARKDOWN_SPECIALS = re.compile(r"[\\`*_{}\[\]()#+\-.!|~^=$:<>\"']")
# Math in bibliography text, as coursebook.bibtex decodes it.
INLINE_MATH = re.compile(r"\\\((.*?)\\\)", re.S)


def markdown_text(value) -> Markup:
    """Front-matter text for a Markdown line (a heading), as character references: then no
    Markdown or extension syntax can form (`[x](javascript:...)` stays text), and no backslash
    escape is left for arithmatex to read as `\\(` math or for the reader to see."""
    return Markup(
        MARKDOWN_SPECIALS.sub(lambda m: f"&#{ord(m[0])};", str(value).replace("&", "&amp;"))
    )


def with_math(value) -> Markup:
    """Decoded bibliography text for HTML: escaped, with each `\\(...\\)` as the span that
    pymdownx.arithmatex (generic) writes, so MathJax typesets it. Readings are raw HTML
    blocks, which arithmatex itself never sees."""
    parts = INLINE_MATH.split(str(value))
    math = Markup('<span class="arithmatex">\\({}\\)</span>')
    return Markup("").join(
        math.format(part) if i % 2 else escape(part) for i, part in enumerate(parts)
    )


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
    environment.filters["with_math"] = with_math
    return environment


_override_names: dict[int, frozenset[str]] = {}


def forget_replaced_templates(environment: Environment, override_dir: Path | None) -> None:
    """A template added to (or removed from) `overrides/coursebook/` while `mkdocs serve` runs
    must take over from the one in the memory cache; Jinja itself only rechecks the files it
    loaded. Only then is the cache emptied, so other rebuilds keep their compiled templates."""
    folder = override_dir / "coursebook" if override_dir is not None else None
    names = (
        frozenset(p.name for p in folder.iterdir()) if folder and folder.is_dir() else frozenset()
    )
    if _override_names.get(id(environment), names) != names:
        environment.cache.clear()
    _override_names[id(environment)] = names
