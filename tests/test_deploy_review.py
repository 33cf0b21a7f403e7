"""An adversarial review of the deploy (issue 21): the workflows in course shapes and runner
behaviours the first tests did not try, the harness's own fidelity to GitHub's runner, and
merge-cache on hostile caches. Each test is a break that was found, fixed or marked xfail."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest
import yaml
from test_notebook_cache import make_notebook
from test_workflows import WORKFLOWS, Course
from workflow_harness import Repository

code = nbformat.v4.new_code_cell
BUILD_STEP = "Strict build of the site, then the handout and slides PDFs"


@pytest.fixture
def course(tmp_path):
    return Course(tmp_path)


# -- The harness runs steps as GitHub's runner does ------------------------------------------


def one_step_workflow(tmp_path: Path, run: str, *, shell: str | None = None, defaults=None):
    step = {"name": "the step", "run": run, **({"shell": shell} if shell else {})}
    workflow = {"on": "push", "jobs": {"job": {"runs-on": "ubuntu-latest", "steps": [step]}}}
    if defaults:
        workflow["defaults"] = {"run": {"shell": defaults}}
    path = tmp_path / "workflow.yml"
    path.write_text(yaml.safe_dump(workflow))
    return path


@pytest.fixture
def empty_repository(tmp_path):
    origin = tmp_path / "server/owner/course.git"
    work = tmp_path / "work"
    work.mkdir()
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=work, check=True)
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@e",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "x",
        ],
        cwd=work,
        check=True,
    )
    subprocess.run(["git", "push", "-q", str(origin), "main"], cwd=work, check=True)
    scratch = tmp_path / "github"
    scratch.mkdir()
    return Repository(origin, scratch)


@pytest.mark.parametrize(
    ("run", "shell", "defaults", "status"),
    [
        # GitHub's runner: no `shell` is `bash -e {0}`, without pipefail.
        ("false | true", None, None, "success"),
        ("false | true", "bash", None, "failure"),
        ("false | true", None, "bash", "failure"),
        ("exit 1", None, None, "failure"),
        ("no-such-command-here", None, None, "failure"),
        ("false\necho after", None, None, "failure"),
    ],
)
def test_the_harness_runs_a_step_with_the_shell_the_runner_would(
    tmp_path, empty_repository, run, shell, defaults, status
):
    path = one_step_workflow(tmp_path, run, shell=shell, defaults=defaults)
    jobs = empty_repository.run_workflow(path)
    assert jobs["job"].status == status, jobs["job"].log()


# -- A failing command in a pipeline fails its step -------------------------------------------


def test_a_strict_build_that_fails_fails_the_deploy(course):
    """`make handouts 2>&1 | tee build.log`: without pipefail (GitHub's default shell) the
    step succeeded when the strict build failed, and the site was deployed anyway."""
    course.write("docs/broken.md", "# Broken\n\n[a link to nowhere](missing.md)\n")
    course.push("A broken link")
    jobs = course.deploy()
    assert jobs["build"].status == "failure", jobs["build"].log()
    assert jobs["build"].step(BUILD_STEP).status == "failure"
    assert jobs["deploy"].status == "skipped"


def test_a_gpu_notebook_that_fails_fails_its_workflow(course):
    """`coursebook execute ... | tee execute.log` in the GPU workflow: the same."""
    course.write(
        "docs/nb/train.ipynb",
        make_notebook(code("raise RuntimeError('out of memory')"), metadata={"runner": "gpu"}),
    )
    course.push("A GPU notebook that fails")
    course.github.variables["GPU_RUNNER_LABEL"] = "gpu"
    jobs = course.gpu()
    assert jobs["gpu-notebooks"].status == "failure", jobs["gpu-notebooks"].log()
    assert jobs["redeploy"].status == "skipped"


def test_every_workflow_runs_its_steps_with_pipefail():
    for path in WORKFLOWS.glob("*.yml"):
        workflow = yaml.safe_load(path.read_text())
        assert workflow.get("defaults", {}).get("run", {}).get("shell") == "bash", path.name
