"""Benchmark a large references.bib: 5,000 entries made from the real exports in
tests/data/bib (DBLP, Google Scholar, Zotero, a hand-kept file), 40 of them cited.

Prints, side by side, reading the file and building the course from it with no cache and from
coursebook's caches (on disk for the next build, in memory for a `mkdocs serve` rebuild), and a
whole strict `mkdocs build` of the small course citing 40 entries, with and without the cache.
Writes benchmarks/bibliography.md (included by docs/authoring/benchmarks.md); `make bench`
runs it.

    python benchmarks/bibliography.py                 # 5,000 entries, 5 runs
    python benchmarks/bibliography.py --entries 500 --runs 2
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

HERE = Path(__file__).parent
FIXTURES = HERE.parent / "tests" / "data" / "bib"
ENTRY_START = re.compile(r"^(@(?!string|preamble|comment)\w+\s*[{(]\s*)([^,\s]+),", re.M | re.I)
CITED = 40
CONFIG = """\
site_name: Bibliography benchmark
theme:
  name: material
  font: false
plugins:
  - search
  - coursebook
markdown_extensions:
  - pymdownx.arithmatex:
      generic: true
"""


def distinct_copy(text: str, copy: int) -> str:
    """Copy `copy` of an export, its papers made different from every other copy's (title,
    DOI, arXiv id), so that citing them lists them all rather than merging them."""
    if copy == 0:
        return text
    text = re.sub(r"(\btitle\s*=\s*[{\"])", rf"\1Copy {copy}: ", text, flags=re.I)
    text = re.sub(r"(\bdoi\s*=\s*\{10\.\d+/)", rf"\1c{copy}-", text, flags=re.I)
    return re.sub(
        r"\b(\d{4})\.(\d{5})\b", lambda m: f"{m[1]}.{(int(m[2]) + copy) % 100000:05d}", text
    )


def synthetic_bibliography(entries: int) -> tuple[str, list[str]]:
    """The fixture exports repeated with numbered keys until there are `entries` entries,
    and the keys in file order. Incomplete fixture entries stay in (as in real files) but are
    not among the cited ones."""
    exports = [(FIXTURES / name).read_text("utf-8") for name in sorted(os.listdir(FIXTURES))]
    chunks, keys, copy = [], [], 0
    while len(keys) < entries:
        for text in exports:
            renamed = ENTRY_START.sub(
                lambda m, c=copy: f"{m[1]}{m[2]}-{c},", distinct_copy(text, copy)
            )
            found = ENTRY_START.findall(renamed)
            take = found[: entries - len(keys)]
            if len(take) < len(found):  # cut the file after the last entry wanted
                nxt = found[len(take)]
                renamed = renamed[: renamed.index(f"{nxt[0]}{nxt[1]},")]
            chunks.append(renamed)
            keys += [key for _, key in take]
            if len(keys) >= entries:
                break
        copy += 1
    return "\n".join(chunks), keys


def cited_keys(keys: list[str]) -> list[str]:
    usable = [k for k in keys if not k.startswith(("Unfinished:notes", "broken.year"))]
    step = max(1, len(usable) // CITED)
    return usable[::step][:CITED]


def median_seconds(action, runs: int, before=lambda: None) -> float:
    samples = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def lecture_pages(keys: list[str]) -> list[tuple[str, str, str]]:
    """Four lectures citing `keys` between them, as (file, src_uri, text)."""
    pages = []
    for n in range(1, 5):
        cites = "".join(f"  - cite: {key}\n" for key in keys[n - 1 :: 4])
        text = f"---\ntitle: Lecture {n}\nlecture: {n}\ndate: 2027-01-1{n}\npapers:\n{cites}---\n"
        pages.append((f"docs/lectures/{n:02}.md", f"lectures/{n:02}.md", text + f"\n# L{n}\n"))
    return pages


def measure_reading(text: str, keys: list[str], runs: int, workspace: Path) -> dict[str, float]:
    """Seconds to read the file and to build the course from it (validate the lectures,
    resolve and decode the citations), with no cache, with the disk cache a new build
    process finds, and with the memory a `mkdocs serve` rebuild keeps."""
    from coursebook.course import bibtex
    from coursebook.course.model import build_course

    data, pages = text.encode(), lecture_pages(keys)
    cache = workspace / "parse-cache"

    def read():
        return bibtex.read_bibliography(data, "references.bib", cache)

    def course():
        built = build_course(
            pages, bibliography=read(), bib_file="references.bib", existing_uris=set()
        )
        assert not built.problems, built.problems
        assert len(built.readings.entries) == len(keys)

    def new_process(keep_disk: bool):
        # What a fresh build starts from: nothing in memory, pylatexenc not yet set up.
        bibtex._memory.clear()
        bibtex._latex_decoder.cache_clear()
        if not keep_disk:
            shutil.rmtree(cache, ignore_errors=True)

    course()  # imports out of the way
    timings = {}
    for label, action in (("read", read), ("course", course)):
        timings[f"{label}, cold"] = median_seconds(action, runs, lambda: new_process(False))
        timings[f"{label}, disk"] = median_seconds(action, runs, lambda: new_process(True))
        timings[f"{label}, memory"] = median_seconds(action, runs, lambda: None)
    return timings


def measure_build(text: str, keys: list[str], runs: int, workspace: Path) -> tuple[float, float]:
    """Seconds for a strict `mkdocs build` of a course citing `keys`: empty cache, warm cache."""
    project = workspace / "course"
    (project / "docs" / "lectures").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(CONFIG)
    (project / "docs" / "index.md").write_text("# Course\n")
    (project / "references.bib").write_text(text, encoding="utf-8")
    for _, src_uri, page in lecture_pages(keys):
        (project / "docs" / src_uri).write_text(page)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    def build(clear_cache: bool):
        if clear_cache:
            shutil.rmtree(project / ".cache", ignore_errors=True)
        done = subprocess.run(command, cwd=project, env=environment, capture_output=True)
        if done.returncode != 0:
            raise SystemExit(f"mkdocs build failed:\n{done.stdout.decode()}{done.stderr.decode()}")

    return median_seconds(lambda: build(True), runs), median_seconds(lambda: build(False), runs)


def report(entries: int, size: int, reading: dict, build: tuple, runs: int) -> str:
    header = f"{'':<30}{'no cache':>10}{'cached':>10}{'serve':>10}"
    lines = [header, "-" * len(header)]
    for label, name in (("read", "parse references.bib"), ("course", "course with 40 citations")):
        cells = [reading[f"{label}, {kind}"] for kind in ("cold", "disk", "memory")]
        lines.append(f"{name:<30}" + "".join(f"{c:>9.3f}s" for c in cells))
    lines.append(f"{'mkdocs build --strict':<30}{build[0]:>9.3f}s{build[1]:>9.3f}s{'':>10}")
    return (
        f"{entries:,} entries ({size / 1e6:.1f} MB), {CITED} of them cited by 4 lectures; "
        f"median of {runs} runs, seconds. *No cache*: the file is parsed; *cached*: a new "
        "build reads the parse from `.cache/coursebook/references/`; *serve*: a `mkdocs serve` "
        "rebuild keeps it in memory. The course row includes reading the file, validating the "
        "lectures and decoding the cited entries; the build row is the whole site.\n\n"
        "```text\n" + "\n".join(lines) + "\n```\n"
    )


def run(entries: int = 5000, runs: int = 5) -> str:
    text, keys = synthetic_bibliography(entries)
    with tempfile.TemporaryDirectory(prefix="coursebook-bib-bench-") as folder:
        workspace = Path(folder)
        cited = cited_keys(keys)
        reading = measure_reading(text, cited, runs, workspace)
        build = measure_build(text, cited, max(3, runs // 2), workspace)
    table = report(len(keys), len(text.encode()), reading, build, runs)
    (HERE / "bibliography.md").write_text(table, encoding="utf-8")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(run(args.entries, args.runs))
    print(f"written to {HERE / 'bibliography.md'}")


if __name__ == "__main__":
    main()
