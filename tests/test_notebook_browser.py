"""Notebook pages in headless Chromium: players load only on click, math in Markdown cells is
typeset once, long outputs expand, and the nav shows a nested notebook folder."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from coursebook.present.browser import is_local, serve_folder
from notebook_fixtures import YOUTUBE_ID
from test_browser import assert_hidden, assert_math_typeset_once, serious_violations

MATH_READY = "() => window.MathJax && MathJax.startup && MathJax.startup.promise.then(() => true)"
AXE = Path(__file__).parent.parent / "plugins/coursebook/assets/vendor/axe-core/axe.min.js"
TUTORIAL = "notebooks/colab-tutorial/"
CONSTRUCTS = "notebooks/markdown-constructs/"
FORMS = "notebooks/colab-forms/"
WIDGETS = "notebooks/widget-videos/"
MATH = "notebooks/jupyter-math/"


@pytest.fixture(scope="module")
def notebook_site_url(notebook_site):
    with serve_folder(notebook_site.site) as url:
        yield url


class OffSite:
    """Every request that leaves 127.0.0.1, aborted and remembered."""

    def __init__(self, page) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.route("**/*", self._route)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def hosts(self) -> set[str]:
        return {urlsplit(url).hostname for url in self.requests}

    def settled_hosts(self, page) -> set[str]:
        """The hosts once the router has seen the request the page just made (bounded poll)."""
        for _ in range(100):
            if self.requests:
                break
            page.wait_for_timeout(20)
        return self.hosts()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.off_site = OffSite(page)
    yield page
    context.close()


def test_a_video_loads_only_when_the_reader_clicks(page, notebook_site_url):
    page.goto(notebook_site_url + TUTORIAL, wait_until="load")
    page.wait_for_load_state("networkidle")
    assert page.off_site.requests == []
    assert page.locator("iframe").count() == 0
    placeholder = page.locator("[data-cb-embed]").first
    assert placeholder.locator("img.cb-embed__thumbnail").evaluate("img => img.naturalWidth") > 0
    # Named by the heading above it (the player has no title of its own).
    button = page.get_by_role(
        "button", name="Play video: Video 1: Introduction (loads youtube.com)", exact=True
    )
    assert button.count() == 1

    with page.expect_request(lambda request: "youtube.com" in request.url):
        placeholder.locator(".cb-embed__load").click()
    frame = placeholder.locator("iframe")
    assert frame.get_attribute("src").startswith(f"https://www.youtube.com/embed/{YOUTUBE_ID}?")
    assert page.off_site.settled_hosts(page) == {"www.youtube.com"}
    assert page.off_site.errors == []


def test_a_video_in_a_markdown_cell_is_a_placeholder_too(page, notebook_site_url):
    page.goto(notebook_site_url + CONSTRUCTS, wait_until="load")
    page.wait_for_load_state("networkidle")
    assert page.off_site.requests == []
    embed = page.locator(".nb-markdown [data-cb-embed]")
    assert embed.count() == 1
    # No thumbnail of its own: the title and the host stand in for the video.
    assert embed.locator(".cb-embed__title").inner_text() == "But what is a neural network?"
    with page.expect_request(lambda request: "youtube.com" in request.url):
        embed.locator(".cb-embed__load").click()
    assert embed.locator("iframe").count() == 1
    assert page.off_site.settled_hosts(page) == {"www.youtube.com"}


def test_math_in_markdown_cells_is_typeset_exactly_once(page, notebook_site_url):
    page.goto(notebook_site_url + CONSTRUCTS, wait_until="load")
    page.wait_for_function(MATH_READY)
    # 2 in the first list item, 1 in a heading, 3 inline, 1 display, 1 align environment
    assert assert_math_typeset_once(page, ("$", "\\(", "\\begin")) == 8


def test_math_where_jupyter_typesets_it_is_typeset_exactly_once(page, notebook_site_url):
    """Reference (jupyter_math's docstring): JupyterLab typesets every formula of these cells
    once and leaves no delimiter as text."""
    page.goto(notebook_site_url + MATH, wait_until="load")
    page.wait_for_function(MATH_READY)
    # 2 after <br>, aligned + eqnarray*, 1 display continuing a paragraph, 2 around the
    # backslashes, 1 in an HTML block, 1 in a heading
    assert assert_math_typeset_once(page, ("$", "\\(", "\\[", "\\begin", "\\end")) == 9
    # Both environments keep their two rows (`\\` survived CommonMark).
    rows = page.evaluate(
        "() => [...document.querySelectorAll('article .arithmatex mjx-container')]"
        ".map(m => m.querySelectorAll('mjx-mtr, g[data-mml-node=mtr]').length)"
        ".filter(n => n > 0)"
    )
    assert rows == [2, 2]
    # The prose after the display formula is prose.
    assert page.locator("article p em", has_text="n").count() == 1


def test_a_form_shows_its_code_on_one_click(page, notebook_site_url):
    """Reference (colab_forms' docstring): Colab hides a form's code until "Show code"."""
    page.goto(notebook_site_url + FORMS, wait_until="load")
    form = page.locator(".nb-form", has_text="Set the hyperparameters")
    code = form.locator("details.nb-form__code pre")
    assert form.locator(".nb-form__title").is_visible()
    assert form.get_by_label("activation").input_value() == "relu"
    assert not code.is_visible()
    form.locator("summary", has_text="Show code").click()
    assert code.is_visible()
    assert code.inner_text().startswith("#@title Set the hyperparameters")


def test_in_print_a_form_is_its_title_with_the_code_folded(page, notebook_site_url):
    page.emulate_media(media="print")
    page.goto(notebook_site_url + FORMS, wait_until="load")
    form = page.locator(".nb-form", has_text="Set the hyperparameters")
    # mkdocs-material opens every <details> when printing: the code stays folded all the same.
    form.locator("details").evaluate("d => d.open = true")
    assert form.locator(".nb-form__title").is_visible()
    assert form.locator("summary").is_visible()
    assert_hidden(form.locator("details pre"))


def test_widget_tabs_switch_between_the_saved_players(page, notebook_site_url):
    """Reference (widget_videos' docstring): a tab bar "Youtube | Bilibili", each tab its
    player; nothing is requested until a player is clicked."""
    page.goto(notebook_site_url + WIDGETS, wait_until="load")
    page.wait_for_load_state("networkidle")
    tabs = page.locator(".nb-widget-tabs")
    players = tabs.locator("[data-cb-embed]")
    assert players.nth(0).is_visible()
    assert not players.nth(1).is_visible()
    tabs.locator("label", has_text="Bilibili").click()
    assert players.nth(1).is_visible()
    assert not players.nth(0).is_visible()
    assert page.off_site.requests == []
    with page.expect_request(lambda request: "bilibili.com" in request.url):
        players.nth(1).locator(".cb-embed__load").click()
    assert page.off_site.settled_hosts(page) == {"player.bilibili.com"}


def test_a_long_stream_shows_all_its_lines_on_click(page, notebook_site_url):
    page.goto(notebook_site_url + "notebooks/big/training%20log/", wait_until="load")
    block = page.locator(".nb-long").first
    stream = block.locator("pre")
    collapsed = stream.evaluate("e => e.clientHeight")
    assert collapsed < stream.evaluate("e => e.scrollHeight")
    toggle = block.locator(".nb-long__toggle")
    assert toggle.inner_text() == "Show all 3000 lines"
    toggle.click()
    assert stream.evaluate("e => e.clientHeight") == stream.evaluate("e => e.scrollHeight")
    assert block.locator(".nb-long__toggle").count() == 0


def test_the_nav_shows_a_nested_notebook_folder(page, notebook_site_url):
    page.goto(notebook_site_url + TUTORIAL, wait_until="load")
    nav = page.locator(".md-nav--primary")
    section = nav.locator("li.md-nav__item--nested", has_text="Week 03").last
    link = section.locator("a.md-nav__link", has_text="An nbformat 4.0 notebook")
    assert link.count() == 1
    # As a reader does: open the folder's section, then follow the link.
    section.locator("label.md-nav__link", has_text="Week 03").first.click()
    link.first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/notebooks/week-03/old%20format%20%E2%80%93%204.0/")
    assert page.locator("article h1").first.inner_text().startswith("An nbformat 4.0 notebook")


def test_in_print_a_video_is_its_picture_and_address_and_long_outputs_are_whole(
    page, notebook_site_url
):
    page.emulate_media(media="print")
    page.goto(notebook_site_url + TUTORIAL, wait_until="load")
    embed = page.locator("[data-cb-embed]").first
    assert embed.locator("img.cb-embed__thumbnail").is_visible()
    address = embed.locator(".cb-embed__address")
    assert address.is_visible()
    assert address.inner_text() == (
        f"Video 1: Introduction: https://www.youtube.com/watch?v={YOUTUBE_ID}"
    )
    assert_hidden(embed.locator(".cb-embed__host"))
    page.goto(notebook_site_url + "notebooks/big/training%20log/", wait_until="load")
    stream = page.locator(".nb-long pre").first
    assert stream.evaluate("e => getComputedStyle(e).maxHeight") == "none"
    assert stream.evaluate("e => e.clientHeight") == stream.evaluate("e => e.scrollHeight")
    assert_hidden(page.locator(".nb-long__toggle"))
    assert page.off_site.requests == []


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("path", [TUTORIAL, CONSTRUCTS, FORMS, WIDGETS, MATH])
def test_notebook_pages_pass_an_accessibility_audit(page, notebook_site_url, path, scheme):
    page.goto(notebook_site_url + path, wait_until="load")
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    page.evaluate(f"() => document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.add_script_tag(path=str(AXE))
    assert serious_violations(page) == []
