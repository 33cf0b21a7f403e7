"""`python -m coursebook handouts` fails fast (issue 22): a page that never finishes stops at
its time limit, naming the page; a page that asks for files from outside the site is refused
at once, and every such URL of every page is named in one message with the setting that loads
it; a plugin-only install is told what to install; only the lectures the build published are
printed and counted."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from coursebook.present.handouts import Handout, HandoutError, PageTimeout, make_handouts
from coursebook.present.offsite import explain, is_unprinted

from tests.conftest import FixtureSite

REPO = Path(__file__).parent.parent
CONFIG_JS = "docs/assets/javascripts/mathjax-config.js"
MATHJAX = "docs/assets/vendor/mathjax/tex-svg-full.js"
CDN_MATHJAX = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"
FONTS = "https://fonts.googleapis.com/css?family=Roboto:300,400"
MERMAID = "https://unpkg.com/mermaid@11/dist/mermaid.min.js"
THEBE = "https://unpkg.com/thebe@latest/lib/index.js"


def static_site(root: Path, pages: dict[str, str]) -> Path:
    """A built site of hand-written pages (`path/` -> the body's HTML)."""
    (root / "index.html").parent.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text("<!doctype html><title>Home</title><p>Home</p>")
    for path, body in pages.items():
        page = root / path / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<!doctype html><html><head><title>{path}</title></head>{body}</html>")
    return root


def quiet(message: str) -> None:
    """make_handouts' progress lines are not what these tests look at."""


def test_a_page_that_never_finishes_stops_at_its_limit_naming_it(tmp_path, browser):
    # MathJax configured but never done: the shape of a page whose MathJax never starts.
    hang = "<script>window.MathJax = {startup: {promise: new Promise(() => {})}};</script><p>x"
    site = static_site(tmp_path / "site", {"lectures/01/": hang})
    started = time.monotonic()
    with pytest.raises(PageTimeout) as raised:
        make_handouts(
            site,
            [Handout("L1", "lectures/01/", "lecture-01.pdf")],
            browser=browser,
            log=quiet,
            page_timeout=2,
        )
    assert time.monotonic() - started < 20
    assert str(raised.value) == (
        "lectures/01/: did not finish within 2 s (waiting for MathJax to typeset the page); "
        "a script that never finishes, or raise the limit with --page-timeout SECONDS"
    )
    assert not (site / "handouts/lecture-01.pdf").exists()


def test_a_mathjax_whose_script_never_came_is_named_not_waited_for(tmp_path, browser):
    """The issue's 8-minute hang: the configuration object without MathJax itself, on a page
    whose load has already fired. A local script that is missing (404) is its own error; here
    MathJax's script is simply not there."""
    site = static_site(
        tmp_path / "site", {"lectures/01/": "<script>window.MathJax = {tex: {}};</script><p>x"}
    )
    started = time.monotonic()
    with pytest.raises(HandoutError) as raised:
        make_handouts(
            site, [Handout("L1", "lectures/01/", "lecture-01.pdf")], browser=browser, log=quiet
        )
    assert time.monotonic() - started < 20
    assert str(raised.value) == (
        "lectures/01/: MathJax did not start: window.MathJax is set (its configuration), but no "
        "MathJax script ran; list MathJax itself after its configuration in extra_javascript"
    )


def test_a_mathjax_added_after_the_page_loaded_is_waited_for(tmp_path, browser):
    """A page whose script adds MathJax once the page has loaded prints typeset."""
    late = (
        f"<script>{(REPO / CONFIG_JS).read_text()}</script>"
        '<p><span class="arithmatex">\\(x^2\\)</span></p>'
        "<script>addEventListener('load', () => setTimeout(() => {"
        "const s = document.createElement('script'); s.src = '/tex-svg-full.js';"
        "document.head.append(s);}, 1000));</script>"
    )
    site = static_site(tmp_path / "site", {"lectures/01/": late})
    (site / "tex-svg-full.js").write_bytes((REPO / MATHJAX).read_bytes())
    make_handouts(site, [Handout("L1", "lectures/01/", "l1.pdf")], browser=browser, log=quiet)
    assert (site / "handouts/l1.pdf").exists()


def test_off_site_requests_of_all_pages_are_refused_and_named_at_once(tmp_path, browser):
    pages = {
        "lectures/01/": "<script>window.MathJax = {tex: {}};</script>"
        f'<script src="{CDN_MATHJAX}"></script><p>a',
        "lectures/02/": f'<link rel="stylesheet" href="{FONTS}"><p>b',
        "lectures/03/": "<p>clean",
        "lectures/04/": f'<link rel="stylesheet" href="{FONTS}"><script src="{MERMAID}"></script>'
        f'<script src="{THEBE}"></script><p>d',
    }
    site = static_site(tmp_path / "site", pages)
    handouts = [Handout(path, path, f"{path.split('/')[1]}.pdf") for path in pages]
    started = time.monotonic()
    with pytest.raises(HandoutError) as raised:
        make_handouts(site, handouts, browser=browser, log=quiet, extra_javascript=(CDN_MATHJAX,))
    # Refused, not waited for: far under one page's time limit (60 s), for four pages.
    assert time.monotonic() - started < 30
    assert str(raised.value).splitlines() == [
        "3 page(s) request files from outside the site; a handout prints from the site alone, "
        "so these were refused (nothing was waited for):",
        f"- {CDN_MATHJAX} (from lectures/01/)",
        "  " + explain(CDN_MATHJAX, (CDN_MATHJAX,)),
        f"- {FONTS} (from lectures/02/, lectures/04/)",
        "  " + explain(FONTS),
        f"- {MERMAID} (from lectures/04/)",
        "  " + explain(MERMAID),
        f"- {THEBE} (from lectures/04/)",
        "  " + explain(THEBE),
    ]
    # The clean page was printed; no course.pdf of a run that failed.
    assert (site / "handouts/03.pdf").exists()
    assert not (site / "handouts/course.pdf").exists()


@pytest.mark.parametrize(
    ("url", "listed", "says"),
    [
        (
            CDN_MATHJAX,
            (CDN_MATHJAX,),
            "MathJax from a CDN, listed in mkdocs.yml `extra_javascript`",
        ),
        (CDN_MATHJAX, ({"path": CDN_MATHJAX, "async": True},), "listed in mkdocs.yml"),
        (CDN_MATHJAX, (), 'the README\'s "Math" step'),
        (
            "https://cdn.example.org/x.js",
            ("https://cdn.example.org/x.js",),
            "`extra_javascript`: download it",
        ),
        (FONTS, (), "set `font: false` under `theme:`"),
        ("https://fonts.gstatic.com/s/roboto/v30/a.woff2", (), "`theme.font`"),
        (MERMAID, (), "list it under `extra_javascript:`"),
        (THEBE, (), "thebe (live code cells)"),
        ("https://cdn.example.org/x.js", (), "loaded by a page, a template override or a plugin"),
    ],
)
def test_each_off_site_url_is_explained_with_its_fix(url, listed, says):
    assert says in explain(url, listed)


@pytest.mark.parametrize(
    ("url", "unprinted"),
    [
        ("https://www.googletagmanager.com/gtag/js?id=G-XXXX", True),
        ("https://www.google-analytics.com/g/collect?v=2", True),
        ("https://api.github.com/repos/example/course", True),
        (FONTS, False),
        (CDN_MATHJAX, False),
    ],
)
def test_only_what_never_reaches_paper_is_refused_silently(url, unprinted):
    assert is_unprinted(url) is unprinted


def test_analytics_are_refused_without_failing_the_handout(tmp_path, browser):
    gtag = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script><p>a'
    site = static_site(tmp_path / "site", {"lectures/01/": gtag})
    make_handouts(site, [Handout("L1", "lectures/01/", "l1.pdf")], browser=browser, log=quiet)
    assert (site / "handouts/l1.pdf").exists()


def run_cli(root: Path, *args: str, prelude: str = "") -> subprocess.CompletedProcess:
    """`python -m coursebook ARGS` in `root`; `prelude`: Python run first in the same process."""
    code = (
        f"{prelude}\nimport sys\nfrom coursebook.__main__ import main\nsys.exit(main(sys.argv[1:]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# As if Playwright were not installed: `import playwright...` raises ModuleNotFoundError.
NO_PLAYWRIGHT = "import sys; sys.modules['playwright'] = None"
INSTALL_HANDOUTS = (
    "PDF handouts need Playwright, which `pip install coursebook` alone does not install: run "
    "`pip install 'coursebook[handouts]'`, then `python -m coursebook browser` (finds or "
    "installs the headless Chromium that prints them)\n"
)


@pytest.mark.parametrize(
    ("command", "prefix"), [("handouts", "handouts: "), ("browser", "coursebook: ")]
)
def test_a_plugin_only_install_is_told_what_to_install(tmp_path, command, prefix):
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - coursebook\n")
    done = run_cli(tmp_path, command, prelude=NO_PLAYWRIGHT)
    assert done.returncode == 1, done.stderr
    assert done.stderr == prefix + INSTALL_HANDOUTS
    assert "Traceback" not in done.stderr


def test_the_handouts_extra_brings_what_the_message_names():
    import tomllib

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    extra = project["project"]["optional-dependencies"]["handouts"]
    assert any(requirement.startswith("playwright") for requirement in extra)
    # pypdf, which joins the PDFs, comes with the plugin itself (the leak guard reads PDFs).
    assert any(r.startswith("pypdf") for r in project["project"]["dependencies"])


CDN_SITE = """\
site_name: Statistics 200
theme:
  name: material
extra_javascript:
  - assets/javascripts/mathjax-config.js
  - {mathjax}
plugins:
  - search
  - coursebook:
      timezone: America/New_York
      slides:
        enabled: false
markdown_extensions:
  - pymdownx.arithmatex:
      generic: true
exclude_docs: |
  lectures/03-excluded.md
draft_docs: |
  lectures/04-draft.md
"""


def lecture(number: int, title: str) -> str:
    return textwrap.dedent(
        f"""\
        ---
        title: {title}
        lecture: {number}
        date: 2027-01-{10 + number:02d}
        topics: []
        papers: []
        ---

        # {title}

        The mean $\\bar x$ of a sample.
        """
    )


@pytest.fixture(scope="module")
def adopted(tmp_path_factory):
    """A course as mkdocs-material documents MathJax (from a CDN) with the theme's Google
    Fonts on, and lectures a build does not publish: an excluded one and a draft."""
    site = FixtureSite(tmp_path_factory.mktemp("adopted"))
    site.write("mkdocs.yml", CDN_SITE.format(mathjax=CDN_MATHJAX))
    site.write("docs/index.md", "# Statistics 200\n")
    site.write("docs/assets/javascripts/mathjax-config.js", (REPO / CONFIG_JS).read_bytes())
    site.write("docs/lectures/01-sampling.md", lecture(1, "Sampling"))
    site.write("docs/lectures/02-estimation.md", lecture(2, "Estimation"))
    site.write("docs/lectures/03-excluded.md", lecture(3, "Excluded"))
    site.write("docs/lectures/04-draft.md", lecture(4, "Draft"))
    build = site.build()
    assert build.returncode == 0, build.log
    return site


def test_a_cdn_mathjax_and_theme_fonts_fail_at_once_naming_the_settings(adopted):
    started = time.monotonic()
    done = run_cli(adopted.root, "handouts")
    assert time.monotonic() - started < 120
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == (
        "handouts: 2 page(s) request files from outside the site; a handout prints from the "
        "site alone, so these were refused (nothing was waited for):"
    )
    assert f"- {CDN_MATHJAX} (from lectures/01-sampling/, lectures/02-estimation/)" in lines
    assert "  " + explain(CDN_MATHJAX, (CDN_MATHJAX,)) in lines
    fonts = [line for line in lines if line.startswith("- https://fonts.googleapis.com/")]
    assert fonts, done.stderr
    assert "  " + explain(FONTS) in lines
    # Only the published lectures are printed and counted.
    assert [line for line in done.stdout.splitlines() if line.startswith("handout ")] == [
        "handout 1/2: lectures/01-sampling/ …",
        "handout 2/2: lectures/02-estimation/ …",
    ]


def fixed_course(root: Path, adopted: FixtureSite, extra: str = "") -> FixtureSite:
    """The adopted course with the fixes the message names: MathJax served by the site,
    `font: false`; `extra`: appended to its mkdocs.yml."""
    import shutil

    fixed = FixtureSite(root)
    shutil.copytree(adopted.root / "docs", fixed.root / "docs")
    vendored = "docs/assets/vendor/mathjax/tex-svg-full.js"
    fixed.write(vendored, (REPO / vendored).read_bytes())
    config = CDN_SITE.format(mathjax="assets/vendor/mathjax/tex-svg-full.js")
    config = config.replace("  name: material\n", "  name: material\n  font: false\n")
    fixed.write("mkdocs.yml", config + extra)
    return fixed


def test_the_fixed_course_prints_only_its_published_lectures(adopted, tmp_path):
    """With the fixes the message names, the same course prints: 2 lectures, not the
    excluded one or the draft. Its GitHub `repo_url` (the theme asks GitHub's API for the
    stars, which are not printed) is no reason to fail."""
    fixed = fixed_course(tmp_path / "fixed", adopted, "repo_url: https://github.com/ex/stat200\n")
    build = fixed.build()
    assert build.returncode == 0, build.log
    done = run_cli(fixed.root, "handouts")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "handout 2/2: lectures/02-estimation/ …" in done.stdout
    assert "wrote handouts/course.pdf (2 lecture(s))" in done.stdout
    assert sorted(p.name for p in (build.site / "handouts").glob("*.pdf")) == [
        "course.pdf",
        "lecture-01.pdf",
        "lecture-02.pdf",
    ]


# A plugin that takes a page out of the build (as mkdocs-exclude or mkdocs-jupyter's `ignore`
# do), before coursebook reads the lectures: only the build knows it is not published.
DROP_HOOK = """\
from mkdocs.plugins import event_priority


@event_priority(100)
def on_files(files, config):
    files.remove(files.get_file_from_path("lectures/02-estimation.md"))
    return files
"""


def test_handouts_print_the_lectures_the_build_published(adopted, tmp_path):
    fixed = fixed_course(tmp_path / "fixed", adopted, "hooks:\n  - drop.py\n")
    fixed.write("drop.py", DROP_HOOK)
    build = fixed.build()
    assert build.returncode == 0, build.log
    assert not (build.site / "lectures/02-estimation/index.html").exists()
    done = run_cli(fixed.root, "handouts")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [line for line in done.stdout.splitlines() if line.startswith("handout ")] == [
        "handout 1/1: lectures/01-sampling/ …"
    ]
    assert "wrote handouts/course.pdf (1 lecture(s))" in done.stdout


def test_the_page_time_limit_is_the_command_lines(adopted):
    done = run_cli(adopted.root, "handouts", "--page-timeout", "0.01")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr == (
        "handouts: lectures/01-sampling/: did not finish within 0.01 s (waiting for the page to "
        "load); a script that never finishes, or raise the limit with --page-timeout SECONDS\n"
    )
