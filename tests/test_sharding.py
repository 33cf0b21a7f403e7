"""Notebook execution spread over machines: `python -m coursebook execute --shard K/N` in
separate cache folders, `--runner` labels, `merge-cache`, and a build that executes nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from coursebook.notebooks.cache import NotebookCache
from coursebook.notebooks.merge import merge_caches
from coursebook.notebooks.sharding import Shard, ShardError, share_of, split
from test_notebook_cache import counters, make_notebook

code = nbformat.v4.new_code_cell
UNLABELLED = [f"docs/nb/n{i}.ipynb" for i in range(1, 7)]


def test_split_places_each_notebook_once_longest_first():
    seconds = {"a": 10.0, "b": 1.0, "c": 1.0, "d": 1.0, "e": 8.0, "f": None}
    shards = split(seconds, 2)
    assert sorted(uri for shard in shards for uri in shard) == sorted(seconds)
    # a (10), e (8), then the 1 s ones (f, unknown, counts as the median, 1) to the lighter: 11, 11.
    assert shards == [["a", "d"], ["b", "c", "e", "f"]]
    assert split(dict(reversed(list(seconds.items()))), 2) == shards


def test_split_without_timings_is_by_path_and_every_shard_is_used():
    seconds = {f"nb/{i:02d}.ipynb": None for i in range(7)}
    shards = split(seconds, 3)
    assert [len(shard) for shard in shards] == [3, 2, 2]
    assert share_of(Shard(2, 3), seconds) == shards[1]


@pytest.mark.parametrize("text", ["0/3", "4/3", "1-3", "x/y", ""])
def test_a_bad_shard_is_refused(text):
    with pytest.raises(ShardError, match="--shard"):
        Shard.parse(text)


def test_merging_keeps_the_first_of_two_different_runs_of_the_same_inputs(tmp_path):
    from coursebook.notebooks.merge import Wanted

    key = "a" * 64
    one, two, into = tmp_path / "one", tmp_path / "two", tmp_path / "into"
    for folder, text in ((one, "first"), (two, "second")):
        folder.mkdir()
        (folder / f"{key}.json").write_text(
            json.dumps(
                {
                    "outputs": [[{"output_type": "stream", "name": "stdout", "text": text}]],
                    "execution_counts": [1],
                }
            )
        )
    report = merge_caches([one, two], into, Wanted({key: ("a.ipynb", 1)}, frozenset()))
    assert (report.copied, report.identical, report.refused) == (1, 0, [])
    assert report.conflicts == [f"{key}.json"]
    assert "first" in (into / f"{key}.json").read_text()


def coursebook(site, *args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coursebook", *map(str, args)],
        cwd=site.root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def chosen(done: subprocess.CompletedProcess) -> list[str]:
    match = re.search(r"^execute \(.*\): (\d+) notebook\(s\): (.*)$", done.stdout, re.M)
    assert match, done.stdout + done.stderr
    names = [] if match[2] == "-" else match[2].split(", ")
    assert len(names) == int(match[1])
    return names


@pytest.fixture
def course(fixture_site):
    site = fixture_site()
    for number, path in enumerate(UNLABELLED, start=1):
        site.write(path, make_notebook(code(f"print('notebook {number}')")))
    site.write(
        "docs/nb/train.ipynb",
        make_notebook(code("print('trained on a GPU')"), metadata={"runner": "gpu"}),
    )
    return site


def test_three_shards_cover_every_notebook_once_and_the_merged_build_executes_nothing(course):
    taken: list[str] = []
    for index in (1, 2, 3):
        done = coursebook(
            course,
            "execute",
            "--shard",
            f"{index}/3",
            "--cache-dir",
            course.root / f"shard-{index}",
        )
        assert done.returncode == 0, done.stderr
        names = chosen(done)
        assert counters(done.stdout)["executed"] == len(names)
        taken += names
    assert sorted(taken) == sorted(path.removeprefix("docs/") for path in UNLABELLED)

    gpu = coursebook(course, "execute", "--runner", "gpu", "--cache-dir", course.root / "gpu")
    assert gpu.returncode == 0, gpu.stderr
    assert chosen(gpu) == ["nb/train.ipynb"]

    folders = [course.root / f"shard-{i}" for i in (1, 2, 3)] + [course.root / "gpu"]
    merged = coursebook(course, "merge-cache", *folders)
    assert merged.returncode == 0, merged.stderr
    assert "0 conflict(s)" in merged.stdout

    build = run_build(course, {"COURSEBOOK_NOTEBOOKS": "cache-only"})
    assert build.returncode == 0, build.stdout + build.stderr
    assert counters(build.stderr) == {"executed": 0, "cached": 7, "render-only": 0, "failed": 0}
    page = (course.root / "site/nb/train/index.html").read_text()
    assert "trained on a GPU" in page

    cache = NotebookCache(course.root / ".cache/coursebook/notebooks")
    assert cache.last_seconds("nb/n1.ipynb") > 0


def run_build(site, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"],
        cwd=site.root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_a_cache_only_build_with_a_missing_entry_fails_naming_it(course):
    build = run_build(course, {"COURSEBOOK_NOTEBOOKS": "cache-only"})
    assert build.returncode == 1
    assert "nb/n1.ipynb: before any cell ran: CacheMiss: not in the execution cache" in build.stderr
    # The GPU notebook is not among them: see the stale test below.
    assert "6 notebook(s) failed" in build.stderr


def test_a_failing_notebook_fails_its_shard_naming_it(course):
    course.write("docs/nb/n1.ipynb", make_notebook(code("raise RuntimeError('no GPU here')")))
    failed = []
    for index in (1, 2):
        # Each machine starts from the same cache state (CI restores one), as here.
        done = coursebook(
            course, "execute", "--shard", f"{index}/2", "--cache-dir", course.root / f"c{index}"
        )
        if "nb/n1.ipynb" in chosen(done):
            assert done.returncode == 1
            assert "nb/n1.ipynb: cell 2: RuntimeError: no GPU here" in done.stderr
            assert "1 notebook(s) failed: nb/n1.ipynb" in done.stderr
            failed.append(index)
        else:
            assert done.returncode == 0, done.stderr
    assert len(failed) == 1


def test_a_runner_label_must_be_text(course):
    course.write("docs/nb/n2.ipynb", make_notebook(code("1"), metadata={"runner": ["gpu"]}))
    done = coursebook(course, "execute")
    assert done.returncode == 1
    assert "nb/n2.ipynb: metadata.coursebook.runner: expected a label such as 'gpu'" in (
        done.stderr
    )


def test_the_split_uses_the_last_known_run_times(tmp_path: Path):
    cache = NotebookCache(tmp_path)
    cache.record_seconds("slow.ipynb", 30.0)
    for name in ("a.ipynb", "b.ipynb", "c.ipynb"):
        cache.record_seconds(name, 1.0)
    seconds = {u: cache.last_seconds(u) for u in ("slow.ipynb", "a.ipynb", "b.ipynb", "c.ipynb")}
    assert split(seconds, 2) == [["slow.ipynb"], ["a.ipynb", "b.ipynb", "c.ipynb"]]


def test_execute_balances_shards_by_the_run_times_in_the_cache(course):
    timed = course.root / "timed"
    cache = NotebookCache(timed)
    cache.record_seconds("nb/n1.ipynb", 30.0)
    for number in range(2, 7):
        cache.record_seconds(f"nb/n{number}.ipynb", 1.0)
    first = coursebook(course, "execute", "--shard", "1/2", "--cache-dir", timed)
    assert first.returncode == 0, first.stderr
    assert chosen(first) == ["nb/n1.ipynb"]
    second = coursebook(course, "execute", "--shard", "2/2", "--cache-dir", course.root / "t2")
    assert len(chosen(second)) == 3  # no timings in that folder: split by path, 3 and 3


def test_a_locked_environment_is_the_lock_and_the_python_minor_version(tmp_path, monkeypatch):
    # The GPU runner's own 3.11.2 and the CI runner's 3.11.7 must agree, or the cache-only
    # build misses every notebook the GPU ran; 3.12 may give other outputs.
    from coursebook.notebooks.environment import environment_fingerprint

    lock = tmp_path / "requirements.lock"
    lock.write_text("numpy==2.0\n")
    monkeypatch.setattr(sys, "version", "3.11.7 (main) [GCC 12]")
    monkeypatch.setattr(sys, "version_info", (3, 11, 7, "final", 0))
    ci, unlocked = environment_fingerprint([lock]), environment_fingerprint([])
    monkeypatch.setattr(sys, "version", "3.11.2 (gpu box) [GCC 11]")
    monkeypatch.setattr(sys, "version_info", (3, 11, 2, "final", 0))
    assert environment_fingerprint([lock]) == ci
    assert environment_fingerprint([]) != unlocked  # unlocked: nothing else says they agree
    monkeypatch.setattr(sys, "version_info", (3, 12, 0, "final", 0))
    assert environment_fingerprint([lock]) != ci


def test_a_gpu_notebook_the_runner_has_not_run_shows_its_last_outputs_saying_so(course):
    """The GPU runner is offline since the notebook changed: the site still builds, with
    the outputs of its last run there, and both the build log and the page say so."""
    from bs4 import BeautifulSoup

    gpu = coursebook(course, "execute", "--runner", "gpu", "--cache-dir", course.root / "gpu")
    assert gpu.returncode == 0, gpu.stderr
    cpu = coursebook(course, "execute", "--cache-dir", course.root / "cpu")
    assert cpu.returncode == 0, cpu.stderr
    course.write(
        "docs/nb/train.ipynb",
        make_notebook(code("print('trained again, longer')"), metadata={"runner": "gpu"}),
    )
    merged = coursebook(course, "merge-cache", course.root / "cpu", course.root / "gpu")
    assert merged.returncode == 0, merged.stderr

    build = run_build(course, {"COURSEBOOK_NOTEBOOKS": "cache-only"})
    assert build.returncode == 0, build.stdout + build.stderr
    assert (
        "notebooks shown with the outputs of an earlier version (their runner has not run "
        "this one yet): nb/train.ipynb"
    ) in build.stderr
    page = BeautifulSoup((course.root / "site/nb/train/index.html").read_text(), "html.parser")
    note = page.select_one(".cb-notebook-stale")
    assert note.get_text() == (
        "This notebook runs on the gpu runner, which has not run this version of it yet: the "
        "outputs below, if any, are from an earlier version."
    )
    assert "trained on a GPU" in page.select_one("article").get_text()
    unchanged = BeautifulSoup((course.root / "site/nb/n1/index.html").read_text(), "html.parser")
    assert unchanged.select_one(".cb-notebook-stale") is None


def test_a_gpu_notebook_never_run_does_not_stop_a_cache_only_build(course):
    cpu = coursebook(course, "execute", "--cache-dir", course.root / ".cache/coursebook/notebooks")
    assert cpu.returncode == 0, cpu.stderr
    build = run_build(course, {"COURSEBOOK_NOTEBOOKS": "cache-only"})
    assert build.returncode == 0, build.stdout + build.stderr
    assert "this one yet): nb/train.ipynb" in build.stderr
    assert "1 stale" in build.stderr
