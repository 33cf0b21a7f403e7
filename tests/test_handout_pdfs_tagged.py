"""Handout, slides and course PDFs are accessible documents: tagged, with language, title (shown
as the window title), XMP metadata, bookmarks from the headings, the images' alt text on their
figures, and every formula's TeX as text and as a /Formula's /Alt; course.pdf keeps all of it.

Printed by real headless Chromium from a small fixture course, then read back with pikepdf."""

from __future__ import annotations

import re

import pikepdf
import pytest
from conftest import ROOT
from coursebook.present.handouts import Handout, SlideDeck, make_handouts
from coursebook.present.pdf_merge import Part, merge_tagged, number_tree_items
from coursebook.present.pdf_tags import UntaggedPdf, structure_elements
from pypdf import PdfReader

FIRST = "lectures/01-weight-decay/"
SECOND = "lectures/02-dropout/"
LABELS = ["Lecture 1 · Weight decay", "Lecture 2 · Dropout"]
TITLE = "Fixture course · Handouts"
ALT = "Training loss falls from 2.3 to 0.1 over 300 epochs"

CONFIG = """\
site_name: Fixture course
theme:
  name: material
  font: false
plugins:
  - search
  - coursebook:
      timezone: Europe/Berlin
markdown_extensions:
  - admonition
  - attr_list
  - pymdownx.arithmatex:
      generic: true
extra_javascript:
  - assets/javascripts/mathjax-config.js
  - path: assets/vendor/mathjax/tex-svg-full.js
    async: true
"""

WEIGHT_DECAY = r"""---
title: Weight decay
lecture: 1
date: 2027-01-13
---

# Weight decay

A penalty on the weights; see [the summary](#summary).

## The penalty

Weight decay, \(\lambda \lVert w \rVert^2\), pulls the weights towards zero.

\[
L(w) = \frac{1}{n}\sum_i \ell(f_w(x_i), y_i) + \lambda \lVert w \rVert^2
\]

![Training loss falls from 2.3 to 0.1 over 300 epochs](../img/curve.png)

### In practice

Typical values of \(\lambda\) are small.

## Summary

Smaller weights.
"""

DROPOUT = r"""---
title: Dropout
lecture: 2
date: 2027-01-20
---

# Dropout

## Masks

Each unit is kept with probability \(1 - p\).

## Summary

Noise as a regularizer; back to [the masks](#masks).
"""


def png(width: int, height: int) -> bytes:
    """A small solid PNG, made here rather than shipped."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x30\x60\xa0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def printed(module_fixture_site, browser):
    """The fixture course built, then printed: both lectures, course.pdf, lecture 1's slides."""
    project = module_fixture_site()
    project.write("mkdocs.yml", CONFIG)
    project.write("docs/lectures/01-weight-decay.md", WEIGHT_DECAY)
    project.write("docs/lectures/02-dropout.md", DROPOUT)
    project.write("docs/img/curve.png", png(60, 30))
    for asset in ("vendor/mathjax/tex-svg-full.js", "javascripts/mathjax-config.js"):
        project.write(f"docs/assets/{asset}", (ROOT / "docs/assets" / asset).read_bytes())
    build = project.build()
    assert build.returncode == 0, build.log
    handouts = [
        Handout(LABELS[0], FIRST, "lecture-01.pdf"),
        Handout(LABELS[1], SECOND, "lecture-02.pdf"),
    ]
    decks = [SlideDeck(LABELS[0], "docs/lectures/01-weight-decay.md", FIRST + "slides/", "s.pdf")]
    make_handouts(
        build.site, handouts, decks=decks, browser=browser, log=lambda m: None, title=TITLE
    )
    return build


def open_pdf(build, name: str) -> pikepdf.Pdf:
    return pikepdf.open(build.site / "handouts" / name)


def page_tex(build, path: str, where: str = "article .arithmatex") -> list[str]:
    """The TeX of every formula on the built page, without its \\( \\) or \\[ \\]."""
    spans = build.html(path + "index.html").select(where)
    return [re.sub(r"^\\[(\[]|\\[)\]]$", "", span.get_text().strip()).strip() for span in spans]


def page_headings(build, path: str) -> list[str]:
    article = build.html(path + "index.html").select_one("article")
    for link in article.select("a.headerlink"):
        link.decompose()
    return [h.get_text().strip() for h in article.select("h1, h2, h3")]


def alts(pdf, kind: str) -> list[str]:
    return [str(e.Alt) for e in structure_elements(pdf) if kind == e.S and "/Alt" in e]


def bookmarks(items, depth: int = 0) -> list[tuple[int, str]]:
    found = []
    for item in items:
        found.append((depth, item.title))
        found += bookmarks(item.children, depth + 1)
    return found


def xmp(pdf) -> dict:
    with pdf.open_metadata() as metadata:
        return {key: metadata.get(key) for key in ("dc:title", "dc:language", "pdfuaid:part")}


