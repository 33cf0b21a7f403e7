"""Notebook pages show what Jupyter shows: nbconvert's HTML of the same fixture notebooks is the
reference, and every list item, heading, table, image, blockquote, link and math span it
produces must be on the coursebook page (built for real, with --strict)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import FixtureSite
from nbconvert import HTMLExporter
from notebook_fixtures import BIG_NOTEBOOK, SITE_NOTEBOOKS, write_notebook_site

NOTEBOOKS = list(SITE_NOTEBOOKS)
MATH = re.compile(
    r"\$\$(?P<display>.+?)\$\$|\$(?P<inline>.+?)\$|(?P<env>\\begin\{(\w+\*?)\}.+?\\end\{\4\})",
    re.DOTALL,
)


@pytest.fixture(scope="module")
def fidelity_site(tmp_path_factory):
    site = FixtureSite(write_notebook_site(tmp_path_factory.mktemp("fidelity")))
    build = site.build()
    assert build.returncode == 0, build.log
    return site, build


def nbconvert_html(path: Path) -> BeautifulSoup:
    nb = json.loads(path.read_text(encoding="utf-8"))
    # nbconvert raises KeyError: 'state' on Colab's widget metadata (nbconvert issue 1731).
    nb["metadata"].pop("widgets", None)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(
        nbformat.reads(json.dumps(nb), as_version=4)
    )
    return BeautifulSoup(body, "html.parser")


def _words(element) -> str:
    return " ".join(element.get_text(" ").split())


def reference_content(path: Path) -> list:
    """The parts of nbconvert's page that show the notebook: Markdown cells and outputs."""
    page = nbconvert_html(path)
    for anchor in page.select("a.anchor-link"):
        anchor.decompose()
    return page.select(".jp-RenderedMarkdown, .jp-OutputArea-output")


def coursebook_content(build, uri: str) -> list:
    page_path = uri.removesuffix(".ipynb") + "/index.html"
    article = build.html(page_path).select_one("article")
    for chrome in article.select(
        ".headerlink, .md-content__button, .cb-notebook-actions, .highlight, .cb-embed__load,"
        " .cb-embed__address"
    ):
        chrome.decompose()
    # Math as nbconvert leaves it in the text, so that texts compare equal.
    for math in article.select(".arithmatex"):
        tex = math.get_text()
        if tex.startswith("\\(") and tex.endswith("\\)"):
            math.string = f"${tex[2:-2]}$"
        elif tex.startswith("\\[") and tex.endswith("\\]"):
            math.string = f"$${tex[2:-2]}$$"
    # Outputs and rendered Markdown only; the h1..h6 of the page's Markdown are kept too.
    return [article]


def inventory(parts: list) -> dict[str, Counter]:
    found: dict[str, Counter] = {
        kind: Counter()
        for kind in ("heading", "li", "table", "img", "iframe", "blockquote", "link", "math")
    }
    for part in parts:
        for heading in part.find_all(re.compile(r"^h[1-6]$")):
            found["heading"][(heading.name, _words(heading))] += 1
        for item in part.find_all("li"):
            found["li"][_words(item)] += 1
        for table in part.find_all("table"):
            found["table"][_words(table.find("tr"))] += 1
        # An off-site badge shows as its text (.cb-badge) instead of being fetched.
        for _image in [*part.find_all("img"), *part.select("span.cb-badge")]:
            found["img"]["image"] += 1  # alt texts differ: nbconvert has none for outputs
        for frame in part.find_all("iframe"):
            found["iframe"][frame.get("src")] += 1
        for quote in part.find_all("blockquote"):
            found["blockquote"][_words(quote)] += 1
        for link in part.find_all("a", href=True):
            image = link.find("img")
            found["link"][_words(link) or (image.get("alt", "") if image else "")] += 1
        for match in MATH.finditer(part.get_text()):
            tex = match["display"] or match["inline"] or match["env"]
            found["math"][" ".join(tex.split())] += 1
    return found


@pytest.mark.parametrize("uri", [*NOTEBOOKS, BIG_NOTEBOOK])
def test_every_element_nbconvert_shows_is_on_the_page(fidelity_site, uri):
    site, build = fidelity_site
    reference = inventory(reference_content(site.root / "docs" / uri))
    ours = inventory(coursebook_content(build, uri))
    for kind, expected in reference.items():
        missing = expected - ours[kind]
        assert not missing, f"{uri}: {kind} that nbconvert shows but the page does not: {missing}"


def test_the_fixtures_cover_each_construct(fidelity_site):
    """The reference itself has what the test claims to compare, so the test can fail."""
    totals = dict.fromkeys(("heading", "li", "table", "img", "iframe", "blockquote"), 0)
    site, _build = fidelity_site
    for uri in NOTEBOOKS:
        for kind, counts in inventory(reference_content(site.root / "docs" / uri)).items():
            if kind in totals:
                totals[kind] += sum(counts.values())
    assert totals == {
        "heading": 13,
        "li": 17,
        "table": 2,
        "img": 4,
        "iframe": 2,
        "blockquote": 2,
    }
