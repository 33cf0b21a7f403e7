"""Turn an executed notebook into a Markdown page plus the image files its cells produced.

The page shows what Jupyter shows. Markdown cells are rendered with Jupyter's Markdown
(markdown_cells.py); outputs with Jupyter's display priority. Both become finished HTML
*fragments* that the page carries as placeholders (`<!--cb-nb-fragment:N-->`), so the site's
Python-Markdown never re-reads them; the plugin puts them back into the rendered page. Headings
stay Markdown headings (for the table of contents and permalinks) and code stays fenced code
(for highlighting and print rules).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from .ansi import ansi_to_html
from .embeds import VideoDetails, badges_as_text, defer_iframes
from .figure_alt import MISSING_ALT_FIX, CellFigures, CellOptionsError, FigureText
from .forms import ColabForm, parse_form
from .fragments import FRAGMENT
from .image_alt import cell_alt_problems
from .markdown_cells import CellContext, Heading, mark_url, render_markdown
from .math import typeset_html
from .notebook import Notebook, cell_source
from .templates import render_template
from .widgets import MAX_DEPTH, WidgetRenderer, WidgetState

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The end of tqdm's meter, `[elapsed<remaining, rate]` or `[elapsed, rate]`: its widget's text.
PROGRESS_METER = re.compile(r"\[(?:\d+:)?\d\d:\d\d(?:<(?:(?:\d+:)?\d\d:\d\d|\?))?, [^\]\n]*\]$")
# nbconvert's HTML order (richest the page can show first), without JavaScript outputs.
MIME_PRIORITY = (
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "text/latex",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
)
IMAGE_EXTENSIONS = {
    "image/svg+xml": "svg",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
# Streams longer than this are collapsed behind a "show all N lines" button.
LONG_STREAM_LINES = 40
# Characters that Python-Markdown (and its extensions) would read in heading text.
_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&#?[A-Za-z0-9]+;)")
# The digits of `1st`, `22nd`, `4th`: pymdownx.smartsymbols' ordinal numbers.
_ORDINAL = re.compile(r"(?<![\w])\d+(?=(?:st|nd|rd|th)\b)")
# Ids that pass attr_list and Python-Markdown's inline patterns unchanged; other headings get
# the site's usual slug.
_SAFE_ID = re.compile(r"^[\w\-.,:]+$")


@dataclass
class RenderedNotebook:
    """A notebook as a Markdown page: `images` maps file names (beside the page) to bytes;
    `fragments` are the HTML blocks the page's placeholders stand for; `problems` are
    messages (starting `cell N:`) about things the notebook asked for but does not hold."""

    markdown: str
    title: str | None
    images: dict[str, bytes] = field(default_factory=dict)
    fragments: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Figures shown without alt text (`cell N: output M: ...`): reported, not fatal.
    undescribed: list[str] = field(default_factory=list)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _fence(code: str, language: str) -> str:
    """A fenced block marked as notebook input, so print can leave input cells out."""
    longest = max((len(run) for run in code.split("\n") if set(run.strip()) == {"`"}), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{{ .{language} .nb-input }}\n{code.rstrip()}\n{fence}"


def _inert_inline_html(text: str) -> str:
    """Inline HTML that Python-Markdown passes through untouched: its tags are kept, and every
    punctuation character of its text becomes a character reference (which the browser shows
    as the character, and which no Markdown or arithmatex pattern can match). So do the digits
    of an ordinal (`4th`), which smartsymbols would make 4<sup>th</sup>: Jupyter shows headings
    as typed."""

    def inert(part: str) -> str:
        part = _MARKDOWN_PUNCTUATION.sub(lambda m: f"&#{ord(m.group(0))};", part)
        return _ORDINAL.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(0)), part)

    return "".join(
        part if _TAG_OR_ENTITY.fullmatch(part) else inert(part)
        for part in _TAG_OR_ENTITY.split(text)
    )


def _toc_label(label: str) -> str:
    """` data-toc-label="…"` for attr_list: the toc extension unescapes it and strips tags, so
    the table of contents shows the heading with its math as text, never `\\(…\\)`."""
    return f' data-toc-label="{_inert_inline_html(html.escape(label))}"'


class _Images:
    """Image files beside the page, each distinct content written once."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.files: dict[str, bytes] = {}
        self._by_digest: dict[str, str] = {}

    def add(self, data: bytes, stem: str, extension: str) -> str:
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        if digest not in self._by_digest:
            name = f"{self.prefix}{stem}.{extension}"
            self.files[name] = data
            self._by_digest[digest] = name
        return self._by_digest[digest]