def test_a_lecture_pdf_is_tagged_with_its_language_and_title(printed):
    page = printed.html(FIRST + "index.html")
    title, lang = page.title.get_text(), page.html["lang"]
    with open_pdf(printed, "lecture-01.pdf") as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.StructTreeRoot.K is not None
        assert str(pdf.Root.Lang) == lang == "en"
        assert str(pdf.docinfo.Title) == title == "Weight decay - Fixture course"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        # No PDF/UA claim: nothing here checks the file against PDF/UA.
        assert xmp(pdf) == {"dc:title": title, "dc:language": {lang}, "pdfuaid:part": None}


def test_bookmarks_are_the_headings_of_the_page(printed):
    with open_pdf(printed, "lecture-01.pdf") as pdf, pdf.open_outline() as outline:
        found = bookmarks(outline.root)
    assert [title for _, title in found] == page_headings(printed, FIRST)
    assert found[:3] == [(0, "Weight decay"), (1, "The penalty"), (2, "In practice")]


def test_a_figure_carries_the_alt_text_of_its_image(printed):
    [image] = printed.html(FIRST + "index.html").select("article img")
    assert image["alt"] == ALT
    with open_pdf(printed, "lecture-01.pdf") as pdf:
        assert alts(pdf, "/Figure") == [ALT]


def test_every_formula_is_a_formula_with_its_tex_as_alt_text(printed):
    tex = page_tex(printed, FIRST)
    assert tex[0] == r"\lambda \lVert w \rVert^2"
    assert len(tex) == 3
    with open_pdf(printed, "lecture-01.pdf") as pdf:
        assert alts(pdf, "/Formula") == tex
        # Only the formulas' marks became formulas, and none of the marks is left.
        assert "coursebook-formula" not in " ".join(alts(pdf, "/Figure"))


def test_a_formula_copies_as_its_tex_in_reading_order(printed):
    text = " ".join(
        page.extract_text() for page in PdfReader(printed.site / "handouts/lecture-01.pdf").pages
    )
    text = " ".join(text.split())
    assert r"Weight decay, \lambda \lVert w \rVert^2 , pulls the weights towards zero." in text
    assert r"L(w) = \frac{1}{n}\sum_i \ell(f_w(x_i), y_i)" in text


def test_the_slides_pdf_is_tagged_with_formulas_and_its_title(printed):
    deck = printed.html(FIRST + "slides/index.html")
    with open_pdf(printed, "s.pdf") as pdf:
        assert str(pdf.docinfo.Title) == deck.title.get_text()
        assert xmp(pdf)["dc:title"] == deck.title.get_text()
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        # Prose (and its inline math) is in the speaker notes, which this PDF leaves out.
        on_slides = page_tex(printed, FIRST + "slides/", ".slides .arithmatex:not(.notes *)")
        assert on_slides == [page_tex(printed, FIRST)[1]]
        assert alts(pdf, "/Formula") == on_slides
        assert alts(pdf, "/Figure") == [ALT]


PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh"}


def untagged_drawing(pdf) -> list[tuple[int, str]]:
    """(page, operator) of every drawing operator outside marked content."""
    found = []
    for number, page in enumerate(pdf.pages):
        depth = 0
        for _, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            depth += name in ("BDC", "BMC")
            depth -= name == "EMC"
            if depth == 0 and (name in PAINTING or name == "INLINE IMAGE"):
                found.append((number, name))
    return found


@pytest.mark.parametrize("name", ["lecture-01.pdf", "s.pdf", "course.pdf"])
def test_nothing_is_drawn_outside_tags_or_artifacts(printed, name):
    """Chromium draws the page footer, borders and the formulas' paths untagged: artifacts."""
    with open_pdf(printed, name) as pdf:
        assert untagged_drawing(pdf) == []
        footers = [
            operands
            for page in pdf.pages[:1]
            for operands, operator in pikepdf.parse_content_stream(page)
            if str(operator) == "BMC"
        ]
        assert [pikepdf.Name.Artifact] in footers


def test_chromiums_content_streams_are_read_by_the_fast_path_as_pikepdf_reads_them(printed):
    """The artifact pass tokenizes Skia's streams itself; a Chromium that writes them otherwise
    would only be slower (pikepdf's parser), but this says so."""
    from coursebook.present.pdf_artifacts import _skia_instructions

    for name in ("lecture-01.pdf", "s.pdf"):
        with open_pdf(printed, name) as pdf:
            for page in pdf.pages:
                fast = _skia_instructions(page.obj.Contents.read_bytes())
                assert fast is not None, name
                assert [operator for operator, _ in fast] == [
                    str(operator) for _, operator in pikepdf.parse_content_stream(page)
                ]


def test_course_pdf_keeps_every_lectures_structure(printed):
    with open_pdf(printed, "course.pdf") as course:
        assert course.Root.MarkInfo.Marked is True
        assert str(course.Root.Lang) == "en"
        assert str(course.docinfo.Title) == TITLE
        assert course.Root.ViewerPreferences.DisplayDocTitle is True
        assert xmp(course)["dc:title"] == TITLE
        [document] = course.Root.StructTreeRoot.K
        assert document.S == "/Document"
        assert [(str(part.S), str(part.T)) for part in document.K] == [
            ("/Part", label) for label in LABELS
        ]
        assert alts(course, "/Formula") == page_tex(printed, FIRST) + page_tex(printed, SECOND)
        assert alts(course, "/Figure") == [ALT]
        pages = {page.objgen for page in course.pages}
        assert all(e.Pg.objgen in pages for e in structure_elements(course) if "/Pg" in e)


