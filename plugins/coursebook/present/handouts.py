"""Print lecture pages of a built site to PDF handouts with headless Chromium.

One PDF per lecture (`site/handouts/lecture-02.pdf`) and one for the whole course in schedule
order (`site/handouts/course.pdf`), and each lecture's deck as slides, one per page
(`site/handouts/lecture-02-slides.pdf`). A page error, a console error, a failed request, a
math error, or a page that does not finish within its time limit stops it with a message naming
the page. A request outside the site is refused at once; the other pages are printed, then every
such URL of every page is named in one message with the setting that loads it (offsite.py). A
slide that does not fit its frame even with its text shrunk is a warning naming the lecture file
and the slide.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .browser import is_local, launch_chromium, require_playwright, serve_folder
from .offsite import describe_offsite, is_unprinted
from .pdf_merge import Part, merge_tagged
from .pdf_tags import UntaggedPdf, finish_tagged_pdf, formulas_as_text

# A video or page embedded from another site (`<iframe src="https://www.youtube.com/…">` in a
# lecture's Markdown) cannot play on paper, and its frame would print empty: the handout shows a
# link to it instead, named by the frame's title when it has one.
EMBEDS_AS_LINKS = """async () => {
  document.querySelectorAll("iframe[src]").forEach(frame => {
    const url = new URL(frame.getAttribute("src"), document.baseURI);
    if (url.origin === location.origin) return;
    const link = document.createElement("a");
    link.href = url.href;
    link.textContent = url.href;
    const note = document.createElement("p");
    note.className = "cb-print-embed";
    const title = (frame.getAttribute("title") || "").trim();
    note.append((title ? title + ": " : "Embedded from " + url.host + ": "), link);
    frame.replaceWith(note);
  });
  return true;
}"""
PAPER_FORMATS = {"a4": "A4", "letter": "Letter"}
# How long one page (or deck) may take, from opening to its PDF, unless `--page-timeout` says.
PAGE_TIMEOUT = 60.0
# Playwright's timers are Node's: a longer one overflows and fires at once (1 ms).
MAX_PAGE_TIMEOUT = 86400.0
# A MathJax that never starts (its script refused, missing or broken) leaves only the
# configuration object: the page is complete and MathJax.startup missing. Waiting for "load"
# then waited for ever (issue 22: a CDN MathJax hung the first handout for 8 minutes). A
# script that adds MathJax itself once the page has loaded gets a few seconds.
MATH_READY = """async () => {
  if (!window.MathJax) return true;
  if (document.readyState !== 'complete') {
    await new Promise(resolve => window.addEventListener('load', resolve, {once: true}));
  }
  const started = () => MathJax.startup && MathJax.startup.promise;
  for (let waited = 0; !started() && waited < 5000; waited += 100) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  if (!started()) return 'MathJax did not start: window.MathJax is set (its configuration), ' +
    'but no MathJax script ran; list MathJax itself after its configuration in extra_javascript';
  await MathJax.startup.promise;
  return true;
}"""


MATH_ERRORS = """() => [...document.querySelectorAll('[data-mjx-error]')]
  .map(e => e.getAttribute('data-mjx-error'))"""


UNTYPESET = """() => document.querySelectorAll('.arithmatex:not(:has(mjx-container))').length"""


class HandoutError(Exception):
    """A handout could not be printed; the message names the page and the problem."""


class PageTimeout(HandoutError):
    """A page did not finish within its time limit."""


class OffSite(Exception):
    """A page asked for files from outside the site (refused); collected over all pages."""

    def __init__(self, urls: list[str]) -> None:
        super().__init__(", ".join(urls))
        self.urls = urls


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


@dataclass
class Printing:
    """One page being printed: where it is, its time limit, and what it did wrong so far."""

    page: object  # a Playwright page
    path: str  # the page's path in the site, for messages
    limit: float  # seconds for the whole page
    started: float = field(default_factory=time.monotonic)
    problems: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)

    def remaining_ms(self, waiting_for: str) -> float:
        left = self.limit - (time.monotonic() - self.started)
        if left <= 0:
            raise self.timeout(waiting_for)
        return max(left * 1000, 1)  # never 0: to Playwright, a timeout of 0 means none

    def timeout(self, waiting_for: str) -> PageTimeout:
        return PageTimeout(
            f"{self.path}: did not finish within {self.limit:g} s (waiting for {waiting_for}); "
            "a script that never finishes, or raise the limit with --page-timeout SECONDS"
        )

    def evaluate(self, script: str, waiting_for: str):
        """`script`'s value, within the page's time limit. Not `page.evaluate`: it has no
        time limit, and a limit raced inside the page never fires while a script of the page
        loops for ever (its timers wait for the loop). `wait_for_function`'s limit is kept
        by Playwright, outside the page."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        wrapped = f"async () => ({{value: await ({script})()}})"  # truthy even for 0 or []
        try:
            handle = self.page.wait_for_function(wrapped, timeout=self.remaining_ms(waiting_for))
        except PlaywrightTimeout as error:
            raise self.timeout(waiting_for) from error
        return handle.json_value()["value"]

    def check_offsite(self) -> None:
        if self.offsite:
            raise OffSite(list(dict.fromkeys(self.offsite)))


