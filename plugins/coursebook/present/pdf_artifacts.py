"""Mark what Chromium draws outside its tags as artifacts, so a tagged PDF has no stray content.

Chromium tags what the page's accessibility tree has; the rest is drawn outside any marked
content: the "page N of M" footer of the print template, backgrounds and borders, and the SVG
paths of a formula (whose text, from pdf_tags.py, is tagged instead). A reader must otherwise
guess whether such content is meant to be read (PDF/UA-1 7.1 forbids it). Each such drawing
operation (a path object, a text-showing operator, an image or form) is wrapped in
`/Artifact BMC … EMC`, never splitting a path object (where marked content may not start) and
never wrapping a form that carries tagged content of its own.
"""

from __future__ import annotations

PATH_START = frozenset({"m", "re"})
PATH_PAINT = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"})
TEXT_SHOW = frozenset({"Tj", "TJ", "'", '"'})
DRAW = frozenset({"sh", "INLINE IMAGE"})


def _form_is_tagged(resources, name) -> bool:
    """Whether the XObject `name` is a form with marked content (then it is not an artifact)."""
    import pikepdf

    xobject = resources.get("/XObject", {}).get(name) if resources is not None else None
    if xobject is None or xobject.get("/Subtype") != "/Form":
        return False
    return any(
        str(operator) in ("BDC", "BMC") for _, operator in pikepdf.parse_content_stream(xobject)
    )


def mark_artifacts(pdf) -> int:
    """Wrap every drawing operation outside marked content on every page of `pdf` (pikepdf)
    as an artifact; return how many were wrapped."""
    import pikepdf

    begin = pikepdf.Operator("BMC")
    end = pikepdf.Operator("EMC")
    artifact = [pikepdf.Name.Artifact]
    wrapped = 0
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        depth = 0
        path: list = []  # the current path object's operators, painted or not yet
        out: list = []
        changed = False
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            item = (operands, operator)
            if path or (depth == 0 and name in PATH_START):
                path.append(item)
                if name in PATH_PAINT:
                    # A clipping path (`W n`) paints nothing: left as it is.
                    if name != "n" and depth == 0:
                        out += [(artifact, begin), *path, ([], end)]
                        wrapped += 1
                        changed = True
                    else:
                        out += path
                    path = []
                continue
            if name in ("BDC", "BMC"):
                depth += 1
            elif name == "EMC":
                depth -= 1
            elif depth == 0 and (
                name in TEXT_SHOW
                or name in DRAW
                or (name == "Do" and not _form_is_tagged(resources, operands[0]))
            ):
                out += [(artifact, begin), item, ([], end)]
                wrapped += 1
                changed = True
                continue
            out.append(item)
        out += path
        if changed:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
    return wrapped
