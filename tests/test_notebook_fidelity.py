"""Notebook pages show what Jupyter shows: nbconvert's HTML of the same fixture notebooks is the
reference, and every list item, heading, table, image, blockquote, link and math span it
produces must be on the coursebook page (built for real, with --strict)."""

from __future__ import annotations

import pytest
from conftest import FixtureSite
from notebook_fixtures import BIG_NOTEBOOK, SITE_NOTEBOOKS, write_notebook_site
from notebook_inventory import coursebook_content, inventory, reference_content

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
