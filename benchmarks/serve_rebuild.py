"""Time what `mkdocs serve` does after a lecture is edited: load the config, rebuild, in one
process (as serve does), after one warm-up build. Prints one duration per line.

Edits the first five lecture files (`docs/lectures/NN-*.md`) in turn."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config


def serve_config(config_file: str, site: str):
    """The config as `mkdocs serve` hands it to a build: its plugins told of the start (a
    plugin such as mkdocs-rss-plugin sets itself up in on_startup, not in on_config)."""
    config = load_config(config_file, site_dir=site)
    config.plugins.on_startup(command="serve", dirty=False)
    return config


def main(project: Path, runs: int) -> None:
    site = tempfile.mkdtemp(prefix="serve-site-")
    config_file = str(project / "mkdocs.yml")
    build(serve_config(config_file, site))  # warm-up: caches filled, imports done
    lectures = sorted((project / "docs/lectures").glob("[0-9]*.md"))[:5]
    for run in range(runs):
        lecture = lectures[run % len(lectures)]
        lecture.write_text(lecture.read_text("utf-8") + f"\nEdited {run} {time.time()}.\n", "utf-8")
        started = time.perf_counter()
        build(serve_config(config_file, site), serve_url="http://127.0.0.1:8000/")
        print(f"{time.perf_counter() - started:.4f}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