def _decode(value, mime: str) -> bytes | None:
    if mime == "image/svg+xml":
        return _text(value).encode("utf-8")
    try:
        return base64.b64decode(_text(value))
    except (binascii.Error, ValueError):
        return None


def _collapse_carriage_returns(text: str) -> str:
    """What a terminal shows: each `\\r` lets the rest of the line overwrite its start
    (progress bars)."""
    if "\r" not in text:
        return text
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if "\r" in line:
            pieces = [piece for piece in line.split("\r") if piece]
            line = pieces[-1] if pieces else ""
        lines.append(line)
    return "\n".join(lines)


def _stream_block(name: str, text: str) -> str:
    text = _collapse_carriage_returns(text)
    escaped = ansi_to_html(text)
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    block = f'<pre class="nb-output nb-stream nb-stream--{html.escape(name)}">{escaped}</pre>'
    if lines <= LONG_STREAM_LINES:
        return block
    return (
        f'<div class="nb-long" data-cb-lines="{lines}">{block}'
        f'<button type="button" class="md-button nb-long__toggle" hidden>'
        f"Show all {lines} lines</button></div>"
    )


class _OutputRenderer:
    def __init__(
        self, images: _Images, problems: list[str], widgets: WidgetState | None = None
    ) -> None:
        self.images = images
        self.problems = problems
        self.widgets = widgets or WidgetState()
        self._open_widgets: list = []  # the widgets being rendered, outermost first
        self.figures = CellFigures()  # the alt texts of the cell being rendered
        self.undescribed: list[str] = []
        # The cell being rendered: its metadata and where it sits (a player's name, see embeds).
        self.cell_metadata: dict = {}
        self.context_title: str | None = None

    def render_all(
        self, outputs: list, cell: int, prefix: str = "", figures: CellFigures | None = None
    ) -> str:
        """`prefix` numbers the outputs of a widget apart from the cell's own (image names);
        `figures` gives the alt text of the cell's figures (a widget's share its cell's)."""
        if figures is not None:
            self.figures = figures
        blocks: list[str] = []
        index = 0
        while index < len(outputs):
            output = outputs[index]
            if output.get("output_type") == "stream":
                # Consecutive writes to one stream show as one block, as in Jupyter.
                name = output.get("name", "stdout")
                text = _text(output.get("text", ""))
                while (
                    index + 1 < len(outputs)
                    and outputs[index + 1].get("output_type") == "stream"
                    and outputs[index + 1].get("name", "stdout") == name
                ):
                    index += 1
                    text += _text(outputs[index].get("text", ""))
                blocks.append(_stream_block(name, text))
            else:
                rendered = self.render(
                    output, cell, f"{prefix}{index + 1}" if prefix else index + 1
                )
                if rendered:
                    blocks.append(rendered)
            index += 1
        return "\n".join(blocks)

    def render(self, output: dict, cell: int, number: int | str) -> str:
        kind = output.get("output_type")
        if kind == "error":
            trace = ansi_to_html("\n".join(output.get("traceback", [])))
            if not trace:
                trace = html.escape(f"{output.get('ename', 'Error')}: {output.get('evalue', '')}")
            return f'<pre class="nb-output nb-error">{trace}</pre>'
        if kind in ("execute_result", "display_data"):
            return self._rich(output.get("data", {}), output.get("metadata", {}), cell, number)
        return ""

    def _image(self, data: dict, mime: str, cell: int, number: int | str) -> str | None:
        raw = _decode(data[mime], mime)
        if raw is None:
            self.problems.append(f"cell {cell}: output {number}: {mime} is not valid base64")
            return None
        name = self.images.add(raw, f"cell-{cell}-output-{number}", IMAGE_EXTENSIONS[mime])
        return mark_url(quote(name), cell)

    def _rich(self, data: dict, metadata: dict, cell: int, number: int | str) -> str:
        if WIDGET_VIEW in data:
            return self._widget(data, metadata, cell, number)
        mime = next((m for m in MIME_PRIORITY if m in data), None)
        if mime is None:
            return ""
        if mime in IMAGE_EXTENSIONS:
            src = self._image(data, mime, cell, number)
            if src is None:
                return ""
            size = metadata.get(mime, {}) if isinstance(metadata.get(mime), dict) else {}
            attributes = "".join(
                f' {key}="{int(size[key])}"'
                for key in ("width", "height")
                if isinstance(size.get(key), int | float)
            )
            text = self.figures.next(metadata)
            # SVG too is shown through <img>, so scripts inside it never run.
            image = (
                f'<img class="nb-output nb-figure" src="{html.escape(src)}"{attributes}'
                f"{self._alt(text, cell, number)}>"
            )
            if text.caption is None:
                return image
            return (
                f'<figure class="nb-output nb-captioned">{image}'
                f"<figcaption>{html.escape(text.caption)}</figcaption></figure>"
            )
        if mime == "text/html":
            thumbnail = None
            picture = next((m for m in ("image/jpeg", "image/png") if m in data), None)
            if picture and "<iframe" in _text(data[mime]).lower():
                thumbnail = self._image(data, picture, cell, number)
            # JupyterLab typesets an HTML output's math once it is on the page.
            body = defer_iframes(typeset_html(_text(data[mime])), thumbnail, self._video(metadata))
            return f'<div class="nb-output nb-html">\n{body}\n</div>'
        if mime == "text/markdown":
            context = CellContext(cell, lambda _name: None, self.problems)
            parts = render_markdown(_text(data[mime]), context)
            body = "".join(
                f"<h{p.level}>{p.html}</h{p.level}>" if isinstance(p, Heading) else p for p in parts
            )
            body = defer_iframes(body, video=self._video(metadata))
            return f'<div class="nb-output nb-markdown">\n{body}\n</div>'
        if mime == "text/latex":
            return f'<div class="nb-output nb-latex arithmatex">{_latex(_text(data[mime]))}</div>'
        text = html.escape(_text(data["text/plain"]))
        return f'<pre class="nb-output nb-result">{text}</pre>'

    def _alt(self, text: FigureText, cell: int, number: int | str) -> str:
        """The alt attribute of a figure; one nobody described is empty rather than made up,
        reported, and marked for the accessibility audit."""
        if not text.missing:
            return f' alt="{html.escape(text.alt)}"'
        self.undescribed.append(f"cell {cell}: output {number}: {MISSING_ALT_FIX}")
        return ' data-coursebook-alt="missing" alt=""'

    def _video(self, metadata: dict) -> VideoDetails:
        return VideoDetails.from_metadata(
            metadata, self.cell_metadata, context_title=self.context_title
        )

    def _widget(self, data: dict, metadata: dict, cell: int, number: int | str) -> str:
        """A widget as its saved state shows it (widgets.py), else its saved static fallback;
        only without either, a note."""
        view = data.get(WIDGET_VIEW)
        model_id = view.get("model_id") if isinstance(view, dict) else None
        # An Output widget may hold a view of itself or of its parent: shown once, not forever.
        if model_id in self._open_widgets or len(self._open_widgets) >= MAX_DEPTH:
            model_id = None
        if model_id is not None and self.widgets.models:
            renderer = WidgetRenderer(
                self.widgets,
                lambda outputs, prefix: self.render_all(outputs, cell, prefix),
                lambda raw, stem, ext: mark_url(quote(self.images.add(raw, stem, ext)), cell),
                cell,
                # An Image widget is one of the cell's figures, for `#| fig-alt:` too.
                lambda shown: self._alt(self.figures.next({}), cell, shown),
            )
            self._open_widgets.append(model_id)
            try:
                shown = renderer.render(model_id, f"{number}-")
            finally:
                self._open_widgets.pop()
            if shown is not None:
                return f'<div class="nb-output nb-widget-static">{shown}</div>'
        fallback = {m: v for m, v in data.items() if m not in (WIDGET_VIEW, "text/plain")}
        if any(m in fallback for m in MIME_PRIORITY):
            return self._rich(fallback, metadata, cell, number)
        text = _text(data.get("text/plain", "")).strip()
        if PROGRESS_METER.search(text):
            # A tqdm bar saved without its widget state: its text, as nbconvert shows it (the
            # bar when it was displayed: the state holds the last one). Nothing to interact with.
            meter = _text(data["text/plain"]).strip("\n")
            return f'<pre class="nb-output nb-result">{html.escape(meter)}</pre>'
        note = html.escape(text) if text else "Interactive widget"
        return (
            '<div class="nb-output nb-widget" role="note">'
            f"{note}: run the notebook to interact with it.</div>"
        )


