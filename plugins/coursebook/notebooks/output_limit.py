"""Cap the text a code cell's outputs put on its page, with a note linking to the notebook.

A cell that prints a million lines made a 54 MB page and a 55 MB search index. Past the
limit the page shows the first part of the output and a note saying how much was left out,
linking to the notebook's download, which keeps every output.
"""

from __future__ import annotations

import html
from typing import Any

from .notebook import Notebook

# Outputs whose text is shown on the page (images become files of their own).
TEXT_MIMES = ("text/html", "text/markdown", "text/latex", "text/plain", "application/json")


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "".join(part for part in value if isinstance(part, str))
    return value if isinstance(value, str) else ""


def _size(output: dict) -> int:
    """Characters `output` puts on the page, at most (its richest text form)."""
    if output.get("output_type") == "stream":
        return len(_text(output.get("text")))
    if output.get("output_type") == "error":
        return sum(len(line) for line in output.get("traceback") or [] if isinstance(line, str))
    data = output.get("data") or {}
    return max((len(_text(data.get(mime))) for mime in TEXT_MIMES), default=0)


def truncation_note(shown: int, total: int, download: str) -> dict:
    """The output that stands for what was left out: a note and a link to the notebook."""
    text = (
        f"Output cut: the first {shown:,} of {total:,} characters are shown. "
        "The notebook has all of it"
    )
    link = f'<a class="cb-output-truncated__all" href="{html.escape(download)}">show all</a>'
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            "text/html": f'<p class="cb-output-truncated">{html.escape(text)}: {link}.</p>',
            "text/plain": f"{text}: {download}",
        },
    }


def cap_outputs(nb: Notebook, limit: int, download: str, shown: str) -> tuple[Notebook, list[str]]:
    """`nb` with each code cell's outputs cut to `limit` characters (0: no limit), and a
    warning per cut cell. `download` is the link to the notebook's file from its page;
    `shown` names the notebook in messages."""
    if limit <= 0:
        return nb, []
    warnings: list[str] = []
    cells = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        outputs = cell.get("outputs") if cell.get("cell_type") == "code" else None
        sizes = [_size(output) for output in outputs or []]
        total = sum(sizes)
        if total <= limit:
            cells.append(cell)
            continue
        kept, used = [], 0
        for output, size in zip(outputs, sizes, strict=True):
            if used + size <= limit:
                kept.append(output)
                used += size
                continue
            if output.get("output_type") == "stream":
                # The first lines of a long stream, cut at a line's end.
                text = _text(output.get("text"))[: limit - used]
                text = text[: text.rfind("\n") + 1] or text
                kept.append({**output, "text": text})
                used += len(text)
            break
        kept.append(truncation_note(used, total, download))
        cells.append({**cell, "outputs": kept})
        warnings.append(
            f"{shown}: cell {number}: output of {total:,} characters cut to {used:,} on its "
            f"page (the limit is notebooks: max_output_chars: {limit} in mkdocs.yml); the "
            "page links to the notebook for all of it"
        )
    if not warnings:
        return nb, []
    return {**nb, "cells": cells}, warnings
