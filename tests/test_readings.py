"""Reading list: merging, deduplication, conflicts, citations, BibTeX export round trip."""

from __future__ import annotations

import datetime as dt
import io

import bibtexparser
import pybtex.database
import pytest
from coursebook.course.bibtex import parse_bibliography
from coursebook.course.model import LectureSource
from coursebook.course.publication import from_bib
from coursebook.course.readings import build_reading_list, readings_to_bibtex
from coursebook.course.schema import Lecture
from pylatexenc.latex2text import LatexNodes2Text

ZHANG = {
    "title": "Understanding deep learning requires rethinking generalization",
    "authors": ["Chiyuan Zhang", "Samy Bengio"],
    "year": 2017,
    "arxiv": "1611.03530",
    "venue": "ICLR",
}


def lecture(number: int, *papers, file: str | None = None) -> LectureSource:
    meta = Lecture.model_validate(
        {
            "title": f"L{number}",
            "lecture": number,
            "date": dt.date(2027, 1, number),
            "papers": list(papers),
        }
    )
    return LectureSource(file or f"docs/lectures/{number:02}.md", f"lectures/{number:02}.md", meta)


def test_papers_are_grouped_in_schedule_order_with_required_flags_and_notes():
    first = lecture(2, {**ZHANG, "required": True, "note": "Read section 2."})
    second = lecture(3, {"title": "Another paper", "authors": ["A B"], "year": 2020})
    readings, problems = build_reading_list([first, second], None)
    assert problems == []
    assert [e.key for e in readings.entries] == ["zhang2017understanding", "b2020another"]
    assert readings.entries[0].required
    assert not readings.entries[1].required
    assert readings.entries[0].note == "Read section 2."
    assert readings.for_lecture(second) == [readings.entries[1]]


@pytest.mark.parametrize(
    ("first", "again"),
    [
        (
            ZHANG,
            {
                **ZHANG,
                "title": "Understanding Deep Learning Requires Rethinking Generalization!",
                "arxiv": None,
            },
        ),
        (ZHANG, {**ZHANG, "arxiv": "1611.03530v3", "venue": "arXiv preprint"}),
        (
            {"title": "Paper", "authors": ["Z"], "year": 2017, "doi": "10.1145/3446776"},
            {"title": "Paper.", "authors": ["Z"], "year": 2017, "doi": "10.1145/3446776"},
        ),
    ],
    ids=["normalised-title", "arxiv-id-any-version", "doi"],
)
def test_a_paper_cited_twice_appears_once_with_every_lecture(first, again):
    again = {k: v for k, v in again.items() if v is not None}
    lectures = [lecture(2, first), lecture(5, {**again, "required": True})]
    readings, problems = build_reading_list(lectures, None)
    assert problems == []
    assert len(readings.entries) == 1
    entry = readings.entries[0]
    assert [c.lecture.meta.lecture for c in entry.citations] == [2, 5]
    assert entry.required  # required in at least one lecture


def test_different_papers_stay_apart():
    other = {**ZHANG, "title": "A different paper", "arxiv": "1706.03762"}
    readings, problems = build_reading_list([lecture(2, ZHANG), lecture(3, other)], None)
    assert problems == []
    assert len(readings.entries) == 2


def test_same_paper_that_disagrees_is_an_error_naming_both_places():
    lectures = [
        lecture(2, ZHANG),
        lecture(4, {"title": "x", "authors": ["y"], "year": 2020}, {**ZHANG, "year": 2016}),
    ]
    readings, problems = build_reading_list(lectures, None)
    assert [str(p) for p in problems] == [
        "docs/lectures/04.md: papers[1]: same paper as docs/lectures/02.md: papers[0] "
        "but they disagree: year 2016 vs 2017"
    ]
    assert len(readings.entries) == 2


