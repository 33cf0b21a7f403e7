"""`python -m coursebook merge-cache` trusts none of the caches it joins: no links, only the
cache's own layout, only entries keyed as the course's notebooks are now, each of the shape
of an entry (nbformat outputs); a refused file is named, with why, and the exit is 1."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import nbformat
import pytest
from coursebook.__main__ import main
from coursebook.execute_command import course_wanted
from coursebook.notebooks.cache import NotebookCache
from coursebook.notebooks.merge import output_problem
from test_notebook_cache import make_notebook

code = nbformat.v4.new_code_cell
HELLO = {"output_type": "stream", "name": "stdout", "text": "hello\n"}


@pytest.fixture
def course(fixture_site):
    site = fixture_site("notebooks:\n  lock_files: [requirements.lock]\n")
    site.write("requirements.lock", "numpy==2.0\n")
    site.write("docs/nb/one.ipynb", make_notebook(code("print('hello')"), code("1 + 1")))
    site.write(
        "docs/nb/train.ipynb",
        make_notebook(code("print('trained')"), metadata={"runner": "gpu"}),
    )
    return site


def key_of(site, uri: str) -> str:
    wanted = course_wanted(site.root / "mkdocs.yml")
    return next(key for key, (name, _) in wanted.entries.items() if name == uri)


def entry(*cells) -> str:
    return json.dumps({"outputs": list(cells), "execution_counts": [1] * len(cells)})


def merge(site, capsys, *sources: Path) -> tuple[int, str, str]:
    status = main(["-f", str(site.root / "mkdocs.yml"), "merge-cache", *map(str, sources)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def into(site) -> Path:
    return site.root / ".cache/coursebook/notebooks"


def test_good_entries_are_copied_and_old_ones_skipped(course, capsys):
    shard = course.root / "shard"
    shard.mkdir()
    key = key_of(course, "nb/one.ipynb")
    (shard / f"{key}.json").write_text(entry([HELLO], []))
    (shard / f"{'0' * 64}.json").write_text(entry([HELLO]))  # an older version: not used
    status, out, err = merge(course, capsys, shard)
    assert (status, err) == (0, "")
    assert out == (
        f"merged into {into(course)}: 1 copied, 0 already there, 1 not used by the course, "
        "0 conflict(s), 0 refused\n"
    )
    assert sorted(p.name for p in into(course).iterdir()) == [f"{key}.json"]


def test_a_symbolic_link_is_refused_and_never_read(course, capsys):
    shard = course.root / "shard"
    shard.mkdir()
    key = key_of(course, "nb/one.ipynb")
    (shard / f"{key}.json").symlink_to("/etc/passwd")
    (shard / "passwd.json").symlink_to("/etc/passwd")
    status, _, err = merge(course, capsys, shard)
    assert status == 1
    assert err.splitlines() == [
        f"refused: {shard / f'{key}.json'}: a symbolic link; a cache holds only plain files",
        f"refused: {shard / 'passwd.json'}: a symbolic link; a cache holds only plain files",
        "merge-cache: 2 file(s) refused (above); nothing of them was copied. If a cache "
        "restored by CI holds them, delete that cache (Actions → Caches).",
    ]
    assert not into(course).exists() or not any(into(course).iterdir())


def test_a_linked_source_folder_is_refused(course, capsys):
    (course.root / "elsewhere").mkdir()
    (course.root / "shard").symlink_to(course.root / "elsewhere")
    status, _, err = merge(course, capsys, course.root / "shard")
    assert status == 1
    assert err == f"merge-cache: {course.root / 'shard'}: a symbolic link, not a cache folder\n"


def test_json_outside_the_layout_is_refused(course, capsys):
    shard = course.root / "shard"
    key = key_of(course, "nb/one.ipynb")
    (shard / "deep/er").mkdir(parents=True)
    (shard / "deep/er" / f"{key}.json").write_text(entry([HELLO], []))
    (shard / "notes.json").write_text("{}")
    (shard / "timings").mkdir()
    (shard / "timings/x.json").write_text("{}")
    status, _, err = merge(course, capsys, shard)
    assert status == 1
    why = "not part of a notebook cache (<sha-256>.json entries and timings/<name>.json only)"
    assert err.splitlines()[:3] == [
        f"refused: {shard / 'deep'}: {why}",
        f"refused: {shard / 'notes.json'}: {why}",
        f"refused: {shard / 'timings/x.json'}: {why}",
    ]
    assert not into(course).exists()


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ("not json", "not JSON: Expecting value: line 1 column 1 (char 0)"),
        (
            json.dumps({"outputs": [[], []], "execution_counts": [1, 2], "x": 1}),
            'an entry must be an object with exactly "outputs" and "execution_counts"',
        ),
        (
            entry([HELLO]),
            "outputs for 1 code cells, but nb/one.ipynb has 2: not an entry of this notebook",
        ),
        (
            json.dumps({"outputs": [[], []], "execution_counts": [1, "2"]}),
            "execution_counts[1]: expected a number or null, got '2'",
        ),
        (
            entry([5], []),
            "outputs[0][0]: expected an output object, got int (nbformat v4 output schema)",
        ),
        (
            entry([{"output_type": "stream", "name": "stdout"}], []),
            "outputs[0][0]: 'text' is a required property (nbformat v4 output schema)",
        ),
        (
            # What a poisoned shard published before: an output no nbformat writer makes.
            entry(
                [{"output_type": "display_data", "data": {"text/html": "<script>x</script>"}}], []
            ),
            "outputs[0][0]: 'metadata' is a required property (nbformat v4 output schema)",
        ),
        (
            entry([{"output_type": "script", "text": "<script>"}], []),
            "outputs[0][0]: output_type: expected one of execute_result, display_data, stream, "
            "error, got 'script' (nbformat v4 output schema)",
        ),
    ],
)
def test_an_entry_of_the_wrong_shape_is_refused_with_its_path(course, capsys, payload, why):
    shard = course.root / "shard"
    shard.mkdir()
    key = key_of(course, "nb/one.ipynb")
    (shard / f"{key}.json").write_text(payload)
    status, _, err = merge(course, capsys, shard)
    assert status == 1
    assert err.splitlines()[0] == f"refused: {shard / f'{key}.json'}: {why}"
    assert not (into(course) / f"{key}.json").exists()


def test_a_script_under_a_name_no_notebook_has_is_not_merged(course, capsys):
    shard = course.root / "shard"
    shard.mkdir()
    script = {
        "output_type": "display_data",
        "data": {"text/html": "<script>steal()</script>"},
        "metadata": {},
    }
    forged = hashlib.sha256(b"forged").hexdigest()
    (shard / f"{forged}.json").write_text(entry([script], []))
    status, out, _ = merge(course, capsys, shard)
    assert status == 0
    assert "0 copied, 0 already there, 1 not used by the course" in out
    assert not (into(course) / f"{forged}.json").exists()


def test_the_later_run_of_a_notebook_wins_and_names_its_stale_entry(course, capsys):
    gpu, old = course.root / "gpu", course.root / "restored"
    earlier = hashlib.sha256(b"an earlier version of train").hexdigest()
    for folder, finished, key in ((old, 100.0, "0" * 64), (gpu, 200.0, earlier)):
        cache = NotebookCache(folder)
        cache.record_seconds("nb/train.ipynb", 3.0, key=key)
        path = next((folder / "timings").iterdir())
        record = json.loads(path.read_text())
        path.write_text(json.dumps({**record, "finished": finished}))
    (gpu / f"{earlier}.json").write_text(entry([HELLO]))
    status, out, err = merge(course, capsys, old, gpu)
    assert (status, err) == (0, "")
    assert "1 copied" in out
    assert NotebookCache(into(course)).last_key("nb/train.ipynb") == earlier
    assert (into(course) / f"{earlier}.json").exists()


def test_a_timing_filed_under_another_name_is_refused(course, capsys):
    shard = course.root / "shard"
    NotebookCache(shard).record_seconds("nb/one.ipynb", 1.0)
    path = next((shard / "timings").iterdir())
    wrong = path.with_name("0" * 24 + ".json")
    os.rename(path, wrong)
    status, _, err = merge(course, capsys, shard)
    assert status == 1
    assert err.splitlines()[0] == (
        f"refused: {wrong}: the timing of 'nb/one.ipynb' is filed under another notebook's name"
    )


def test_output_problem_accepts_what_jupyter_writes():
    image = {"output_type": "display_data", "data": {"image/png": "iVBOR"}, "metadata": {}}
    error = {"output_type": "error", "ename": "E", "evalue": "v", "traceback": []}
    result = {"output_type": "execute_result", "data": {}, "metadata": {}, "execution_count": 1}
    for output in (HELLO, image, error, result):
        assert output_problem(output) is None
