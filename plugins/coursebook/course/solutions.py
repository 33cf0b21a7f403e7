"""Solutions in notebooks and lecture pages: find them, check them, strip them for the
student version, and decide when they are released. Imports nothing from MkDocs.

The markers are the grading tools' own, read as those tools read them (grader_formats.py says
which cell is what): nbgrader's `BEGIN SOLUTION` ... `END SOLUTION` (matched as a substring, so
`### BEGIN SOLUTION` and `# BEGIN SOLUTION` both count), solution cells and hidden tests;
otter-grader's one-line `x = 42  # SOLUTION`, its NO PROMPT forms and prompts, its assignment
format and hidden test cells; Neuromatch's `# to_remove` cells; cells tagged `solution`. In
Markdown, a `!!! solution` or `??? solution` admonition is the marked block, outside code as
the text's renderer sees it (fences.py). Every stripping records what it withheld
(withheld.py), for the leak guard."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from .dates import as_date, impossible_date
from .fences import commonmark_code_lines, split_lines, superfences_code_lines
from .grader_formats import CellRole, FormatError, cell_roles, strip_hidden_tests
from .quoted import quoted_lines, redact_quoted
from .widget_outputs import without_computed_widget_outputs
from .widget_state import keep_shown_widgets
from .withheld import WithheldText

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
# otter-grader: a line or block withheld with no `...` in its place, and the lines that bound
# what the student version shows instead (dropped there; what they bound is kept).
NO_PROMPT = "SOLUTION NO PROMPT"
ONE_LINE_NO_PROMPT = "# SOLUTION NO PROMPT"
PROMPT_MARKERS = ("# BEGIN PROMPT", "# END PROMPT")
# `!!! solution`, `??? solution`, `???+ solution`, with an optional title in quotes.
# A `solution` admonition (`!!!`) or collapsible block (`???`, `???+`): `solution` is one of its
# classes, in any case, as Python-Markdown lowercases them (`!!! Solution`, `!!! danger solution`).
# `!!!+ solution` is no admonition to Python-Markdown (its body would show as text): stripped too,
# so that a typo never publishes a solution.
_HEADER = r"(?:!!!|\?\?\?)\+?[ \t]*(?:[\w-]+[ \t]+)*solution(?![\w-])"
# Its indentation may hold `>`: an admonition in a block quote is one to Python-Markdown and
# to CommonMark (`> ??? solution` then `>     the answer`).
# It may open a container too, on the same line: a list item (`- !!! solution`, `1. `), a
# definition (`:   !!! solution`), a footnote (`[^1]: !!! solution`); Python-Markdown reads the
# admonition inside it.
_CONTAINER = r"(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+|:[ \t]+|\[\^[^\]]+\]:[ \t]*)"
ADMONITION = re.compile(
    rf"^(?P<indent>[ \t>]*)(?P<container>(?:{_CONTAINER}[ \t>]*)*){_HEADER}.*$", re.IGNORECASE
)
# The HTML that admonitions become, written by hand: a raw HTML block opening with
# `<details class="... solution ...">` (pymdownx.details' `??? solution`) or
# `<div class="admonition solution">` (and `section`, `aside`), to the tag that closes it.
HTML_SOLUTION = re.compile(
    r"""^(?P<indent>[ \t>]*)<(?P<tag>details|div|section|aside)\b[^>]*"""
    r"""\bclass\s*=\s*(?:"[^"]*|'[^']*)(?<![\w-])solution(?![\w-])""",
    re.IGNORECASE,
)
# pymdownx.blocks (`/// details | Answer` then `    type: solution`; a type a site names
# `solution`, `/// solution | Answer`; `attrs: {class: solution}`): the block to its closing
# fence of as many slashes.
BLOCK_START = re.compile(
    r"^(?P<indent>[ \t>]*)(?P<fence>/{3,})[ \t]*(?P<name>[\w-]+)[ \t]*(?:\|.*)?$"
)
SOLUTION_WORD = re.compile(r"(?<![\w-])solution(?![\w-])", re.IGNORECASE)
TAB_LENGTH = 4  # both renderers expand tabs to this width before reading indentation
# Anywhere in a text: where this finds nothing, no line is an ADMONITION or HTML_SOLUTION.
ANY_ADMONITION = re.compile(
    rf"{_HEADER}|<(?:details|div|section|aside)\b[^>]*solution|^[ \t>]*///",
    re.IGNORECASE | re.MULTILINE,
)
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
    lines: list[str],
    where: str,
    stub: tuple[str, ...] = STUB,
    one_line_form: bool = True,
    taken: list[tuple[int, str]] | None = None,
) -> tuple[list[str], bool]:
    """Replace each BEGIN/END SOLUTION block (delimiters included) by `stub` at the BEGIN
    line's indentation (otter's `BEGIN SOLUTION NO PROMPT`: by nothing), and (in code) each
    one-line solution by `...` (otter's `# SOLUTION NO PROMPT`: by nothing; its `# BEGIN
    PROMPT` / `# END PROMPT` lines go, what they bound stays). Returns the new lines and
    whether anything was marked; each withheld part is appended to `taken` as (line, text)."""
    out: list[str] = []
    begin_line: int | None = None
    held: list[str] = []
    marked = False
    for number, line in enumerate(lines, start=1):
        newline = "\n" if line.endswith("\n") else ""
        if BEGIN in line:
            if begin_line is not None:
                raise SolutionError(
                    f"{where}, line {number}: BEGIN SOLUTION inside the solution begun on "
                    f"line {begin_line} (solutions do not nest)"
                )
            begin_line, held = number, [line]
            marked = True
            if NO_PROMPT not in line:
                indent = line[: len(line) - len(line.lstrip())]
                out += [f"{indent}{text}\n" for text in stub]
            continue
        if END in line:
            if begin_line is None:
                raise SolutionError(f"{where}, line {number}: END SOLUTION without BEGIN SOLUTION")
            if taken is not None:
                taken.append((begin_line, "".join([*held, line])))
            begin_line = None
            if not newline and out:
                # The block ended the cell: so does the stub, without a trailing newline.
                out[-1] = out[-1].rstrip("\n")
            continue
        if begin_line is not None:
            held.append(line)
            continue
        if one_line_form and line.rstrip().endswith(PROMPT_MARKERS):
            continue
        if one_line_form and line.rstrip().endswith(ONE_LINE_NO_PROMPT):
            marked = True
            if taken is not None:
                taken.append((number, line))
            continue
        one_line = ONE_LINE.match(line.rstrip("\n")) if one_line_form else None
        if one_line is None:
            out.append(line)
            continue
        marked = True
        if taken is not None:
            taken.append((number, line))
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


def strip_code(
    source: str, where: str, withheld: list[WithheldText] | None = None
) -> tuple[str, bool]:
    """The student version of one code cell's source, and whether it held a solution; each
    withheld part is appended to `withheld`, at "`where`, line N"."""
    taken: list[tuple[int, str]] = []
    lines, marked = _strip_block_lines(source.splitlines(keepends=True), where, taken=taken)
    for line, text in taken:
        _record(withheld, f"{where}, line {line}", text)
    return "".join(lines), marked


def find_solutions(nb: Notebook, name: str) -> list[str]:
    """Where `nb` marks solutions ("cell 3", ...), after checking every marker of every format
    (grader_formats.py): a badly marked block raises SolutionError naming `name`, the cell and
    the line. Hidden tests are not solutions: see `hidden_tests`."""
    found: list[str] = []
    if _may_be_marked(nb):
        _student_cells(nb, name, None, hide_tests=False, withheld=None, marked=found)
    return found


# Any marker of any format holds one of these words (or is a raw cell, a tag, nbgrader's
# metadata): most notebooks hold none, and are not copied to be looked at more closely.
_ANY_MARKER = re.compile(r"solution|hidden|to_remove", re.IGNORECASE)


def _may_be_marked(nb: Notebook) -> bool:
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        if cell.get("cell_type") == "raw" or meta.get("tags") or meta.get("nbgrader"):
            return True
        if _ANY_MARKER.search(_source(cell)):
            return True
    return False


def hidden_tests(nb: Notebook, name: str) -> list[str]:
    """Where `nb` holds hidden tests (nbgrader's BEGIN/END HIDDEN TESTS, otter's hidden test
    cells): "cell 3", ..."""
    found: list[str] = []
    if _may_be_marked(nb):
        _released_cells(nb, name, hide_tests=True, withheld=None, marked=found)
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
    the date the student version announces. See `publish_notebook`."""
    view = publish_notebook(nb, shown, listed_by, src_uri, today, mode)
    return view.notebook, view.withheld_until


@dataclass
class NotebookRelease:
    """How one notebook is published today."""

    notebook: Notebook  # the view the page shows
    withheld_until: dt.date | None  # solutions not released yet: the day they are
    # The source file itself may not be published: the download is `view(source)` instead.
    source_withheld: bool
    # A TA version before its date: nothing of it is published (no page, download, link).
    unpublished: bool
    withheld: list[WithheldText]  # what was withheld, for the leak guard
    view: Callable[[Notebook], Notebook]  # the same view of another copy (the unexecuted one)
    # A TA version's student version (URI in docs/), else None.
    student_version: str | None = None


def publish_notebook(
    nb: Notebook,
    shown: str,
    listed_by: Callable[[], dict[str, tuple[str, Any]]],
    src_uri: str,
    today: dt.date,
    mode: str,
    *,
    publish_hidden_tests: bool = False,
) -> NotebookRelease:
    """The notebook as the site shows it `today`. Its solutions' date is the notebook's own,
    else that of the lecture listing it (`listed_by()`:
    `release_dates.notebooks_listed_by_lectures`, asked for only when needed); a TA version
    (`metadata.coursebook.student_version`) also takes the date of the lecture listing its
    student version. A solution with no date raises
    SolutionError. Hidden tests are withheld whatever the date, unless
    `publish_hidden_tests`. A badly marked notebook raises SolutionError."""
    marked = find_solutions(nb, shown)
    own = notebook_release(nb, shown)  # checked even when nothing is marked yet
    student_of = ta_student_version(nb, shown, src_uri)
    hidden = [] if publish_hidden_tests else hidden_tests(nb, shown)
    if not marked and student_of is None:
        return _as_released(nb, shown, bool(hidden), None)
    listing = listed_by()
    lecture_file, written = listing.get(src_uri, (None, None))
    if written is None and student_of is not None:
        lecture_file, written = listing.get(student_of, (lecture_file, None))
    lecture_date = (
        parse_release(written, f"{lecture_file}: solutions") if written is not None else None
    )
    released_on = own or lecture_date
    if released_on is None:
        # A lecture whose YAML is broken may be the one listing this notebook with its date:
        # its problem comes first, as the cause to fix.
        unreadable = getattr(listing, "unreadable", [])
        what = f"{marked[0]}: a solution" if marked else "a TA version"
        raise SolutionError(
            "".join(f"{problem}\n" for problem in unreadable)
            + f"{shown}: {what}, but no release date: set "
            f"`solutions: YYYY-MM-DD` in the front matter of the lecture that lists it"
            + (f" ({lecture_file})" if lecture_file else "")
            + " or metadata.coursebook.solutions in the notebook"
        )
    if is_released(released_on, today, mode):
        return _as_released(nb, shown, bool(hidden), student_of)

    def student(other: Notebook, record: list | None = None) -> Notebook:
        return _student_cells(
            other,
            shown,
            released_on,
            hide_tests=not publish_hidden_tests,
            withheld=record,
            marked=[],
        )

    withheld: list[WithheldText] = []

    # Nothing of a TA version is published before its date; what the guard looks for in the
    # site is what the stripping withholds from it: its solutions.
    unpublished = student_of is not None
    return NotebookRelease(
        student(nb, withheld), released_on, True, unpublished, withheld, student, student_of
    )


def _as_released(nb: Notebook, shown: str, hidden: bool, student_of: str | None) -> NotebookRelease:
    """A notebook whose solutions are in: as it is, or without its `hidden` tests (and then its
    source is not published either)."""
    if not hidden:
        return NotebookRelease(nb, None, False, False, [], lambda other: other, student_of)

    def view(other: Notebook, record: list | None = None) -> Notebook:
        return _released_cells(other, shown, hide_tests=True, withheld=record, marked=[])

    withheld: list[WithheldText] = []
    return NotebookRelease(view(nb, withheld), None, True, False, withheld, view, student_of)


def ta_student_version(nb: Notebook, shown: str, src_uri: str) -> str | None:
    """The student version a TA notebook declares (`metadata.coursebook.student_version`, a
    path relative to the notebook), as a URI inside docs/; None for any other notebook."""
    value = (nb.get("metadata", {}).get("coursebook") or {}).get("student_version")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or value.strip().startswith("/"):
        raise SolutionError(
            f"{shown}: metadata.coursebook.student_version: expected the path of the student "
            f"notebook relative to this one, like W1D1_Tutorial1.ipynb, got {value!r}"
        )
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), value.strip()))
    if joined.startswith("../"):
        raise SolutionError(
            f"{shown}: metadata.coursebook.student_version: {value!r} is outside docs/"
        )
    return joined


