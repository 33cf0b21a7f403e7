"""The workflows in .github/workflows, run: their shell steps in order, in fixture courses of
every documented shape (no notebooks; notebooks; shards; a GPU runner with zero, one and
several notebooks, online and offline), with a local bare repository as GitHub
(tests/workflow_harness.py). A step that would fail on GitHub fails here. And zizmor, offline,
finds nothing to report in them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import new_fixture_site
from test_notebook_cache import make_notebook
from workflow_harness import Repository

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github/workflows"
DEPLOY, GPU, CI = WORKFLOWS / "deploy.yml", WORKFLOWS / "gpu-notebooks.yml", WORKFLOWS / "ci.yml"
code = nbformat.v4.new_code_cell
# The one step not run here: it downloads a browser. `make handouts` then finds this
# machine's Chromium, as it would find that one.
NETWORK_STEPS = {"Chromium for the PDFs": "downloads Playwright's Chromium"}
# axe over every page at four views: run by test_the_deploy_audits_the_site_and_a_finding_stops_it
# alone (tests/test_audit.py tests the command), not in every deploy of these fixture courses.
AUDIT_STEP = "Accessibility audit of the built site"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


class Course:
    """A course repository: a working copy whose commits are pushed to a bare `origin`."""

    def __init__(self, tmp_path: Path) -> None:
        self.site = new_fixture_site(tmp_path / "work")
        self.root = self.site.root
        for name in ("Makefile", "pyproject.toml"):
            shutil.copy(ROOT / name, self.root / name)
        self.site.write(".gitignore", ".venv/\nsite/\n.cache/\n")
        origin = tmp_path / "server/owner/course.git"
        git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
        git(self.root, "init", "-q", "-b", "main")
        git(self.root, "remote", "add", "origin", str(origin))
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        self.gh_calls = tmp_path / "gh-calls"
        fake_gh = bin_dir / "gh"  # GitHub's CLI, which only the redeploy job calls
        fake_gh.write_text(f'#!/bin/sh\necho "$@" >> "{self.gh_calls}"\n')
        fake_gh.chmod(0o755)
        scratch = tmp_path / "github"
        scratch.mkdir()
        self.github = Repository(
            origin,
            scratch,
            skip_steps={**NETWORK_STEPS, AUDIT_STEP: "see test_the_deploy_audits_the_site"},
            path_prefix=[bin_dir],
        )
        self.push("A course")

    def write(self, relative: str, text: str) -> None:
        self.site.write(relative, text)

    def push(self, message: str) -> None:
        git(self.root, "add", "-A")
        git(
            self.root,
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.org",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            message,
        )
        git(self.root, "push", "-q", "origin", "main")

    def deploy(self, **kwargs):
        return self.github.run_workflow(DEPLOY, **kwargs)

    def gpu(self, **kwargs):
        return self.github.run_workflow(GPU, **kwargs)


def notebook(text: str, **metadata) -> str:
    return make_notebook(code(f"print({text!r})"), metadata=metadata or None)


def succeeded(jobs, *names):
    for name in names:
        assert jobs[name].status == "success", jobs[name].log()


def page_text(run, path: str) -> str:
    html = (run.workspace / "site" / path).read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").select_one("article").get_text()


@pytest.fixture
def course(tmp_path):
    return Course(tmp_path)


def test_a_course_without_notebooks_deploys(course):
    jobs = course.deploy()
    succeeded(jobs, "notebooks", "build", "deploy")
    build = jobs["build"]
    assert "No notebooks are published: no student branch is needed." in (
        build.step("The notebooks as published, for the student branch").output
    )
    assert jobs["student-branch"].status == "skipped"
    assert "Fixture course" in page_text(build, "index.html")


def test_the_deploy_audits_the_site_and_a_finding_stops_it(course):
    course.github.skip_steps.pop(AUDIT_STEP)
    # An image without alt text no longer gets this far (the strict build names it,
    # pages/alt_text.py); a button without a name passes the build and only axe sees it.
    course.write("docs/index.md", '# Fixture course\n\n<button class="tool"></button>\n')
    course.push("A button without a name")
    jobs = course.deploy()
    build = jobs["build"]
    assert build.status == "failure"
    assert build.step("Strict build of the site, then the handout and slides PDFs").status == (
        "success"
    )
    audit = build.step(AUDIT_STEP)
    assert audit.status == "failure"
    assert "axe-core 4.14.1 (vendored)" in audit.output
    assert "## button-name (critical, NEW)" in audit.output
    assert "- /: 1280 light" in audit.output
    assert jobs["deploy"].status == "skipped"


def test_notebooks_run_outside_the_build_reach_the_site_and_the_student_branch(course):
    course.write("docs/nb/hello.ipynb", notebook("hello from a shard"))
    course.write(
        "docs/nb/data.ipynb",
        make_notebook(code("print(open('data.csv').read())"), metadata={"depends": ["data.csv"]}),
    )
    course.write("docs/nb/data.csv", "first version\n")
    course.push("Two notebooks without solutions")
    jobs = course.deploy()
    succeeded(jobs, "notebooks", "build", "student-branch", "deploy")
    assert "notebooks: 2 executed" in jobs["notebooks"].log()
    build_log = jobs["build"].step("Strict build of the site, then the handout and slides PDFs")
    assert "notebooks: 0 executed, 2 from cache" in build_log.output
    assert "hello from a shard" in page_text(jobs["build"], "nb/hello/index.html")
    published = git(course.github.origin, "ls-tree", "-r", "--name-only", "student")
    assert sorted(published.split()) == ["docs/nb/data.ipynb", "docs/nb/hello.ipynb"]

    # Nothing changed: nothing runs, and the cache is not saved again under a new key.
    saved = set(course.github.caches)
    again = course.deploy()
    succeeded(again, "notebooks", "build")
    assert "notebooks: 0 executed, 2 from cache" in again["notebooks"].log()
    assert set(course.github.caches) == saved

    # A `depends` file changed: that notebook runs again, and the new outputs are saved.
    course.write("docs/nb/data.csv", "second version\n")
    course.push("New data")
    third = course.deploy()
    succeeded(third, "notebooks", "build")
    assert "notebooks: 1 executed, 1 from cache" in third["notebooks"].log()
    assert len(course.github.caches) == len(saved) + 1
    assert "second version" in page_text(third["build"], "nb/data/index.html")
    fourth = course.deploy()
    assert "notebooks: 0 executed, 2 from cache" in fourth["notebooks"].log()


def test_shards_each_run_their_share_and_the_build_runs_none(course):
    for number in range(1, 6):
        course.write(f"docs/nb/n{number}.ipynb", notebook(f"notebook {number}"))
    course.push("Five notebooks")
    course.github.variables["NOTEBOOK_SHARDS"] = "[1, 2, 3]"
    jobs = course.deploy()
    succeeded(jobs, "notebooks", "build", "deploy")
    merged = jobs["build"].step("Merge them; build from the cache only").output
    assert "5 copied" in merged
    assert "0 refused" in merged
    build = jobs["build"].step("Strict build of the site, then the handout and slides PDFs")
    assert "notebooks: 0 executed, 5 from cache" in build.output
    assert "notebook 4" in page_text(jobs["build"], "nb/n4/index.html")


def test_a_gpu_label_without_gpu_notebooks_changes_nothing(course):
    course.write("docs/nb/cpu.ipynb", notebook("on the CPU"))
    course.push("One notebook")
    course.github.variables["GPU_RUNNER_LABEL"] = "gpu"
    gpu = course.gpu()
    succeeded(gpu, "gpu-notebooks")
    assert "execute (all, runner 'gpu'): 0 notebook(s)" in gpu["gpu-notebooks"].log()
    assert gpu["redeploy"].status == "skipped"
    jobs = course.deploy()
    succeeded(jobs, "notebooks", "build", "deploy")


def test_gpu_notebooks_run_on_their_runner_and_the_deploy_uses_their_last_outputs(course):
    course.write("docs/nb/cpu.ipynb", notebook("on the CPU"))
    course.write("docs/nb/train.ipynb", notebook("trained, version 1", runner="gpu"))
    course.write("docs/nb/tune.ipynb", notebook("tuned, version 1", runner="gpu"))
    course.push("Two GPU notebooks")
    course.github.variables["GPU_RUNNER_LABEL"] = "gpu"

    # The runner never ran: the site still deploys, naming both as not yet run.
    first = course.deploy()
    succeeded(first, "notebooks", "build", "deploy")
    assert first["build"].summary == (
        "### Notebooks shown with the outputs of an earlier version\n"
        "Their runner has not run their current version yet: nb/train.ipynb, nb/tune.ipynb\n"
    )

    gpu = course.gpu()
    succeeded(gpu, "gpu-notebooks", "redeploy")
    assert "notebooks: 2 executed" in gpu["gpu-notebooks"].log()
    assert course.gh_calls.read_text() == "workflow run deploy.yml --ref main\n"
    fresh = course.deploy()
    succeeded(fresh, "build", "deploy")
    assert fresh["build"].summary == ""
    assert "trained, version 1" in page_text(fresh["build"], "nb/train/index.html")

    # The runner goes offline; a GPU notebook changes: deployed with its last outputs, stale.
    course.write("docs/nb/train.ipynb", notebook("trained, version 2", runner="gpu"))
    course.push("A longer training")
    offline = course.deploy()
    succeeded(offline, "notebooks", "build", "deploy")
    assert offline["build"].summary.endswith(
        "Their runner has not run their current version yet: nb/train.ipynb\n"
    )
    page = page_text(offline["build"], "nb/train/index.html")
    assert "trained, version 1" in page
    assert "which has not run this version of it yet" in page
    assert "has not run this version" not in page_text(offline["build"], "nb/tune/index.html")

    # Back online: only the changed one runs again.
    back = course.gpu()
    assert "notebooks: 1 executed, 1 from cache" in back["gpu-notebooks"].log()


def test_the_gpu_runner_runs_only_main(course):
    course.github.variables["GPU_RUNNER_LABEL"] = "gpu"
    git(course.root, "push", "-q", "origin", "main:feature")
    jobs = course.gpu(ref="refs/heads/feature", event="workflow_dispatch")
    assert jobs["gpu-notebooks"].status == "skipped"
    deploy = course.deploy(ref="refs/heads/feature", event="workflow_dispatch")
    assert (deploy["deploy"].status, deploy["student-branch"].status) == ("skipped", "skipped")


def test_a_poisoned_cache_stops_the_build_naming_the_file(course):
    course.write("docs/nb/cpu.ipynb", notebook("on the CPU"))
    course.push("One notebook")
    succeeded(course.deploy(), "build")
    folder = next(
        v for k, v in course.github.caches.items() if k[0] == ".cache/coursebook/notebooks"
    )
    (folder / "passwd.json").symlink_to("/etc/passwd")
    jobs = course.deploy()
    assert jobs["build"].status == "failure"
    merge = jobs["build"].step("Merge them; build from the cache only")
    assert "refused: restored-cache/passwd.json: a symbolic link; a cache holds only plain " in (
        merge.output
    )
    assert jobs["deploy"].status == "skipped"


def test_the_ci_workflow_checks_builds_and_saves_its_cache_only_when_it_changed(course):
    """ci.yml's steps around the test suite (the suite is this very run, so not run again)."""
    course.write("docs/nb/cpu.ipynb", notebook("on the CPU"))
    course.push("One notebook")
    course.github.skip_steps["Tests (lint, strict builds, browser tests, zizmor)"] = "this run"
    first = course.github.run_workflow(CI, event="pull_request")
    succeeded(first, "test")
    assert "notebooks: 1 executed" in first["test"].step("Strict build of the site").output
    (saved,) = course.github.caches
    assert saved[0] == ".cache/coursebook/notebooks"
    assert re.fullmatch(r"ci-notebooks-Linux-[0-9a-f]{40}", saved[1])
    again = course.github.run_workflow(CI, event="pull_request")
    assert (
        "notebooks: 0 executed, 1 from cache"
        in again["test"].step("Strict build of the site").output
    )
    assert len(course.github.caches) == 1  # the same content: not saved again


