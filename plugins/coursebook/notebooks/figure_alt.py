"""The alt text and caption of each figure a code cell shows, from the author first.

In order: Quarto's `#| fig-alt:` cell option, then the cell's `metadata.coursebook.alt`, then
the description the kernel wrote into the output's metadata when coursebook ran the notebook
(kernel_figures.py), then the caption (`#| fig-cap:`). A string is the alt text of the cell's
first figure, a list holds one per figure in order: a cell's one description is never given to
a figure it was not written for. A figure with none of these gets an empty alt text, a marker
for the audit, and a note naming it (see `FigureText.missing`): never a placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Quarto's cell options: `#| key: value` lines (YAML) at the top of a cell, for Python, R and
# Julia alike (all comment with `#`).
_OPTION_LINE = re.compile(r"^#\|\s?(.*)$")


class CellOptionsError(ValueError):
    """The `#|` lines hold a figure's text but are not YAML: said, not silently dropped."""


def cell_options(source: str) -> dict:
    """The Quarto options (`#| fig-alt: ...`) at the start of a cell's source; {} when none.
    Raises CellOptionsError when they mention `fig-alt`/`fig-cap` but are not valid YAML
    (`#| fig-alt: Loss: falls` needs quotes), rather than lose the author's text."""
    lines = []
    for line in source.splitlines():
        match = _OPTION_LINE.match(line)
        if match is None:
            break
        lines.append(match.group(1))
    if not lines:
        return {}
    import yaml

    try:
        options = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as error:
        text = "\n".join(lines)
        if "fig-alt" in text or "fig-cap" in text:
            where = getattr(error, "problem_mark", None)
            line = f"line {where.line + 1}: " if where is not None else ""
            raise CellOptionsError(
                f"{line}the `#|` options are not YAML ({getattr(error, 'problem', error)}): "
                'quote the text, `#| fig-alt: "..."`'
            ) from error
        return {}
    return options if isinstance(options, dict) else {}


def _texts(value) -> list[str | None]:
    """One entry per figure from a string (the first figure's) or a list of strings."""
    if isinstance(value, str):
        return [value.strip() or None]
    if isinstance(value, list):
        return [v.strip() or None if isinstance(v, str) else None for v in value]
    return []


def _require_text(name: str, value) -> None:
    """YAML reads `#| fig-alt: Yes` as true and `#| fig-alt: 2024` as a number: the author's
    text would be dropped without a word, so say it (quoted, it is the text)."""
    values = value if isinstance(value, list) else [value]
    for item in values:
        if item is not None and not isinstance(item, str):
            raise CellOptionsError(
                f'`{name}` is read by YAML as {item!r}, not text: quote it, `#| {name}: "..."`'
                if not isinstance(item, (list, dict))
                else f"`{name}` is not text: write a text, or a list of texts (one per figure)"
            )


def _entry(entries: list[str | None], index: int) -> str | None:
    return entries[index] if index < len(entries) else None


@dataclass
class FigureText:
    """What a figure shows as text: its alt text (empty when nobody gave one), its caption,
    and where the alt text came from (`author`, `generated`, `caption`, or `missing`)."""

    alt: str
    caption: str | None
    source: str

    @property
    def missing(self) -> bool:
        return self.source == "missing"


@dataclass
class CellFigures:
    """Hands out the alt text of a cell's figures, in the order they are shown."""

    fig_alt: list[str | None] = field(default_factory=list)
    metadata_alt: list[str | None] = field(default_factory=list)
    captions: list[str | None] = field(default_factory=list)
    shown: int = 0

    @classmethod
    def of(cls, cell: dict, source: str) -> CellFigures:
        """Raises CellOptionsError (see `cell_options`)."""
        options = cell_options(source)
        for name in ("fig-alt", "fig-cap"):
            _require_text(name, options.get(name))
        settings = (cell.get("metadata") or {}).get("coursebook") or {}
        alt = settings.get("alt") if isinstance(settings, dict) else None
        return cls(_texts(options.get("fig-alt")), _texts(alt), _texts(options.get("fig-cap")))

    def next(self, output_metadata: dict) -> FigureText:
        """The text of the cell's next figure, `output_metadata` being its output's."""
        index = self.shown
        self.shown += 1
        caption = _entry(self.captions, index)
        author = _entry(self.fig_alt, index) or _entry(self.metadata_alt, index)
        if author:
            return FigureText(author, caption, "author")
        generated = (output_metadata.get("coursebook") or {}).get("alt")
        if isinstance(generated, str) and generated.strip():
            return FigureText(generated.strip(), caption, "generated")
        if caption:
            return FigureText(caption, caption, "caption")
        return FigureText("", None, "missing")


MISSING_ALT_FIX = (
    "no alt text: coursebook describes the matplotlib figures it runs, but could not "
    "describe this one; say what it shows with `#| fig-alt: ...` as the cell's first line "
    '(or `"coursebook": {"alt": "..."}` in the cell\'s metadata)'
)
