"""Hostile and damaged inputs end in one clear message naming the file and the field, cell or
line (or, for a damaged cache entry, in a rebuild with one warning line), never a traceback."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import time

import pytest
from coursebook.course.frontmatter import MAX_VALUES, read_front_matter
from coursebook.course.validation import validate_lecture
from test_solutions_errors import LECTURE, notebook

FILE = "docs/lectures/02.md"
VALID_LECTURE = "---\ntitle: Theory\nlecture: 2\ndate: 2027-01-20\n{extra}---\n\n# Theory\n"


def front_matter_problems(text: str) -> list[str]:
    data, problems = read_front_matter(text, FILE)
    if problems:
        return [str(p) for p in problems]
    return [str(p) for p in validate_lecture(data, FILE)[1]]


def run_check(project) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coursebook", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def assert_no_traceback(log: str) -> None:
    assert "Traceback" not in log, log


# --- front matter -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("date: 2026-02-30\n", "date: 2026-02-30 is not a date (day is out of range for month)"),
        (
            "solutions: 2026-13-01\n",
            "solutions: 2026-13-01 is not a date (month must be in 1..12)",
        ),
    ],
)
def test_a_date_that_does_not_exist_names_file_and_field(extra, message):
    text = VALID_LECTURE.format(extra=extra).replace("date: 2027-01-20\n", "", "date" in extra)
    assert front_matter_problems(text) == [f"{FILE}: {message}"]


def test_a_date_that_does_not_exist_in_build_and_check(fixture_site):
    site = fixture_site()
    site.write(
        "docs/lectures/02.md",
        VALID_LECTURE.format(extra="").replace("2027-01-20", "2026-02-30"),
    )
    message = f"{FILE}: date: 2026-02-30 is not a date (day is out of range for month)"
    build = site.build(quiet=True)
    assert build.returncode == 1
    assert_no_traceback(build.log)
    assert f"  {message}" in build.log.splitlines(), build.log
    checked = run_check(site.root)
    assert checked.returncode == 1
    assert_no_traceback(checked.stderr)
    assert message in checked.stderr.splitlines(), checked.stderr


def test_a_recursive_alias_is_a_problem_for_check_too(fixture_site):
    site = fixture_site()
    site.write("docs/lectures/02.md", VALID_LECTURE.format(extra="tags: &t [*t]\n"))
    message = (
        f"{FILE}: front matter: recursive alias: the value at line 5, column 7 contains itself"
    )
    checked = run_check(site.root)
    assert checked.returncode == 1
    assert_no_traceback(checked.stderr)
    assert message in checked.stderr.splitlines(), checked.stderr
    build = site.build(quiet=True)
    assert build.returncode == 1
    assert_no_traceback(build.log)
    assert f"  {message}" in build.log.splitlines(), build.log


def alias_bomb(levels: int, width: int = 9) -> str:
    """The "billion laughs": each level a list of `width` aliases of the level before."""
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return "---\n" + "\n".join(lines) + "\n---\n"


def test_an_alias_bomb_is_refused_quickly():
    bomb = alias_bomb(9)  # 9**10 values once expanded, in about 500 bytes
    started = time.process_time()
    problems = front_matter_problems(bomb)
    # Expanded, it is minutes and gigabytes; refused, milliseconds (a generous bound).
    assert time.process_time() - started < 5
    assert problems == [
        f"{FILE}: front matter: the YAML expands to more than {MAX_VALUES:,} values through "
        "its aliases (the value at line 7, column 5); write the values out instead of "
        "repeating an alias of aliases"
    ]


def test_aliases_within_the_limit_are_read():
    data, problems = read_front_matter("---\na: &a {k: 1}\nb: {<<: *a, z: 2}\nc: [*a]\n---\n", FILE)
    assert problems == []
    assert data == {"a": {"k": 1}, "b": {"k": 1, "z": 2}, "c": [{"k": 1}]}


def test_broken_yaml_of_a_lecture_comes_before_its_notebooks_missing_date(fixture_site):
    site = fixture_site()
    lecture = LECTURE.format(solutions="solutions: 2027-01-27\n", body="")
    site.write("docs/lectures/01-shrinkage.md", lecture.replace("title: Shrinkage", "title: [x"))
    site.write("docs/notebooks/ex.ipynb", notebook("x = 42  # SOLUTION"))
    build = site.build(quiet=True)
    assert build.returncode == 1
    assert_no_traceback(build.log)
    lines = build.log.splitlines()
    yaml_problem = next(i for i, line in enumerate(lines) if "invalid YAML" in line)
    assert lines[yaml_problem].startswith(
        "ERROR   -  docs/lectures/01-shrinkage.md: front matter: invalid YAML at line 3"
    ), build.log
    assert lines[yaml_problem + 1].startswith(
        "docs/notebooks/ex.ipynb: cell 2: a solution, but no release date"
    ), build.log


# --- pages ----------------------------------------------------------------------------------

SECRET = "AUTHORIZATION: basic c2VjcmV0LXRva2Vu"


def snippet_site(fixture_site, snippets_options: str = ""):
    site = fixture_site()
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    site.write("mkdocs.yml", config + "  - pymdownx.snippets" + snippets_options + "\n")
    site.write(".git/config", f'[http "https://github.com/"]\n\textraheader = {SECRET}\n')
    site.write("snippets/shared.md", "Office hours: Tuesdays.\n")
    site.write("docs/parts/inside.md", "Written in docs.\n")
    return site


def test_snippets_read_the_docs_and_the_shared_folder_only(fixture_site):
    site = snippet_site(fixture_site)
    site.write("docs/page.md", '# Page\n\n--8<-- "shared.md"\n\n--8<-- "parts/inside.md"\n')
    build = site.build()
    assert build.returncode == 0, build.log
    text = build.html("page/index.html").find("article").get_text()
    assert "Office hours: Tuesdays." in text
    assert "Written in docs." in text

    site.write("docs/page.md", '# Page\n\n--8<-- ".git/config"\n')
    build = site.build()
    assert build.returncode == 1
    assert "Snippet at path '.git/config' could not be found" in build.log, build.log
    assert not any(SECRET in path.read_text("utf-8", "replace") for path in _files(build.site))


def test_an_appended_snippet_outside_the_snippets_folders_is_named(fixture_site):
    """pymdownx stops every page with a SnippetMissingError traceback for an auto_append file
    it cannot read; the build names the file and where snippets are read from."""
    site = snippet_site(fixture_site, ":\n      auto_append: [footer.md]")
    site.write("footer.md", "Written beside mkdocs.yml, outside docs/ and snippets/.\n")
    build = site.build()
    assert build.returncode == 1
    assert_no_traceback(build.log)
    looked = f"{site.root / 'docs'}, {site.root / 'snippets'}"
    assert (
        "ERROR   -  mkdocs.yml: markdown_extensions: pymdownx.snippets: auto_append: footer.md: "
        f"no such file in the snippets' base_path ({looked})"
    ) in build.log.splitlines(), build.log
    site.write("snippets/footer.md", "Office hours: Tuesdays.\n")
    build = site.build()
    assert build.returncode == 0, build.log


def _files(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


def test_a_snippets_base_path_of_the_whole_checkout_is_refused(fixture_site):
    site = snippet_site(fixture_site, ":\n      base_path: ['.']")
    site.write("docs/page.md", '# Page\n\n--8<-- ".git/config"\n')
    build = site.build()
    assert build.returncode == 1
    assert_no_traceback(build.log)
    assert (
        "ERROR   -  mkdocs.yml: markdown_extensions: pymdownx.snippets: base_path: '.' lets a page "
        "include any file of the checkout (.git/config can hold its credentials): name the "
        "folders snippets come from, e.g. [docs, snippets]"
    ) in build.log.splitlines(), build.log


def test_a_description_in_front_matter_is_text(fixture_site):
    site = fixture_site()
    site.write(
        "docs/page.md",
        '---\ndescription: \'"><script id="injected">alert(1)</script>\'\n---\n\n# Page\n',
    )
    build = site.build()
    assert build.returncode == 0, build.log
    page = build.html("page/index.html")
    assert page.find(id="injected") is None
    meta = page.find("meta", attrs={"name": "description"})
    assert meta["content"] == '"><script id="injected">alert(1)</script>'


# --- notebook outputs -----------------------------------------------------------------------


def best_time(function, argument, repeat: int = 20) -> float:
    """The fastest of `repeat` runs: the least disturbed by the other work of the machine."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(argument)
        times.append(time.perf_counter() - started)
    return min(times)


