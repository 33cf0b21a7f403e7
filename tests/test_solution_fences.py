"""Fences as each renderer sees them: a `??? solution` after a fence-like line is stripped
exactly when the renderer (pymdownx.superfences for pages, markdown-it for notebook cells)
shows it as a solution, and left alone exactly when it shows it as code."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup
from coursebook.course.fences import commonmark_code_lines, split_lines, superfences_code_lines
from coursebook.course.solutions import strip_admonitions
from coursebook.course.withheld import WithheldText
from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin

SOLUTION = "??? solution\n    SECRET\n"

# Documents where a fence-like line comes before a solution. Each is checked against the real
# renderer, so a case's expectation is never written by hand.
CASES = {
    "four backticks showing three": "````\n```\n````\n\n" + SOLUTION,
    "four backticks, shown three, solution inside": "````md\n```\n" + SOLUTION + "````\n",
    "inline code with triple backticks": "```x``` is inline code.\n\n" + SOLUTION,
    "inline code, then a real fence": "```x``` is code.\n\n```\n" + SOLUTION + "```\n",
    "inline code with spaces": "``` x ``` too.\n\n" + SOLUTION + "\n```\n",
    "header with a word after the language": "``` is code\n" + SOLUTION + "```\n",
    "fence never closed": "```python\nprint(1)\n\n" + SOLUTION,
    "closed by a longer run": "```\n" + SOLUTION + "````\n\nText.\n\n```\n",
    "a longer run, then the solution": "```\nx\n````\n\n" + SOLUTION + "\n```\n",
    "tildes closed by backticks": "~~~\n" + SOLUTION + "```\n\n~~~\n",
    "backticks closed by tildes": "```\n" + SOLUTION + "~~~\n",
    "closing indented further": "```\n" + SOLUTION + "  ```\n\n```\n",
    "closing not indented as the opening": "  ```\n  x\n```\n\n" + SOLUTION + "\n  ```\n",
    "content less indented than the opening": "  ```\nx\n" + SOLUTION + "  ```\n",
    "fence with options": '```python title="a.py" hl_lines="1"\n' + SOLUTION + "```\n",
    "fence with an unknown option": '```python foo="bar"\n' + SOLUTION + "```\n",
    "fence with attributes": "``` { .python }\n" + SOLUTION + "```\n",
    "plain fence": "```\n" + SOLUTION + "```\n",
    "tilde fence": "~~~~\n~~~\n" + SOLUTION + "~~~~\n",
    "indented fence inside a note": "!!! note\n    ```\n    "
    + SOLUTION.replace("\n    ", "\n        ")
    + "    ```\n",
    "fence in a quote, closed outside": "> ```\n> x\n```\n\n" + SOLUTION + "\n```\n",
    "fence indented four spaces": "Text\n\n    ```\n\n" + SOLUTION + "\n```\n",
}


def _secret_is_live(html: str) -> bool:
    """Is SECRET in a solution block (and not only in code)?"""
    soup = BeautifulSoup(html, "html.parser")
    for code in soup.find_all(["code", "pre"]):
        code.decompose()
    for block in soup.select(".solution"):
        if "SECRET" in block.get_text():
            return True
    return "SECRET" in soup.get_text()


def _superfences_html(text: str) -> str:
    return markdown.markdown(
        text, extensions=["admonition", "pymdownx.details", "pymdownx.superfences"]
    )


def _commonmark_html(text: str) -> str:
    return MarkdownIt("commonmark").use(admon_plugin).render(text)


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize(
    ("renderer", "render"),
    [("superfences", _superfences_html), ("commonmark", _commonmark_html)],
)
def test_a_solution_is_stripped_exactly_when_the_renderer_shows_it(text, renderer, render):
    live = _secret_is_live(render(text))
    stripped, count = strip_admonitions(text, None, renderer=renderer)
    assert ("SECRET" not in stripped) == live
    assert count == (1 if live else 0)
    # What is stripped is never shown by the renderer, and what is kept is code.
    assert not _secret_is_live(render(stripped))


def test_the_cases_tell_the_renderers_apart():
    """The cases are not all agreed on: some are code to one renderer and a solution to the
    other, so a tracker that followed only one renderer would fail the test above."""
    superfences = {n for n, t in CASES.items() if _secret_is_live(_superfences_html(t))}
    commonmark = {n for n, t in CASES.items() if _secret_is_live(_commonmark_html(t))}
    assert superfences - commonmark
    assert commonmark - superfences
    # The two of the issue: live to both.
    for name in ("four backticks showing three", "inline code with triple backticks"):
        assert name in superfences & commonmark


def test_superfences_code_lines_of_a_four_backtick_block():
    text = "Intro\n\n````md\n```\nshown\n```\n````\n\n??? solution\n    S\n"
    assert superfences_code_lines(text) == {2, 3, 4, 5, 6}
    assert commonmark_code_lines(text) == {2, 3, 4, 5, 6}


def test_an_unclosed_fence_is_code_to_commonmark_only():
    text = "```\n??? solution\n    S\n"
    assert superfences_code_lines(text) == set()
    assert commonmark_code_lines(text) == {0, 1, 2}


def test_lines_are_numbered_as_the_renderers_number_them():
    assert split_lines("a\r\nb\rc\u2028d\ne") == ["a\r\n", "b\r", "c\u2028d\n", "e"]


def test_what_is_stripped_is_recorded_with_its_line():
    page = "# T\n\n```\n```\n\n??? solution\n    SECRET\n\nAfter.\n"
    withheld: list[WithheldText] = []
    strip_admonitions(page, None, source="docs/lectures/02.md", first_line=5, withheld=withheld)
    assert withheld == [
        WithheldText("docs/lectures/02.md: line 10", "??? solution\n    SECRET\n\n")
    ]
