"""Solutions in notebooks and lecture pages: find them, check them, strip them for the
student version, and decide when they are released. Imports nothing from MkDocs.

The markers are the grading tools' own, so a notebook written for nbgrader or otter-grader
works unchanged: a `BEGIN SOLUTION` ... `END SOLUTION` block (nbgrader matches the substring,
so `### BEGIN SOLUTION` and `# BEGIN SOLUTION` both count), otter-grader's one-line
`x = 42  # SOLUTION`, and cells tagged `solution`. In Markdown pages, a `!!! solution` or
`??? solution` admonition is the marked block."""

from __future__ import annotations

import copy
import datetime as dt
import posixpath
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from .dates import as_date, impossible_date
from .frontmatter import read_front_matter

Notebook = dict[str, Any]

BEGIN = "BEGIN SOLUTION"
END = "END SOLUTION"
SOLUTION_TAG = "solution"
# otter-grader's one-line solution: any code ending in a `# SOLUTION` comment. The code may
# hold a `#` itself (in a string), so the comment is found from the end of the line.
ONE_LINE = re.compile(r"^(?P<code>\s*[^#\s].*?)\s*#\s*SOLUTION\s*$")
# `x = 42`, `w[0] += step`: the target and operator are kept, the value becomes `...`.
ASSIGNMENT = re.compile(
    r"^(?P<keep>\s*[A-Za-z_][\w.\[\]'\", ]*?\s*(?://|\*\*|>>|<<|[-+*/%@&|^])?=)(?!=)"
)
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
# `!!! solution`, `??? solution`, `???+ solution`, with an optional title in quotes.
# A `solution` admonition (`!!!`) or collapsible block (`???`, `???+`): `solution` is one of its
# classes, in any case, as Python-Markdown lowercases them (`!!! Solution`, `!!! danger solution`).
# `!!!+ solution` is no admonition to Python-Markdown (its body would show as text): stripped too,
# so that a typo never publishes a solution.
_HEADER = r"(?:!!!|\?\?\?)\+?[ \t]*(?:[\w-]+[ \t]+)*solution(?![\w-])"
ADMONITION = re.compile(rf"^(?P<indent>[ \t]*){_HEADER}.*$", re.IGNORECASE)
# Anywhere in a text: where this finds nothing, no line is an ADMONITION (most pages).
ANY_ADMONITION = re.compile(_HEADER, re.IGNORECASE)
MODES = ("show", "hide", "auto")


class SolutionError(ValueError):
    """A solution marked wrongly; the message names the file, the cell or line, the problem."""


def release_note(released: dt.date | None) -> str:
    """What stands where a solution was, in the student version."""
    if released is None:
        return "Solution released later."
    return f"Solution released on {released.isoformat()}."


# --- when ---------------------------------------------------------------------------------


def today_in(timezone: str | None, environ: dict[str, str]) -> dt.date:
    """Today in the course's time zone. COURSEBOOK_TODAY=YYYY-MM-DD sets it, for tests and for
    previewing a release ("what does the site look like on the 27th?")."""
    forced = environ.get("COURSEBOOK_TODAY", "").strip()
    if forced:
        try:
            return dt.date.fromisoformat(forced)
        except ValueError:
            raise SolutionError(
                f"COURSEBOOK_TODAY: expected a date like 2027-01-20, got {forced!r}"
            ) from None
    return dt.datetime.now(ZoneInfo(timezone) if timezone else None).date()


def solutions_mode(environ: dict[str, str]) -> str:
    """COURSEBOOK_SOLUTIONS: `show` (staff preview), `hide` (student view), `auto` (default:
    by release date)."""
    mode = environ.get("COURSEBOOK_SOLUTIONS", "").strip() or "auto"
    if mode not in MODES:
        raise SolutionError(f"COURSEBOOK_SOLUTIONS: expected show, hide or auto, got {mode!r}")
    return mode


def is_released(released: dt.date | None, today: dt.date, mode: str) -> bool:
    """Are the solutions in? Without a release date they never are (unless forced)."""
    if mode == "show":
        return True
    if mode == "hide":
        return False
    return released is not None and today >= released


def parse_release(value: Any, where: str) -> dt.date:
    """A release date from front matter or notebook metadata."""
    day = as_date(value)
    if day is not None:
        return day
    reason = impossible_date(value)
    if reason:  # 2026-02-30, read as text by the front matter's loader
        raise SolutionError(f"{where}: {value} is not a date ({reason})")
    raise SolutionError(f"{where}: expected a date like 2027-01-20, got {value!r}")


