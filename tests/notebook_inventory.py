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
    # Input cells too (nbconvert's parts have none), highlighted or not, folded in a form or not.
    for chrome in article.select(
        ".headerlink, .md-content__button, .cb-notebook-actions, .highlight, .cb-embed__load,"
        " .cb-embed__address, .nb-input"
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


# What Colab and JupyterLab show that nbconvert does not (issue 23), counted on a whole page of
# any of the tools, against what the notebook itself holds.
COLAB_KINDS = (
    "form title",  # form titles shown as text, outside code
    "form folded",  # form cells whose code is folded away when the page opens
    "widget text",  # texts saved in widget state (Output streams, HTML, Label) shown as text
    "escapes",  # terminal escape codes left in the text
    "toc raw",  # table-of-contents entries showing math delimiters (— without a TOC)
    "heading sup",  # superscripts that are not in the notebook's headings (4th -> 4<sup>th</sup>)
    "math raw",  # formulas left as text where the page's MathJax does not look (— for
    # nbconvert's pages, whose MathJax reads the whole page)
)
_TITLE = re.compile(r"^\s*#\s*@title\b[ \t]*(.*?)\s*(?:\{[^{}]*\})?\s*$", re.MULTILINE)
_ESCAPE_LEFT = re.compile(r"\x1b|\[\?\d+[hl]|\]0;")
_RAW_DELIMITER = re.compile(r"\\\(|\\\[|\$")
_TAGS = re.compile(r"<[^>]+>")


def _form_titles(nb: dict) -> list[str]:
    titles = []
    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", "")) if cell.get("cell_type") == "code" else ""
        first = next((line for line in source.splitlines() if line.strip()), "")
        if match := _TITLE.match(first):
            titles.append(match.group(1))
    return titles


def _widget_texts(nb: dict) -> list[str]:
    """Texts that only the saved widget state holds: Output widgets' streams, HTML and Label
    values, without their tags."""
    saved = (nb.get("metadata", {}).get("widgets") or {}).get(
        "application/vnd.jupyter.widget-state+json", {}
    )
    models = saved.get("state", saved) if isinstance(saved, dict) else {}
    texts = []
    for model in models.values() if isinstance(models, dict) else []:
        state = model.get("state", {}) if isinstance(model, dict) else {}
        for output in state.get("outputs", []) or []:
            if output.get("output_type") == "stream":
                texts.append("".join(output.get("text", "")).strip())
        if model.get("model_name") in ("HTMLModel", "LabelModel"):
            texts.append(" ".join(_TAGS.sub("", str(state.get("value", ""))).split()))
    return [text for text in texts if text]


def _visible_text(page: BeautifulSoup) -> str:
    copy = BeautifulSoup(str(page), "html.parser")
    # Input cells are not what a form or a widget shows; outputs (streams too) are.
    for hidden in copy.select(
        "script, style, template, textarea, .nb-input, .jp-InputArea, .jp-Cell-inputWrapper"
    ):
        hidden.decompose()
    return " ".join(copy.get_text(" ").split())


def colab_inventory(page: BeautifulSoup, notebook: Path) -> dict[str, int | None]:
    """The COLAB_KINDS counts of one tool's whole page for `notebook`."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    visible = _visible_text(page)
    titles = _form_titles(nb)
    folded = 0
    for title in titles:
        codes = [c for c in page.find_all(["pre", "code"]) if f"@title {title}" in c.get_text()]
        folded += bool(codes) and all(
            any(d.name == "details" and not d.has_attr("open") for d in c.parents) for c in codes
        )
    # Each output area once (nbconvert's and coursebook's wrappers are not nested).
    outputs_text = " ".join(
        element.get_text() for element in page.select(".jp-OutputArea-output, .nb-outputs")
    )
    # A notebook that writes <sup> itself may have it in a heading; these do not.
    writes_sup = any(
        "<sup" in "".join(cell.get("source", ""))
        for cell in nb.get("cells", [])
        if cell.get("cell_type") == "markdown"
    )
    toc = page.select(".md-nav--secondary a")
    return {
        "form title": sum(title in visible for title in titles),
        "form folded": folded,
        "widget text": sum(" ".join(t.split()) in visible for t in _widget_texts(nb)),
        "escapes": len(_ESCAPE_LEFT.findall(outputs_text)),
        "toc raw": sum(bool(_RAW_DELIMITER.search(a.get_text())) for a in toc) if toc else None,
        "heading sup": sum(len(h.find_all("sup")) for h in page.find_all(re.compile(r"^h[1-6]$")))
        if not writes_sup
        else 0,
        "math raw": _untypeset_math(page),
    }


def _untypeset_math(page: BeautifulSoup) -> int | None:
    """Formulas in a coursebook article outside `.arithmatex` (its MathJax typesets only
    those); None for nbconvert's HTML, whose MathJax reads every text of the page."""
    article = page.select_one("article")
    if article is None or page.select_one(".jp-RenderedMarkdown, .jp-Cell"):
        return None
    copy = BeautifulSoup(str(article), "html.parser")
    for skipped in copy.select(".arithmatex, pre, code, script, template"):
        skipped.decompose()
    return len(MATH.findall(copy.get_text()))
