"""Lecture decks in headless Chromium: offline, keys and deep links, math, speaker notes and
the speaker view, every slide inside its frame, accessibility, and the slides PDF."""

from __future__ import annotations

import re

import pytest
from coursebook.present.browser import is_local, serve_folder
from coursebook.present.handouts import HandoutError, SlideDeck, make_handouts
from pypdf import PdfReader
from test_browser import AXE, Watch, assert_hidden, flatten, serious_violations

DECK = "lectures/02-intro-to-theory/slides/"
READY = "html[data-cb-deck=ready]"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.watch = Watch(page)
    yield page
    context.close()


def open_deck(page, base: str, path: str = DECK):
    page.goto(base + path, wait_until="load")
    page.wait_for_selector(READY, state="attached", timeout=30_000)
    return page


def current(page) -> dict:
    return page.evaluate(
        "() => ({h: Reveal.getIndices().h, title: Reveal.getCurrentSlide().dataset.cbTitle})"
    )


def test_the_deck_runs_offline_without_errors(page, site_url):
    open_deck(page, site_url)
    page.wait_for_load_state("networkidle")
    assert page.watch.problems == []
    assert page.evaluate("() => Reveal.getTotalSlides()") == 37


def test_arrow_keys_move_between_slides_and_the_hash_follows(page, site_url):
    open_deck(page, site_url)
    assert current(page) == {"h": 0, "title": "Linear Deep Theory / Intro to theory"}
    page.keyboard.press("ArrowRight")
    assert current(page) == {"h": 1, "title": "Readings"}
    page.wait_for_function("() => location.hash === '#/readings'")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    assert current(page)["h"] == 1
    page.keyboard.press("End")
    assert current(page)["title"] == "This week"


def test_a_deep_link_opens_that_slide(page, site_url):
    open_deck(page, site_url, DECK + "#/5")
    assert current(page) == {"h": 5, "title": "Regularization is surprisingly complex"}
    open_deck(page, site_url, DECK + "#/criteria-for-a-good-question")
    assert current(page)["title"] == "Criteria for a good question"


def test_math_on_slides_and_in_notes_is_typeset_exactly_once(page, site_url):
    open_deck(page, site_url)
    per_formula = page.evaluate(
        "() => [...document.querySelectorAll('.reveal .arithmatex')]"
        ".map(e => e.querySelectorAll('mjx-container').length)"
    )
    assert per_formula == [1, 1, 1, 1]
    assert page.locator(".reveal aside.notes .arithmatex mjx-container").count() == 2
    assert page.locator("[data-mjx-error]").count() == 0
    # Each formula carries its own glyphs: the speaker view gets them without the page's cache.
    assert page.locator("#MJX-SVG-global-cache").count() == 0


def test_prose_is_in_the_speaker_notes(page, site_url):
    open_deck(page, site_url, DECK + "#/what-we-learned-about-regularization")
    notes = page.evaluate("() => Reveal.getSlideNotes()")
    assert "A recap of last lecture" in notes
    assert_hidden(page.locator(".reveal aside.notes"))
    criteria = page.evaluate(
        "() => Reveal.getSlideNotes(document.getElementById('criteria-for-a-good-question'))"
    )
    assert "We use GANs and make them bigger" in criteria  # counterexamples: in the notes


def test_every_lecture_2_slide_fits_its_1280x720_frame(page, site_url):
    open_deck(page, site_url)
    assert page.evaluate("() => window.coursebookDeck.overflowing") == []
    # Measured independently of the fit script: every slide's content ends inside its frame.
    outside = page.evaluate(
        """async () => {
          const bad = [];
          for (let i = 0; i < Reveal.getTotalSlides(); i++) {
            Reveal.slide(i);
            await new Promise(requestAnimationFrame);
            const s = Reveal.getCurrentSlide();
            const frame = s.querySelector('.cb-slide__frame').getBoundingClientRect();
            const box = s.querySelector('.cb-slide__content').getBoundingClientRect();
            const content = s.querySelector('.cb-slide__content');
            // Sideways too: a wide table or formula overflows inside a box as wide as the frame.
            const wide = [...content.querySelectorAll('*')].some(
              e => e.getBoundingClientRect().right > frame.right + 1);
            if (box.bottom > frame.bottom + 1 || box.right > frame.right + 1 || wide
                || content.scrollWidth > content.clientWidth + 1) bad.push(i);
          }
          return bad;
        }"""
    )
    assert outside == []
    scales = page.evaluate("() => window.coursebookDeck.scales")
    assert min(scales) >= 0.6
    assert any(scale < 1 for scale in scales)  # long slides were shrunk, not cut