def _latex(text: str) -> str:
    """`$$…$$` / `$…$` as arithmatex writes them (`\\[…\\]`, `\\(…\\)`); environments as is."""
    body = text.strip()
    if body.startswith("$$") and body.endswith("$$") and len(body) > 4:
        body = f"\\[{body[2:-2]}\\]"
    elif body.startswith("$") and body.endswith("$") and len(body) > 2:
        body = f"\\({body[1:-1]}\\)"
    return html.escape(body, quote=False)


def jupyter_anchor(text: str) -> str:
    """The id Jupyter gives a heading: its text with spaces as hyphens."""
    return re.sub(r"\s+", "-", text.strip())


class _Page:
    """Collects the page's Markdown blocks and HTML fragments."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.fragments: list[str] = []
        self.title: str | None = None
        self._ids: dict[str, int] = {}

    def fragment(self, text: str) -> None:
        self.blocks.append(FRAGMENT.format(len(self.fragments)))
        self.fragments.append(text)

    def heading(self, heading: Heading) -> None:
        label = heading.label or heading.text
        if self.title is None and heading.level == 1:
            self.title = label
        line = f"{'#' * heading.level} {_inert_inline_html(heading.html).strip()}"
        attributes = []
        anchor = jupyter_anchor(heading.text)
        if anchor and _SAFE_ID.match(anchor):
            # Jupyter's own ids, so links written in Jupyter (`#Section-2`) keep working.
            seen = self._ids.get(anchor, 0)
            self._ids[anchor] = seen + 1
            attributes.append(f"#{anchor}{f'-{seen}' if seen else ''}")
        if label != heading.text:
            attributes.append(_toc_label(label).strip())
        if attributes:
            line += f" {{ {' '.join(attributes)} }}"
        self.blocks.append(line)


def _form_parts(form: ColabForm, context: CellContext, has_code: bool) -> tuple[str, str]:
    """The HTML before and after a form cell's (folded) code block."""
    sections = []
    for section in form.sections:
        body = "".join(
            f"<h{p.level}>{p.html}</h{p.level}>" if isinstance(p, Heading) else p
            for p in render_markdown(section.markdown, context)
        )
        # A player in the form's text waits for a click, as in any Markdown cell.
        sections.append({"markdown_html": defer_iframes(body), "fields": section.fields})
    values = {"form": form, "sections": sections, "has_code": has_code}
    return (
        render_template("notebook_form.html", part="head", **values),
        render_template("notebook_form.html", part="tail", **values),
    )


