"""A fixture course whose references.bib is four real exports pasted together, cited as the
keys are written: the rendered reading lists and the downloadable readings.bib."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pybtex.database
import pytest

BIB = Path(__file__).parent / "data" / "bib"
EXPORTS = ("dblp.bib", "scholar.bib", "zotero.bib", "hand.bib")

LECTURES = {
    "02-theory.md": """\
---
title: Theory
lecture: 2
date: 2027-01-20
papers:
  - cite: DBLP:conf/iclr/ZhangBHRV17
    required: true
  - cite: abadi2016tensorflow
  - cite: DBLP:journals/corr/VaswaniSPUJGKP17
  - cite: lecun2015deep
  - title: Gradient-based learning applied to document recognition
    authors: [Yann LeCun, Léon Bottou, Yoshua Bengio, Patrick Haffner]
    year: 1998
    venue: Proceedings of the IEEE
    doi: 10.1109/5.726791
  - cite: Weight-decay:notes
---

# Theory
""",
    "03-practice.md": """\
---
title: Practice
lecture: 3
date: 2027-01-27
papers:
  - cite: lecunDeepLearning2015a
  - cite: DBLP:books/daglib/0040158
  - cite: DBLP:series/lncs/Bengio12
  - cite: DBLP:phd/ca/Sutskever13
  - cite: ba2016layer
  - cite: krizhevsky2009learning
  - cite: cover1999elements
  - cite: campbell2002deep
---

# Practice
""",
    "04-more.md": """\
---
title: More
lecture: 4
date: 2027-02-03
papers:
  - cite: openaiGPT4TechnicalReport2023
  - cite: karpathyUnreasonableEffectivenessRecurrent2015
  - cite: mullerTiefeNetzeFur2019
  - cite: montavonNeuralNetworksTricks2012
  - cite: Srivastava:2014
  - cite: Scholkopf.Smola:2002
  - cite: RamonYCajal:1894
  - cite: Bottou.Le-Cun.1988
  - cite: He:2016
  - cite: He.2016
  - cite: Boyd:Vandenberghe:2004
  - cite: Hinton_Srivastava_2012
  - cite: LeCun:1987
---

