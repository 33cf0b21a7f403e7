"""WCAG 2.1 AA in the browser (issue 24): axe-core's WCAG 2.0/2.1 A and AA rules on the
notebook fixtures' pages at a laptop's and a phone's width in both colour schemes (the template
course's pages and slides are the audit's, tests/test_audit.py), and one targeted measurement
per fix: contrast ratios computed from the styles the browser applies, visible focus, scroll
boxes reachable by keyboard, named players with captions and transcripts, reduced motion,
assistive MathML, and reflow of long formulas."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from coursebook.present.browser import serve_folder
from notebook_fixtures import YOUTUBE_ID, code, display, markdown
from test_browser import AXE, MATH_READY

LECTURE = "lectures/02-intro-to-theory/"
DECK = LECTURE + "slides/"
NOTEBOOK = "notebooks/lecture-02-memorization-and-shrinkage/"
WIDE_TABLES = "authoring/benchmarks/"
READY = "html[data-cb-deck=ready]"
WIDTHS = {"laptop": 1280, "phone": 390}
SCHEMES = {"light": "default", "dark": "slate"}
AXE_WCAG = """async () => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  });
  return results.violations.map(v => `${v.id}: ` + v.nodes.slice(0, 3)
    .map(n => n.target.join(' ') + ' ' + (n.any[0] || n.all[0] || {message: ''}).message)
    .join(' | '));
}"""
# WCAG 2.1's relative luminance and contrast ratio, on colours as the browser computes them
# (any CSS colour, read back through a canvas), with translucent layers composited down to
# the first opaque background under an element.
CONTRAST = """() => {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  const rgba = css => {
    ctx.fillStyle = '#000';
    ctx.fillStyle = css;
    const value = ctx.fillStyle;
    if (value.startsWith('#')) {
      return [1, 3, 5].map(i => parseInt(value.slice(i, i + 2), 16)).concat([1]);
    }
    const parts = value.slice(value.indexOf('(') + 1, -1).split(',').map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3]))
    .concat([1]);
  const luminance = c => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
  const background = element => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = rgba(getComputedStyle(e).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reverse().reduce((under, layer) => over(layer, under), [255, 255, 255, 1]);
  };
  const ofColour = (css, element) => {
    const under = background(element);
    return ratio(over(rgba(css), under), under);
  };
  window.cbContrast = {
    text: element => ofColour(getComputedStyle(element).color, element),
    colour: ofColour,
    background,
    ratio,
    over,
    rgba,
  };
}"""
SETTLED = "*, *::before, *::after { transition: none !important; }"


def open_site_page(browser, base: str, path: str, *, width: int = 1280, scheme: str = "light"):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, color_scheme=scheme, reduced_motion="reduce"
    )
    page = context.new_page()
    page.goto(base + path, wait_until="load")
    if page.locator(".arithmatex").count():
        page.wait_for_function(MATH_READY)
    # Colours are read once settled: nothing is caught mid-fade.
    page.add_style_tag(content=SETTLED)
    page.evaluate(f"() => document.body.setAttribute('data-md-color-scheme', '{SCHEMES[scheme]}')")
    page.evaluate(CONTRAST)
    return page


def open_deck(browser, base: str, *, width: int = 1280, scheme: str = "light", **options):
    context = browser.new_context(
        viewport={"width": width, "height": 720 if width > 800 else 844},
        color_scheme=scheme,
        **options,
    )
    page = context.new_page()
    page.goto(base + DECK, wait_until="load")
    page.wait_for_selector(READY, state="attached", timeout=30_000)
    page.evaluate(CONTRAST)
    return page


def site_pages(site: Path) -> list[str]:
    """Every page of a built site but the 404 page and the decks (their own test)."""
    return sorted(
        p.relative_to(site).as_posix().removesuffix("index.html")
        for p in site.rglob("*.html")
        if p.name != "404.html" and p.parent.name != "slides"
    )


# axe over every page, slide and speaker view of the template course, at both widths in both
# schemes: tests/test_audit.py::test_the_template_course_has_no_findings runs the audit
# command itself over it. Here, the notebook fixtures' pages, which the template lacks.


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_finds_no_wcag_violation_on_notebook_pages(
    browser, notebook_site, notebook_site_url, width, scheme
):
    """Players, long outputs, forms and widgets: the notebook fixtures shaped like Colab's."""
    found = {}
    for path in site_pages(notebook_site.site):
        page = open_site_page(browser, notebook_site_url, path, width=width, scheme=scheme)
        page.add_script_tag(path=str(AXE))
        if violations := page.evaluate(AXE_WCAG):
            found[path] = violations
        page.context.close()
    assert found == {}


