"""One work on the reading list, written out in front matter or cited from references.bib:
the text a page shows (LaTeX decoded, names in their parts) and the BibTeX readings.bib gets."""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field

from pydantic import TypeAdapter, ValidationError

from .bibtex import (
    MAX_BRACE_DEPTH,
    BibEntry,
    Name,
    brace_depth,
    decode_latex,
    encode_latex,
    name_to_bibtex,
    parse_names,
    parse_plain_name,
)
from .problems import Problem
from .schema import ArxivId, Doi, HttpUrl, Paper, Year

CONFERENCE_WORDS = re.compile(
    r"conference|proceedings|workshop|symposium|neurips|nips|icml|iclr|cvpr|iccv|eccv|"
    r"aaai|ijcai|acl|emnlp|advances in neural",
    re.I,
)
# How an entry type is cited on the readings page (`Publication.form`); anything else is misc.
FORMS = {
    "article": "article",
    "inproceedings": "inproceedings",
    "conference": "inproceedings",
    "incollection": "incollection",
    "inbook": "incollection",
    "book": "book",
    "mvbook": "book",
    "booklet": "book",
    "collection": "book",
    "proceedings": "book",
    "manual": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
}
# Fields a citation shows, decoded for the page (biblatex names map to BibTeX's).
DETAIL_FIELDS = {
    "journal": "journal",
    "journaltitle": "journal",
    "booktitle": "booktitle",
    "publisher": "publisher",
    "edition": "edition",
    "volume": "volume",
    "number": "number",
    "issue": "number",
    "pages": "pages",
    "school": "school",
    "institution": "institution",
    "howpublished": "howpublished",
    "organization": "organization",
    "type": "type",
}
# Reference managers' bookkeeping (local file paths, edit times): kept out of readings.bib.
PRIVATE_FIELDS = frozenset(
    {
        "file",
        "owner",
        "timestamp",
        "date-added",
        "date-modified",
        "creationdate",
        "modificationdate",
    }
)
# An arXiv id where an entry only mentions it: Google Scholar's "arXiv preprint
# arXiv:1607.06450" as the journal, DBLP's CoRR volume "abs/1611.03530".
ARXIV_MENTION = re.compile(r"arxiv\W*(?:preprint\W*)?(?:arxiv\W*)?(\d{4}\.\d{4,5}(?:v\d+)?)", re.I)
CORR_VOLUME = re.compile(r"^abs/(\d{4}\.\d{4,5})$")
URL_MACRO = re.compile(r"\\url\{([^{}]+)\}")
# A name that stands for "and more": BibTeX's `others`, or what people write in YAML.
MORE_AUTHORS = frozenset({"others", "et al.", "et al"})


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def names_text(names: tuple[Name, ...], more: bool, limit: int) -> str:
    """Names as a reader expects them, "Martín Abadi, Paul Barham, et al.": "et al." after
    `limit` names (0: no limit) and wherever the list ends in BibTeX's `others`."""
    shown = [n.display for n in names]
    if limit and len(shown) > limit:
        shown, more = shown[:limit], True
    return ", ".join(shown + (["et al."] if more else []))


