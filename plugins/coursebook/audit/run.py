"""Run axe-core in a browser over every page of a built site and every slide of every deck, at
each width and colour scheme. One browser context (and one tab) per view, reused for every page:
loading axe and the site's scripts again per page is most of the cost."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .axe import RUN_AXE, WCAG_TAGS, axe_source
from .findings import Findings, View

WIDTHS = {1280: 800, 390: 844}  # desktop and phone viewports (width: height)
SCHEMES = ("light", "dark")
VIEWS = [View(width, scheme) for width in WIDTHS for scheme in SCHEMES]

MATH_READY = """async () => {
  if (!window.MathJax) return true;
  if (!MathJax.startup || !MathJax.startup.promise) return true;
  await MathJax.startup.promise;
  return true;
}"""
# The page's background, and whether it is dark: mkdocs-material switches its palette from a
# script, so the emulated `prefers-color-scheme` is verified on the colour actually drawn. A
# transparent body (rgba(0, 0, 0, 0), a page with no background of its own) shows the root's
# background, or the browser's white canvas: it is not black.
BACKGROUND = """() => {
  const drawn = element => {
    const colour = getComputedStyle(element).backgroundColor;
    const parts = (colour.match(/[\\d.]+/g) || []).map(Number);
    return parts.length >= 3 && (parts.length < 4 || parts[3] > 0) ? {colour, parts} : null;
  };
  const found = drawn(document.body) || drawn(document.documentElement);
  const [r, g, b] = found ? found.parts : [255, 255, 255];
  const colour = found ? found.colour : 'none (the white canvas)';
  return {colour, dark: (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.5};
}"""
# A deck's slides as reveal.js numbers them (h, v), in order; transitions off so each slide is
# checked where it stands, not half-way in, and fragments off so every fragment is shown (axe
# skips what is hidden, and a fragment is hidden until it is stepped to).
DECK_SLIDES = """() => {
  Reveal.configure({transition: 'none', backgroundTransition: 'none', fragments: false});
  return Reveal.getSlides().map(s => {
    const i = Reveal.getIndices(s);
    return {h: i.h, v: i.v || 0, title: s.getAttribute('data-cb-title') || ''};
  });
}"""
# reveal.js 5+ shows a deck as one scrolling page below `scrollActivationWidth` (435 px, so
# on phones): there the slide is scrolled into view, where axe can judge its colours.
GO_TO_SLIDE = """([h, v, index]) => {
  Reveal.slide(h, v);
  Reveal.layout();
  if (Reveal.isScrollView && Reveal.isScrollView()) {
    Reveal.getSlides()[index].scrollIntoView({block: 'start'});
  }
  return true;
}"""
DECK_READY = "html[data-cb-deck=ready]"
# Set up: both slide frames made, the timer ticked once (it mutes its zeros then), and
# coursebook's patch of the view applied (slides.js, on reveal's "connected"), or 8 s gone by
# without it: a deck without coursebook's script is audited as it is.
SPEAKER_VIEW_READY = """() =>
  document.querySelectorAll('#current-slide iframe, #upcoming-slide iframe').length === 2
  && !!document.querySelector('.hours-value')
  && document.querySelector('.clock-value').textContent !== '0:00 AM'
  && (document.documentElement.hasAttribute('data-cb-speaker-view') || performance.now() > 8000)"""
OPEN_SPEAKER_VIEW = "() => { Reveal.getPlugin('notes').open(); return true; }"


class AuditError(Exception):
    """The audit could not run; the message names the page and what went wrong."""


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the built site as a URL path (`lectures/02/`, `404.html`), decks
    included (they are not in the sitemap), not the files under assets/."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("assets/"):
            continue
        pages.append(relative.removesuffix("index.html"))
    return pages


@dataclass
class AuditRun:
    findings: Findings = field(default_factory=Findings)
    pages: int = 0
    decks: int = 0
    slides: int = 0
    axe_runs: int = 0
    speaker_views: int = 0
    notes: list[str] = field(default_factory=list)  # what the reader of the report should know
    axe_version: str = ""  # as the running axe reports itself
    seconds: float = 0.0


def page_id(path: str) -> str:
    return "/" + path


def audit_site(
    browser,
    base_url: str,
    pages: list[str],
    *,
    views: list[View] = VIEWS,
    log: Callable[[str], None] = lambda _: None,
) -> AuditRun:
    """axe over `pages` (URL paths below `base_url`) at every view, in `browser` (Playwright)."""
    started = time.perf_counter()
    run = AuditRun()
    light_everywhere: list[str] = []
    for number, view in enumerate(views):
        log(f"view {view} ({number + 1}/{len(views)}) …")
        context = browser.new_context(
            viewport={"width": view.width, "height": WIDTHS.get(view.width, 800)},
            color_scheme=view.scheme,
        )
        try:
            tab = context.new_page()
            _stay_offline(tab, base_url)
            for path in pages:
                deck = _audit_page(tab, base_url, path, view, run, first_view=number == 0)
                if view.scheme == "dark" and not deck["dark"]:
                    light_everywhere.append(page_id(path))
        finally:
            context.close()
    if light_everywhere:
        shown = ", ".join(sorted(set(light_everywhere))[:5])
        run.notes.append(
            f"{len(set(light_everywhere))} page(s) stay light in the dark scheme (no dark "
            f"palette?): {shown}"
        )
    run.seconds = time.perf_counter() - started
    return run


def _stay_offline(tab, base_url: str) -> None:
    """Nothing leaves the machine: requests off the local server are refused."""

    def guard(route) -> None:
        url = route.request.url
        if url.startswith((base_url, "data:", "blob:", "about:")):
            route.continue_()
        else:
            route.abort()

    tab.route("**/*", guard)


def _audit_page(tab, base_url: str, path: str, view: View, run: AuditRun, first_view: bool):
    from playwright.sync_api import Error as PlaywrightError

    try:
        return _audit_one(tab, base_url, path, view, run, first_view)
    except PlaywrightError as error:
        raise AuditError(f"{base_url + path} ({view}): {error}") from error


def _audit_one(tab, base_url: str, path: str, view: View, run: AuditRun, first_view: bool):
    # Quoted: a file name may hold a space, a `#` or a `?`, which would end the path.
    url = base_url + urllib.parse.quote(path)
    response = tab.goto(url, wait_until="load")
    if response is None or not response.ok:
        status = response.status if response else "no response"
        raise AuditError(f"{url}: cannot load the page ({status})")
    is_deck = tab.evaluate("() => !!(window.Reveal && document.querySelector('.reveal'))")
    if is_deck:
        tab.wait_for_selector(DECK_READY, state="attached", timeout=60_000)
    tab.evaluate(MATH_READY)
    background = tab.evaluate(BACKGROUND)
    tab.add_script_tag(content=axe_source())
    if not run.axe_version:
        run.axe_version = tab.evaluate("() => axe.version")
    if first_view:
        run.pages += 1
    if not is_deck:
        run.findings.add(_axe(tab, "document", run), page_id(path), view)
        return background
    slides = tab.evaluate(DECK_SLIDES)
    if first_view:
        run.decks += 1
        run.slides += len(slides)
    for index, slide in enumerate(slides):
        tab.evaluate(GO_TO_SLIDE, [slide["h"], slide["v"], index])
        # The first slide with the whole document (the deck's controls, its language and
        # title); the others only the slide itself: the rest is the same on every slide.
        scope = "document" if index == 0 else index
        run.findings.add(_axe(tab, scope, run), page_id(path), view)
    if first_view:
        _audit_speaker_view(tab, path, view, run)
    return background


def _axe(tab, scope: str | int, run: AuditRun) -> list[dict]:
    run.axe_runs += 1
    return tab.evaluate(RUN_AXE, [scope, list(WCAG_TAGS)])


def _audit_speaker_view(tab, path: str, view: View, run: AuditRun) -> None:
    """The speaker view (reveal.js's notes plugin opens it as a pop-up window), once per deck
    at the first view: it has no colour scheme or phone layout of its own."""
    has_notes = tab.evaluate("() => !!(window.Reveal && Reveal.getPlugin('notes'))")
    if not has_notes:
        run.notes.append(f"{page_id(path)}: no speaker view (reveal.js's notes plugin) to audit")
        return
    with tab.context.expect_page(timeout=10_000) as opened:
        tab.evaluate(OPEN_SPEAKER_VIEW)
    popup = opened.value
    try:
        popup.wait_for_load_state("load")
        popup.wait_for_function(SPEAKER_VIEW_READY, timeout=20_000)
        popup.add_script_tag(content=axe_source())
        run.axe_runs += 1
        violations = popup.evaluate(RUN_AXE, ["document", list(WCAG_TAGS)])
        run.findings.add(violations, page_id(path) + " (speaker view)", view)
        run.speaker_views += 1
    finally:
        popup.close()