def test_unclosed_iframes_take_linear_time():
    from coursebook.notebooks.embeds import defer_iframes

    small, large = "<iframe>x" * 2_000, "<iframe>x" * 8_000  # 18 KiB and 70 KiB
    assert defer_iframes(large) == large  # nothing closed, nothing replaced
    # Four times the text: about four times the time (the regular expression took sixteen).
    ratio = best_time(defer_iframes, large) / best_time(defer_iframes, small)
    assert ratio < 8, ratio


def test_closed_iframes_are_still_deferred_among_unclosed_ones():
    from bs4 import BeautifulSoup
    from coursebook.notebooks.embeds import defer_iframes

    frame = '<iframe src="https://www.youtube.com/embed/abc" title="Talk"></iframe>'
    page = BeautifulSoup(defer_iframes(f"{frame}<p>after</p>" + "<iframe>x" * 3), "html.parser")
    links = [a["href"] for a in page.select(".cb-embed__address a")]
    assert links == ["https://www.youtube.com/watch?v=abc"]


# --- BibTeX ---------------------------------------------------------------------------------

BIB_LECTURE = """\
---
title: Theory
lecture: 2
date: 2027-01-20
papers:
  - cite: {key}
---

# Theory
"""


def test_an_ampersand_in_a_bibtex_field_is_shown(fixture_site):
    site = fixture_site()
    site.write(
        "references.bib",
        "@book{kant1781,\n  title = {Kritik der reinen Vernunft},\n  author = {Kant, Immanuel},"
        "\n  publisher = {C. {R}einwald & {C}ie},\n  year = {1781}\n}\n",
    )
    site.write("docs/lectures/02.md", BIB_LECTURE.format(key="kant1781"))
    build = site.build()
    assert build.returncode == 0, build.log
    reading = build.html("readings/index.html").select_one("li.cb-reading#kant1781")
    assert "C. Reinwald & Cie" in reading.get_text(" ", strip=True)


