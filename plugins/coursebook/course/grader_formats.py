"""What each cell of a notebook is to the grading tools it may be written for: nbgrader,
otter-grader (its assignment format of raw boundary cells, its test cells), Neuromatch's
`# to_remove` cells. Imports nothing from MkDocs; the stripping is in solutions.py.

Each rule is the tool's own:
- nbgrader: `metadata.nbgrader.solution` marks a solution cell: without BEGIN/END SOLUTION
  lines the whole cell is the solution (nbgrader's ClearSolutions replaces it by its stub);
  `### BEGIN HIDDEN TESTS` ... `### END HIDDEN TESTS` (matched as substrings, as nbgrader does)
  is removed by ClearHiddenTests. Read-only (`locked`) and autograder-test (`grade`) cells are
  the students' own: published as they are, less their hidden tests.
- otter-grader assign format (v1): raw cells (or Markdown cells that are one ```otter fenced
  block) whose first line is `# BEGIN QUESTION`,
  `# BEGIN PROMPT`, `# BEGIN SOLUTION`, `# BEGIN TESTS` and their `# END ...` (any case, one
  or more spaces) bound ordinary cells. In a solution block a code cell keeps what its markers
  do not mark and a Markdown cell is the answer; in a tests block each code cell is a test,
  hidden when its first line is `# HIDDEN` or its test config says `hidden: true`. Its older
  v0 format: test cells begin `## Test ##` / `## Hidden Test ##`; in a notebook that declares
  a question (```` ``` BEGIN QUESTION ````), a Markdown answer has a line that starts with a
  bold **SOLUTION**.
- Neuromatch Academy: a cell whose first line is `# to_remove solution` (or `explanation`, or
  any other `# to_remove`) is not in the student notebook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"
HIDDEN_END = "END HIDDEN TESTS"
# otter's `is_block_boundary_cell`: `#\s+begin\s+solution\s*` at the start of a raw cell.
OTTER_BOUNDARY = re.compile(
    r"#\s+(?P<edge>begin|end)\s+(?P<kind>question|prompt|solution|tests)\b", re.I
)
OTTER_HIDDEN = re.compile(r"\s*#\s*hidden\b", re.I)
OTTER_TEST_CONFIG = re.compile(
    r'^\s*("""|\'\'\')\s*#\s*BEGIN TEST CONFIG\s*\n(?P<config>.*?)\n\s*\1\s*#\s*END TEST CONFIG',
    re.S | re.I,
)
# otter's v0 format: test cells begin `## Test ##` or `## Hidden Test ##`; a Markdown answer
# has a line starting with a bold SOLUTION (otter's MD_SOLUTION_REGEX).
OTTER_V0_TEST = re.compile(r"\s*##\s*(?P<hidden>hidden\s*)?test\s*##", re.I)
OTTER_V0_ANSWER = re.compile(r"^(<strong>|\*{2})solution:?(</strong>|\*{2})", re.I | re.M)
# otter's v0 format: test cells begin `## Test ##` or `## Hidden Test ##`; a Markdown answer
# has a line starting with a bold SOLUTION (otter's MD_SOLUTION_REGEX).
OTTER_V0_TEST = re.compile(r"\s*##\s*(?P<hidden>hidden\s*)?test\s*##", re.I)
OTTER_V0_ANSWER = re.compile(r"^(<strong>|\*{2})solution:?(</strong>|\*{2})", re.I | re.M)
# Neuromatch's marker: `# to_remove solution`, `# to_remove explanation`, `# to_remove ...`.
TO_REMOVE = re.compile(r"\s*#\s*to_remove\b(?P<what>.*)", re.I)


class FormatError(ValueError):
    """A badly marked notebook: the message names the file and the cell."""


