"""The notebook stage's own HTML templates (forms, widget layouts), from the package's
templates/ folder: a notebook page is rendered once and cached, so Jinja is loaded only then."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader

    return Environment(
        loader=PackageLoader("coursebook", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_template(name: str, **values: Any) -> str:
    """`templates/<name>` rendered with `values` (HTML-escaped unless marked safe)."""
    return _environment().get_template(name).render(**values).strip()
