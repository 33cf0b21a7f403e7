"""An adversarial review of issue 24's keyboard, contrast, video and math promises, as a course
forking the template would meet them: odd players' metadata, another palette, keyboard only.
Each test is one attack; the ones that found a defect are fixed or xfail(strict) with it named."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from coursebook.present.browser import serve_folder
from notebook_fixtures import code, display, markdown
from test_a11y_browser import CONTRAST, PALETTE, SCHEMES, SETTLED
from test_browser import AXE, MATH_READY


def _player(src: str, video: dict | None = None, extra: str = "") -> dict:
    return code(
        "YouTubeVideo(...)",
        [
            display(
                {"text/html": f'<iframe src="{src}"{extra}></iframe>', "text/plain": "<Video>"},
                metadata={"coursebook": {"video": video}} if video else None,
            )
        ],
    )


SAME = {"title": "Lecture recap", "captions": True}
ODD_PLAYERS = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "cells": [
        markdown("# Odd players\n"),
        _player("https://www.youtube.com/embed/aaa", SAME),
        _player("https://www.youtube.com/embed/bbb", SAME),
        _player("https://www.youtube.com/embed/ccc", SAME),
        _player("https://player.vimeo.com/video/76979871", {"transcript": "transcripts/v.txt"}),
        _player(
            "https://www.youtube.com/embed/ddd",
            extra=' title="Say &quot;hi&quot; &lt;b&gt;loud&lt;/b&gt; &amp; clear"',
        ),
        _player(
            "https://www.youtube.com/embed/eee",
            {"title": "Scripted", "transcript": "javascript:alert(1)"},
        ),
        _player("https://www.youtube.com/embed/fff", {"title": "Said no", "captions": "no"}),
        _player(
            "https://www.youtube.com/embed/ggg", {"title": "Odd tag", "captions": "xx-invalid"}
        ),
    ],
}
PLAYERS = "notebooks/odd/"


@pytest.fixture(scope="module")
def odd_site(module_fixture_site):
    site = module_fixture_site(plugin_options="notebooks:\n  execute: false\n")
    site.write("docs/notebooks/odd.ipynb", json.dumps(ODD_PLAYERS))
    # A palette (both schemes), so that mkdocs-material ships all its colours to switch between.
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    site.write("mkdocs.yml", config.replace("  font: false", PALETTE, 1))
    build = site.build()
    assert build.returncode == 0, build.log
    return build


def _embeds(build) -> list:
    return build.html(PLAYERS + "index.html").select("[data-cb-embed]")


def _frame(embed) -> BeautifulSoup:
    return BeautifulSoup(embed.template.decode_contents(), "html.parser").iframe


def test_a_title_with_quotes_and_markup_is_text_in_the_button_and_the_frame(odd_site):
    embed = _embeds(odd_site)[4]
    title = 'Say "hi" <b>loud</b> & clear'
    assert embed.select_one(".cb-embed__title").get_text() == title
    assert embed.select_one(".cb-embed__load b") is None  # not markup
    assert _frame(embed)["title"] == title


def test_a_vimeo_player_is_a_named_video_with_its_transcript(odd_site):
    embed = _embeds(odd_site)[3]
    assert embed.has_attr("data-cb-video")
    assert embed.select_one(".cb-embed__host").get_text() == "(loads player.vimeo.com)"
    assert embed.select_one("a.cb-embed__transcript")["href"] == "transcripts/v.txt"
    assert embed.select_one(".cb-embed__address a")["href"] == "https://vimeo.com/76979871"


def test_a_javascript_transcript_address_never_becomes_a_link(odd_site):
    embed = _embeds(odd_site)[5]
    hrefs = [a["href"] for a in embed.select("a[href]")]
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], hrefs
    # Not a transcript either: the audit still asks for one.
    assert not embed.has_attr("data-cb-transcript")


def test_captions_no_is_not_captions(odd_site):
    embed = _embeds(odd_site)[6]
    assert not embed.has_attr("data-cb-captions")
    assert embed.select_one(".cb-embed__captions") is None
    assert "cc_load_policy" not in _frame(embed)["src"]


def test_three_players_with_one_title_keep_their_captions(odd_site):
    embeds = _embeds(odd_site)[:3]
    assert [e.get("data-cb-captions") for e in embeds] == ["true"] * 3


@pytest.mark.xfail(
    strict=True,
    reason="three players whose metadata give one title ('Lecture recap') get three identical "
    "button names and three identical frame titles (axe frame-title-unique, which axe only "
    "reports as 'needs review', so the audit is silent): the issue's '11 identical names' "
    "come back whenever an author repeats a title; a page-level pass should number them",
)
def test_three_players_with_one_title_have_distinct_names(odd_site):
    embeds = _embeds(odd_site)[:3]
    names = [" ".join(e.select_one(".cb-embed__load").get_text(" ").split()) for e in embeds]
    assert len(set(names)) == 3, names
    assert len({_frame(e)["title"] for e in embeds}) == 3


# In the browser: keyboard-only, and another course's palette.


@pytest.fixture(scope="module")
def odd_site_url(odd_site):
    with serve_folder(odd_site.site) as url:
        yield url


def test_space_loads_a_player_and_the_player_takes_the_focus(browser, odd_site_url):
    context = browser.new_context()
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    page = context.new_page()
    page.goto(odd_site_url + PLAYERS, wait_until="load")
    # Keyboard only: Tab from the top of the page reaches the first player's button.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.cb-embed__load')"):
            break
    assert page.evaluate("() => document.activeElement.textContent").startswith(
        "Play video: Lecture recap"
    )
    page.keyboard.press(" ")
    focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.title]")
    context.close()
    assert focused == ["IFRAME", "Lecture recap"]


ACCENTS = [
    "red",
    "pink",
    "purple",
    "deep-purple",
    "indigo",
    "blue",
    "light-blue",
    "cyan",
    "teal",
    "green",
    "light-green",
    "lime",
    "yellow",
    "amber",
    "orange",
    "deep-orange",
]
PRIMARIES = [*ACCENTS, "brown", "grey", "blue-grey", "black", "white"]
# The term's markup (templates/_term_entry.html, term_weeks.html, the assignments' status) and
# the deck's (slides.css), measured under each of mkdocs-material's palettes in turn.
TERM_MARKUP = """<div id="probe">
  <div class="cb-week cb-week--current"><span class="cb-week__dates">08 Sep – 14 Sep</span>
  <span class="cb-week__badge">This week</span>
  <ul class="cb-week__entries">
    <li class="cb-entry cb-entry--due"><span class="cb-entry__kind">Due</span></li>
    <li class="cb-entry cb-entry--exam"><span class="cb-entry__kind">Exam</span></li>
  </ul></div>
  <ul class="cb-week__entries">
    <li class="cb-entry cb-entry--due"><span class="cb-entry__kind">Due</span></li>
  </ul>
  <span class="cb-status cb-status--open">Open</span>