@dataclass(frozen=True)
class Publication:
    """What the reading list knows of one work; text fields are decoded, math as `\\(..\\)`."""

    key: str
    kind: str  # BibTeX entry type, lowercase
    title: str
    year: int
    authors: tuple[Name, ...] = ()
    editors: tuple[Name, ...] = ()
    more_authors: bool = False  # the list ends in `and others`
    more_editors: bool = False
    details: dict[str, str] = field(default_factory=dict)  # journal, publisher, pages, ...
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None
    # The entry's own fields as written in references.bib; None for a front-matter paper.
    source_fields: tuple[tuple[str, str], ...] | None = None

    @property
    def form(self) -> str:
        """How it is cited: article, inproceedings, incollection, book, thesis, report, misc."""
        return FORMS.get(self.kind, "misc")

    @property
    def venue(self) -> str | None:
        """Where it appeared, in a word: the journal, proceedings, publisher, ..."""
        names = ("journal", "booktitle", "howpublished", "publisher", "organization", "school")
        return next((self.details[n] for n in names if self.details.get(n)), None)

    def authors_text(self, limit: int) -> str:
        return names_text(self.authors, self.more_authors, limit)

    def editors_text(self, limit: int) -> str:
        label = "Ed." if len(self.editors) == 1 and not self.more_editors else "Eds."
        return f"{names_text(self.editors, self.more_editors, limit)} ({label})"

    @property
    def pages(self) -> str | None:
        """Page range with an en dash, however the file writes it: 371-382, 371--382."""
        pages = self.details.get("pages")
        return re.sub(r"(?<=\w)\s*[-–]\s*(?=\w)", "–", pages) if pages else None

    @property
    def pages_text(self) -> str | None:
        pages = self.pages
        if not pages:
            return None
        return ("pp. " if re.search(r"[–,]", pages) else "p. ") + pages

    @property
    def edition_text(self) -> str | None:
        edition = self.details.get("edition")
        if not edition:
            return None
        if edition.isdigit():
            return f"{_ordinal(int(edition))} ed."
        # "Second" or "2nd" is a number of editions; "Revised printing" says what it is.
        return f"{edition} ed." if re.fullmatch(r"\w+", edition) else edition

    @property
    def thesis_text(self) -> str:
        if self.details.get("type"):
            return self.details["type"]
        return "Master's thesis" if self.kind == "mastersthesis" else "PhD thesis"

    @property
    def report_text(self) -> str:
        label = self.details.get("type") or "Technical report"
        number = self.details.get("number")
        return f"{label} {number}" if number else label

    def bibtex_fields(self) -> list[tuple[str, str]]:
        """The fields readings.bib gets: an entry from references.bib keeps its own, as
        written; a front-matter paper is written out from what the lecture says."""
        if self.source_fields is not None:
            return [
                (name, value)
                for name, value in self.source_fields
                if name not in PRIVATE_FIELDS and not name.startswith("bdsk-file")
            ]
        names = [name_to_bibtex(n) for n in self.authors] + (
            ["others"] if self.more_authors else []
        )
        fields = [
            ("title", encode_latex(self.title)),
            ("author", " and ".join(names)),
            ("year", str(self.year)),
        ]
        for name in ("journal", "booktitle"):
            if name in self.details:
                fields.append((name, encode_latex(self.details[name])))
        if self.doi:
            fields.append(("doi", self.doi))
        if self.arxiv:
            fields += [("eprint", self.arxiv), ("archiveprefix", "arXiv")]
        if self.url:
            fields.append(("url", self.url))
        return fields

    def cache_inputs(self) -> dict:
        """Everything about this work as JSON-able data, for export cache keys."""
        return dataclasses.asdict(self)


def from_paper(paper: Paper, key: str) -> Publication:
    """A paper written out in front matter (already validated; Unicode, no LaTeX)."""
    names = list(paper.authors)
    more = bool(names) and names[-1].strip().lower() in MORE_AUTHORS
    if more:
        names.pop()
    details: dict[str, str] = {}
    kind = "misc"
    if paper.venue:
        kind = "inproceedings" if CONFERENCE_WORDS.search(paper.venue) else "article"
        details["booktitle" if kind == "inproceedings" else "journal"] = paper.venue
    return Publication(
        key=key,
        kind=kind,
        title=paper.title,
        year=paper.year,
        authors=tuple(parse_plain_name(n) for n in names),
        more_authors=more,
        details=details,
        doi=paper.doi,
        arxiv=paper.arxiv,
        url=paper.url,
    )


@functools.cache
def _adapter(kind) -> TypeAdapter:
    return TypeAdapter(kind)


