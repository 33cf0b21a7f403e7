"""The leak guard's parts on their own: the canonical text of each published format, which
lines of a solution are looked for, the search, what the stripping removed, the record."""

from __future__ import annotations

import html
import json
from pathlib import Path

import markdown
from coursebook.course.withheld import WithheldText
from coursebook.guard.build import check_printed, load_record
from coursebook.guard.published import published_text
from coursebook.guard.removed import removed_from_notebook, removed_from_page
from coursebook.guard.scan import MIN_NEEDLE, Secrets, describe, find_leaks, needles_of
from coursebook.guard.text import canonical, html_text
from hypothesis import given, settings
from hypothesis import strategies as st

SOLUTION = """\
def weight_norm(model):
    total = 0.0
    for layer in model.layers:
        total += (layer.weight ** 2).sum()
    return float(np.sqrt(total))
"""
WITHHELD = WithheldText("docs/notebooks/shrink.ipynb: cell 4, line 2", SOLUTION)


def secrets_of(*texts: str, public: tuple[str, ...] = ()) -> Secrets:
    return Secrets.from_withheld(
        [WithheldText(f"source {n}", text) for n, text in enumerate(texts, 1)], public
    )


def highlighted(code: str) -> str:
    """Code as the site renders it: pymdownx.highlight, Pygments' spans around every token."""
    return markdown.markdown(
        f"```python\n{code}\n```", extensions=["pymdownx.highlight", "pymdownx.superfences"]
    )


def text_of(path: Path) -> str:
    return published_text(path, path.read_bytes())


# --- one form for every format ------------------------------------------------------------


def test_highlighted_code_is_found_through_pygments_spans():
    page = highlighted(SOLUTION)
    assert '<span class="n">layer</span>' in page  # really cut into tokens
    found = secrets_of(SOLUTION).find(canonical(html_text(page)))
    assert {needle.text for needle in found} >= {canonical("return float(np.sqrt(total))")}


def test_escaped_html_is_read_as_its_text():
    code = "mask = (scores < threshold) & (labels > 0)\nreturn scores[mask].mean()"
    page = f"<pre><code>{html.escape(code)}</code></pre>"
    assert "&lt;" in page
    assert "&amp;" in page
    found = secrets_of(code).find(canonical(html_text(page)))
    assert canonical("mask = (scores < threshold) & (labels > 0)") in {n.text for n in found}


def test_an_html_comment_and_a_script_are_read_too(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(f"<p>x</p><!-- {SOLUTION} --><script>var s = `{SOLUTION}`;</script>")
    assert len(secrets_of(SOLUTION).find(text_of(page))) >= 4


def test_the_search_index_is_read_through_json_and_html_escaping(tmp_path):
    index = tmp_path / "search_index.json"
    entry = {"location": "lectures/01/#ex", "title": "Exercise", "text": highlighted(SOLUTION)}
    index.write_text(json.dumps({"config": {}, "docs": [entry]}))
    assert "\\n" in index.read_text()
    assert "\\u" not in index.read_text()
    assert secrets_of(SOLUTION).find(text_of(index))


def test_a_notebook_keeps_lines_in_lists_and_code_with_a_less_than(tmp_path):
    code = "if loss < best_loss_so_far:\n    best_loss_so_far = loss\n"
    nb = {"cells": [{"cell_type": "code", "source": code.splitlines(keepends=True)}]}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=True))
    assert secrets_of(code).find(text_of(path))


def test_pdf_text_of_a_page_printed_by_chromium(browser, tmp_path):
    """Chromium's PDF of highlighted code, read back with pypdf: spaces, ligatures, tags."""
    page = browser.new_page()
    try:
        page.set_content(
            f"<style>p{{font-family:serif}}</style><h1>Office figures</h1>"
            f"{highlighted(SOLUTION)}<p>The fine affine flow.</p>"
        )
        page.pdf(path=str(tmp_path / "x.pdf"))
    finally:
        page.close()
    text = text_of(tmp_path / "x.pdf")
    found = secrets_of(SOLUTION, "The fine affine flow.").find(text)
    assert {needle.text for needle in found} >= {
        canonical("for layer in model.layers:"),
        canonical("The fine affine flow."),
    }


