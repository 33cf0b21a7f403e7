"""An adversarial review of `python -m coursebook audit` (issue 24): pages the audit might
miss (outside the nav, in subfolders with use_directory_urls false, odd file names, the 404
page, slides-only content and fragments), findings seen only in the dark scheme or only on a
phone, a plain mkdocs-material site audited with no network, the baseline's semantics, and the
grouping of findings into causes."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import FixtureSite
from coursebook.audit.baseline import BaselineError, compare, read_baseline, write_baseline
from coursebook.audit.findings import Findings, View
from coursebook.audit.report import RecordError, read_record
from coursebook.pages.statement import contact_of, render_statement
from coursebook.pages.templating import make_environment
from test_audit import PIXEL

ODD_CONFIG = """\
site_name: Odd course
use_directory_urls: false
theme:
  name: material
  font: false
  custom_dir: overrides
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
plugins:
  - search
  - coursebook:
      timezone: UTC
markdown_extensions:
  - attr_list
  - md_in_html
extra_css:
  - extra.css
nav:
  - Home: index.md
  - Notes: notes.md
  - Lectures:
      - lectures/01-hidden.md
"""
# mkdocs-material's footer text is 4.47:1 on its footer; coursebook.css mends it, so a site
# built without coursebook needs the rule itself (the plain site below).
COURSE_CSS = ".md-copyright { color: var(--md-footer-fg-color--light); }\n"
# Text readable in the light scheme, not in the dark one; and readable on a desktop, not on a
# phone.
ODD_CSS = (
    COURSE_CSS
    + """
