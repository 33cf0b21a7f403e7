"""Print lecture pages of a built site to PDF handouts with headless Chromium.

One PDF per lecture (`site/handouts/lecture-02.pdf`) and one for the whole course in schedule
order (`site/handouts/course.pdf`). A page error, a console error, a failed or off-site request,
or a math error stops it with a message naming the page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .browser import is_local, launch_chromium, serve_folder

PAPER_FORMATS = {"a4": "A4", "letter": "Letter"}
MATH_READY = """async () => {
  if (!window.MathJax) return true;
  if (!MathJax.startup || !MathJax.startup.promise) {
    await new Promise(resolve => window.addEventListener('load', resolve, {once: true}));
  }
  await MathJax.startup.promise;
  return true;
}"""


MATH_ERRORS = """() => [...document.querySelectorAll('[data-mjx-error]')]
  .map(e => e.getAttribute('data-mjx-error'))"""


class HandoutError(Exception):
    """A handout could not be printed; the message names the page and the problem."""


@dataclass(frozen=True)
class Handout:
    label: str  # e.g. "Lecture 2 · Linear Deep Theory / Intro to theory"
    url_path: str  # path of the page in the site, e.g. "lectures/02-intro-to-theory/"
    pdf_name: str  # e.g. "lecture-02.pdf"


def print_to_pdf(page, url: str, pdf: Path, paper: str) -> None:
    """Open `url` in `page`, wait until it is fully typeset, check it, print it to `pdf`."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console error: {message.text}") if message.type == "error" else None
        ),
    )
    page.on(
        "requestfailed",
        lambda request: problems.append(f"request failed: {request.url} ({request.failure})"),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"request failed: {response.url} (HTTP {response.status})")
            if response.status >= 400
            else None
        ),
    )

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            problems.append(f"request leaves the site: {route.request.url}")
            route.abort()

    page.route("**/*", guard)
    response = page.goto(url, wait_until="load")
    if response is None or not response.ok:
        status = response.status if response else "no response"
        raise HandoutError(f"{url}: cannot load the page ({status})")
    page.evaluate(MATH_READY)
    page.evaluate("document.fonts.ready.then(() => true)")
    # A TeX error becomes an <merror> node carrying the message (SVG and CHTML output alike).
    math_errors = page.evaluate(MATH_ERRORS)
    if math_errors:
        problems.append(f"math error: {math_errors[0]}")
    untypeset = page.locator(".arithmatex:not(:has(mjx-container))").count()
    if untypeset:
        problems.append(f"{untypeset} formula(s) not typeset")
    if problems:
        raise HandoutError(f"{url}: " + "; ".join(problems))
    page.emulate_media(media="print", color_scheme="light")
    page.pdf(
        path=str(pdf),
        format=PAPER_FORMATS[paper],
        print_background=True,
        outline=True,
        tagged=True,
    )


def _print_all(browser, base, handouts, folder, paper, log) -> list[tuple[Handout, float]]:
    timings = []
    for number, handout in enumerate(handouts, start=1):
        started = time.perf_counter()
        log(f"handout {number}/{len(handouts)}: {handout.url_path} …")
        context = browser.new_context()
        try:
            print_to_pdf(
                context.new_page(), base + handout.url_path, folder / handout.pdf_name, paper
            )
        finally:
            context.close()
        seconds = time.perf_counter() - started
        timings.append((handout, seconds))
        log(f"  wrote handouts/{handout.pdf_name} in {seconds:.1f} s")
    return timings


def make_handouts(
    site: Path,
    handouts: list[Handout],
    *,
    paper: str = "a4",
    browser=None,
    log: Callable[[str], None] = print,
) -> list[tuple[Handout, float]]:
    """Write one PDF per handout and `course.pdf` with all of them; return seconds per PDF.

    Uses `browser` (a Playwright Chromium) when given, else starts one."""
    from pypdf import PdfWriter

    if paper not in PAPER_FORMATS:
        raise HandoutError(f"paper must be one of {', '.join(PAPER_FORMATS)}, got {paper!r}")
    if not (site / "index.html").exists():
        raise HandoutError(f"{site} is not a built site (no index.html); build it first")
    folder = site / "handouts"
    folder.mkdir(exist_ok=True)
    with serve_folder(site) as base:
        if browser is not None:
            timings = _print_all(browser, base, handouts, folder, paper, log)
        else:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                own = launch_chromium(playwright)
                try:
                    timings = _print_all(own, base, handouts, folder, paper, log)
                finally:
                    own.close()
    course = PdfWriter()
    for handout in handouts:
        course.append(str(folder / handout.pdf_name), outline_item=handout.label)
    with open(folder / "course.pdf", "wb") as stream:
        course.write(stream)
    log(f"wrote handouts/course.pdf ({len(handouts)} lecture(s))")
    return timings
