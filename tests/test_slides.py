"""Lecture decks: slide splitting (unit), real builds of fixture sites, and Lecture 2's deck
against the course's original slides (the seed)."""

from __future__ import annotations

import json
import re

import pytest
from coursebook.present.slides import (
    CourseBlocks,
    CriteriaSlide,
    deck_url,
    page_url_rebaser,
    rebase_urls,
    split_slides,
    top_level_blocks,
)
from test_course_site import RUN_TOGETHER, SEED, normalize

# --- The splitter alone ----------------------------------------------------------------------


def titles(deck) -> list[str | None]:
    return [slide.title_text or None for slide in deck.slides]


def test_top_level_blocks_keep_each_block_as_the_page_has_it():
    source = (
        '<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2>\n<p>One <em>two</em></p>\n'
        "<!-- marker -->\n<hr />\n<ul>\n<li>x<ul><li>y</li></ul></li>\n</ul>\n"
        '<img alt="" src="p.png">\ntext'
    )
    blocks = top_level_blocks(source)
    assert [b.tag for b in blocks] == ["h2", "p", "hr", "ul", "img", ""]
    assert blocks[1].html == "<p>One <em>two</em></p>"
    assert blocks[3].html == "<ul>\n<li>x<ul><li>y</li></ul></li>\n</ul>"
    assert blocks[5].html == "text"


def test_headings_down_to_the_level_start_slides_deeper_ones_stay():
    page = "<h1>T</h1><h2>A</h2><ul><li>a</li></ul><h3>B</h3><ul><li>b</li></ul><h2>C</h2>"
    assert titles(split_slides(page, 2)) == ["A", "C"]
    assert titles(split_slides(page, 3)) == ["A", "B", "C"]
    # Level 1: the page's title is the title slide; the rest is one slide that carries it.
    only = split_slides(page, 1)
    assert titles(only) == ["T"]
    assert only.slides[0].body[0].startswith("<h2>A</h2>")


def test_a_rule_breaks_a_slide_and_a_heading_after_it_is_its_title():
    page = (
        "<h2>A</h2><ul><li>a</li></ul><hr><h4>Deep</h4><ul><li>d</li></ul><hr><ol><li>x</li></ol>"
    )
    deck = split_slides(page, 2)
    assert titles(deck) == ["A", "Deep", "Deep (2/2)"]
    assert deck.slides[1].title_tag == "h4"
    assert deck.slides[2].body == ["<ol><li>x</li></ol>"]


def test_prose_goes_to_the_notes_and_the_rest_stays_on_the_slide():
    page = (
        "<h2>A</h2><p>Prose.</p><ul><li>item</li></ul><table><tr><td>1</td></tr></table>"
        '<div class="admonition note"><p>Box</p></div><div class="highlight"><pre>x</pre></div>'
        '<div class="arithmatex">\\[x\\]</div><p><img alt="plot" src="p.png"></p>'
        "<details><summary>Q</summary><p>A</p></details>"
    )
    # Too tall for one slide, so split (see the tests of splitting below).
    slides = split_slides(page, 2).slides
    assert [s.notes for s in slides] == [["<p>Prose.</p>"]] + [[]] * (len(slides) - 1)
    body = [block for slide in slides for block in slide.body]
    assert [re.match(r"<(\w+)", b).group(1) for b in body] == [
        "ul",
        "table",
        "div",
        "div",
        "div",
        "p",
        "details",
    ]
    assert body[-1].startswith("<details open>")


def test_classes_override_where_a_block_goes():
    page = (
        '<h2>A</h2><p class="slide">Kept.</p><ul class="notes"><li>Told.</li></ul>'
        '<div class="page-only"><p>Page.</p></div><p class="slides-only">Deck.</p>'
    )
    slide = split_slides(page, 2).slides[0]
    assert slide.body == ['<p class="slide">Kept.</p>', '<p class="slides-only">Deck.</p>']
    assert slide.notes == ['<ul class="notes"><li>Told.</li></ul>']


def test_a_heading_directly_followed_by_a_subheading_is_a_section_slide():
    page = "<h2>S</h2><h3>T</h3><ul><li>t</li></ul><h2>U</h2><p>p</p><h3>V</h3>"
    deck = split_slides(page, 3)
    assert [(s.title_text, s.kind) for s in deck.slides] == [
        ("S", "section"),
        ("T", "content"),
        ("U", "content"),
        ("V", "content"),
    ]


