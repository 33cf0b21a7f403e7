"""Byte-compile coursebook before it is timed, as pip does when it installs a package.

Every peer in the benchmarks (MkDocs, mkdocs-material, mkdocs-jupyter, Jupyter Book) is
installed by pip, which writes its bytecode at install time. coursebook is installed editable
(`pip install -e`), so its bytecode is written on first import, unless the machine sets
PYTHONDONTWRITEBYTECODE, as this project's development machine does: then every build compiled
coursebook from source again (about 20 ms of a one-second build), which no user who installs
the wheel pays. Compiling here measures coursebook as installed; Python still recompiles any
module whose source is newer than its bytecode, so nothing stale is timed.
"""

from __future__ import annotations

import compileall
from pathlib import Path

import coursebook


def compile_coursebook() -> None:
    package = Path(coursebook.__file__).parent
    if not compileall.compile_dir(str(package), quiet=1):
        raise SystemExit(f"could not byte-compile {package}")