@pytest.fixture(scope="module")
def notebook_site_url(notebook_site):
    with serve_folder(notebook_site.site) as url:
        yield url


# Contrast


HIGHLIGHT_COLOURS = [
    "comment",
    "constant",
    "function",
    "generic",
    "keyword",
    "name",
    "number",
    "operator",
    "punctuation",
    "special",
    "string",
    "variable",
]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_code_highlighting_colour_reads_at_4_5_to_1(browser, site_url, scheme):
    """On the code background and on a highlighted line (`hl_lines`), in both schemes."""
    page = open_site_page(browser, site_url, "authoring/front-matter/", scheme=scheme)
    ratios = page.evaluate(
        """names => {
          const code = document.querySelector('.highlight code');
          const style = getComputedStyle(code);
          const line = cbContrast.over(
            cbContrast.rgba(style.getPropertyValue('--md-code-hl-color--light')),
            cbContrast.background(code));
          const found = {};
          for (const name of names) {
            const probe = document.createElement('span');
            probe.style.color = `var(--md-code-hl-${name}-color)`;
            code.appendChild(probe);
            const colour = cbContrast.rgba(getComputedStyle(probe).color);
            probe.remove();
            found[name] = Math.min(
              cbContrast.ratio(cbContrast.over(colour, cbContrast.background(code)),
                               cbContrast.background(code)),
              cbContrast.ratio(cbContrast.over(colour, line), line));
          }
          return found;
        }""",
        HIGHLIGHT_COLOURS,
    )
    page.context.close()
    low = {name: round(ratio, 2) for name, ratio in ratios.items() if ratio < 4.5}
    assert low == {}
    # The YAML values the issue measured at 4.47:1 are in the page.
    assert len(ratios) == len(HIGHLIGHT_COLOURS)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_decks_reading_badges_and_arrows_have_contrast(browser, site_url, scheme):
    page = open_deck(browser, site_url, scheme=scheme)
    page.evaluate("() => Reveal.slide(1)")  # the readings slide
    badges = page.evaluate(
        """() => [...document.querySelectorAll('.present .cb-slide-readings__badge')]
          .map(b => [b.className, cbContrast.text(b)])"""
    )
    kinds = {name.split()[-1] for name, _ in badges}
    assert kinds == {"cb-slide-readings__badge", "cb-slide-readings__badge--optional"}
    assert [(name, round(r, 2)) for name, r in badges if r < 4.5] == []
    # The arrows are controls: 3:1 against the slide (WCAG 1.4.11).
    arrow = page.evaluate(
        "() => cbContrast.colour(getComputedStyle(document.querySelector("
        "'.reveal .controls .navigate-right')).color, document.querySelector('.reveal'))"
    )
    page.context.close()
    assert arrow >= 3


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    ("path", "selector"),
    [
        ("readings/", ".cb-reading__badge"),
        ("schedule/", ".cb-schedule__next-badge"),
        (NOTEBOOK, ".cb-notebook-actions .md-button"),
        (LECTURE, "article :is(p, li) > a"),
    ],
)
def test_coursebook_badges_buttons_and_links_have_contrast(
    browser, site_url, path, selector, scheme
):
    page = open_site_page(browser, site_url, path, scheme=scheme)
    page.evaluate("() => document.querySelectorAll('[hidden]').forEach(e => e.hidden = false)")
    ratios = page.evaluate(
        f"() => [...document.querySelectorAll({selector!r})]"
        ".filter(e => e.checkVisibility({opacityProperty: true}))"
        ".map(e => cbContrast.text(e))"
    )
    page.context.close()
    assert ratios
    assert [round(r, 2) for r in ratios if r < 4.5] == []


