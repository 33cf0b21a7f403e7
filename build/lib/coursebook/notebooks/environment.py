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

    Always includes the Python version, since outputs can differ between interpreters.
    """
    digest = hashlib.sha256(sys.version.encode())
    if lock_files:
        for path in lock_files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    else:
        digest.update("\n".join(installed_distributions()).encode())
    return digest.hexdigest()