def test_a_bibtex_title_nested_too_deep_names_the_line_and_the_field(fixture_site):
    site = fixture_site()
    deep = "{" * 5000 + "Deep" + "}" * 5000
    site.write(
        "references.bib",
        "@misc{ok,\n  title = {Fine}, author = {A B}, year = 2020\n}\n\n"
        f"@article{{deep,\n  title = {{{deep}}},\n  author = {{A B}},\n  year = 2020\n}}\n",
    )
    site.write("docs/lectures/02.md", BIB_LECTURE.format(key="deep"))
    build = site.build(quiet=True)
    assert build.returncode == 1
    assert_no_traceback(build.log)
    message = "references.bib: line 5: deep: title: braces nested 5,000 deep (at most 100)"
    assert f"  {message}" in build.log.splitlines(), build.log
    checked = run_check(site.root)
    assert checked.returncode == 1
    assert message in checked.stderr.splitlines(), checked.stderr


# --- notebooks ------------------------------------------------------------------------------


def plain_notebook(cells: list[dict], **coursebook) -> dict:
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    if coursebook:
        metadata["coursebook"] = coursebook
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells}


def code_cell(source, **changes) -> dict:
    cell = {
        "cell_type": "code",
        "id": "c1",
        "metadata": {},
        "source": source,
        "outputs": [],
        "execution_count": None,
    }
    cell.update(changes)
    return {key: value for key, value in cell.items() if value is not REMOVE}


REMOVE = object()


@pytest.mark.parametrize(
    ("nb", "message"),
    [
        (
            plain_notebook([code_cell("print(1)", metadata=REMOVE)]),
            "nb/ex.ipynb: cell 1: NotebookFormatError: metadata: missing "
            "(every cell has one, {} when empty)",
        ),
        (
            plain_notebook([code_cell(5)]),
            "nb/ex.ipynb: cell 1: NotebookFormatError: source: expected text or a list of "
            "lines, got 5",
        ),
        (
            plain_notebook([code_cell("print(1)")], timeout="ten"),
            "nb/ex.ipynb: before any cell ran: MetadataError: metadata.coursebook.timeout: "
            "expected a whole number of seconds, such as 600, got 'ten'",
        ),
        (
            plain_notebook([code_cell("1 / 0")], allow_errors="no"),
            "nb/ex.ipynb: before any cell ran: MetadataError: metadata.coursebook.allow_errors: "
            "expected true or false, got 'no'",
        ),
        (
            plain_notebook([code_cell("print(1)")], depends="data.csv"),
            "nb/ex.ipynb: before any cell ran: MetadataError: metadata.coursebook.depends: "
            "expected a list of file names, such as [\"data.csv\"], got 'data.csv'",
        ),
    ],
    ids=["no-metadata", "source-5", "timeout-ten", "allow-errors-no", "depends-text"],
)
def test_a_malformed_notebook_names_the_notebook_and_the_cell_or_field(fixture_site, nb, message):
    site = fixture_site()
    site.write("docs/nb/data.csv", "a,b\n")
    site.write("docs/nb/ex.ipynb", json.dumps(nb))
    build = site.build(quiet=True)
    assert build.returncode == 1
    assert_no_traceback(build.log)
    assert f"ERROR   -  coursebook: {message}" in build.log.splitlines(), build.log


