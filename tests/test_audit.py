"""`python -m coursebook audit`: axe-core over every page and slide of a built fixture course
with known defects (an image without alt, a low-contrast custom colour, an unnamed button),
the course's baseline, a clean course, and the template course itself; and the accessibility
statement page the build generates from the audit's record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, FixtureSite
from coursebook.audit.findings import cause_of

CONFIG = """\
site_name: Audit course
repo_url: https://github.com/example/audit-course
theme:
  name: material
  font: false
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/weather-night, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/weather-sunny, name: Switch to light mode}
plugins:
  - search
  - coursebook
markdown_extensions:
  - attr_list
  - md_in_html
extra_css:
  - extra.css
"""
LECTURE = """\
---
title: Tools
lecture: 1
date: 2027-01-20
---

# Tools

## The toolbox

<div markdown>
Press the button below.

<button class="cb-tool"></button>
</div>
"""
NO_DECKS = "  - coursebook:\n      slides:\n        enabled: false\n"
# One pixel, a real PNG.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def make_course(root: Path, *, defects: bool) -> FixtureSite:
    """A course with an image without alt text (index), a low-contrast colour of its own
    (notes) and an unnamed button (a lecture, so on a slide too); or, not `defects`, the same
    course fixed, and without decks (reveal.js's speaker view has an unnamed <select>)."""
    site = FixtureSite(root)
    site.write("mkdocs.yml", CONFIG if defects else CONFIG.replace("  - coursebook\n", NO_DECKS))
    site.write("docs/figure.png", PIXEL)
    # The course's own colour; coursebook.css does the rest of AA on material's defaults.
    site.write("docs/extra.css", ".faint { color: #c0c0c0; }\n")
    # Raw HTML: Markdown's `![](figure.png)` writes alt="", which says "decorative".
    image = '<img src="figure.png">' if defects else "![A single grey pixel](figure.png)"
    site.write("docs/index.md", f"# Audit course\n\nA figure:\n\n{image}\n")
    faint = '<p class="faint">Hard to read.</p>' if defects else "<p>Easy to read.</p>"
    site.write("docs/notes.md", f"# Notes\n\n{faint}\n")
    lecture = LECTURE if defects else LECTURE.replace("></button>", ">Run</button>")
    site.write("docs/lectures/01-tools.md", lecture)
    return site


def run_audit(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "coursebook", "audit", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def build(site: FixtureSite) -> None:
    # Not strict: an image without alt text may be a build problem of its own (the alt-text
    # checks); the audit must find it in what is published either way.
    done = site.build(strict=False)
    assert done.returncode == 0, done.log


@pytest.fixture(scope="module")
def defective(tmp_path_factory):
    """The defective course, built and audited once: (site, the run, report.json)."""
    site = make_course(tmp_path_factory.mktemp("defective"), defects=True)
    build(site)
    done = run_audit(site.root, "--report", "audit-report")
    report = json.loads((site.root / "audit-report" / "report.json").read_text())
    return site, done, report


def pages_of(report: dict, rule: str, cause: str) -> set[str]:
    """Where the finding of `rule` whose cause starts with `cause` was seen."""
    found = [f for f in report["findings"] if f["rule"] == rule and f["cause"].startswith(cause)]
    assert len(found) == 1, [(f["rule"], f["cause"]) for f in report["findings"]]
    return set(found[0]["pages"])


def test_the_audit_fails_naming_each_defect_and_its_pages(defective):
    _, done, report = defective
    assert done.returncode == 1, done.stdout + done.stderr
    assert "axe-core 4.14.1 (vendored)" in done.stdout
    assert pages_of(report, "image-alt", "<img src>") == {"/"}
    assert pages_of(report, "color-contrast", '<p class="faint">') == {"/notes/"}
    # The button is on the lecture page and on its slide (the deck's second slide).
    assert pages_of(report, "button-name", '<button class="cb-tool">') == {
        "/lectures/01-tools/",
        "/lectures/01-tools/slides/#/1",
    }
    assert "audit failed: " in done.stderr
    for rule in ("image-alt", "color-contrast", "button-name"):
        assert f"## {rule} (" in done.stdout


def test_findings_say_where_and_how_each_view_saw_them(defective):
    _, _, report = defective
    contrast = next(f for f in report["findings"] if f["cause"].startswith('<p class="faint">'))
    # Seen at both widths in both schemes (the dark palette really is active: #c0c0c0 is
    # readable on slate, so there it is another colour pair, or none).
    assert set(contrast["pages"]["/notes/"]) >= {"1280 light", "390 light"}
    assert contrast["cause"].startswith('<p class="faint"> #c0c0c0 on #ffffff')
    assert report["pages"] >= 5
    assert report["decks"] == 1
    assert report["slides"] == 2
    assert report["speaker_views"] == 1
    assert report["widths"] == [1280, 390]
    assert report["schemes"] == ["light", "dark"]
    assert report["result"] == "failed"


def test_the_dark_scheme_is_really_drawn(defective):
    _, _, report = defective
    # A course with a dark palette: no page stays light (run.py reads the drawn background).
    assert not any("stay light" in note for note in report["notes"]), report["notes"]


def test_the_record_for_the_statement_is_written_beside_mkdocs_yml(defective):
    site, _, report = defective
    record = json.loads((site.root / "accessibility-report.json").read_text())
    assert record["result"] == "failed"
    assert record["axe_core"] == "4.14.1"
    assert record["new"] == len(report["new"]) > 0
    assert "findings" not in record or isinstance(record["findings"], int)


def test_a_baseline_tolerates_known_findings_and_reports_fixed_ones(defective, tmp_path):
    site, _, _ = defective
    project = tmp_path / "project"
    import shutil

    shutil.copytree(site.root, project)
    course = FixtureSite(project)
    updated = run_audit(project, "--update-baseline")
    assert updated.returncode == 0, updated.stderr
    baseline = json.loads((project / "accessibility-baseline.json").read_text())
    assert {f["rule"] for f in baseline["findings"]} >= {
        "image-alt",
        "color-contrast",
        "button-name",
    }
    # The image gets its alt text; the rest stays as the baseline knows it.
    course.write("docs/index.md", "# Audit course\n\n![A single grey pixel](figure.png)\n")
    build(course)
    done = run_audit(project, "--report", "audit-report")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# Accessibility audit: passed with known findings" in done.stdout
    fixed = done.stdout.split("## Fixed: remove from the baseline", 1)[1]
    assert "- image-alt: `<img src>` on /" in fixed
    report = json.loads((project / "audit-report" / "report.json").read_text())
    assert [place[0] for place in report["fixed"]] == ["image-alt"]
    assert report["new"] == []


def test_a_new_finding_fails_even_with_a_baseline(defective, tmp_path):
    site, _, _ = defective
    project = tmp_path / "project"
    import shutil

    shutil.copytree(site.root, project)
    baseline = project / "accessibility-baseline.json"
    baseline.write_text(
        json.dumps({"findings": [{"rule": "image-alt", "cause": "<img src>", "pages": ["/"]}]})
    )
    done = run_audit(project)
    assert done.returncode == 1
    assert "audit failed: " in done.stderr
    assert "## image-alt (critical, known (baseline))" in done.stdout
    assert "## button-name (critical, NEW)" in done.stdout
    assert "## image-alt (critical, NEW)" not in done.stdout


def test_a_broken_baseline_is_named_with_its_field(defective, tmp_path):
    site, _, _ = defective
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"findings": [{"rule": "image-alt", "pages": ["/"]}]}))
    done = run_audit(site.root, "--baseline", str(baseline))
    assert done.returncode == 1
    assert done.stderr.strip() == (f"audit: {baseline}: findings[0].cause: expected text, got None")


