"""Output widgets' saved state in the student view of a notebook whose solutions are withheld:
video players stay, what a solution could have computed goes until the release."""

from __future__ import annotations

from coursebook.course.solutions import student_notebook
from coursebook.course.widget_outputs import (
    WIDGET_STATE,
    is_video_player,
    without_computed_widget_outputs,
)

YOUTUBE = {
    "output_type": "display_data",
    "data": {
        "text/html": '<iframe width="854" src="https://www.youtube.com/embed/abc"></iframe>',
        "text/plain": "<IPython.lib.display.YouTubeVideo at 0x7f>",
    },
    "metadata": {},
}
ANSWER = {"output_type": "stream", "name": "stdout", "text": "The answer is 42\n"}
SOLUTION = {
    "cell_type": "code",
    "execution_count": 2,
    "metadata": {},
    "outputs": [],
    "source": "# to_remove solution\nwith out:\n    print(6 * 7)\n",
}


def shown(*model_ids: str) -> dict:
    """A code cell whose outputs show these widgets (as `display(out)` saves it)."""
    view = "application/vnd.jupyter.widget-view+json"
    outputs = [
        {
            "output_type": "display_data",
            "data": {view: {"version_major": 2, "version_minor": 0, "model_id": model_id}},
            "metadata": {},
        }
        for model_id in model_ids
    ]
    return {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "outputs": outputs,
        "source": "display(out)",
    }


def notebook(state: dict, wrapped: bool = True) -> dict:
    saved = {"version_major": 2, "version_minor": 0, "state": state} if wrapped else state
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Tutorial"},
            shown(*state),
            SOLUTION,
        ],
        "metadata": {"widgets": {WIDGET_STATE: saved}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def output_model(*outputs) -> dict:
    return {
        "model_name": "OutputModel",
        "model_module": "@jupyter-widgets/output",
        "state": {"outputs": list(outputs)},
    }


def saved_outputs(nb: dict, model_id: str, wrapped: bool = True) -> list:
    saved = nb["metadata"]["widgets"][WIDGET_STATE]
    return (saved["state"] if wrapped else saved)[model_id]["state"]["outputs"]


def test_a_video_player_is_one_and_a_printed_answer_is_not():
    assert is_video_player(YOUTUBE)
    assert not is_video_player(ANSWER)
    # An iframe of anything else, or a player beside other data, may carry more than a video.
    assert not is_video_player({**YOUTUBE, "data": {"text/html": '<iframe src="https://x.org/">'}})
    assert not is_video_player({**YOUTUBE, "data": {**YOUTUBE["data"], "image/png": "iVBOR"}})


def test_before_the_release_output_widgets_keep_their_videos_only():
    nb = notebook({"video": output_model(YOUTUBE), "out": output_model(ANSWER, YOUTUBE)})
    student = student_notebook(nb, "docs/tutorial.ipynb", None)
    assert saved_outputs(student, "video") == [YOUTUBE]
    assert saved_outputs(student, "out") == [YOUTUBE]
    assert saved_outputs(nb, "out") == [ANSWER, YOUTUBE]  # the source is left as it was


def test_colab_state_without_its_wrapper_is_read_too():
    nb = notebook({"out": output_model(ANSWER)}, wrapped=False)
    student = student_notebook(nb, "docs/tutorial.ipynb", None)
    assert saved_outputs(student, "out", wrapped=False) == []


def test_a_notebook_without_a_solution_keeps_its_widget_state():
    nb = notebook({"out": output_model(ANSWER)})
    nb["cells"] = nb["cells"][:2]
    assert saved_outputs(student_notebook(nb, "docs/tutorial.ipynb", None), "out") == [ANSWER]
    assert without_computed_widget_outputs({"cells": [], "metadata": {}}) == (
        {"cells": [], "metadata": {}},
        0,
    )
