"""The contributor path: scaffold, output guard, pre-commit, CI workflows, link check."""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import ROOT


def coursebook(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coursebook", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def course(fixture_site):
    site = fixture_site("timezone: America/New_York")
    site.write("docs/lectures/index.md", "# Lectures\n\n<!-- coursebook:lecture-list -->\n")
    site.write(
        "docs/lectures/01-intro.md",
        "---\ntitle: Intro\nlecture: 1\ndate: 2027-01-13\n---\n\n# Intro\n",
    )
    return site


def test_new_lecture_with_notebook_passes_check_and_a_strict_build(course):
    made = coursebook(course.root, "new", "lecture", "Convolutions: why they work", "--notebook")
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[:2] == [
        "created docs/lectures/02-convolutions-why-they-work.md",
        "created docs/notebooks/lecture-02-convolutions-why-they-work.ipynb",
    ]
    text = (course.root / "docs/lectures/02-convolutions-why-they-work.md").read_text()
    front = yaml.safe_load(text.split("---")[1])
    assert front["title"] == "Convolutions: why they work"
    assert front["lecture"] == 2
    assert str(front["date"]) == "2027-01-20"  # a week after the last lecture
    assert str(front["solutions"]) == "2027-01-27"  # the exercise's, a week after that
    checked = coursebook(course.root, "check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "ok: 2 lecture(s), 0 reading(s)"
    build = course.build(env={"COURSEBOOK_TODAY": "2027-01-26"})
    assert build.returncode == 0, build.log
    assert "WARNING" not in build.log
    page = build.html("lectures/02-convolutions-why-they-work/index.html")
    assert page.select_one("article h1").get_text(strip=True).startswith("Convolutions")
    listing = build.html("lectures/index.html").select(".cb-lecture-card__title a")
    assert [a.get_text() for a in listing] == ["Intro", "Convolutions: why they work"]
    notebook = build.html("notebooks/lecture-02-convolutions-why-they-work/index.html")
    assert "[0 1 2]" in notebook.select_one("pre.nb-output").get_text()
    # The starter exercise, the day before its solution is released: nbgrader's stub.
    exercise = notebook.select(".nb-input")[-1].get_text()
    assert "raise NotImplementedError()" in exercise
    assert "np.square" not in notebook.get_text()


def test_new_lecture_takes_number_and_date(course):
    made = coursebook(
        course.root, "new", "lecture", "Später", "--number", "7", "--date", "2027-03-03"
    )
    assert made.returncode == 0, made.stderr
    front = (course.root / "docs/lectures/07-spater.md").read_text()
    assert "lecture: 7\ndate: 2027-03-03\n" in front


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["new", "lecture", "Again", "--number", "1"],
            1,
            "cannot create the lecture: lecture number 1 is already used by "
            "docs/lectures/01-intro.md",
        ),
        (["new", "lecture", "  "], 1, "cannot create the lecture: the title is empty"),
        (
            ["new", "lecture", "X", "--date", "2027-13-01"],
            2,
            "argument --date: expected a date like 2027-01-20, got '2027-13-01'",
        ),
        (
            ["new", "lecture", "X", "--number", "two"],
            2,
            "argument --number: invalid int value: 'two'",
        ),
        (["new", "course", "X"], 2, "argument kind: invalid choice: 'course'"),
    ],
)
def test_new_lecture_refuses_bad_arguments_clearly(course, args, code, message):
    done = coursebook(course.root, *args)
    assert done.returncode == code
    assert message in done.stderr
    assert sorted(p.name for p in (course.root / "docs/lectures").iterdir()) == [
        "01-intro.md",
        "index.md",
    ]


def test_new_lecture_never_overwrites(course):
    target = course.write("docs/lectures/02-draft.md", "my unfinished draft, no front matter\n")
    done = coursebook(course.root, "new", "lecture", "Draft")
    assert done.returncode == 1
    assert f"{target} already exists; not overwriting it" in done.stderr
    assert target.read_text() == "my unfinished draft, no front matter\n"


def notebook_with_output(metadata=None) -> str:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# N"), cell]
    if metadata:
        nb.metadata["coursebook"] = metadata
    return nbformat.writes(nb)


def test_output_guard_refuses_outputs_only_in_executed_notebooks(fixture_site):
    site = fixture_site("notebooks:\n  render_only: ['gpu/*.ipynb']\n")
    executed = site.write("docs/nb.ipynb", notebook_with_output())
    by_glob = site.write("docs/gpu/train.ipynb", notebook_with_output())
    by_metadata = site.write("docs/big.ipynb", notebook_with_output({"execute": False}))
    clean = site.write("docs/clean.ipynb", nbformat.writes(nbformat.v4.new_notebook()))
    done = coursebook(site.root, "check-outputs", str(executed), str(by_glob), str(by_metadata))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{executed}: cell 2 has outputs, but this notebook is executed when the site is built: "
        "clear its outputs before committing (Jupyter: Edit → Clear Outputs of All Cells), "
        "or mark it render-only"
    ]
    assert coursebook(site.root, "check-outputs", str(by_glob), str(clean)).returncode == 0


