"""The course reading list: papers from every lecture, merged, deduplicated and checked."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .bibtex import Bibliography, encode_latex, parse_plain_name, plain_text, write_bibtex
from .problems import Problem
from .publication import Publication, from_bib, from_paper
from .schema import Citation, Paper

if TYPE_CHECKING:
    from .lectures import LectureSource


def normalized_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", plain_text(title).lower()).strip()


def _surname(paper: Publication) -> str:
    names = paper.authors or paper.editors
    last = unicodedata.normalize("NFKD", names[0].last if names else "").lower()
    return re.sub(r"[^a-z]", "", last)


def paper_identities(paper: Publication) -> set[str]:
    """Ways to recognise the same paper: DOI, arXiv id (any version), normalised title with
    the first author's surname (a bibliography has more than one "Deep learning")."""
    found = {f"title:{normalized_title(paper.title)}:{_surname(paper)}"}
    if paper.doi:
        found.add("doi:" + paper.doi.lower())
    if paper.arxiv:
        found.add("arxiv:" + re.sub(r"v\d+$", "", paper.arxiv.lower()))
    return found


def make_key(paper: Paper) -> str:
    """A front-matter paper's BibTeX key: its own, or first author, year and title word."""
    if paper.key:
        return paper.key
    last = parse_plain_name(paper.authors[0]).last
    last = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", last).lower()) or "paper"
    word = next((w for w in normalized_title(paper.title).split() if len(w) > 3), "paper")
    return f"{last}{paper.year}{word}"


def anchor_for(key: str) -> str:
    """A BibTeX key as a page anchor that is the same in every build:
    `DBLP:conf/iclr/ZhangBHRV17` -> `dblp-conf-iclr-zhangbhrv17`."""
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_key.lower()).strip("-") or "reading"


@dataclass(frozen=True)
class LectureCitation:
    """A lecture citing a paper: where, whether required, and the lecture's own note."""

    lecture: LectureSource
    place: str  # e.g. "docs/lectures/02.md: papers[1]"
    required: bool
    note: str | None


@dataclass
class ReadingEntry:
    key: str  # BibTeX key, as written in references.bib or front matter
    paper: Publication
    citations: list[LectureCitation] = field(default_factory=list)
    anchor: str = ""  # id on the readings page, made from the key

    @property
    def required(self) -> bool:
        return any(c.required for c in self.citations)

    @property
    def note(self) -> str | None:
        return next((c.note for c in self.citations if c.note), None)

    def note_for(self, lecture: LectureSource) -> str | None:
        """The note `lecture` gives this reading: a course reading one book has each
        lecture name its own chapters."""
        return next((c.note for c in self.citations if c.lecture is lecture and c.note), None)

    @property
    def annote(self) -> str | None:
        """Every lecture's note, for readings.bib: the one note as it is; several, each with
        its lecture ("Lecture 3: 4.1-4.3; Lecture 5: 5.1")."""
        notes = [(c.lecture.label, c.note) for c in self.citations if c.note]
        if len(notes) <= 1:
            return notes[0][1] if notes else None
        return "; ".join(f"{label}: {note}" for label, note in notes)

    @property
    def first_lecture(self) -> LectureSource:
        return self.citations[0].lecture

    @property
    def links(self) -> list[tuple[str, str]]:
        """(label, href) pairs: arXiv abstract and PDF, DOI, other URL."""
        links = []
        if self.paper.arxiv:
            links += [
                ("arXiv", f"https://arxiv.org/abs/{self.paper.arxiv}"),
                ("PDF", f"https://arxiv.org/pdf/{self.paper.arxiv}"),
            ]
        if self.paper.doi:
            links.append(("DOI", f"https://doi.org/{self.paper.doi}"))
        if self.paper.url:
            links.append(("Link", self.paper.url))
        return links


@dataclass
class ReadingList:
    entries: list[ReadingEntry]
    # Worth saying but not wrong, e.g. two keys that make the same anchor.
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Indexed once: pages ask for every lecture's readings, several times per build.
        self._by_lecture: dict[str, list[ReadingEntry]] = {}
        for entry in self.entries:
            for file in dict.fromkeys(c.lecture.file for c in entry.citations):
                self._by_lecture.setdefault(file, []).append(entry)

    def for_lecture(self, lecture: LectureSource) -> list[ReadingEntry]:
        return self._by_lecture.get(lecture.file, [])

    def by_year(self) -> list[tuple[int, list[ReadingEntry]]]:
        years: dict[int, list[ReadingEntry]] = {}
        for entry in self.entries:
            years.setdefault(entry.paper.year, []).append(entry)
        return sorted(years.items(), reverse=True)


