"""What only a browser shows, in headless Chromium: loading offline, math, checklists, the
colour toggle, search, print layout, PDF handouts and an accessibility audit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from coursebook.present.browser import is_local
from coursebook.present.handouts import Handout, HandoutError, make_handouts
from pypdf import PdfReader

LECTURE = "lectures/02-intro-to-theory/"
NOTEBOOK = "notebooks/lecture-02-memorization-and-shrinkage/"
AXE = Path(__file__).parent.parent / "plugins/coursebook/assets/vendor/axe-core/axe.min.js"
MATH_READY = "() => window.MathJax && MathJax.startup && MathJax.startup.promise.then(() => true)"


class Watch:
    """Console errors, page errors, failed and off-site requests of one page."""

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.route("**/*", self._guard)

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _failed(self, request) -> None:
        if is_local(request.url):
            self.problems.append(f"request failed: {request.url}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _guard(self, route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            self.problems.append(f"off-site request: {route.request.url}")
            route.abort()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.watch = Watch(page)
    yield page
    context.close()


def assert_hidden(locator, what: str = "") -> None:
    """Playwright's is_hidden() is true for a selector that matches nothing: exist first."""
    assert locator.count() > 0, f"nothing matches {what or locator}"
    assert locator.first.is_hidden(), what or str(locator)