def test_before_the_first_slide_prose_is_title_notes_and_blocks_a_slide_with_the_page_title():
    page = (
        '<div class="cb-handout-header">H</div><h1>Title</h1><div class="cb-lecture-actions">'
        '</div><p>Intro.</p><div class="admonition">Box</div><h2>A</h2>'
    )
    deck = split_slides(page, 2)
    assert deck.title_notes == ["<p>Intro.</p>"]
    assert titles(deck) == ["Title", "A"]
    assert deck.slides[0].body == ['<div class="admonition">Box</div>']


def test_course_objects_replace_the_page_blocks_and_add_a_notebook_slide():
    course = CourseBlocks(
        readings="<ol>short</ol>",
        notebooks="<ul>nb</ul>",
        criteria={"good": CriteriaSlide("Good?", "<ul>items</ul>", "<p>why</p>")},
    )
    page = (
        '<h1>T</h1><h2 id="readings">Readings</h2><ol class="cb-readings cb-lecture-readings">'
        "<li>long</li></ol><h2>Criteria</h2><p>Tick.</p>"
        '<div class="cb-checklist" data-cb-checklist="good"><ul><li>long</li></ul></div>'
        '<h2>Two</h2><ul><li>x</li></ul><div class="cb-checklist" data-cb-checklist="good"></div>'
    )
    deck = split_slides(page, 2, course)
    assert titles(deck) == ["Readings", "Notebooks", "Criteria", "Two", "Good?"]
    assert deck.slides[0].body == ["<ol>short</ol>"]
    assert deck.slides[0].id == "readings"
    assert deck.slides[2].body == ["<ul>items</ul>"]
    assert deck.slides[2].notes == ["<p>Tick.</p>", "<p>why</p>"]
    # A slide that already shows something gets the checklist on a slide of its own.
    assert deck.slides[4].body == ["<ul>items</ul>"]


def test_without_readings_the_notebook_slide_follows_the_title():
    deck = split_slides("<h1>T</h1><h2>A</h2>", 2, CourseBlocks(notebooks="<ul>nb</ul>"))
    assert titles(deck) == ["Notebooks", "A"]


@pytest.mark.parametrize(
    ("page", "deck"),
    [
        ("lectures/02/", "lectures/02/slides/"),
        ("lectures/02.html", "lectures/02/slides/index.html"),
    ],
)
def test_urls_written_for_the_page_work_from_the_deck(page, deck):
    assert deck_url(page) == deck
    rebase = page_url_rebaser(page, deck)
    fragment = (
        '<p><a href="#fn:1">1</a> <a href="../other/">o</a> <a href="https://x.org/a">x</a>'
        ' <img src="plot.png" alt=""> href="text"</p>'
    )
    out = rebase_urls(fragment, rebase)
    up = "../" if page.endswith("/") else "../../lectures/"
    to_page = "../" if page.endswith("/") else "../../02.html"
    assert f'href="{to_page}#fn:1"' in out
    assert 'href="https://x.org/a"' in out
    assert out.endswith(' href="text"</p>')  # text is not a tag
    # Every relative link of the page points, from the deck, where it pointed from the page.
    from urllib.parse import urljoin

    def target(href: str, base: str) -> str:
        return urljoin("http://site/" + base, href)

    hrefs = re.findall(r'(?:href|src)="([^"#]*)', out.removesuffix(' href="text"</p>'))
    originals = ["", "../other/", "https://x.org/a", "plot.png"]
    assert [target(h, deck) for h in hrefs] == [target(o, page) for o in originals]
    if page.endswith("/"):
        assert 'href="../../other/"' in out
        assert f'src="{up}plot.png"' in out


# --- Real builds -----------------------------------------------------------------------------

