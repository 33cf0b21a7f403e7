"""An adversarial review of the deploy (issue 21): the workflows in course shapes and runner
behaviours the first tests did not try, the harness's own fidelity to GitHub's runner, and
merge-cache on hostile caches. Each test is a break that was found, fixed or marked xfail."""

from __future__ import annotations

import hashlib
import subprocess
import textwrap
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from test_merge_cache import key_of, merge
from test_notebook_cache import make_notebook
from test_solutions_site import TEXT_NOTEBOOK, exercise_notebook
from test_workflows import ROOT, WORKFLOWS, Course, git, notebook, succeeded
from workflow_harness import Repository, evaluate_text

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


# -- merge-cache on hostile caches ------------------------------------------------------------


@pytest.fixture
def cache_course(fixture_site):
    site = fixture_site()
    site.write("docs/nb/one.ipynb", make_notebook(code("print('hello')"), code("1 + 1")))
    return site


def shard_with(site, name: str, payload: str) -> Path:
    shard = site.root / "shard"
    (shard / name).parent.mkdir(parents=True, exist_ok=True)
    (shard / name).write_text(payload)
    return shard / name


def one_key(site) -> str:
    return key_of(site, "nb/one.ipynb")


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        # Python's JSON reader recurses: a deep enough file raised RecursionError.
        ("[" * 100_000 + "]" * 100_000, "not JSON: nested too deeply"),
        # NaN and Infinity are not JSON; Python's reader takes them (and 1e999 as infinity).
        (
            '{"outputs": [[], [{"output_type": "execute_result", "execution_count": 1, '
            '"metadata": {}, "data": {"application/json": NaN}}]], "execution_counts": [1, 1]}',
            "not JSON: NaN is not a JSON number",
        ),
    ],
)
def test_an_entry_python_reads_but_json_does_not_allow_is_refused(
    cache_course, capsys, payload, why
):
    path = shard_with(cache_course, f"{one_key(cache_course)}.json", payload)
    status, _, err = merge(cache_course, capsys, path.parent)
    assert status == 1
    assert err.splitlines()[0] == f"refused: {path}: {why}"


@pytest.mark.parametrize(
    ("seconds", "why"),
    [
        ("NaN", "not JSON: NaN is not a JSON number"),
        ("-Infinity", "not JSON: -Infinity is not a JSON number"),
        ("1e999", "not JSON: 1e999 is too large a number"),
    ],
)
def test_a_timing_of_nan_or_infinite_seconds_is_refused(cache_course, capsys, seconds, why):
    """NaN passed the `value < 0` check, and a NaN or infinite time then balanced shards."""
    uri = "nb/one.ipynb"
    name = hashlib.sha256(uri.encode()).hexdigest()[:24] + ".json"
    path = shard_with(cache_course, f"timings/{name}", f'{{"uri": "{uri}", "seconds": {seconds}}}')
    status, _, err = merge(cache_course, capsys, path.parent.parent)
    assert status == 1
    assert err.splitlines()[0] == f"refused: {path}: {why}"


def test_a_source_reached_through_a_linked_folder_is_refused(cache_course, capsys, monkeypatch):
    """`restored-cache/` is refused when it is a link, but `executed/shard-1/` was read
    through `executed` being one (an artifact or a restored cache can hold links)."""
    elsewhere = cache_course.root / "elsewhere/shard-1"
    elsewhere.mkdir(parents=True)
    (elsewhere / f"{one_key(cache_course)}.json").write_text(
        '{"outputs": [[], []], "execution_counts": [1, 2]}'
    )
    (cache_course.root / "executed").symlink_to(elsewhere.parent)
    monkeypatch.chdir(cache_course.root)
    status, _, err = merge(cache_course, capsys, Path("executed/shard-1"))
    assert status == 1
    assert err == (
        "merge-cache: executed/shard-1: reached through the symbolic link executed, "
        "not a cache folder\n"
    )


# -- Runs that race ---------------------------------------------------------------------------


def concurrency_group(workflow_file: str, ref: str) -> str:
    workflow = yaml.safe_load((WORKFLOWS / workflow_file).read_text())
    return evaluate_text(workflow["concurrency"]["group"], {"github": {"ref": ref}})


def test_a_dispatch_on_a_branch_cannot_cancel_a_waiting_deploy_of_main():
    """GitHub keeps one pending run per concurrency group and cancels the older one: with a
    group shared by every ref, a deploy.yml dispatched on a branch (which deploys nothing)
    cancelled main's pending deploy, and main's commit went unpublished until the next day."""
    assert concurrency_group("deploy.yml", "refs/heads/main") != concurrency_group(
        "deploy.yml", "refs/heads/feature"
    )


