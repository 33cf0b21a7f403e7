"""Look for withheld solutions in a built site: each solution becomes needles (runs of its
significant lines, in canonical form), and every published file is searched for all of them
at once.

Significant: a line's canonical form (letters and digits) is kept when it has any; lines of
only brackets or punctuation, blank lines, fence lines and lone keywords (`pass`, `return`,
`else:`) are dropped. A needle is one line of at least MIN_NEEDLE characters, or a short line
together with the lines after it until they reach that length: `x = 42` alone (`x42`) would
be found in any page, `loss.backward()` on a line of its own too often. A needle that the
course publishes on purpose (it is in the text left after stripping: the student notebook's
exercise repeats the solution's `def` line, a released solution the one withheld) is no
secret and is dropped.

The search reads each file once and costs about the same whatever the number of needles:
every needle is indexed by its GRAM-long pieces starting at its first STEP positions, so that
the pieces of a file taken every STEP characters meet any needle the file holds; only the
needles met are then looked for in full."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..atomic_write import write_atomically
from ..course.withheld import WithheldText
from .published import UnreadablePdf, published_files, published_text
from .text import SEPARATOR, canonical, markdown_text, rendered_forms

# A verdict kept for a file (find_leaks' clean_cache) holds only for the code that made it.
GUARD_CODE = b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py")))
MIN_NEEDLE = 12
GRAM = 8
STEP = MIN_NEEDLE - GRAM + 1  # a needle of MIN_NEEDLE holds a piece at each of STEP offsets
# Lines too common alone to be a solution's own, whatever their length.
TRIVIAL = {"pass", "return", "else", "try", "finally", "break", "continue", "none", "end"}
# The grading tools' marker lines are syntax, not solution: `### BEGIN SOLUTION`,
# `# END HIDDEN TESTS`, `# BEGIN QUESTION`, Neuromatch's `# to_remove solution`.
MARKER = re.compile(r"(?:begin|end)(?:hidden)?(?:solution|tests?|question|prompt)s?|toremove\w*")


@dataclass(frozen=True)
class Needle:
    text: str  # canonical, at least MIN_NEEDLE long
    source: str  # where the solution is written: "docs/lectures/02-x.md: line 40"


@dataclass(frozen=True)
class Leak:
    file: str  # the published file, relative to the site: "lectures/02-x/index.html"
    sources: tuple[str, ...]  # where the solutions found in it are written


def _is_fence(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= 3 and stripped[:3] in ("```", "~~~")


def needles_of(withheld: WithheldText) -> list[Needle]:
    """The needles of one withheld text, named by its source and the line each starts on."""
    lines: list[set[str]] = []  # the forms of each significant line
    for line in withheld.text.splitlines():
        forms = {form for form in rendered_forms(line) if form} if not _is_fence(line) else set()
        if forms and not any(form in TRIVIAL or MARKER.fullmatch(form) for form in forms):
            lines.append(forms)
    needles = []
    for index, forms in enumerate(lines):
        for form in forms:
            # A short line takes the lines after it (as written: their first form) until long.
            text, after = form, index + 1
            while len(text) < MIN_NEEDLE and after < len(lines):
                text += min(lines[after], key=len)
                after += 1
            if len(text) >= MIN_NEEDLE:
                needles.append(Needle(text, withheld.source))
    return needles


class Secrets:
    """The needles of every withheld text, indexed for one pass over each file."""

    def __init__(self, needles: Iterable[Needle]) -> None:
        by_text: dict[str, Needle] = {}
        for needle in needles:
            by_text.setdefault(needle.text, needle)
        self.needles = list(by_text.values())
        self.index: dict[str, list[int]] = {}
        for number, needle in enumerate(self.needles):
            for offset in range(STEP):
                self.index.setdefault(needle.text[offset : offset + GRAM], []).append(number)
        self.pieces = frozenset(self.index)

    @classmethod
    def from_withheld(cls, withheld: Iterable[WithheldText], public: Iterable[str] = ()) -> Secrets:
        """The needles of `withheld`, less those found in `public`: the texts the build
        publishes on purpose (each page's Markdown after stripping, each notebook's cells)."""
        secrets = cls(needle for item in withheld for needle in needles_of(item))
        if not secrets.needles:
            return secrets
        written = SEPARATOR.join(public)
        # As written and as rendered, as the needles are (text.rendered_forms).
        published = canonical(written) + SEPARATOR + canonical(markdown_text(written))
        found = {needle.text for needle in secrets.find(published)}
        return cls(needle for needle in secrets.needles if needle.text not in found)

    def __bool__(self) -> bool:
        return bool(self.needles)

    def find(self, text: str) -> list[Needle]:
        """The needles `text` (canonical) holds."""
        if not self.needles or len(text) < MIN_NEEDLE:
            return []
        pieces = {text[start : start + GRAM] for start in range(0, len(text) - GRAM + 1, STEP)}
        met = sorted({number for piece in pieces & self.pieces for number in self.index[piece]})
        return [self.needles[number] for number in met if self.needles[number].text in text]

    def fingerprint(self) -> str:
        """The needles and the code that reads files for them."""
        digest = hashlib.sha256(GUARD_CODE)
        for needle in self.needles:
            digest.update(f"{needle.text}\0{needle.source}\0".encode())
        return digest.hexdigest()

    def save(self, path: Path, site: Path, inputs: str = "") -> None:
        """Kept for `python -m coursebook handouts`, which checks the PDFs it prints from
        `site`, and for the next build made from the same `inputs` (a digest). Never inside
        the site: the needles are the solutions' text."""
        data = {
            "site": str(site.resolve()),
            "inputs": inputs,
            "needles": [[needle.text, needle.source] for needle in self.needles],
        }
        write_atomically(path, json.dumps(data).encode("utf-8"))

    @classmethod
    def load(cls, path: Path, site: Path, inputs: str | None = None) -> Secrets | None:
        """What the last build of `site` withheld (made from `inputs`, when given); None when
        no such build left a record."""
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("site") != str(site.resolve()):
            return None
        if inputs is not None and data.get("inputs") != inputs:
            return None
        return cls(Needle(text, source) for text, source in data["needles"])