def _attachments(cell: dict, cell_number: int, images: _Images):
    stored = cell.get("attachments") or {}

    def lookup(name: str) -> str | None:
        bundle = stored.get(name)
        if not isinstance(bundle, dict):
            return None
        for mime, extension in IMAGE_EXTENSIONS.items():
            if mime in bundle and (raw := _decode(bundle[mime], mime)) is not None:
                stem = f"cell-{cell_number}-" + re.sub(r"[^\w.-]+", "-", name.rsplit(".", 1)[0])
                return quote(images.add(raw, stem, extension))
        return None

    return lookup


def notebook_to_markdown(
    nb: Notebook, *, image_prefix: str, after_title: str | None = None, colab_forms: bool = True
) -> RenderedNotebook:
    """Render `nb` (executed or with stored outputs) as Markdown with HTML fragments.

    `image_prefix` is prepended to image file names, e.g. "lecture-02_files/": a folder
    beside the notebook, so the page links to its images by a relative path. Cells tagged
    `remove-cell`, `remove-input` or `remove-output` (the Jupyter Book tags) lose that part.
    `after_title` (Markdown) goes right under the first `#` heading, or first if there is none.
    With `colab_forms`, a Colab form cell shows as Colab shows it (forms.py).
    """
    metadata = nb.get("metadata", {})
    language = (metadata.get("kernelspec") or {}).get("language") or (
        metadata.get("language_info") or {}
    ).get("name", "python")
    language = re.sub(r"[^\w+-]", "", str(language)) or "text"
    images = _Images(image_prefix)
    problems: list[str] = []
    outputs = _OutputRenderer(images, problems, WidgetState.from_notebook(nb))
    page = _Page()
    last_heading: str | None = None
    for number, cell in enumerate(nb["cells"], start=1):
        tags = set((cell.get("metadata") or {}).get("tags", []))
        if "remove-cell" in tags:
            continue
        kind = cell.get("cell_type")
        if kind == "markdown":
            context = CellContext(number, _attachments(cell, number, images), problems)
            problems += [f"cell {number}: {p}" for p in cell_alt_problems(cell_source(cell))]
            for part in render_markdown(cell_source(cell), context):
                if isinstance(part, Heading):
                    page.heading(part)
                    last_heading = part.label or part.text
                else:
                    place = VideoDetails(context_title=last_heading)
                    body = badges_as_text(defer_iframes(part, video=place))
                    page.fragment(f'<div class="nb-cell nb-markdown">\n{body}</div>')
        elif kind == "code":
            source = cell_source(cell)
            form = parse_form(source, cell.get("metadata")) if colab_forms else None
            if form is not None and "remove-input" not in tags:
                context = CellContext(number, lambda _name: None, problems)
                head, tail = _form_parts(form, context, bool(source.strip()))
                page.fragment(head)
                page.blocks.append(_fence(source, language))
                page.fragment(tail)
            elif "remove-input" not in tags:
                # Empty cells too: in an exercise they are the slots for the answers.
                page.blocks.append(_fence(source, language))
            if "remove-output" not in tags:
                outputs.cell_metadata = cell.get("metadata") or {}
                outputs.context_title = (form.title if form else None) or last_heading
                try:
                    figures = CellFigures.of(cell, source)
                except CellOptionsError as error:
                    problems.append(f"cell {number}: {error}")
                    figures = CellFigures.of({}, "")
                rendered = outputs.render_all(cell.get("outputs", []), number, figures=figures)
                if rendered:
                    page.fragment(f'<div class="nb-outputs">\n{rendered}\n</div>')
        elif kind == "raw":
            # As nbconvert's HTML: raw cells meant for HTML are included, others are not.
            mime = (cell.get("metadata") or {}).get("format") or (cell.get("metadata") or {}).get(
                "raw_mimetype"
            )
            if mime in ("text/html", "html"):
                page.fragment(defer_iframes(cell_source(cell)))
    blocks = page.blocks
    if after_title is not None:
        # Every block is a heading line, a code fence or a placeholder, so "# " is a title.
        title_at = next((n for n, b in enumerate(blocks) if b.startswith("# ")), None)
        position = 0 if title_at is None else title_at + 1
        blocks = [*blocks[:position], after_title, *blocks[position:]]
    return RenderedNotebook(
        markdown="\n\n".join(blocks) + "\n",
        title=page.title,
        images=images.files,
        fragments=page.fragments,
        problems=problems,
        undescribed=outputs.undescribed,
    )
