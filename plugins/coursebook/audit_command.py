"""`python -m coursebook audit`: serve the built site, run the audit (audit/) in headless
Chromium, print its findings, write the reports and the record, and compare with the course's
baseline. Exit 1 on a finding the baseline does not list."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from .audit.axe import axe_version
from .audit.baseline import BASELINE_FILE, BaselineError, compare, read_baseline, write_baseline
from .audit.pdfs import PdfCheckUnavailable, audit_pdfs
from .audit.report import (
    RECORD_FILE,
    make_record,
    report_data,
    summary,
    write_record,
    write_reports,
)
from .audit.run import SCHEMES, WIDTHS, AuditError, audit_site, site_pages
from .present.browser import BrowserUnavailable, launch_chromium, serve_folder
from .settings import read_settings


@contextlib.contextmanager
def serve_site(site: Path, site_url: str) -> Iterator[str]:
    """Serve the site at the path it is published under (`/coursebook/` of site_url): the 404
    page, shown at any address, links its stylesheets and scripts from that path, and served
    at the root it would be audited unstyled (its hidden toggles found unlabelled)."""
    prefix = urlsplit(site_url).path.strip("/")
    if not prefix:
        with serve_folder(site) as base:
            yield base
        return
    with tempfile.TemporaryDirectory(prefix="coursebook-audit-") as folder:
        mount = Path(folder, *prefix.split("/"))
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(site.resolve(), target_is_directory=True)
        with serve_folder(Path(folder)) as base:
            yield base + prefix + "/"


def audit(
    config_file: Path,
    *,
    site: Path | None = None,
    baseline: Path | None = None,
    report: Path | None = None,
    update_baseline: bool = False,
) -> int:
    settings = read_settings(config_file)
    site = site or settings.site_dir
    if not (site / "index.html").is_file():
        print(
            f"audit: no built site in {site} (no index.html): build it first "
            "(`mkdocs build --strict`, or `make audit`, which does)",
            file=sys.stderr,
        )
        return 1
    explicit = baseline is not None
    baseline = baseline or settings.root / BASELINE_FILE
    known: dict = {}
    if baseline.exists():
        try:
            known = read_baseline(baseline)
        except BaselineError as error:
            print(f"audit: {error}", file=sys.stderr)
            return 1
    elif explicit and not update_baseline:
        # A wrong argument, like a missing mkdocs.yml: exit 2, as argparse's usage errors.
        print(f"audit: --baseline {baseline}: no such file", file=sys.stderr)
        return 2
    pages = site_pages(site)
    print(
        f"axe-core {axe_version()} (vendored), WCAG 2.0/2.1 A and AA: {len(pages)} page(s) of "
        f"{site}, widths {', '.join(map(str, WIDTHS))} px, {' and '.join(SCHEMES)} schemes"
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print(
            "audit: needs Playwright (and a Chromium): pip install 'coursebook[handouts]', "
            "then `python -m coursebook browser`",
            file=sys.stderr,
        )
        return 1
    try:
        with sync_playwright() as playwright, serve_site(site, settings.site_url) as base:
            browser = launch_chromium(playwright)
            try:
                run = audit_site(browser, base, pages, log=lambda line: print(line, flush=True))
            finally:
                browser.close()
        checked = audit_pdfs(site, run.findings)
        if checked:
            run.notes.append(f"{checked} PDF(s) checked by their structure (audit/pdfs.py)")
    except (AuditError, BrowserUnavailable, PdfCheckUnavailable) as error:
        print(f"audit: {error}", file=sys.stderr)
        return 1
    comparison = compare(run.findings, known)
    record = make_record(run, comparison, dt.datetime.now(dt.timezone.utc).date())
    text = summary(run, comparison, record)
    print(text)
    folder = report or settings.root / settings.cache_dir / "audit"
    write_reports(folder, report_data(run, comparison, record), text)
    print(f"report: {folder / 'report.md'} and {folder / 'report.json'}")
    write_record(settings.root / RECORD_FILE, record)
    if update_baseline:
        if run.findings.by_key:
            write_baseline(baseline, run.findings)
            print(f"baseline: {baseline} rewritten with {len(run.findings.by_key)} finding(s)")
        elif baseline.exists():
            baseline.unlink()
            print(f"baseline: no findings, {baseline} removed")
        return 0
    if comparison.new:
        print(
            f"audit failed: {len(comparison.new)} finding(s) not in the baseline "
            f"({baseline.name}); fix them (see the rule's link), or, to tolerate them for now, "
            "`python -m coursebook audit --update-baseline`",
            file=sys.stderr,
        )
        return 1
    return 0
