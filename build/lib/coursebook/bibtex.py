"""Read papers from a course `references.bib` and write the reading list as BibTeX.

Uses bibtexparser 2. Text fields (title, authors, venue, annotation) are LaTeX-decoded on the
way in and LaTeX-encoded on the way out, so names like "Gödel" and titles with "&" survive a
round trip; links (doi, eprint, url) are written verbatim, where LaTeX escapes would break them.
"""

from __future__ import annotations

import re

from .problems import Problem
from .readings import ReadingEntry

VENUE_FIELDS = ("journal", "booktitle", "publisher", "howpublished")
TEXT_FIELDS = ("title", "author", "annote", "journal", "booktitle")


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


# bibtexparser and pylatexenc are imported inside the functions below: most rebuilds reuse the
# cached readings.bib and have no references.bib, so they never need them.


def _from_latex(value: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    return _clean(LatexNodes2Text(math_mode="verbatim").latex_to_text(value))


def _to_latex(value: str) -> str:
    from pylatexenc.latexencode import unicode_to_latex

    return unicode_to_latex(value, non_ascii_only=False, unknown_char_warning=False)


def parse_references(text: str, file: str) -> tuple[dict[str, dict], list[Problem]]:
    """Entries of a .bib file as front-matter-shaped dicts (title, authors, year, ...)."""
    import bibtexparser
    from bibtexparser import middlewares as mw

    library = bibtexparser.parse_string(text, append_middleware=[mw.SeparateCoAuthors()])
    problems = [
        Problem(file, f"line {block.start_line + 1}", f"cannot parse BibTeX: {block.error}")
        for block in library.failed_blocks
    ]
    entries: dict[str, dict] = {}
    for entry in library.entries:
        fields = {
            f.key.lower(): (
                [_from_latex(a) for a in f.value]
                if isinstance(f.value, list)
                else _from_latex(f.value)
                if f.key.lower() in TEXT_FIELDS
                else _clean(f.value)
            )
            for f in entry.fields
        }
        paper: dict = {"key": entry.key.lower().replace("_", "-").replace(":", "-")}
        if "title" in fields:
            paper["title"] = _clean(fields["title"])
        if "author" in fields:
            authors = fields["author"]
            paper["authors"] = authors if isinstance(authors, list) else [authors]
        if "year" in fields:
            paper["year"] = _clean(str(fields["year"]))
        venue = next((fields[v] for v in VENUE_FIELDS if v in fields), None)
        if venue:
            paper["venue"] = _clean(venue)
        if "doi" in fields:
            paper["doi"] = _clean(fields["doi"])
        if fields.get("archiveprefix", "").lower() == "arxiv" and "eprint" in fields:
            paper["arxiv"] = _clean(fields["eprint"])
        if "url" in fields:
            paper["url"] = _clean(fields["url"])
        entries[entry.key] = paper
    return entries, problems


def readings_to_bibtex(entries: list[ReadingEntry]) -> str:
    """The reading list as BibTeX text, one entry per paper, keys as on the reading list."""
    import bibtexparser
    from bibtexparser.model import Entry, Field

    library = bibtexparser.Library()
    for reading in entries:
        paper = reading.paper
        fields = [
            Field("title", _to_latex(paper.title)),
            Field("author", " and ".join(_to_latex(name) for name in paper.authors)),
            Field("year", str(paper.year)),
        ]
        kind = "misc"
        if paper.venue:
            kind = "inproceedings" if reading.venue_is_conference else "article"
            venue_field = "booktitle" if kind == "inproceedings" else "journal"
            fields.append(Field(venue_field, _to_latex(paper.venue)))
        if paper.doi:
            fields.append(Field("doi", paper.doi))
        if paper.arxiv:
            fields += [Field("eprint", paper.arxiv), Field("archiveprefix", "arXiv")]
        if paper.url:
            fields.append(Field("url", paper.url))
        if reading.note:
            fields.append(Field("annote", _to_latex(reading.note)))
        library.add(Entry(kind, reading.key, fields))
    return bibtexparser.write_string(library)


def bibtex_inputs(entries: list[ReadingEntry]) -> list:
    """Everything readings_to_bibtex reads, as data: the cache key of readings.bib."""
    return [
        [e.key, e.paper.model_dump(mode="json"), e.note, e.venue_is_conference] for e in entries
    ]
