"""The site's PDFs (handouts, slides PDFs, `course.pdf`, any PDF a course publishes) checked
by their structure, as axe checks pages: tagged, with a language, a title shown as the window
title, alt text on every figure, and bookmarks when they have pages to find. A browser cannot
see this; a screen reader depends on it (WCAG 1.1.1, 1.3.1, 2.4.2, 2.4.5, 3.1.1; PDF/UA 7).

The findings have axe's shape (audit/findings.py groups them), with rule ids of coursebook's
own and the fix in their help text."""

from __future__ import annotations

from pathlib import Path

PDF_VIEW_SCHEME = "pdf"  # findings.View(0, "pdf"): a PDF has no width or colour scheme
# A PDF this long is read by its bookmarks (WCAG 2.4.5: more than one way to find a part).
PAGES_NEEDING_BOOKMARKS = 3
FIX = (
    "print it with `python -m coursebook handouts`, which tags it (present/pdf_tags.py), "
    "instead of merging or printing it by hand"
)
RULES = {
    "coursebook-pdf-tagged": (
        "serious",
        "A PDF must be tagged (a structure tree), so a screen reader can read it in order: " + FIX,
    ),
    "coursebook-pdf-language": (
        "serious",
        "A PDF must name its language (/Lang): set theme.language in mkdocs.yml, then " + FIX,
    ),
    "coursebook-pdf-title": (
        "serious",
        "A PDF must have a title shown as its window title (/Title and DisplayDocTitle): " + FIX,
    ),
    "coursebook-pdf-figure-alt": (
        "critical",
        "Every figure in a PDF needs alt text (/Alt): give the image alt text on its page "
        "(docs/authoring/alt-text.md), then print it again",
    ),
    "coursebook-pdf-bookmarks": (
        "moderate",
        "A PDF of several pages needs bookmarks: print it with headings and "
        "`python -m coursebook handouts`, which writes them",
    ),
}


def site_pdfs(site: Path) -> list[str]:
    """Every PDF the site publishes, as its path from the site (`handouts/lecture-01.pdf`)."""
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.pdf"))


def pdf_violations(pdf: Path) -> list[dict]:
    """What `pdf` lacks, as axe's violations: one per rule, a node per missing thing."""
    import pikepdf

    failing: dict[str, list[dict]] = {}

    def fail(rule: str, what: str, where: str) -> None:
        failing.setdefault(rule, []).append({"html": f"<pdf {what}>", "target": [where]})

    with pikepdf.open(pdf) as document:
        root = document.Root
        marked = root.get("/MarkInfo", {}).get("/Marked", False)
        tree = root.get("/StructTreeRoot")
        if not marked or tree is None:
            fail("coursebook-pdf-tagged", "untagged", "/StructTreeRoot")
        if not str(root.get("/Lang", "")).strip():
            fail("coursebook-pdf-language", "no-language", "/Lang")
        title = str(document.docinfo.get("/Title", "")).strip() if document.docinfo else ""
        shown = root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)
        if not title or not shown:
            fail("coursebook-pdf-title", "no-title" if not title else "title-not-shown", "/Title")
        if tree is not None:
            for number, element in enumerate(_figures(tree), 1):
                if not str(element.get("/Alt", "") or element.get("/ActualText", "")).strip():
                    fail("coursebook-pdf-figure-alt", "figure", f"/Figure {number}")
        outlines = root.get("/Outlines")
        if len(document.pages) >= PAGES_NEEDING_BOOKMARKS and (
            outlines is None or "/First" not in outlines
        ):
            fail("coursebook-pdf-bookmarks", "no-bookmarks", "/Outlines")
    return [
        {
            "rule": rule,
            "impact": RULES[rule][0],
            "help": RULES[rule][1],
            "helpUrl": "",
            "nodes": nodes,
        }
        for rule, nodes in failing.items()
    ]


def _figures(tree):
    """The /Figure structure elements under `tree`, in reading order (iteratively: a long
    handout's tree is deep enough for recursion to matter)."""
    import pikepdf

    seen: set = set()
    stack = [tree]
    found = []
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue  # a marked-content id: a leaf
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if node.get("/S") == pikepdf.Name.Figure:
            found.append(node)
        kids = node.get("/K")
        children = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        stack.extend(reversed(children))
    return found


def audit_pdfs(site: Path, findings) -> int:
    """Add the findings of every PDF of `site` to `findings` (audit/findings.py); return how
    many PDFs were checked. A PDF pikepdf cannot open is itself a finding of the first rule."""
    from .findings import View

    pdfs = site_pdfs(site)
    if not pdfs:
        return 0
    try:
        import pikepdf  # noqa: F401  (pdf_violations imports it; say what is missing here)
    except ImportError as error:
        raise PdfCheckUnavailable(
            f"{len(pdfs)} PDF(s) in {site} and no pikepdf to check them: "
            "pip install 'coursebook[handouts]'"
        ) from error
    from pikepdf import PdfError

    for path in pdfs:
        try:
            violations = pdf_violations(site / path)
        except PdfError as error:  # a PDF no reader can trust
            violations = [
                {
                    "rule": "coursebook-pdf-tagged",
                    "impact": RULES["coursebook-pdf-tagged"][0],
                    "help": f"cannot be read as a PDF ({error}): " + FIX,
                    "helpUrl": "",
                    "nodes": [{"html": "<pdf unreadable>", "target": ["/"]}],
                }
            ]
        findings.add(violations, "/" + path, View(0, PDF_VIEW_SCHEME))
    return len(pdfs)


class PdfCheckUnavailable(Exception):
    """The site has PDFs and this install cannot read their structure."""
