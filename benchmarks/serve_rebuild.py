"""Time what `mkdocs serve` does after a lecture is edited: load the config, rebuild, in one
process (as serve does), after one warm-up build. Prints one duration per line."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import edit_lecture


def main(project: Path, runs: int) -> None:
    site = tempfile.mkdtemp(prefix="serve-site-")
    config_file = str(project / "mkdocs.yml")
    build(load_config(config_file, site_dir=site))  # warm-up: caches filled, imports done
    for run in range(runs):
        edit_lecture(project, 1 + run % 5, f"serve {run} {time.time()}")
        started = time.perf_counter()
        build(load_config(config_file, site_dir=site), serve_url="http://127.0.0.1:8000/")
        print(f"{time.perf_counter() - started:.4f}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