def test_citations_resolve_into_references_bib():
    bib = r"""
    @inproceedings{kale2021sgd,
      title = {{SGD}: The Role of Implicit Regularization, Batch-size and Multiple-epochs},
      author = {Kale, Satyen and Sekhari, Ayush and Sridharan, Karthik},
      booktitle = {Advances in Neural Information Processing Systems},
      year = {2021},
      eprint = {2107.05074},
      archivePrefix = {arXiv},
    }
    """
    bibliography = parse_bibliography(bib, "references.bib")
    assert bibliography.problems == []
    lectures = [
        lecture(2, {"cite": "kale2021sgd", "required": True, "note": "Optional extra."}),
        lecture(3, {"cite": "nope"}),
    ]
    readings, problems = build_reading_list(lectures, bibliography)
    assert [str(p) for p in problems] == [
        "docs/lectures/03.md: papers[0].cite: no entry 'nope' in references.bib"
    ]
    paper = readings.entries[0].paper
    assert paper.title.startswith("SGD: The Role")
    assert paper.authors_text(0) == "Satyen Kale, Ayush Sekhari, Karthik Sridharan"
    assert paper.arxiv == "2107.05074"
    assert readings.entries[0].required


def test_inline_and_bib_copies_of_one_paper_merge():
    bib = (
        "@article{zhang, title={Understanding deep learning requires rethinking generalization},"
        " author={Zhang, Chiyuan}, year={2017}, journal={ICLR}}"
    )
    readings, problems = build_reading_list(
        [lecture(2, ZHANG), lecture(3, {"cite": "zhang"})], parse_bibliography(bib, "refs.bib")
    )
    assert problems == []
    assert len(readings.entries) == 1


def test_a_bib_entry_that_is_invalid_names_the_bib_file_line_and_key():
    bib = parse_bibliography("\n@misc{k, title={T}, year={soon}, author={A}}", "references.bib")
    _, problems = build_reading_list([lecture(2, {"cite": "k"})], bib)
    assert [str(p) for p in problems] == [
        "references.bib: line 2: k: year: expected a year like 2017, got 'soon'"
    ]


TRICKY = [
    {
        "title": "Gödel, Escher & Bach: 100% of $x_1$ in {braces}",
        "authors": ["Kurt Gödel", "Zoë Çelik-Ñúñez"],
        "year": 1979,
    },
    {
        "title": "Über tiefe Netze",
        "authors": ["Jürgen Schmidhuber"],
        "year": 2015,
        "venue": "Neural Networks",
        "doi": "10.1016/j.neunet.2014.09.003",
    },
    {
        **ZHANG,
        "url": "https://example.org/paper_v1%20final.pdf",
        "note": "Section 3 & 4, ~10 pages.",
    },
]


def test_bibtex_export_round_trips_front_matter_papers_with_unicode_and_specials():
    readings, _ = build_reading_list([lecture(2, *TRICKY)], None)
    back = parse_bibliography(readings_to_bibtex(readings.entries), "readings.bib")
    assert back.problems == []
    assert len(back.entries) == 3
    for entry, original in zip(back.entries.values(), TRICKY, strict=True):
        paper, problems = from_bib(entry, "readings.bib")
        assert problems == []
        assert paper.title == original["title"]
        assert [name.display for name in paper.authors] == original["authors"]
        assert paper.year == original["year"]
        for link in ("doi", "url"):
            assert getattr(paper, link) == original.get(link)
    zhang = back.entries["zhang2017understanding"]
    assert from_bib(zhang, "readings.bib")[0].arxiv == "1611.03530"
    assert zhang.fields["annote"] == r"Section 3 {\&} 4, {\textasciitilde}10 pages."


def test_bibtex_export_parses_in_pybtex_too():
    readings, _ = build_reading_list([lecture(2, *TRICKY)], None)
    text = readings_to_bibtex(readings.entries)
    data = pybtex.database.parse_file(io.StringIO(text), bib_format="bibtex")
    assert set(data.entries) == {e.key for e in readings.entries}
    godel = data.entries[readings.entries[0].key]
    assert LatexNodes2Text().latex_to_text(str(godel.persons["author"][0])) == "Gödel, Kurt"
    assert godel.fields["year"] == "1979"
    assert bibtexparser.parse_string(text).failed_blocks == []