# More
""",
}


def write_course(make_site):
    site = make_site("max_authors: 5\n")
    for name, text in LECTURES.items():
        site.write(f"docs/lectures/{name}", text)
    references = "\n".join((BIB / name).read_text(encoding="utf-8") for name in EXPORTS)
    site.write("references.bib", references.encode())
    return site


@pytest.fixture
def course(fixture_site):
    """The course, to change before building it."""
    return write_course(fixture_site)


@pytest.fixture(scope="module")
def built(module_fixture_site):
    """One strict build of the course, read by every test that changes nothing."""
    build = write_course(module_fixture_site).build()
    assert build.returncode == 0, build.log
    return build


def visible_text(element) -> str:
    """What a reader sees as text: math spans are typeset by MathJax, not read."""
    for math in element.select(".arithmatex"):
        math.decompose()
    return " ".join(element.get_text().split())


def entry(built, anchor: str):
    return built.html("readings/index.html").select_one(f"li.cb-reading#{anchor}")


def test_no_latex_reaches_the_reader(built):
    for page in ("readings/index.html", *(f"lectures/{n[:-3]}/index.html" for n in LECTURES)):
        html = built.html(page)
        blocks = html.select("li.cb-reading, .cb-readings__again, .cb-readings-by-year td")
        assert blocks, page
        for block in blocks:
            text = visible_text(block)
            assert not set("{}\\") & set(text), (page, text)


@pytest.mark.parametrize(
    ("anchor", "authors", "title", "venue"),
    [
        (
            "dblp-conf-iclr-zhangbhrv17",
            "Chiyuan Zhang, Samy Bengio, Moritz Hardt, Benjamin Recht, Oriol Vinyals",
            "Understanding deep learning requires rethinking generalization",
            "In 5th International Conference on Learning Representations, ICLR 2017, Toulon, "
            "France, April 24-26, 2017, Conference Track Proceedings. OpenReview.net.",
        ),
        (
            "abadi2016tensorflow",
            "Martín Abadi, Paul Barham, Jianmin Chen, Zhifeng Chen, Andy Davis, et al.",
            "Tensorflow: A system for large-scale machine learning",
            "In 12th USENIX symposium on operating systems design and implementation "
            "(OSDI 16) (pp. 265–283).",
        ),
        (
            "dblp-journals-corr-vaswanispujgkp17",
            "Ashish Vaswani, Noam Shazeer, Niki Parmar, Jakob Uszkoreit, Llion Jones, et al.",
            "Attention Is All You Need",
            "CoRR, abs/1706.03762.",
        ),
        (
            "lecun1998gradient",  # written out in front matter
            "Yann LeCun, Léon Bottou, Yoshua Bengio, Patrick Haffner",
            "Gradient-based learning applied to document recognition",
            "In Proceedings of the IEEE.",
        ),
        (
            "dblp-books-daglib-0040158",
            "Ian J. Goodfellow, Yoshua Bengio, Aaron C. Courville",
            "Deep Learning",
            "MIT Press.",
        ),
        (
            "dblp-series-lncs-bengio12",
            "Yoshua Bengio",
            "Practical Recommendations for Gradient-Based Training of Deep Architectures",
            "In Grégoire Montavon, Genevieve B. Orr, Klaus-Robert Müller (Eds.), Neural "
            "Networks: Tricks of the Trade - Second Edition (pp. 437–478). Springer.",
        ),
        (
            "dblp-phd-ca-sutskever13",
            "Ilya Sutskever",
            "Training Recurrent Neural Networks",
            "PhD thesis, University of Toronto, Canada.",
        ),
        (
            "krizhevsky2009learning",
            "Alex Krizhevsky, Geoffrey Hinton, et al.",
            "Learning multiple layers of features from tiny images",
            "Technical report, Toronto, ON, Canada.",
        ),
        (
            "cover1999elements",
            "Thomas M Cover, Joy A Thomas",
            "Elements of information theory",
            "John Wiley & Sons.",
        ),
        (
            "campbell2002deep",
            "Murray Campbell, A Joseph Hoane Jr, Feng-hsiung Hsu",
            "Deep blue",
            "Artificial intelligence, 134(1-2), 57–83.",
        ),
        ("openaigpt4technicalreport2023", "OpenAI", "GPT-4 Technical Report", None),
        (
            "karpathyunreasonableeffectivenessrecurrent2015",
            "Andrej Karpathy",
            "The Unreasonable Effectiveness of Recurrent Neural Networks",
            "Andrej Karpathy blog.",
        ),
        (
            "mullertiefenetzefur2019",
            "Jörg Müller, Anna van der Berg",
            "Tiefe Netze für die Bildverarbeitung: Über Regularisierung und Generalisierung",
            "Master's thesis, Technische Universität München.",
        ),
        (
            "montavonneuralnetworkstricks2012",
            "Yann A. LeCun, Léon Bottou, Genevieve B. Orr, Klaus-Robert Müller",
            "Efficient BackProp",
            "In Grégoire Montavon, Geneviève B. Orr, Klaus-Robert Müller (Eds.), Neural "
            "Networks: Tricks of the Trade (2nd ed., pp. 9–48). Springer.",
        ),
        (
            "srivastava-2014",
            "Nitish Srivastava, Geoffrey Hinton, Alex Krizhevsky, Ilya Sutskever, "
            "Ruslan Salakhutdinov",
            "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
            "Journal of Machine Learning Research, 15(56), 1929–1958.",
        ),
        (
            "scholkopf-smola-2002",
            "Bernhard Schölkopf, Alexander J. Smola",
            "Learning with Kernels: Support Vector Machines, Regularization, Optimization, "
            "and Beyond",
            "1st ed. MIT Press (Cambridge, MA).",
        ),
        (
            "ramonycajal-1894",
            "Santiago Ramón y Cajal, L. Azoulay",
            "Les nouvelles idées sur la structure du système nerveux chez l'homme et chez les "
            "vertébrés",
            "C. Reinwald.",
        ),
        (
            "bottou-le-cun-1988",
            "Léon Bottou, Yann Le Cun",
            "SN: A Simulator for Connectionist Models",
            "In Proceedings of NeuroNimes 88 (pp. 371–382).",
        ),
        (
            "boyd-vandenberghe-2004",
            "Stephen Boyd, Lieven Vandenberghe",
            "Convex Optimization",
            "Seventh printing with corrections. Cambridge University Press.",
        ),
        (
            "hinton-srivastava-2012",
            "Geoffrey E. Hinton, Nitish Srivastava, Alex Krizhevsky, Ilya Sutskever, "
            "Ruslan R. Salakhutdinov",
            "Improving neural networks by preventing co-adaptation of feature detectors",
            "Technical Report arXiv:1207.0580, University of Toronto.",
        ),
        (
            "lecun-1987",
            "Yann LeCun",
            "Modèles connexionnistes de l'apprentissage",
            "PhD thesis, Université Pierre et Marie Curie.",
        ),
    ],
    ids=lambda value: value[:24] if isinstance(value, str) else None,
)
def test_each_type_is_cited_in_its_usual_form(built, anchor, authors, title, venue):
    reading = entry(built, anchor)
    assert reading is not None, anchor
    assert visible_text(reading.select_one(".cb-reading__authors")) == authors
    assert visible_text(reading.select_one(".cb-reading__title")) == title
    shown = reading.select_one(".cb-reading__venue")
    assert (visible_text(shown) if shown else None) == venue


def test_math_in_a_title_reaches_mathjax_as_math(built):
    title = entry(built, "weight-decay-notes").select_one(".cb-reading__title")
    assert [m.get_text() for m in title.select("span.arithmatex")] == [r"\(L_2\)", r"\(\neq\)"]
    assert visible_text(title) == "Why regularization weight decay for Adam – a note"


def test_links_come_from_doi_eprint_and_mentions(built):
    def links(anchor):
        return {a.get_text(): a["href"] for a in entry(built, anchor).select("a.cb-reading__link")}

    assert links("dblp-series-lncs-bengio12")["DOI"] == (
        "https://doi.org/10.1007/978-3-642-35289-8_26"
    )
    assert links("dblp-journals-corr-vaswanispujgkp17")["arXiv"] == (
        "https://arxiv.org/abs/1706.03762"
    )
    assert links("ba2016layer")["arXiv"] == "https://arxiv.org/abs/1607.06450"
    assert links("weight-decay-notes") == {"Link": "https://arxiv.org/abs/1711.05101"}


def test_a_paper_in_two_exports_is_one_reading_and_anchors_are_reported(built):
    reading = entry(built, "lecun2015deep")
    assert [a.get_text() for a in reading.select(".cb-reading__backlink")] == [
        "Lecture 2",
        "Lecture 3",
    ]
    assert entry(built, "lecundeeplearning2015a") is None
    assert (
        "INFO    -  coursebook: readings: keys 'He.2016' and 'He:2016' make the same anchor "
        "#he-2016; 'He.2016' is at #he-2016-2 on the readings page"
    ) in built.log


def test_lecture_pages_show_the_same_citation_linking_to_the_anchor(built):
    page = built.html("lectures/04-more/index.html")
    readings = page.select("ol.cb-lecture-readings li.cb-reading")
    assert len(readings) == 13
    for reading in readings:
        link = reading.select_one("a.cb-reading__title")
        anchor = link["href"].split("#")[1]
        on_list = entry(built, anchor)
        for part in (".cb-reading__authors", ".cb-reading__venue"):
            mine, theirs = reading.select_one(part), on_list.select_one(part)
            assert (mine and visible_text(mine)) == (theirs and visible_text(theirs))


def test_readings_bib_keeps_keys_types_and_fields(built):
    source = pybtex.database.parse_file(
        io.StringIO((built.site.parent / "references.bib").read_text("utf-8")),
        bib_format="bibtex",
    )
    back = pybtex.database.parse_file(
        io.StringIO((built.site / "readings.bib").read_text("utf-8")), bib_format="bibtex"
    )
    cited = [e["id"] for e in built.html("readings/index.html").select("li.cb-reading[id]")]
    assert len(back.entries) == len(cited) == 26
    for key, copy in back.entries.items():
        if key == "lecun1998gradient":
            assert copy.type == "inproceedings"
            continue
        original = source.entries[key]
        assert copy.type == original.type.lower()
        for name in ("title", "journal", "booktitle", "publisher", "edition", "school"):
            assert copy.fields.get(name) == original.fields.get(name), (key, name)
    assert back.entries["DBLP:books/daglib/0040158"].type == "book"
    assert back.entries["Scholkopf.Smola:2002"].fields["publisher"] == (
        "{MIT} Press (Cambridge, MA)"
    )
    assert str(back.entries["krizhevsky2009learning"].persons["author"][-1]) == "others"


def test_an_incomplete_entry_fails_the_build_when_cited(course):
    path = course.root / "docs/lectures/02-theory.md"
    path.write_text(path.read_text().replace("cite: Weight-decay:notes", "cite: Unfinished:notes"))
    references = (course.root / "references.bib").read_text("utf-8").splitlines()
    line = references.index("@misc{Unfinished:notes,") + 1
    message = (
        f"references.bib: line {line}: Unfinished:notes: no year; "
        "a reading needs a title, an author or editor, and a year"
    )
    build = course.build()
    assert build.returncode == 1
    assert f"ERROR   -  coursebook: 1 problem(s) in a strict build:\n  {message}" in build.log
    assert "broken.year" not in build.log  # not cited, so not checked


def test_check_command_reads_the_same_references(course):
    done = subprocess.run(
        [sys.executable, "-m", "coursebook", "check"],
        cwd=course.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok: 3 lecture(s), 26 reading(s)"
    assert "note: readings: keys 'He.2016' and 'He:2016'" in done.stderr
    assert list((course.root / ".cache/coursebook/references").glob("*.json"))