def test_no_built_site_is_said_plainly(tmp_path):
    site = make_course(tmp_path / "course", defects=False)
    done = run_audit(site.root)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"audit: no built site in {site.root / 'site'} (no index.html): build it first "
        "(`mkdocs build --strict`, or `make audit`, which does)"
    )


def test_a_clean_course_passes_with_no_findings(tmp_path):
    site = make_course(tmp_path / "clean", defects=False)
    build(site)
    done = run_audit(site.root, "--report", "audit-report")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings." in done.stdout
    record = json.loads((site.root / "accessibility-report.json").read_text())
    assert record["result"] == "passed"
    assert record["findings"] == 0


@pytest.mark.parametrize(
    ("html", "cause"),
    [
        # Eleven such buttons, each with its own label and link, are one cause.
        (
            '<button class="cb-embed x2" aria-label="Video 3" data-src="https://a/b">',
            '<button class="cb-embed xN" aria-label data-src>',
        ),
        ('<img src="a.png">', "<img src>"),
        ('<IMG SRC="b.png" alt="">', "<img src alt>"),
        ('<div role="region" tabindex="-1" id="s12">', '<div role="region" tabindex id>'),
    ],
)
def test_a_cause_is_the_pattern_of_the_element_not_its_instance(html, cause):
    assert cause_of(html) == cause