ANSI = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_terminal_colours_in_outputs_read_at_4_5_to_1(browser, site_url, scheme):
    """All 16 ANSI foreground colours on an output's background, and the output's text on
    each of the 8 background tints."""
    page = open_site_page(browser, site_url, NOTEBOOK, scheme=scheme)
    ratios = page.evaluate(
        """colours => {
          const output = document.querySelector('pre.nb-output');
          const found = {};
          for (const colour of colours) {
            for (const kind of [`${colour}-fg`, `${colour}-intense-fg`, `${colour}-bg`]) {
              const span = document.createElement('span');
              span.className = `ansi-${kind}`;
              span.textContent = 'x';
              output.appendChild(span);
              found[kind] = cbContrast.text(span);
              span.remove();
            }
          }
          return found;
        }""",
        ANSI,
    )
    page.context.close()
    assert len(ratios) == 24
    assert {kind: round(r, 2) for kind, r in ratios.items() if r < 4.5} == {}


# Keyboard and focus


FOCUS = """element => {
  element.focus();
  const style = getComputedStyle(element);
  const colour = style.outlineColor;
  return {
    focused: document.activeElement === element,
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    contrast: cbContrast.colour(colour, element.parentElement),
  };
}"""


def assert_focus_visible(ring: dict) -> None:
    assert ring["focused"]
    assert ring["style"] not in ("none", "hidden")
    assert ring["width"] >= 2
    assert ring["contrast"] >= 3  # against what is around it (WCAG 1.4.11)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    ("path", "selector"),
    [
        (LECTURE, ".cb-checklist__box"),
        ("criteria/", ".cb-checklist__box"),
        (NOTEBOOK, ".cb-notebook-actions__download"),
        (NOTEBOOK, ".cb-notebook-actions__colab"),
        (LECTURE, ".md-typeset p a"),
    ],
)
def test_keyboard_focus_is_visible(browser, site_url, path, selector, scheme):
    page = open_site_page(browser, site_url, path, scheme=scheme)
    # Reached by the keyboard, as a reader would: Tab from the element before it.
    page.keyboard.press("Tab")
    ring = page.locator(selector).first.evaluate(FOCUS)
    page.context.close()
    assert_focus_visible(ring)


def test_the_checkboxes_are_reached_with_tab_and_ticked_with_space(browser, site_url):
    page = open_site_page(browser, site_url, LECTURE)
    boxes = page.locator(".cb-checklist__box")
    boxes.nth(0).focus()
    # The criterion's anchor and its examples come between two boxes.
    for _ in range(6):
        page.keyboard.press("Tab")
        if boxes.nth(1).evaluate("e => document.activeElement === e"):
            break
    assert boxes.nth(1).evaluate("e => document.activeElement === e")
    assert boxes.nth(1).evaluate("e => e.matches(':focus-visible')")
    page.keyboard.press("Space")
    assert boxes.nth(1).is_checked()
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_decks_arrows_show_focus(browser, site_url, scheme):
    page = open_deck(browser, site_url, scheme=scheme)
    ring = page.locator(".reveal .controls .navigate-right").evaluate(FOCUS)
    page.context.close()
    assert_focus_visible(ring)