def student_notebook(
    nb: Notebook,
    name: str,
    released: dt.date | None,
    *,
    hide_tests: bool = True,
    withheld: list[WithheldText] | None = None,
) -> Notebook:
    """A copy of `nb` without its solutions (and, unless `hide_tests` is false, its hidden
    tests). See `_student_cells`."""
    return _student_cells(nb, name, released, hide_tests=hide_tests, withheld=withheld, marked=[])


def _clear_outputs(cell: dict) -> None:
    cell["outputs"] = []
    cell["execution_count"] = None


def _keep_referenced_attachments(cell: dict, where: str, withheld) -> None:
    """A Markdown cell keeps only the attachments its (stripped) text still shows: an image
    attached to a withheld solution would otherwise be published with the student version.
    Each one dropped is recorded (its base64 data, which a published file would hold)."""
    attachments = cell.get("attachments")
    if not attachments:
        return
    text = _source(cell)
    kept = {}
    for name, data in attachments.items():
        if f"attachment:{name}" in text:
            kept[name] = data
            continue
        for payload in (data or {}).values():
            if isinstance(payload, str):
                _record(withheld, f"{where}: attachment {name}", payload)
    if kept:
        cell["attachments"] = kept
    else:
        cell.pop("attachments", None)


def _released_cells(
    nb: Notebook,
    name: str,
    *,
    hide_tests: bool,
    withheld: list[WithheldText] | None,
    marked: list[str],
) -> Notebook:
    """A copy of `nb` as published once its solutions are released: without its hidden tests
    when `hide_tests` (each cell holding one is appended to `marked`)."""
    # A new notebook and new cells; what a cell holds (outputs, metadata) is shared with `nb`:
    # only whole keys are replaced here, and a deep copy of every output was most of the time.
    result = dict(nb)
    roles = _roles(result, name)
    cells = []
    for index, (original, role) in enumerate(zip(nb.get("cells", []), roles, strict=True), 1):
        cell = dict(original)
        where = f"{name}: cell {index}"
        if role.hidden_test:
            marked.append(f"cell {index}")
            if hide_tests:
                _record(withheld, where, _source(cell))
                continue
        elif hide_tests:
            _strip_hidden(cell, where, withheld, marked, index)
        cells.append(cell)
    result["cells"] = cells
    return result


