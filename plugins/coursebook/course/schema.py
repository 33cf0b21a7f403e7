"""The lecture front matter schema: what a lecture page may say about itself.

Field docs here are the reference for authors: docs/authoring/front-matter.md is generated
from these models (see `coursebook.course.reference`), so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .dates import as_date

ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z][a-z.\-]+/\d{7})(v\d+)?$", re.I)
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# What BibTeX takes as a key: DBLP:conf/iclr/ZhangBHRV17, Abadi.Barham.Chen.ea.2016, ...
BIBTEX_KEY = re.compile(r"^[^\s,{}]+$")
ARXIV_URL = re.compile(r"^https?://arxiv\.org/(?:abs|pdf)/(?P<id>[^?#]+?)(?:\.pdf)?/?$", re.I)
DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(?P<doi>10\..+)$", re.I)


def _year(value):
    if isinstance(value, bool) or not (
        isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())
    ):
        raise PydanticCustomError(
            "year", "expected a year like 2017, got {got}", {"got": repr(value)}
        )
    year = int(value)
    if not 1600 <= year <= 2100:
        raise PydanticCustomError(
            "year", "expected a year like 2017, got {got}", {"got": repr(value)}
        )
    return year


def _http_url(value):
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+\S*$", value.strip()):
        raise PydanticCustomError(
            "link", "expected an http(s) URL, DOI or arXiv id, got {got}", {"got": repr(value)}
        )
    return value.strip()


def _arxiv(value):
    text = str(value).strip()
    if match := ARXIV_URL.match(text):
        text = match["id"]
    text = text.removeprefix("arXiv:").removeprefix("arxiv:")
    if not ARXIV_ID.match(text):
        raise PydanticCustomError(
            "arxiv", "expected an arXiv id like 1611.03530, got {got}", {"got": repr(value)}
        )
    return text


def _doi(value):
    text = str(value).strip()
    if match := DOI_URL.match(text):
        text = match["doi"]
    text = text.removeprefix("doi:")
    if not DOI.match(text):
        raise PydanticCustomError(
            "doi", "expected a DOI like 10.1145/3446776, got {got}", {"got": repr(value)}
        )
    return text


def _slug(value):
    if not isinstance(value, str) or not SLUG.match(value):
        raise PydanticCustomError(
            "slug",
            "expected lowercase letters, digits and dashes (an anchor), got {got}",
            {"got": repr(value)},
        )
    return value


def _bibtex_key(value):
    if not isinstance(value, str) or not BIBTEX_KEY.match(value.strip()):
        raise PydanticCustomError(
            "bibtex_key",
            "expected a BibTeX key (no spaces, commas or braces), got {got}",
            {"got": repr(value)},
        )
    return value.strip()


def _text(value):
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError(
            "text", "expected non-empty text, got {got}", {"got": repr(value)}
        )
    return value.strip()


def _authors(value):
    if isinstance(value, str):
        value = [name.strip() for name in value.split(" and ")]
    return value


Year = Annotated[int, BeforeValidator(_year)]
HttpUrl = Annotated[str, BeforeValidator(_http_url)]
ArxivId = Annotated[str, BeforeValidator(_arxiv)]
Doi = Annotated[str, BeforeValidator(_doi)]
Slug = Annotated[str, BeforeValidator(_slug)]
BibtexKey = Annotated[str, BeforeValidator(_bibtex_key)]
Text = Annotated[str, BeforeValidator(_text)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Paper(Strict):
    """A paper written out in full in the front matter."""

    key: BibtexKey | None = Field(
        None,
        description="BibTeX key in readings.bib, any key BibTeX accepts; the page anchor is "
        "made from it. Made from author, year and title if left out.",
    )
    title: Text = Field(description="The paper's title.")
    authors: Annotated[list[Text], BeforeValidator(_authors), Field(min_length=1)] = Field(
        description="Authors in order, as a list (or one string joined with ' and '); "
        "a last name 'others' stands for et al."
    )
    year: Year = Field(description="Year of publication, e.g. 2017.")
    venue: Text | None = Field(None, description="Journal, conference or 'arXiv preprint'.")
    arxiv: ArxivId | None = Field(None, description='arXiv id, e.g. "1611.03530" (quote it).')
    doi: Doi | None = Field(None, description="DOI, e.g. 10.1145/3446776.")
    url: HttpUrl | None = Field(None, description="Another http(s) link to the paper.")
    required: bool = Field(False, description="Required reading (true) or optional (false).")
    note: Text | None = Field(None, description="One or two sentences on why to read it.")


class Citation(Strict):
    """A paper given by its key in the course's `references.bib`."""

    cite: BibtexKey = Field(
        description="Key of an entry in references.bib, exactly as written there, "
        "e.g. DBLP:conf/iclr/ZhangBHRV17."
    )
    required: bool = Field(False, description="Required reading (true) or optional (false).")
    note: Text | None = Field(None, description="One or two sentences on why to read it.")


