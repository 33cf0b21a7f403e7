"""Scale benchmark (`make bench BENCH_ARGS=--scale`, or run alone): a course of many lectures
with many distinct papers, built with and without coursebook, side by side in one run.

Reports, for each build: median seconds, the ratio to the same-content floor (the site
coursebook builds, written out by benchmarks/floor.py and built without the plugin: the
lecture pages with their readings, the reading list, criteria and schedule pages, the decks and
exports) and to the plain floor (the same lecture pages, front matter included, without the
plugin), and peak memory; the targets (issue 26: warm ≤ 1.10× and peak memory ≤ 1.3× the
same-content floor); then a profile of one coursebook build: the share of time spent in
coursebook's own hooks (which include its templates, not the Markdown and theme rendering of
its pages) and the top coursebook functions.

    python benchmarks/scale.py                         # 500 lectures x 10 papers, 3 runs
    python benchmarks/scale.py --lectures 100 --runs 2   # a quick look (run 1 is cold)
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_coursebook
from copies import export_same_content_floor
from synthetic import base_config
from targets import PLAIN, SAME, at_most, format_targets

PARAGRAPH = (
    "Deep networks have many more parameters than data points, yet they generalize. "
    "This paragraph stands in for lecture prose, with *emphasis*, `code`, and math "
    "$\\lVert w \\rVert_2^2$ so that the Markdown pipeline does its usual work.\n\n"
)
CONFIG = base_config("Scale course") + "plugins:\n  - search\n"
HOOKS = (
    "on_config",
    "on_files",
    "on_nav",
    "on_page_markdown",
    "on_page_content",
    "on_post_page",
    "on_post_build",
    "on_env",
)


def write_course(root: Path, lectures: int, papers: int, *, plugin: bool) -> None:
    docs = root / "docs" / "lectures"
    docs.mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Scale course\n")
    (docs / "index.md").write_text("# Lectures\n")
    start = dt.date(2027, 1, 11)
    for n in range(1, lectures + 1):
        entries = "".join(
            f"  - title: Synthetic paper {n}-{k} on question {k}\n"
            f"    authors: [Ada Lovelace, Alan Turing]\n"
            f"    year: {2000 + (n * k) % 25}\n"
            f'    arxiv: "{1000 + n % 9000:04d}.{k:05d}"\n'
            for k in range(papers)
        )
        front = (
            f"---\ntitle: Lecture {n}\nlecture: {n}\ndate: {start + dt.timedelta(days=n)}\n"
            f"topics: [topic {n % 17}]\npapers:\n{entries}---\n\n"
        )
        (docs / f"{n:03d}-lecture.md").write_text(front + f"# Lecture {n}\n\n" + PARAGRAPH * 12)
    (root / "mkdocs.yml").write_text(CONFIG + ("  - coursebook\n" if plugin else ""))


def build(root: Path) -> tuple[float, int]:
    """Seconds and peak resident memory (KiB) of one `mkdocs build`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"build failed in {root}: {process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss


def hooks_share(root: Path) -> tuple[float, float]:
    """Wall-clock seconds in coursebook's hooks, and of the whole build, in this process (a
    warm build: the snapshot of the earlier runs is there)."""
    from coursebook.plugin import CoursebookPlugin
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.plugins import CombinedEvent

    spent = [0.0]

    def timed_hook(method):
        @functools.wraps(method)  # keeps the hook's event priority
        def hook(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started

        return hook

    originals = {
        name: getattr(CoursebookPlugin, name) for name in HOOKS if hasattr(CoursebookPlugin, name)
    }
    for name, method in originals.items():
        if isinstance(method, CombinedEvent):  # several handlers of one event
            timed = CombinedEvent(*(timed_hook(handler) for handler in method.methods))
        else:
            timed = timed_hook(method)
        setattr(CoursebookPlugin, name, timed)
    try:
        os.environ["NO_MKDOCS_2_WARNING"] = "1"
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site-timed"))
        started = time.perf_counter()
        mkdocs_build(config)
        total = time.perf_counter() - started
    finally:
        for name, method in originals.items():
            setattr(CoursebookPlugin, name, method)
    return spent[0], total


def profile(root: Path, top: int) -> list[str]:
    """One coursebook build under cProfile, in this process: the top coursebook functions."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site-profiled"))
    profiler = cProfile.Profile()
    profiler.enable()
    mkdocs_build(config)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = [
        (cumtime, tottime, calls, f"{Path(file).name}:{name}")
        for (file, _, name), (_, calls, tottime, cumtime, _) in stats.stats.items()
        if "coursebook" in file
    ]
    rows.sort(reverse=True)
    lines = [f"{'cumulative s':>12} {'own s':>8} {'calls':>7}  function (under cProfile)"]
    lines += [f"{c:12.2f} {t:8.2f} {n:7d}  {name}" for c, t, n, name in rows[:top]]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--lectures", type=int, default=500)
    parser.add_argument("--papers", type=int, default=10, help="distinct papers per lecture")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument(
        "--write", action="store_true", help="also write benchmarks/scale.md (for the docs)"
    )
    args = parser.parse_args()
    compile_coursebook()
    with tempfile.TemporaryDirectory(prefix="coursebook-scale-") as tmp:
        roots = {name: Path(tmp) / name.replace(" ", "-") for name in (SAME, PLAIN, "coursebook")}
        write_course(roots[PLAIN], args.lectures, args.papers, plugin=False)
        write_course(roots["coursebook"], args.lectures, args.papers, plugin=True)
        # Exported from a copy, so that coursebook's first measured build is still cold.
        print("exporting the same-content floor (one coursebook build) …", flush=True)
        source = Path(tmp) / "export-source"
        shutil.copytree(roots["coursebook"], source)
        export_same_content_floor(source, roots[SAME])
        shutil.rmtree(source)
        results: dict[str, list[tuple[float, int]]] = {name: [] for name in roots}
        for run in range(args.runs):
            print(f"  run {run + 1}/{args.runs}", flush=True)
            for name, root in roots.items():  # interleaved: all see the same machine load
                results[name].append(build(root))

        def warm(name: str) -> tuple[float, float]:
            """Median seconds and peak MiB of the warm builds (all builds with one run)."""
            runs = results[name][1:] or results[name]
            return statistics.median(s for s, _ in runs), max(m for _, m in runs) / 1024

        report = []
        report.append(
            f"{args.lectures} lectures, {args.lectures * args.papers} distinct papers; "
            f"cold = the first build (empty coursebook cache), warm = median of the other "
            f"{args.runs - 1}\n"
        )
        report.append(
            "| build | cold s | warm s | warm × same-content floor | warm × plain floor "
            "| peak MiB cold | warm | warm × same-content floor |"
        )
        report.append("|---|---|---|---|---|---|---|---|")
        same_s, same_m = warm(SAME)
        plain_s, _ = warm(PLAIN)
        for name in roots:
            seconds, memory = warm(name)
            report.append(
                f"| {name} | {results[name][0][0]:.2f} | {seconds:.2f} | {seconds / same_s:.2f} "
                f"| {seconds / plain_s:.2f} | {results[name][0][1] / 1024:.0f} | {memory:.0f} "
                f"| {memory / same_m:.2f} |"
            )
        ours_s, ours_m = warm("coursebook")
        prefix = f"{args.lectures} lectures: warm"
        checks = [
            at_most(prefix, ours_s, SAME, same_s, 1.10),
            at_most(f"{prefix} peak memory", ours_m, SAME, same_m, 1.3, unit="MiB"),
        ]
        report.append("\n```text\n" + format_targets(checks) + "\n```")
        hooks, total = hooks_share(roots["coursebook"])
        report.append(
            f"\ncoursebook's own hooks (warm build, wall clock): {hooks:.2f} s of {total:.2f} s"
            f" ({hooks / total:.1%})\n"
        )
        report.append("```\n" + "\n".join(profile(roots["coursebook"], args.top)) + "\n```")
        print("\n".join(report))
        if args.write:
            (Path(__file__).parent / "scale.md").write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