</div>"""
DECK_MARKUP = """<div id="probe" class="reveal"><div class="md-typeset">
  <h2 class="cb-slide__title">A slide</h2>
  <ul class="cb-slide-readings"><li><span class="cb-slide-readings__badge">Required</span></li>
  </ul></div></div>"""
MEASURE = """([markup, where, palettes]) => {
  const low = [];
  for (const [primary, accent, scheme] of palettes) {
    document.body.setAttribute('data-md-color-primary', primary);
    document.body.setAttribute('data-md-color-accent', accent);
    document.body.setAttribute('data-md-color-scheme', scheme);
    document.querySelector(where).insertAdjacentHTML('beforeend', markup);
    for (const e of document.querySelectorAll('#probe :is(span, h2)')) {
      const ratio = cbContrast.text(e);
      const large = parseFloat(getComputedStyle(e).fontSize) >= 24;
      if (ratio < (large ? 3 : 4.5)) {
        low.push(`${scheme} ${primary}/${accent}: ${e.className} ${ratio.toFixed(2)}`);
      }
    }
    document.getElementById('probe').remove();
  }
  return low;
}"""


def _palette_page(browser, base: str, *, deck: bool = False):
    page = browser.new_page()
    page.goto(base + PLAYERS, wait_until="load")
    if deck:
        page.add_style_tag(url=base + "assets/coursebook/slides.css")
    page.add_style_tag(content=SETTLED)
    page.evaluate(CONTRAST)
    return page


@pytest.mark.parametrize("scheme", SCHEMES.values())
def test_the_terms_badges_and_due_labels_read_with_every_accent(browser, odd_site_url, scheme):
    page = _palette_page(browser, odd_site_url)
    low = page.evaluate(MEASURE, [TERM_MARKUP, "article", [["indigo", a, scheme] for a in ACCENTS]])
    page.close()
    assert low == []


@pytest.mark.xfail(
    strict=True,
    reason="slides.css draws slide titles in --md-primary-fg-color (light scheme: 1:1 for "
    "primary white, 1.21 yellow, 1.63 amber, 2.27 cyan; dark: 1.07 for black) and the "
    "'Required' badge in --md-primary-bg-color on --md-primary-fg-color (3.45 red, 3.19 blue, "
    "2.78 deep orange, 2.1 light green, both schemes); only the template's indigo was measured",
)
@pytest.mark.parametrize("scheme", SCHEMES.values())
def test_the_decks_titles_and_badges_read_with_every_primary(browser, odd_site_url, scheme):
    page = _palette_page(browser, odd_site_url, deck=True)
    low = page.evaluate(MEASURE, [DECK_MARKUP, "body", [[p, "indigo", scheme] for p in PRIMARIES]])
    page.close()
    assert low == []


# A past and a current week as templates/term_weeks.html and _term_entry.html write them (the
# template course's audit runs on a day before its term, so it never meets a past week), the
# assignments' statuses and the announcements block, under the brief's yellow accent.
TERM_BLOCKS = """<div id="probe"><section class="cb-week cb-week--past">
<h3 class="cb-week__title">Week 1 <span class="cb-week__dates">01 Sep – 07 Sep</span>
<span class="cb-week__badge">This week</span></h3>
<ul class="cb-week__entries">
<li class="cb-entry cb-entry--lecture"><time class="cb-entry__day">Mon 01 Sep</time>
<span class="cb-entry__time">10:00–11:00</span><span class="cb-entry__kind">Lecture</span>
<span class="cb-entry__title"><a href="#probe">Intro</a></span>
<span class="cb-entry__place">Room 1</span></li>
<li class="cb-entry cb-entry--due"><time class="cb-entry__day">Fri 05 Sep</time>
<span class="cb-entry__time">23:59 UTC</span><span class="cb-entry__kind">Due</span>
<span class="cb-entry__title">Homework 1</span></li></ul></section>
<section class="cb-week cb-week--current"><h3 class="cb-week__title">Week 2
<span class="cb-week__dates">08 Sep – 14 Sep</span>
<span class="cb-week__badge">This week</span></h3>
<ul class="cb-week__entries"><li class="cb-entry cb-entry--exam"><time class="cb-entry__day">
Mon 08 Sep</time><span class="cb-entry__time"></span><span class="cb-entry__kind">Exam</span>
<span class="cb-entry__title">Midterm</span></li></ul></section>
<table><tr><td data-label="Status"><span class="cb-status cb-status--open">Open</span></td>
<td><span class="cb-status cb-status--closed">Closed</span></td></tr></table>
<div class="cb-announcements"><article class="cb-announcement"><p class="cb-announcement__title">
<time datetime="2026-09-01">Tue 01 Sep 2026</time> · <a href="#probe">Welcome</a></p></article>
<p class="cb-announcements__more"><a href="#probe">All announcements</a></p></div>
</div>"""


@pytest.mark.parametrize("scheme", SCHEMES.values())
def test_the_terms_blocks_pass_axe_contrast_on_a_phone_with_a_yellow_accent(
    browser, odd_site_url, scheme
):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(odd_site_url + PLAYERS, wait_until="load")
    page.add_style_tag(content=SETTLED)
    page.evaluate(f"() => document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.evaluate("() => document.body.setAttribute('data-md-color-accent', 'yellow')")
    page.evaluate(
        "m => document.querySelector('article').insertAdjacentHTML('afterbegin', m)", TERM_BLOCKS
    )
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run('#probe', {runOnly: ['color-contrast']})).violations
          .flatMap(v => v.nodes.map(n => n.target.join(' ') + ': ' + n.any[0].message))"""
    )
    page.close()
    assert found == []


