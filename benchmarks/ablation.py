"""What each part of coursebook costs: warm builds of `make bench`'s synthetic course with one
part switched off at a time, each beside its own same-content floor (benchmarks/floor.py),
all taken in turn.

A part brings content (pages, blocks, files) and coursebook's work to make it. Switching it off
saves both in coursebook's build; in the floor's build it saves only the content. So, for each
part: what it costs coursebook's build (all parts on, less this part off), of which its content
(the same difference between the two floors), and coursebook's own work on it (the rest).

    python benchmarks/ablation.py            # 60 lectures, 30 notebooks, 7 runs; writes ablation.md
    python benchmarks/ablation.py --quick    # 10 lectures, 4 notebooks, 1 run; writes nothing
    make bench BENCH_ARGS=--ablation

To measure a new part, add a `Part` to `PARTS`: the options that switch it off (under
`plugins: - coursebook:`), if it needs them the files to take out of docs/, and for a part
with no switch of its own an MkDocs hook that turns it off for the measurement.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from bytecode import compile_coursebook
from copies import build, export_same_content_floor
from synthetic import base_config, write_course

HERE = Path(__file__).parent
MARKDOWN = HERE / "ablation.md"


def no_notebooks(root: Path) -> None:
    for path in (root / "docs/notebooks").glob("*.ipynb"):
        path.unlink()


@dataclass(frozen=True)
class Part:
    name: str  # the row: what the build is without the part
    removes: str  # what switching it off takes out of the site and the build
    options: dict = field(default_factory=dict)  # coursebook's options that switch it off
    drop: Callable[[Path], None] | None = None  # takes its files out of the course's root
    hook: str | None = None  # an MkDocs hooks file (Python) for a part with no switch


PARTS = [
    Part(
        "slides off",
        "the decks (one per lecture), reveal.js and the Present button",
        {"slides": {"enabled": False}},
    ),
    Part(
        "notebooks absent",
        "the notebook pages: their outputs, images and downloads, the execution cache",
        drop=no_notebooks,
    ),
    Part(
        "plugin disabled",
        "all of coursebook but loading it (`enabled: false`): generated pages, lecture blocks,"
        " notebook pages; the notebooks stay as files",
        {"enabled": False},
    ),
    # This turn's other capabilities (the calendar, accessibility checks at build time, widget
    # rendering) go here too, each with its own switch.
]
# The leak guard (guard/, an on_post_build scan of the built site for withheld solutions): once
# it is on this branch. It has no switch (a leak must never pass), so for the measurement a
# hook makes its check find nothing; the site it checks is the same.
if importlib.util.find_spec("coursebook.guard") and importlib.util.find_spec(
    "coursebook.guard.build"
):
    PARTS.append(
        Part(
            "leak guard off",
            "the scan of every file of the built site for withheld solutions",
            hook="from coursebook.guard.build import LeakGuard\n\n"
            "LeakGuard.check = lambda self, *args, **kwargs: []\n",
        )
    )
ALL_ON = Part("all parts on", "nothing")


HOOK_FILE = "ablation_hook.py"


def config(options: dict, hook: bool = False) -> str:
    plugin = "  - coursebook\n"
    if options:
        nested = yaml.safe_dump(options, sort_keys=False)
        plugin = "  - coursebook:\n" + "".join(f"      {line}\n" for line in nested.splitlines())
    hooks = f"hooks:\n  - {HOOK_FILE}\n" if hook else ""
    return base_config("Synthetic course") + "plugins:\n  - search\n" + plugin + hooks


def prepare(workspace: Path, lectures: int, notebooks: int) -> dict[str, tuple[Path, Path]]:
    """Each build's course (all parts on, then each part off) and its same-content floor."""
    full = workspace / "all-on"
    write_course(full, lectures, notebooks)
    (full / "mkdocs.yml").write_text(config({}))
    print("  all parts on: first build (runs the notebooks)", flush=True)
    build(full)
    roots = {}
    for part in (ALL_ON, *PARTS):
        course = full
        if part is not ALL_ON:
            course = workspace / part.name.replace(" ", "-")
            shutil.copytree(full, course, ignore=shutil.ignore_patterns("site"))  # cache too
            (course / "mkdocs.yml").write_text(config(part.options, hook=bool(part.hook)))
            if part.hook:
                (course / HOOK_FILE).write_text(part.hook)
            if part.drop:
                part.drop(course)
            build(course)
        print(f"  {part.name}: exporting its same-content floor", flush=True)
        floor = workspace / f"{course.name}-floor"
        export_same_content_floor(course, floor)
        if part.hook:  # the hook turns off a part of coursebook: the floor has none to turn off
            settings = yaml.safe_load((floor / "mkdocs.yml").read_text())
            del settings["hooks"]
            (floor / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False))
            (floor / HOOK_FILE).unlink()
        build(floor)
        roots[part.name] = (course, floor)
    return roots


def measure(roots: dict[str, tuple[Path, Path]], runs: int) -> dict[str, tuple[float, float]]:
    """Median warm seconds of each course and its floor, taken in turn."""
    samples = {name: ([], []) for name in roots}
    for run in range(runs):
        print(f"  run {run + 1}/{runs}", flush=True)
        for name, (course, floor) in roots.items():
            samples[name][0].append(build(course))
            samples[name][1].append(build(floor))
    return {name: (statistics.median(c), statistics.median(f)) for name, (c, f) in samples.items()}


def table(results: dict[str, tuple[float, float]]) -> str:
    full, full_floor = results[ALL_ON.name]
    lines = [
        "| build | coursebook s | same-content floor s | × floor | the part costs coursebook "
        "| of which its content (floor) | coursebook's own work on it |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, (ours, floor) in results.items():
        row = f"| {name} | {ours:.3f} | {floor:.3f} | {ours / floor:.2f} |"
        if name == ALL_ON.name:
            lines.append(row + " — | — | — |")
            continue
        saved, content = full - ours, full_floor - floor
        lines.append(row + f" {saved:+.3f} s | {content:+.3f} s | {saved - content:+.3f} s |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--lectures", type=int, default=60)
    parser.add_argument("--notebooks", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="10 lectures, 4 notebooks, 1 run")
    args = parser.parse_args(argv)
    if args.quick:
        args.lectures, args.notebooks, args.runs = 10, 4, 1
    compile_coursebook()
    with tempfile.TemporaryDirectory(prefix="coursebook-ablation-") as workspace:
        results = measure(prepare(Path(workspace), args.lectures, args.notebooks), args.runs)
    heading = (
        f"`make bench`'s synthetic course ({args.lectures} lectures, {args.notebooks} notebooks),"
        f" warm builds, median of {args.runs} runs taken in turn; each build beside its own "
        f"same-content floor. A part's cost is what switching it off saves (negative: it "
        f"saved nothing, within the noise)."
    )
    parts = "\n".join(f"- **{p.name}**: {p.removes}." for p in PARTS)
    report = f"{heading}\n\n{table(results)}\n\n{parts}\n"
    print(f"\n{report}")
    if not args.quick:
        MARKDOWN.write_text(report, encoding="utf-8")
        print(f"written to {MARKDOWN}")


if __name__ == "__main__":
    main(sys.argv[1:])