LECTURE = """\
---
title: Fixture lecture
lecture: 1
date: 2027-01-13
notebooks: [nb/demo.ipynb]
papers:
  - title: Understanding deep learning requires rethinking generalization
    authors: [Chiyuan Zhang, Samy Bengio, Moritz Hardt]
    year: 2017
    required: true
criteria:
  - id: good-question
    title: What makes a question a good question?
    items:
      - id: must-be-a-question
        text: Must be a question
        counterexamples: [We use GANs and make them bigger]
      - id: must-have-an-answer
        text: Must have an answer
{extra}---

# Fixture lecture

Opening prose for the title slide's notes.

<!-- coursebook:readings -->

## First slide

Prose that the speaker says.

- item one
- item two

Shown on the slide.
{{ .slide }}

See [the second lecture](02-other.md) and [below](#criteria).

!!! note "An admonition"
    Inside it.

### Deeper heading

- deeper item

---

#### After a rule

| a | b |
|---|---|
| 1 | 2 |

## Section

### Sub one

$$
x^2 + \\lambda
$$

<div class="notes" markdown>
- a list for the notes only
</div>

<div class="slides-only" markdown>
Only in the deck.
</div>

<div class="page-only" markdown>
Only on the page.
</div>

## Criteria

<!-- coursebook:criteria -->
"""

OTHER = """\
---
title: Other
lecture: 2
date: 2027-01-20
---

# Other

## Only slide
"""

NOTEBOOK = (
    '{"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Demo notebook"}], '
    '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
)
DECK = "lectures/01-fixture/slides/index.html"


def make_course(fixture_site, options: str = "", extra: str = ""):
    site = fixture_site("notebooks:\n  execute: false\n" + options)
    site.write("docs/lectures/01-fixture.md", LECTURE.format(extra=extra))
    site.write("docs/lectures/02-other.md", OTHER)
    site.write("docs/nb/demo.ipynb", NOTEBOOK)
    return site


@pytest.fixture
def built(fixture_site):
    build = make_course(fixture_site).build()
    assert build.returncode == 0, build.log
    return build


def sections(build, path: str = DECK):
    return build.html(path).select(".reveal .slides > section")


def slide_titles(build, path: str = DECK) -> list[str]:
    return [s["data-cb-title"] for s in sections(build, path)]


def visible(section) -> str:
    return section.select_one(".cb-slide__content").get_text(" ", strip=True)


def notes(section) -> str:
    aside = section.select_one("aside.notes")
    return aside.get_text(" ", strip=True) if aside else ""


def test_a_deck_per_lecture_with_slides_from_the_headings(built):
    assert (built.site / "lectures/02-other/slides/index.html").exists()
    assert slide_titles(built) == [
        "Fixture lecture",
        "Readings",
        "Notebooks",
        "First slide",
        "After a rule",
        "Section",
        "Criteria",
    ]
    kinds = [s["class"][-1] for s in sections(built)]
    assert kinds == ["cb-slide--title"] + ["cb-slide--content"] * 6


def test_the_title_slide_says_course_lecture_title_and_date(built):
    title = sections(built)[0]
    assert visible(title) == "Fixture course Lecture 1 Fixture lecture Wednesday 13 January 2027"
    assert notes(title) == "Opening prose for the title slide's notes."


def test_prose_is_in_the_notes_lists_and_overrides_on_the_slide(built):
    first = sections(built)[3]
    assert first["id"] == "first-slide"
    shown = visible(first)
    assert "item one" in shown
    assert "Shown on the slide." in shown
    assert "Deeper heading" in shown  # below slide level: on the same slide
    assert "An admonition" in shown
    assert "Prose that the speaker says." not in shown
    assert notes(first).startswith("Prose that the speaker says.")
    sub = sections(built)[5]
    assert sub.select("mjx-container") == []  # typeset in the browser, by the site's MathJax
    assert sub.select_one(".arithmatex") is not None
    assert "Only in the deck." in visible(sub)
    assert "a list for the notes only" in notes(sub)
    assert "a list for the notes only" not in visible(sub)
    assert "Only on the page." not in built.html(DECK).get_text()


def test_course_objects_are_slides(built):
    _, readings, notebooks, *_, criteria = sections(built)
    assert readings.select_one("li").get_text(" ", strip=True) == (
        "Required Zhang et al. (2017). Understanding deep learning requires rethinking "
        "generalization ."
    )
    link = notebooks.select_one("a")
    assert link.get_text() == "Demo notebook"
    assert link["href"] == "../../../nb/demo/"
    assert [li.get_text() for li in criteria.select(".cb-slide-criteria li")] == [
        "Must be a question",
        "Must have an answer",
    ]
    assert "We use GANs and make them bigger" in notes(criteria)
    assert "We use GANs" not in visible(criteria)