AXE_SERIOUS = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): `
      + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page (axe must be loaded first)."""
    return page.evaluate(AXE_SERIOUS)


def open_page(page, base: str, path: str):
    page.goto(base + path, wait_until="load")
    if page.locator(".arithmatex").count():
        page.wait_for_function(MATH_READY)
    return page


def test_every_page_loads_offline_without_errors(page, site_url, course_site):
    paths = sorted(
        p.relative_to(course_site.site).as_posix().removesuffix("index.html")
        for p in course_site.site.rglob("*.html")
        if p.name != "404.html"
    )
    assert LECTURE in paths
    for path in paths:
        open_page(page, site_url, path)
        page.wait_for_load_state("networkidle")
        assert page.watch.problems == [], path


def assert_math_typeset_once(page, raw_tex: tuple[str, ...]) -> int:
    """Every formula of the article is typeset exactly once and without error, and none of
    `raw_tex` is left in its prose (code may well hold LaTeX: plot labels). The count."""
    per_formula = page.evaluate(
        "() => [...document.querySelectorAll('article .arithmatex')]"
        ".map(e => e.querySelectorAll('mjx-container').length)"
    )
    assert per_formula == [1] * len(per_formula)
    assert page.locator("article mjx-container").count() == len(per_formula)
    assert page.locator("[data-mjx-error], mjx-merror").count() == 0
    prose = page.evaluate(
        """() => {
          const copy = document.querySelector('article').cloneNode(true);
          copy.querySelectorAll('pre, code, mjx-container').forEach(e => e.remove());
          return copy.textContent;
        }"""
    )
    for tex in raw_tex:
        assert tex not in prose
    return len(per_formula)


@pytest.mark.parametrize("path", [LECTURE, NOTEBOOK])
def test_math_is_typeset_exactly_once(page, site_url, path):
    open_page(page, site_url, path)
    assert assert_math_typeset_once(page, ("\\(", "\\lambda")) >= 3


def test_checklist_ticks_survive_a_reload_and_reset_clears_them(page, site_url):
    open_page(page, site_url, LECTURE)
    box = page.locator("#good-question-must-be-a-question input[type=checkbox]")
    other = page.locator("#good-question-must-have-an-answer input[type=checkbox]")
    box.check()
    page.reload(wait_until="load")
    assert box.is_checked()
    assert not other.is_checked()
    # The same criterion is ticked on the course-wide rubric too.
    open_page(page, site_url, "criteria/")
    assert page.locator("#good-question-must-be-a-question input").is_checked()
    page.locator(".cb-checklist__reset").first.click()
    assert not page.locator("#good-question-must-be-a-question input").is_checked()
    open_page(page, site_url, LECTURE)
    assert not box.is_checked()


def test_checklist_reads_as_a_list_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + LECTURE)
    items = page.locator(".cb-checklist__item")
    assert items.count() == 8
    assert items.first.inner_text().strip().startswith("Must be a question")
    assert_hidden(page.locator(".cb-checklist__reset"))
    context.close()


def test_light_dark_toggle_switches_and_is_remembered(page, site_url):
    open_page(page, site_url, "")
    body = page.locator("body")
    before = body.get_attribute("data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    after = body.get_attribute("data-md-color-scheme")
    assert {before, after} == {"default", "slate"}
    page.reload(wait_until="load")
    assert body.get_attribute("data-md-color-scheme") == after


def test_search_finds_lecture_2_by_a_phrase_from_its_body(page, site_url):
    open_page(page, site_url, "")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("randomization test", delay=20)  # key by key, as a reader types
    hit = page.locator(f".md-search-result__link[href*='{LECTURE}']:has(mark)").first
    hit.wait_for(timeout=10_000)
    assert "Zhang and colleagues ran a simple randomization test" in hit.inner_text()


def test_print_layout_of_a_lecture(page, site_url):
    open_page(page, site_url, LECTURE)
    page.emulate_media(media="print")
    for hidden in (
        ".md-header",
        ".md-sidebar--primary",
        ".md-sidebar--secondary",
        ".md-footer",
        ".cb-lecture-actions",
        "a[rel=edit]",
    ):
        assert_hidden(page.locator(hidden), hidden)
    header = page.locator(".cb-handout-header")
    assert header.is_visible()
    assert "Lecture 2" in header.inner_text()
    assert "CIS 522" in header.inner_text()
    # A collapsed <details> prints open.
    exercise = page.locator("details.question p").first
    assert exercise.is_visible()
    # External links print their address; in-page and site links do not.
    after = page.evaluate(
        """() => {
          const style = a => getComputedStyle(a, '::after').content;
          const external = document.querySelector('article a[href="https://arxiv.org/abs/1611.03530"]');
          const internal = document.querySelector('article a[href^="../../notebooks/"]');
          return [style(external), style(internal)];
        }"""
    )
    assert "https://arxiv.org/abs/1611.03530" in after[0]
    assert after[1] in ("none", "normal")
    # Checklist boxes print empty even when ticked on screen.
    box = page.locator("#good-question-must-be-a-question input")
    assert page.evaluate("e => getComputedStyle(e).appearance", box.element_handle()) == "none"


def test_print_shows_every_tab_with_its_label(page, site_url):
    open_page(page, site_url, "")
    blocks = page.locator("article .tabbed-block")
    assert blocks.count() >= 2
    page.emulate_media(media="print")
    for index in range(blocks.count()):
        assert blocks.nth(index).is_visible()
    labels = page.locator("article .tabbed-labels label")
    assert all(labels.nth(i).is_visible() for i in range(labels.count()))


def test_print_dark_scheme_prints_light(page, site_url):
    open_page(page, site_url, LECTURE)
    page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.emulate_media(media="print")
    background = page.evaluate(
        "() => getComputedStyle(document.body).getPropertyValue('--md-default-bg-color').trim()"
    )
    assert background in ("#fff", "#ffffff", "white")


def test_handout_pdf_has_the_lecture_and_no_site_chrome(private_site, browser):
    handout = Handout("Lecture 2 · Linear Deep Theory / Intro to theory", LECTURE, "lecture-02.pdf")
    timings = make_handouts(private_site, [handout], browser=browser, log=lambda m: None)
    assert len(timings) == 1
    pdf = PdfReader(private_site / "handouts/lecture-02.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Must be a question" in text
    assert "rethinking generalization" in text
    assert re.search(r"page 1 of \d+", text)
    for chrome in ("Table of contents", "Made with", "Search", "Course staff"):
        assert chrome not in text, chrome
    outline = [item.title for item in flatten(pdf.outline)]
    assert outline[0] == "Linear Deep Theory / Intro to theory"
    assert "What we learned about regularization" in outline
    assert "Criteria for a good question" in outline
    course = PdfReader(private_site / "handouts/course.pdf")
    assert course.outline[0].title == "Lecture 2 · Linear Deep Theory / Intro to theory"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            # An unbalanced brace: MathJax cannot typeset it (an undefined macro would only
            # be shown in red by the noundefined extension, not fail).
            ("\\lambda", "}"),
            "math error: Extra close brace or missing open brace",
        ),
        (("</article>", '<img src="missing.png" alt=""></article>'), "(HTTP 404)"),
        (
            ("</article>", '<script src="https://cdn.example.org/x.js"></script></article>'),
            "- https://cdn.example.org/x.js (from broken/)",
        ),
        (("</article>", "<script>throw new Error('boom')</script></article>"), "page error: boom"),
    ],
    ids=["math-error", "missing-file", "off-site", "script-error"],
)
def test_handouts_stop_on_a_broken_page_naming_it(private_site, browser, change, problem):
    broken = private_site / "broken" / "index.html"
    broken.parent.mkdir()
    html = (private_site / LECTURE / "index.html").read_text("utf-8")
    assert change[0] in html
    broken.write_text(html.replace(change[0], change[1], 1).replace('="../../', '="../'), "utf-8")
    handout = Handout("Broken", "broken/", "broken.pdf")
    with pytest.raises(HandoutError) as raised:
        make_handouts(private_site, [handout], browser=browser, log=lambda m: None)
    assert "broken/" in str(raised.value)
    assert problem in str(raised.value)
    assert not (private_site / "handouts/broken.pdf").exists()


def test_handouts_refuse_a_paper_size_they_do_not_know(private_site, browser):
    with pytest.raises(HandoutError, match="paper must be one of a4, letter, got 'a5'"):
        make_handouts(private_site, [], paper="a5", browser=browser)


def flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from flatten(item)
        else:
            yield item


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize(
    "path",
    ["", "lectures/", LECTURE, NOTEBOOK, "readings/", "criteria/", "schedule/", "assignments/"],
)
def test_accessibility_audit_finds_nothing_serious(page, site_url, path, scheme):
    open_page(page, site_url, path)
    # Colours are checked once settled: without transitions, nothing is caught mid-fade.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    page.evaluate(f"() => document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.add_script_tag(path=str(AXE))
    assert serious_violations(page) == []


def test_notebook_prints_with_or_without_its_code(page, site_url):
    open_page(page, site_url, NOTEBOOK)
    page.emulate_media(media="print")
    code = page.locator("article .nb-input").first
    output = page.locator("article img.nb-figure").first
    assert code.is_visible()
    # What the "Print without code" button does before it opens the print dialog.
    page.evaluate("() => document.documentElement.classList.add('cb-print-no-input')")
    assert_hidden(code)
    assert output.is_visible()
    assert_hidden(page.locator(".cb-notebook-actions"))


VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
PAGES = ["", "lectures/", LECTURE, NOTEBOOK, "readings/", "criteria/", "schedule/"]
PAGES += ["assignments/"]  # issue 25: the term's pages

# Elements of the article that stick out of the viewport, except inside a box that scrolls
# sideways on purpose (code blocks, display math, the theme's own Markdown tables).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const inScroller = el => {
    for (let a = el.parentElement; a && a.tagName !== 'ARTICLE'; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  return [...document.querySelectorAll('article *')]
    .filter(el => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > width + 1 || r.left < -1) && !inScroller(el);
    })
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className} `
               + `right=${el.getBoundingClientRect().right}`);
}"""


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("path", PAGES)
def test_nothing_in_the_article_is_wider_than_the_screen(
    browser, site_url, path, viewport, scheme, screenshots
):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.watch = Watch(page)
    open_page(page, site_url, path)
    page.evaluate(f"() => document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    name = (path.strip("/").replace("/", "_") or "home") + f"-{viewport}-{scheme}.png"
    page.screenshot(path=str(screenshots / name), full_page=True)
    assert page.evaluate(OVERFLOWING) == [], name
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), f"{name}: the page scrolls sideways"
    assert page.watch.problems == []
    context.close()


@pytest.mark.parametrize("path", ["schedule/", "readings/"])
def test_generated_tables_become_cards_on_a_phone(browser, site_url, path):
    selector = ".cb-schedule" if path == "schedule/" else ".cb-readings-by-year"
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    open_page(page, site_url, path)
    cells = page.locator(f"{selector} td[data-label]")
    assert cells.count() > 0
    layout = page.evaluate(
        """(selector) => {
          const box = document.querySelector(selector);
          const cell = box.querySelector('td[data-label]');
          return {
            sideways: box.scrollWidth - box.clientWidth,
            display: getComputedStyle(cell).display,
            label: getComputedStyle(cell, '::before').content,
            head: document.querySelector(selector + ' thead').getBoundingClientRect().height,
          };
        }""",
        selector,
    )
    assert layout["sideways"] <= 0
    assert layout["display"] == "block"
    assert layout["label"].startswith('"')
    assert layout["head"] <= 1
    context.close()


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize(
    ("path", "selector"), [("schedule/", ".cb-schedule"), ("readings/", ".cb-readings-by-year")]
)
def test_generated_tables_look_like_the_themes_own(page, site_url, scheme, path, selector):
    """Side by side with a class-less Markdown table put on the same page."""
    open_page(page, site_url, path)
    page.evaluate(f"() => document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    styles = page.evaluate(
        """(selector) => {
          const article = document.querySelector('article');
          article.insertAdjacentHTML('beforeend',
            '<table id="plain"><thead><tr><th>a</th></tr></thead>'
            + '<tbody><tr><td>b</td></tr></tbody></table>');
          const props = ['font-size', 'font-weight', 'color', 'background-color', 'border-top',
                         'padding-left', 'vertical-align'];
          const read = el => Object.fromEntries(props.map(p => [p, getComputedStyle(el)[p]]));
          const own = document.querySelector(selector + ' table');
          const plain = document.getElementById('plain');
          return {
            own: [read(own), read(own.querySelector('th')), read(own.querySelector('td'))],
            plain: [read(plain), read(plain.querySelector('th')), read(plain.querySelector('td'))],
          };
        }""",
        selector,
    )
    assert styles["own"] == styles["plain"]


def button_boxes(page, group: str) -> list[dict]:
    return page.evaluate(
        """(group) => [...document.querySelectorAll(group + ' .md-button')]
            .filter(b => !b.hidden)
            .map(b => { const r = b.getBoundingClientRect();
                        return {text: b.textContent.trim(), top: Math.round(r.top),
                                left: r.left, right: r.right,
                                primary: b.classList.contains('md-button--primary')}; })""",
        group,
    )


@pytest.mark.parametrize(
    ("path", "group", "count"),
    # Lecture: Print handout and Present (no PDFs in a plain build).
    [(NOTEBOOK, ".cb-notebook-actions", 4), (LECTURE, ".cb-lecture-actions", 2)],
)
def test_page_actions_take_one_row_on_a_laptop_and_wrap_on_a_phone(
    browser, site_url, path, group, count
):
    for viewport in ("laptop", "phone"):
        context = browser.new_context(viewport=VIEWPORTS[viewport])
        page = context.new_page()
        open_page(page, site_url, path)
        boxes = button_boxes(page, group)
        assert len(boxes) == count, boxes
        first = min(boxes, key=lambda b: (b["top"], b["left"]))
        assert first["primary"], f"{viewport}: the primary action is not first: {boxes}"
        assert sum(b["primary"] for b in boxes) == 1
        width = VIEWPORTS[viewport]["width"]
        assert all(b["left"] >= 0 and b["right"] <= width for b in boxes), boxes
        rows = {b["top"] for b in boxes}
        if viewport == "laptop":
            assert len(rows) == 1, boxes
        else:
            assert len(rows) == (count + 1) // 2, boxes
        context.close()