# docs/authoring/adopt.md step 5 for a course that already has mkdocs-material's documented
# MathJax set-up (this configuration, with its document$ re-typeset) from before issue 24.
MATERIALS_MATHJAX_CONFIG = r"""window.MathJax = {
  tex: {inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]],
        processEscapes: true, processEnvironments: true},
  options: {ignoreHtmlClass: ".*|", processHtmlClass: "arithmatex"}
};
document$.subscribe(() => {
  MathJax.startup.output.clearCache();
  MathJax.typesetClear();
  MathJax.texReset();
  MathJax.typesetPromise();
});
"""


def test_a_courses_own_older_mathjax_config_keeps_assistive_mathml(browser, module_fixture_site):
    site = module_fixture_site()
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    site.write(
        "mkdocs.yml",
        config
        + "extra_javascript:\n  - assets/javascripts/mathjax-config.js\n"
        + "  - path: assets/vendor/mathjax/tex-svg-full.js\n    async: true\n",
    )
    site.write("docs/assets/javascripts/mathjax-config.js", MATERIALS_MATHJAX_CONFIG)
    vendor = site.root / "docs/assets/vendor/mathjax"
    vendor.mkdir(parents=True)
    shutil.copy(ROOT / "docs/assets/vendor/mathjax/tex-svg-full.js", vendor)
    site.write("docs/index.md", "# Math\n\nWeight decay, $\\lambda \\|w\\|^2$, pulls.\n")
    build = site.build()
    assert build.returncode == 0, build.log
    with serve_folder(build.site) as url:
        page = browser.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_function(MATH_READY)
        page.wait_for_timeout(300)  # document$'s second typeset
        spoken = page.evaluate(
            "() => [...document.querySelectorAll('mjx-container')]"
            ".map(c => c.querySelector('mjx-assistive-mml math')?.textContent)"
        )
        page.close()
    assert spoken == ["λ∥w∥2"]


