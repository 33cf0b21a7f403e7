"""Validate one lecture's front matter and word every problem as `file: field.path: message`."""

from __future__ import annotations

import difflib

from pydantic import ValidationError

from .problems import Problem
from .schema import (
    THEME_KEYS,
    UNION_TAGS,
    Citation,
    CriteriaGroup,
    Criterion,
    Lecture,
    Paper,
)

NESTED_FIELDS = sorted(
    {name for model in (Paper, Citation, Criterion, CriteriaGroup) for name in model.model_fields}
)
FRIENDLY = {
    "missing": "required field is missing",
    "int_parsing": "expected a whole number, got {input!r}",
    "int_type": "expected a whole number, got {input!r}",
    "int_from_float": "expected a whole number, got {input!r}",
    "bool_parsing": "expected true or false, got {input!r}",
    "bool_type": "expected true or false, got {input!r}",
    "list_type": "expected a list, got {input!r}",
    "string_type": "expected text, got {input!r}",
    "model_type": "expected key: value pairs, got {input!r}",
    "model_attributes_type": "expected key: value pairs, got {input!r}",
    "too_short": "expected at least one entry",
}


def field_path(loc: tuple) -> str:
    """('papers', 1, 'paper-entry', 'year') -> 'papers[1].year' (union tags dropped)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in UNION_TAGS:
            continue
        else:
            path += f".{part}" if path else str(part)
    return path


def did_you_mean(key: str, candidates) -> str:
    close = difflib.get_close_matches(str(key), list(candidates), n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


def problem_message(error: dict, known=NESTED_FIELDS) -> str:
    """`known`: the field names a misspelled key is compared with."""
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown field" + did_you_mean(error["loc"][-1], known)
    if kind in FRIENDLY:
        text = FRIENDLY[kind]
        return text.format(input=error.get("input")) if "{input" in text else text
    return error["msg"]


def unknown_key_problems(data: dict, file: str) -> list[Problem]:
    """Top-level keys that look like typos of known ones; others are the author's own."""
    known = set(Lecture.model_fields)
    problems = []
    for key in data:
        if key in known or key in THEME_KEYS:
            continue
        hint = did_you_mean(key, known)
        if hint:
            problems.append(Problem(file, str(key), "unknown field" + hint))
    return problems


def validate_lecture(data: dict, file: str) -> tuple[Lecture | None, list[Problem]]:
    """Return the validated lecture (None when invalid) and every problem found."""
    problems = unknown_key_problems(data, file)
    try:
        lecture = Lecture.model_validate(data)
    except ValidationError as error:
        problems += [
            Problem(file, field_path(e["loc"]) or "front matter", problem_message(e))
            for e in error.errors()
        ]
        return None, problems
    return (lecture if not problems else None), problems
