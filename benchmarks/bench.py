"""Benchmark coursebook's notebook stage against mkdocs-jupyter (and Jupyter Book 1 when it is
installable) on a synthetic course, in one run on one machine. Not a test: it prints a table of
median seconds with ratios to the floor, then the fidelity table of fidelity.py (what each tool
puts on the page, against nbconvert), and writes benchmarks/results.json.

Two floors, both mkdocs-material without the coursebook plugin:
- the same-content floor (the baseline of the targets): the site coursebook builds, written out
  as plain MkDocs input by benchmarks/floor.py: every page's final Markdown with the HTML
  coursebook puts in it (reading lists, checklists, generated pages, notebook outputs), and the
  same static files (decks, downloads, readings.bib, schedule.ics);
- the plain floor (for information): the lecture pages as written, and each notebook as a
  Markdown page with its text and code and no outputs.

Then it runs benchmarks/copies.py (the course of issue 13: the repository's Lecture 2 copied to
61 lectures, against its two floors) and benchmarks/bibliography.py: a 5,000-entry
references.bib, parsed cold and cached; and prints one target table for both courses. Then
benchmarks/ablation.py: what each part of coursebook costs (benchmarks/ablation.md).

    make bench                      # 60 lectures, 30 notebooks, 3 runs per scenario
    python benchmarks/bench.py --lectures 10 --notebooks 4 --runs 1   # small, files written
    python benchmarks/bench.py --only-bibliography
    python benchmarks/bench.py --copies --runs 5      # only the course of issue 13
    python benchmarks/bench.py --scale                # only 500 lectures, 5,000 papers
    python benchmarks/bench.py --ablation             # only what each part costs
    python benchmarks/bench.py --quick                # a look: small courses, 1 run, no files
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import ablation
import bibliography
import copies
import fidelity
import scale
from bytecode import compile_coursebook
from synthetic import base_config, edit_lecture, edit_notebook, toc_for_jupyter_book, write_course
from targets import PLAIN, SAME, Target, ahead, at_most, format_targets, markdown_targets

HERE = Path(__file__).parent
MKDOCS_BASE = base_config("Synthetic course")
CONFIGS = {
    PLAIN: MKDOCS_BASE + "plugins:\n  - search\n",
    "coursebook": MKDOCS_BASE + "plugins:\n  - search\n  - coursebook\n",
    # Told to ignore *.md, else it parses every page with jupytext; allow_errors off so a
    # failing notebook fails the build as it does in coursebook.
    "mkdocs-jupyter": MKDOCS_BASE
    + "plugins:\n  - search\n  - mkdocs-jupyter:\n      execute: true\n"
    "      include: ['*.ipynb']\n      allow_errors: false\n",
}
FLOORS = (SAME, PLAIN)
SCENARIOS = ("cold", "warm", "notebook edited", "lecture edited", "CI-style", "serve: lecture edit")


def env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env(), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout + done.stderr


class MkDocsProject:
    def __init__(self, root: Path, tool: str, lectures: int, notebooks: int) -> None:
        self.root, self.tool = root, tool
        write_course(root, lectures, notebooks, markdown_only=tool == PLAIN)
        (root / "mkdocs.yml").write_text(CONFIGS[tool])
        self.last_log = ""

    def build(self) -> float:
        seconds, self.last_log = timed([sys.executable, "-m", "mkdocs", "build"], self.root)
        return seconds

    def clear_cache(self) -> None:
        shutil.rmtree(self.root / ".cache", ignore_errors=True)

    def clear_output(self) -> None:
        shutil.rmtree(self.root / "site", ignore_errors=True)

    def serve_rebuilds(self, runs: int) -> list[float]:
        _, out = timed(
            [sys.executable, str(HERE / "serve_rebuild.py"), str(self.root), str(runs)], self.root
        )
        return [float(line) for line in out.split() if re.fullmatch(r"\d+\.\d+", line)]


class SameContentFloor(MkDocsProject):
    """The site `course` builds, exported by benchmarks/floor.py and built without the plugin.
    The export needs one coursebook build first (it executes the notebooks)."""

    def __init__(self, root: Path, course: MkDocsProject) -> None:
        self.root, self.tool, self.last_log = root, SAME, ""
        course.build()
        timed([sys.executable, str(HERE / "floor.py"), str(course.root), str(root)], course.root)


class JupyterBookProject(MkDocsProject):
    def __init__(self, root: Path, executable: Path, lectures: int, notebooks: int) -> None:
        self.root, self.tool, self.executable = root, "jupyter-book", executable
        write_course(root, lectures, notebooks)
        toc_for_jupyter_book(root)
        self.last_log = ""

    def build(self) -> float:
        seconds, self.last_log = timed([str(self.executable), "build", "docs"], self.root)
        return seconds

    def clear_cache(self) -> None:
        shutil.rmtree(self.root / "docs/_build", ignore_errors=True)

    def clear_output(self) -> None:
        build = self.root / "docs/_build"
        for child in build.iterdir() if build.exists() else []:
            if child.name != ".jupyter_cache":
                shutil.rmtree(child, ignore_errors=True)

    def serve_rebuilds(self, runs: int) -> list[float]:
        return []  # Jupyter Book 1 has no live-reload server


def measure(projects: list[MkDocsProject], runs: int) -> dict[str, dict[str, float | None]]:
    """Median seconds of each scenario for each project. Each step of a run (cold, warm, the
    edits, CI-style) is taken by every tool in turn, not all of one tool's runs and then the
    next tool's: this machine's speed drifts by 10-20 % over minutes, and taken apart, a tool
    measured in a slow stretch looked slower than it is."""
    samples = {p.tool: {name: [] for name in SCENARIOS} for p in projects}
    notebook_run: dict[str, list[float]] = {p.tool: [] for p in projects}

    def each(step) -> None:
        for project in projects:
            step(project, samples[project.tool])

    def cold(project, s) -> None:
        project.clear_cache()
        project.clear_output()
        s["cold"].append(project.build())

    def notebook_edited(project, s) -> None:
        if project.tool in FLOORS:
            return
        edit_notebook(project.root, 1, shift=0.1 * (run + 1) + time.time() % 1)
        s["notebook edited"].append(project.build())
        found = re.search(r"executed notebooks/nb01\.ipynb in (\d+\.\d+) s", project.last_log)
        if found:
            notebook_run[project.tool].append(float(found[1]))

    def lecture_edited(project, s) -> None:
        edit_lecture(project.root, 2, f"run {run} {time.time()}")
        s["lecture edited"].append(project.build())

    def ci_style(project, s) -> None:
        project.clear_output()
        s["CI-style"].append(project.build())

    for run in range(runs):
        print(f"  run {run + 1}/{runs}: {', '.join(p.tool for p in projects)}", flush=True)
        each(cold)
        each(lambda project, s: s["warm"].append(project.build()))
        each(notebook_edited)
        each(lecture_edited)
        each(ci_style)
    results = {}
    for project in projects:
        s = samples[project.tool]
        s["serve: lecture edit"] = project.serve_rebuilds(max(3, runs))
        result = {name: (statistics.median(v) if v else None) for name, v in s.items()}
        runs_of_notebook = notebook_run[project.tool]
        result["one notebook's run"] = (
            statistics.median(runs_of_notebook) if runs_of_notebook else None
        )
        results[project.tool] = result
    return results


def jupyter_book_executable(skip: bool) -> tuple[Path | None, str]:
    if skip:
        return None, "skipped (--skip-jupyter-book)"
    venv = HERE / ".venv-jupyter-book"
    executable = venv / "bin" / "jupyter-book"
    if not executable.exists():
        print("installing Jupyter Book 1 into benchmarks/.venv-jupyter-book …", flush=True)
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(venv / "bin/pip"), "install", "-q", "jupyter-book>=1,<2", "numpy", "matplotlib"],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                return None, f"not installable here: {done.stderr.strip().splitlines()[-1:]}"
    report = subprocess.run(
        [str(executable), "--version"], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r"Jupyter Book\s*:\s*(\S+)", report)
    return executable, f"Jupyter Book {found[1] if found else '(version unknown)'}"


def machine() -> dict[str, str | int | None]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
    }


def format_table(results: dict) -> str:
    """Median seconds; each tool with its ratio to the same-content floor, and coursebook's to
    the plain floor too."""
    same, plain = results[SAME], results[PLAIN]
    tools = [t for t in ("coursebook", "mkdocs-jupyter", "jupyter-book") if t in results]
    header = f"{'scenario':<22}{SAME:>20}{PLAIN:>13}{'coursebook':>18}{'× plain':>9}" + "".join(
        f"{t:>20}" for t in tools[1:]
    )
    lines = [header, "-" * len(header)]

    def cell(value, base, width: int) -> str:
        if value is None:
            return f"{'—':>{width}}"
        return f"{f'{value:.2f} ({value / base:.2f}×)' if base else f'{value:.2f}':>{width}}"

    for name in (*SCENARIOS, "one notebook's run"):
        is_build = name != "one notebook's run"
        base = same.get(name) if is_build else None
        plain_base = plain.get(name) if is_build else None
        ours = results["coursebook"].get(name)
        row = f"{name:<22}{(f'{base:.2f}' if base else '—'):>20}"
        row += f"{(f'{plain_base:.2f}' if plain_base else '—'):>13}"
        row += cell(ours, base, 18)
        row += f"{(f'{ours / plain_base:.2f}×' if ours and plain_base else '—'):>9}"
        for tool in tools[1:]:
            row += cell(results[tool].get(name), base, 20)
        lines.append(row)
    return "\n".join(lines)


def targets(results: dict) -> list[Target]:
    """Issue 26's targets (against the same-content floor, and ahead of every peer on every
    row), then the earlier issues' limits, each against the baseline it was set on."""
    same, plain = results[SAME], results[PLAIN]
    ours = results["coursebook"]
    checks = [
        at_most("warm", ours["warm"], SAME, same["warm"], 1.10),
        at_most("lecture edited", ours["lecture edited"], SAME, same["lecture edited"], 1.15),
        at_most(
            "serve: lecture edit",
            ours["serve: lecture edit"],
            SAME,
            same["serve: lecture edit"],
            1.15,
        ),
        at_most("CI-style", ours["CI-style"], PLAIN, plain["CI-style"], 1.5),
        Target(
            "notebook edited ≤ plain floor's warm + its run + 0.5 s",
            ours["notebook edited"],
            PLAIN,
            plain["warm"],
            plain["warm"] + (ours["one notebook's run"] or 0) + 0.5,
        ),
    ]
    if "mkdocs-jupyter" in results:
        checks.append(
            at_most("cold", ours["cold"], "mkdocs-jupyter", results["mkdocs-jupyter"]["cold"], 0.6)
        )
    for peer in (tool for tool in results if tool != "coursebook" and tool not in FLOORS):
        for scenario in SCENARIOS:
            if ours.get(scenario) is not None and results[peer].get(scenario) is not None:
                checks.append(ahead(scenario, ours[scenario], peer, results[peer][scenario]))
    return checks


