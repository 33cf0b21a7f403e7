"""What an audit leaves: a report folder (report.json, report.md) for staff or a CI artifact,
and the short record a course commits beside mkdocs.yml (`accessibility-report.json`), from
which the site's accessibility statement says when the last audit ran and what it found."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from ..atomic_write import write_atomically
from .axe import STANDARD, WCAG_TAGS
from .baseline import Comparison
from .findings import view_order
from .run import SCHEMES, WIDTHS, AuditRun

RECORD_FILE = "accessibility-report.json"
RESULTS = ("passed", "passed with known findings", "failed")


@dataclass(frozen=True)
class AuditRecord:
    """The last audit, as the statement page shows it."""

    date: dt.date
    result: str  # one of RESULTS
    axe_core: str
    pages: int
    decks: int
    slides: int
    findings: int  # causes seen (grouped by rule and cause)
    new: int  # (rule, cause, page) places not in the baseline
    known: int  # places the baseline tolerates
    widths: tuple[int, ...]
    schemes: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "result": self.result,
            "standard": STANDARD,
            "axe_core": self.axe_core,
            "tags": list(WCAG_TAGS),
            "widths": list(self.widths),
            "schemes": list(self.schemes),
            "pages": self.pages,
            "decks": self.decks,
            "slides": self.slides,
            "findings": self.findings,
            "new": self.new,
            "known": self.known,
        }


class RecordError(Exception):
    """The record file cannot be read; the message names the file and the field."""


def make_record(run: AuditRun, comparison: Comparison, today: dt.date) -> AuditRecord:
    if comparison.new:
        result = "failed"
    elif comparison.known:
        result = "passed with known findings"
    else:
        result = "passed"
    return AuditRecord(
        date=today,
        result=result,
        axe_core=run.axe_version,
        pages=run.pages,
        decks=run.decks,
        slides=run.slides,
        findings=len(run.findings.by_key),
        new=len(comparison.new),
        known=len(comparison.known),
        widths=tuple(WIDTHS),
        schemes=SCHEMES,
    )


def write_record(path: Path, record: AuditRecord) -> None:
    # The day, not the time: auditing again the same day with the same result changes nothing
    # to commit.
    text = json.dumps(record.to_json(), indent=2) + "\n"
    write_atomically(path, text.encode())


def read_record(path: Path) -> AuditRecord | None:
    """The committed record, or None when the course has none."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RecordError(f"{path}: not an audit record ({error})") from error
    if not isinstance(data, dict):
        raise RecordError(f"{path}: expected an object, as `python -m coursebook audit` writes")

    def field(name: str, kind: type):
        value = data.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise RecordError(f"{path}: {name}: expected {kind.__name__}, got {value!r}")
        return value

    try:
        date = dt.date.fromisoformat(field("date", str))
    except ValueError as error:
        raise RecordError(f"{path}: date: expected a date like 2027-01-20 ({error})") from error
    # The audit writes the UTC day; a day later than tomorrow's is no audit that has happened,
    # and the statement must not show it as one.
    if date > dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1):
        raise RecordError(f"{path}: date: {date} is in the future: not the date of an audit")
    result = field("result", str)
    if result not in RESULTS:
        raise RecordError(f"{path}: result: expected one of {', '.join(RESULTS)}, got {result!r}")
    return AuditRecord(
        date=date,
        result=result,
        axe_core=field("axe_core", str),
        pages=field("pages", int),
        decks=field("decks", int),
        slides=field("slides", int),
        findings=field("findings", int),
        new=field("new", int),
        known=field("known", int),
        widths=tuple(field("widths", list)),
        schemes=tuple(field("schemes", list)),
    )


def report_data(run: AuditRun, comparison: Comparison, record: AuditRecord) -> dict:
    known = set(comparison.known)
    findings = []
    for finding in run.findings.sorted():
        entry = finding.to_json()
        entry["in_baseline"] = sorted(p for p in finding.seen if (*finding.key, p) in known)
        findings.append(entry)
    return {
        **record.to_json(),
        "axe_runs": run.axe_runs,
        "speaker_views": run.speaker_views,
        "seconds": round(run.seconds, 1),
        "notes": run.notes,
        "findings": findings,
        "new": [list(place) for place in comparison.new],
        "fixed": [list(place) for place in comparison.fixed],
    }


def summary(run: AuditRun, comparison: Comparison, record: AuditRecord) -> str:
    """The report as Markdown: printed by the command, and report.md."""
    new = {(rule, cause) for rule, cause, _ in comparison.new}
    known = set(comparison.known)
    lines = [
        f"# Accessibility audit: {record.result}",
        "",
        f"axe-core {record.axe_core}, {STANDARD} ({', '.join(WCAG_TAGS)}), "
        f"{record.date.isoformat()}: {run.pages} page(s), {run.slides} slide(s) in "
        f"{run.decks} deck(s), {run.speaker_views} speaker view(s); widths "
        f"{', '.join(map(str, record.widths))} px, {' and '.join(record.schemes)} schemes; "
        f"{run.axe_runs} axe runs in {run.seconds:.0f} s.",
        "",
    ]
    lines += [f"Note: {note}\n" for note in run.notes]
    if not run.findings.by_key:
        lines.append("No findings.")
    for finding in run.findings.sorted():
        status = "NEW" if finding.key in new else "known (baseline)"
        lines += [
            "",
            f"## {finding.rule} ({finding.impact}, {status}): {finding.help}",
            "",
            f"- cause: `{finding.cause}` ({finding.nodes} element(s) in all)",
            f"- e.g. `{finding.example_target}`: `{_one_line(finding.example_html)}`",
            f"- how to fix: {finding.help_url}",
        ]
        for page in sorted(finding.seen):
            views = ", ".join(sorted(finding.seen[page], key=view_order))
            mark = "" if (*finding.key, page) in known else " (new)"
            lines.append(f"- {page}: {views}{mark}")
    if comparison.fixed:
        lines += ["", "## Fixed: remove from the baseline", ""]
        lines += [f"- {rule}: `{cause}` on {page}" for rule, cause, page in comparison.fixed]
        lines += ["", "(`python -m coursebook audit --update-baseline` rewrites it.)"]
    return "\n".join(lines) + "\n"


def _one_line(html: str, limit: int = 160) -> str:
    text = " ".join(html.split()).replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_reports(folder: Path, data: dict, markdown: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / "report.json", (json.dumps(data, indent=2) + "\n").encode())
    write_atomically(folder / "report.md", markdown.encode())
