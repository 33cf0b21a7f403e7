"""Front matter: YAML errors, schema problems, did-you-mean, links; all named by file+field."""

from __future__ import annotations

import pytest
from coursebook.course.frontmatter import read_front_matter
from coursebook.course.validation import validate_lecture

FILE = "docs/lectures/02-theory.md"
VALID = {
    "title": "Theory",
    "lecture": 2,
    "date": "2027-01-20",
    "papers": [
        {"title": "A", "authors": ["X Y"], "year": 2017, "arxiv": "1611.03530"},
        {"title": "B", "authors": "P Q and R S", "year": 2021, "doi": "10.1145/3446776"},
    ],
}


def problems_for(**changes) -> list[str]:
    data = {**VALID, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    return [str(p) for p in validate_lecture(data, FILE)[1]]


def test_valid_front_matter_has_no_problems():
    lecture, problems = validate_lecture(VALID, FILE)
    assert problems == []
    assert lecture.papers[1].authors == ["P Q", "R S"]
    assert lecture.date.isoformat() == "2027-01-20"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": None}, f"{FILE}: title: required field is missing"),
        ({"lecture": "two"}, f"{FILE}: lecture: expected a whole number, got 'two'"),
        ({"date": "next week"}, f"{FILE}: date: expected a date like 2027-01-20, got 'next week'"),
        ({"topics": "theory"}, f"{FILE}: topics: expected a list, got 'theory'"),
        (
            {"papers": [VALID["papers"][0], {**VALID["papers"][1], "year": "twenty"}]},
            f"{FILE}: papers[1].year: expected a year like 2017, got 'twenty'",
        ),
        (
            {"papers": [{**VALID["papers"][0], "url": "javascript:alert(1)"}]},
            f"{FILE}: papers[0].url: expected an http(s) URL, DOI or arXiv id, "
            "got 'javascript:alert(1)'",
        ),
        (
            {"slides": "ftp://example.org/s.pdf"},
            f"{FILE}: slides: expected an http(s) URL, DOI or arXiv id, got 'ftp://example.org/s.pdf'",
        ),
        (
            {"papers": [{**VALID["papers"][0], "arxiv": "not-an-id"}]},
            f"{FILE}: papers[0].arxiv: expected an arXiv id like 1611.03530, got 'not-an-id'",
        ),
        (
            {"papers": [{**VALID["papers"][0], "doi": "doi.org/x"}]},
            f"{FILE}: papers[0].doi: expected a DOI like 10.1145/3446776, got 'doi.org/x'",
        ),
        (
            {"papers": [{**VALID["papers"][0], "titel": "A"}]},
            f"{FILE}: papers[0].titel: unknown field; did you mean 'title'?",
        ),
        ({"paper": []}, f"{FILE}: paper: unknown field; did you mean 'papers'?"),
        (
            {"papers": [{**VALID["papers"][0], "key": "Zhang et al 2017"}]},
            f"{FILE}: papers[0].key: expected a BibTeX key (no spaces, commas or braces), "
            "got 'Zhang et al 2017'",
        ),
        ({"criterias": []}, f"{FILE}: criterias: unknown field; did you mean 'criteria'?"),
        (
            {"papers": [{"cite": "k", "requird": True}]},
            f"{FILE}: papers[0].requird: unknown field; did you mean 'required'?",
        ),
        (
            {
                "criteria": [
                    {"id": "Good Question", "title": "T", "items": [{"id": "a", "text": "A"}]}
                ]
            },
            f"{FILE}: criteria[0].id: expected lowercase letters, digits and dashes (an anchor), "
            "got 'Good Question'",
        ),
        (
            {
                "criteria": [
                    {
                        "id": "g",
                        "title": "T",
                        "items": [{"id": "a", "text": "A"}, {"id": "a", "text": "B"}],
                    }
                ]
            },
            f"{FILE}: criteria[0].items: item id 'a' is used twice",
        ),
    ],
)
def test_problem_messages_name_file_field_and_problem(changes, expected):
    assert expected in problems_for(**changes)


def test_all_problems_are_reported_together():
    problems = problems_for(title=None, lecture="two", paper=[])
    assert len(problems) == 3


@pytest.mark.parametrize("key", ["tags", "hide", "template", "description", "icon", "status"])
def test_keys_of_mkdocs_material_are_left_alone(key):
    assert problems_for(**{key: ["anything"]}) == []


@pytest.mark.parametrize(
    "key", ["Abadi.Barham.Chen.ea.2016", "DBLP:conf/iclr/ZhangBHRV17", "He_2016", "Gödel1931"]
)
def test_any_key_bibtex_accepts_is_a_paper_key_and_a_citation(key):
    paper = {**VALID["papers"][0], "key": key}
    assert problems_for(papers=[paper, {"cite": key}]) == []


def test_unrelated_custom_keys_are_allowed():
    assert problems_for(instructor="Konrad") == []


@pytest.mark.parametrize(
    ("arxiv", "stored"),
    [
        ("1611.03530", "1611.03530"),
        ("arXiv:2107.05074v2", "2107.05074v2"),
        ("https://arxiv.org/abs/1611.03530", "1611.03530"),
        ("https://arxiv.org/pdf/1611.03530.pdf", "1611.03530"),
        ("hep-th/9901001", "hep-th/9901001"),
    ],
)
def test_arxiv_ids_are_normalised(arxiv, stored):
    paper = {**VALID["papers"][0], "arxiv": arxiv}
    lecture, problems = validate_lecture({**VALID, "papers": [paper]}, FILE)
    assert problems == []
    assert lecture.papers[0].arxiv == stored


def test_malformed_yaml_names_file_and_line():
    text = "---\ntitle: Theory\nlecture: [2\n---\n# Body\n"
    data, problems = read_front_matter(text, FILE)
    assert data == {}
    assert len(problems) == 1
    message = str(problems[0])
    assert message.startswith(f"{FILE}: front matter: invalid YAML at line 4, column 1: ")
    assert "expected ',' or ']'" in message
    assert message.endswith("(while parsing a flow sequence at line 3, column 10)")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\n- a\n- b\n---\n", "expected key: value pairs, got a list"),
        ("---\ntitle: x\n", "opening '---' has no closing '---'"),
    ],
)
def test_front_matter_shape_problems(text, message):
    assert str(read_front_matter(text, FILE)[1][0]) == f"{FILE}: front matter: {message}"


def test_no_front_matter_is_not_a_yaml_problem():
    assert read_front_matter("# Just a page\n", FILE) == ({}, [])


def test_the_committed_front_matter_reference_is_generated_from_the_schema():
    from pathlib import Path

    from coursebook.course.reference import front_matter_reference

    committed = Path(__file__).parent.parent / "docs/authoring/front-matter.md"
    assert committed.read_text(encoding="utf-8") == front_matter_reference(), (
        "run: python -m coursebook schema-docs > docs/authoring/front-matter.md"
    )