def results_markdown(report: dict, checks: list[Target]) -> str:
    """The same figures for the docs (included by docs/authoring/benchmarks.md)."""
    m, c = report["machine"], report["course"]
    lines = [
        f"Measured on {m['cores']} cores, {m['processor']}, {m['platform']}, Python "
        f"{m['python']}; {c['lectures']} lectures and {c['notebooks']} notebooks; median of "
        f"{c['runs']} runs; seconds, with the ratio to the same-content floor (coursebook's"
        f" to the plain floor too).",
        "",
        "```text",
        report["table"],
        "```",
        "",
        f"Jupyter Book: {report['jupyter_book']}.",
        "",
        "The targets of `make bench` (this course, then the course of issue 13 below):",
        "",
        markdown_targets(checks),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--lectures", type=int, default=60)
    parser.add_argument("--notebooks", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-jupyter-book", action="store_true")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a look, not figures: 10 lectures, 4 notebooks, 1 run, no Jupyter Book, no\n"
        "fidelity, the course of issue 13 with 8 lectures; writes no results file",
    )
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    parser.add_argument(
        "--only-bibliography", action="store_true", help="skip the notebook benchmark"
    )
    parser.add_argument(
        "--copies",
        action="store_true",
        help="only the course of issue 13 (benchmarks/copies.py: Lecture 2 copied to 61 lectures)",
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="only the scale scenario (benchmarks/scale.py: 500 lectures, 5,000 papers)",
    )
    parser.add_argument(
        "--ablation",
        action="store_true",
        help="only what each part of coursebook costs (benchmarks/ablation.py)",
    )
    args, rest = parser.parse_known_args()
    if args.ablation:
        ablation.main([*rest, *(["--quick"] if args.quick else [])])
        return
    if args.scale:
        sys.argv = [str(HERE / "scale.py"), *rest]
        scale.main()
        return
    if args.copies:
        copies.main(rest)
        return
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.quick:
        args.lectures, args.notebooks, args.runs, args.skip_jupyter_book = 10, 4, 1, True
    compile_coursebook()
    if not args.only_bibliography:
        report, checks = notebook_benchmark(args)
        print("\nThe course of issue 13 (Lecture 2 copied):", flush=True)
        copies_args = ["--lectures", "8", "--notebooks", "3", "--runs", "1"]
        if not args.quick:
            copies_args = ["--runs", str(max(3, args.runs)), "--write"]
        checks += copies.main(copies_args)
        print("\nThe targets of `make bench`:")
        print(format_targets(checks))
        if not args.quick:
            report["targets"] = [{**vars(t), "met": t.met} for t in checks]
            args.output.write_text(json.dumps(report, indent=2) + "\n")
            markdown = args.output.with_suffix(".md")
            markdown.write_text(results_markdown(report, checks), encoding="utf-8")
            fidelity.write_markdown(report["fidelity_table"])
            print(f"\nwritten to {args.output}, {markdown} and {fidelity.MARKDOWN}")
    if args.quick:
        return
    if not args.only_bibliography:
        print("\nWhat each part of coursebook costs (benchmarks/ablation.py):", flush=True)
        ablation.main(["--lectures", str(args.lectures), "--notebooks", str(args.notebooks)])
    print("\nreferences.bib:")
    print(bibliography.run())


def notebook_benchmark(args: argparse.Namespace) -> tuple[dict, list[Target]]:
    fidelity_report, fidelity_table = None, ""
    if not args.quick:
        with tempfile.TemporaryDirectory(prefix="coursebook-fidelity-") as workspace:
            fidelity_report = fidelity.measure(Path(workspace))
        fidelity_table = fidelity.format_table(fidelity_report)

    executable, jupyter_book_note = jupyter_book_executable(args.skip_jupyter_book)
    with tempfile.TemporaryDirectory(prefix="coursebook-bench-") as workspace:
        # `make bench` installs mkdocs-jupyter (the `bench` extra); a quick look may lack it.
        tools = [PLAIN, "coursebook"]
        if importlib.util.find_spec("mkdocs_jupyter"):
            tools.append("mkdocs-jupyter")
        else:
            print("mkdocs-jupyter is not installed: left out (`make bench` installs it)")
        projects = [
            MkDocsProject(Path(workspace) / tool, tool, args.lectures, args.notebooks)
            for tool in tools
        ]
        print("exporting the same-content floor (one coursebook build) …", flush=True)
        projects.insert(0, SameContentFloor(Path(workspace) / "same-content", projects[1]))
        if executable is not None:
            projects.append(
                JupyterBookProject(
                    Path(workspace) / "jupyter-book", executable, args.lectures, args.notebooks
                )
            )
        results = measure(projects, args.runs)
    table = format_table(results)
    checks = [replace(t, name=f"synthetic course: {t.name}") for t in targets(results)]
    print()
    print(
        f"{args.lectures} lectures, {args.notebooks} notebooks, median of {args.runs} runs; "
        f"seconds (ratio to the same-content floor)"
    )
    print(table)
    print(f"Jupyter Book: {jupyter_book_note}")
    print()
    print(format_targets(checks))
    if fidelity_table:
        print()
        print(fidelity_table)
    report = {
        "machine": machine(),
        "course": {"lectures": args.lectures, "notebooks": args.notebooks, "runs": args.runs},
        "seconds": results,
        "jupyter_book": jupyter_book_note,
        "table": table,
        "fidelity": fidelity_report,
        "fidelity_table": fidelity_table,
    }
    return report, checks


if __name__ == "__main__":
    main()
