"""Fingerprint of the environment notebooks run in: a change re-executes every notebook."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path


def installed_distributions() -> list[str]:
    """`name-version` of every installed package, read from the names of the `.dist-info`
    folders on sys.path (reading each package's METADATA would cost a tenth of a second)."""
    found = set()
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                for item in listing:
                    if item.name.endswith((".dist-info", ".egg-info")):
                        found.add(item.name.rsplit(".", 1)[0].lower())
        except OSError:
            continue  # zip files and missing folders on sys.path hold no dist-info folders
    return sorted(found)


def environment_fingerprint(lock_files: list[Path]) -> str:
    """Hash of the given lock/requirements files if any, else of the installed packages.

    With lock files, the Python *minor* version joins them: the lock pins what a notebook
    imports, and machines that honour it (a CI runner's 3.11.7, a GPU machine's 3.11.2) must
    compute the same keys, or a cache-only build misses every notebook one of them ran.
    Without lock files the installed packages stand for the environment, with the full
    interpreter version (nothing else says the two machines agree).
    """
    if lock_files:
        digest = hashlib.sha256(f"python {sys.version_info[0]}.{sys.version_info[1]}".encode())
        for path in lock_files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    else:
        digest = hashlib.sha256(sys.version.encode())
        digest.update("\n".join(installed_distributions()).encode())
    return digest.hexdigest()
