"""What a lecture deck costs at build time, next to what its lecture page costs. Not a test.

Builds the course site in-process several times and times, per lecture, MkDocs' own build of
the lecture page and coursebook's deck: what the deck takes from the course
(`coursebook.present.decks.deck_course`: its readings, criteria and notebooks slides, made
when the course's snapshot is made, so each run here drops the snapshot) plus the deck itself
(`render_deck`: split the page HTML, render the deck template). The writing of the file is left
out, as a page's writing is, and so is making the course, which a build does once. A page's
own build is MkDocs' `_populate_page` (Markdown to HTML) plus `_build_page` (theme template,
events) less the deck inside it. Prints medians; the deck should cost below 10 % of the page.

    .venv/bin/python benchmarks/slides_cost.py               # the course in this repository
    .venv/bin/python benchmarks/slides_cost.py --copies 10   # ... with 10 copies of Lecture 2

With one lecture, each build's only deck also pays what a build pays once (loading the deck's
templates); with copies, those costs are shared as in a real course.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from coursebook.present import decks
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def measure(config_file: Path, runs: int) -> tuple[dict, dict, dict]:
    page_seconds: dict[str, list[float]] = defaultdict(list)
    deck_seconds: dict[str, list[float]] = defaultdict(list)
    parts_seconds: dict[str, list[float]] = defaultdict(list)
    build_page = mkdocs_build._build_page
    populate_page = mkdocs_build._populate_page
    render_deck = decks.render_deck
    deck_course = decks.deck_course

    def timed_populate(page, config, files, dirty=False):
        started = time.perf_counter()
        result = populate_page(page, config, files, dirty)
        page_seconds[page.file.src_uri].append(time.perf_counter() - started)
        return result

    def timed_page(page, config, doc_files, nav, env, dirty=False, excluded=False):
        started = time.perf_counter()
        result = build_page(page, config, doc_files, nav, env, dirty, excluded)
        page_seconds[page.file.src_uri].append(time.perf_counter() - started)
        return result

    def timed_deck(env, parts, *args, **kwargs):
        started = time.perf_counter()
        result = render_deck(env, parts, *args, **kwargs)
        deck_seconds[parts.lecture.src_uri].append(time.perf_counter() - started)
        return result

    def timed_parts(env, course, lecture, *args, **kwargs):
        started = time.perf_counter()
        result = deck_course(env, course, lecture, *args, **kwargs)
        parts_seconds[lecture.src_uri].append(time.perf_counter() - started)
        return result

    # A benchmark may wrap what it measures; the site build itself is untouched.
    mkdocs_build._build_page = timed_page
    mkdocs_build._populate_page = timed_populate
    decks.render_deck = timed_deck
    decks.deck_course = timed_parts
    try:
        with tempfile.TemporaryDirectory() as site:
            for _ in range(runs):
                config = load_config(str(config_file), site_dir=site)
                # Else every build after the first reads its decks from the cache.
                cache_dir = config.plugins["coursebook"].config.cache_dir
                for made in ("decks", "snapshots"):
                    shutil.rmtree(config_file.parent / cache_dir / made, ignore_errors=True)
                mkdocs_build.build(config)
    finally:
        mkdocs_build._build_page = build_page
        mkdocs_build._populate_page = populate_page
        decks.render_deck = render_deck
        decks.deck_course = deck_course
    return page_seconds, deck_seconds, parts_seconds


def course_with_copies(copies: int, into: Path) -> Path:
    """The repository's course with `copies` more lectures, each a copy of Lecture 2."""
    project = into / "course"
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    if (ROOT / ".cache").exists():  # executed notebooks: not what is measured here
        shutil.copytree(ROOT / ".cache", project / ".cache")
    source = (ROOT / "docs/lectures/02-intro-to-theory.md").read_text("utf-8")
    for number in range(3, 3 + copies):
        text = source.replace("\nlecture: 2\n", f"\nlecture: {number}\n", 1)
        (project / f"docs/lectures/{number:02d}-copy.md").write_text(text, "utf-8")
    return project / "mkdocs.yml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--copies", type=int, default=0, help="extra copies of Lecture 2")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with tempfile.TemporaryDirectory() as work:
        config_file = args.config_file
        if args.copies:
            config_file = course_with_copies(args.copies, Path(work))
        pages, decks, parts = measure(config_file, args.runs)
    print(f"median of {args.runs} builds, milliseconds")
    print(f"{'lecture':45} {'page':>8} {'deck':>8} {'deck/page':>10}")
    totals = [0.0, 0.0]
    for uri, seconds in decks.items():
        # Per build: the page's two stages (Markdown to HTML, then its template and events, in
        # which the deck is rendered: taken out again). The first build warms Jinja's and
        # Python's caches: left out when there are more.
        stages = pages[uri]
        per_build = [a + b for a, b in zip(stages[0::2], stages[1::2], strict=True)]
        per_build = [total - deck for total, deck in zip(per_build, seconds, strict=True)]
        page = statistics.median(per_build[1:] or per_build) * 1000
        # The deck's part of the snapshot is made outside the page's stages: added, not taken.
        whole = [render + made for render, made in zip(seconds, parts[uri], strict=True)]
        deck = statistics.median(whole[1:] or whole) * 1000
        print(f"{uri:45} {page:8.1f} {deck:8.1f} {deck / page:10.1%}")
        totals[0] += page
        totals[1] += deck
    if len(decks) > 1:
        page, deck = totals
        print(f"{'all lectures':45} {page:8.1f} {deck:8.1f} {deck / page:10.1%}")


if __name__ == "__main__":
    main()