@dataclass(frozen=True)
class CellRole:
    """What one cell is, for the stripping."""

    # The whole cell is a solution (nbgrader solution cell without markers, a `solution` tag,
    # an otter Markdown answer, a Neuromatch `# to_remove` cell).
    solution: bool = False
    # The whole cell is a hidden test (otter), withheld even after the release.
    hidden_test: bool = False
    # An otter boundary cell (`# BEGIN SOLUTION`, ...): kept, and its BEGIN/END are not the
    # in-cell markers of a solution.
    boundary: bool = False
    # Neuromatch's marker: the student view puts a note where the cell was.
    to_remove: bool = False


PLAIN = CellRole()


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _first_line(cell: dict) -> str:
    source = cell_source(cell).lstrip("\n")
    return source.split("\n", 1)[0]


def nbgrader_solution(cell: dict) -> bool:
    """Is the cell an nbgrader solution cell (`metadata.nbgrader.solution`)?"""
    meta = cell.get("metadata", {}).get("nbgrader")
    return isinstance(meta, dict) and bool(meta.get("solution"))


def to_remove(cell: dict) -> bool:
    """Is the cell a Neuromatch `# to_remove` cell (code, or Markdown written the same way)?"""
    return cell.get("cell_type") in ("code", "markdown") and bool(
        TO_REMOVE.match(_first_line(cell))
    )


def _otter_cell_text(cell: dict) -> str | None:
    """The text of an otter boundary or config cell: a raw cell, or (otter's other spelling,
    `extract_fenced_otter_cell`) a Markdown cell that is one ```otter fenced block."""
    if cell.get("cell_type") == "raw":
        return cell_source(cell)
    if cell.get("cell_type") != "markdown":
        return None
    lines = cell_source(cell).strip().split("\n")
    if (
        len(lines) >= 2
        and lines[0].strip() == "```otter"
        and lines[-1].strip() == "```"
        and all(line.strip() != "```" for line in lines[1:-1])
    ):
        return "\n".join(lines[1:-1])
    return None


def otter_boundary(cell: dict) -> tuple[str, str] | None:
    """("begin" | "end", "question" | "prompt" | "solution" | "tests") for an otter boundary
    cell, else None."""
    text = _otter_cell_text(cell)
    if text is None:
        return None
    match = OTTER_BOUNDARY.match(text.lstrip("\n").split("\n", 1)[0])
    return (match["edge"].lower(), match["kind"].lower()) if match else None


def otter_test_is_hidden(source: str) -> bool:
    """An otter test cell is hidden when its first line is `# HIDDEN` (the v1 format's
    shorthand) or its test config block says `hidden: true`."""
    if OTTER_HIDDEN.match(source.lstrip("\n").split("\n", 1)[0]):
        return True
    config = OTTER_TEST_CONFIG.match(source)
    if config is None:
        return False
    try:
        data = yaml.safe_load(config["config"])
    except yaml.YAMLError:
        return True  # a config otter could not read either: not published
    return isinstance(data, dict) and bool(data.get("hidden"))


