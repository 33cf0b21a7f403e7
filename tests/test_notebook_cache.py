"""Execution cache, policies and parallel runs, asserted on the runner's counters."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from coursebook.notebooks.cache import NotebookCache, notebook_cache_key


def counters(log: str) -> dict[str, int]:
    match = re.search(
        r"notebooks: (\d+) executed, (\d+) from cache, (\d+) render-only, (\d+) failed", log
    )
    assert match, log
    return dict(
        zip(("executed", "cached", "render-only", "failed"), map(int, match.groups()), strict=True)
    )


def make_notebook(*cells, metadata=None) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    if metadata:
        nb.metadata["coursebook"] = metadata
    nb.cells = [nbformat.v4.new_markdown_cell("# A notebook"), *cells]
    return nbformat.writes(nb)


code = nbformat.v4.new_code_cell
markdown = nbformat.v4.new_markdown_cell


@pytest.fixture
def site(fixture_site):
    site = fixture_site("notebooks:\n  lock_files: [requirements.lock]\n")
    site.write("requirements.lock", "numpy==2.0\n")
    site.write("docs/data.csv", "x\n1\n2\n")
    site.write(
        "docs/reader.ipynb",
        make_notebook(
            markdown("Reads the data."),
            code("print(sum(int(v) for v in open('data.csv').read().split()[1:]))"),
            metadata={"depends": ["data.csv"]},
        ),
    )
    site.write("docs/other.ipynb", make_notebook(code("print('other')")))
    return site


def build_ok(site):
    build = site.build()
    assert build.returncode == 0, build.log
    return build


def test_second_build_executes_nothing(site):
    assert counters(build_ok(site).log) == {
        "executed": 2,
        "cached": 0,
        "render-only": 0,
        "failed": 0,
    }
    second = build_ok(site)
    assert counters(second.log)["executed"] == 0
    assert counters(second.log)["cached"] == 2
    assert "3" in second.html("reader/index.html").select_one("pre.nb-output").get_text()


def test_default_fingerprint_is_the_installed_packages(fixture_site, tmp_path, monkeypatch):
    """No lock_files: installing or upgrading any package re-executes every notebook."""
    site = fixture_site()
    site.write("docs/a.ipynb", make_notebook(code("print('a')")))
    packages = tmp_path / "extra-packages"
    (packages / "somepackage-1.0.dist-info").mkdir(parents=True)
    monkeypatch.setenv("PYTHONPATH", str(packages))
    assert counters(build_ok(site).log)["executed"] == 1
    assert counters(build_ok(site).log) == {
        "executed": 0,
        "cached": 1,
        "render-only": 0,
        "failed": 0,
    }
    (packages / "somepackage-1.0.dist-info").rename(packages / "somepackage-1.1.dist-info")
    assert counters(build_ok(site).log)["executed"] == 1
    (packages / "another_package-0.1.dist-info").mkdir()
    assert counters(build_ok(site).log)["executed"] == 1


def test_fingerprint_of_lock_files_ignores_installed_packages(tmp_path, monkeypatch):
    from coursebook.notebooks.environment import environment_fingerprint

    lock = tmp_path / "requirements.lock"
    lock.write_text("numpy==2.0\n")
    by_lock = environment_fingerprint([lock])
    by_packages = environment_fingerprint([])
    (tmp_path / "pkg-1.0.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    assert environment_fingerprint([lock]) == by_lock
    assert environment_fingerprint([]) != by_packages
    lock.write_text("numpy==2.1\n")
    assert environment_fingerprint([lock]) != by_lock


def test_editing_a_markdown_cell_re_renders_without_executing(site):
    build_ok(site)
    path = site.root / "docs/reader.ipynb"
    path.write_text(path.read_text().replace("Reads the data.", "Reads the data, edited."))
    build = build_ok(site)
    assert counters(build.log)["executed"] == 0
    assert "Reads the data, edited." in build.html("reader/index.html").get_text()


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("docs/reader.ipynb", "print(sum(", "print(1 + sum("),  # a code cell
        ("docs/data.csv", "2\n", "5\n"),  # a declared data file
        ("requirements.lock", "2.0", "2.1"),  # the environment fingerprint
    ],
    ids=["code-cell", "data-file", "environment"],
)
def test_what_decides_outputs_re_executes_that_notebook(site, path, old, new):
    build_ok(site)
    file = site.root / path
    file.write_text(file.read_text().replace(old, new))
    build = build_ok(site)
    expected = 2 if path == "requirements.lock" else 1
    assert counters(build.log)["executed"] == expected


def test_a_corrupted_cache_entry_is_re_executed(site):
    build_ok(site)
    for entry in (site.root / ".cache/coursebook/notebooks").glob("*.json"):
        entry.write_text("{not json")
    build = build_ok(site)
    assert counters(build.log)["executed"] == 2
    assert counters(build_ok(site).log)["executed"] == 0  # and the cache is healthy again


def test_a_deleted_cache_just_means_re_execution(site):
    build_ok(site)
    import shutil

    shutil.rmtree(site.root / ".cache")
    assert counters(build_ok(site).log)["executed"] == 2


def test_a_failed_run_is_never_cached(site):
    site.write("docs/bad.ipynb", make_notebook(code("raise RuntimeError('boom')")))
    first = site.build()
    second = site.build()
    for build in (first, second):
        assert build.returncode == 1
        assert "bad.ipynb: cell 2: RuntimeError: boom" in build.log
        assert re.search(r"executing \d/\d bad\.ipynb", build.log)  # ran again, both times


def test_a_missing_dependency_names_the_notebook_and_field(site):
    (site.root / "docs/data.csv").unlink()
    build = site.build()
    assert build.returncode == 1
    assert (
        "reader.ipynb: before any cell ran: DependencyError: metadata.coursebook.depends[0]: "
        "cannot read 'data.csv': No such file or directory"
    ) in build.log


def test_render_only_by_glob_and_by_metadata_is_never_executed(fixture_site):
    site = fixture_site("notebooks:\n  render_only: ['gpu/*.ipynb']\n")
    stored = {"output_type": "stream", "name": "stdout", "text": "trained on a GPU"}
    never = code("raise SystemExit('must not run')")
    never.outputs = [nbformat.from_dict(stored)]
    site.write("docs/gpu/train.ipynb", make_notebook(never))
    site.write("docs/big.ipynb", make_notebook(never, metadata={"execute": False}))
    site.write(
        "docs/gpu/forced.ipynb", make_notebook(code("print('ran')"), metadata={"execute": True})
    )
    build = build_ok(site)
    assert counters(build.log) == {"executed": 1, "cached": 0, "render-only": 2, "failed": 0}
    assert "trained on a GPU" in build.html("gpu/train/index.html").get_text()
    assert "trained on a GPU" in build.html("big/index.html").get_text()
    assert "ran" in build.html("gpu/forced/index.html").select_one("pre.nb-output").get_text()


def test_per_notebook_timeout_and_allow_errors(fixture_site):
    site = fixture_site()
    site.write(
        "docs/slow.ipynb",
        make_notebook(code("import time; time.sleep(30)"), metadata={"timeout": 1}),
    )
    site.write(
        "docs/errors.ipynb",
        make_notebook(code("1/0"), code("print('went on')"), metadata={"allow_errors": True}),
    )
    build = site.build()
    assert build.returncode == 1
    assert "slow.ipynb: cell 2: TimeoutError: cell did not finish within 1 s" in build.log
    assert "errors.ipynb" not in build.log.split("failed:")[-1]


def meeting_cell(flags, me: str, other: str) -> str:
    """A cell that finishes only if notebook `other` runs while it waits: run one after the
    other, the first of the two fails."""
    return (
        "import pathlib, time\n"
        f"flags = pathlib.Path({str(flags)!r})\n"
        f"(flags / {me!r}).touch()\n"
        "deadline = time.time() + 30\n"
        f"while not (flags / {other!r}).exists():\n"
        "    assert time.time() < deadline, 'ran alone'\n"
        "    time.sleep(0.05)\n"
    )


def test_notebooks_run_in_parallel_and_report_progress(fixture_site, tmp_path):
    site = fixture_site("notebooks:\n  jobs: 2\n")
    flags = tmp_path / "flags"
    flags.mkdir()
    site.write(
        "docs/a.ipynb", make_notebook(code(meeting_cell(flags, "a", "b")), code("print('a')"))
    )
    site.write(
        "docs/b.ipynb", make_notebook(code(meeting_cell(flags, "b", "a")), code("print('b')"))
    )
    site.write("docs/c.ipynb", make_notebook(code("print('c')")))
    build = build_ok(site)
    assert counters(build.log)["executed"] == 3
    assert re.search(r"executing [123]/3 [abc]\.ipynb …", build.log)
    assert re.search(r"executed [abc]\.ipynb in \d+\.\d s", build.log)
    for name in ("a", "b", "c"):
        assert (
            build.html(f"{name}/index.html").select_one("pre.nb-output").get_text() == f"{name}\n"
        )


def test_cache_key_ignores_markdown_and_outputs_but_not_code_or_tags():
    def key(nb):
        return notebook_cache_key(
            nb, kernel="python3", dependencies={}, environment="env", allow_errors=False
        )

    nb = nbformat.v4.new_notebook(cells=[markdown("text"), code("x = 1")])
    base = key(nb)
    nb.cells[0].source = "other text"
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="noise")]
    assert key(nb) == base
    nb.cells[1].metadata["tags"] = ["raises-exception"]
    assert key(nb) != base
    nb.cells[1].metadata["tags"] = []
    nb.cells[1].source = "x = 2"
    assert key(nb) != base


def test_cache_loads_outputs_onto_the_current_notebook(tmp_path):
    cache = NotebookCache(tmp_path)
    executed = nbformat.v4.new_notebook(cells=[markdown("old"), code("print(1)")])
    executed.cells[1].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    executed.cells[1].execution_count = 1
    cache.store("k", executed)
    current = nbformat.v4.new_notebook(cells=[markdown("new"), code("print(1)")])
    loaded = cache.load("k", current)
    assert loaded["cells"][0]["source"] == "new"
    assert loaded["cells"][1]["outputs"][0]["text"] == "1\n"
    assert not current.cells[1].outputs  # the source notebook is left alone
    assert cache.load("missing", current) is None
    (tmp_path / "k.json").write_text(json.dumps({"outputs": []}))
    assert cache.load("k", current) is None


def test_rebuilding_in_one_process_like_serve_executes_nothing_new(site, caplog):
    """`mkdocs serve` rebuilds in one process; state must not leak between builds."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    caplog.set_level(logging.INFO, logger="mkdocs.plugins.coursebook")
    config_file = str(site.root / "mkdocs.yml")
    build(load_config(config_file, site_dir=str(site.root / "site")))
    lecture = site.write("docs/lecture.md", "# A lecture\n")
    caplog.clear()
    build(load_config(config_file, site_dir=str(site.root / "site")))
    assert counters(caplog.text) == {"executed": 0, "cached": 2, "render-only": 0, "failed": 0}
    lecture.write_text("# A lecture, edited\n")
    path = site.root / "docs/other.ipynb"
    path.write_text(path.read_text().replace("print('other')", "print('edited')"))
    caplog.clear()
    build(load_config(config_file, site_dir=str(site.root / "site")))
    assert counters(caplog.text)["executed"] == 1
