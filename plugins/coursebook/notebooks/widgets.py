"""Saved ipywidgets state shown as static HTML, for the widgets courses lay content out with:
`Output` (its stored outputs), `Tab` and `Accordion` (titles and children), `HBox`/`VBox`/`Box`,
`HTML`, `HTMLMath`, `Label`, `Image`, and `FloatProgress`/`IntProgress` at their saved value
(a tqdm bar is an HBox of an HTML, a FloatProgress and an HTML: its last text and bar). Any
other model (sliders, buttons, plots that need a
kernel) is not rendered here, and the output falls back to its static MIME data or text, as
before.

The state is the notebook's `metadata.widgets["application/vnd.jupyter.widget-state+json"]`
(ipywidgets' widget-state schema v2: `version_major`, `version_minor`, and `state`, a map from
model id to `{model_name, model_module, model_module_version, state, buffers?}`); Colab also
saves the map of models alone, without the wrapper. Model names are the same in ipywidgets 7
(@jupyter-widgets/controls 1.x) and 8 (2.x); what differs is read both ways: Tab and Accordion
titles (`_titles`, a map from index to title, in 7; `titles`, a list, in 8) and Label/HTML
descriptions. Incomplete state is read as far as it goes and never raises.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .embeds import defer_iframes
from .math import typeset_html, typeset_text
from .templates import render_template

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
REFERENCE = "IPY_MODEL_"
# Nesting deeper than this is a loop or a mistake; such a child shows nothing.
MAX_DEPTH = 12
# ipywidgets' HTML views set `innerHTML`, where a <script> never runs: the page drops them.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?(?:</script\s*>|$)", re.IGNORECASE | re.DOTALL)
IMAGE_FORMATS = {"png": "png", "jpeg": "jpg", "jpg": "jpg", "gif": "gif", "svg+xml": "svg"}

# (outputs, number prefix) -> their HTML, by the page's own output renderer
RenderOutputs = Callable[[list, str], str]
# (image bytes, file stem, extension) -> its URL on the page
AddImage = Callable[[bytes, str, str], str]


@dataclass
class Model:
    name: str
    state: dict[str, Any]
    buffers: list[dict[str, Any]] = field(default_factory=list)


def _models(saved: Any) -> dict[str, Any]:
    if not isinstance(saved, dict):
        return {}
    if isinstance(saved.get("state"), dict):
        return saved["state"]
    # Colab: the map of models without the {"state": …, "version_major": …} wrapper.
    return {key: value for key, value in saved.items() if isinstance(value, dict)}


@dataclass
class WidgetState:
    """The saved models of one notebook, by model id."""

    models: dict[str, Model] = field(default_factory=dict)

    @classmethod
    def from_notebook(cls, nb: dict) -> WidgetState:
        metadata = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
        widgets = metadata.get("widgets") if isinstance(metadata.get("widgets"), dict) else {}
        models: dict[str, Model] = {}
        for model_id, entry in _models(widgets.get(WIDGET_STATE)).items():
            if not isinstance(entry, dict):
                continue
            state = entry.get("state") if isinstance(entry.get("state"), dict) else {}
            name = entry.get("model_name") or state.get("_model_name")
            buffers = entry.get("buffers") if isinstance(entry.get("buffers"), list) else []
            if isinstance(name, str):
                models[str(model_id)] = Model(name, state, buffers)
        return cls(models)

    def get(self, model_id: Any) -> Model | None:
        if isinstance(model_id, str) and model_id.startswith(REFERENCE):
            model_id = model_id.removeprefix(REFERENCE)
        return self.models.get(model_id) if isinstance(model_id, str) else None


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else ("" if value is None else str(value))


def _titles(state: dict, count: int) -> list[str]:
    """Tab/Accordion titles: `titles` (ipywidgets 8) or `_titles` (7), else numbered."""
    titles = [""] * count
    if isinstance(state.get("titles"), list | tuple):
        for index, title in enumerate(state["titles"][:count]):
            titles[index] = _text(title)
    elif isinstance(state.get("_titles"), dict):
        for key, title in state["_titles"].items():
            if str(key).isdigit() and int(key) < count:
                titles[int(key)] = _text(title)
    return [title or f"Page {index + 1}" for index, title in enumerate(titles)]


def _number(value: Any, default: float) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return default


# ipywidgets' bar styles; tqdm sets success when a loop ends, danger when it stopped early.
BAR_STYLES = ("success", "info", "warning", "danger")


def _progress(state: dict) -> str:
    """A progress bar as it was when the notebook was saved (ipywidgets' defaults: 0 to 100)."""
    low = _number(state.get("min"), 0.0)
    high = _number(state.get("max"), 100.0)
    value = min(max(_number(state.get("value"), low), low), high)
    span = high - low
    style = state.get("bar_style")
    return render_template(
        "notebook_widget.html",
        kind="progress",
        value=f"{value - low:g}",
        maximum=f"{span:g}" if span > 0 else "1",
        percent=round(100 * (value - low) / span) if span > 0 else 100,
        style=style if style in BAR_STYLES else "",
    )


class WidgetRenderer:
    """Renders one output's widget view from the saved state."""

    def __init__(
        self,
        state: WidgetState,
        render_outputs: RenderOutputs,
        add_image: AddImage,
        cell: int,
        alt: Callable[[str], str] = lambda _shown: ' alt=""',
    ) -> None:
        self.state = state
        self.render_outputs = render_outputs
        self.add_image = add_image
        self.cell = cell
        # The ` alt="..."` of an Image widget, by its output number (figure_alt.py).
        self.alt = alt

    def render(self, model_id: Any, prefix: str) -> str | None:
        """The widget's HTML, or None when it is not one shown statically (or not saved)."""
        return self._render(model_id, prefix, set())

    def _render(self, model_id: Any, prefix: str, seen: set[str]) -> str | None:
        model = self.state.get(model_id)
        key = str(model_id)
        if model is None or key in seen or len(seen) >= MAX_DEPTH:
            return None
        seen = seen | {key}
        name = model.name.removesuffix("Model")
        state = model.state
        if self._hidden(state):
            return ""
        if name == "Output":
            outputs = state.get("outputs") if isinstance(state.get("outputs"), list) else []
            outputs = [o for o in outputs if isinstance(o, dict)]
            body = self.render_outputs(outputs, f"{prefix}w")
            return f'<div class="nb-widget-output">{body}</div>'
        if name in ("Tab", "Accordion", "HBox", "VBox", "Box", "GridBox"):
            references = state.get("children") if isinstance(state.get("children"), list) else []
            children = [
                self._render(child, f"{prefix}{index + 1}-", seen) or self._control_note(child)
                for index, child in enumerate(references)
            ]
            return self._layout(name, state, children, prefix)
        if name in ("HTML", "HTMLMath"):
            body = defer_iframes(_SCRIPT.sub("", _text(state.get("value"))))
            if name == "HTMLMath":
                body = typeset_html(body)
            return self._described(state, body)
        if name == "Label":
            return self._described(state, typeset_text(_text(state.get("value"))))
        if name == "Image":
            return self._image(model, prefix)
        if name in ("FloatProgress", "IntProgress"):
            return self._described(state, _progress(state))
        return None

    def _hidden(self, state: dict) -> bool:
        """Whether the widget's layout hides it (`layout.display = "none"`, as Neuromatch's
        feedback widget hides its "Thanks" until a click): Jupyter does not show it."""
        layout = self.state.get(state.get("layout"))
        if layout is None:
            return False
        return layout.state.get("display") == "none" or layout.state.get("visibility") == "hidden"

    def _control_note(self, model_id: Any) -> str:
        """A child the page cannot show (a slider of an `interact` demo, a button): the note a
        widget output without saved state gets, naming it as its repr would, with its saved
        value, so the controls beside a saved plot do not vanish without a word."""
        model = self.state.get(model_id)
        # A button (no value) says nothing a reader needs; a hidden control is not there.
        if model is None or model.state.get("value") in (None, "") or self._hidden(model.state):
            return ""
        values = ", ".join(
            f"{key}={model.state[key]!r}"
            for key in ("value", "description")
            if model.state.get(key) not in (None, "")
        )
        text = f"{model.name.removesuffix('Model')}({values})"
        return render_template("notebook_widget.html", kind="note", text=text)

    def _layout(self, name: str, state: dict, children: list[str], prefix: str) -> str:
        selected = state.get("selected_index")
        selected = selected if isinstance(selected, int) else (0 if name == "Tab" else -1)
        if name in ("Tab", "Accordion"):
            return render_template(
                "notebook_widget.html",
                kind="tabs" if name == "Tab" else "accordion",
                children=children,
                titles=_titles(state, len(children)),
                selected=selected,
                # Named by the widget's place in the cell (output, child, output of an Output
                # widget), which no other layout of the page shares: a counter per renderer
                # restarted for each output, so a cell showing two Tabs gave both one radio
                # group, and choosing a tab in one emptied the other.
                group=f"__nb_widget_{self.cell}_{prefix.strip('-')}",
            )
        # ipywidgets' CSS: HBox and Box are flex rows (a Box's layout may turn it to a column),
        # VBox and GridBox stack here.
        layout = self.state.get(state.get("layout"))
        flow = _text(layout.state.get("flex_flow")) if layout else ""
        row = name == "HBox" or (name == "Box" and not flow.startswith("column"))
        direction = "h" if row else "v"
        return render_template(
            "notebook_widget.html", kind="box", children=children, direction=direction
        )

    def _described(self, state: dict, body: str) -> str:
        return render_template(
            "notebook_widget.html",
            kind="described",
            description=_text(state.get("description")),
            body=body,
        )

    def _image(self, model: Model, prefix: str) -> str | None:
        state = model.state
        extension = IMAGE_FORMATS.get(_text(state.get("format") or "png").lower())
        # Bytes are saved in `buffers` (path ["value"]); a hand-made state may inline them.
        buffer = next(
            (b for b in model.buffers if isinstance(b, dict) and b.get("path") == ["value"]),
            {"data": state.get("value"), "encoding": "base64"},
        )
        data, encoding = buffer.get("data"), buffer.get("encoding")
        if extension is None or not isinstance(data, str):
            return None
        try:
            raw = bytes.fromhex(data) if encoding == "hex" else base64.b64decode(data)
        except (binascii.Error, ValueError):
            return None
        shown = prefix.strip("-") or "1"
        src = self.add_image(raw, f"cell-{self.cell}-widget-{shown}", extension)
        size = "".join(
            f' {key}="{int(value)}"'
            for key in ("width", "height")
            if str(value := state.get(key) or "").isdigit()
        )
        return f'<img class="nb-output nb-figure" src="{html.escape(src)}"{size}{self.alt(shown)}>'
