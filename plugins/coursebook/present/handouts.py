"""Print lecture pages of a built site to PDF handouts with headless Chromium.

One PDF per lecture (`site/handouts/lecture-02.pdf`) and one for the whole course in schedule
order (`site/handouts/course.pdf`), and each lecture's deck as slides, one per page
(`site/handouts/lecture-02-slides.pdf`). A page error, a console error, a failed or off-site
request, or a math error stops it with a message naming the page. A slide that does not fit its
frame even with its text shrunk is a warning naming the lecture file and the slide.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .browser import is_local, launch_chromium, serve_folder
from .pdf_merge import Part, merge_tagged
from .pdf_tags import UntaggedPdf, finish_tagged_pdf, formulas_as_text

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


@dataclass(frozen=True)
class SlideDeck:
    label: str  # e.g. "Lecture 2 · Linear Deep Theory / Intro to theory"
    source: str  # the lecture file, for warnings, e.g. "docs/lectures/02-intro-to-theory.md"
    url_path: str  # path of the deck in the site, e.g. "lectures/02-intro-to-theory/slides/"
    pdf_name: str  # e.g. "lecture-02-slides.pdf"


# Set by the deck's script once reveal.js, MathJax and the fit-to-frame pass are done.
DECK_READY = "html[data-cb-deck=ready]"
DECK_OVERFLOW = "() => (window.coursebookDeck || {overflowing: []}).overflowing"
SLIDE_SIZE = "1280×720"


def _watch(page) -> list[str]:
    """Collect what must stop a PDF: script errors, failed and off-site requests."""
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
    return problems


def _open(page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    if response is None or not response.ok:
        status = response.status if response else "no response"
        raise HandoutError(f"{url}: cannot load the page ({status})")


def _check_math(page, url: str, problems: list[str]) -> None:
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


def _finish(pdf: Path, url: str) -> None:
    try:
        finish_tagged_pdf(pdf)
    except UntaggedPdf as error:
        raise HandoutError(f"{url}: {error}") from error


def print_to_pdf(page, url: str, pdf: Path, paper: str) -> None:
    """Open `url` in `page`, wait until it is fully typeset, check it, print it to `pdf`."""
    problems = _watch(page)
    _open(page, url)
    _check_math(page, url, problems)
    formulas_as_text(page)  # accessibility: see pdf_tags.py
    page.emulate_media(media="print", color_scheme="light")
    page.pdf(
        path=str(pdf),
        format=PAPER_FORMATS[paper],
        print_background=True,
        outline=True,
        tagged=True,
    )
    _finish(pdf, url)


def print_slides_to_pdf(page, url: str, pdf: Path, *, notes: bool = False) -> list[dict]:
    """Print the deck at `url` with reveal.js's print layout, one slide per 1280×720 page
    (taller, with the notes under the slide, when `notes`); return the slides that overflow."""
    problems = _watch(page)
    # Screen-sized viewport: reveal.js lays the print pages out at the slide size regardless.
    _open(page, url + ("?print-pdf&notes" if notes else "?print-pdf"))
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(DECK_READY, state="attached", timeout=60_000)
    except PlaywrightTimeout as error:
        raise HandoutError(f"{url}: the deck did not finish its layout ({error})") from error
    _check_math(page, url, problems)
    overflowing = page.evaluate(DECK_OVERFLOW)
    formulas_as_text(page)  # accessibility: see pdf_tags.py
    page.emulate_media(media="print", color_scheme="light")
    page.pdf(
        path=str(pdf),
        prefer_css_page_size=True,
        print_background=True,
        outline=True,
        tagged=True,
    )
    _finish(pdf, url)
    return overflowing


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


def _print_decks(browser, base, decks, folder, notes, log, warn) -> list[tuple[SlideDeck, float]]:
    timings = []
    for number, deck in enumerate(decks, start=1):
        started = time.perf_counter()
        log(f"slides {number}/{len(decks)}: {deck.url_path} …")
        context = browser.new_context(color_scheme="light")
        try:
            overflowing = print_slides_to_pdf(
                context.new_page(), base + deck.url_path, folder / deck.pdf_name, notes=notes
            )
        finally:
            context.close()
        for slide in overflowing:
            warn(
                f'{deck.source}: slide {slide["index"] + 1} "{slide["title"]}" does not fit '
                f"{SLIDE_SIZE} even with its text shrunk; split it (a heading or ---) or move "
                "some of it to the notes"
            )
        seconds = time.perf_counter() - started
        timings.append((deck, seconds))
        log(f"  wrote handouts/{deck.pdf_name} in {seconds:.1f} s")
    return timings


def make_handouts(
    site: Path,
    handouts: list[Handout],
    *,
    decks: list[SlideDeck] = (),
    notes: bool = False,
    paper: str = "a4",
    browser=None,
    log: Callable[[str], None] = print,
    warn: Callable[[str], None] | None = None,
    title: str = "Handouts",
) -> list[tuple[Handout | SlideDeck, float]]:
    """Write one PDF per handout and `course.pdf` (titled `title`) with all of them, then one
    slides PDF per deck; return seconds per PDF.

    Uses `browser` (a Playwright Chromium) when given, else starts one."""
    warn = warn or (lambda message: log(f"warning: {message}"))
    if paper not in PAPER_FORMATS:
        raise HandoutError(f"paper must be one of {', '.join(PAPER_FORMATS)}, got {paper!r}")
    if not (site / "index.html").exists():
        raise HandoutError(f"{site} is not a built site (no index.html); build it first")
    folder = site / "handouts"
    folder.mkdir(exist_ok=True)
    with serve_folder(site) as base:

        def run(chromium):
            return _print_all(chromium, base, handouts, folder, paper, log) + _print_decks(
                chromium, base, decks, folder, notes, log, warn
            )

        if browser is not None:
            timings = run(browser)
        else:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                own = launch_chromium(playwright)
                try:
                    timings = run(own)
                finally:
                    own.close()
    if not handouts:
        return timings
    # Tagged, like each lecture's: see pdf_merge.py.
    merge_tagged(
        [Part(handout.label, folder / handout.pdf_name) for handout in handouts],
        folder / "course.pdf",
        title=title,
    )
    log(f"wrote handouts/course.pdf ({len(handouts)} lecture(s))")
    return timings
