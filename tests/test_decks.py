"""The key a cached deck is found under: every input of the deck changes it."""

from __future__ import annotations

import dataclasses

import pytest
from coursebook.present.decks import DeckSettings, RenderedPage, deck_key

PAGE = RenderedPage(
    url="lectures/02/",
    head='<html lang="en"><head><link rel="stylesheet" href="../../a.css">',
    body_tag='<body data-md-color-scheme="default">',
    content="<h1>Lecture</h1><p>Prose.</p>",
)
SETTINGS = DeckSettings(
    course_name="CIS 522",
    language="en",
    slide_level=2,
    min_text_scale=0.6,
    palette=[{"scheme": "default"}],
    page_stylesheet="assets/coursebook/coursebook.css",
)
CHANGED = {
    "course_name": "CIS 523",
    "language": "fr",
    "slide_level": 3,
    "min_text_scale": 0.5,
    "palette": [{"scheme": "slate"}],
    "page_stylesheet": "other.css",
}


def test_every_setting_is_in_the_key():
    assert set(CHANGED) == {field.name for field in dataclasses.fields(DeckSettings)}
    base = deck_key("course", PAGE, SETTINGS)
    assert deck_key("course", PAGE, SETTINGS) == base
    for name, value in CHANGED.items():
        changed = dataclasses.replace(SETTINGS, **{name: value})
        assert deck_key("course", PAGE, changed) != base, name


@pytest.mark.parametrize("field", ["url", "head", "body_tag", "content"])
def test_every_part_of_the_page_and_the_course_are_in_the_key(field):
    base = deck_key("course", PAGE, SETTINGS)
    changed = dataclasses.replace(PAGE, **{field: getattr(PAGE, field) + "x"})
    assert deck_key("course", changed, SETTINGS) != base
    assert deck_key("another course", PAGE, SETTINGS) != base