def _checked(kind, value) -> tuple[object | None, str | None]:
    """(value, None) when `value` passes the front matter's rule for `kind`, else
    (None, the rule's message)."""
    try:
        return _adapter(kind).validate_python(value), None
    except ValidationError as error:
        return None, error.errors()[0]["msg"]


def _unescape_link(value: str) -> str:
    # Hand-kept files escape `_`, `%`, `&` and `#` in links for LaTeX; a browser must not.
    return re.sub(r"\\([_%&#$~])", r"\1", value.strip())


def _arxiv_id(fields: dict[str, str]) -> tuple[str | None, str | None]:
    """(id, None), or (None, a problem) when the entry declares an arXiv eprint that is not
    an arXiv id; an id only mentioned (in the journal, say) is taken when it is one."""
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if prefix == "arxiv" and fields.get("eprint"):
        found, message = _checked(ArxivId, fields["eprint"])
        return (found, None) if found else (None, f"eprint: {message}")
    volume = CORR_VOLUME.match(fields.get("volume", "").strip())
    if volume and fields.get("journal", "").strip().lower() == "corr":
        return volume[1], None
    for name in ("journal", "note", "howpublished"):
        mention = ARXIV_MENTION.search(fields.get(name, ""))
        if mention:
            return mention[1], None
    return None, None


def from_bib(entry: BibEntry, file: str) -> tuple[Publication | None, list[Problem]]:
    """A cited entry of references.bib as a reading, or the problems that keep it off the
    list: no title, no author or editor, no year, or a link that is not one."""
    fields = entry.fields
    too_deep = [
        f"{entry.key}: {name}: braces nested {depth:,} deep (at most {MAX_BRACE_DEPTH})"
        for name, value in fields.items()
        if (depth := brace_depth(value)) > MAX_BRACE_DEPTH
    ]
    if too_deep:
        return None, [Problem(file, f"line {entry.line}", message) for message in too_deep]
    found: list[str] = []
    title = decode_latex(fields.get("title", ""))
    authors, more_authors = parse_names(fields["author"]) if "author" in fields else ((), False)
    editors, more_editors = parse_names(fields["editor"]) if "editor" in fields else ((), False)
    year_text = fields.get("year") or fields.get("date", "")[:4]
    missing = [
        what
        for what, present in (
            ("title", title),
            ("author or editor", authors or editors or more_authors or more_editors),
            ("year", year_text.strip()),
        )
        if not present
    ]
    if missing:
        found.append(
            f"no {' and no '.join(missing)}; a reading needs a title, an author or editor, "
            "and a year"
        )
    year, message = _checked(Year, year_text) if year_text.strip() else (None, None)
    if message:
        found.append(f"year: {message}")
    links: dict[str, str | None] = {}
    for name, kind in (("doi", Doi), ("url", HttpUrl)):
        value = fields.get(name)
        if name == "url" and not value:
            mention = URL_MACRO.search(fields.get("howpublished", ""))
            value = mention[1] if mention else None
        if value:
            links[name], message = _checked(kind, _unescape_link(value))
            if message:
                found.append(f"{name}: {message}")
    arxiv, message = _arxiv_id(fields)
    if message:
        found.append(message)
    if found:
        return None, [Problem(file, f"line {entry.line}", f"{entry.key}: {m}") for m in found]
    details = {
        shown: decode_latex(fields[name])
        for name, shown in DETAIL_FIELDS.items()
        if fields.get(name, "").strip()
        # A link written as `howpublished = {\url{...}}` is shown as the link, not as text.
        and not (name == "howpublished" and URL_MACRO.fullmatch(fields[name].strip()))
    }
    publication = Publication(
        key=entry.key,
        kind=entry.kind,
        title=title,
        year=year,
        authors=authors,
        editors=editors,
        more_authors=more_authors,
        more_editors=more_editors,
        details=details,
        doi=links.get("doi"),
        arxiv=arxiv,
        url=links.get("url"),
        source_fields=tuple(fields.items()),
    )
    return publication, []
