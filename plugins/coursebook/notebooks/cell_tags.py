"""A site's own tags for hiding parts of cells (nbconvert's TagRemovePreprocessor, as
mkdocs-jupyter's `remove_tag_config` names them), applied as the Jupyter Book tags that the
renderer knows: `remove-cell`, `remove-input`, `remove-output`."""

from __future__ import annotations

from dataclasses import dataclass

from .notebook import Notebook

TAG_RULE_NAMES = (
    "remove_cell_tags",
    "remove_input_tags",
    "remove_all_outputs_tags",
    "remove_single_output_tags",
)
RENDERER_TAGS = {
    "remove_cell_tags": "remove-cell",
    "remove_input_tags": "remove-input",
    "remove_all_outputs_tags": "remove-output",
}


@dataclass
class TagRules:
    remove_cell_tags: tuple[str, ...] = ()
    remove_input_tags: tuple[str, ...] = ()
    remove_all_outputs_tags: tuple[str, ...] = ()
    remove_single_output_tags: tuple[str, ...] = ()  # on an output's own metadata.tags
    hide_all_inputs: bool = False  # mkdocs-jupyter's `show_input: false` / `no_input: true`

    def __bool__(self) -> bool:
        return self.hide_all_inputs or any(getattr(self, name) for name in TAG_RULE_NAMES)


def _with_tags(cell: dict, rules: TagRules) -> dict:
    tags = list((cell.get("metadata") or {}).get("tags", []))
    added = [
        renderer_tag
        for name, renderer_tag in RENDERER_TAGS.items()
        if set(tags) & set(getattr(rules, name))
    ]
    if rules.hide_all_inputs and cell.get("cell_type") == "code":
        added.append("remove-input")
    outputs = cell.get("outputs")
    if outputs and rules.remove_single_output_tags:
        dropped = set(rules.remove_single_output_tags)
        outputs = [
            output
            for output in outputs
            if not dropped & set((output.get("metadata") or {}).get("tags", []))
        ]
        cell = {**cell, "outputs": outputs}
    if not added:
        return cell
    return {**cell, "metadata": {**(cell.get("metadata") or {}), "tags": tags + added}}


def apply_tag_rules(nb: Notebook, rules: TagRules) -> Notebook:
    """A copy of `nb` whose cells carry the renderer's tags for the site's own."""
    if not rules:
        return nb
    return {**nb, "cells": [_with_tags(cell, rules) for cell in nb.get("cells", [])]}