def test_a_contrast_cause_names_its_colour_pair():
    assert cause_of('<span class="nv">', ["#717171", "#f5f5f5", 4.47]) == (
        '<span class="nv"> #717171 on #f5f5f5 (4.47:1)'
    )


# --- A course with coursebook only (no course stylesheet of the template's) -----------------

# Published under a path, as on GitHub Pages: the 404 page links its assets from that path.
PLUGIN_ONLY_CONFIG = (
    CONFIG.replace("extra_css:\n  - extra.css\n", "")
    .replace("repo_url:", "site_url: https://example.github.io/plugin-course/\nrepo_url:")
    .replace(
        "  - coursebook\n",
        "  - coursebook:\n      timezone: Europe/Berlin\n      notebooks:\n"
        "        execute: false\n",
    )
)
LINKED_LECTURE = """\
---
title: Tools
lecture: 1
date: 2027-01-20
---

# Tools

## Reading

Read [the style guide](https://example.org/style) before the lab, and see the
[notes](../notes.md) for the setup; the [lab sheet](https://example.org/lab) has the steps.

- A list item with [a link](https://example.org/list) inside its text.
"""
FIGURE_SOURCE = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])"
VIDEO_HTML = '<iframe src="https://www.youtube.com/embed/{id}"></iframe>'


def lab_notebook(*, described: bool) -> dict:
    """A render-only notebook (outputs saved, not executed): a figure, and a YouTube player;
    `described`, the figure has its `#| fig-alt:` and the player its captions."""
    from notebook_fixtures import YOUTUBE_ID, code, display, markdown, png

    source = FIGURE_SOURCE
    video = {"title": "Setting up the lab"}
    if described:
        source = "#| fig-alt: Line plot rising from 1 to 3 over three steps\n" + source
        video["captions"] = "en"
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "cells": [
            markdown("# Lab 1\n\nSee [the lecture](../lectures/01-tools.md) first.\n"),
            code(source, [display({"image/png": png(40, 30), "text/plain": "<Figure>"})]),
            markdown("## Video\n"),
            code(
                f'YouTubeVideo("{YOUTUBE_ID}")',
                [
                    display(
                        {"text/html": VIDEO_HTML.format(id=YOUTUBE_ID), "text/plain": "<Video>"},
                        metadata={"coursebook": {"video": video}},
                    )
                ],
            ),
        ],
    }


def make_plugin_only_course(root: Path, *, described: bool) -> FixtureSite:
    """mkdocs-material's defaults and coursebook, nothing of the template's course.css: a
    lecture with links in its text (and its deck), a notes page, a notebook page."""
    site = FixtureSite(root)
    site.write("mkdocs.yml", PLUGIN_ONLY_CONFIG)
    site.write(
        "docs/index.md", "# Plugin course\n\nStart with [lecture 1](lectures/01-tools.md).\n"
    )
    site.write("docs/notes.md", "# Notes\n\nInstall [Python](https://www.python.org/) first.\n")
    site.write("docs/lectures/01-tools.md", LINKED_LECTURE)
    site.write("docs/notebooks/lab-1.ipynb", json.dumps(lab_notebook(described=described)))
    return site


@pytest.fixture(scope="module")
def undescribed(tmp_path_factory):
    """The plugin-only course with an undescribed figure and a player without captions."""
    site = make_plugin_only_course(tmp_path_factory.mktemp("undescribed"), described=False)
    build(site)
    done = run_audit(site.root, "--report", "audit-report")
    report = json.loads((site.root / "audit-report" / "report.json").read_text())
    return site, done, report


def test_a_plugin_only_course_audits_clean(tmp_path):
    """Underlined links in text (the statement page's too), the footer and the lecture's
    outlined buttons in the dark scheme: coursebook.css, not a course stylesheet, meets AA."""
    site = make_plugin_only_course(tmp_path / "plugin-only", described=True)
    build(site)
    assert not (site.root / "docs" / "assets" / "stylesheets").exists()
    done = run_audit(site.root, "--report", "audit-report")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings." in done.stdout
    assert (site.root / "site" / "notebooks" / "lab-1" / "index.html").exists()
    report = json.loads((site.root / "audit-report" / "report.json").read_text())
    assert report["decks"] == 1
    assert report["speaker_views"] == 1


