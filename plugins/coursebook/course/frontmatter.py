"""Split a Markdown file into its YAML front matter and body, reporting malformed YAML.

MkDocs' own reader silently treats broken YAML as text; course pages must not.
"""

from __future__ import annotations

import re

import yaml

from .problems import Problem

# libyaml's loader when PyYAML was built with it: several times faster on a course of lectures.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Values the front matter may hold once its aliases (`*name`) are expanded. YAML aliases share
# one value, but what reads the front matter (validation, hashing, JSON) expands every use: a
# 400-byte "billion laughs" took minutes and gigabytes. A lecture's front matter holds a few
# hundred values; this is far above any real one and still cheap to walk.
MAX_VALUES = 100_000


class SafeLoader(_BaseLoader):
    """The safe loader, with dates that do not exist (2026-02-30) read as text for the
    validation to name, instead of PyYAML's bare `ValueError` naming no file."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeLoader.construct_yaml_timestamp)
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def read_front_matter(text: str, file: str) -> tuple[dict, list[Problem]]:
    """Return the front matter mapping of `text` (empty when there is none) and problems."""
    match = FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---"):
            return {}, [Problem(file, "front matter", "opening '---' has no closing '---'")]
        return {}, []
    try:
        loader = SafeLoader(match.group(1) or "")  # a safe loader
        try:
            node = loader.get_single_node()
            if node is None:
                return {}, []
            expansion = _expansion_problem(node)
            if expansion:
                return {}, [Problem(file, "front matter", expansion)]
            data = loader.construct_document(node)
        finally:
            loader.dispose()
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


def _expansion_problem(root: yaml.Node) -> str | None:
    """Why the document cannot be read once its aliases are expanded: an alias inside
    itself (endless), or more than MAX_VALUES values. Each node is counted once, with the
    size of its expansion remembered, so the walk is linear in the text however much the
    aliases multiply it; and it is iterative, so deep nesting does not exhaust the stack."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done:
            open_nodes.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[id(node)] > MAX_VALUES:
                mark = node.start_mark
                return (
                    f"the YAML expands to more than {MAX_VALUES:,} values through its aliases "
                    f"(the value at line {mark.line + 2}, column {mark.column + 1}); "
                    "write the values out instead of repeating an alias of aliases"
                )
            continue
        if id(node) in open_nodes:
            mark = node.start_mark
            return (
                f"recursive alias: the value at line {mark.line + 2}, column {mark.column + 1} "
                "contains itself"
            )
        open_nodes.add(id(node))
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                mark = child.start_mark
                return (
                    f"recursive alias: the value at line {mark.line + 2}, "
                    f"column {mark.column + 1} contains itself"
                )
            if id(child) not in sizes:
                stack.append((child, False))
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