def test_a_push_does_not_cancel_the_gpu_run_under_way():
    """With cancel-in-progress, every push to main cancelled the GPU job under way (up to 4
    hours), so with pushes more often than a training run no GPU output was ever saved. The
    run under way finishes and saves; the newest push waits, replacing any older waiting one."""
    workflow = yaml.safe_load((WORKFLOWS / "gpu-notebooks.yml").read_text())
    assert workflow["concurrency"]["cancel-in-progress"] is False


# -- NOTEBOOK_SHARDS as CONTRIBUTING.md describes it: "a JSON list: that many runners" ------


@pytest.mark.parametrize("shards", ["[1, 1]", '["a", "b"]', "[2, 3]"])
def test_any_list_of_two_makes_two_shards_that_run_every_notebook_once(course, shards):
    """The matrix value was the shard's K: [2, 3] ran `--shard 3/2` (an error), and [1, 1]
    ran shard 1/2 twice, both uploading notebook-cache-1 (a conflict on GitHub)."""
    for number in range(1, 4):
        course.write(f"docs/nb/n{number}.ipynb", notebook(f"notebook {number}"))
    course.push("Three notebooks")
    course.github.variables["NOTEBOOK_SHARDS"] = shards
    jobs = course.deploy()
    succeeded(jobs, "notebooks", "build", "deploy")
    merged = jobs["build"].step("Merge them; build from the cache only").output
    assert "3 copied" in merged
    build = jobs["build"].step(BUILD_STEP).output
    assert "notebooks: 0 executed, 3 from cache" in build


# -- Course shapes ----------------------------------------------------------------------------


def configure(course: Course, *, docs_dir: str = "docs", notebooks: str) -> None:
    config = course.root / "mkdocs.yml"
    text = config.read_text().replace(
        "  - coursebook\n",
        "  - coursebook:\n      timezone: America/New_York\n      notebooks:\n"
        + textwrap.indent(notebooks, " " * 8)
        + "\n",
    )
    config.write_text(f"docs_dir: {docs_dir}\n{text}")
    if docs_dir != "docs":
        (course.root / "docs").rename(course.root / docs_dir)


LAB_LECTURE = """\
---
title: Lab
lecture: 1
date: 2027-01-20
solutions: 2027-01-27
notebooks: ["Woche 1/Übung ä.ipynb", "Woche 1/text lab.py"]
---

# Lab
"""


def test_colab_opens_a_notebook_the_student_branch_holds_in_any_course_layout(course):
    """docs_dir `content`, folders and names with spaces and non-ASCII letters, a .ipynb and
    a text notebook withheld until their release: each page's Colab link must name a file
    that the deploy pushed to the student branch (the first deploy: no such branch yet)."""
    configure(course, docs_dir="content", notebooks="student_branch: student")
    # The course's own source partial, as in this repository: mkdocs-material's asks
    # api.github.com for star counts, which a handout (printed offline) refuses.
    config = course.root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  font: false\n", "  font: false\n  custom_dir: overrides\n")
    )
    course.write(
        "overrides/partials/source.html", (ROOT / "overrides/partials/source.html").read_text()
    )
    course.write("content/lectures/01-lab.md", LAB_LECTURE)
    course.write("content/Woche 1/Übung ä.ipynb", exercise_notebook())
    course.write("content/Woche 1/text lab.py", TEXT_NOTEBOOK)
    course.push("A lab in another docs_dir")
    jobs = course.deploy()
    succeeded(jobs, "notebooks", "build", "student-branch", "deploy")
    published = git(
        course.github.origin,
        "-c",
        "core.quotePath=false",
        "ls-tree",
        "-r",
        "--name-only",
        "student",
    ).splitlines()
    site = jobs["build"].workspace / "site"
    for page in ("Woche 1/Übung ä/index.html", "Woche 1/text lab/index.html"):
        html = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        (href,) = [a["href"] for a in html.select("a.cb-notebook-actions__colab")]
        path = unquote(href.split("/blob/student/", 1)[1])
        assert path in published, (href, published)


