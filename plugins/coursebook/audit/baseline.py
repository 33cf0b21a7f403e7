"""A course's baseline (`accessibility-baseline.json` beside mkdocs.yml): the findings it
knows of and tolerates for now, by rule, cause and page. A finding not in it fails the audit;
one in it that the audit no longer sees is reported as fixed, to be removed from it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..atomic_write import write_atomically
from .findings import Findings

BASELINE_FILE = "accessibility-baseline.json"
Place = tuple[str, str, str]  # (rule, cause, page)

ABOUT = (
    "Accessibility findings this course knows of and tolerates for now (python -m coursebook "
    "audit); a new one fails the audit. Fix them and remove them: `python -m coursebook audit "
    "--update-baseline` rewrites this file with what the audit sees."
)


class BaselineError(Exception):
    """The baseline file cannot be read; the message names the file and the field."""


def read_baseline(path: Path) -> dict[Place, int | None]:
    """Each known (rule, cause, page), with how many failing elements it tolerates there
    (None, any number, in a baseline written before it counted them)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read the baseline ({error})") from error
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: line {error.lineno}: not JSON ({error.msg})") from error
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: findings: expected a list of findings")
    places: dict[Place, int | None] = {}
    for number, entry in enumerate(entries):
        where = f"{path}: findings[{number}]"
        if not isinstance(entry, dict):
            raise BaselineError(f"{where}: expected an object with rule, cause and pages")
        for name in ("rule", "cause"):
            if not isinstance(entry.get(name), str) or not entry[name]:
                raise BaselineError(f"{where}.{name}: expected text, got {entry.get(name)!r}")
        pages = entry.get("pages")
        if not isinstance(pages, list) or not all(isinstance(p, str) for p in pages):
            raise BaselineError(f'{where}.pages: expected a list of pages like "/lectures/"')
        elements = entry.get("elements", {})
        if not isinstance(elements, dict) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in elements.values()
        ):
            raise BaselineError(
                f'{where}.elements: expected failing elements by page, like {{"/lectures/": 2}}'
            )
        for page in pages:
            places[entry["rule"], entry["cause"], page] = elements.get(page)
    return places


def write_baseline(path: Path, findings: Findings) -> None:
    entries = [
        {
            "rule": f.rule,
            "cause": f.cause,
            "pages": sorted(f.seen),
            "elements": {page: f.elements.get(page, 1) for page in sorted(f.seen)},
        }
        for f in findings.sorted()
    ]
    data = {"about": ABOUT, "findings": entries}
    write_atomically(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())


@dataclass(frozen=True)
class Comparison:
    new: list[Place]  # seen, not in the baseline (or more often than it): the audit fails
    known: list[Place]  # seen and in the baseline: tolerated
    fixed: list[Place]  # in the baseline, no longer seen: remove them from it

    @property
    def passed(self) -> bool:
        return not self.new


def compare(findings: Findings, baseline: dict[Place, int | None]) -> Comparison:
    seen = findings.places()

    def tolerated(place: Place) -> bool:
        if place not in baseline:
            return False
        limit = baseline[place]
        return limit is None or seen[place] <= limit

    return Comparison(
        new=sorted(p for p in seen if not tolerated(p)),
        known=sorted(p for p in seen if tolerated(p)),
        fixed=sorted(p for p in baseline if p not in seen),
    )
