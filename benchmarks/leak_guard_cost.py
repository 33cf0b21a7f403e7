"""What the leak guard costs a warm build: the synthetic course of `make bench` (60 lectures,
30 notebooks), every lecture with a `??? solution` and every notebook with a BEGIN/END
SOLUTION block, all dated after today, so that the guard has the most to look for. Warm builds
with and without the guard, alternated, side by side (median and fastest seconds); and with
the guard's own records deleted first (guard/scan.py: the needles and the files found clean),
as after an edit of a solution, when every published file is read again. Not a test.

"Without" is the same build with a benchmark-only MkDocs hook that swaps the guard for one
that collects and checks nothing; the course has no setting for that.

    python benchmarks/leak_guard_cost.py               # 60 lectures, 30 notebooks, 7 runs
    python benchmarks/leak_guard_cost.py --lectures 10 --notebooks 4 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import base_config, write_course

CONFIG = base_config("Leak guard course") + (
    "plugins:\n  - search\n  - coursebook:\n      notebooks:\n        execute: false\n"
    "hooks:\n  - no_guard.py\n"
)
# Benchmark-only: with NO_GUARD set, the plugin makes a guard that does nothing.
NO_GUARD_HOOK = """\
import os

if os.environ.get("NO_GUARD"):
    import coursebook.plugin

    class NoGuard:
        def __init__(self, cache):
            pass

        def page(self, *args, **kwargs):
            pass

        def notebook(self, *args, **kwargs):
            pass

        def check(self, site, theme=None):
            return []

    coursebook.plugin.LeakGuard = NoGuard
else:
    # The guard's own seconds in this build, measured inside it: on a machine shared with
    # other work, the difference of two wall-clock medians is noisier than 5 %.
    import sys
    import time

    from coursebook.guard.build import LeakGuard
    from mkdocs.plugins import event_priority

    SPENT = [0.0]

    def timed(method):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                SPENT[0] += time.perf_counter() - started

        return wrapper

    for name in ("page", "notebook", "check"):
        setattr(LeakGuard, name, timed(getattr(LeakGuard, name)))

    @event_priority(-2000)  # after the guard
    def on_post_build(config, **kwargs):
        print(f"GUARD_SECONDS {SPENT[0]:.4f}", file=sys.stderr)
"""
SOLUTION = """
## Exercise

Compute the shrinkage of lecture {n}.

??? solution
    The weights shrink by a factor of one plus lambda, here {n} times over.

    ```python
    shrunk_{n} = weights / (1.0 + penalty_strength * {n})
    print(f"norm after shrinkage: {{np.linalg.norm(shrunk_{n}):.3f}}")
    ```
"""


def add_solutions(root: Path, lectures: int, notebooks: int) -> None:
    """A solution in every lecture and notebook, released in 2099; notebook n is listed by
    lecture n."""
    for n in range(1, lectures + 1):
        path = root / "docs/lectures" / f"{n:02d}-synthetic.md"
        text = path.read_text().replace("---\n\n#", "solutions: 2099-01-01\n---\n\n#", 1)
        if n <= notebooks:
            text = text.replace("---\n\n#", f"notebooks: [notebooks/nb{n:02d}.ipynb]\n---\n\n#", 1)
        path.write_text(text + SOLUTION.format(n=n))
    for n in range(1, notebooks + 1):
        path = root / "docs/notebooks" / f"nb{n:02d}.ipynb"
        nb = json.loads(path.read_text())
        nb["cells"].append(
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": f"def shrink_{n}(weights, strength):\n    ### BEGIN SOLUTION\n"
                f"    scaled_{n} = weights / (1.0 + strength * {n})\n"
                f"    return scaled_{n} - weights.mean(axis=0)\n    ### END SOLUTION\n",
            }
        )
        path.write_text(json.dumps(nb))


def build(root: Path, guard: bool) -> tuple[float, float]:
    """Wall-clock seconds of a build, and the guard's own seconds in it."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}
    if not guard:
        environment["NO_GUARD"] = "1"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"build failed:\n{done.stdout}{done.stderr}")
    spent = [float(line.split()[1]) for line in done.stderr.splitlines() if "GUARD_SECONDS" in line]
    return seconds, spent[0] if spent else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lectures", type=int, default=60)
    parser.add_argument("--notebooks", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_course(root, args.lectures, args.notebooks)
        add_solutions(root, args.lectures, args.notebooks)
        (root / "mkdocs.yml").write_text(CONFIG)
        (root / "no_guard.py").write_text(NO_GUARD_HOOK)
        build(root, guard=True)  # cold: fills the caches
        record = next((root / ".cache/coursebook/leak-guard").glob("withheld-*.json"))
        needles = len(json.loads(record.read_text())["needles"])
        times: dict[str, list[tuple[float, float]]] = {"without": [], "with": [], "emptied": []}
        for _ in range(args.runs):
            times["without"].append(build(root, guard=False))
            times["with"].append(build(root, guard=True))
            shutil.rmtree(root / ".cache/coursebook/leak-guard")
            times["emptied"].append(build(root, guard=True))
        site = root / "site"
        files = sum(1 for path in site.rglob("*") if path.is_file())
        size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    print(
        f"{args.lectures} lectures, {args.notebooks} notebooks: {needles} needles, site of "
        f"{files} files ({size / 1e6:.1f} MB); warm build, {args.runs} runs:"
    )
    walls = {key: [wall for wall, _ in runs] for key, runs in times.items()}
    floor = statistics.median(walls["without"]), min(walls["without"])
    labels = {
        "without": "without the guard",
        "with": "with the guard",
        "emptied": "with the guard, its records deleted",
    }
    print(f"  {'':38} {'median':>8} {'fastest':>8}")
    for key, label in labels.items():
        median, fastest = statistics.median(walls[key]), min(walls[key])
        change = ""
        if key != "without":
            more = (median / floor[0] - 1) * 100, (fastest / floor[1] - 1) * 100
            change = f"   ({more[0]:+.1f} %, fastest {more[1]:+.1f} %)"
        print(f"  {label:38} {median:7.2f}s {fastest:7.2f}s{change}")
    print("The guard's own time inside the build (robust to the machine's other work):")
    for key in ("with", "emptied"):
        share = [spent / wall * 100 for wall, spent in times[key]]
        spent = statistics.median(spent for _, spent in times[key])
        print(f"  {labels[key]:38} {spent:7.3f}s = {statistics.median(share):.1f} % of the build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
