"""What every stage object of one build is made with: where the course is, what it keeps
between builds, what day it is for the solutions, and where it reports. Below every stage, so
that the page and notebook stages share one definition of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import ProblemLog


@dataclass
class BuildContext:
    repo_root: Path
    cache_dir: Path  # coursebook's cache folder (the plugin's `cache_dir`)
    docs_shown: str  # docs/ as a path from the repository, for messages
    templates: object  # the Jinja environment of coursebook's templates
    code_key: str  # coursebook's own code, in every cache key
    today: dt.date  # in the course's time zone
    solutions_mode: str  # see course/solutions.py `solutions_mode`
    problems: ProblemLog
