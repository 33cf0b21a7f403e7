"""Make what Chromium prints an accessible PDF: formulas as text, XMP metadata, the title shown.

Chromium's tagged print (`page.pdf(tagged=True, outline=True)`) already writes the structure
tree from the page's accessibility tree, `/Lang` from `<html lang>`, `/Title` from `<title>`
with `/DisplayDocTitle`, bookmarks from the headings and `/Alt` on every `<img>`'s `/Figure`.
What it cannot do is math: MathJax draws a formula as SVG paths, so a screen reader and
copy-paste get nothing ("weight decay, , pull the weights"). So, in the page just before it is
printed, `formulas_as_text` puts each formula's TeX source into the page as real text (tiny and
transparent, in the line where the formula is, so copy-paste and text extraction give it in
reading order) inside an element whose accessible name is the TeX with FORMULA_MARK in front;
Chromium makes that a `/Figure` with that `/Alt`, and `finish_tagged_pdf` turns every such
`/Figure` into a `/Formula` with the TeX as its `/Alt`, takes the mark out of the bookmarks
of headings with a formula, marks what Chromium drew outside its
tags as artifacts (pdf_artifacts.py), then adds XMP metadata (`dc:title`, `dc:language`)
matching the document information.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .pdf_artifacts import mark_artifacts

# In front of a formula's accessible name in the page, so that its /Figure can be told from an
# image's after printing; finish_tagged_pdf removes it.
FORMULA_MARK = "coursebook-formula:"


class UntaggedPdf(Exception):
    """A PDF that should have a structure tree has none; the message names the file."""


# MathJax keeps every typeset formula with its TeX source (`item.math`) and its output node.
# The formula's own drawing (SVG, or CHTML's glyphs) is hidden from the accessibility tree (the
# text stands for it; pdf_artifacts.py makes the drawing an artifact) and MathJax's assistive
# MathML is dropped: it is clipped to 1 px, so Chromium would tag it with no text, and it makes
# the container `position: relative`, which paints the formula after the rest of the line and
# so puts its text at the end of the page's text. A copy of a typeset formula is not in
# MathJax's list: reveal.js prints a slide's speaker notes (`--notes`) as a copy of their HTML,
# so a drawing identical to one of the list's is given that one's TeX.
FORMULAS_AS_TEXT = """(mark) => {
  if (!window.MathJax || !MathJax.startup || !MathJax.startup.document) return 0;
  const asText = (container, tex) => {
    const text = document.createElement('span');
    text.className = 'cb-formula-text';
    text.textContent = tex;
    text.setAttribute('role', 'img');
    text.setAttribute('aria-label', mark + tex);
    text.style.cssText = 'font-size:0.1px;line-height:0;color:transparent;white-space:nowrap;';
    for (const assistive of container.querySelectorAll('mjx-assistive-mml')) assistive.remove();
    for (const drawing of container.children) drawing.setAttribute('aria-hidden', 'true');
    container.style.position = 'static';
    container.prepend(text);
  };
  const texOfDrawing = new Map();
  let count = 0;
  for (const item of MathJax.startup.document.math) {
    const container = item.typesetRoot;
    if (!container || !container.isConnected || container.querySelector('.cb-formula-text')) {
      continue;
    }
    const tex = String(item.math).trim();
    texOfDrawing.set(container.outerHTML, tex);
    asText(container, tex);
    count += 1;
  }
  for (const container of document.querySelectorAll('mjx-container')) {
    const tex = texOfDrawing.get(container.outerHTML);
    if (tex !== undefined && !container.querySelector('.cb-formula-text')) {
      asText(container, tex);
      count += 1;
    }
  }
  return count;
}"""


def formulas_as_text(page) -> int:
    """Give every typeset formula of `page` (Playwright) its TeX as text; return how many."""
    return page.evaluate(FORMULAS_AS_TEXT, FORMULA_MARK)


def structure_elements(pdf) -> Iterator:
    """Every structure element of `pdf` (pikepdf) in document order, each once."""

    root = pdf.Root.get("/StructTreeRoot")
    if root is not None:
        yield from tree_elements(root)


def tree_elements(root) -> Iterator:
    """Every structure element under `root` (a structure tree root or element, pikepdf) in
    document order, each once."""
    import pikepdf

    seen: set[tuple[int, int]] = set()

    def kids(element) -> list:
        k = element.get("/K")
        return list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]

    stack = list(reversed(kids(root)))
    while stack:
        kid = stack.pop()
        # Skip marked-content ids and marked-content or object references: not elements.
        if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
            continue
        if kid.is_indirect:
            if kid.objgen in seen:
                continue
            seen.add(kid.objgen)
        yield kid
        stack.extend(reversed(kids(kid)))


def tag_formulas(pdf) -> int:
    """Turn each marked /Figure (see FORMULAS_AS_TEXT) into a /Formula with its TeX as /Alt."""
    import pikepdf

    count = 0
    for element in structure_elements(pdf):
        alt = element.get("/Alt")
        if element.get("/S") == pikepdf.Name.Figure and alt is not None:
            text = str(alt)
            if text.startswith(FORMULA_MARK):
                element.S = pikepdf.Name.Formula
                element.Alt = pikepdf.String(text.removeprefix(FORMULA_MARK))
                count += 1
    return count


def clean_bookmarks(pdf, formulas: list[str]) -> int:
    """Bookmarks titled with their heading's formulas as TeX, without FORMULA_MARK. Chromium
    titles a bookmark with its heading's accessible name: a formula in it gives the marked
    accessible name then the TeX again (its text), "La perte coursebook-formula:L(w)L(w)".
    Returns how many titles changed."""
    import pikepdf

    # Longest first: the TeX of one formula may be the start of another's.
    tex_first = sorted(set(formulas), key=len, reverse=True)
    changed = 0
    outlines = pdf.Root.get("/Outlines")
    stack = [outlines.First] if outlines is not None and "/First" in outlines else []
    while stack:
        item = stack.pop()
        if "/Next" in item:
            stack.append(item.Next)
        if "/First" in item:
            stack.append(item.First)
        title = str(item.get("/Title", ""))
        if FORMULA_MARK not in title:
            continue
        for tex in tex_first:
            title = title.replace(FORMULA_MARK + tex + tex, tex).replace(FORMULA_MARK + tex, tex)
        item.Title = pikepdf.String(title.replace(FORMULA_MARK, ""))
        changed += 1
    return changed


def describe_document(pdf, *, title: str, lang: str | None) -> None:
    """Title (information dictionary and XMP dc:title, shown as the window title), language
    (/Lang and dc:language) and /MarkInfo of `pdf` (pikepdf). No PDF/UA identification: what
    Chromium writes is not checked against PDF/UA here (see README, "Handouts")."""
    import pikepdf

    pdf.docinfo["/Title"] = pikepdf.String(title)
    if lang:
        pdf.Root.Lang = pikepdf.String(lang)
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    preferences = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
    preferences.DisplayDocTitle = True
    pdf.Root.ViewerPreferences = preferences
    with pdf.open_metadata(set_pikepdf_as_editor=False) as metadata:
        metadata.load_from_docinfo(pdf.docinfo)
        metadata["dc:title"] = title
        if lang:
            metadata["dc:language"] = [lang]


def finish_tagged_pdf(path: Path, *, title: str | None = None) -> int:
    """Post-process a PDF Chromium printed tagged: formulas tagged, metadata written. The title
    is Chromium's (the page's `<title>`) unless given. Returns the number of formulas."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            raise UntaggedPdf(f"{path}: not a tagged PDF (no structure tree)")
        formulas = tag_formulas(pdf)
        clean_bookmarks(
            pdf, [str(e.Alt) for e in structure_elements(pdf) if pikepdf.Name.Formula == e.S]
        )
        mark_artifacts(pdf)
        title = title or str(pdf.docinfo.get("/Title", "")) or path.stem
        lang = str(pdf.Root.Lang) if "/Lang" in pdf.Root else None
        describe_document(pdf, title=title, lang=lang)
        pdf.save(path)
    return formulas
