"""Notebook stage: rendering units, and real builds of fixture sites with failing notebooks."""

from __future__ import annotations

import base64
from urllib.parse import unquote

import nbformat
import pytest
from coursebook.notebooks.fragments import FRAGMENT_PATTERN
from coursebook.notebooks.pages import colab_url, page_uri_for
from coursebook.notebooks.to_markdown import notebook_to_markdown

PNG_1PX = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
    )
).decode()


def notebook(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    nb.cells = list(cells)
    return nb


def code(source: str, outputs=(), tags=()) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def page_text(rendered) -> str:
    """The page's Markdown with its fragments put back, as the plugin does after rendering."""
    return FRAGMENT_PATTERN.sub(lambda m: rendered.fragments[int(m[1])], rendered.markdown)


def test_headings_stay_markdown_cells_become_html_and_code_is_fenced():
    nb = notebook(
        nbformat.v4.new_markdown_cell("# Title\n\nSome $x^2$ math."),
        code("print('hi')"),
    )
    rendered = notebook_to_markdown(nb, image_prefix="nb_files/")
    assert rendered.title == "Title"
    assert rendered.markdown.startswith("# Title { #Title }\n")
    assert r'<p>Some <span class="arithmatex">\(x^2\)</span> math.</p>' in page_text(rendered)
    assert "```{ .python .nb-input }\nprint('hi')\n```" in rendered.markdown


def test_text_outputs_are_escaped_and_ansi_stripped():
    nb = notebook(
        code(
            "x",
            outputs=[
                {"output_type": "stream", "name": "stdout", "text": "<script>alert(1)</script>"},
                {
                    "output_type": "error",
                    "ename": "ValueError",
                    "evalue": "bad",
                    "traceback": ["\x1b[31mValueError\x1b[0m: bad <b>"],
                },
            ],
        )
    )
    markdown = page_text(notebook_to_markdown(nb, image_prefix=""))
    assert "<script>" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    # Colours as Jupyter shows them, text escaped.
    assert (
        '<pre class="nb-output nb-error"><span class="ansi-red-fg">ValueError</span>: bad &lt;b&gt;'
        "</pre>"
    ) in markdown


def test_images_become_files_beside_the_page_with_quoted_links():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    nb = notebook(
        code(
            "plot()",
            outputs=[
                {"output_type": "display_data", "data": {"image/png": PNG_1PX}, "metadata": {}},
                {"output_type": "display_data", "data": {"image/svg+xml": svg}, "metadata": {}},
            ],
        )
    )
    rendered = notebook_to_markdown(nb, image_prefix="my notebook_files/")
    assert set(rendered.images) == {
        "my notebook_files/cell-1-output-1.png",
        "my notebook_files/cell-1-output-2.svg",
    }
    assert rendered.images["my notebook_files/cell-1-output-1.png"].startswith(b"\x89PNG")
    # Marked for the page to resolve against the site's files (notebooks/links.py).
    assert 'src="cb-nb:1:my%20notebook_files/cell-1-output-1.png"' in page_text(rendered)
    # The SVG is only ever shown through <img>, where its script cannot run.
    assert "<script>" not in page_text(rendered)


def test_widgets_render_as_a_note_not_as_script():
    nb = notebook(
        code(
            "slider",
            outputs=[
                {
                    "output_type": "display_data",
                    "data": {
                        "application/vnd.jupyter.widget-view+json": {"model_id": "abc"},
                        "text/plain": "IntSlider(value=3)",
                    },
                    "metadata": {},
                }
            ],
        )
    )
    markdown = page_text(notebook_to_markdown(nb, image_prefix=""))
    assert "IntSlider(value=3): run the notebook to interact with it." in markdown


@pytest.mark.parametrize(
    ("tag", "has_input", "has_output"),
    [
        ("remove-input", False, True),
        ("remove-output", True, False),
        ("remove-cell", False, False),
        ("other", True, True),
    ],
)
def test_jupyter_book_removal_tags(tag, has_input, has_output):
    cell = code(
        "secret_input()",
        outputs=[{"output_type": "stream", "name": "stdout", "text": "visible output"}],
        tags=[tag],
    )
    markdown = page_text(notebook_to_markdown(notebook(cell), image_prefix=""))
    assert ("secret_input()" in markdown) is has_input
    assert ("visible output" in markdown) is has_output


def test_page_uri_and_colab_url():
    assert page_uri_for("notebooks/Lecture 2 – ü.ipynb") == "notebooks/Lecture 2 – ü.md"
    assert colab_url("https://github.com/o/r", "main", "docs/a b.ipynb") == (
        "https://colab.research.google.com/github/o/r/blob/main/docs/a%20b.ipynb"
    )
    assert colab_url("https://github.com/o/r.git/", "dev", "x.ipynb").endswith(
        "/o/r/blob/dev/x.ipynb"
    )
    assert colab_url("https://gitlab.com/o/r", "main", "x.ipynb") is None
    assert colab_url(None, "main", "x.ipynb") is None


def write_notebook(site, path: str, *cells) -> None:
    nb = notebook(nbformat.v4.new_markdown_cell(f"# {path}"), *cells)
    site.write(path, nbformat.writes(nb))


def test_a_raising_cell_fails_the_build_naming_notebook_cell_and_error(fixture_site):
    site = fixture_site()
    write_notebook(site, "docs/good.ipynb", code("print(1 + 1)"))
    write_notebook(site, "docs/bad one.ipynb", code("x = 1"), code("raise ValueError('no data')"))
    write_notebook(site, "docs/worse.ipynb", code("import missing_module_xyz"))
    build = site.build()
    assert build.returncode == 1
    assert "bad one.ipynb: cell 3: ValueError: no data" in build.log
    assert "worse.ipynb: cell 2: ModuleNotFoundError: No module named 'missing_module_xyz'" in (
        build.log
    )
    assert "raise ValueError('no data')" in build.log  # the traceback's tail
    assert "2 notebook(s) failed: bad one.ipynb, worse.ipynb" in build.log


def test_a_cell_tagged_raises_exception_may_raise(fixture_site):
    site = fixture_site()
    write_notebook(
        site,
        "docs/demo.ipynb",
        code("raise KeyError('expected')", tags=["raises-exception"]),
        code("print('after the error')"),
    )
    build = site.build()
    assert build.returncode == 0, build.log
    article = build.html("demo/index.html").select_one("article")
    assert "KeyError" in article.select_one("pre.nb-error").get_text()
    # The next cell ran: its output, not only its source, is on the page.
    assert [p.get_text() for p in article.select("pre.nb-stream")] == ["after the error\n"]


def test_the_timeout_is_per_cell_not_per_notebook(fixture_site):
    """Three cells of 1.2 s each fit a 3 s timeout although together they take longer; the
    fourth, which hangs, fails the build on it."""
    site = fixture_site("notebooks:\n  timeout: 3\n")
    slow = [code("import time; time.sleep(1.2)") for _ in range(3)]
    write_notebook(site, "docs/slow.ipynb", *slow)
    write_notebook(site, "docs/hang.ipynb", *slow, code("while True:\n    pass"))
    build = site.build()
    assert build.returncode == 1
    assert "hang.ipynb: cell 5: TimeoutError: cell did not finish within 3 s" in build.log
    assert "1 notebook(s) failed: hang.ipynb" in build.log


def test_render_only_shows_stored_outputs_without_executing(fixture_site):
    site = fixture_site("notebooks:\n  execute: false\n")
    stored = {"output_type": "stream", "name": "stdout", "text": "computed on a GPU last week"}
    write_notebook(
        site,
        "docs/gpu ü.ipynb",
        code("raise SystemExit('must not run')", outputs=[stored]),
        code(
            "fig",
            outputs=[
                {"output_type": "display_data", "data": {"image/png": PNG_1PX}, "metadata": {}}
            ],
        ),
    )
    build = site.build()
    assert build.returncode == 0, build.log
    page = build.html("gpu ü/index.html")
    assert "computed on a GPU last week" in page.select_one("pre.nb-output").get_text()
    image = page.select_one("img.nb-figure")["src"]
    assert image == "../gpu%20%C3%BC_files/cell-3-output-1.png"
    assert (build.site / "gpu ü" / unquote(image)).resolve().read_bytes().startswith(b"\x89PNG")