[data-md-color-scheme="slate"] .cb-dark { color: #3a3a3a; }
@media (max-width: 500px) { .cb-phone { color: #c8c8c8; } }
"""
)
LECTURE = """\
---
title: Hidden things
lecture: 1
date: 2027-01-20
---

# Hidden things

## Only in the deck

<div class="slides-only" markdown>
<img src="../figure.png" class="cb-slides-only">
</div>

## Step by step

<div class="slides-only" markdown>
- First point
- Second point

<button class="cb-frag fragment"></button>
</div>
"""
# Pages outside the nav, in a subfolder, and with a space, a non-ASCII letter, a `#` and a `?`
# in their file names: each holds an image without alt text.
ODD_PAGES = {
    "outside.md": "cb-outside",
    "sub/deep/page.md": "cb-deep",
    "space name.md": "cb-odd",
    "café.md": "cb-odd",
    "h#sh.md": "cb-odd",
    "q?.md": "cb-odd",
}
NOT_FOUND = """\
{% extends "main.html" %}
{% block content %}<h1>Not here</h1><img src="figure.png" class="cb-404">{% endblock %}
"""


def run_audit(project: Path, *args: str, env: dict | None = None, prefix: tuple = ()):
    return subprocess.run(
        [*prefix, sys.executable, "-m", "coursebook", "audit", *args],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    """The odd course, built and audited once: (the run, report.json)."""
    site = FixtureSite(tmp_path_factory.mktemp("odd"))
    site.write("mkdocs.yml", ODD_CONFIG)
    site.write("overrides/404.html", NOT_FOUND)
    site.write("docs/figure.png", PIXEL)
    site.write("docs/extra.css", ODD_CSS)
    site.write("docs/index.md", "# Odd course\n\nNothing wrong here.\n")
    site.write(
        "docs/notes.md",
        '# Notes\n\n<p class="cb-dark">Dark only.</p>\n\n<p class="cb-phone">Phone only.</p>\n',
    )
    for name, mark in ODD_PAGES.items():
        up = "../" * name.count("/")
        site.write(f"docs/{name}", f'# Page\n\n<img src="{up}figure.png" class="{mark}">\n')
    site.write("docs/lectures/01-hidden.md", LECTURE)
    done = site.build(strict=False)
    assert done.returncode == 0, done.log
    audited = run_audit(site.root, "--report", "audit-report")
    report_file = site.root / "audit-report" / "report.json"
    assert report_file.exists(), audited.stdout + audited.stderr
    return audited, json.loads(report_file.read_text())


def finding(report: dict, rule: str, cause: str) -> dict:
    found = [f for f in report["findings"] if f["rule"] == rule and f["cause"].startswith(cause)]
    assert len(found) == 1, [(f["rule"], f["cause"]) for f in report["findings"]]
    return found[0]


def test_pages_outside_the_nav_in_subfolders_and_the_404_page_are_audited(odd):
    _, report = odd
    assert set(finding(report, "image-alt", '<img src class="cb-outside">')["pages"]) == {
        "/outside.html"
    }
    assert set(finding(report, "image-alt", '<img src class="cb-deep">')["pages"]) == {
        "/sub/deep/page.html"
    }
    assert set(finding(report, "image-alt", '<img src class="cb-N">')["pages"]) == {"/404.html"}


def test_pages_with_a_space_non_ascii_hash_or_question_mark_in_their_name_are_audited(odd):
    """Was: the page's file name went into the URL unquoted, so `h#sh.html` loaded `/h` (a
    404) and stopped the whole audit."""
    audited, report = odd
    assert "cannot load the page" not in audited.stderr
    assert set(finding(report, "image-alt", '<img src class="cb-odd">')["pages"]) == {
        "/space name.html",
        "/café.html",
        "/h#sh.html",
        "/q?.html",
    }


def test_slides_only_content_is_audited_on_its_slide(odd):
    _, report = odd
    pages = finding(report, "image-alt", '<img src class="cb-slides-only">')["pages"]
    assert list(pages) == ["/lectures/01-hidden/slides/#/1"]


def test_a_fragment_not_yet_shown_is_audited_on_its_slide(odd):
    """Was: reveal.js hides a fragment (visibility: hidden) until it is stepped to, and axe
    skips hidden elements, so an unnamed button in a fragment was never seen."""
    _, report = odd
    # Shown, it carries reveal.js's `visible` (on every slide, so the cause stays the same).
    cause = '<button class="cb-frag fragment visible" data-fragment-index>'
    assert finding(report, "button-name", cause)["pages"] == {
        "/lectures/01-hidden/slides/#/2": ["1280 light", "1280 dark", "390 light", "390 dark"]
    }


def test_a_contrast_failure_of_the_dark_scheme_only_is_found_in_the_dark_only(odd):
    _, report = odd
    views = finding(report, "color-contrast", '<p class="cb-dark"')["pages"]
    assert views == {"/notes.html": ["1280 dark", "390 dark"]}


def test_a_contrast_failure_on_phones_only_is_found_at_390_px_only(odd):
    _, report = odd
    views = finding(report, "color-contrast", '<p class="cb-phone"')["pages"]
    # (In the dark scheme its light grey is readable.)
    assert views == {"/notes.html": ["390 light"]}


# --- A plain mkdocs-material site, no network, no Chromium ---------------------------------

# An HTML file of the course's own (a plot to embed), clean, with no background of its own.
EMBED = (
    '<!doctype html><html lang="en"><head><title>Plot</title></head>'
    "<body><main><p>A plot.</p></main></body></html>"
)


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """A site built without coursebook (and with mkdocs-material's web fonts on, which it
    loads from the network), clean: the course stylesheet mends the contrast of the footer
    (mkdocs-material's own, #7f7f7f on #171717, is 4.47:1)."""
    site = FixtureSite(tmp_path_factory.mktemp("plain"))
    site.write("mkdocs.yml", "site_name: Plain\ntheme:\n  name: material\nextra_css: [extra.css]\n")
    site.write("docs/extra.css", COURSE_CSS)
    site.write("docs/embed/plot.html", EMBED)
    site.write("docs/index.md", "# Plain\n\nJust text.\n")
    done = site.build()
    assert done.returncode == 0, done.log
    return site


def test_without_chromium_the_audit_says_how_to_get_one(plain):
    missing = plain.root / "no-chromium"
    done = run_audit(plain.root, env={"COURSEBOOK_CHROMIUM": str(missing)})
    assert done.returncode == 1
    assert done.stderr.startswith(f"audit: cannot start Chromium at {missing}: "), done.stderr
    assert "`.venv/bin/python -m coursebook browser` finds or installs one" in done.stderr


def test_a_usage_error_exits_2(plain):
    done = run_audit(plain.root, "--no-such-option")
    assert done.returncode == 2
    assert "unrecognized arguments: --no-such-option" in done.stderr
    # Was 1, as for a finding: a --baseline that names no file is a wrong argument too.
    done = run_audit(plain.root, "--baseline", "typo.json")
    assert done.returncode == 2
    assert done.stderr == "audit: --baseline typo.json: no such file\n"


def test_a_plain_site_is_audited_offline_and_an_empty_update_removes_the_baseline(plain):
    """No network at all (a network namespace with only loopback): the audit still runs, with
    the vendored axe-core, and prints its version. With no findings, --update-baseline removes
    a baseline that is no longer needed."""
    baseline = plain.root / "accessibility-baseline.json"
    baseline.write_text(
        json.dumps({"findings": [{"rule": "image-alt", "cause": "<img src>", "pages": ["/"]}]})
    )
    offline = ("unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$@"', "offline")
    done = run_audit(plain.root, "--update-baseline", "--report", "r", prefix=offline)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "axe-core 4.14.1 (vendored)" in done.stdout
    assert "No findings." in done.stdout
    assert f"baseline: no findings, {baseline} removed" in done.stdout
    assert not baseline.exists()
    report = json.loads((plain.root / "r" / "report.json").read_text())
    assert report["axe_core"] == "4.14.1"
    assert report["pages"] == 3  # index.html, 404.html and the embedded page
    # The site has no dark palette: every page stays light, also the one whose body has no
    # background of its own (it was taken as black, rgba(0, 0, 0, 0), so as dark).
    assert report["notes"] == [
        "3 page(s) stay light in the dark scheme (no dark palette?): /, /404.html, /embed/plot.html"
    ]


# --- Grouping and the baseline (no browser) -------------------------------------------------


def violation(rule: str, *htmls: str) -> dict:
    return {
        "rule": rule,
        "impact": "critical",
        "help": "",
        "helpUrl": "",
        "nodes": [{"html": h, "target": "x", "colours": None, "slide": None} for h in htmls],
    }


DESKTOP = View(1280, "light")


def test_one_cause_on_thirty_pages_is_one_finding_and_two_causes_are_two():
    findings = Findings()
    for number in range(30):
        image = violation("image-alt", f'<img src="p{number}.png">')
        findings.add([image], f"/p{number}/", DESKTOP)
    findings.add([violation("image-alt", '<img class="hero" src="h.png">')], "/p0/", DESKTOP)
    assert sorted(findings.by_key) == [
        ("image-alt", '<img class="hero" src>'),
        ("image-alt", "<img src>"),
    ]
    assert len(findings.by_key["image-alt", "<img src>"].seen) == 30


def baseline_of(tmp_path: Path, findings: Findings) -> set:
    write_baseline(tmp_path / "baseline.json", findings)
    return read_baseline(tmp_path / "baseline.json")


def test_a_baselined_cause_on_another_page_is_new_and_a_renamed_page_moves_it(tmp_path):
    before = Findings()
    before.add([violation("image-alt", '<img src="a.png">')], "/a/", DESKTOP)
    known = baseline_of(tmp_path, before)
    after = Findings()
    after.add([violation("image-alt", '<img src="a.png">')], "/a/", DESKTOP)
    after.add([violation("image-alt", '<img src="b.png">')], "/b/", DESKTOP)
    assert compare(after, known).new == [("image-alt", "<img src>", "/b/")]
    renamed = Findings()
    renamed.add([violation("image-alt", '<img src="a.png">')], "/a-renamed/", DESKTOP)
    comparison = compare(renamed, known)
    assert comparison.new == [("image-alt", "<img src>", "/a-renamed/")]
    assert comparison.fixed == [("image-alt", "<img src>", "/a/")]


def test_an_empty_baseline_is_read_and_an_empty_file_is_named(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text('{"findings": []}')
    assert read_baseline(empty) == {}
    blank = tmp_path / "blank.json"
    blank.write_text("")
    with pytest.raises(BaselineError, match=r"blank\.json: line 1: not JSON \(Expecting value\)"):
        read_baseline(blank)


def test_a_second_element_of_a_baselined_cause_on_the_same_page_is_new(tmp_path):
    """Was: the baseline knew a cause per page, not how many elements, so a second, unrelated
    unnamed <button> added to a page whose first one was baselined had the same cause and was
    tolerated: the new defect passed the audit unseen."""
    before = Findings()
    before.add([violation("button-name", '<button id="menu"></button>')], "/a/", DESKTOP)
    known = baseline_of(tmp_path, before)
    after = Findings()
    after.add(
        [violation("button-name", '<button id="menu"></button>', '<button id="quiz"></button>')],
        "/a/",
        DESKTOP,
    )
    assert compare(after, known).new == [("button-name", "<button id>", "/a/")]
    # Seen again in another view (or on the same page's first slide run): still one element.
    again = Findings()
    again.add([violation("button-name", '<button id="menu"></button>')], "/a/", DESKTOP)
    again.add([violation("button-name", '<button id="menu"></button>')], "/a/", View(390, "dark"))
    assert compare(again, known).known == [("button-name", "<button id>", "/a/")]
    # A baseline written before elements were counted tolerates any number.
    legacy = tmp_path / "legacy.json"
    legacy.write_text(
        json.dumps(
            {"findings": [{"rule": "button-name", "cause": "<button id>", "pages": ["/a/"]}]}
        )
    )
    assert compare(after, read_baseline(legacy)).new == []
    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps(
            {
                "findings": [
                    {"rule": "r", "cause": "c", "pages": ["/a/"], "elements": {"/a/": "two"}}
                ]
            }
        )
    )
    with pytest.raises(BaselineError) as raised:
        read_baseline(broken)
    assert str(raised.value) == (
        f"{broken}: findings[0].elements: expected failing elements by page, like "
        '{"/lectures/": 2}'
    )


# --- The record the statement reads ---------------------------------------------------------


def test_a_record_dated_in_the_future_is_refused(tmp_path):
    """Was: a record dated 2099 was shown on the statement as the date of the last audit."""
    record = tmp_path / "accessibility-report.json"
    fields = {
        "result": "passed",
        "axe_core": "4.14.1",
        "pages": 1,
        "decks": 0,
        "slides": 0,
        "findings": 0,
        "new": 0,
        "known": 0,
        "widths": [1280, 390],
        "schemes": ["light", "dark"],
    }
    today = dt.datetime.now(dt.timezone.utc).date()
    record.write_text(json.dumps({"date": today.isoformat(), **fields}))
    assert read_record(record).date == today
    record.write_text(json.dumps({"date": "2099-01-01", **fields}))
    with pytest.raises(RecordError) as raised:
        read_record(record)
    assert str(raised.value) == (
        f"{record}: date: 2099-01-01 is in the future: not the date of an audit"
    )


# --- The statement's contact ----------------------------------------------------------------


def test_a_contact_with_blank_lines_cannot_break_out_into_markdown():
    """A blank line ends a raw HTML block in some Markdown readers; the contact (from YAML, so
    it may hold one) must still not become a link or markup."""
    contact = contact_of("Room 1\n\n[report](javascript:alert(1))\n\n<b>bold</b>", None)
    page = render_statement(make_environment(None), None, contact, "Course")
    html = markdown.markdown(page, extensions=["attr_list", "md_in_html"])
    paragraph = BeautifulSoup(html, "html.parser").select_one(".cb-statement__contact")
    assert paragraph.find("a") is None
    assert paragraph.find("b") is None
    assert "[report](javascript:alert(1))" in paragraph.get_text()