class Criterion(Strict):
    """One item of a project-criteria checklist."""

    id: Slug = Field(description="Stable anchor of the item, e.g. must-be-a-question.")
    text: Text = Field(description="The criterion, as students tick it off.")
    explanation: Text | None = Field(None, description="What the criterion asks for.")
    examples: list[Text] = Field(default_factory=list, description="Projects that meet it.")
    counterexamples: list[Text] = Field(default_factory=list, description="Projects that fail it.")


class CriteriaGroup(Strict):
    """A titled checklist of criteria."""

    id: Slug = Field(description="Stable anchor of the group, e.g. good-question.")
    title: Text = Field(description="The question the checklist answers.")
    items: list[Criterion] = Field(min_length=1, description="The criteria, in order.")

    @field_validator("items")
    @classmethod
    def _unique_ids(cls, items: list[Criterion]) -> list[Criterion]:
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise PydanticCustomError(
                    "duplicate", "item id {id} is used twice", {"id": repr(item.id)}
                )
            seen.add(item.id)
        return items


def _paper_kind(value) -> str:
    # A dict when validating front matter, a model when serializing it (for cache keys).
    cited = isinstance(value, Citation) or (isinstance(value, dict) and "cite" in value)
    return "citation-entry" if cited else "paper-entry"


# `cite:` entries point into references.bib; anything else is a paper written out in full.
PaperEntry = Annotated[
    Annotated[Paper, Tag("paper-entry")] | Annotated[Citation, Tag("citation-entry")],
    Discriminator(_paper_kind),
]
UNION_TAGS = frozenset({"paper-entry", "citation-entry"})


def _date(value):
    day = as_date(value)
    if day is not None:
        return day
    raise PydanticCustomError(
        "date", "expected a date like 2027-01-20, got {got}", {"got": repr(value)}
    )


def _positive(value: int) -> int:
    if value < 0:
        raise PydanticCustomError("number", "expected a lecture number of 0 or more", {})
    return value


class Lecture(Strict):
    """Front matter of one lecture page."""

    # Keys mkdocs-material (or MkDocs) reads from front matter; coursebook leaves them alone.
    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)

    title: Text = Field(
        description="The lecture's title, without 'Lecture N'; when left out, the page's first "
        "`# ` heading."
    )
    lecture: Annotated[int, AfterValidator(_positive)] = Field(
        description="Lecture number; sets the schedule order."
    )
    date: Annotated[dt.date, BeforeValidator(_date)] = Field(
        description="Day of the lecture, YYYY-MM-DD."
    )
    solutions: Annotated[dt.date, BeforeValidator(_date)] | None = Field(
        None,
        description="Day the solutions (in the page and its notebooks) are published, "
        "YYYY-MM-DD; until then the site shows the student version.",
    )
    topics: list[Text] = Field(default_factory=list, description="Short topic tags.")
    summary: Text | None = Field(None, description="One paragraph for the schedule and lists.")
    notebooks: list[Text] = Field(
        default_factory=list,
        description="Notebook paths relative to docs/, e.g. notebooks/x.ipynb.",
    )
    slides: HttpUrl | None = Field(None, description="http(s) link to the slides.")
    slide_level: Annotated[int, Field(ge=1, le=6)] | None = Field(
        None,
        description="Deepest heading level (1-6) that starts a slide in the lecture's deck; "
        "by default the plugin's `slides.level` (2).",
    )
    video: HttpUrl | None = Field(None, description="http(s) link to the recording.")
    papers: list[PaperEntry] = Field(
        default_factory=list, description="Readings: full entries or `cite:` keys."
    )
    criteria: list[CriteriaGroup] = Field(
        default_factory=list, description="Project-criteria checklists."
    )


# Front matter keys that MkDocs or mkdocs-material understand; never reported as unknown.
THEME_KEYS = frozenset(
    {
        "title",
        "description",
        "template",
        "tags",
        "hide",
        "icon",
        "status",
        "subtitle",
        "search",
        "social",
        "comments",
        "authors",
        "nav_title",
        "robots",
        "og_image",
    }
)
