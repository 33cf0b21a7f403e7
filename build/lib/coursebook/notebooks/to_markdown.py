"""Turn an executed notebook into a Markdown page plus the image files its outputs produced.

Markdown cells stay Markdown, so they get the site's math, admonitions and links like any
lecture page. Code becomes fenced code; outputs become small HTML blocks whose text is escaped.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from urllib.parse import quote

from .execute import strip_ansi
from .notebook import Notebook, cell_source

# Richest first: the first of these an output carries is the one shown.
MIME_PREFERENCE = (
    "application/vnd.jupyter.widget-view+json",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "image/gif",
    "text/html",
    "text/markdown",
    "text/latex",
    "text/plain",
)
IMAGE_EXTENSIONS = {
    "image/svg+xml": "svg",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
}


@dataclass
class RenderedNotebook:
    """A notebook as a Markdown page: `images` maps file names (beside the page) to bytes."""

    markdown: str
    title: str | None
    images: dict[str, bytes] = field(default_factory=dict)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _fence(code: str, language: str) -> str:
    """A fenced block marked as notebook input, so print can leave input cells out."""
    longest = max((len(run) for run in code.split("\n") if set(run.strip()) == {"`"}), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{{ .{language} .nb-input }}\n{code.rstrip()}\n{fence}"


def _first_heading(nb) -> str | None:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in cell_source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


class _OutputRenderer:
    def __init__(self, image_prefix: str) -> None:
        self.image_prefix = image_prefix
        self.images: dict[str, bytes] = {}

    def render(self, output, cell_number: int, output_number: int) -> str:
        kind = output.get("output_type")
        if kind == "stream":
            stream = output.get("name", "stdout")
            text = html.escape(strip_ansi(_text(output.get("text", ""))))
            return f'<pre class="nb-output nb-stream nb-stream--{stream}">{text}</pre>'
        if kind == "error":
            trace = html.escape(strip_ansi("\n".join(output.get("traceback", []))))
            return f'<pre class="nb-output nb-error">{trace}</pre>'
        if kind in ("execute_result", "display_data"):
            return self._rich(output.get("data", {}), cell_number, output_number)
        return ""

    def _rich(self, data: dict, cell_number: int, output_number: int) -> str:
        mime = next((m for m in MIME_PREFERENCE if m in data), None)
        if mime is None:
            return ""
        if mime == "application/vnd.jupyter.widget-view+json":
            if "text/plain" in data:
                note = html.escape(_text(data["text/plain"]))
            else:
                note = "Interactive widget"
            return (
                '<div class="nb-output nb-widget" role="note">'
                f"{note}: run the notebook to interact with it.</div>"
            )
        if mime in IMAGE_EXTENSIONS:
            name = f"{self.image_prefix}cell-{cell_number}-output-{output_number}"
            name += f".{IMAGE_EXTENSIONS[mime]}"
            raw = data[mime]
            if mime == "image/svg+xml":
                # Written to a file and shown with <img>, so scripts in the SVG never run.
                self.images[name] = _text(raw).encode("utf-8")
            else:
                self.images[name] = base64.b64decode(_text(raw))
            # A Markdown image, so MkDocs rewrites and checks its link like any other.
            return (
                f"![Figure produced by cell {cell_number}]({quote(name)})"
                "{ .nb-output .nb-figure }"
            )
        if mime == "text/html":
            return f'<div class="nb-output nb-html">\n{_text(data[mime])}\n</div>'
        if mime == "text/markdown":
            return _text(data[mime])
        if mime == "text/latex":
            return _text(data[mime])
        text = html.escape(_text(data["text/plain"]))
        return f'<pre class="nb-output nb-result">{text}</pre>'


def notebook_to_markdown(nb: Notebook, *, image_prefix: str) -> RenderedNotebook:
    """Render `nb` (executed or with stored outputs) as Markdown.

    `image_prefix` is prepended to image file names, e.g. "lecture-02_files/": a folder
    beside the notebook, so the page links to its images by a relative path. Cells tagged
    `remove-cell`, `remove-input` or `remove-output` (the Jupyter Book tags) lose that part.
    """
    metadata = nb.get("metadata", {})
    language = metadata.get("kernelspec", {}).get("language") or metadata.get(
        "language_info", {}
    ).get("name", "python")
    outputs = _OutputRenderer(image_prefix)
    blocks: list[str] = []
    for number, cell in enumerate(nb["cells"], start=1):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "remove-cell" in tags:
            continue
        if cell["cell_type"] == "markdown":
            blocks.append(cell_source(cell).strip())
        elif cell["cell_type"] == "code":
            parts = []
            if "remove-input" not in tags and cell_source(cell).strip():
                parts.append(_fence(cell_source(cell), language))
            if "remove-output" not in tags:
                parts.extend(
                    rendered
                    for index, output in enumerate(cell.get("outputs", []), start=1)
                    if (rendered := outputs.render(output, number, index))
                )
            if parts:
                blocks.append("\n\n".join(parts))
        elif cell["cell_type"] == "raw":
            continue
    return RenderedNotebook(
        markdown="\n\n".join(blocks) + "\n",
        title=_first_heading(nb),
        images=outputs.images,
    )
