"""One build's leak guard: told page by page and notebook by notebook what the stripping
withheld and what it left, it checks the finished site, and keeps what it looked for so that
the handouts printed later from that site are checked the same way."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..course.withheld import WithheldText
from .removed import notebook_sources, removed_from_notebook, removed_from_page
from .scan import GUARD_CODE, Leak, Secrets, find_leaks, record_path


class LeakGuard:
    def __init__(self, cache: Path) -> None:
        self.cache = cache  # coursebook's cache folder: never published
        # What the stripping changed, compared only when the record of an earlier build
        # made from the same texts cannot be used (most warm builds can).
        self.pages: list[tuple[str, str, str, str]] = []
        self.withheld: list[WithheldText] = []  # from notebooks (few cells differ: cheap)
        # What the build publishes on purpose; joined only when something is withheld.
        self.public: list[str] = []

    def page(self, before: str, after: str, shown: str, file_text: str = "") -> None:
        """A page's Markdown before and after stripping (the same when nothing is withheld)."""
        if after != before:
            self.pages.append((before, after, shown, file_text))
        self.public.append(after)

    def notebook(self, before: dict[str, Any], after: dict[str, Any] | None, shown: str) -> None:
        """A notebook as written and as published (None: published as written)."""
        if after is not None:
            self.withheld += removed_from_notebook(before, after, shown)
        self.public.append(notebook_sources(before if after is None else after))

    def check(self, site: Path, theme: list[Path] | None = None) -> list[Leak]:
        """The files of the finished `site` that hold withheld text. What was looked for is
        kept (even nothing) for `check_printed` and the next build. `theme`: the installed
        theme's folders (find_leaks)."""
        record = record_path(self.cache, site)
        inputs = self._inputs()
        secrets = Secrets.load(record, site, inputs)
        if secrets is None:
            withheld = [
                item
                for before, after, shown, file_text in self.pages
                for item in removed_from_page(before, after, shown, file_text)
            ]
            secrets = Secrets.from_withheld(withheld + self.withheld, self.public)
            secrets.save(record, site, inputs)
            forget_sites_gone(record.parent)
        return find_leaks(
            site,
            secrets,
            pdf_cache=pdf_cache(self.cache),
            clean_cache=self.cache / "leak-guard" / "clean.json",
            theme=theme or (),
        )

    def _inputs(self) -> str:
        """A digest of everything the needles are made from, and of the code making them."""
        digest = hashlib.sha256(GUARD_CODE)
        for before, after, shown, file_text in self.pages:
            for part in (before, after, shown, file_text):
                digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        for item in self.withheld:
            digest.update(f"{item.source}\0{item.text}\0".encode("utf-8", "surrogatepass"))
        digest.update(b"\1")
        for text in self.public:
            digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()


def forget_sites_gone(folder: Path) -> None:
    """Drop the records of sites that no longer exist: each `mkdocs serve` builds into a
    temporary folder of its own."""
    for path in folder.glob("withheld-*.json"):
        try:
            site = json.loads(path.read_text("utf-8")).get("site")
        except (OSError, ValueError):
            site = None
        if not site or not Path(site).is_dir():
            path.unlink(missing_ok=True)


def load_record(site: Path, cache: Path) -> Secrets | None:
    """What the last build of `site` withheld; None when no build of it left a record."""
    return Secrets.load(record_path(cache, site), site)


def check_printed(site: Path, printed: list[Path], secrets: Secrets, cache: Path) -> list[Leak]:
    """The files among `printed` (PDFs written into `site` after its build) that hold text
    the build withheld (`secrets`: load_record)."""
    return find_leaks(site, secrets, files=printed, pdf_cache=pdf_cache(cache))


def pdf_cache(cache: Path) -> Path:
    return cache / "leak-guard" / "pdf-text"