# -- What the workflows declare -------------------------------------------------------------


def workflows() -> dict[str, dict]:
    return {path.name: yaml.safe_load(path.read_text()) for path in WORKFLOWS.glob("*.yml")}


def test_zizmor_finds_nothing():
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "zizmor"),
            "--offline",
            "--format",
            "json",
            str(WORKFLOWS),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []


def test_every_job_has_a_time_limit_and_its_own_permissions():
    for name, workflow in workflows().items():
        assert workflow["permissions"] == {}, name
        for job_id, job in workflow["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int), (name, job_id)
            assert "permissions" in job, (name, job_id)


def test_no_job_that_runs_notebook_code_can_write():
    """The jobs that execute notebooks hold contents: read only; the jobs that can write run
    no `make` (nothing of the course's)."""
    for name, workflow in workflows().items():
        for job_id, job in workflow["jobs"].items():
            scripts = "\n".join(step.get("run", "") for step in job["steps"])
            writes = [k for k, v in job["permissions"].items() if v == "write"]
            if "make" in scripts or "coursebook" in scripts:
                assert writes == [], (name, job_id)


def test_actions_are_pinned_by_commit_with_their_version():
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text().splitlines():
            if "uses:" in line:
                assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


def test_only_the_json_notebook_outputs_are_cached():
    """The snapshot, notebook-page and template caches are pickles: loading one runs code, so
    none of them may travel through an Actions cache (whoever can write one would run code in
    the next job that restores it). The notebook-output caches hold JSON, and every entry is
    checked by merge-cache before a build uses it."""
    allowed = {".cache/coursebook/notebooks", ".cache/coursebook/gpu-notebooks"}
    for name, workflow in workflows().items():
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/cache"):
                    assert step["with"]["path"] in allowed, (name, step)