def _strip_hidden(cell: dict, where: str, withheld, marked: list[str], index: int) -> None:
    try:
        stripped, regions = strip_hidden_tests(_source(cell), where)
    except FormatError as error:
        raise SolutionError(str(error)) from None
    if regions:
        marked.append(f"cell {index}")
        cell["source"] = stripped
        if cell.get("cell_type") == "code":
            _clear_outputs(cell)  # a failing hidden test would print itself
        for line, text in regions:
            _record(withheld, f"{where}, line {line}", text)


def _record(withheld: list[WithheldText] | None, source: str, text: str) -> None:
    if withheld is not None and text.strip():
        withheld.append(WithheldText(source, text))


def _roles(nb: Notebook, name: str) -> list[CellRole]:
    try:
        return cell_roles(nb.get("cells", []), name, SOLUTION_TAG)
    except FormatError as error:
        raise SolutionError(str(error)) from None


def _student_cells(
    nb: Notebook,
    name: str,
    released: dt.date | None,
    *,
    hide_tests: bool,
    withheld: list[WithheldText] | None,
    marked: list[str],
) -> Notebook:
    """A copy of `nb` without its solutions: BEGIN/END blocks become nbgrader's stub, one-line
    solutions become `...` (otter's NO PROMPT forms: nothing), whole solution cells (tagged,
    nbgrader solution cells, otter answers) become empty code or a release note, a Neuromatch
    `# to_remove` cell a release note in its place, next to its exercise. A cell that held a
    solution loses its outputs (they would show it), a Markdown cell the attachments only its
    solution showed; every other cell keeps its own. Each cell holding a solution is appended
    to `marked`, each withheld text to `withheld`."""
    # A new notebook and new cells; what a cell holds (outputs, metadata) is shared with `nb`:
    # only whole keys are replaced here, and a deep copy of every output was most of the time.
    result = dict(nb)
    note = release_note(released)
    roles = _roles(result, name)
    # Every withheld text, recorded for the caller or not: the outputs are redacted by them.
    withheld = withheld if withheld is not None else []
    cells = []
    for index, (original, role) in enumerate(zip(nb.get("cells", []), roles, strict=True), 1):
        cell = dict(original)
        where = f"{name}: cell {index}"
        kind = cell.get("cell_type")
        if role.hidden_test:
            if hide_tests:
                _record(withheld, where, _source(cell))
                continue
            cells.append(cell)
            continue
        cells.append(cell)
        if role.boundary:
            continue
        if hide_tests:
            _strip_hidden(cell, where, withheld, [], index)
        if role.solution:
            marked.append(f"cell {index}")
            _record(withheld, where, _source(cell))
            if kind == "code" and not role.to_remove:
                cell["source"] = ""
                _clear_outputs(cell)
            elif kind != "code":
                cell["source"] = f"*{note}*"
                _keep_referenced_attachments(cell, where, withheld)
            else:
                # A Neuromatch solution: a note next to its exercise, as a Markdown cell.
                cells[-1] = {
                    "cell_type": "markdown",
                    "metadata": {},
                    "source": f"*{note}*",
                    **({"id": cell["id"]} if "id" in cell else {}),
                }
            continue
        source = _source(cell)
        taken: list[tuple[int, str]] = []
        if kind == "code":
            lines, found = _strip_block_lines(source.splitlines(keepends=True), where, taken=taken)
            if found:
                marked.append(f"cell {index}")
                cell["source"] = "".join(lines)
                _clear_outputs(cell)
        else:
            if BEGIN in source or END in source:
                # A Markdown (or raw) cell with a block: the block becomes the note.
                lines, _ = _strip_block_lines(
                    source.splitlines(keepends=True),
                    where,
                    stub=(f"*{note}*",),
                    one_line_form=False,
                    taken=taken,
                )
                cell["source"] = "".join(lines)
                marked.append(f"cell {index}")
            if kind in ("markdown", "raw"):
                # The notebook stage renders admonitions in Markdown cells as pages do, with
                # CommonMark's fences. A raw cell too: nbconvert renders one of format
                # text/markdown as Markdown, and the download holds it whatever its format.
                found: list[WithheldText] = []
                stripped, count = strip_admonitions(
                    _source(cell), released, renderer="commonmark", source=where, withheld=found
                )
                # "x.ipynb: cell 3, line 2", as the other records of a cell say it.
                taken += [(int(w.source.rsplit(" ", 1)[1]), w.text) for w in found]
                if count:
                    cell["source"] = stripped
                    if f"cell {index}" not in marked[-1:]:
                        marked.append(f"cell {index}")
                _keep_referenced_attachments(cell, where, withheld)
        for line, text in taken:
            _record(withheld, f"{where}, line {line}", text)
    result["cells"] = cells
    # Other cells' outputs may quote the solution's lines (a warning, a traceback): quoted.py.
    redact_quoted(result, quoted_lines(record.text for record in withheld))
    # The widgets the cleared outputs showed stay in the notebook's metadata otherwise.
    keep_shown_widgets(result, name, withheld)
    if marked:
        # A solution may have written into an Output widget another cell shows: see
        # widget_outputs.py.
        result, _dropped = without_computed_widget_outputs(result)
    return result


