"""Colab forms: a code cell whose `#@title`, `#@param` and `#@markdown` comments Colab shows as
a titled form (its Markdown text, its fields) with the code folded away when the cell's
`metadata.cellView` is "form". Read from the source as Colab reads it; the cell is not changed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

# `#@title Video 1: Intro { display-mode: "form" }` (Colab also accepts `# @title`).
TITLE = re.compile(r"^\s*#\s*@title\b[ \t]*(?P<title>.*?)\s*(?P<options>\{[^{}]*\})?\s*$")
MARKDOWN = re.compile(r"^\s*#\s*@markdown\b ?(?P<text>.*)$")
PARAM = re.compile(
    r"^\s*(?P<name>[A-Za-z_]\w*)\s*(?::[^=]*)?=\s*(?P<value>.*?)\s*#\s*@param\b\s*(?P<spec>.*)$"
)
BOOLEAN = re.compile(r"""type\s*:\s*["']boolean["']""")
SLIDER = re.compile(r"""type\s*:\s*["']slider["']""")
# `min:0`, `max: 1.5`, `step:0.1` in Colab's spec (a JavaScript object, keys unquoted).
BOUND = re.compile(r"""\b(?P<key>min|max|step)\s*:\s*["']?(?P<number>[-+]?[\d.]+(?:e[-+]?\d+)?)""")
# `["a", "b"]` (a dropdown), before any `{…}` options.
CHOICES = re.compile(r"^\s*(?P<list>\[.*?\])\s*(?:\{.*\})?\s*$")


@dataclass
class FormField:
    """One `#@param` line: its variable, its value as Colab's field shows it, and the kind of
    field: `checkbox` (booleans), `select` (a list of choices), `range` (a slider, with its
    `bounds`: min, max, step), else `text`."""

    name: str
    value: str
    kind: str = "text"
    checked: bool = False
    choices: list[str] = field(default_factory=list)
    bounds: dict[str, str] = field(default_factory=dict)


@dataclass
class FormSection:
    """A run of `#@markdown` text and the fields after it: Colab lays a form out in source
    order, so each text stands above its own fields."""

    markdown_lines: list[str] = field(default_factory=list)
    fields: list[FormField] = field(default_factory=list)

    @property
    def markdown(self) -> str:
        return "\n".join(self.markdown_lines)


@dataclass
class ColabForm:
    title: str
    sections: list[FormSection] = field(default_factory=list)
    # Colab hides the code of a cell whose metadata.cellView is "form"; else shows it beside.
    folded: bool = True

    @property
    def markdown(self) -> str:
        """All the form's text, in order."""
        return "\n".join(line for s in self.sections for line in s.markdown_lines)

    @property
    def fields(self) -> list[FormField]:
        """All the form's fields, in order."""
        return [f for s in self.sections for f in s.fields]


def _field(match: re.Match) -> FormField:
    raw = match["value"]
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        value = None
        shown = raw
    else:
        shown = value if isinstance(value, str) else raw
    spec = match["spec"]
    if isinstance(value, bool) or BOOLEAN.search(spec):
        return FormField(match["name"], raw, "checkbox", checked=value is True)
    if found := CHOICES.match(spec):
        try:
            listed = ast.literal_eval(found["list"])
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            listed = None
        if isinstance(listed, list):
            choices = [item if isinstance(item, str) else repr(item) for item in listed]
            if shown not in choices:
                choices.append(shown)
            return FormField(match["name"], shown, "select", choices=choices)
    if SLIDER.search(spec):
        bounds = {m["key"]: m["number"] for m in BOUND.finditer(spec)}
        return FormField(match["name"], shown, "range", bounds=bounds)
    return FormField(match["name"], shown)


def parse_form(source: str, metadata: dict | None) -> ColabForm | None:
    """The form of a code cell, or None when it has no `#@title`, `#@param` or `#@markdown`
    and is not hidden as a form either."""
    folded = (metadata or {}).get("cellView") == "form"
    if "@title" not in source and "@param" not in source and "@markdown" not in source:
        # Colab's "Hide code" (and notebook generators marking set-up cells) sets cellView
        # "form" on a cell with no form markup: Colab shows only "Show code".
        return ColabForm("", [], folded=True) if folded and source.strip() else None
    title = ""
    sections: list[FormSection] = []
    first = True
    for line in source.splitlines():
        if first and line.strip():
            first = False
            if found := TITLE.match(line):
                title = found["title"]
                continue
        if found := MARKDOWN.match(line):
            if not sections or sections[-1].fields:
                sections.append(FormSection())
            sections[-1].markdown_lines.append(found["text"])
        elif found := PARAM.match(line):
            if not sections:
                sections.append(FormSection())
            sections[-1].fields.append(_field(found))
    if not (title or sections or folded):
        return None
    return ColabForm(title, sections, folded)