def find_leaks(
    site: Path,
    secrets: Secrets,
    *,
    files: Iterable[Path] | None = None,
    pdf_cache: Path | None = None,
    clean_cache: Path | None = None,
    theme: Iterable[Path] = (),
) -> list[Leak]:
    """Every file of `site` (or only `files`, inside it) that holds a needle of `secrets`.
    A PDF whose text cannot be extracted is a leak too: nothing says it holds none.

    `clean_cache` keeps the digests of the files found clean, for these needles: a file
    with the same bytes is clean again. A warm build rewrites every page the same, and the
    theme's scripts (megabytes, source maps included) never change: reading and hashing them
    costs a hundredth of making their text.

    `theme`: folders of an installed theme, whose files MkDocs copies to the same path in the
    site. A file with the very bytes of the theme's holds none of the course's text (the
    theme's scripts and their source maps are most of a site's bytes)."""
    if not secrets:
        return []
    fingerprint = secrets.fingerprint()
    known = _read_clean(clean_cache, fingerprint)
    clean: set[str] = set()
    leaks = []
    for path in published_files(site) if files is None else files:
        data = path.read_bytes()
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if digest in known:
            clean.add(digest)
            continue
        if _from_theme(path, data, site, theme):
            clean.add(digest)
            continue
        try:
            text = published_text(path, data, pdf_cache)
        except UnreadablePdf as error:
            problem = f"(its text cannot be read to check it: {error})"
            leaks.append(Leak(path.relative_to(site).as_posix(), (problem,)))
            continue
        found = secrets.find(text) if text is not None else []
        if found:
            sources = tuple(dict.fromkeys(needle.source for needle in found))
            leaks.append(Leak(path.relative_to(site).as_posix(), sources))
        else:
            clean.add(digest)
    if clean_cache is not None:
        # Only this check's files: the record of files gone (or changed) goes with them.
        data = {"fingerprint": fingerprint, "clean": sorted(clean)}
        write_atomically(clean_cache, json.dumps(data).encode("utf-8"))
    return leaks


def _from_theme(path: Path, data: bytes, site: Path, theme: Iterable[Path]) -> bool:
    relative = path.relative_to(site)
    for folder in theme:
        copied = folder / relative
        if copied.is_file() and copied.stat().st_size == len(data) and copied.read_bytes() == data:
            return True
    return False


def _read_clean(path: Path | None, fingerprint: str) -> set[str]:
    try:
        data = json.loads(path.read_text("utf-8")) if path is not None else {}
    except (OSError, ValueError):
        return set()
    return set(data.get("clean", ())) if data.get("fingerprint") == fingerprint else set()


LISTED = 30  # files a message names; a solution in every page of a big site would be more


def describe(leaks: list[Leak], site: Path) -> str:
    """The message that stops a build. It names files and sources, never the solution's text:
    a CI log is often public."""
    lines = [
        f"coursebook: leak guard: {len(leaks)} published file(s) in {site} hold the text of a "
        "solution not yet released:"
    ]
    for leak in leaks[:LISTED]:
        lines.append(f"  {leak.file}: from {', '.join(leak.sources)}")
    if len(leaks) > LISTED:
        lines.append(f"  and {len(leaks) - LISTED} more file(s)")
    lines.append(
        "  Nothing was removed: find how the text reached these files (an include, a plugin, "
        "an output quoting the solution) and keep it out, or release the solution."
    )
    return "\n".join(lines)


def record_path(cache: Path, site: Path) -> Path:
    """Where a build of `site` keeps its needles, in coursebook's cache (never the site)."""
    key = hashlib.sha256(os.fsencode(site.resolve())).hexdigest()[:16]
    return cache / "leak-guard" / f"withheld-{key}.json"
