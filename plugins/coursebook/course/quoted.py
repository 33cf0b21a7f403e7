"""Outputs of the student notebook that quote a withheld solution's lines, redacted.

A warning raised inside a solution function prints the solution's line in the stderr of the
cell that called it (`x.py:4: RuntimeWarning: ...` then `  return np.log(w) / n`), and a
traceback through a solution function quotes its lines. Those cells are not solution cells, so
they keep their outputs; where a line quotes the solution, the quote (to the end of its line)
is replaced by `[solution withheld]`, visibly, and the rest of the output stays.

Why redact rather than stop the build naming the cell: such outputs are usually what the
notebook is teaching (a numerical warning, an exception the exercise is meant to raise, on a
cell with `allow_errors`), and the quoted lines are recognisable exactly, since the build has
the solution's text: the student keeps the warning and the exception, the solution's lines
are gone, and the mark says something was taken out. A line is recognised when it holds a
withheld line (leading and trailing spaces aside, ANSI colours removed; comments too, they may
say how it is done) of at least `MIN_QUOTED` characters: shorter ones (`else:`, `pass`, `)`)
give nothing away and would redact unrelated lines."""

from __future__ import annotations

import re
from typing import Any

from .withholding import removed_runs

Notebook = dict[str, Any]

MARK = "[solution withheld]"
MIN_QUOTED = 8
# A shorter line (`q=1/x` is the answer too) is recognised only as a whole line quoted after a
# traceback's gutter or indentation, and not when it is one of these, which say nothing.
MIN_SHORT = 3
TRIVIAL = {"pass", "else:", "try:", "break", "return", "finally:", "...", "None", "raise"}
GUTTER = re.compile(r"^(?:[ \t]*-*>[ \t]*\d+|[ \t]*\d+|[ \t]+)(?=[ \t]|$)|^[ \t]+")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def withheld_lines(before: Notebook, after: Notebook) -> set[str]:
    """The significant lines of code the student notebook `after` lacks, stripped."""
    lines: set[str] = set()
    cells_after = after.get("cells", [])
    for index, cell in enumerate(before.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        kept = _source(cells_after[index]) if index < len(cells_after) else ""
        for _line, text in removed_runs(_source(cell), kept):
            for line in text.splitlines():
                line = line.strip()
                # Comments too: a solution's comment may say how it is done.
                if len(line) >= MIN_QUOTED:
                    lines.add(line)
    return lines


def _short_quote(plain: str, quoted: set[str]) -> int | None:
    """Where a quote of a short withheld line starts, if `plain` is one: the whole line after a
    traceback's gutter (IPython's `----> 3`, `      3`) or Python's indentation is that line.
    Matched whole, so `q=1/x` is taken out of a traceback but never out of `freq=1/x`."""
    gutter = GUTTER.match(plain)
    if gutter is None:
        return None
    after = plain[gutter.end() :]
    if after.strip() in quoted and len(after.strip()) < MIN_QUOTED:
        return gutter.end() + len(after) - len(after.lstrip())
    return None


def _redact_text(text: str, quoted: set[str]) -> tuple[str, int]:
    out = []
    count = 0
    for line in text.splitlines(keepends=True):
        plain = ANSI.sub("", line)
        found = [plain.find(q) for q in quoted if len(q) >= MIN_QUOTED and q in plain]
        short = _short_quote(plain, quoted) if not found else None
        if short is not None:
            found = [short]
        if found:
            # What comes before the quote stays (a traceback's `----> 3`, the indentation).
            ending = "\n" if line.endswith("\n") else ""
            out.append(f"{plain[: min(found)]}{MARK}{ending}")
            count += 1
        else:
            out.append(line)
    return "".join(out), count


def _redact_value(value: Any, quoted: set[str]) -> tuple[Any, int]:
    """A text field of an output (a string, or nbformat's list of lines)."""
    if isinstance(value, list):
        text, count = _redact_text("".join(value), quoted)
        return text.splitlines(keepends=True), count
    if isinstance(value, str):
        return _redact_text(value, quoted)
    return value, 0


def quoted_lines(texts) -> set[str]:
    """The lines a quote of these withheld texts is recognised by (see the module's doc)."""
    lines: set[str] = set()
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            # Comments too: a solution's comment may say how it is done.
            if len(line) >= MIN_QUOTED or (len(line) >= MIN_SHORT and line not in TRIVIAL):
                lines.add(line)
    return lines


def _redacted_output(output: dict, quoted: set[str]) -> tuple[dict, int]:
    """A copy of one output with its quoting lines redacted, and how many there were. A copy:
    the student notebook shares its outputs with the notebook it is made from."""
    output = dict(output)
    count = 0
    kind = output.get("output_type")
    if kind == "stream":
        output["text"], count = _redact_value(output.get("text", ""), quoted)
    elif kind == "error":
        # A traceback is a list of lines, each possibly several lines, with ANSI colours.
        lines = []
        for entry in output.get("traceback") or []:
            text, found = _redact_text(entry, quoted)
            lines.append(text)
            count += found
        output["traceback"] = lines
        output["evalue"], found = _redact_value(output.get("evalue", ""), quoted)
        count += found
    elif kind in ("execute_result", "display_data"):
        data = dict(output.get("data") or {})
        for mime in [m for m in data if m.startswith("text/")]:
            data[mime], found = _redact_value(data[mime], quoted)
            count += found
        output["data"] = data
    return output, count


def redact_quoted(nb: Notebook, quoted: set[str]) -> list[int]:
    """Redact every output line of `nb` that quotes one of the `quoted` lines, replacing each
    redacted cell's outputs (never changing an output in place); return the numbers (from 1)
    of the cells whose outputs were redacted."""
    if not quoted:
        return []
    redacted = []
    for index, cell in enumerate(nb.get("cells", []), start=1):
        outputs = cell.get("outputs")
        if not outputs:
            continue
        made = [_redacted_output(output, quoted) for output in outputs]
        if any(count for _, count in made):
            cell["outputs"] = [output for output, _ in made]
            redacted.append(index)
    return redacted


def redact_quoted_solutions(before: Notebook, after: Notebook) -> list[int]:
    """Redact, in the student notebook `after`, every output line that quotes a line of a
    solution `before` holds and `after` lacks (cell by cell, for notebooks whose student
    version keeps every cell in its place)."""
    return redact_quoted(after, withheld_lines(before, after))
