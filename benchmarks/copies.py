"""The course of issue 13, built with and without coursebook, side by side in one run.

The repository's own course with Lecture 2 copied to 61 lectures, plus 30 light notebooks
(31 with the course's own): real lecture pages (front matter, papers, criteria, math, admonitions,
headings that become slides), not the synthetic ones of `bench.py`.

Two floors, both the same site without the coursebook plugin:
- the same-content floor (the baseline of the targets): the site coursebook builds, written out
  by benchmarks/floor.py as plain MkDocs input: each page's final Markdown with the HTML
  coursebook puts in it, notebook pages with their outputs, the generated pages, the same
  static files (decks, downloads, readings.bib, schedule.ics) and the nav coursebook fills;
- the plain floor (for information): the same mkdocs.yml (theme, overrides, Markdown
  extensions, scripts), the same lecture files, each notebook as a Markdown page with its text
  and code and no outputs, and a nav that lists the same pages in the same sections. What it
  does not have is what coursebook adds: notebook outputs, decks, the schedule, the reading
  list, the criteria page, downloads.

Scenarios, each a median of runs taken in turn (both builds see the same machine load):
- warm: `mkdocs build`, site folder present, caches filled;
- CI-style: `mkdocs build` into an empty site folder, caches filled;
- serve: what `mkdocs serve` does after one lecture is edited (benchmarks/serve_rebuild.py).

    make bench BENCH_ARGS=--copies
    python benchmarks/copies.py --runs 5
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml
from bytecode import compile_coursebook
from synthetic import notebook
from targets import PLAIN, SAME, Target, at_most, format_targets

HERE = Path(__file__).parent
ROOT = HERE.parent
LECTURE = "docs/lectures/02-intro-to-theory.md"
PLUGIN = "  - coursebook:\n"


def env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}


def write_course(root: Path, lectures: int, notebooks: int) -> None:
    """The repository's course, Lecture 2 copied to `lectures` lectures, `notebooks` - 1 light
    notebooks added."""
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    # The benchmark figures the course's pages include (pymdownx.snippets).
    (root / "benchmarks").mkdir()
    for figures in HERE.glob("*.md"):
        shutil.copy(figures, root / "benchmarks" / figures.name)
    if (ROOT / "references.bib").exists():
        shutil.copy(ROOT / "references.bib", root / "references.bib")
    source = (ROOT / LECTURE).read_text("utf-8")
    for number in range(3, lectures + 2):
        text = source.replace("\nlecture: 2\n", f"\nlecture: {number}\n", 1)
        (root / f"docs/lectures/{number:02d}-copy.md").write_text(text, "utf-8")
    for n in range(1, notebooks):
        (root / f"docs/notebooks/nb{n:02d}.ipynb").write_text(notebook(n), "utf-8")


def as_markdown(path: Path) -> str:
    """A notebook as the floor shows it: its Markdown cells and its code, no outputs."""
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code":
            parts.append(f"```python\n{cell.source}\n```")
    return "\n\n".join(parts) + "\n"


def export_same_content_floor(course: Path, floor: Path) -> None:
    """benchmarks/floor.py, in a process of its own (its coursebook build is not timed)."""
    done = subprocess.run(
        [sys.executable, str(HERE / "floor.py"), str(course), str(floor)],
        env=env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"floor.py failed on {course}:\n{done.stdout}\n{done.stderr}")


def make_floor(course: Path, floor: Path) -> None:
    """The plain floor: the same site without the plugin (see the module's docstring)."""
    shutil.copytree(course, floor, ignore=shutil.ignore_patterns(".cache", "site"))
    docs = floor / "docs"
    notebooks = sorted((docs / "notebooks").glob("*.ipynb"))
    for path in notebooks:
        path.with_suffix(".md").write_text(as_markdown(path), "utf-8")
        path.unlink()
    config = (floor / "mkdocs.yml").read_text("utf-8")
    start = config.index(PLUGIN)
    end = config.index("\nmarkdown_extensions:")
    config = config[:start] + config[end:]
    # The nav as coursebook makes it (it fills each section from its folder and adds the
    # generated pages), written out: the same pages in the same sections, less those pages.
    start = config.index("\nnav:\n") + 1
    later_key = re.search(r"^[^\s#]", config[start + len("nav:\n") :], re.MULTILINE)
    end = start + len("nav:\n") + later_key.start() if later_key else len(config)

    def pages(folder: str) -> list[str]:
        index = f"{folder}/index.md"
        rest = sorted(p.relative_to(docs).as_posix() for p in docs.glob(f"{folder}/*.md"))
        return [index, *(page for page in rest if page != index)]

    nav = [
        {"Home": "index.md"},
        {"Lectures": pages("lectures")},
        {"Notebooks": pages("notebooks")},
        {"Course staff": pages("authoring")},
    ]
    config = config[:start] + yaml.safe_dump({"nav": nav}, sort_keys=False) + config[end:]
    (floor / "mkdocs.yml").write_text(config, "utf-8")


def build(root: Path, *, empty_site: bool = False) -> float:
    if empty_site:
        shutil.rmtree(root / "site", ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=root,
        env=env(),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {root}:\n{done.stdout}\n{done.stderr}")
    return seconds


def serve_rebuilds(root: Path, runs: int) -> list[float]:
    done = subprocess.run(
        [sys.executable, str(HERE / "serve_rebuild.py"), str(root), str(runs)],
        cwd=root,
        env=env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"serve_rebuild.py failed in {root}:\n{done.stdout}\n{done.stderr}")
    return [float(line) for line in done.stdout.split()]


def measure(roots: dict[str, Path], runs: int) -> dict[str, dict[str, float]]:
    samples = {name: {"warm": [], "CI-style": [], "serve: lecture edit": []} for name in roots}
    for name, root in roots.items():
        print(f"  {name}: first build", flush=True)
        build(root)  # cold: fills coursebook's cache (runs the notebooks); not measured here
    for run in range(runs):
        print(f"  run {run + 1}/{runs}", flush=True)
        for name, root in roots.items():  # interleaved
            samples[name]["warm"].append(build(root))
        for name, root in roots.items():
            samples[name]["CI-style"].append(build(root, empty_site=True))
    for _ in range(2):  # two rounds, so both see the same machine load
        for name, root in roots.items():
            samples[name]["serve: lecture edit"] += serve_rebuilds(root, max(3, runs))
    return {
        name: {scenario: statistics.median(values) for scenario, values in by.items()}
        for name, by in samples.items()
    }


TARGETS = {"warm": 1.10, "serve: lecture edit": 1.15}  # issue 26, × the same-content floor


def targets(results: dict[str, dict[str, float]], lectures: int) -> list[Target]:
    ours, same = results["coursebook"], results[SAME]
    return [
        at_most(f"{lectures}-lecture course: {name}", ours[name], SAME, same[name], factor)
        for name, factor in TARGETS.items()
    ]


def format_table(results: dict[str, dict[str, float]]) -> str:
    same, plain, ours = results[SAME], results[PLAIN], results["coursebook"]
    header = f"{'scenario':<22}{SAME:>20}{PLAIN:>13}{'coursebook':>18}{'× plain':>9}"
    lines = [header, "-" * len(header)]
    for scenario in same:
        ratio = ours[scenario] / same[scenario]
        lines.append(
            f"{scenario:<22}{same[scenario]:>20.2f}{plain[scenario]:>13.2f}"
            f"{f'{ours[scenario]:.2f} ({ratio:.2f}×)':>18}"
            f"{f'{ours[scenario] / plain[scenario]:.2f}×':>9}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[Target]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--lectures", type=int, default=61)
    parser.add_argument("--notebooks", type=int, default=31)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--write", action="store_true", help="also write benchmarks/copies.md (for the docs)"
    )
    args = parser.parse_args(argv)
    compile_coursebook()
    with tempfile.TemporaryDirectory(prefix="coursebook-copies-") as tmp:
        course, plain, same = (Path(tmp) / name for name in ("coursebook", "plain", "same"))
        write_course(course, args.lectures, args.notebooks)
        print("  coursebook: first build, then the same-content floor's export", flush=True)
        build(course)  # cold: runs the notebooks, whose outputs the export reads
        export_same_content_floor(course, same)
        make_floor(course, plain)
        results = measure({SAME: same, PLAIN: plain, "coursebook": course}, args.runs)
    heading = (
        f"Lecture 2 copied to {args.lectures} lectures, {args.notebooks} notebooks; median of "
        f"{args.runs} runs; seconds (ratio to the same-content floor, and to the plain floor)."
    )
    table = format_table(results)
    checks = targets(results, args.lectures)
    target_table = format_targets(checks)
    print(f"\n{heading}\n{table}\n\n{target_table}")
    if args.write:
        (HERE / "copies.md").write_text(
            f"{heading}\n\n```text\n{table}\n\n{target_table}\n```\n", "utf-8"
        )
    return checks


if __name__ == "__main__":
    main()