def test_the_course_notebooks_are_committed_without_outputs():
    notebooks = [str(p) for p in (ROOT / "docs").rglob("*.ipynb")]
    assert notebooks
    done = coursebook(ROOT, "check-outputs", *notebooks)
    assert done.returncode == 0, done.stderr


def test_pre_commit_configuration_is_valid():
    config = ROOT / ".pre-commit-config.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = {
        h["id"]: h for repo in yaml.safe_load(config.read_text())["repos"] for h in repo["hooks"]
    }
    assert hooks["coursebook-check"]["entry"] == "python -m coursebook check"
    assert hooks["coursebook-notebook-outputs"]["entry"] == "python -m coursebook check-outputs"
    assert {"ruff", "ruff-format"} <= set(hooks)


def workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github/workflows" / name).read_text())


def steps(job: dict) -> list[dict]:
    return job["steps"]


def test_ci_workflow_runs_what_ci_runs_on_every_pull_request():
    ci = workflow("ci.yml")
    assert "pull_request" in ci[True]  # YAML 1.1 reads the key `on` as True
    job_steps = steps(ci["jobs"]["test"])
    runs = [s.get("run") for s in job_steps if "run" in s]
    assert runs[:3] == ["make check", "bash .ci/run", "make site"]
    ci_run = (ROOT / ".ci/run").read_text()
    assert "make test" in ci_run
    # Only the JSON notebook outputs travel between runs (the other caches are pickles).
    cache = next(s for s in job_steps if s.get("uses", "").startswith("actions/cache/restore@"))
    assert cache["with"]["path"] == ".cache/coursebook/notebooks"
    upload = next(s for s in job_steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"


def test_deploy_workflow_publishes_main_with_the_pages_actions():
    deploy = workflow("deploy.yml")
    assert deploy[True]["push"]["branches"] == ["main"]
    build_steps = steps(deploy["jobs"]["build"])
    runs = [s.get("run") or "" for s in build_steps]
    # Published with its PDFs: the lecture pages link them.
    assert any(run.startswith("make handouts") for run in runs)
    assert any("playwright install --with-deps chromium" in run for run in runs)
    uses = [s.get("uses", "").split("@")[0] for s in build_steps + steps(deploy["jobs"]["deploy"])]
    for action in (
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ):
        assert action in uses
    assert deploy["permissions"] == {}
    assert deploy["jobs"]["deploy"]["permissions"]["pages"] == "write"


def test_deploy_workflow_can_execute_notebooks_on_a_matrix_and_a_gpu_runner():
    # How they behave is tested by running them: tests/test_workflows.py.
    jobs = workflow("deploy.yml")["jobs"]
    shards = jobs["notebooks"]
    assert shards["strategy"]["matrix"]["shard"] == "${{ fromJSON(vars.NOTEBOOK_SHARDS || '[1]') }}"
    runs = " ".join(s.get("run", "") for s in steps(shards))
    assert 'coursebook execute --shard "$((SHARD_INDEX + 1))/$SHARDS"' in runs
    gpu = workflow("gpu-notebooks.yml")["jobs"]["gpu-notebooks"]
    assert "self-hosted" in gpu["runs-on"]
    assert "coursebook execute --runner gpu" in " ".join(s.get("run", "") for s in steps(gpu))
    build = jobs["build"]
    assert build["needs"] == "notebooks"
    merge = next(s for s in steps(build) if "merge-cache" in s.get("run", ""))
    assert "COURSEBOOK_NOTEBOOKS=cache-only" in merge["run"]


def test_generated_pages_say_where_their_content_comes_from(course_site):
    for page in ("readings/index.html", "criteria/index.html", "schedule/index.html"):
        html = course_site.html(page)
        assert html.select_one("a[rel=edit]") is None, page
        note = html.select_one(".cb-source-note a")
        assert note["href"] == "https://github.com/CIS-522/coursebook/blob/main/CONTRIBUTING.md"
    assert (ROOT / "CONTRIBUTING.md").exists()


def test_readme_points_contributors_to_contributing():
    readme = (ROOT / "README.md").read_text()
    assert "CONTRIBUTING.md" in readme


@pytest.fixture
def local_server(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    (served / "ok.html").write_text("fine")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_linkcheck_reports_broken_external_links_with_their_pages(tmp_path, local_server):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        f'<a href="{local_server}/ok.html">ok</a> <a href="#top">in page</a>'
    )
    (site / "a/index.html").write_text(f'<a href="{local_server}/gone.html#x">gone</a>')
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts/linkcheck.py"), str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == f"{local_server}/gone.html: HTTP 404 (linked from a/index.html)"
    assert done.stdout.strip() == "2 external link(s) checked, 1 broken"
