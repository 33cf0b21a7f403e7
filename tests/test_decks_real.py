"""Decks from pages not written for slides (issue 22, item 7): thematic breaks and raw <hr>,
sections too tall for one slide, blocks too tall for any, and a site whose extra_javascript
(thebe, mermaid, analytics) and stylesheets from a CDN must stay out of the deck. Unit tests of
the splitter, real builds of fixture sites shaped like the issue's, and the split deck in
Chromium."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from coursebook.present import slide_sizes
from coursebook.present.browser import is_local, serve_folder
from coursebook.present.slides import split_slides

# --- The splitter alone ----------------------------------------------------------------------


def titles(deck) -> list[str | None]:
    return [slide.title_text or None for slide in deck.slides]


def code(lines: int) -> str:
    text = "\n".join(f"y{n} = x ** {n}" for n in range(lines))
    pre = f"<pre><span></span><code>{text}\n</code></pre>"
    return f'<div class="language-python highlight">{pre}</div>'


IMAGE = '<p><img alt="png" src="plot.png"></p>'


@pytest.mark.parametrize("rule", ["<hr>", "<hr/>", "<hr />", '<hr class="cell-break">'])
def test_a_rule_carries_the_title_on_and_consecutive_rules_collapse(rule):
    page = (
        f"<h1>T</h1>{rule}<p>Intro.</p>{rule}<h2>A</h2>{rule}<ul><li>a</li></ul>{rule}{rule}"
        f"<ul><li>b</li></ul>{rule}<p>Only said.</p>{rule}"
    )
    deck = split_slides(page, 2)
    # Before anything shows, and right after a heading, a rule breaks nothing.
    assert titles(deck) == ["A", "A (2/2)"]
    assert [s.body for s in deck.slides] == [["<ul><li>a</li></ul>"], ["<ul><li>b</li></ul>"]]
    # A slide after the last rule shows nothing: dropped, its notes go to the slide before.
    assert deck.slides[1].notes == ["<p>Only said.</p>"]
    assert deck.title_notes == ["<p>Intro.</p>"]


def test_what_comes_before_the_first_heading_takes_the_page_title():
    page = '<p>Intro.</p><div class="admonition">Box</div><hr><ul><li>x</li></ul><h2>A</h2>'
    deck = split_slides(page, 2, page_title="Plotting &amp; more")
    assert titles(deck) == ["Plotting & more", "Plotting & more (2/2)", "A"]
    # An H1 in the page wins: the page's own markup.
    with_h1 = split_slides("<h1>Page <em>title</em></h1>" + page, 2, page_title="Meta")
    assert with_h1.slides[0].title == "Page <em>title</em>"


def test_a_tall_section_is_split_at_its_figures_and_code_blocks():
    page = (
        '<h2 id="four-plots">Four plots</h2><p>Intro.</p>'
        + code(20)
        + "<p>The first plot.</p>"
        + IMAGE
        + IMAGE
        + code(20)
        + IMAGE
        + code(20)
        + IMAGE
    )
    deck = split_slides(page, 2)
    assert titles(deck) == ["Four plots"] + [f"Four plots ({n}/7)" for n in range(2, 8)]
    kinds = [[re.match(r"<(\w+)", b).group(1) for b in s.body] for s in deck.slides]
    assert kinds == [["div"], ["p"], ["p"], ["div"], ["p"], ["div"], ["p"]]
    # Prose goes with the block after it, which it introduces.
    assert deck.slides[0].notes == ["<p>Intro.</p>"]
    assert deck.slides[1].notes == ["<p>The first plot.</p>"]
    # A link to the section (#/four-plots) opens its first slide.
    assert [s.id for s in deck.slides] == ["four-plots"] + [None] * 6
    assert all(s.too_big is None for s in deck.slides)


def test_blocks_that_fit_together_share_a_slide():
    page = "<h2>Small</h2>" + code(2) + '<p><img alt="" src="a.png" width="400" height="80"></p>'
    page += code(2) + '<p><img alt="" src="b.png" width="400" height="80"></p>'
    assert titles(split_slides(page, 2)) == ["Small"]


def test_a_section_without_figures_or_code_is_not_split_but_shrunk():
    # Taller than the frame (842 px), within it shrunk to 60 % (1,073 px).
    items = "".join(f"<li>item {n}</li>" for n in range(6))
    page = f"<h2>Lists</h2><ul>{items}</ul><ul>{items}</ul>"
    deck = split_slides(page, 2)
    assert titles(deck) == ["Lists"]
    assert deck.slides[0].too_big is None


def test_a_heading_inside_a_slide_stays_with_what_it_heads():
    page = "<h2>A</h2>" + code(10) + "<h3>Sub</h3>" + code(10)
    deck = split_slides(page, 2)
    assert titles(deck) == ["A", "A (2/2)"]
    assert deck.slides[1].body[0] == "<h3>Sub</h3>"


def test_a_block_too_tall_even_shrunk_is_named():
    deck = split_slides("<h2>Training loop</h2>" + code(200) + IMAGE, 2, min_scale=0.6)
    assert titles(deck) == ["Training loop", "Training loop (2/2)"]
    assert deck.slides[0].too_big == (
        "a code block of 200 lines, about 7,643 px tall where a slide has 644 px "
        "(1,073 px with its text shrunk to 60 %)"
    )
    assert deck.slides[1].too_big is None
    rows = "".join(f"<tr><td>{n}</td></tr>" for n in range(40))
    table = split_slides(f"<h2>Data</h2><table>{rows}</table>", 2)
    assert table.slides[0].too_big.startswith("a table of 40 rows, about 3,952 px tall")


def test_estimates_read_line_counts_rows_and_image_sizes():
    def size(html):
        from coursebook.present.slides import top_level_blocks

        block = top_level_blocks(html)[0]
        return slide_sizes.estimate(block.tag, block.classes, block.html, lambda: block.text)

    assert size(code(10)).height == 43 + 38 * 10
    assert size(code(10)).kind == "code"
    # An image with its size: as tall as drawn, scaled to the frame's width, capped.
    assert size('<p><img src="a.png" width="300" height="100"></p>').height == 100 + 44
    assert size('<p><img src="a.png" width="2336" height="400"></p>').height == 200 + 44
    assert size('<p><img src="a.png" height="2000"></p>').height == 440 + 44
    assert size("<table><tr><td>1</td></tr><tr><td>2</td></tr></table>").height == 98 * 2 + 32


# --- Real builds of sites shaped like the issue's ----------------------------------------------

CONFIG = """\
site_name: Converted course
theme:
  name: material
  font: false