def _conflicts(a: Publication, b: Publication) -> list[str]:
    found = []
    if a.year != b.year:
        found.append(f"year {b.year} vs {a.year}")
    if normalized_title(a.title) != normalized_title(b.title):
        found.append(f"title {b.title!r} vs {a.title!r}")
    if a.doi and b.doi and a.doi.lower() != b.doi.lower():
        found.append(f"doi {b.doi} vs {a.doi}")
    if a.arxiv and b.arxiv and re.sub(r"v\d+$", "", a.arxiv) != re.sub(r"v\d+$", "", b.arxiv):
        found.append(f"arxiv {b.arxiv} vs {a.arxiv}")
    return found


class _Citations:
    """Resolves `cite:` keys into references.bib, each key once: an entry cited by several
    lectures is checked, and its problems reported, one time."""

    def __init__(self, bibliography: Bibliography | None, bib_file: str) -> None:
        self.bibliography = bibliography
        self.bib_file = bib_file
        self.done: dict[str, Publication | None] = {}

    def resolve(
        self, citation: Citation, place: str, file: str
    ) -> tuple[Publication | None, list[Problem]]:
        key = citation.cite
        entries = self.bibliography.entries if self.bibliography else {}
        if key not in entries:
            return None, [Problem(file, f"{place}.cite", self._not_found(key))]
        if key in self.done:
            return self.done[key], []
        entry = entries[key]
        publication, problems = from_bib(entry, self.bib_file)
        for line in self.bibliography.duplicates.get(key, []):
            problems.append(
                Problem(
                    self.bib_file,
                    f"line {line}",
                    f"{key}: the key is used again; the entry at line {entry.line} is cited",
                )
            )
        self.done[key] = publication
        return publication, problems

    def _not_found(self, key: str) -> str:
        if self.bibliography is None:
            return f"no entry {key!r}; there is no {self.bib_file}"
        folded = key.casefold()
        close = next((k for k in self.bibliography.entries if k.casefold() == folded), None)
        hint = f"; did you mean {close!r}? (keys are matched as written)" if close else ""
        return f"no entry {key!r} in {self.bib_file}{hint}"


def build_reading_list(
    lectures: list[LectureSource],
    bibliography: Bibliography | None,
    bib_file: str = "references.bib",
) -> tuple[ReadingList, list[Problem]]:
    """Merge every lecture's papers in schedule order, one entry per distinct paper."""
    entries: list[ReadingEntry] = []
    by_identity: dict[str, tuple[ReadingEntry, str]] = {}
    keys: set[str] = set()
    anchors: dict[str, str] = {}  # anchor -> key
    notes: list[str] = []
    problems: list[Problem] = []
    citations = _Citations(bibliography, bib_file)
    for lecture in lectures:
        for index, item in enumerate(lecture.meta.papers):
            place_field = f"papers[{index}]"
            if isinstance(item, Citation):
                paper, found = citations.resolve(item, place_field, lecture.file)
                problems += found
            else:
                paper = from_paper(item, make_key(item))
            if paper is None:
                continue
            place = f"{lecture.file}: {place_field}"
            citation = LectureCitation(lecture, place, item.required, item.note)
            match = next(
                (by_identity[i] for i in paper_identities(paper) if i in by_identity), None
            )
            if match is not None:
                existing, first_place = match
                if any(c.lecture is lecture for c in existing.citations):
                    problems.append(
                        Problem(lecture.file, place_field, f"same paper as {first_place}")
                    )
                    continue
                differences = _conflicts(existing.paper, paper)
                if differences:
                    problems.append(
                        Problem(
                            lecture.file,
                            place_field,
                            f"same paper as {first_place} but they disagree: "
                            + "; ".join(differences),
                        )
                    )
                    continue
                existing.citations.append(citation)
                for identity in paper_identities(paper):
                    by_identity.setdefault(identity, (existing, first_place))
                continue
            key = _unique(paper.key, keys)
            anchor = _unique(anchor_for(key), anchors)
            if anchor != anchor_for(key):
                notes.append(
                    f"readings: keys {key!r} and {anchors[anchor_for(key)]!r} make the same anchor "
                    f"#{anchor_for(key)}; {key!r} is at #{anchor} on the readings page"
                )
            keys.add(key)
            anchors[anchor] = key
            entry = ReadingEntry(key, paper, [citation], anchor)
            entries.append(entry)
            for identity in paper_identities(paper):
                by_identity[identity] = (entry, place)
    return ReadingList(entries, notes), problems


def _unique(name: str, taken) -> str:
    if name not in taken:
        return name
    suffix = 2
    while f"{name}-{suffix}" in taken:
        suffix += 1
    return f"{name}-{suffix}"


def readings_to_bibtex(entries: list[ReadingEntry]) -> str:
    """The reading list as BibTeX: an entry from references.bib with its own key, type and
    fields; the lectures' notes as `annote` when the entry has none (`ReadingEntry.annote`)."""
    records = []
    for entry in entries:
        fields = entry.paper.bibtex_fields()
        if entry.annote and not any(name == "annote" for name, _ in fields):
            fields.append(("annote", encode_latex(entry.annote)))
        records.append((entry.paper.kind, entry.key, fields))
    return write_bibtex(records)
