"""What a build withheld: the text of each solution not yet released and where it is written,
so that the leak guard can look for it in everything the build published."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WithheldText:
    """One withheld piece of a solution (an admonition, a cell, a BEGIN/END block...)."""

    # Where it is written, for messages: "docs/lectures/02-x.md: line 40",
    # "docs/notebooks/x.ipynb: cell 13".
    source: str
    # The withheld text as written (Markdown or code), before any rendering.
    text: str
