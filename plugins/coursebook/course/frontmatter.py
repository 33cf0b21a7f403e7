"""Split a Markdown file into its YAML front matter and body, reporting malformed YAML.

MkDocs' own reader silently treats broken YAML as text; course pages must not.
"""

from __future__ import annotations

import re

import yaml

from .problems import Problem

# libyaml's loader when PyYAML was built with it: several times faster on a course of lectures.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def read_front_matter(text: str, file: str) -> tuple[dict, list[Problem]]:
    """Return the front matter mapping of `text` (empty when there is none) and problems."""
    match = FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---"):
            return {}, [Problem(file, "front matter", "opening '---' has no closing '---'")]
        return {}, []
    try:
        data = yaml.load(match.group(1) or "", Loader=SafeLoader)  # a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        context, context_mark = (
            getattr(error, "context", None),
            getattr(error, "context_mark", None),
        )
        if context and context_mark:
            # e.g. "while parsing a flow sequence" started at the unclosed "[".
            reason += (
                f" ({context} at line {context_mark.line + 2}, column {context_mark.column + 1})"
            )
        return {}, [Problem(file, "front matter", f"invalid YAML{where}: {reason}")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        kind = type(data).__name__
        return {}, [Problem(file, "front matter", f"expected key: value pairs, got a {kind}")]
    return data, []