@pytest.mark.xfail(
    strict=True,
    reason="the focus ring is drawn in the link colour (--cb-focus-color: --md-typeset-a-color), "
    "which mkdocs-material's light scheme sets under 3:1 on white for 8 primaries (light blue "
    "2.71, cyan 2.27, green 2.81, light green 2.72, yellow 2.49, amber 2.46, orange 2.63, deep "
    "orange 2.78): a fork with one has no visible focus on its checkboxes and buttons; axe flags "
    "the links' contrast, never the ring",
)
def test_the_focus_ring_reads_at_3_to_1_under_every_primary(browser, odd_site_url):
    page = _palette_page(browser, odd_site_url)
    low = page.evaluate(
        """primaries => {
          const low = [];
          const box = document.querySelector('.cb-embed__load');
          for (const scheme of ['default', 'slate']) {
            for (const primary of primaries) {
              document.body.setAttribute('data-md-color-scheme', scheme);
              document.body.setAttribute('data-md-color-primary', primary);
              const ring = getComputedStyle(box).getPropertyValue('--cb-focus-color').trim();
              const ratio = cbContrast.colour(ring, document.querySelector('.md-content'));
              if (ratio < 3) low.push(`${scheme} ${primary} ${ratio.toFixed(2)}`);
            }
          }
          return low;
        }""",
        PRIMARIES,
    )
    page.close()
    assert low == [], "; ".join(low)
