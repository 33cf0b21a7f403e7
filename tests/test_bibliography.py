"""A course's references.bib as it is: real exports (DBLP, Google Scholar, Zotero/Better
BibTeX, a hand-kept file) parsed, decoded, cited, checked only when cited, cached, and written
back to readings.bib so that pybtex and bibtexparser read the same entries."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import bibtexparser
import pybtex.database
import pytest
from coursebook.course import bibtex
from coursebook.course.bibtex import (
    decode_latex,
    parse_bibliography,
    parse_names,
    read_bibliography,
)
from coursebook.course.model import LectureSource
from coursebook.course.publication import PRIVATE_FIELDS, from_paper
from coursebook.course.readings import anchor_for, build_reading_list, readings_to_bibtex
from coursebook.course.schema import Lecture, Paper
from pylatexenc.latex2text import LatexNodes2Text

BIB = Path(__file__).parent / "data" / "bib"
EXPORTS = ("dblp.bib", "scholar.bib", "zotero.bib", "hand.bib")
# In hand.bib on purpose: uncited, they must never be reported.
INCOMPLETE = {"Unfinished:notes", "broken.year"}


def lecture(number: int, *papers) -> LectureSource:
    date = dt.date(2027, 1, number)
    meta = Lecture.model_validate(
        {"title": f"L{number}", "lecture": number, "date": date, "papers": papers}
    )
    return LectureSource(f"docs/lectures/{number:02}.md", f"lectures/{number:02}.md", meta)


def all_exports() -> str:
    return "\n".join((BIB / name).read_text(encoding="utf-8") for name in EXPORTS)


@pytest.mark.parametrize(
    ("written", "parts", "shown"),
    [
        (r"Abadi, Mart{\'\i}n", ("Martín", "", "Abadi", ""), "Martín Abadi"),
        ("Ramón y Cajal, Santiago", ("Santiago", "Ramón y", "Cajal", ""), "Santiago Ramón y Cajal"),
        (r"Ram{\'o}n y Cajal, Santiago", ("Santiago", "Ramón y", "Cajal", ""), None),
        ("{Le Cun}, Yann", ("Yann", "", "Le Cun", ""), "Yann Le Cun"),
        (r"Le{C}un, Yann", ("Yann", "", "LeCun", ""), "Yann LeCun"),
        ("Hoane Jr, A. Joseph", ("A. Joseph", "", "Hoane Jr", ""), "A. Joseph Hoane Jr"),
        ("King, Jr., Martin Luther", ("Martin Luther", "", "King", "Jr."), None),
        ("{OpenAI}", ("", "", "OpenAI", ""), "OpenAI"),
        ("{van der Berg}, Anna", ("Anna", "", "van der Berg", ""), "Anna van der Berg"),
        ("Ludwig van Beethoven", ("Ludwig", "van", "Beethoven", ""), "Ludwig van Beethoven"),
        (r"Klaus{-}Robert M{\"{u}}ller", ("Klaus-Robert", "", "Müller", ""), "Klaus-Robert Müller"),
        ("F.~P. Cantelli", ("F. P.", "", "Cantelli", ""), "F. P. Cantelli"),
        ("Müller, Jörg", ("Jörg", "", "Müller", ""), "Jörg Müller"),
    ],
)
def test_names_are_read_in_their_four_parts_as_pybtex_reads_them(written, parts, shown):
    (name,), more = parse_names(written)
    assert not more
    assert (name.first, name.von, name.last, name.jr) == parts
    if shown:
        assert name.display == shown
    person = pybtex.database.Person(written)
    decode = LatexNodes2Text().latex_to_text

    def words(*groups):
        return " ".join(decode(w) for group in groups for w in group).replace("\xa0", " ")

    assert parts == (
        words(person.first_names, person.middle_names),
        words(person.prelast_names),
        words(person.last_names),
        words(person.lineage_names),
    )


def test_others_ends_a_name_list_as_et_al_and_so_does_a_limit():
    names, more = parse_names("Krizhevsky, Alex and Hinton, Geoffrey and others")
    assert [n.display for n in names] == ["Alex Krizhevsky", "Geoffrey Hinton"]
    assert more
    paper = from_paper(
        Paper(title="T", year=2020, authors=["Ana A", "Ben B", "Cy C", "et al."]), "k"
    )
    assert paper.authors_text(0) == "Ana A, Ben B, Cy C, et al."
    assert paper.authors_text(2) == "Ana A, Ben B, et al."
    assert paper.bibtex_fields()[1] == ("author", "A, Ana and B, Ben and C, Cy and others")


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Kurt Gödel", "Kurt Gödel"),
        ("{Google Brain Team}", "Google Brain Team"),
        ("Brinch Hansen, Per", "Per Brinch Hansen"),
        ("Ludwig van Beethoven", "Ludwig van Beethoven"),
    ],
)
def test_a_front_matter_name_is_written_to_bibtex_as_the_same_name(written, shown):
    paper = from_paper(Paper(title="T", year=2020, authors=[written]), "k")
    (name,) = paper.authors
    assert name.display == shown
    (back,), _ = parse_names(dict(paper.bibtex_fields())["author"])
    assert back == name


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("Cambridge {U}niversity {P}ress", "Cambridge University Press"),
        (r"John Wiley \& Sons", "John Wiley & Sons"),
        (r"Sch{\"o}lkopf and Schölkopf", "Schölkopf and Schölkopf"),
        ("pages 265--283, and---so", "pages 265–283, and—so"),
        ("F.~P. Cantelli", "F.\xa0P. Cantelli"),
        ("Attention {{Is All You Need}}", "Attention Is All You Need"),
        (r"12th $\{$USENIX$\}$ symposium ($\{$OSDI$\}$ 16)", "12th USENIX symposium (OSDI 16)"),
        (r"Why $L_2$ {$\neq$} decay", r"Why \(L_2\) \(\neq\) decay"),
        (r"\emph{Deep} \textbf{nets} in \mbox{\LaTeX}", "Deep nets in LaTeX"),
        (r"\url{https://example.org/a_b}", "https://example.org/a_b"),
        (r"\href{https://example.org}{the site}", "the site"),
        (r"Rend.\ Accad.\ Lincei", "Rend. Accad. Lincei"),
        ("a title\n\t\t  over two lines", "a title over two lines"),
        (r"100\% of \$5", "100% of $5"),
        (r"100% {B}ayesian", "100% Bayesian"),
    ],
)
def test_latex_is_decoded_into_what_a_reader_sees(latex, text):
    assert decode_latex(latex) == text


@pytest.mark.parametrize("name", EXPORTS)
def test_real_exports_parse_with_each_entry_at_its_line(name):
    text = (BIB / name).read_text(encoding="utf-8")
    bibliography = parse_bibliography(text, name)
    assert bibliography.problems == []
    assert bibliography.duplicates == {}
    lines = text.splitlines()
    entry_start = re.compile(r"@(?!string|preamble|comment)", re.I)
    starts = [i + 1 for i, line in enumerate(lines) if entry_start.match(line)]
    assert [e.line for e in bibliography.entries.values()] == starts
    for entry in bibliography.entries.values():
        assert entry.key in lines[entry.line - 1]


def test_macros_concatenation_months_and_odd_syntax_are_read_as_bibtex_does():
    entries = parse_bibliography((BIB / "hand.bib").read_text("utf-8"), "hand.bib").entries
    dropout = entries["Srivastava:2014"]
    assert dropout.kind == "article"
    assert dropout.fields["journal"] == "Journal of Machine Learning Research"
    assert dropout.fields["month"] == "June"
    assert dropout.fields["volume"] == "15"
    kernels = entries["Scholkopf.Smola:2002"]  # @Book( ... ) with parentheses
    assert kernels.kind == "book"
    assert kernels.fields["publisher"] == "{MIT} Press (Cambridge, MA)"
    assert entries["Boyd:Vandenberghe:2004"].fields["publisher"] == "Cambridge University Press"


def test_any_key_is_cited_as_written_and_anchored_by_a_stable_slug():
    bib = parse_bibliography(all_exports(), "references.bib")
    cited = ["DBLP:conf/iclr/ZhangBHRV17", "He:2016", "He.2016", "Abadi.Barham.Chen.ea.2016"]
    bib.entries["Abadi.Barham.Chen.ea.2016"] = bibtex.BibEntry(
        "Abadi.Barham.Chen.ea.2016", "misc", 1, {"title": "T", "author": "A", "year": "2016"}
    )
    readings, problems = build_reading_list([lecture(2, *({"cite": key} for key in cited))], bib)
    assert problems == []
    assert [e.key for e in readings.entries] == cited
    assert [e.anchor for e in readings.entries] == [
        "dblp-conf-iclr-zhangbhrv17",
        "he-2016",
        "he-2016-2",
        "abadi-barham-chen-ea-2016",
    ]
    assert readings.notes == [
        "readings: keys 'He.2016' and 'He:2016' make the same anchor #he-2016; "
        "'He.2016' is at #he-2016-2 on the readings page"
    ]
    assert anchor_for("Gödel:1931") == "godel-1931"


def test_an_incomplete_entry_is_a_problem_only_when_cited_naming_key_and_line():
    text = (BIB / "hand.bib").read_text("utf-8")
    bib = parse_bibliography(text, "references.bib")
    _, problems = build_reading_list([lecture(2, {"cite": "Srivastava:2014"})], bib)
    assert problems == []
    lines = {key: bib.entries[key].line for key in INCOMPLETE}
    _, problems = build_reading_list(
        [lecture(2, {"cite": "Unfinished:notes"}), lecture(3, {"cite": "broken.year"})], bib
    )
    assert [str(p) for p in problems] == [
        f"references.bib: line {lines['Unfinished:notes']}: Unfinished:notes: no year; "
        "a reading needs a title, an author or editor, and a year",
        f"references.bib: line {lines['broken.year']}: broken.year: year: "
        "expected a year like 2017, got 'forthcoming'",
    ]
    assert text.splitlines()[lines["Unfinished:notes"] - 1] == "@misc{Unfinished:notes,"


def test_a_cited_entry_is_checked_once_however_many_lectures_cite_it():
    bib = parse_bibliography("@misc{k, title={T}, author={A}}", "references.bib")
    _, problems = build_reading_list([lecture(2, {"cite": "k"}), lecture(3, {"cite": "k"})], bib)
    assert len(problems) == 1


def test_unparseable_blocks_and_cited_duplicate_keys_are_reported_with_their_lines():
    text = (
        '@string{v = "one"} @string{v = "two"}\n'
        "@misc{a, title={A}, author={X}, year=2020, note=v}\n"
        "@misc{b, title = {never closed}\n"
        "@misc{a, title={Again}, author={Y}, year=2021}\n"
        "@misc{c, title={C}, author={Z}, year=2022}\n"
        "@misc{c, title={C again}, author={Z}, year=2022}\n"
    )
    bib = parse_bibliography(text, "references.bib")
    assert [str(p) for p in bib.problems] == [
        "references.bib: line 3: cannot parse BibTeX: Unexpected block start: `@misc`. "
        "Was still looking for field-value closing `,` or `}`"
    ]
    assert bib.entries["a"].fields["note"] == "two"  # a later @string redefines a macro
    _, problems = build_reading_list([lecture(2, {"cite": "a"})], bib)
    assert [str(p) for p in problems] == [
        "references.bib: line 4: a: the key is used again; the entry at line 2 is cited"
    ]


def test_a_key_in_another_case_is_not_found_but_named():
    bib = parse_bibliography((BIB / "hand.bib").read_text("utf-8"), "references.bib")
    _, problems = build_reading_list([lecture(2, {"cite": "srivastava:2014"})], bib)
    assert [str(p) for p in problems] == [
        "docs/lectures/02.md: papers[0].cite: no entry 'srivastava:2014' in references.bib; "
        "did you mean 'Srivastava:2014'? (keys are matched as written)"
    ]


def test_front_matter_and_bib_names_are_shown_one_way():
    bib = parse_bibliography((BIB / "scholar.bib").read_text("utf-8"), "references.bib")
    inline = {
        "title": "TensorFlow, again",
        "authors": ["Martín Abadi", "Paul Barham", "Jianmin Chen"],
        "year": 2016,
    }
    readings, _ = build_reading_list([lecture(2, {"cite": "abadi2016tensorflow"}, inline)], bib)
    cited, written = (e.paper.authors_text(3) for e in readings.entries)
    assert cited == "Martín Abadi, Paul Barham, Jianmin Chen, et al."
    assert written == "Martín Abadi, Paul Barham, Jianmin Chen"


def test_references_are_parsed_once_per_content_in_memory_and_on_disk(tmp_path, monkeypatch):
    calls = []
    parse = bibtex.parse_bibliography
    monkeypatch.setattr(bibtex, "parse_bibliography", lambda *args: calls.append(1) or parse(*args))
    monkeypatch.setattr(bibtex, "_memory", {})  # whatever earlier tests parsed
    data = (BIB / "dblp.bib").read_bytes()
    first = read_bibliography(data, "references.bib", tmp_path)
    assert read_bibliography(data, "references.bib", tmp_path) is first  # `mkdocs serve`
    bibtex._memory.clear()  # a new build process
    again = read_bibliography(data, "references.bib", tmp_path)
    assert again.entries == first.entries
    assert len(calls) == 1
    changed = read_bibliography(data + b"\n@misc{new, title={N}}\n", "references.bib", tmp_path)
    assert len(calls) == 2
    assert "new" in changed.entries
    assert len(list(tmp_path.glob("*.json"))) == 1  # only the current file's parse is kept


def test_a_corrupt_cache_file_is_parsed_again(tmp_path):
    data = (BIB / "hand.bib").read_bytes()
    read_bibliography(data, "references.bib", tmp_path)
    bibtex._memory.clear()
    (cached,) = tmp_path.glob("*.json")
    cached.write_text("{not json")
    assert "Srivastava:2014" in read_bibliography(data, "references.bib", tmp_path).entries


def normalized(value: str) -> str:
    return " ".join(value.split())


def test_every_cited_entry_round_trips_through_pybtex_and_bibtexparser():
    source_text = all_exports()
    bib = parse_bibliography(source_text, "references.bib")
    # Second copies of a paper, from another export, cited by another lecture.
    copies = {"lecunDeepLearning2015a", "He:2016"}
    keys = [key for key in bib.entries if key not in INCOMPLETE | copies]
    notes = {"He.2016": "Read section 3 & 4."}
    papers = [{"cite": key, **({"note": notes[key]} if key in notes else {})} for key in keys]
    readings, problems = build_reading_list(
        [lecture(2, *papers), lecture(3, *({"cite": key} for key in sorted(copies)))], bib
    )
    assert problems == []
    exported = readings_to_bibtex(readings.entries)
    on_list = [e.key for e in readings.entries]
    assert on_list == keys  # each copy is listed once, under the key cited first

    library = bibtexparser.parse_string(exported)
    assert library.failed_blocks == []
    assert [(e.key, e.entry_type) for e in library.entries] == [
        (key, bib.entries[key].kind) for key in on_list
    ]
    source = pybtex.database.parse_file(io.StringIO(source_text), bib_format="bibtex")
    back = pybtex.database.parse_file(io.StringIO(exported), bib_format="bibtex")
    assert list(back.entries) == on_list
    for key in on_list:
        original, copy = source.entries[key], back.entries[key]
        assert copy.type == original.type.lower()
        kept = {k.lower(): normalized(v) for k, v in original.fields.items()}
        kept = {k: v for k, v in kept.items() if k not in PRIVATE_FIELDS}
        fields = {k.lower(): normalized(v) for k, v in copy.fields.items()}
        if key in notes:
            assert fields.pop("annote") == r"Read section 3 {\&} 4."
        assert fields == kept, key
        for role, persons in original.persons.items():
            assert [str(p) for p in copy.persons[role]] == [str(p) for p in persons], key
    abadi = back.entries["abadi2016tensorflow"].persons["author"]
    assert str(abadi[-1]) == "others"
    assert "file" not in back.entries["lecun2015deep"].fields
    assert back.entries["DBLP:books/daglib/0040158"].type == "book"
