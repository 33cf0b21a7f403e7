"""Count what a notebook page shows (list items, headings, tables, images, players,
blockquotes, links, math), on nbconvert's HTML and on coursebook's pages alike: used by the
fidelity test and by `make bench`'s fidelity table."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup

KINDS = ("heading", "li", "table", "img", "iframe", "blockquote", "link", "math")
MATH = re.compile(
    r"\$\$(?P<display>.+?)\$\$|\$(?P<inline>.+?)\$|(?P<env>\\begin\{(\w+\*?)\}.+?\\end\{\4\})",
    re.DOTALL,
)


def nbconvert_html(path: Path) -> BeautifulSoup:
    import nbformat
    from nbconvert import HTMLExporter

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
    return nbconvert_parts(nbconvert_html(path))


def nbconvert_parts(page: BeautifulSoup) -> list:
    """Markdown cells and outputs of a page made by nbconvert (or mkdocs-jupyter, which uses
    nbconvert's templates)."""
    for anchor in page.select("a.anchor-link"):
        anchor.decompose()
    return page.select(".jp-RenderedMarkdown, .jp-OutputArea-output")


def coursebook_content(page: BeautifulSoup) -> list:
    """The article of a coursebook notebook page, without the site's own additions, and its
    math written back as nbconvert leaves it."""
    article = page.select_one("article")
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
    found: dict[str, Counter] = {kind: Counter() for kind in KINDS}
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