def test_wide_tables_on_a_phone_are_reachable_and_scroll_by_keyboard(browser, site_url):
    page = open_site_page(browser, site_url, WIDE_TABLES, width=390)
    page.wait_for_function("() => document.querySelector('[data-cb-scroll]')")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.md-typeset__scrollwrap')]
          .filter(e => e.scrollWidth > e.clientWidth)
          .map(e => [e.tabIndex, e.getAttribute('role'), e.getAttribute('aria-label')])"""
    )
    assert len(boxes) >= 2
    assert all(
        tab == 0 and role == "region" and name.startswith("Table") for tab, role, name in boxes
    )
    box = page.locator(".md-typeset__scrollwrap[data-cb-scroll]").first
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.md-typeset__scrollwrap[data-cb-scroll]').scrollLeft > 0"
    )
    # At a laptop's width the same tables fit: no tab stop that scrolls nothing.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_function(
        """() => [...document.querySelectorAll('.md-typeset__scrollwrap')]
          .every(e => (e.scrollWidth > e.clientWidth) === e.hasAttribute('data-cb-scroll'))"""
    )
    page.context.close()


def test_long_outputs_are_reachable_by_keyboard(browser, notebook_site_url):
    page = open_site_page(browser, notebook_site_url, "notebooks/big/training%20log/")
    page.wait_for_function("() => document.querySelector('.nb-long > pre[data-cb-scroll]')")
    long = page.evaluate(
        """() => [...document.querySelectorAll('.nb-long > pre')]
          .map(e => [e.tabIndex, e.getAttribute('role'), e.getAttribute('aria-label')])"""
    )
    page.context.close()
    assert long
    assert set(map(tuple, long)) == {(0, "region", "Cell output")}


def test_the_speaker_view_opens_from_the_keyboard_and_passes_axe(browser, site_url):
    """reveal.js's view as vendored has an unnamed layout <select>, untitled slide frames and
    timer zeros at 2.09:1; slides.js patches the view when it connects (refresh-vendor.sh
    replaces notes.js whole, so the patch lives outside it)."""
    page = open_deck(browser, site_url)
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => Reveal.getIndices().h") == 1
    with page.context.expect_page() as popup:
        page.keyboard.press("s")
    view = popup.value
    view.locator(".speaker-controls-notes").wait_for(timeout=15_000)
    view.wait_for_selector("html[data-cb-speaker-view]", state="attached", timeout=15_000)
    # The timer has ticked: its zero hours and minutes are muted.
    view.wait_for_selector(".speaker-controls-time .timer .minutes-value.mute", timeout=5_000)
    view.add_script_tag(path=str(AXE))
    assert view.evaluate(AXE_WCAG) == []
    assert view.evaluate("() => [...document.querySelectorAll('iframe')].map(f => f.title)") == [
        "Current slide",
        "Upcoming slide",
    ]
    page.context.close()


# Players


VIDEO_NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "cells": [
        markdown("# Videos\n\n## Video 1: Overview\n"),
        code(
            f'YouTubeVideo("{YOUTUBE_ID}")',
            [
                display(
                    {
                        "text/html": (
                            f'<iframe width="560" height="315" '
                            f'src="https://www.youtube.com/embed/{YOUTUBE_ID}"></iframe>'
                        ),
                        "text/plain": "<YouTubeVideo>",
                    },
                    metadata={
                        "coursebook": {
                            "video": {
                                "title": "Why deep networks generalize",
                                "transcript": "https://example.org/transcripts/overview.txt",
                                "captions": "en",
                            }
                        }
                    },
                )
            ],
        ),
        code(
            '# @title Video 2: Setting up { display-mode: "form" }\nYouTubeVideo("abc")',
            [
                display(
                    {
                        "text/html": '<iframe src="https://www.youtube.com/embed/abc"></iframe>',
                        "text/plain": "<YouTubeVideo>",
                    }
                )
            ],
        ),
        markdown(
            "## Talk\n\n"
            '<iframe src="https://player.vimeo.com/video/123" title="A talk on optimisers" '
            'data-cb-captions="true"></iframe>\n'
        ),
        markdown("## Untitled\n\nNothing above names it but this heading.\n"),
        code(
            "IFrame(...)",
            [
                display(
                    {
                        "text/html": '<iframe src="https://www.youtube.com/embed/xyz"></iframe>',
                        "text/plain": "<IFrame>",
                    }
                )
            ],
        ),
    ],
}
PLAYERS = "notebooks/videos/"
PALETTE = """  font: false
  palette:
    - scheme: default
      primary: indigo
      accent: deep orange
    - scheme: slate
      primary: indigo
      accent: deep orange"""


@pytest.fixture(scope="module")
def video_site(module_fixture_site):
    site = module_fixture_site(plugin_options="notebooks:\n  execute: false\n")
    # The template course's colours: an orange accent, and both schemes.
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    site.write("mkdocs.yml", config.replace("  font: false", PALETTE, 1))
    site.write("docs/notebooks/videos.ipynb", json.dumps(VIDEO_NOTEBOOK))
    build = site.build()
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="module")
def video_site_url(video_site):
    with serve_folder(video_site.site) as url:
        yield url


def test_players_are_named_by_their_videos_title(video_site):
    soup = video_site.html(PLAYERS + "index.html")
    names = [
        " ".join(button.get_text(" ", strip=True).split())
        for button in soup.select(".cb-embed__load")
    ]
    assert names == [
        "Play video: Why deep networks generalize (loads youtube.com)",  # output metadata
        "Play video: Video 2: Setting up (loads youtube.com)",  # its Colab form's title
        "Play video: A talk on optimisers (loads player.vimeo.com)",  # the iframe's own title
        "Play video: Untitled (loads youtube.com)",  # the heading above it
    ]
    # Each loaded player is titled as its button.
    frames = [
        BeautifulSoup(t.decode_contents(), "html.parser").iframe
        for t in soup.select("template.cb-embed__player")
    ]
    assert [f["title"] for f in frames] == [
        "Why deep networks generalize",
        "Video 2: Setting up",
        "A talk on optimisers",
        "Untitled",
    ]


def test_players_carry_their_captions_and_transcript(video_site):
    soup = video_site.html(PLAYERS + "index.html")
    embeds = soup.select("[data-cb-embed]")
    # What the audit reads: every video is marked, with its captions and transcript if any.
    assert [
        (e.has_attr("data-cb-video"), e.get("data-cb-captions"), e.get("data-cb-transcript"))
        for e in embeds
    ] == [
        (True, "en", "https://example.org/transcripts/overview.txt"),
        (True, None, None),
        (True, "true", None),
        (True, None, None),
    ]
    first = embeds[0]
    src = BeautifulSoup(first.template.decode_contents(), "html.parser").iframe["src"]
    assert src == f"https://www.youtube.com/embed/{YOUTUBE_ID}?cc_load_policy=1&cc_lang_pref=en"
    link = first.select_one(".cb-embed__extras a.cb-embed__transcript")
    assert link["href"] == "https://example.org/transcripts/overview.txt"
    assert link.get_text() == "Transcript of Why deep networks generalize"
    assert first.select_one(".cb-embed__captions").get_text() == "Captions (en)"


def test_player_buttons_have_unique_names_and_load_a_titled_frame(browser, video_site_url):
    context = browser.new_context()
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    page = context.new_page()
    page.goto(video_site_url + PLAYERS, wait_until="load")
    buttons = page.get_by_role("button", name=re.compile(r"^Play video: "))
    names = [buttons.nth(i).evaluate("e => e.textContent") for i in range(buttons.count())]
    assert len(names) == 4
    assert len(set(names)) == 4
    button = page.get_by_role(
        "button", name="Play video: Why deep networks generalize (loads youtube.com)"
    )
    button.focus()
    page.keyboard.press("Enter")  # keyboard-operable
    frame = page.locator("[data-cb-embed] iframe").first
    assert frame.get_attribute("title") == "Why deep networks generalize"
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_players_button_shows_focus(browser, video_site_url, scheme):
    page = open_site_page(browser, video_site_url, PLAYERS, scheme=scheme)
    page.keyboard.press("Tab")
    ring = page.locator(".cb-embed__load").first.evaluate(FOCUS)
    page.context.close()
    assert_focus_visible(ring)


def test_the_template_notebook_players_are_named(browser, notebook_site_url):
    page = open_site_page(browser, notebook_site_url, "notebooks/colab-tutorial/")
    names = page.evaluate(
        "() => [...document.querySelectorAll('.cb-embed__load')].map(b => b.textContent)"
    )
    page.context.close()
    assert names == ["Play video: Video 1: Introduction (loads youtube.com)"]


# Reduced motion


def test_under_reduced_motion_the_deck_does_not_animate(browser, site_url):
    page = open_deck(browser, site_url, reduced_motion="reduce")
    page.wait_for_timeout(600)  # reveal.js starts its controls tutorial after a moment
    running = page.evaluate(
        "() => document.getAnimations().filter(a => a.playState === 'running')"
        ".map(a => a.animationName || a.constructor.name)"
    )
    config = page.evaluate("() => Reveal.getConfig()")
    page.context.close()
    assert running == []
    assert config["transition"] == "none"
    assert config["controlsTutorial"] is False


def test_without_reduced_motion_the_deck_still_hints_at_the_next_slide(browser, site_url):
    """The control of the test above: the bounce it stops is there otherwise."""
    page = open_deck(browser, site_url, reduced_motion="no-preference")
    assert page.evaluate("() => Reveal.getConfig().controlsTutorial") is True
    page.context.close()


def test_under_reduced_motion_nothing_on_the_site_moves(browser, site_url):
    """mkdocs-material stops its own transitions under reduced motion; a guard that nothing
    coursebook or the course adds moves either (every element of a lecture page)."""
    durations = {}
    for motion in ("no-preference", "reduce"):
        context = browser.new_context(reduced_motion=motion)
        page = context.new_page()
        page.goto(site_url + LECTURE, wait_until="load")
        durations[motion] = page.evaluate(
            """() => [...document.querySelectorAll('*')].filter(e => {
              const style = getComputedStyle(e);
              const longest = value => Math.max(...value.split(',').map(parseFloat));
              return longest(style.transitionDuration) > 0.001
                || (style.animationName !== 'none' && longest(style.animationDuration) > 0.001);
            }).length"""
        )
        context.close()
    assert durations["no-preference"] > 0  # the page does move otherwise
    assert durations["reduce"] == 0


# Math


@pytest.mark.parametrize("path", [LECTURE, NOTEBOOK])
def test_formulas_carry_assistive_mathml_for_screen_readers(browser, site_url, path):
    page = open_site_page(browser, site_url, path)
    found = page.evaluate(
        """() => [...document.querySelectorAll('article mjx-container')].map(c => {
          const mml = c.querySelector(':scope > mjx-assistive-mml > math');
          return [!!mml, mml ? mml.textContent.trim().length > 0 : false,
                  c.querySelector(':scope > svg').getAttribute('aria-hidden')];
        })"""
    )
    configured = page.evaluate("() => MathJax.config.options.enableAssistiveMml")
    page.context.close()
    assert len(found) >= 3
    assert set(map(tuple, found)) == {(True, True, "true")}
    # Said in the course's configuration, not left to MathJax's defaults or a saved menu.
    assert configured is True


def test_math_on_slides_carries_assistive_mathml(browser, site_url):
    page = open_deck(browser, site_url)
    counts = page.evaluate(
        "() => [document.querySelectorAll('.slides mjx-container').length,"
        " document.querySelectorAll('.slides mjx-container > mjx-assistive-mml > math').length]"
    )
    page.context.close()
    assert counts[0] >= 3
    assert counts[0] == counts[1]


# Reflow


LONG_FORMULA = " + ".join(f"w_{{{i}}} x_{{{i}}}^{{2}}" for i in range(60))


@pytest.fixture(scope="module")
def reflow_site(course_site, tmp_path_factory):
    """The built lecture page with a very long inline formula and a long display formula put
    into its text, served from a copy of the site."""
    site = tmp_path_factory.mktemp("reflow") / "site"
    shutil.copytree(course_site.site, site)
    lecture = site / LECTURE / "index.html"
    soup = BeautifulSoup(lecture.read_text(encoding="utf-8"), "html.parser")
    paragraph = soup.new_tag("p", id="long-math")
    paragraph.append("The loss is ")
    inline = soup.new_tag("span", attrs={"class": "arithmatex"})
    inline.string = f"\\({LONG_FORMULA}\\)"
    paragraph.append(inline)
    paragraph.append(" summed over the batch.")
    display_math = soup.new_tag("div", attrs={"class": "arithmatex", "id": "long-display"})
    display_math.string = f"\\[{LONG_FORMULA}\\]"
    article = soup.select_one("article")
    article.h1.insert_after(paragraph)
    paragraph.insert_after(display_math)
    lecture.write_text(str(soup), encoding="utf-8")
    with serve_folder(site) as url:
        yield url


@pytest.mark.parametrize("width", [320, 640])
def test_a_long_formula_does_not_make_the_page_scroll_sideways(browser, reflow_site, width):
    page = open_site_page(browser, reflow_site, LECTURE, width=width)
    page.wait_for_function("() => document.querySelector('#long-math .cb-math--wide')")
    sizes = page.evaluate(
        """() => ({
          page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
          formula: document.querySelector('#long-math mjx-container > svg')
            .getBoundingClientRect().width,
          box: [document.querySelector('#long-math .arithmatex').scrollWidth,
                document.querySelector('#long-math .arithmatex').clientWidth],
        })"""
    )
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_WCAG)
    page.context.close()
    assert sizes["page"][0] <= sizes["page"][1]
    # The formula is whole, scrolling in its own box (its container is focusable: MathJax's).
    assert sizes["formula"] > width
    assert sizes["box"][0] > sizes["box"][1]
    assert violations == []