def notebook_release(nb: Notebook, where: str) -> dt.date | None:
    """The notebook's own `metadata.coursebook.solutions`, if it sets one."""
    value = (nb.get("metadata", {}).get("coursebook") or {}).get("solutions")
    if value is None:
        return None
    return parse_release(value, f"{where}: metadata.coursebook.solutions")


# --- notebooks ----------------------------------------------------------------------------


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags") or [])


def _strip_block_lines(
    lines: list[str], where: str, stub: tuple[str, ...] = STUB, one_line_form: bool = True
) -> tuple[list[str], bool]:
    """Replace each BEGIN/END SOLUTION block (delimiters included) by `stub` at the BEGIN
    line's indentation, and (in code) each one-line solution by `...`. Returns the new lines
    and whether anything was marked."""
    out: list[str] = []
    begin_line: int | None = None
    marked = False
    for number, line in enumerate(lines, start=1):
        newline = "\n" if line.endswith("\n") else ""
        if BEGIN in line:
            if begin_line is not None:
                raise SolutionError(
                    f"{where}, line {number}: BEGIN SOLUTION inside the solution begun on "
                    f"line {begin_line} (solutions do not nest)"
                )
            begin_line = number
            marked = True
            indent = line[: len(line) - len(line.lstrip())]
            out += [f"{indent}{text}\n" for text in stub]
            continue
        if END in line:
            if begin_line is None:
                raise SolutionError(f"{where}, line {number}: END SOLUTION without BEGIN SOLUTION")
            begin_line = None
            if not newline:
                # The block ended the cell: so does the stub, without a trailing newline.
                out[-1] = out[-1].rstrip("\n")
            continue
        if begin_line is not None:
            continue
        one_line = ONE_LINE.match(line.rstrip("\n")) if one_line_form else None
        if one_line is None:
            out.append(line)
            continue
        marked = True
        code = one_line["code"]
        assignment = ASSIGNMENT.match(code)
        if assignment is not None:
            out.append(f"{assignment['keep']} ...{newline}")
        else:
            # `print(x)  # SOLUTION`: nothing to keep but the indentation.
            out.append(f"{code[: len(code) - len(code.lstrip())]}...{newline}")
    if begin_line is not None:
        raise SolutionError(f"{where}, line {begin_line}: BEGIN SOLUTION is never closed")
    return out, marked


def strip_code(source: str, where: str) -> tuple[str, bool]:
    """The student version of one code cell's source, and whether it held a solution."""
    lines, marked = _strip_block_lines(source.splitlines(keepends=True), where)
    return "".join(lines), marked


def find_solutions(nb: Notebook, name: str) -> list[str]:
    """Where `nb` marks solutions ("cell 3", ...), after checking every marker: a badly marked
    block raises SolutionError naming `name`, the cell and the line."""
    found = []
    for index, cell in enumerate(nb.get("cells", []), start=1):
        where = f"{name}: cell {index}"
        if SOLUTION_TAG in _tags(cell):
            found.append(f"cell {index}")
            continue
        source = _source(cell)
        if cell.get("cell_type") == "code":
            if strip_code(source, where)[1]:
                found.append(f"cell {index}")
        elif BEGIN in source or END in source:
            _strip_block_lines(source.splitlines(keepends=True), where, one_line_form=False)
            found.append(f"cell {index}")
        elif strip_admonitions(source, None)[1]:
            found.append(f"cell {index}")
    return found