def test_links_in_the_deck_resolve_from_its_folder(built):
    first = sections(built)[3]
    hrefs = {a.get_text(): a["href"] for a in first.select("a")}
    assert hrefs["the second lecture"] == "../../02-other/"
    assert hrefs["below"] == "../#criteria"
    head = built.html(DECK)
    for element in head.select("link[rel=stylesheet], script[src]"):
        url = element.get("href") or element.get("src")
        assert (built.site / "lectures/01-fixture/slides" / url).resolve().exists(), url


def test_the_lecture_page_has_a_present_action_and_the_deck_links_back(built):
    page = built.html("lectures/01-fixture/index.html")
    present = page.select_one(".cb-lecture-actions a.cb-present")
    assert present["href"] == "slides/"
    assert page.select_one("a.cb-slides-pdf") is None  # no PDFs without `handouts`
    assert "Only on the page." in page.select_one("article").get_text()
    back = built.html(DECK).select_one("a.cb-deck__back")
    assert back["href"] == "../"


def test_the_deck_loads_reveal_and_its_own_mathjax_from_the_site(built):
    deck = built.html(DECK)
    scripts = [s["src"] for s in deck.select("script[src]")]
    assets = "../../../assets/coursebook/"
    assert scripts == [
        assets + "vendor/reveal/reveal.js",
        assets + "vendor/reveal/notes.js",
        assets + "slides-math.js",
        assets + "vendor/mathjax/tex-svg-full.js",
        assets + "slides.js",
    ]
    version = (built.site / "assets/coursebook/vendor/mathjax/VERSION").read_text().strip()
    assert version == "mathjax@3.2.2"
    version = (built.site / "assets/coursebook/vendor/reveal/VERSION").read_text().strip()
    assert version == "reveal.js@6.0.2"
    assert (built.site / "assets/coursebook/vendor/reveal/LICENSE").exists()


def test_without_directory_urls_every_link_of_the_deck_resolves(fixture_site):
    """Pages as lectures/01-fixture.html: the deck is lectures/01-fixture/slides/index.html,
    and its links (back to the page, the next lecture, the notebook, its assets) all lead to
    files of the site."""
    site = make_course(fixture_site)
    config = site.root / "mkdocs.yml"
    config.write_text("use_directory_urls: false\n" + config.read_text())
    built = site.build()
    assert built.returncode == 0, built.log
    deck = built.html("lectures/01-fixture/slides/index.html")
    folder = built.site / "lectures/01-fixture/slides"
    assert deck.select_one("a.cb-deck__back")["href"] == "../../01-fixture.html"
    urls = [
        element.get("href") or element.get("src")
        for element in deck.select("a[href], link[href], script[src]")
    ]
    local = [u.split("#")[0] for u in urls if not re.match(r"([a-z]+:|#)", u)]
    assert "../../02-other.html" in local
    assert "../../../nb/demo.html" in local
    assert len(local) > 8
    for url in local:
        assert (folder / url).resolve().is_file(), url


