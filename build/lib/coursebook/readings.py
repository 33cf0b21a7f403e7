"""The course reading list: papers from every lecture, merged, deduplicated and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from .course import LectureSource
from .problems import Problem
from .schema import Citation, Paper

CONFERENCE_WORDS = re.compile(
    r"conference|proceedings|workshop|symposium|neurips|nips|icml|iclr|cvpr|iccv|eccv|"
    r"aaai|ijcai|acl|emnlp|advances in neural",
    re.I,
)


def normalized_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


def paper_identities(paper: Paper) -> set[str]:
    """Ways to recognise the same paper: DOI, arXiv id (any version), normalised title."""
    found = {"title:" + normalized_title(paper.title)}
    if paper.doi:
        found.add("doi:" + paper.doi.lower())
    if paper.arxiv:
        found.add("arxiv:" + re.sub(r"v\d+$", "", paper.arxiv.lower()))
    return found


def make_key(paper: Paper) -> str:
    if paper.key:
        return paper.key
    surname = re.sub(r"[^a-z]", "", paper.authors[0].split()[-1].lower()) or "paper"
    word = next((w for w in normalized_title(paper.title).split() if len(w) > 3), "paper")
    return f"{surname}{paper.year}{word}"


@dataclass(frozen=True)
class LectureCitation:
    """A lecture citing a paper: where, whether required, and the lecture's own note."""

    lecture: LectureSource
    place: str  # e.g. "docs/lectures/02.md: papers[1]"
    required: bool
    note: str | None


@dataclass
class ReadingEntry:
    key: str
    paper: Paper
    citations: list[LectureCitation] = field(default_factory=list)

    @property
    def required(self) -> bool:
        return any(c.required for c in self.citations)

    @property
    def note(self) -> str | None:
        return next((c.note for c in self.citations if c.note), None)

    @property
    def first_lecture(self) -> LectureSource:
        return self.citations[0].lecture

    @property
    def venue_is_conference(self) -> bool:
        return bool(self.paper.venue and CONFERENCE_WORDS.search(self.paper.venue))

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

    def for_lecture(self, lecture: LectureSource) -> list[ReadingEntry]:
        return [e for e in self.entries if any(c.lecture is lecture for c in e.citations)]

    def by_year(self) -> list[tuple[int, list[ReadingEntry]]]:
        years = sorted({e.paper.year for e in self.entries}, reverse=True)
        return [(y, [e for e in self.entries if e.paper.year == y]) for y in years]


def _conflicts(a: Paper, b: Paper) -> list[str]:
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


def _resolve(
    entry: Paper | Citation, bib: dict[str, dict], bib_file: str, place_field: str, file: str
) -> tuple[Paper | None, list[Problem]]:
    if isinstance(entry, Paper):
        return entry, []
    if entry.cite not in bib:
        hint = f" in {bib_file}" if bib else f"; there is no {bib_file}"
        return None, [Problem(file, f"{place_field}.cite", f"no entry {entry.cite!r}{hint}")]
    data = dict(bib[entry.cite], required=entry.required)
    if entry.note:
        data["note"] = entry.note
    try:
        return Paper.model_validate(data), []
    except ValidationError as error:
        from .validation import field_path

        return None, [
            Problem(bib_file, f"{entry.cite}.{field_path(e['loc'])}", e["msg"])
            for e in error.errors()
        ]


def build_reading_list(
    lectures: list[LectureSource], bib: dict[str, dict], bib_file: str = "references.bib"
) -> tuple[ReadingList, list[Problem]]:
    """Merge every lecture's papers in schedule order, one entry per distinct paper."""
    entries: list[ReadingEntry] = []
    by_identity: dict[str, tuple[ReadingEntry, str]] = {}
    problems: list[Problem] = []
    for lecture in lectures:
        for index, item in enumerate(lecture.meta.papers):
            place_field = f"papers[{index}]"
            paper, found = _resolve(item, bib, bib_file, place_field, lecture.file)
            problems += found
            if paper is None:
                continue
            place = f"{lecture.file}: {place_field}"
            citation = LectureCitation(lecture, place, paper.required, paper.note)
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
            key = make_key(paper)
            taken = {e.key for e in entries}
            if key in taken:
                suffix = 2
                while f"{key}-{suffix}" in taken:
                    suffix += 1
                key = f"{key}-{suffix}"
            entry = ReadingEntry(key, paper, [citation])
            entries.append(entry)
            for identity in paper_identities(paper):
                by_identity[identity] = (entry, place)
    return ReadingList(entries), problems