class ListedNotebooks(dict):
    """Notebook URI -> (lecture file, its `solutions` value as written); `unreadable` holds
    the problems of the lectures whose front matter could not be read, which may be the
    ones that would have listed a notebook."""

    def __init__(self, *args, unreadable: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unreadable = unreadable or []


def notebooks_listed_by_lectures(pages: list[tuple[str, str, str]]) -> ListedNotebooks:
    """Notebook URI -> (the first lecture file listing it, that lecture's `solutions` value as
    written), from each lecture's (file as shown, src_uri, front matter). The values are not
    checked here: the course reports bad ones; `notebook_view` parses the one it uses."""
    found = ListedNotebooks()
    for shown, _uri, text in pages:
        meta, problems = read_front_matter(text, shown)
        found.unreadable += [str(problem) for problem in problems]
        listed = meta.get("notebooks")
        for uri in listed if isinstance(listed, list) else []:
            if isinstance(uri, str):
                entry = found.setdefault(uri.strip(), (shown, meta.get("solutions")))
                # A lecture may list a text notebook by the .ipynb it is published as.
                found.setdefault(posixpath.splitext(uri.strip())[0] + ".py", entry)
    return found


def notebook_view(
    nb: Notebook,
    shown: str,
    listed_by: Callable[[], dict[str, tuple[str, Any]]],
    src_uri: str,
    today: dt.date,
    mode: str,
) -> tuple[Notebook, dt.date | None]:
    """The notebook as the site shows it `today`, and (when its solutions are not released)
    the date the student version announces. The date is the notebook's own, else that of the
    lecture listing it (`listed_by()`: `notebooks_listed_by_lectures`, asked for only when the
    notebook holds a solution). A solution with no date raises SolutionError."""
    marked = find_solutions(nb, shown)
    own = notebook_release(nb, shown)  # checked even when nothing is marked yet
    if not marked:
        return nb, None
    listed = listed_by()
    lecture_file, written = listed.get(src_uri, (None, None))
    lecture_date = (
        parse_release(written, f"{lecture_file}: solutions") if written is not None else None
    )
    released_on = own or lecture_date
    if released_on is None:
        # A lecture whose YAML is broken may be the one listing this notebook with its date:
        # its problem comes first, as the cause to fix.
        unreadable = getattr(listed, "unreadable", [])
        raise SolutionError(
            "".join(f"{problem}\n" for problem in unreadable)
            + f"{shown}: {marked[0]}: a solution, but no release date: set "
            f"`solutions: YYYY-MM-DD` in the front matter of the lecture that lists it"
            + (f" ({lecture_file})" if lecture_file else "")
            + " or metadata.coursebook.solutions in the notebook"
        )
    if is_released(released_on, today, mode):
        return nb, None
    return student_notebook(nb, shown, released_on), released_on


def student_notebook(nb: Notebook, name: str, released: dt.date | None) -> Notebook:
    """A copy of `nb` without its solutions: BEGIN/END blocks become nbgrader's stub, one-line
    solutions become `...`, `solution`-tagged code cells become empty, tagged Markdown cells a
    release note. A cell that held a solution loses its outputs (they would show it); every
    other cell keeps its own."""
    result = copy.deepcopy(nb)
    note = release_note(released)
    for index, cell in enumerate(result.get("cells", []), start=1):
        where = f"{name}: cell {index}"
        kind = cell.get("cell_type")
        if SOLUTION_TAG in _tags(cell):
            if kind == "code":
                cell["source"] = ""
                cell["outputs"] = []
                cell["execution_count"] = None
            else:
                cell["source"] = f"*{note}*"
                cell.pop("attachments", None)
            continue
        source = _source(cell)
        if kind == "code":
            stripped, marked = strip_code(source, where)
            if marked:
                cell["source"] = stripped
                cell["outputs"] = []
                cell["execution_count"] = None
        elif BEGIN in source or END in source:
            # A Markdown (or raw) cell with a block: the block becomes the note.
            lines, _ = _strip_block_lines(
                source.splitlines(keepends=True), where, stub=(f"*{note}*",), one_line_form=False
            )
            cell["source"] = "".join(lines)
        if kind == "markdown":
            # The notebook stage renders admonitions in Markdown cells as pages do.
            stripped, count = strip_admonitions(_source(cell), released)
            if count:
                cell["source"] = stripped
    return result


# --- lecture pages ------------------------------------------------------------------------


def strip_admonitions(markdown: str, released: dt.date | None) -> tuple[str, int]:
    """`markdown` with each `!!! solution` / `??? solution` block (its header and indented
    body) replaced by a note saying when the solution is released; and how many there were.
    Fenced code is left alone, so a page can show the syntax."""
    if ANY_ADMONITION.search(markdown) is None:
        return markdown, 0
    lines = markdown.splitlines(keepends=True)
    out: list[str] = []
    fence: str | None = None
    count = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
        match = ADMONITION.match(line.rstrip("\n")) if fence is None else None
        if match is None:
            out.append(line)
            i += 1
            continue
        count += 1
        indent = match["indent"]
        i += 1
        # The body: blank lines and lines indented deeper than the header.
        while i < len(lines):
            body = lines[i]
            if body.strip() == "" or (
                body.startswith(indent) and len(body) - len(body.lstrip()) > len(indent)
            ):
                i += 1
                continue
            break
        # Blank lines at the end of the body separate it from what follows: keep one.
        out.append(f'{indent}!!! note "Solution"\n{indent}    {release_note(released)}\n\n')
    return "".join(out), count