def test_an_unknown_kernel_names_the_notebook_the_kernel_and_what_to_do(fixture_site):
    from jupyter_client.kernelspec import KernelSpecManager

    site = fixture_site()
    nb = plain_notebook([code_cell("print(1)")])
    nb["metadata"]["kernelspec"] = {"name": "julia-0.3", "display_name": "Julia"}
    site.write("docs/nb/ex.ipynb", json.dumps(nb))
    build = site.build(quiet=True)
    assert build.returncode == 1
    assert_no_traceback(build.log)
    installed = ", ".join(sorted(KernelSpecManager().find_kernel_specs()))
    assert (
        "ERROR   -  coursebook: nb/ex.ipynb: before any cell ran: NoSuchKernel: no Jupyter "
        f"kernel named 'julia-0.3' is installed here (installed: {installed}): set "
        "`kernel_name:` under the coursebook plugin's `notebooks:` options in mkdocs.yml to run "
        "the notebooks with one of those, or install the kernel (for Python: `pip install "
        "ipykernel`, then `python -m ipykernel install --user --name julia-0.3`)"
    ) in build.log.splitlines(), build.log
    assert len(build.log.splitlines()) < 6, build.log


def test_a_notebook_linked_from_outside_the_repository_is_refused_before_it_runs(
    fixture_site, tmp_path
):
    site = fixture_site()
    outside = tmp_path / "elsewhere" / "ex.ipynb"
    outside.parent.mkdir()
    marker = tmp_path / "ran"
    outside.write_text(json.dumps(plain_notebook([code_cell(f"open({str(marker)!r}, 'w')")])))
    (site.root / "docs" / "nb").mkdir(parents=True)
    (site.root / "docs" / "nb" / "ex.ipynb").symlink_to(outside)
    message = (
        f"docs/nb/ex.ipynb: a link to {outside}, outside the repository {site.root}: "
        "a notebook must be a file of the course (copy it in instead of linking it)"
    )
    build = site.build(quiet=True)
    assert build.returncode == 1
    assert_no_traceback(build.log)
    assert f"ERROR   -  {message}" in build.log.splitlines(), build.log
    executed = subprocess.run(
        [sys.executable, "-m", "coursebook", "execute"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert executed.returncode == 1
    assert message in executed.stderr.splitlines(), executed.stderr
    assert not marker.exists()


def test_notebooks_mkdocs_does_not_publish_are_not_run_or_checked(fixture_site):
    site = fixture_site()
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    site.write("mkdocs.yml", config + "exclude_docs: |\n  drafts/\n")
    # Would fail the build if run (1 / 0) or solution-checked (no release date).
    failing = json.dumps(plain_notebook([code_cell("x = 1 / 0  # SOLUTION")]))
    site.write("docs/nb/.ipynb_checkpoints/ex-checkpoint.ipynb", failing)
    site.write("docs/drafts/ex.ipynb", failing)
    site.write("docs/nb/ok.ipynb", json.dumps(plain_notebook([code_cell("print(1)")])))
    build = site.build()
    assert build.returncode == 0, build.log
    assert "notebooks: 1 executed, 0 from cache" in build.log, build.log
    assert not (build.site / "drafts").exists()


# --- damaged caches -------------------------------------------------------------------------

CACHED_LECTURE = """\
---
title: Theory
lecture: 2
date: 2027-01-20
papers:
  - cite: kant1781
notebooks: [nb/ex.ipynb]
---

# Theory
"""
KANT = "@book{kant1781,\n  title = {Kritik},\n  author = {Kant, Immanuel},\n  year = {1781}\n}\n"


def cached_site(fixture_site):
    site = fixture_site()
    site.write("references.bib", KANT)
    site.write("docs/lectures/02.md", CACHED_LECTURE)
    cells = [code_cell("print(1)"), code_cell("print(2)", id="c2")]
    site.write("docs/nb/ex.ipynb", json.dumps(plain_notebook(cells)))
    # Twice: the notebook's page made from its cached outputs is the one warm builds read.
    for _ in range(2):
        first = site.build(strict=False)
        assert first.returncode == 0, first.log
    return site


def warnings_of(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("WARNING")]


def cache_notes(log: str) -> list[str]:
    return [line for line in log.splitlines() if ": damaged " in line]


def assert_rebuilt(site, expected_notes: list[str]) -> None:
    """The next build makes again what was damaged, saying so once per file; the one after
    says nothing (the entries were written again). Both are strict builds that pass: a cache
    restored damaged by CI must not fail every deploy until its key changes."""
    again = site.build()
    assert again.returncode == 0, again.log
    assert_no_traceback(again.log)
    assert sorted(cache_notes(again.log)) == sorted(expected_notes), again.log
    page = again.html("nb/ex/index.html")
    assert [pre.get_text().strip() for pre in page.select("pre.nb-stream")] == ["1", "2"]
    quiet = site.build()
    assert cache_notes(quiet.log) == [], quiet.log


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda entry: entry["outputs"].__setitem__(1, 5),
            "outputs[1]: expected a list of outputs",
        ),
        (
            lambda entry: entry.__setitem__("execution_counts", 5),
            "execution_counts: expected a list of 2 numbers",
        ),
    ],
    ids=["outputs-1-is-5", "execution-counts-5"],
)
def test_a_damaged_execution_cache_entry_is_executed_again(fixture_site, change, reason):
    site = cached_site(fixture_site)
    [path] = (site.root / ".cache/coursebook/notebooks").glob("*.json")
    entry = json.loads(path.read_text())
    change(entry)
    path.write_text(json.dumps(entry))
    assert_rebuilt(
        site,
        [
            f"INFO    -  coursebook: {path}: damaged execution cache entry, executing again "
            f"({reason})"
        ],
    )


