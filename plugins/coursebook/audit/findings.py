"""axe's violations grouped by rule and cause: one finding per pattern of HTML that fails a
rule (eleven identical buttons are one cause), with every page, slide, width and scheme where
it was seen. Plain data; nothing here needs a browser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_OPENING_TAG = re.compile(r"<([a-zA-Z][\w:-]*)([^>]*)>")
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")
_ATTRIBUTE_VALUE = re.compile(r"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# Attributes whose value says what kind of element this is; every other attribute (an id, a
# link, a source, a label) differs between identical elements and counts by its name only.
_KEPT_VALUES = ("class", "role", "type")
_NUMBER = re.compile(r"\d+")


def cause_of(html: str, colours: list | None = None) -> str:
    """The pattern of the failing element: its opening tag with only the values of `class`,
    `role` and `type` (numbers in them as N) and the names of its other attributes; for a
    contrast failure, the colour pair and its ratio too, which is what a fix changes."""
    tag = _OPENING_TAG.search(html or "")
    if tag is None:
        pattern = _NUMBER.sub("N", " ".join((html or "").split()))[:80]
    else:
        values = {}
        for match in _ATTRIBUTE_VALUE.finditer(tag[2]):
            values[match[1].lower()] = next(v for v in match.groups()[1:] if v is not None)
        parts = [tag[1].lower()]
        for match in _ATTRIBUTE.finditer(tag[2]):
            name = match[1].lower()
            if name in _KEPT_VALUES and name in values:
                kept = " ".join(sorted(_NUMBER.sub("N", values[name]).split()))
                parts.append(f'{name}="{kept}"')
            elif name not in (p.split("=")[0] for p in parts[1:]):
                parts.append(name)
        pattern = "<" + " ".join(parts) + ">"
    if colours:
        foreground, background, ratio = colours
        pattern += f" {foreground} on {background} ({ratio}:1)"
    return pattern


@dataclass(frozen=True)
class View:
    """How a page is looked at: a viewport width and a colour scheme."""

    width: int
    scheme: str  # "light" or "dark"

    def __str__(self) -> str:
        # A PDF (audit/pdfs.py) is checked once, by its structure: View(0, "pdf").
        return self.scheme if not self.width else f"{self.width} {self.scheme}"


@dataclass
class Finding:
    rule: str
    cause: str
    impact: str
    help: str
    help_url: str
    example_html: str  # the first failing element seen, as axe quotes it
    example_target: str  # its CSS selector
    nodes: int = 0  # failing elements, over every page and view
    seen: dict[str, set[str]] = field(default_factory=dict)  # page -> views, as "1280 dark"
    # page -> the most failing elements one look at it found: a baseline tolerates that many,
    # so a second element of the same cause on a page is new.
    elements: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.rule, self.cause)

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "cause": self.cause,
            "impact": self.impact,
            "help": self.help,
            "help_url": self.help_url,
            "example": {"html": self.example_html, "target": self.example_target},
            "nodes": self.nodes,
            "pages": {page: sorted(views, key=view_order) for page, views in self.seen.items()},
        }


def view_order(view: str) -> tuple[int, str]:
    width, _, scheme = view.rpartition(" ")
    return (-int(width or 0), scheme != "light")


def slide_anchor(slide: list[int] | None) -> str:
    """`#/3` (or `#/3/1` in a vertical stack), as reveal.js's own links name a slide."""
    if not slide:
        return ""
    h, v = slide
    return f"#/{h}" + (f"/{v}" if v else "")


_IMPACTS = ("critical", "serious", "moderate", "minor")


class Findings:
    """Every finding of one audit, by (rule, cause)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], Finding] = {}

    def add(self, violations: list[dict], page: str, view: View) -> None:
        """One axe run's violations (axe.py RUN_AXE) on `page` seen at `view`."""
        counted: dict[tuple[tuple[str, str], str], int] = {}
        for violation in violations:
            for node in violation["nodes"]:
                cause = cause_of(node["html"], node.get("colours"))
                where = page + slide_anchor(node.get("slide"))
                key = (violation["rule"], cause)
                finding = self.by_key.get(key)
                if finding is None:
                    finding = self.by_key[key] = Finding(
                        rule=violation["rule"],
                        cause=cause,
                        impact=violation.get("impact") or "minor",
                        help=violation.get("help", ""),
                        help_url=violation.get("helpUrl", ""),
                        example_html=node["html"],
                        example_target=node["target"],
                    )
                finding.nodes += 1
                finding.seen.setdefault(where, set()).add(str(view))
                counted[key, where] = counted.get((key, where), 0) + 1
        for (key, where), count in counted.items():
            elements = self.by_key[key].elements
            elements[where] = max(elements.get(where, 0), count)

    def sorted(self) -> list[Finding]:
        """Worst first, then by rule and cause."""
        return sorted(
            self.by_key.values(),
            key=lambda f: (_IMPACTS.index(f.impact) if f.impact in _IMPACTS else 9, f.key),
        )

    def places(self) -> dict[tuple[str, str, str], int]:
        """(rule, cause, page) of every finding, with its failing elements there: what a
        baseline lists."""
        return {
            (f.rule, f.cause, page): f.elements.get(page, 1)
            for f in self.by_key.values()
            for page in f.seen
        }
