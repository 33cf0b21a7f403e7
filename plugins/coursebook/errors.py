"""How every stage reports: a `BuildError` stops the build with its message (the plugin turns
it into MkDocs' PluginError), and a `ProblemLog` collects what a strict build must not pass.

Below every stage, so that a stage object can report without importing MkDocs.
"""

from __future__ import annotations

import logging


class BuildError(Exception):
    """A problem the build cannot go on with; the message names the file and the field."""


class ProblemLog:
    """Problems of one build, logged as they are found. A warning also fails a strict build at
    its end (the plugin's last step), even when the log is quiet (`mkdocs build --strict -q`)."""

    def __init__(self, log: logging.Logger | logging.LoggerAdapter) -> None:
        self.log = log
        self.problems: list[str] = []

    def report(self, problem: str, level: int = logging.WARNING) -> None:
        """Log `problem` at `level` (MkDocs' validation setting for its kind, where it has one)."""
        self.log.log(level, problem)
        if level >= logging.WARNING:
            self.problems.append(problem)

    def info(self, message: str) -> None:
        self.log.info(message)