def _watch(page, path: str, limit: float) -> Printing:
    """Collect what must stop a PDF: script errors, failed and off-site requests. An off-site
    request is refused at once: the page goes on without it, and is reported with the others."""
    printing = Printing(page, path, limit)
    problems = printing.problems

    def console(message) -> None:
        # "Failed to load resource" of a refused off-site file: reported as off-site.
        if message.type == "error" and is_local(message.location.get("url") or "http://127.0.0.1:"):
            problems.append(f"console error: {message.text}")

    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", console)
    page.on(
        "requestfailed",
        lambda request: (
            problems.append(f"request failed: {request.url} ({request.failure})")
            if is_local(request.url)
            else None
        ),
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
        url = route.request.url
        if is_local(url):
            route.continue_()
            return
        # An embedded player or page (an off-site <iframe>) cannot play on paper: it prints as
        # a link to what it shows (EMBEDS_AS_LINKS), so its refusal is no problem.
        embedded = route.request.resource_type == "document" and route.request.frame.parent_frame
        if not embedded and not is_unprinted(url):
            printing.offsite.append(url)
        route.abort()

    page.route("**/*", guard)
    return printing


def _open(printing: Printing, url: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        response = printing.page.goto(
            url, wait_until="load", timeout=printing.remaining_ms("the page to load")
        )
    except PlaywrightTimeout as error:
        raise printing.timeout("the page to load") from error
    if response is None or not response.ok:
        status = response.status if response else "no response"
        raise HandoutError(f"{printing.path}: cannot load the page ({status})")


def _check_math(printing: Printing) -> None:
    printing.check_offsite()
    problems = printing.problems
    if problems:  # a failed request or a script error: stop now, not after waiting for math
        raise HandoutError(f"{printing.path}: " + "; ".join(problems))
    started = printing.evaluate(MATH_READY, "MathJax to typeset the page")
    if started is not True:
        problems.append(str(started))
    printing.evaluate("() => document.fonts.ready.then(() => true)", "the fonts")
    printing.check_offsite()
    # A TeX error becomes an <merror> node carrying the message (SVG and CHTML output alike).
    math_errors = printing.evaluate(MATH_ERRORS, "the math errors")
    if math_errors:
        problems.append(f"math error: {math_errors[0]}")
    untypeset = printing.evaluate(UNTYPESET, "the formulas")
    if untypeset:
        problems.append(f"{untypeset} formula(s) not typeset")
    if problems:
        raise HandoutError(f"{printing.path}: " + "; ".join(problems))


def _pdf(printing: Printing, path: str, **options) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    printing.page.set_default_timeout(printing.remaining_ms("the PDF"))
    printing.evaluate(EMBEDS_AS_LINKS, "the embedded players")
    formulas_as_text(printing.page)  # accessibility: see pdf_tags.py
    printing.page.emulate_media(media="print", color_scheme="light")
    try:
        printing.page.pdf(path=path, print_background=True, outline=True, tagged=True, **options)
    except PlaywrightTimeout as error:
        raise printing.timeout("the PDF") from error
    try:
        finish_tagged_pdf(Path(path))
    except UntaggedPdf as error:
        raise HandoutError(f"{printing.path}: {error}") from error


def print_to_pdf(
    page, url: str, pdf: Path, paper: str, *, path: str | None = None, limit: float = PAGE_TIMEOUT
) -> None:
    """Open `url` in `page`, wait until it is fully typeset, check it, print it to `pdf`;
    `path`: the page as messages name it; `limit`: seconds for all of it (PageTimeout)."""
    printing = _watch(page, path or url, limit)
    _open(printing, url)
    _check_math(printing)
    _pdf(printing, path=str(pdf), format=PAPER_FORMATS[paper])


def print_slides_to_pdf(
    page,
    url: str,
    pdf: Path,
    *,
    notes: bool = False,
    path: str | None = None,
    limit: float = PAGE_TIMEOUT,
) -> list[dict]:
    """Print the deck at `url` with reveal.js's print layout, one slide per 1280×720 page
    (taller, with the notes under the slide, when `notes`); return the slides that overflow."""
    printing = _watch(page, path or url, limit)
    # Screen-sized viewport: reveal.js lays the print pages out at the slide size regardless.
    _open(printing, url + ("?print-pdf&notes" if notes else "?print-pdf"))
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    printing.check_offsite()
    waiting_for = "the deck to finish its layout"
    try:
        page.wait_for_selector(
            DECK_READY, state="attached", timeout=printing.remaining_ms(waiting_for)
        )
    except PlaywrightTimeout as error:
        printing.check_offsite()
        raise printing.timeout(waiting_for) from error
    _check_math(printing)
    overflowing = printing.evaluate(DECK_OVERFLOW, "the slides' sizes")
    _pdf(printing, path=str(pdf), prefer_css_page_size=True)
    return overflowing


def _print_all(browser, base, handouts, folder, paper, log, run) -> list[tuple[Handout, float]]:
    timings = []
    for number, handout in enumerate(handouts, start=1):
        started = time.perf_counter()
        log(f"handout {number}/{len(handouts)}: {handout.url_path} …")
        context = browser.new_context()
        try:
            print_to_pdf(
                context.new_page(),
                base + handout.url_path,
                folder / handout.pdf_name,
                paper,
                path=handout.url_path,
                limit=run.limit,
            )
        except OffSite as refused:
            run.refused(handout.url_path, refused)
            continue
        finally:
            context.close()
        seconds = time.perf_counter() - started
        timings.append((handout, seconds))
        log(f"  wrote handouts/{handout.pdf_name} in {seconds:.1f} s")
    return timings


def _print_decks(browser, base, decks, folder, notes, log, warn, run):
    timings = []
    for number, deck in enumerate(decks, start=1):
        started = time.perf_counter()
        log(f"slides {number}/{len(decks)}: {deck.url_path} …")
        context = browser.new_context(color_scheme="light")
        try:
            overflowing = print_slides_to_pdf(
                context.new_page(),
                base + deck.url_path,
                folder / deck.pdf_name,
                notes=notes,
                path=deck.url_path,
                limit=run.limit,
            )
        except OffSite as refused:
            run.refused(deck.url_path, refused)
            continue
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


@dataclass
class Run:
    """What all the pages of one `make_handouts` share: the time limit, and the off-site
    requests of every page, reported together at the end rather than one page per run (a page
    that made one is not printed; the next one is)."""

    limit: float
    extra_javascript: tuple = ()
    extra_css: tuple = ()
    site: Path | None = None
    offsite: dict[str, list[str]] = field(default_factory=dict)

    def refused(self, path: str, refused: OffSite) -> None:
        for url in refused.urls:
            self.offsite.setdefault(url, []).append(path)

    def check(self) -> None:
        if self.offsite:
            message = describe_offsite(
                self.offsite, self.extra_javascript, self.extra_css, self.site
            )
            raise HandoutError(message)


def page_timeout_problem(seconds: float) -> str | None:
    """What is wrong with a page time limit of `seconds` (`--page-timeout`), if anything:
    nan and inf reach Playwright as invalid JSON, more than a day overflows its timers."""
    if not math.isfinite(seconds) or not 0 < seconds <= MAX_PAGE_TIMEOUT:
        return (
            f"the page time limit must be more than 0 s and at most {MAX_PAGE_TIMEOUT:g} s, "
            f"got {seconds:g}"
        )
    return None


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
    page_timeout: float = PAGE_TIMEOUT,
    extra_javascript: tuple = (),
    extra_css: tuple = (),
) -> list[tuple[Handout | SlideDeck, float]]:
    """Write one PDF per handout and `course.pdf` (titled `title`) with all of them, then one
    slides PDF per deck; return seconds per PDF.

    Uses `browser` (a Playwright Chromium) when given, else starts one. Each page has
    `page_timeout` seconds (PageTimeout). Pages that ask for files from outside the site are
    all printed first, then reported in one HandoutError naming every URL with its cause
    (`extra_javascript`, `extra_css`: mkdocs.yml's, see offsite.py)."""
    warn = warn or (lambda message: log(f"warning: {message}"))
    require_playwright()
    problem = page_timeout_problem(page_timeout)
    if problem:
        raise HandoutError(problem)
    if paper not in PAPER_FORMATS:
        raise HandoutError(f"paper must be one of {', '.join(PAPER_FORMATS)}, got {paper!r}")
    if not (site / "index.html").exists():
        raise HandoutError(f"{site} is not a built site (no index.html); build it first")
    folder = site / "handouts"
    folder.mkdir(exist_ok=True)
    with serve_folder(site) as base:
        shared = Run(page_timeout, tuple(extra_javascript), tuple(extra_css), site)

        def run(chromium):
            timings = _print_all(chromium, base, handouts, folder, paper, log, shared)
            timings += _print_decks(chromium, base, decks, folder, notes, log, warn, shared)
            shared.check()
            return timings

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
