"""Keep the downloadable exports (readings.bib, schedule.ics) on disk, keyed by their inputs:
a rebuild with unchanged lectures reuses them and never imports the BibTeX or iCal library."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

EXPORT_FORMAT = 1


def cached_export(folder: Path, kind: str, inputs: object, produce: Callable[[], bytes]) -> bytes:
    """`produce()`'s bytes for these `inputs` (JSON-able), made once and then read back."""
    key = hashlib.sha256(
        json.dumps([EXPORT_FORMAT, kind, inputs], sort_keys=True, default=str).encode()
    ).hexdigest()
    path = folder / f"{kind}-{key}"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = produce()
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, path)
    return data
