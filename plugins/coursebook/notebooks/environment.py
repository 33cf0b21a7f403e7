"""Fingerprint of the environment notebooks run in: a change re-executes every notebook."""

from __future__ import annotations

import hashlib
import sys
from importlib import metadata
from pathlib import Path


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
        packages = sorted(
            f"{dist.metadata['Name']}=={dist.version}".lower() for dist in metadata.distributions()
        )
        digest.update("\n".join(packages).encode())
    return digest.hexdigest()
