"""The files coursebook keeps between builds (snapshots, notebook pages, decks, listings):
read back when they can be, made again when they cannot, never half-written.

Below every stage: the notebook stage keeps its pages and the pages stage its snapshot in the
same way, and neither should import the other for it.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from .atomic_write import write_atomically


def load_snapshot(folder: Path, key: str):
    """The object stored under `key`, or None when there is none or it cannot be read back
    (written by another version of a library, or damaged): then it is made again."""
    try:
        with (folder / f"{key}.pickle").open("rb") as stream:
            return pickle.load(stream)
    except FileNotFoundError:
        return None
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        return None


def store_snapshot(folder: Path, key: str, value, keep: int | None = 4) -> None:
    """Write atomically, and keep only the newest `keep` (None: all; the caller prunes)."""
    write_atomically(folder / f"{key}.pickle", pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    if keep is None:
        return
    kept = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in kept[keep:]:
        old.unlink(missing_ok=True)


def prune(folder: Path, used: set[str], suffix: str) -> None:
    """Delete the entries of `folder` this build did not use: their inputs are gone."""
    if folder.is_dir():
        for entry in folder.glob(f"*{suffix}"):
            if entry.stem not in used:
                entry.unlink(missing_ok=True)


def cached_bytes(folder: Path, key: str, produce, suffix: str = ".html") -> bytes:
    """`produce()` (text) as UTF-8, made once per `key` and read back from `folder` afterwards
    (a deck or a listing: a page whose course did not change gets the one it had)."""
    path = folder / f"{key}{suffix}"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = produce().encode("utf-8")
    write_atomically(path, data)
    return data


def cached_text(folder: Path, key: str, produce, suffix: str) -> str:
    """`cached_bytes` as text. A file that is not UTF-8 was damaged (the writes are atomic,
    so by hand or by the disk): it is made again rather than failing the build."""
    try:
        return cached_bytes(folder, key, produce, suffix).decode("utf-8")
    except UnicodeDecodeError:
        (folder / f"{key}{suffix}").unlink(missing_ok=True)
        return cached_bytes(folder, key, produce, suffix).decode("utf-8")
