"""Mark what Chromium draws outside its tags as artifacts, so a tagged PDF has no stray content.

Chromium tags what the page's accessibility tree has; the rest is drawn outside any marked
content: the "page N of M" footer of the print template, backgrounds and borders, and the SVG
paths of a formula (whose text, from pdf_tags.py, is tagged instead). A reader must otherwise
guess whether such content is meant to be read (PDF/UA-1 7.1 forbids it). Each such drawing
operation (a path object, a text-showing operator, an image or form) is wrapped in
`/Artifact BMC … EMC`, never splitting a path object (where marked content may not start) and
never wrapping a form that carries tagged content of its own.

Skia writes content streams simply (text as hex strings, no literal strings or inline
images), so they are tokenized here with one regular expression: Lecture 2's 9 pages have some
34,000 operators, which take 0.15 s this way and a second through pikepdf's parsed
instructions. A stream not written that way is parsed with pikepdf instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

PATH_START = frozenset({"m", "re"})
PATH_PAINT = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"})
TEXT_SHOW = frozenset({"Tj", "TJ", "'", '"'})
DRAW = frozenset({"sh", "INLINE IMAGE", "BI"})
# A content stream as Skia writes it: numbers, names, hex strings, simple dictionaries and
# arrays, operators. Anything else (a literal string, an inline image, a nested dictionary)
# is not read here, and pikepdf parses the stream instead.
# Most common first (numbers, then glyphs' hex strings): four times faster than another order.
OPERAND = (
    rb"[-+]?(?:\d+\.?\d*|\.\d+)|<[0-9A-Fa-f\s]*>|/[^\s/<>\[\]()%]+"
    rb"|<<(?:[^<>]|<[0-9A-Fa-f\s]*>)*>>|\[[^\[\]()]*\]"
)
INSTRUCTION = re.compile(
    rb"(?:\s*(?:" + OPERAND + rb"))*\s*(?P<operator>[A-Za-z'\"][A-Za-z*'\"0-9]*)"
)
UNREAD = frozenset({"BI", "ID", "EI"})

Item = TypeVar("Item")
BEGIN, END = object(), object()  # where /Artifact BMC and EMC go


def wrap_untagged(
    instructions: Iterable[tuple[str, Item]], tagged_form: Callable[[Item], bool]
) -> tuple[list, int]:
    """The instructions (operator name, item) with BEGIN and END around every drawing outside
    marked content, and how many were wrapped."""
    out: list = []
    path: list = []  # the current path object, painted or not yet
    depth = 0
    wrapped = 0
    for name, item in instructions:
        if path or (depth == 0 and name in PATH_START):
            path.append(item)
            if name in PATH_PAINT:
                # A clipping path (`W n`) paints nothing: left as it is.
                if name != "n" and depth == 0:
                    out += [BEGIN, *path, END]
                    wrapped += 1
                else:
                    out += path
                path = []
            continue
        if name in ("BDC", "BMC"):
            depth += 1
        elif name == "EMC":
            depth -= 1
        elif depth == 0 and (
            name in TEXT_SHOW or name in DRAW or (name == "Do" and not tagged_form(item))
        ):
            out += [BEGIN, item, END]
            wrapped += 1
            continue
        out.append(item)
    return out + path, wrapped


def _skia_instructions(data: bytes) -> list[tuple[str, bytes]] | None:
    """(operator, its bytes with its operands) of each instruction of a content stream as Skia
    writes it; None if it is written otherwise."""
    instructions = []
    position = 0
    for match in INSTRUCTION.finditer(data):
        name = match.group("operator").decode("latin-1")
        if match.start() != position or name in UNREAD:
            return None  # something in between that is not an operand
        instructions.append((name, match.group(0).strip()))
        position = match.end()
    if data[position:].strip():
        return None
    return instructions


def _form_checker(resources) -> Callable[[str], bool]:
    """Whether the XObject of that name is a form with marked content of its own."""
    import pikepdf

    def tagged(name: str) -> bool:
        xobjects = resources.get("/XObject", {}) if resources is not None else {}
        xobject = xobjects.get(name)
        if xobject is None or xobject.get("/Subtype") != "/Form":
            return False
        return any(
            str(operator) in ("BDC", "BMC") for _, operator in pikepdf.parse_content_stream(xobject)
        )

    return tagged


def _first_operand(check: Callable[[str], bool], kind: type) -> Callable:
    """`check` applied to the first operand of an instruction, as bytes or as pikepdf's."""
    if kind is bytes:
        return lambda instruction: check(instruction.split()[0].decode("latin-1"))
    return lambda instruction: check(str(instruction[0][0]))


def mark_artifacts(pdf) -> int:
    """Wrap every drawing outside marked content on each page of `pdf` (pikepdf) as an
    artifact; return how many were wrapped."""
    import pikepdf

    wrapped = 0
    for page in pdf.pages:
        tagged_form = _form_checker(page.obj.get("/Resources"))
        contents = page.obj.get("/Contents")
        streams = contents if isinstance(contents, pikepdf.Array) else [contents]
        instructions = _skia_instructions(
            b"\n".join(s.read_bytes() for s in streams if s is not None)
        )
        if instructions is not None:
            out, count = wrap_untagged(instructions, _first_operand(tagged_form, bytes))
            data = b"\n".join(
                b"/Artifact BMC" if item is BEGIN else b"EMC" if item is END else item
                for item in out
            )
        else:
            instructions = [
                (str(operator), (operands, operator))
                for operands, operator in pikepdf.parse_content_stream(page)
            ]
            out, count = wrap_untagged(instructions, _first_operand(tagged_form, tuple))
            begin = ([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
            end = ([], pikepdf.Operator("EMC"))
            data = pikepdf.unparse_content_stream(
                [begin if item is BEGIN else end if item is END else item for item in out]
            )
        if count:
            page.obj.Contents = pdf.make_stream(data)
            wrapped += count
    return wrapped
