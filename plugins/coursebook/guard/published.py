"""Every file of a built site as the canonical text it publishes (text.py): HTML by its text,
JSON (the search index, notebooks) by its strings, PDFs by their extracted text, any other
text file as it is. Binary files (images, fonts, archives) publish no text to look in."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..atomic_write import write_atomically
from .text import SEPARATOR, canonical, html_text

MARKUP = {".html", ".htm", ".xml", ".svg", ".xhtml"}
JSON = {".json", ".ipynb", ".geojson", ".webmanifest", ".map"}
# Known binary formats: skipped unread. Anything else is read, and skipped if it is not text.
BINARY = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp", ".tif", ".tiff",
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".gz", ".zip", ".tgz", ".bz2", ".xz", ".7z",
    ".mp3", ".mp4", ".webm", ".ogg", ".wav", ".mov", ".pkl", ".pickle", ".npy", ".npz",
    ".pt", ".pth", ".h5", ".parquet", ".feather", ".so", ".pyc", ".wasm",
}  # fmt: skip


def published_files(site: Path) -> Iterator[Path]:
    """Every file under `site` that can hold text, in a stable order (followed links too:
    what they point at is published)."""
    for folder, folders, names in os.walk(site, followlinks=True):
        folders.sort()
        for name in sorted(names):
            if os.path.splitext(name)[1].lower() not in BINARY:
                yield Path(folder, name)


def published_text(path: Path, data: bytes, pdf_cache: Path | None = None) -> str | None:
    """The canonical text `path` (whose bytes are `data`) publishes; None for a binary file."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_text(data, pdf_cache)
    if b"\x00" in data[:8192]:
        return None
    text = data.decode("utf-8", errors="replace")
    if suffix in MARKUP:
        return canonical(html_text(text))
    if suffix in JSON:
        try:
            strings = SEPARATOR.join(json_strings(json.loads(text)))
        except ValueError:
            return canonical(text)
        return json_text(strings)
    return canonical(text)


def json_text(strings: str) -> str:
    """JSON's strings as written, and as HTML when they may be (the search index holds the
    pages' HTML, a notebook its outputs' text/html): code with a `<` is not cut as a tag."""
    plain = canonical(strings)
    if "<" not in strings and "&" not in strings:
        return plain
    return plain + SEPARATOR + canonical(html_text(strings))


def json_strings(value: Any) -> Iterator[str]:
    """Every string value (not key) in a JSON document. A list of strings is one text: a
    notebook keeps a cell's source and a stream's output as a list of lines."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        if value and all(isinstance(item, str) for item in value):
            yield "".join(value)
        else:
            for item in value:
                yield from json_strings(item)


def pdf_text(data: bytes, cache: Path | None) -> str:
    """The canonical text of a PDF, kept in `cache` by the PDF's bytes: extracting it is the
    slow part (about 0.1 s a page), and a site's PDFs rarely change between builds."""
    key = hashlib.sha256(data).hexdigest()
    stored = cache / f"{key}.txt" if cache is not None else None
    if stored is not None and stored.exists():
        return stored.read_text("utf-8")
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        # Pages joined without a separator: a code block may run across a page break.
        text = canonical("".join(page.extract_text() or "" for page in reader.pages))
    except (PdfReadError, ValueError, KeyError) as error:
        # A PDF pypdf cannot read could still be read by a person: say so, rather than pass it.
        raise UnreadablePdf(str(error)) from error
    if stored is not None:
        write_atomically(stored, text.encode("utf-8"))
    return text


class UnreadablePdf(ValueError):
    """A published PDF whose text could not be extracted, so not checked."""