@pytest.mark.parametrize(
    ("damaged", "reason"),
    [
        (pickle.dumps(42), "holds a int"),
        (b"\x80\x09" + pickle.dumps(42)[2:], "ValueError: unsupported pickle protocol: 9"),
        (
            b"\x80\x04X\x02\x00\x00\x00\xff\xfe.",
            "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: "
            "invalid start byte",
        ),
    ],
    ids=["pickle-of-42", "unknown-protocol", "bad-utf-8"],
)
def test_damaged_snapshots_are_made_again(fixture_site, damaged, reason):
    site = cached_site(fixture_site)
    cache = site.root / ".cache/coursebook"
    # The snapshot of the course, and each notebook's page: read by every warm build.
    paths = [*(cache / "snapshots").glob("*.pickle"), *(cache / "notebook-pages").glob("*")]
    assert len(paths) == 2
    for path in paths:
        path.write_bytes(damaged)
    assert_rebuilt(
        site,
        [
            f"INFO    -  coursebook: {path}: damaged cache entry, made again ({reason})"
            for path in paths
        ],
    )


def test_a_damaged_references_cache_is_parsed_again(fixture_site):
    site = cached_site(fixture_site)
    [path] = (site.root / ".cache/coursebook/references").glob("*.json")
    path.write_text("{}")
    # The course is made from the references only when its snapshot is not there.
    for snapshot in (site.root / ".cache/coursebook/snapshots").rglob("*.pickle"):
        snapshot.unlink()
    assert_rebuilt(
        site,
        [
            f"INFO    -  coursebook: {path}: damaged cache of references.bib, parsed again "
            "(KeyError: 'entries')"
        ],
    )