def test_an_undescribed_figure_and_a_video_without_captions_fail_naming_the_fix(undescribed):
    _, done, report = undescribed
    assert done.returncode == 1, done.stdout + done.stderr
    figure = [f for f in report["findings"] if f["rule"] == "coursebook-figure-alt"]
    video = [f for f in report["findings"] if f["rule"] == "coursebook-video-captions"]
    assert len(figure) == 1, [f["rule"] for f in report["findings"]]
    assert len(video) == 1, [f["rule"] for f in report["findings"]]
    assert "/notebooks/lab-1/" in figure[0]["pages"]
    assert "/notebooks/lab-1/" in video[0]["pages"]
    assert figure[0]["example"]["html"].startswith("<img")
    assert 'data-coursebook-alt="missing"' in figure[0]["example"]["html"]
    assert "data-cb-video" in video[0]["example"]["html"]
    # Seen at every width and scheme, like axe's findings.
    assert len(figure[0]["pages"]["/notebooks/lab-1/"]) == 4
    out = done.stdout
    assert "## coursebook-figure-alt (serious, NEW): Notebook figure without alt text" in out
    assert "`#| fig-alt: ...`" in out
    assert "## coursebook-video-captions (serious, NEW): Video without captions" in out
    assert "`captions: true`" in out
    assert "`transcript:`" in out
    # No other finding: the fixture's only defects are these two.
    assert {f["rule"] for f in report["findings"]} == {
        "coursebook-figure-alt",
        "coursebook-video-captions",
    }