def test_course_pdf_has_one_parent_tree_for_all_its_pages(printed):
    """Every page's marked content finds its structure element: the parts' keys were moved."""
    with open_pdf(printed, "course.pdf") as course:
        tree = course.Root.StructTreeRoot
        entries = number_tree_items(tree.ParentTree)
        keys = [key for key, _ in entries]
        assert len(keys) == len(set(keys))
        assert int(tree.ParentTreeNextKey) > max(keys)
        by_key = dict(entries)
        for page in course.pages:
            parents = by_key[int(page.obj.StructParents)]
            mcids = [
                int(operands[1].MCID)
                for operands, operator in pikepdf.parse_content_stream(page)
                if operator == pikepdf.Operator("BDC") and "/MCID" in operands[1]
            ]
            assert mcids, "a page with no tagged content"
            for mcid in mcids:
                assert parents[mcid].Pg.objgen == page.objgen
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    assert by_key[int(annotation.StructParent)] is not None


def test_course_pdf_has_a_bookmark_per_lecture_over_its_own(printed):
    with open_pdf(printed, "course.pdf") as course, course.open_outline() as outline:
        assert [item.title for item in outline.root] == LABELS
        for item, path in zip(outline.root, (FIRST, SECOND), strict=True):
            assert [title for _, title in bookmarks(item.children)] == page_headings(printed, path)


def test_course_pdf_links_stay_inside_their_lecture(printed):
    """Both lectures have a #summary: each link still goes to its own lecture's."""
    with open_pdf(printed, "course.pdf") as course:
        dests = course.Root.Dests
        first_pages = len(PdfReader(printed.site / "handouts/lecture-01.pdf").pages)
        targets = []
        for number, page in enumerate(course.pages):
            for annotation in page.obj.get("/Annots", []):
                if "/Dest" in annotation and not isinstance(annotation.Dest, pikepdf.Array):
                    name = str(annotation.Dest).lstrip("/")
                    target = course.pages.index(pikepdf.Page(dests["/" + name][0]))
                    targets.append((number < first_pages, name, target < first_pages))
        assert "/part1-summary" in dests
        assert "/part2-summary" in dests
        assert sorted(targets) == [(False, "part2-masks", False), (True, "part1-summary", True)]


def test_merging_an_untagged_pdf_names_it(tmp_path):
    from pypdf import PdfWriter

    untagged = tmp_path / "plain.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(untagged)
    with pytest.raises(UntaggedPdf) as raised:
        merge_tagged([Part("Plain", untagged)], tmp_path / "out.pdf", title="x")
    assert str(raised.value) == f"{untagged}: not a tagged PDF (no structure tree)"
    assert not (tmp_path / "out.pdf").exists()


def test_number_tree_items_reads_nested_kids():
    tree = pikepdf.Dictionary(
        Kids=[
            pikepdf.Dictionary(Nums=[0, pikepdf.Name.A, 1, pikepdf.Name.B]),
            pikepdf.Dictionary(Kids=[pikepdf.Dictionary(Nums=[5, pikepdf.Name.C])]),
        ]
    )
    assert [(key, str(value)) for key, value in number_tree_items(tree)] == [
        (0, "/A"),
        (1, "/B"),
        (5, "/C"),
    ]


def one_page_pdf(content: bytes) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.pages[0].obj.Contents = pdf.make_stream(content)
    return pdf


def operators(pdf) -> list[str]:
    return [str(operator) for _, operator in pikepdf.parse_content_stream(pdf.pages[0])]


CONTENT = (
    b"q\n0 0 10 10 re\nW n\n"  # a clip: paints nothing
    b"0 0 5 5 re\nf\n"  # an untagged box
    b"/P <</MCID 0>>BDC\nBT\n/F1 12 Tf\n<0001> Tj\nET\n1 1 m\n2 2 l\nS\nEMC\n"
    b"BT\n/F1 8 Tf\n<0002> Tj\nET\nQ\n"  # an untagged footer
)


@pytest.mark.parametrize("literal", [False, True], ids=["as-skia-writes", "parsed-by-pikepdf"])
def test_drawing_outside_tags_becomes_artifacts(literal):
    from coursebook.present.pdf_artifacts import mark_artifacts

    # A literal string is not read by the fast path: pikepdf parses that stream instead.
    content = CONTENT.replace(b"<0002>", b"(footer)") if literal else CONTENT
    pdf = one_page_pdf(content)
    assert mark_artifacts(pdf) == 2
    assert operators(pdf) == [
        *["q", "re", "W", "n"],
        *["BMC", "re", "f", "EMC"],
        *["BDC", "BT", "Tf", "Tj", "ET", "m", "l", "S", "EMC"],
        *["BT", "Tf", "BMC", "Tj", "EMC", "ET", "Q"],
    ]
    assert untagged_drawing(pdf) == []
    assert mark_artifacts(pdf) == 0  # a second pass finds nothing left