def test_a_huge_output_is_cut_with_a_note_linking_to_the_whole_notebook(fixture_site):
    site = fixture_site(plugin_options="notebooks:\n  max_output_chars: 1000\n")
    cells = [
        code_cell("for i in range(100_000):\n    print(f'line {i}')"),
        code_cell("print('small')", id="c2"),
    ]
    site.write("docs/nb/ex.ipynb", json.dumps(plain_notebook(cells)))
    build = site.build(strict=False)
    assert build.returncode == 0, build.log
    lines = [f"line {i}\n" for i in range(100_000)]
    total = sum(map(len, lines))
    kept = next(n for n in range(len(lines)) if sum(map(len, lines[: n + 1])) > 1000)
    shown = sum(map(len, lines[:kept]))
    assert warnings_of(build.log) == [
        f"WARNING -  coursebook: docs/nb/ex.ipynb: cell 1: output of {total:,} characters cut "
        f"to {shown:,} on its page (the limit is notebooks: max_output_chars: 1000 in "
        "mkdocs.yml); the page links to the notebook for all of it"
    ], build.log
    page = build.html("nb/ex/index.html")
    streams = [pre.get_text() for pre in page.select("pre.nb-stream")]
    assert streams == ["".join(lines[:kept]), "small\n"]
    note = page.select_one(".cb-output-truncated")
    assert note.get_text(" ", strip=True) == (
        f"Output cut: the first {shown:,} of {total:,} characters are shown. "
        "The notebook has all of it: show all ."
    )
    link = note.select_one("a.cb-output-truncated__all")
    assert (build.site / "nb" / "ex" / link["href"]).resolve() == (
        build.site / "nb" / "ex.ipynb"
    ).resolve()
    whole = json.loads((build.site / "nb" / "ex.ipynb").read_text())
    assert whole["cells"][0]["outputs"] == []  # the source as written
    # The search index holds the page as cut.
    index = (build.site / "search" / "search_index.json").read_text()
    assert len(index) < 50_000
    assert site.build().returncode == 1  # a strict build fails on the warning


def test_outputs_past_the_limit_are_dropped_whole_unless_they_are_streams():
    from coursebook.notebooks.output_limit import cap_outputs

    table = {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<td>" * 50}}
    small = {"output_type": "stream", "name": "stdout", "text": "ok\n"}
    nb = plain_notebook([code_cell("x", outputs=[small, table, small])])
    capped, warnings = cap_outputs(nb, 100, "../ex.ipynb", "docs/ex.ipynb")
    outputs = capped["cells"][0]["outputs"]
    assert outputs[0] == small
    assert "cb-output-truncated" in outputs[1]["data"]["text/html"]
    assert len(outputs) == 2
    assert warnings == [
        "docs/ex.ipynb: cell 1: output of 206 characters cut to 3 on its page (the limit is "
        "notebooks: max_output_chars: 100 in mkdocs.yml); the page links to the notebook for "
        "all of it"
    ]
    assert nb["cells"][0]["outputs"] == [small, table, small]  # the notebook is left alone
    assert cap_outputs(nb, 0, "../ex.ipynb", "docs/ex.ipynb") == (nb, [])


# --- Ctrl-C ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "last_line"),
    [(["mkdocs", "build"], "Aborted!"), (["coursebook", "execute"], "interrupted")],
)
def test_ctrl_c_stops_the_kernels_and_exits_at_once(fixture_site, tmp_path, command, last_line):
    import os
    import signal

    site = fixture_site(plugin_options="notebooks:\n  jobs: 2\n")
    pids = tmp_path / "pids"
    pids.mkdir()
    for number in range(3):  # two run at once; the third must never start
        source = (
            f"import os, time\nopen({str(pids / str(number))!r}, 'w').write(str(os.getpid()))\n"
            "time.sleep(120)"
        )
        site.write(f"docs/nb/n{number}.ipynb", json.dumps(plain_notebook([code_cell(source)])))
    running = subprocess.Popen(
        [sys.executable, "-m", *command],
        cwd=site.root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(list(pids.iterdir())) == 2
        interrupted = time.monotonic()
        running.send_signal(signal.SIGINT)
        log, _ = running.communicate(timeout=60)
        # The notebooks sleep two minutes: waiting for them would take that long.
        assert time.monotonic() - interrupted < 30, log
    finally:
        running.kill()
    assert running.returncode != 0
    assert_no_traceback(log)
    assert log.splitlines()[-1] == last_line, log
    assert sorted(path.name for path in pids.iterdir()) == ["0", "1"]
    for path in pids.iterdir():
        with pytest.raises(ProcessLookupError):
            os.kill(int(path.read_text()), 0)
