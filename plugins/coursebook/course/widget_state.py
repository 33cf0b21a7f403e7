"""The saved widget state a student notebook keeps: only the models its outputs still show.

ipywidgets saves every model of a run in the notebook's
`metadata.widgets["application/vnd.jupyter.widget-state+json"]`, apart from the outputs that
display them. A solution cell's outputs are cleared in the student version, but the models they
displayed (a Label reading the answer, an Output widget holding the solution's plot) would stay
in that metadata, and so in the published `.ipynb`. A model is kept when an output of the
student notebook displays it, or a kept model refers to it (`IPY_MODEL_<id>`, a box's
children); the others show nothing anywhere and are dropped."""

from __future__ import annotations

import json
from typing import Any

from .withheld import WithheldText

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
REFERENCE = "IPY_MODEL_"

Notebook = dict[str, Any]


def _shown_ids(nb: Notebook) -> set[str]:
    ids: set[str] = set()
    for cell in nb.get("cells", []):
        for output in cell.get("outputs") or []:
            view = (output.get("data") or {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and isinstance(view.get("model_id"), str):
                ids.add(view["model_id"])
    return ids


def _references(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value[len(REFERENCE) :]} if value.startswith(REFERENCE) else set()
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*map(_references, value)) if value else set()
    return set()


def keep_shown_widgets(nb: Notebook, name: str, withheld: list[WithheldText]) -> None:
    """Drop from `nb`'s saved widget state the models none of its outputs shows (the metadata
    is replaced, not changed: it is shared with the source notebook); each one dropped is
    recorded in `withheld`. Colab's form (the map of models without its wrapper) too."""
    widgets = (nb.get("metadata") or {}).get("widgets")
    saved = widgets.get(WIDGET_STATE) if isinstance(widgets, dict) else None
    if not isinstance(saved, dict):
        return
    wrapped = isinstance(saved.get("state"), dict)
    models = saved["state"] if wrapped else saved
    kept: set[str] = set()
    todo = [model_id for model_id in _shown_ids(nb) if model_id in models]
    while todo:
        model_id = todo.pop()
        if model_id in kept:
            continue
        kept.add(model_id)
        todo += [ref for ref in _references(models[model_id]) if ref in models]
    dropped = [key for key, value in models.items() if isinstance(value, dict) and key not in kept]
    if not dropped:
        return
    for model_id in dropped:
        text = json.dumps(models[model_id], sort_keys=True)
        withheld.append(WithheldText(f"{name}: metadata.widgets, model {model_id}", text))
    remaining = {key: value for key, value in models.items() if key not in dropped}
    state = {**saved, "state": remaining} if wrapped else remaining
    nb["metadata"] = {**nb["metadata"], "widgets": {**widgets, WIDGET_STATE: state}}