plugins:
  - search
  - coursebook:
      timezone: UTC
      notebooks:
        execute: false
markdown_extensions:
  - admonition
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.highlight
  - pymdownx.superfences
extra_javascript:
  - https://unpkg.com/thebe@0.9.2/lib/index.js
  - https://unpkg.com/mermaid@10/dist/mermaid.min.js
  - javascripts/analytics.js
extra_css:
  - https://cdn.example.org/fonts.css
  - stylesheets/extra.css
"""


def python(lines: int, name: str) -> str:
    body = "\n".join(f"{name}_{n} = np.sin(x * {n}) + {n}  # step {n}" for n in range(lines))
    return f"```python\n{body}\n```"


# As `jupyter nbconvert --to markdown` writes a lecture notebook whose Markdown cells separate
# themselves with raw <hr> (each spelling) and thematic breaks, and whose plots are files.
LECTURE = f"""\
---
title: Plotting with matplotlib
lecture: 3
date: 2027-01-27
---

<script type="text/x-thebe-config">{{"binderOptions": {{"repo": "example/course"}}}}</script>

# Plotting with matplotlib

<hr>

In this notebook we plot.

```python
import numpy as np
import matplotlib.pyplot as plt
```

<hr/>

<hr class="cell-break">

## Setup

We need a grid.

```python
x = np.linspace(0, 1, 100)
```

$$
y = \\sin(x)
$$

***

## Four plots

Four ways to look at the same data.

{python(20, "a")}

![png](03-plots_files/03-plots_5_0.png)

![png](03-plots_files/03-plots_5_1.png)

{python(20, "b")}

![png](03-plots_files/03-plots_7_0.png)

{python(20, "c")}

![png](03-plots_files/03-plots_9_0.png)

___

