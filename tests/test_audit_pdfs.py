"""The audit checks the site's PDFs by their structure (audit/pdfs.py): an untagged merge, a
PDF without language or title, a figure without alt text, a long PDF without bookmarks fail it
with the fix named; a handout coursebook printed from a page whose images have alt text
passes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from coursebook.audit.findings import Findings
from coursebook.audit.pdfs import audit_pdfs, pdf_violations
from coursebook.present.handouts import Handout, make_handouts
from pypdf import PdfWriter

from tests.test_audit import PIXEL
from tests.test_handouts_fast import quiet, static_site


def plain_merge(path: Path, pages: int) -> Path:
    """What a plain pypdf merge writes: pages, and none of the structure, language or title."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as out:
        writer.write(out)
    return path


def rules(violations: list[dict]) -> dict[str, int]:
    return {violation["rule"]: len(violation["nodes"]) for violation in violations}


def test_an_untagged_merge_lacks_tags_language_title_and_bookmarks(tmp_path):
    found = rules(pdf_violations(plain_merge(tmp_path / "course.pdf", pages=4)))
    assert found == {
        "coursebook-pdf-tagged": 1,
        "coursebook-pdf-language": 1,
        "coursebook-pdf-title": 1,
        "coursebook-pdf-bookmarks": 1,
    }


def test_a_short_pdf_needs_no_bookmarks(tmp_path):
    found = rules(pdf_violations(plain_merge(tmp_path / "note.pdf", pages=2)))
    assert "coursebook-pdf-bookmarks" not in found


PAGE = (
    '<html lang="en"><head><title>{title}</title></head><body><main><h1>{title}</h1>'
    "<h2>Part one</h2><p>Text.</p>{image}<h2>Part two</h2><p>More text.</p></main></body>"
)


def test_a_printed_handout_passes_and_a_figure_without_alt_is_named(tmp_path, browser):
    site = static_site(tmp_path / "site", {})
    (site / "pixel.png").write_bytes(PIXEL)
    for path, image in {
        "described/": '<img src="../pixel.png" alt="A grey pixel" width="200" height="200">',
        "undescribed/": '<img src="../pixel.png" width="200" height="200">',
    }.items():
        (site / path).mkdir()
        title = path.strip("/").capitalize()
        (site / path / "index.html").write_text(PAGE.format(title=title, image=image))
    handouts = [Handout("Described", "described/", "a.pdf"), Handout("Un", "undescribed/", "b.pdf")]
    make_handouts(site, handouts, browser=browser, log=quiet)
    assert pdf_violations(site / "handouts/a.pdf") == []
    assert rules(pdf_violations(site / "handouts/b.pdf")) == {"coursebook-pdf-figure-alt": 1}
    # course.pdf joins both with their structure: the one figure without alt text is in it too.
    findings = Findings()
    assert audit_pdfs(site, findings) == 3
    assert {(f.rule, page) for f in findings.sorted() for page in f.seen} == {
        ("coursebook-pdf-figure-alt", "/handouts/b.pdf"),
        ("coursebook-pdf-figure-alt", "/handouts/course.pdf"),
    }


def test_the_audit_command_fails_on_an_untagged_merge_naming_file_and_fix(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: PDFs\n")
    site = static_site(tmp_path / "site", {})
    (site / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>Home</title></head>'
        "<body><main><h1>Home</h1><p>The handouts.</p></main></body></html>"
    )
    (site / "handouts").mkdir()
    plain_merge(site / "handouts/course.pdf", pages=4)
    done = subprocess.run(
        [sys.executable, "-m", "coursebook", "audit", "--report", "report"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads((tmp_path / "report/report.json").read_text())
    failed = {finding["rule"]: finding for finding in report["findings"] if finding["pages"]}
    assert set(failed) == {
        "coursebook-pdf-tagged",
        "coursebook-pdf-language",
        "coursebook-pdf-title",
        "coursebook-pdf-bookmarks",
    }
    assert failed["coursebook-pdf-tagged"]["pages"] == {"/handouts/course.pdf": ["pdf"]}
    assert "python -m coursebook handouts" in failed["coursebook-pdf-tagged"]["help"]
    assert "coursebook-pdf-tagged" in done.stdout
