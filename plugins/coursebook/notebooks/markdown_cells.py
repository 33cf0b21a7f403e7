"""Render notebook Markdown cells as Jupyter does: CommonMark + GitHub's tables, strikethrough,
autolinks and task lists by markdown-it-py, with `$`/`$$`/`\\(` math and LaTeX environments
taken out before parsing and put back after, as Jupyter does (math.py).

Top-level headings come back apart from the rest, so the page can keep them as Markdown headings
that feed its table of contents; everything else comes back as finished HTML. Math is emitted the
way pymdownx.arithmatex (generic) emits it, so the site's MathJax typesets it exactly once.
Relative links and images are marked (see `mark_url`) for the page to resolve and check them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .math import Stored, formula_text, remove_math, restore_math, restore_text

# Marks a URL that the page resolves against the site's files (see notebooks/links.py).
URL_MARK = "cb-nb:"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Jupyter (and nbconvert) accept `#Heading` without the space CommonMark asks for.
_TIGHT_HEADING = re.compile(r"#{1,6}(?=[^#\s])")


def mark_url(url: str, cell: int) -> str:
    """`cb-nb:<cell>:<url>` for a relative URL (to be resolved by the page), else `url`."""
    if not url or url.startswith(("#", "/", "\\")) or _SCHEME.match(url):
        return url
    return f"{URL_MARK}{cell}:{url}"


@dataclass
class Heading:
    """A top-level heading: its level, its inline HTML, its plain text as Jupyter reads it for
    ids (math as typed, `$x$`), and its `label` for the table of contents and the page title
    (each formula as plain text, `x`: never raw delimiters)."""

    level: int
    html: str
    text: str
    label: str = ""


Part = str | Heading


@dataclass
class CellContext:
    """What rendering one cell needs from the notebook around it."""

    cell: int
    # attachment name -> stored image path (relative to the notebook), or None if missing
    attachment: Callable[[str], str | None]
    problems: list[str]


def _tight_heading(state, start_line: int, end_line: int, silent: bool) -> bool:
    """`#Heading` (no space) is a heading in Jupyter; CommonMark's rule leaves it a paragraph."""
    if state.is_code_block(start_line):
        return False
    pos = state.bMarks[start_line] + state.tShift[start_line]
    maximum = state.eMarks[start_line]
    line = state.src[pos:maximum]
    match = _TIGHT_HEADING.match(line)
    if not match:
        return False
    if silent:
        return True
    level = len(match.group(0))
    content = line[level:].rstrip()
    content = re.sub(r"\s+#+$", "", content).strip()
    state.line = start_line + 1
    token = state.push("heading_open", f"h{level}", 1)
    token.markup = "#" * level
    token.map = [start_line, state.line]
    token = state.push("inline", "", 0)
    token.content = content
    token.map = [start_line, state.line]
    token.children = []
    token = state.push("heading_close", f"h{level}", -1)
    token.markup = "#" * level
    return True


def _link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    href = token.attrGet("href")
    if isinstance(href, str):
        token.attrSet("href", mark_url(href, env["context"].cell))
    return self.renderToken(tokens, idx, options, env)


def _image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    context: CellContext = env["context"]
    src = str(token.attrGet("src") or "")
    if src.startswith("attachment:"):
        name = src.removeprefix("attachment:")
        stored = context.attachment(name)
        if stored is None:
            context.problems.append(f"cell {context.cell}: no attachment {name!r} in the cell")
        else:
            src = stored
    token.attrSet("src", mark_url(src, context.cell))
    # As markdown-it's own image rule: the alt text is the plain text of the description.
    token.attrSet("alt", self.renderInlineAsText(token.children or [], options, env))
    return self.renderToken(tokens, idx, options, env)


def _list_item_open(self, tokens, idx, options, env) -> str:
    """As markdown-it's rule, but a task's checkbox is named by the task's text (a checkbox
    without a name is an accessibility error)."""
    token = tokens[idx]
    result = self.renderToken(tokens, idx, options, env)
    if token.meta and "checked" in token.meta:
        text = next((t.content for t in tokens[idx + 1 : idx + 4] if t.type == "inline"), "")
        checked = ' checked=""' if token.meta["checked"] else ""
        result += (
            f'<input class="task-list-item-checkbox" disabled="" type="checkbox"{checked}'
            f' aria-label="{html.escape(text.strip() or "task")}"> '
        )
    return result


def _admonition_title_open(self, tokens, idx, options, env) -> str:
    return '<p class="admonition-title">'


def _admonition_title_close(self, tokens, idx, options, env) -> str:
    return "</p>\n"


@lru_cache(maxsize=1)
def markdown_parser():
    """The parser, made once: imported on first use, so builds whose pages all come from the
    cache never import markdown-it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

    md = MarkdownIt("commonmark", {"html": True, "tasklists": True})
    md.enable(["table", "strikethrough"])
    md.use(gfm_autolink_plugin)
    # `!!! note` blocks: not Jupyter's, but this site's own notebooks use them (as lectures do).
    md.use(admon_plugin)
    md.block.ruler.before(
        "heading", "tight_heading", _tight_heading, {"alt": ["paragraph", "blockquote"]}
    )
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    md.add_render_rule("list_item_open", _list_item_open)
    md.add_render_rule("admonition_title_open", _admonition_title_open)
    md.add_render_rule("admonition_title_close", _admonition_title_close)
    return md


def _plain_text(tokens) -> str:
    """The text of inline tokens, math still as placeholders."""
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_plain_text(token.children))
    return "".join(parts)


def render_markdown(source: str, context: CellContext) -> list[Part]:
    """The cell as a list of HTML strings and top-level `Heading`s, in order."""
    md = markdown_parser()
    env: dict[str, Any] = {"context": context}
    text, math = remove_math(source)
    tokens = md.parse(text, env)
    parts: list[Part] = []
    start = 0
    index = 0

    def html_of(some_tokens) -> str:
        return restore_math(md.renderer.render(some_tokens, md.options, env), math)

    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.level == 0:
            if index > start:
                parts.append(html_of(tokens[start:index]))
            inline = tokens[index + 1]
            plain = _plain_text(inline.children or []).strip()
            parts.append(
                Heading(
                    level=int(token.tag[1]),
                    html=html_of(inline.children or []),
                    text=restore_text(plain, math),
                    label=_label(plain, math),
                )
            )
            index += 3
            start = index
            continue
        index += 1
    if start < len(tokens):
        parts.append(html_of(tokens[start:]))
    return [part for part in parts if not isinstance(part, str) or part.strip()]


def _label(plain: str, math: list[Stored]) -> str:
    """Heading text with each formula as its plain text (`$\\alpha_i$` -> `α_i`)."""
    return " ".join(formula_text(plain, math).split())
