"""Notebook pages show what Jupyter shows: nbconvert's HTML of the same fixture notebooks is the
reference, and every list item, heading, table, image, blockquote, link and math span it
produces must be on the coursebook page (built for real, with --strict)."""

from __future__ import annotations

import json

import pytest
from conftest import FixtureSite
from notebook_fixtures import BIG_NOTEBOOK, SITE_NOTEBOOKS, write_notebook_site
from notebook_inventory import (
    _form_titles,
    _widget_texts,
    colab_inventory,
    coursebook_content,
    inventory,
    reference_content,
)

NOTEBOOKS = list(SITE_NOTEBOOKS)
# The totals below are of the first fixtures; issue 23's (forms, widgets, math) have their own.
FIRST_FIXTURES = NOTEBOOKS[:3]


@pytest.fixture(scope="module")
def fidelity_site(tmp_path_factory):
    site = FixtureSite(write_notebook_site(tmp_path_factory.mktemp("fidelity")))
    build = site.build()
    assert build.returncode == 0, build.log
    return site, build


@pytest.mark.parametrize("uri", [*NOTEBOOKS, BIG_NOTEBOOK])
def test_every_element_nbconvert_shows_is_on_the_page(fidelity_site, uri):
    site, build = fidelity_site
    reference = inventory(reference_content(site.root / "docs" / uri))
    ours = inventory(coursebook_content(build.html(uri.removesuffix(".ipynb") + "/index.html")))
    for kind, expected in reference.items():
        missing = expected - ours[kind]
        assert not missing, f"{uri}: {kind} that nbconvert shows but the page does not: {missing}"


def test_the_fixtures_cover_each_construct(fidelity_site):
    """The reference itself has what the test claims to compare, so the test can fail."""
    totals = dict.fromkeys(
        ("heading", "li", "table", "img", "iframe", "blockquote", "link", "math"), 0
    )
    site, _build = fidelity_site
    for uri in FIRST_FIXTURES:
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
        "link": 8,
        "math": 8,
    }


@pytest.mark.parametrize("uri", NOTEBOOKS)
def test_what_colab_and_jupyterlab_show_beyond_nbconvert_is_on_the_page(fidelity_site, uri):
    """Issue 23's rows of the fidelity table: every form titled and folded, every text saved in
    widget state shown, and no terminal code, raw TOC math, stray superscript or untypeset
    formula left."""
    site, build = fidelity_site
    source = site.root / "docs" / uri
    nb = json.loads(source.read_text(encoding="utf-8"))
    forms = len(_form_titles(nb))
    counts = colab_inventory(build.html(uri.removesuffix(".ipynb") + "/index.html"), source)
    # A page whose only heading is its title has no table of contents at all (None).
    assert counts.pop("toc raw") in (0, None)
    assert counts == {
        "form title": forms,
        "form folded": forms,
        "widget text": len(_widget_texts(nb)),
        "escapes": 0,
        "heading sup": 0,
        "math raw": 0,
    }


def test_the_new_fixtures_hold_what_those_rows_count(fidelity_site):
    site, _build = fidelity_site
    notebooks = {
        uri: json.loads((site.root / "docs" / uri).read_text(encoding="utf-8")) for uri in NOTEBOOKS
    }
    assert sum(len(_form_titles(nb)) for nb in notebooks.values()) == 3
    # Two Output streams, two HTML values and a Label, all in widget-videos
    assert sum(len(_widget_texts(nb)) for nb in notebooks.values()) == 5
    # pip's cursor hiding, which the page must drop (JSON writes ESC as \u001b)
    assert any("\\u001b[?25l" in json.dumps(nb) for nb in notebooks.values())