# --- lecture pages ------------------------------------------------------------------------


def _prefix(line: str) -> tuple[int, int]:
    """A line's quote level (its `>`s before any text) and the width of its prefix of spaces,
    tabs and `>`, tabs expanded as the renderers expand them."""
    stripped = line.lstrip(" \t>")
    prefix = line[: len(line) - len(stripped)]
    return prefix.count(">"), len(prefix.expandtabs(TAB_LENGTH))


def _solution_block(lines: list[str], start: int) -> tuple[int, int] | None:
    """If line `start` opens a pymdownx.blocks block that is a solution: the line after its
    closing fence (the end of the text if none closes it) and the length of its indentation."""
    opening = BLOCK_START.match(lines[start].rstrip("\r\n"))
    if opening is None:
        return None
    indent, fence = opening["indent"], opening["fence"]
    options = []
    for line in lines[start + 1 :]:
        _quotes, width = _prefix(line)
        if line.strip() == "" or width <= len(indent.expandtabs(TAB_LENGTH)):
            break
        options.append(line)  # the block's YAML options, indented under its header
    if opening["name"].lower() != "solution" and not any(
        SOLUTION_WORD.search(option) and re.search(r"\b(?:type|class)\b", option)
        for option in options
    ):
        return None
    closing = re.compile(rf"^{re.escape(indent)}{fence}[ \t]*$")
    for number in range(start + 1, len(lines)):
        if closing.match(lines[number].rstrip("\r\n")):
            return number + 1, len(indent)
    return len(lines), len(indent)