def test_binary_files_publish_no_text(tmp_path):
    path = tmp_path / "figure.dat"
    path.write_bytes(b"\x89PNG\x00\x00" + SOLUTION.encode())
    assert published_text(path, path.read_bytes()) is None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.from_regex(
            r"[a-z_][a-z0-9_]{2,10}( (=|\+=|<|>=|\*\*) [a-z0-9_.()\[\]<>&\"']{3,20})?",
            fullmatch=True,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_code_highlighted_is_found(lines):
    """Every line long enough to be looked for alone is found as written (a line like
    `a = <b>` also gives a needle as Markdown would render it, which code never is)."""
    code = "\n".join(lines)
    secrets = secrets_of(code)
    found = {needle.text for needle in secrets.find(canonical(html_text(highlighted(code))))}
    assert found or not secrets
    assert {canonical(line) for line in lines if len(canonical(line)) >= MIN_NEEDLE} <= found


# --- which lines are looked for -----------------------------------------------------------


def test_blank_lines_brackets_keywords_fences_and_markers_are_not_looked_for():
    text = "```python\n### BEGIN SOLUTION\n}\n  pass\n\n)]\nreturn\n### END SOLUTION\n```\n"
    assert needles_of(WithheldText("s", text)) == []


def test_lines_too_short_even_together_are_not_looked_for():
    """`x42yx2` would be found in any page of numbers."""
    assert needles_of(WithheldText("s", "x = 42\ny = x * 2\n")) == []
    assert needles_of(WithheldText("s", "w = w - lr\nreturn w\n")) == []  # "wwlrw"


def test_a_short_solution_spread_over_lines_is_found():
    secrets = secrets_of("alpha = 0.01\nbeta = 0.9\n")
    assert [n.text for n in secrets.needles] == ["alpha001beta09"]
    assert secrets.find(canonical(html_text(highlighted("alpha = 0.01\nbeta = 0.9"))))
    assert not secrets.find(canonical("alpha = 0.01\ngamma = 0.9"))


def test_markdown_is_looked_for_as_written_and_as_rendered():
    text = "See [the paper](https://arxiv.org/abs/1611.03530), **Zhang et al.**, for why.\n"
    secrets = secrets_of(text)
    rendered = markdown.markdown(text)
    assert "https" not in html_text(rendered)
    assert secrets.find(canonical(html_text(rendered)))  # the page
    assert secrets.find(canonical(text))  # a raw .md copied into the site


def test_text_the_course_publishes_anyway_is_not_a_secret():
    """The exercise repeats the solution's signature; an earlier, released solution the
    training loop: only the rest of the solution is looked for."""
    exercise = "def weight_norm(model):\n    raise NotImplementedError\n"
    loop = "for layer in model.layers:\n"
    secrets = secrets_of(SOLUTION, public=(exercise, loop))
    texts = {needle.text for needle in secrets.needles}
    assert canonical("def weight_norm(model):") not in texts
    assert canonical(loop) not in texts
    assert canonical("total += (layer.weight ** 2).sum()") in texts
    assert not secrets.find(canonical(exercise + loop))


def test_other_text_is_not_a_leak():
    secrets = secrets_of(SOLUTION)
    other = "def weight_sum(model):\n    total = 1.0\n    return float(total)\n"
    assert secrets.find(canonical(other)) == []


def test_nothing_withheld_reads_nothing(tmp_path):
    (tmp_path / "index.html").write_text(SOLUTION)
    assert find_leaks(tmp_path, Secrets([])) == []


# --- what the stripping removed -----------------------------------------------------------


def test_removed_from_a_page_is_named_by_the_line_of_its_file():
    body = "# Title\n\nIntro.\n\n!!! solution\n    The norm is 42 times the weight.\n\nEnd.\n"
    stripped = '# Title\n\nIntro.\n\n!!! note "Solution"\n    Released later.\n\nEnd.\n'
    file_text = "---\ntitle: x\nlecture: 1\n---\n\n" + body
    (withheld,) = removed_from_page(body, stripped, "docs/lectures/01.md", file_text)
    assert withheld == WithheldText(
        "docs/lectures/01.md: line 10",
        "!!! solution\n    The norm is 42 times the weight.\n",
    )


def test_removed_from_a_notebook_by_cell_and_line_even_when_cells_are_dropped():
    def nb(*sources):
        return {"cells": [{"cell_type": "code", "source": s} for s in sources]}

    before = nb(
        "import numpy as np",
        "def f(x):\n    # BEGIN SOLUTION\n    return x ** 2\n    # END SOLUTION",
        "# to_remove solution\nprint(f(3))",
        "f(4)",
    )
    after = nb(
        "import numpy as np",
        "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
        "f(4)",
    )
    assert removed_from_notebook(before, after, "docs/nb.ipynb") == [
        WithheldText(
            "docs/nb.ipynb: cell 2, line 2",
            "    # BEGIN SOLUTION\n    return x ** 2\n    # END SOLUTION",
        ),
        WithheldText("docs/nb.ipynb: cell 3, line 1", "# to_remove solution\nprint(f(3))"),
    ]


# --- the record and the message -----------------------------------------------------------


def test_the_record_is_kept_outside_the_site_and_read_for_that_site_only(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    (site / "page.html").write_text(f"<pre>{html.escape(SOLUTION)}</pre>")
    secrets = Secrets.from_withheld([WITHHELD])
    from coursebook.guard.scan import record_path

    secrets.save(record_path(cache, site), site)
    assert not list(site.rglob("*.json"))
    loaded = load_record(site, cache)
    assert loaded.needles == secrets.needles
    assert load_record(tmp_path / "other-site", cache) is None
    leaks = check_printed(site, [site / "page.html"], loaded, cache)
    assert describe(leaks, site) == (
        f"coursebook: leak guard: 1 published file(s) in {site} hold the text of a "
        "solution not yet released:\n"
        "  page.html: from docs/notebooks/shrink.ipynb: cell 4, line 2\n"
        "  Nothing was removed: find how the text reached these files (an include, a plugin, "
        "an output quoting the solution) and keep it out, or release the solution."
    )
    assert "weight" not in describe(leaks, site)  # never the solution's text: logs are public


def test_an_unreadable_pdf_is_a_leak_not_a_pass(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.7\nnot really a pdf")
    (leak,) = find_leaks(tmp_path, Secrets.from_withheld([WITHHELD]))
    assert leak.file == "notes.pdf"
    assert leak.sources[0].startswith("(its text cannot be read to check it")


def test_a_file_found_clean_is_not_read_again_until_its_bytes_or_the_needles_change(
    tmp_path, monkeypatch
):
    import coursebook.guard.scan as scan

    site, record = tmp_path / "site", tmp_path / "clean.json"
    site.mkdir()
    page = site / "index.html"
    page.write_text("<p>Nothing to see.</p>")
    secrets = Secrets.from_withheld([WITHHELD])
    assert find_leaks(site, secrets, clean_cache=record) == []
    read = []
    real = scan.published_text
    monkeypatch.setattr(scan, "published_text", lambda *a: read.append(a[0]) or real(*a))
    assert find_leaks(site, secrets, clean_cache=record) == []
    assert read == []  # same bytes, same needles
    other = Secrets.from_withheld([WithheldText("elsewhere", "completely_different = True")])
    assert find_leaks(site, other, clean_cache=record) == []
    assert read == [page]
    page.write_text(f"<pre>{html.escape(SOLUTION)}</pre>")
    assert [leak.file for leak in find_leaks(site, secrets, clean_cache=record)] == ["index.html"]


def test_a_theme_file_copied_unchanged_is_skipped_but_a_changed_one_is_read(tmp_path):
    """The theme's own files (contrived here to hold the text) are not the course's; the same
    path with other bytes (a plugin rewrote it) is read like any file."""
    theme, site = tmp_path / "theme", tmp_path / "site"
    for folder in (theme, site):
        (folder / "assets").mkdir(parents=True)
        (folder / "assets/app.js").write_text(f"/* {SOLUTION} */")
    secrets = Secrets.from_withheld([WITHHELD])
    assert find_leaks(site, secrets, theme=[theme]) == []
    assert [leak.file for leak in find_leaks(site, secrets)] == ["assets/app.js"]
    (site / "assets/app.js").write_text(f"/* {SOLUTION} */ ")
    assert [leak.file for leak in find_leaks(site, secrets, theme=[theme])] == ["assets/app.js"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_the_fast_paths_give_the_canonical_form_of_any_text(text):
    """ASCII and UTF-8 bytes take shortcuts; the form is still NFKC, case folded, letters and
    digits (and the JSON strings' separator) only."""
    import re
    import unicodedata

    reference = re.sub(r"[^\w\x00]+|_+", "", unicodedata.normalize("NFKC", text).casefold())
    assert canonical(text) == reference


def test_a_build_forgets_the_records_of_sites_that_are_gone(tmp_path):
    """`mkdocs serve` builds into a new temporary folder each time it starts."""
    from coursebook.guard.build import LeakGuard
    from coursebook.guard.scan import record_path

    cache = tmp_path / "cache"
    served, built = tmp_path / "mkdocs_serve_1", tmp_path / "site"
    for site in (served, built):
        site.mkdir()
        guard = LeakGuard(cache)
        guard.page("!!! solution\n    " + SOLUTION.replace("\n", "\n    "), "", "docs/x.md")
        assert guard.check(site) == []
    assert record_path(cache, served).exists()
    served.rmdir()
    guard = LeakGuard(cache)
    guard.page("Other text.\n" + SOLUTION, "Other text.\n", "docs/x.md")
    assert guard.check(built) == []
    assert not record_path(cache, served).exists()
    assert load_record(built, cache).needles


def test_a_message_names_at_most_thirty_files(tmp_path):
    from coursebook.guard.scan import Leak

    leaks = [Leak(f"page-{n:02d}.html", ("docs/x.md: line 3",)) for n in range(32)]
    lines = describe(leaks, tmp_path).splitlines()
    assert lines[30] == "  page-29.html: from docs/x.md: line 3"
    assert lines[31] == "  and 2 more file(s)"
    assert lines[0].startswith("coursebook: leak guard: 32 published file(s)")
