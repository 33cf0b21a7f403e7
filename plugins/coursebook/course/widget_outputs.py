"""Saved widget state in a student view: what an Output widget holds, before the release.

A notebook's saved widget state (`metadata.widgets`) records what each Output widget holds,
not which cell wrote it: `with out: print(answer)` in a solution cell leaves the answer in the
state of `out`, which another cell displays (and the notebook stage renders saved state). So
while a notebook's solutions are withheld, its Output widgets keep only what no solution can
have computed: video players (the lecture videos of Neuromatch-style tutorials), and lose
everything else (text, images, tables) until the release, when the notebook is published as
it is. Leak-safe rather than clever: the state cannot tell an answer from a demo.
"""

from __future__ import annotations

import re
from typing import Any

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
VIDEO_PLAYER = re.compile(
    r"<iframe\b[^>]*\bsrc=[\"']?(?:https?:)?//(?:www\.)?"
    r"(?:youtube(?:-nocookie)?\.com|youtu\.be|player\.bilibili\.com|player\.vimeo\.com)/",
    re.IGNORECASE,
)


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else value if isinstance(value, str) else ""


def is_video_player(output: Any) -> bool:
    """A display of an embedded video and nothing else (IPython's YouTubeVideo, an IFrame)."""
    if not isinstance(output, dict) or output.get("output_type") not in (
        "display_data",
        "execute_result",
    ):
        return False
    data = output.get("data") if isinstance(output.get("data"), dict) else {}
    html = _text(data.get("text/html"))
    return bool(VIDEO_PLAYER.search(html)) and set(data) <= {"text/html", "text/plain"}


def without_computed_widget_outputs(nb: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """`nb` (a new top-level dict when anything changes) whose Output widgets keep only their
    video players, and how many outputs were dropped."""
    metadata = nb.get("metadata")
    widgets = metadata.get("widgets") if isinstance(metadata, dict) else None
    saved = widgets.get(WIDGET_STATE) if isinstance(widgets, dict) else None
    if not isinstance(saved, dict):
        return nb, 0
    wrapped = isinstance(saved.get("state"), dict)
    models = saved["state"] if wrapped else saved  # Colab saves the map without the wrapper
    kept: dict[str, Any] = {}
    dropped = 0
    for model_id, entry in models.items():
        state = entry.get("state") if isinstance(entry, dict) else None
        outputs = state.get("outputs") if isinstance(state, dict) else None
        if isinstance(outputs, list) and outputs:
            videos = [output for output in outputs if is_video_player(output)]
            dropped += len(outputs) - len(videos)
            entry = {**entry, "state": {**state, "outputs": videos}}
        kept[model_id] = entry
    if not dropped:
        return nb, 0
    new_saved = {**saved, "state": kept} if wrapped else kept
    new_metadata = {**metadata, "widgets": {**widgets, WIDGET_STATE: new_saved}}
    return {**nb, "metadata": new_metadata}, dropped