def _html_block_end(lines: list[str], start: int, tag: str) -> int:
    """The line after the `</tag>` that closes the one opened on line `start` (nested ones
    counted); the end of the text if none does."""
    opening = re.compile(rf"<{tag}\b", re.IGNORECASE)
    closing = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    depth = 0
    for number in range(start, len(lines)):
        line = lines[number]
        depth += len(opening.findall(line)) - len(closing.findall(line))
        if depth <= 0:
            return number + 1
    return len(lines)


def _in_body(line: str, indent: str) -> bool:
    """Is `line` part of the body of an admonition whose header is indented by `indent`? Blank
    lines are, and lines indented deeper than the header, tabs expanded (a header indented with
    spaces and a body with tabs is one block to the renderer), in the header's block quote or a
    lazy line continuing it (no `>` at all)."""
    if line.strip(" \t>\r\n") == "":
        return True
    quotes, width = _prefix(line)
    header_quotes, header_width = _prefix(indent)
    if quotes != header_quotes and not (header_quotes and quotes == 0):
        return False
    return width > header_width


def strip_admonitions(
    markdown: str,
    released: dt.date | None,
    *,
    renderer: str = "superfences",
    source: str = "",
    first_line: int = 1,
    withheld: list[WithheldText] | None = None,
) -> tuple[str, int]:
    """`markdown` with each `!!! solution` / `??? solution` block (its header and indented
    body) replaced by a note saying when the solution is released; and how many there were.
    Code is left alone, so a page can show the syntax: which lines are code is decided as the
    text's renderer decides it (`renderer`: "superfences" for pages, "commonmark" for notebook
    cells, "none" for the pages of a site without superfences; see fences.py). Each block's
    text is appended to `withheld`, as written at `source`, line `first_line` + its line in
    `markdown`."""
    if ANY_ADMONITION.search(markdown) is None:
        return markdown, 0
    if renderer == "commonmark":
        code = commonmark_code_lines(markdown)
    elif renderer == "superfences":
        code = superfences_code_lines(markdown)
    else:  # "none": a site without superfences (fences.py `page_renderer`)
        code = set()
    lines = split_lines(markdown)
    out: list[str] = []
    count = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.rstrip("\r\n")
        match = ADMONITION.match(text) if i not in code else None
        html = HTML_SOLUTION.match(text) if i not in code and match is None else None
        block = (
            _solution_block(lines, i) if i not in code and match is None and html is None else None
        )
        if match is None and html is None and block is None:
            out.append(line)
            i += 1
            continue
        count += 1
        begin = i
        note = release_note(released)
        if html is not None or block is not None:
            indent = html["indent"] if html is not None else lines[i][: block[1]]
            i = _html_block_end(lines, i, html["tag"]) if html is not None else block[0]
            out.append(f'{indent}!!! note "Solution"\n{indent}    {note}\n\n')
        else:
            indent, container = match["indent"], match["container"]
            i += 1
            while i < len(lines) and _in_body(lines[i], indent):
                i += 1
            if container:
                # In the container the header opened: the note as its text.
                out.append(f"{indent}{container}*{note}*\n\n")
            else:
                # Blank lines at the end of the body separate it from what follows: keep one.
                out.append(f'{indent}!!! note "Solution"\n{indent}    {note}\n\n')
        if withheld is not None:
            text = "".join(lines[begin:i])
            withheld.append(WithheldText(f"{source}: line {first_line + begin}", text))
    return "".join(out), count