def test_the_deck_stays_out_of_search_and_sitemap(fixture_site):
    site = make_course(fixture_site)
    config = site.root / "mkdocs.yml"  # with a site_url, else the sitemap lists no page at all
    config.write_text("site_url: https://example.org/course/\n" + config.read_text())
    built = site.build()
    assert built.returncode == 0, built.log
    index = json.loads((built.site / "search/search_index.json").read_text("utf-8"))
    assert not [d["location"] for d in index["docs"] if "slides" in d["location"]]
    assert any(d["location"].startswith("lectures/01-fixture/") for d in index["docs"])
    sitemap = (built.site / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://example.org/course/lectures/01-fixture/</loc>" in sitemap
    assert "slides" not in sitemap
    robots = built.html(DECK).select_one("meta[name=robots]")
    assert robots["content"] == "noindex"


def test_slide_level_from_front_matter_wins_over_the_plugin_option(fixture_site):
    site = make_course(fixture_site, options="slides:\n  level: 1\n", extra="slide_level: 3\n")
    build = site.build()
    assert build.returncode == 0, build.log
    assert "Deeper heading" in slide_titles(build)
    # "## Section" directly followed by "### Sub one": a section title slide.
    kinds = {s["data-cb-title"]: s["class"][-1] for s in sections(build)}
    assert kinds["Section"] == "cb-slide--section"
    assert kinds["Sub one"] == "cb-slide--content"
    # The other lecture follows the plugin option: only level-1 headings, and it has none
    # but its title, so its level-2 heading is on one slide titled with the page's title.
    assert slide_titles(build, "lectures/02-other/slides/index.html") == ["Other", "Other"]


def test_slides_can_be_turned_off(fixture_site):
    build = make_course(fixture_site, options="slides:\n  enabled: false\n").build()
    assert build.returncode == 0, build.log
    assert not (build.site / DECK).exists()
    assert not (build.site / "assets/coursebook/vendor/reveal").exists()
    assert build.html("lectures/01-fixture/index.html").select_one("a.cb-present") is None


def test_with_handouts_the_page_links_the_slides_pdf(fixture_site):
    build = make_course(fixture_site, options="handouts: true\n").build()
    assert build.returncode == 0, build.log
    link = build.html("lectures/01-fixture/index.html").select_one("a.cb-slides-pdf")
    assert link["href"] == "../../handouts/lecture-01-slides.pdf"


def test_a_bad_slide_level_fails_the_build_naming_file_and_field(fixture_site):
    build = make_course(fixture_site, extra="slide_level: 9\n").build()
    assert build.returncode == 1
    assert (
        "WARNING -  coursebook: docs/lectures/01-fixture.md: slide_level: "
        "Input should be less than or equal to 6" in build.log
    )


# --- Lecture 2: the course's original deck, back from the page --------------------------------

LECTURE_2_DECK = "lectures/02-intro-to-theory/slides/index.html"
LECTURE_2_PAGE = "lectures/02-intro-to-theory/index.html"


def seed_slides() -> list[tuple[str, list[str]]]:
    """The seed deck as (title, lines) per slide; lines the export ran together are split."""
    slides: list[tuple[str, list[str]]] = []
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or "to join" in line:  # the audience poll: live lecture only
            continue
        if line.startswith("#"):
            slides.append((line.lstrip("#").strip(), []))
        elif slides:
            slides[-1][1].extend(RUN_TOGETHER.get(line, [line]))
    return slides


def test_lecture_2_deck_has_the_seed_slide_titles_in_order(course_site):
    seed = seed_slides()
    deck = sections(course_site, LECTURE_2_DECK)
    title_slide = normalize(visible(deck[0]))
    assert seed[0][0] == "CIS 522: Lecture 2"
    for part in ("CIS 522", "Lecture 2", seed[0][1][0]):  # and the title line under it
        assert normalize(part) in title_slide, part
    deck_titles = [normalize(s["data-cb-title"]) for s in deck]
    position = 0
    for title, _ in seed[1:]:
        assert normalize(title) in deck_titles[position:], f"missing or out of order: {title}"
        position = deck_titles.index(normalize(title), position) + 1
    assert len(seed) == 35


def test_lecture_2_seed_items_are_on_slides_not_only_in_notes(course_site):
    """Every line of a seed slide that the page kept is on the matching deck slide (the paper
    slides' affiliations and the abstract are summarized on the page, so not checked)."""
    page = normalize(course_site.html(LECTURE_2_PAGE).select_one("article").get_text(" "))
    deck = {normalize(s["data-cb-title"]): s for s in sections(course_site, LECTURE_2_DECK)}
    checked = 0
    for title, lines in seed_slides()[1:]:
        slide = deck[normalize(title)]
        shown = normalize(visible(slide))
        for line in lines:
            if normalize(line) in page:
                assert normalize(line) in shown, f"{title}: {line!r} not on the slide"
                checked += 1
    assert checked == 91


def test_lecture_2_uses_slide_level_3(course_site):
    from conftest import ROOT
    from coursebook.course.frontmatter import read_front_matter

    source = (ROOT / "docs/lectures/02-intro-to-theory.md").read_text("utf-8")
    data, problems = read_front_matter(source, "lecture 2")
    assert problems == []
    assert data["slide_level"] == 3
    kinds = {s["data-cb-title"]: s["class"][-1] for s in sections(course_site, LECTURE_2_DECK)}
    assert kinds["Regularization is surprisingly complex"] == "cb-slide--section"
    assert kinds["Continued"] == "cb-slide--content"
