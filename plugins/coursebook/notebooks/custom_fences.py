"""The site's custom superfences (mermaid, say) in notebook Markdown cells: a cell's
```mermaid block is drawn as the site's Markdown pages draw it, by the format function the
site configured for `pymdownx.superfences`, not shown as code."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# A fenced block as the notebook's Markdown renderer (markdown-it) writes it.
RENDERED_FENCE = re.compile(
    r'<pre><code class="language-(?P<name>[^"\s]+)">(?P<code>.*?)</code></pre>', re.S
)


@dataclass(frozen=True)
class CustomFence:
    name: str
    class_name: str
    format: Callable[..., str]


def custom_fences_of(markdown_configs: Mapping) -> tuple[CustomFence, ...]:
    """The custom fences of mkdocs.yml's `pymdownx.superfences` (MkDocs' `mdx_configs`)."""
    options = markdown_configs.get("pymdownx.superfences") or {}
    return tuple(
        CustomFence(str(fence["name"]), str(fence.get("class", "")), fence["format"])
        for fence in options.get("custom_fences") or []
        if isinstance(fence, Mapping) and "name" in fence and callable(fence.get("format"))
    )


def draw_custom_fences(
    text: str, fences: tuple[CustomFence, ...], notebook_uri: str, problems: list[str]
) -> str:
    """`text` (a cell's HTML) with each block of a custom fence formatted as the site's pages
    format it. A format that needs the page's own Markdown (a custom one may) cannot run
    outside it: the block stays code, and `problems` says so."""
    by_name = {fence.name: fence for fence in fences}

    def draw(match: re.Match) -> str:
        fence = by_name.get(match["name"])
        if fence is None:
            return match.group(0)
        source = html.unescape(match["code"]).removesuffix("\n")
        try:
            return fence.format(
                source, fence.name, fence.class_name, {}, None, classes=[], id_value="", attrs={}
            )
        except (AttributeError, KeyError, TypeError, ValueError) as error:  # md=None, say
            problems.append(
                f"{notebook_uri}: custom fence {fence.name!r} could not be drawn outside a "
                f"Markdown page ({type(error).__name__}: {error}); it is shown as code"
            )
            return match.group(0)

    return RENDERED_FENCE.sub(draw, text) if "language-" in text else text