def test_the_speaker_view_opens_offline_and_shows_the_notes(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    off_site: list[str] = []

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            off_site.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    page = open_deck(context.new_page(), site_url, DECK + "#/what-we-learned-about-regularization")
    with context.expect_page() as popup_info:
        page.keyboard.press("s")
    popup = popup_info.value
    notes = popup.locator(".speaker-controls-notes .value")
    notes.wait_for(timeout=15_000)
    popup.wait_for_function(
        "() => document.querySelector('.speaker-controls-notes .value')"
        ".textContent.includes('A recap of last lecture')",
        timeout=15_000,
    )
    # The popup follows the deck: next slide, next notes (fed by postMessage).
    page.keyboard.press("ArrowRight")
    popup.wait_for_function(
        "() => document.querySelector('.speaker-controls-notes .value')"
        ".textContent.includes('Tools that reuse the same ideas')",
        timeout=15_000,
    )
    frames = popup.locator("iframe")
    assert frames.count() >= 1
    assert off_site == []
    assert errors == []
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessibility_audit_of_the_deck_finds_nothing_serious(browser, site_url, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, color_scheme=scheme)
    page = open_deck(context.new_page(), site_url)
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    page.add_script_tag(path=str(AXE))
    found = []
    for index in (0, 3, 8, 19):  # title, list with math, admonition, criteria
        page.evaluate(f"() => Reveal.slide({index})")
        found += serious_violations(page)
    context.close()
    assert found == []


def test_the_deck_follows_the_scheme_saved_on_the_site(browser, site_url):
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(site_url, wait_until="load")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    open_deck(page, site_url)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    context.close()


def test_the_lecture_page_presents_its_deck(page, site_url):
    page.goto(site_url + "lectures/02-intro-to-theory/", wait_until="load")
    page.locator("a.cb-present").click()
    page.wait_for_selector(READY, state="attached")
    assert page.url == site_url + DECK
    page.locator("a.cb-deck__back").click()
    page.wait_for_load_state("load")
    assert page.url == site_url + "lectures/02-intro-to-theory/"


def outline_titles(pdf: PdfReader) -> list[str]:
    # Chromium drops the space where a long heading wraps: compare without spaces.
    return [re.sub(r"\s", "", item.title) for item in flatten(pdf.outline)]


def test_slides_pdf_has_one_page_per_slide_and_the_slide_titles_as_outline(
    course_site, private_site, browser
):
    deck = SlideDeck("Lecture 2", "docs/lectures/02-intro-to-theory.md", DECK, "l2-slides.pdf")
    warnings: list[str] = []
    timings = make_handouts(
        private_site,
        [],
        decks=[deck],
        browser=browser,
        log=lambda m: None,
        warn=warnings.append,
    )
    assert len(timings) == 1
    assert warnings == []
    titles = [s["data-cb-title"] for s in course_site.html(DECK + "index.html").select("section")]
    pdf = PdfReader(private_site / "handouts/l2-slides.pdf")
    assert len(pdf.pages) == len(titles) == 37
    assert {(float(p.mediabox.width), float(p.mediabox.height)) for p in pdf.pages} == {
        (960.0, 540.0)  # 1280×720 CSS px
    }
    assert outline_titles(pdf) == [re.sub(r"\s", "", t) for t in titles]
    text = pdf.pages[3].extract_text()
    assert "What we learned about regularization" in text
    assert "Rethinking generalization" in text  # the last item: shrunk, not cut off
    assert "A recap" not in text  # notes only with --notes


def test_slides_pdf_with_notes_puts_them_under_each_slide(private_site, browser):
    deck = SlideDeck("Lecture 2", "docs/lectures/02-intro-to-theory.md", DECK, "l2-notes.pdf")
    make_handouts(private_site, [], decks=[deck], notes=True, browser=browser, log=lambda m: None)
    pdf = PdfReader(private_site / "handouts/l2-notes.pdf")
    assert len(pdf.pages) == 37
    assert float(pdf.pages[0].mediabox.height) == 900.0  # 1200 CSS px: slide, then notes
    text = pdf.pages[3].extract_text()
    assert "What we learned about regularization" in text
    assert "A recap of last lecture" in text


OVERFULL = """\
---
title: Overfull
lecture: 1
date: 2027-01-13
---

# Overfull

## Far too much

{items}

<div class="slides-only" markdown>
Deck only.
</div>

## Short

- fine
"""


def test_a_slide_that_cannot_fit_is_reported_naming_file_and_heading(
    fixture_site, browser, tmp_path
):
    site = fixture_site()
    items = "\n".join(f"- Item {n}: " + "words " * 20 for n in range(60))
    site.write("docs/lectures/01-overfull.md", OVERFULL.format(items=items))
    # The build sees already that the list cannot fit (present/slide_sizes.py estimates it):
    # a warning, so not strict here; the browser then measures it.
    build = site.build(strict=False)
    assert build.returncode == 0, build.log
    assert (
        'WARNING -  coursebook: docs/lectures/01-overfull.md: slide 2 "Far too much" cannot fit '
        "1280×720: a list of 60 items, about " in build.log
    )
    with serve_folder(build.site) as base:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "lectures/01-overfull/", wait_until="load")
        assert_hidden(page.locator("text=Deck only."))  # .slides-only: on the page, hidden
        open_deck(page, base, "lectures/01-overfull/slides/")
        assert page.evaluate("() => window.coursebookDeck.overflowing") == [
            {"index": 1, "title": "Far too much"}
        ]
        assert page.locator("text=Deck only.").is_visible()
        context.close()
    deck = SlideDeck(
        "Lecture 1", "docs/lectures/01-overfull.md", "lectures/01-overfull/slides/", "s.pdf"
    )
    warnings: list[str] = []
    make_handouts(
        build.site, [], decks=[deck], browser=browser, log=lambda m: None, warn=warnings.append
    )
    assert warnings == [
        'docs/lectures/01-overfull.md: slide 2 "Far too much" does not fit 1280×720 even with '
        "its text shrunk; split it (a heading or ---) or move some of it to the notes"
    ]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ("</body>", '<script src="https://cdn.example.org/reveal.js"></script></body>'),
            "- https://cdn.example.org/reveal.js (from lectures/02-intro-to-theory/slides/)",
        ),
        (("\\lambda", "}"), "math error: Extra close brace or missing open brace"),
        (("</body>", "<script>throw new Error('boom')</script></body>"), "page error: boom"),
    ],
    ids=["off-site", "math-error", "script-error"],
)
def test_slides_pdf_stops_on_a_broken_deck_naming_it(private_site, browser, change, problem):
    deck_html = private_site / DECK / "index.html"
    text = deck_html.read_text("utf-8")
    assert change[0] in text
    deck_html.write_text(text.replace(change[0], change[1], 1), "utf-8")
    deck = SlideDeck("Lecture 2", "docs/lectures/02-intro-to-theory.md", DECK, "broken.pdf")
    with pytest.raises(HandoutError) as raised:
        make_handouts(private_site, [], decks=[deck], browser=browser, log=lambda m: None)
    assert DECK in str(raised.value)
    assert problem in str(raised.value)
    assert not (private_site / "handouts/broken.pdf").exists()