- What the four plots show

---

Only prose after the last break.

<hr>
"""

TOO_BIG = """\
---
title: A long listing
lecture: 4
date: 2027-02-03
---

# A long listing

## The whole training script

{code}
"""

DECK = "lectures/03-plots/slides/index.html"
PLOTS = ["03-plots_5_0", "03-plots_5_1", "03-plots_7_0", "03-plots_9_0"]


def png(width: int, height: int) -> bytes:
    """A plain PNG of that size (a matplotlib figure's default is 640×480)."""
    row = b"\x00" + b"\x40\x60\xa0" * width
    data = zlib.compress(row * height)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def converted_site(fixture_site):
    site = fixture_site()
    site.write("mkdocs.yml", CONFIG)
    site.write("docs/javascripts/analytics.js", "window.analytics = true;\n")
    site.write("docs/stylesheets/extra.css", ".md-typeset { }\n")
    site.write("docs/lectures/03-plots.md", LECTURE)
    for name in PLOTS:
        site.write(f"docs/lectures/03-plots_files/{name}.png", png(640, 480))
    return site


@pytest.fixture(scope="module")
def converted(module_fixture_site):
    build = converted_site(module_fixture_site).build()
    assert build.returncode == 0, build.log
    return build


def sections(build, path: str = DECK):
    return build.html(path).select(".reveal .slides > section")


def test_the_converted_lecture_has_titled_slides_and_none_empty(converted):
    found = sections(converted)
    assert [s["data-cb-title"] for s in found] == [
        "Plotting with matplotlib",  # the title slide
        "Plotting with matplotlib",  # what the page shows before its first heading
        "Setup",
        "Four plots",
        *[f"Four plots ({n}/8)" for n in range(2, 9)],
    ]
    for section in found:
        content = section.select_one(".cb-slide__content")
        title = content.find(class_="cb-slide__title") or content.find(class_="cb-title__title")
        assert title.get_text(strip=True), section
        shown = [child for child in content.find_all(recursive=False) if child is not title]
        assert shown, f"empty slide: {section['data-cb-title']}"
    assert converted.html(DECK).select("hr") == []


def test_the_tall_section_is_split_one_figure_or_code_block_a_slide(converted):
    four = [s for s in sections(converted) if s["data-cb-title"].startswith("Four plots")]
    shown = []
    for section in four:
        content = section.select_one(".cb-slide__content")
        shown.append(
            [
                "code"
                if child.select_one("pre")
                else "figure"
                if child.select_one("img")
                else "list"
                for child in content.find_all(recursive=False)
                if "cb-slide__title" not in child.get("class", [])
            ]
        )
    assert shown == [
        ["code"],
        ["figure"],
        ["figure"],
        ["code"],
        ["figure"],
        ["code"],
        ["figure"],
        ["list"],
    ]
    sources = [img["src"] for section in four for img in section.select("img")]
    assert sources == [f"../../03-plots_files/{name}.png" for name in PLOTS]
    # The prose of each part stays in the notes of the slide it introduces; the prose after
    # the last break joins the last slide's notes.
    assert "Four ways to look" in four[0].select_one("aside.notes").get_text()
    assert "Only prose after the last break." in four[-1].select_one("aside.notes").get_text()
    assert "too big" not in converted.log.lower()
    assert "WARNING" not in converted.log


def test_the_deck_loads_only_its_own_scripts_and_the_sites_own_stylesheets(converted):
    deck = converted.html(DECK)
    folder = converted.site / "lectures/03-plots/slides"
    scripts = [s["src"] for s in deck.select("script[src]")]
    assets = "../../../assets/coursebook/"
    assert scripts == [
        assets + "vendor/reveal/reveal.js",
        assets + "vendor/reveal/notes.js",
        assets + "slides-math.js",
        assets + "vendor/mathjax/tex-svg-full.js",
        assets + "slides.js",
    ]
    for src in scripts:
        assert (folder / src).resolve().is_file(), src
    # Not the site's extra_javascript, nor the page's own thebe configuration.
    assert not [s for s in deck.select("script") if "thebe" in (s.get("src", "") + s.text)]
    stylesheets = [link["href"] for link in deck.select("link[rel=stylesheet]")]
    assert "../../../stylesheets/extra.css" in stylesheets
    assert not [href for href in stylesheets if re.match(r"(https?:)?//", href)]
    # The lecture page itself still loads what the site configured.
    page = [s["src"] for s in converted.html("lectures/03-plots/index.html").select("script[src]")]
    assert "https://unpkg.com/thebe@0.9.2/lib/index.js" in page


def test_a_deck_without_math_loads_no_mathjax(fixture_site):
    site = converted_site(fixture_site)
    site.write("docs/lectures/03-plots.md", LECTURE.replace("$$\ny = \\sin(x)\n$$", ""))
    build = site.build()
    assert build.returncode == 0, build.log
    scripts = [s["src"] for s in build.html(DECK).select("script[src]")]
    assert [src.rsplit("/", 1)[-1] for src in scripts] == ["reveal.js", "notes.js", "slides.js"]


def test_a_block_too_tall_for_any_slide_fails_a_strict_build_naming_it(fixture_site):
    site = converted_site(fixture_site)
    site.write("docs/lectures/04-long.md", TOO_BIG.format(code=python(200, "s")))
    message = (
        'coursebook: docs/lectures/04-long.md: slide 2 "The whole training script" cannot fit '
        "1280×720: a code block of 200 lines, about 7,643 px tall where a slide has 644 px "
        "(1,073 px with its text shrunk to 60 %); shorten it, or keep it on the page only "
        "(page-only, see docs/authoring/slides.md)"
    )
    strict = site.build()
    assert strict.returncode == 1
    assert f"WARNING -  {message}" in strict.log
    # Not strict: the warning, the deck written; built again from the cache, still reported.
    for _ in range(2):
        loose = site.build(strict=False)
        assert loose.returncode == 0, loose.log
        assert loose.log.count(message) == 1, loose.log
    assert (loose.site / "lectures/04-long/slides/index.html").is_file()


# --- The split deck in Chromium ----------------------------------------------------------------


def test_no_slide_of_the_split_deck_overflows_and_nothing_leaves_the_site(converted, browser):
    off_site: list[str] = []
    errors: list[str] = []

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            off_site.append(route.request.url)
            route.abort()

    with serve_folder(converted.site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        context.route("**/*", guard)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "lectures/03-plots/slides/", wait_until="load")
        page.wait_for_selector("html[data-cb-deck=ready]", state="attached", timeout=30_000)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => Reveal.getTotalSlides()") == 11
        assert page.evaluate("() => window.coursebookDeck.overflowing") == []
        # Measured apart from the fit script: each slide's content, as zoomed, is no taller
        # than the slide (reveal's 1280×720 canvas), and the formula is typeset by the deck's
        # own MathJax.
        measured = page.evaluate(
            """async () => {
              const found = [];
              for (let i = 0; i < Reveal.getTotalSlides(); i++) {
                Reveal.slide(i);
                await new Promise(requestAnimationFrame);
                const slide = Reveal.getCurrentSlide();
                const frame = slide.querySelector('.cb-slide__frame');
                const content = slide.querySelector('.cb-slide__content');
                const zoom = parseFloat(content.style.zoom || '1');
                found.push({
                  title: slide.dataset.cbTitle,
                  slide: slide.offsetHeight,
                  frame: frame.scrollHeight,
                  content: content.getBoundingClientRect().bottom
                    - slide.getBoundingClientRect().top,
                  box: slide.getBoundingClientRect().height,
                  zoom,
                });
              }
              return found;
            }"""
        )
        assert page.locator(".reveal mjx-container").count() == 1
        context.close()
    assert off_site == []
    assert errors == []
    for slide in measured:
        assert slide["slide"] == 720, slide
        assert slide["frame"] <= slide["slide"] + 1, slide  # scrollHeight rounds up
        assert slide["content"] <= slide["box"] + 1, slide
    # Split, not shrunk to the minimum (0.6): a slide of a 20-line code block under its title
    # (900 px) is shrunk to about 0.7, a plot's slide not at all.
    zooms = {slide["title"]: slide["zoom"] for slide in measured}
    assert min(zooms.values()) > 0.65, zooms
    assert zooms["Four plots (2/8)"] == 1