def test_a_course_with_its_own_notebook_cache_folder_deploys(course):
    """`notebooks.cache_dir` is an option; the workflows name `.cache/coursebook/notebooks`,
    and set COURSEBOOK_NOTEBOOK_CACHE so that `execute`, `merge-cache` and the build use it."""
    configure(course, notebooks="cache_dir: build/notebook-cache")
    course.write("docs/nb/hello.ipynb", notebook("hello from a shard"))
    course.push("A course with its own cache folder")
    jobs = course.deploy()
    succeeded(jobs, "notebooks", "build", "deploy")
    build = jobs["build"].step(BUILD_STEP).output
    assert "notebooks: 0 executed, 1 from cache" in build


# -- Artifacts as download-artifact lays them out ---------------------------------------------


def test_one_shard_the_default_deploys_a_course_with_notebooks(course):
    """With one shard (NOTEBOOK_SHARDS unset) the pattern `notebook-cache-*` matches one
    artifact, which download-artifact extracts into `executed/` itself, not
    `executed/notebook-cache-0/`: `executed/*/` was `executed/timings/`, whose files
    merge-cache refused, and the shard's entries were never merged."""
    course.write("docs/nb/hello.ipynb", notebook("hello from the only shard"))
    course.push("One notebook")
    jobs = course.deploy()
    succeeded(jobs, "notebooks", "build", "deploy")
    merged = jobs["build"].step("Merge them; build from the cache only").output
    assert "1 copied" in merged
    assert "0 refused" in merged


def test_a_notebook_with_a_colon_in_its_name_deploys(course):
    """upload-artifact refuses file names holding any of " : < > | * ?; the student notebooks
    travelled as an artifact of their files, so such a notebook failed every deploy."""
    course.write("docs/nb/Lab 1: intro.ipynb", notebook("a colon in the name"))
    course.push("A notebook named with a colon")
    jobs = course.deploy()
    succeeded(jobs, "notebooks", "build", "student-branch", "deploy")
    published = git(course.github.origin, "ls-tree", "-r", "--name-only", "student")
    assert published.splitlines() == ["docs/nb/Lab 1: intro.ipynb"]


@pytest.mark.parametrize(
    ("member", "refused"),
    [
        ("../outside.ipynb", True),
        ("link", True),
        ("/tmp/absolute.ipynb", True),
        # `git init` keeps an existing .git/config, whose core.fsmonitor `git add` runs: a
        # command from the build job, with the write token in the environment.
        (".git/config", True),
        ("docs/.git/config", True),
        ("docs/notes.sh", True),
        ("docs/nb/a.ipynb", False),
    ],
)
def test_the_student_branch_job_unpacks_nothing_outside_its_folder(tmp_path, member, refused):
    """The job that holds the write token unpacks an archive made by a job that ran the
    course's build: only notebooks under docs/ are unpacked; anything else (a member leaving
    the folder, a link, a .git folder) is refused and the job fails."""
    import tarfile

    unpack = next(
        step["run"]
        for step in yaml.safe_load((WORKFLOWS / "deploy.yml").read_text())["jobs"][
            "student-branch"
        ]["steps"]
        if step.get("name") == "Unpack them"
    )
    (tmp_path / "archive").mkdir()
    with tarfile.open(tmp_path / "archive/student.tar", "w") as archive:
        info = tarfile.TarInfo(member)
        if member == "link":
            info.type, info.linkname = tarfile.SYMTYPE, "/etc"
        archive.addfile(info)
        if member == "link":
            archive.addfile(tarfile.TarInfo("link/written-through.ipynb"))
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", unpack],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode != 0) == refused, done.stderr
    assert not (tmp_path / "outside.ipynb").exists()
    assert not Path("/tmp/absolute.ipynb").exists()
    assert not Path("/etc/written-through.ipynb").exists()
    assert not (tmp_path / "student/.git").exists()
    if not refused:
        assert (tmp_path / "student" / member).is_file()


@pytest.mark.parametrize(
    ("shards", "why"),
    [
        ("3", "Unexpected type of value '3', expected type: Sequence."),
        ("0", "Unexpected type of value '0', expected type: Sequence."),
        ("[]", "Matrix vector 'shard' does not contain any values"),
        ("abc", "Error reading JToken from JsonReader"),
    ],
)
def test_notebook_shards_that_are_not_a_list_stop_the_run_before_anything_deploys(
    course, shards, why
):
    """GitHub rejects such a matrix, so nothing deploys and the run names the variable's
    value (CONTRIBUTING.md says a bare number is not a list); the harness does the same."""
    course.github.variables["NOTEBOOK_SHARDS"] = shards
    jobs = course.deploy()
    assert jobs["notebooks"].status == "failure"
    assert why in jobs["notebooks"].log()
    assert (jobs["build"].status, jobs["deploy"].status) == ("skipped", "skipped")