def test_coursebook_findings_can_be_baselined(undescribed, tmp_path):
    site, _, report = undescribed
    # The baseline as --update-baseline writes it (its own test above), from this audit.
    baseline = tmp_path / "baseline.json"
    known = [
        {"rule": f["rule"], "cause": f["cause"], "pages": sorted(f["pages"])}
        for f in report["findings"]
    ]
    baseline.write_text(json.dumps({"findings": known}))
    done = run_audit(site.root, "--baseline", str(baseline), "--report", str(tmp_path / "r"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# Accessibility audit: passed with known findings" in done.stdout
    assert "## coursebook-figure-alt (serious, known (baseline))" in done.stdout
    assert "## coursebook-video-captions (serious, known (baseline))" in done.stdout


# The template course (this repository's docs): every page, slide and the speaker view, at
# both widths in both schemes, with coursebook's own rules; no baseline. (This is the one full
# axe scan of the template in the tests; test_a11y_browser.py measures each fix.)
def test_the_template_course_has_no_findings(course_site, tmp_path):
    project = course_site.site.parent / "project"
    done = run_audit(project, "--site", str(course_site.site), "--report", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings." in done.stdout
    assert not (project / "accessibility-baseline.json").exists()
    # The record the repository commits says so too (re-run `make audit` and commit it).
    committed = json.loads((ROOT / "accessibility-report.json").read_text())
    assert committed["result"] == "passed"
    assert committed["findings"] == 0


# --- The accessibility statement ------------------------------------------------------------


def statement(site: FixtureSite) -> BeautifulSoup:
    return BeautifulSoup(
        (site.root / "site" / "accessibility" / "index.html").read_text("utf-8"), "html.parser"
    ).article


def test_without_a_record_the_statement_says_no_audit_was_recorded(tmp_path):
    site = make_course(tmp_path / "course", defects=False)
    done = site.build()
    assert done.returncode == 0, done.log
    article = statement(site)
    result = article.select_one(".cb-statement__result")
    assert result["data-result"] == "none"
    assert result.get_text(" ", strip=True).startswith("No audit has been recorded")
    assert "axe-core 4.14.1" in " ".join(article.get_text(" ").split())
    # The default contact: the issues of repo_url.
    link = article.select_one(".cb-statement__contact a")
    assert link["href"] == "https://github.com/example/audit-course/issues"
    # An automatic nav lists it.
    nav = BeautifulSoup((site.root / "site" / "index.html").read_text(), "html.parser")
    assert "accessibility/" in [a["href"].lstrip("./") for a in nav.select(".md-nav a[href]")]


def test_the_statement_shows_the_date_and_result_of_the_last_audit(defective, tmp_path):
    site, _, report = defective
    course = FixtureSite(tmp_path / "course")
    make_course(course.root, defects=False)
    record = (site.root / "accessibility-report.json").read_text()
    course.write("accessibility-report.json", record)
    assert course.build().returncode == 0
    result = statement(course).select_one(".cb-statement__result")
    assert result["data-result"] == "failed"
    assert result.time["datetime"] == json.loads(record)["date"]
    assert f"{len(report['new'])} finding(s) still to be fixed" in result.get_text(" ")
    assert f"{report['pages']} page(s) and 2 slide(s) in 1 deck(s)" in result.get_text(" ")


@pytest.mark.parametrize(
    ("contact", "text", "href"),
    [
        ("a11y@example.edu", "a11y@example.edu", "mailto:a11y@example.edu"),
        (
            "https://example.edu/report?x=1&y=<2>",
            "https://example.edu/report?x=1&y=<2>",
            "https://example.edu/report?x=1&y=<2>",
        ),
        ("javascript:alert(1)", "javascript:alert(1)", None),
        (
            "<img src=x onerror=alert(1)> *Room* 101",
            "<img src=x onerror=alert(1)> *Room* 101",
            None,
        ),
    ],
)
def test_the_contact_is_escaped_and_only_a_web_or_mail_address_is_a_link(
    tmp_path, contact, text, href
):
    site = make_course(tmp_path / "course", defects=False)
    config = CONFIG.replace(
        "  - coursebook\n",
        "  - coursebook:\n      accessibility:\n        contact: " + json.dumps(contact) + "\n",
    )
    site.write("mkdocs.yml", config)
    assert site.build().returncode == 0
    paragraph = statement(site).select_one(".cb-statement__contact")
    assert paragraph.find("img") is None
    assert paragraph.find("em") is None
    assert text in paragraph.get_text()
    link = paragraph.find("a")
    assert (link["href"] if link else None) == href


def test_a_written_nav_without_the_statement_still_builds_strictly(tmp_path):
    site = make_course(tmp_path / "course", defects=False)
    site.write(
        "mkdocs.yml",
        CONFIG.replace("  - coursebook\n", NO_DECKS)
        + "nav:\n  - index.md\n  - notes.md\n  - lectures/01-tools.md\n"
        + "  - schedule.md\n  - readings.md\n  - criteria.md\n"
        "validation:\n  omitted_files: warn\n",
    )
    done = site.build()
    assert done.returncode == 0, done.log
    assert statement(site) is not None


def test_a_course_writing_its_own_statement_keeps_it(tmp_path):
    site = make_course(tmp_path / "course", defects=False)
    site.write("docs/accessibility.md", "# Our statement\n")
    assert site.build().returncode == 0
    assert statement(site).h1.get_text(strip=True).startswith("Our statement")


def test_a_broken_record_stops_the_build_naming_file_and_field(tmp_path):
    site = make_course(tmp_path / "course", defects=False)
    site.write("accessibility-report.json", json.dumps({"date": "yesterday", "result": "ok"}))
    done = site.build()
    assert done.returncode == 1
    path = site.root / "accessibility-report.json"
    assert (
        f"{path}: date: expected a date like 2027-01-20 (Invalid isoformat string: 'yesterday') "
        "(written by `python -m coursebook audit`)"
    ) in done.log


def test_the_statement_can_be_turned_off(tmp_path):
    site = make_course(tmp_path / "course", defects=False)
    off = "  - coursebook:\n      accessibility:\n        statement: false\n"
    site.write("mkdocs.yml", CONFIG.replace("  - coursebook\n", off))
    assert site.build().returncode == 0
    assert not (site.root / "site" / "accessibility").exists()


def test_axe_core_ships_in_the_package_with_its_license():
    folder = ROOT / "plugins/coursebook/assets/vendor/axe-core"
    assert (folder / "VERSION").read_text().startswith("axe-core@4.14.1")
    assert "Mozilla Public License" in (folder / "LICENSE").read_text()
    assert (folder / "axe.min.js").stat().st_size > 100_000


def test_coursebook_css_has_no_rule_swallowed_by_an_unclosed_one():
    """Two merges each lost a `}` in coursebook.css: every rule after them became a nested rule
    of `.cb-announcements__more`, and the code colours and focus ring matched nothing (the
    template's YAML values at 4.47:1 again). Every rule is at the top level or in an @-rule."""
    import re

    text = (ROOT / "plugins/coursebook/assets/coursebook.css").read_text("utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\"[^\"]*\"|'[^']*'", '""', text)
    open_blocks: list[str] = []  # the prelude of each block we are in
    start = 0
    for match in re.finditer(r"[{}]", text):
        if match[0] == "{":
            prelude = " ".join(text[start : match.start()].split(";")[-1].split())
            nested_in = [p for p in open_blocks if not p.startswith("@")]
            assert not nested_in, f"{prelude!r} is nested in {nested_in[-1]!r}"
            open_blocks.append(prelude)
        else:
            assert open_blocks, f"an unmatched }} at character {match.start()}"
            open_blocks.pop()
        start = match.end()
    assert open_blocks == []