def cell_roles(cells: list[dict], name: str, tagged: str = "solution") -> list[CellRole]:
    """Each cell's role; a badly nested otter block raises FormatError naming the cell."""
    roles: list[CellRole] = []
    # A bold **SOLUTION** line makes an answer only in an otter v0 notebook (one that declares
    # a question): elsewhere it is prose.
    otter_v0 = any(
        cell.get("cell_type") == "markdown" and "BEGIN QUESTION" in cell_source(cell)
        for cell in cells
    )
    open_blocks: list[tuple[str, int]] = []  # (kind, cell number) of each open otter block
    for index, cell in enumerate(cells, start=1):
        kind = cell.get("cell_type")
        boundary = otter_boundary(cell)
        if boundary is not None:
            _otter_step(open_blocks, boundary, index, name)
            roles.append(CellRole(boundary=True))
            continue
        block = open_blocks[-1][0] if open_blocks else None
        tags = cell.get("metadata", {}).get("tags") or []
        if to_remove(cell):
            roles.append(CellRole(solution=True, to_remove=True))
        # In any case, as the admonition's class is read: a `Solution` tag is one too.
        elif isinstance(tags, list) and tagged in {str(tag).lower() for tag in tags}:
            roles.append(CellRole(solution=True))
        elif block == "tests":
            if kind != "code":
                raise FormatError(
                    f"{name}: cell {index}: a {kind} cell in the otter tests block begun at "
                    f"cell {open_blocks[-1][1]} (a tests block holds code cells only)"
                )
            roles.append(CellRole(hidden_test=otter_test_is_hidden(cell_source(cell))))
        elif block == "solution" and kind == "markdown":
            roles.append(CellRole(solution=True))  # a written answer
        elif kind == "code" and OTTER_V0_TEST.match(_first_line(cell)):
            hidden = OTTER_V0_TEST.match(_first_line(cell))["hidden"] is not None
            roles.append(CellRole(hidden_test=hidden))
        elif (kind == "markdown" and otter_v0 and OTTER_V0_ANSWER.search(cell_source(cell))) or (
            nbgrader_solution(cell) and not _has_markers(cell_source(cell))
        ):
            roles.append(CellRole(solution=True))
        else:
            roles.append(PLAIN)
    if open_blocks:
        kind, begun = open_blocks[-1]
        raise FormatError(
            f"{name}: cell {begun}: # BEGIN {kind.upper()} is never closed "
            f"(no raw cell `# END {kind.upper()}` after it)"
        )
    return roles


def _has_markers(source: str) -> bool:
    return "BEGIN SOLUTION" in source or "END SOLUTION" in source


def _otter_step(
    open_blocks: list[tuple[str, int]], boundary: tuple[str, str], index: int, name: str
) -> None:
    """Open or close an otter block, as otter-assign nests them: a question holds prompt,
    solution and tests blocks, one level deep."""
    edge, kind = boundary
    where = f"{name}: cell {index}"
    if edge == "end":
        if not open_blocks or open_blocks[-1][0] != kind:
            inner = (
                f" (the {open_blocks[-1][0]} block begun at cell {open_blocks[-1][1]} is open)"
                if open_blocks
                else ""
            )
            raise FormatError(
                f"{where}: # END {kind.upper()} without # BEGIN {kind.upper()}{inner}"
            )
        open_blocks.pop()
        return
    if kind == "question" and open_blocks:
        raise FormatError(
            f"{where}: # BEGIN QUESTION inside the question begun at cell {open_blocks[0][1]}"
        )
    if kind != "question" and not open_blocks:
        raise FormatError(
            f"{where}: # BEGIN {kind.upper()} outside a question (no # BEGIN QUESTION before it)"
        )
    if len(open_blocks) > 1:
        raise FormatError(
            f"{where}: # BEGIN {kind.upper()} inside the {open_blocks[-1][0]} block "
            f"begun at cell {open_blocks[-1][1]}"
        )
    open_blocks.append((kind, index))


def strip_hidden_tests(source: str, where: str) -> tuple[str, list[tuple[int, str]]]:
    """`source` without its nbgrader hidden-test regions (delimiters included), and each
    region as (its BEGIN line, its text). Bad regions raise FormatError."""
    if HIDDEN_BEGIN not in source and HIDDEN_END not in source:
        return source, []
    out: list[str] = []
    regions: list[tuple[int, str]] = []
    begun: int | None = None
    held: list[str] = []
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        if HIDDEN_BEGIN in line:
            if begun is not None:
                raise FormatError(
                    f"{where}, line {number}: BEGIN HIDDEN TESTS inside the hidden tests begun "
                    f"on line {begun} (they do not nest)"
                )
            begun, held = number, [line]
        elif HIDDEN_END in line:
            if begun is None:
                raise FormatError(
                    f"{where}, line {number}: END HIDDEN TESTS without BEGIN HIDDEN TESTS"
                )
            regions.append((begun, "".join([*held, line])))
            begun = None
        elif begun is not None:
            held.append(line)
        else:
            out.append(line)
    if begun is not None:
        raise FormatError(f"{where}, line {begun}: BEGIN HIDDEN TESTS is never closed")
    return "".join(out), regions
