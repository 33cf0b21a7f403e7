"""Which lines of a Markdown text are fenced code, as the renderer of that text decides: a
`??? solution` line inside code is shown as code, one outside is a live solution.

Lecture pages are rendered by Python-Markdown with pymdownx.superfences, notebook Markdown cells
by markdown-it-py (CommonMark). The two disagree: superfences closes a fence only with a line of
exactly the opening's length at exactly its indentation, takes a fence that is never closed (or
whose content is less indented) as no fence at all, and refuses a header it cannot read (``` is
code ```); CommonMark closes with any run at least as long, and an unclosed fence runs to the
end of its container. A tracker that guesses wrongly either way can make the next solution live,
so each renderer's rule is followed exactly: superfences' by the same steps as its source
(`SuperFencesBlockPreprocessor.search_nested`, pymdownx 10), CommonMark's by asking markdown-it.
"""

from __future__ import annotations

import re

TAB_LENGTH = 4  # Python-Markdown's tab_length, which MkDocs does not change
_PREFIX_CHARS = (">", " ", "\t")
# pymdownx.superfences' RE_NESTED_FENCE_START, as written there.
_FENCE_START = re.compile(
    r"""(?x)
    (?P<fence>~{3,}|`{3,})
    (?:[ \t]*\.?(?P<lang>[\w#.+-]+)(?=[\t ]|$))?
    (?:
        [ \t]*(\{(?P<attrs>[^\n]*)\}) |
        (?P<options>
            (?:
                (?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(?P<quot>"|').*?(?P=quot))?)(?=[\t ]|$)
            )+
        ) |
        (?P<unrecognized>
            (?:([ \t]*[^\s]+)(?=[\t ]|$))+
        )
    )?[ \t]*$
    """
)
_OPTION = re.compile(r"(?P<key>[a-zA-Z][a-zA-Z0-9_]*)(?:=(?P<quot>\"|')(?P<value>.*?)(?P=quot))?")
_HL_LINES = re.compile(r"^(?P<hl_lines>\d+(?:-\d+)?(?:[ \t]+\d+(?:-\d+)?)*)$")
_LINENUMS = re.compile(r"(?P<linestart>[\d]+)(?:[ \t]+(?P<linestep>[\d]+))?")
# The options pymdownx.highlight's validator takes (with Pygments, as mkdocs-material sets it
# up); any other `key=value` in a header makes the header invalid, and the line no fence.
_HIGHLIGHT_OPTIONS = {
    "hl_lines": _HL_LINES,
    "linenums": _LINENUMS,
    "title": None,
    "title_mode": None,
}


# Both renderers end a line at \r\n, \r or \n, and nowhere else (str.splitlines also ends one
# at \u2028 and others, which would number the lines differently).
_LINE_END = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """`text`'s lines as both renderers number them, each with its line end."""
    lines, start = [], 0
    for end in _LINE_END.finditer(text):
        lines.append(text[start : end.end()])
        start = end.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def _header_is_valid(match: re.Match) -> bool:
    """Does superfences accept this fence header (its default fence, `relaxed_headers` off)?"""
    if match["unrecognized"]:
        return False
    if match["attrs"] is not None:
        return True  # `{ .python title="x" }`: the highlight validator takes any attributes
    for option in _OPTION.finditer(match["options"] or ""):
        value = option["value"] if option["value"] is not None else option["key"]
        check = _HIGHLIGHT_OPTIONS.get(option["key"], False)
        if check is False or (check is not None and check.match(value) is None):
            return False
    return True


def _leading(line: str) -> tuple[int, str]:
    """The length of a line's prefix of spaces, tabs and `>`, and that prefix, tabs expanded."""
    count = 0
    for char in line:
        if char not in _PREFIX_CHARS:
            break
        count += 1
    return count, line[:count].expandtabs(TAB_LENGTH)


def _fence_line(line: str, width: int) -> tuple[str, str]:
    """superfences' `parse_fence_line`: the prefix up to the opening's width, and the rest."""
    taken, seen, column, parts = 0, 0, 0, []
    for char in line:
        if seen >= width or char not in _PREFIX_CHARS:
            break
        taken += 1
        size = TAB_LENGTH - (column % TAB_LENGTH) if char == "\t" else 1
        parts.append(" " * size if char == "\t" else char)
        seen += size
        column += size
    return "".join(parts), line[taken:]


def superfences_code_lines(text: str) -> set[int]:
    """The 0-based line numbers of `text` that pymdownx.superfences turns into code blocks
    (each fence's opening and closing lines included)."""
    # Python-Markdown's NormalizeWhitespace runs first: line ends unified, tabs expanded.
    lines = [_LINE_END.sub("", line).expandtabs(TAB_LENGTH) for line in split_lines(text)]
    code: set[int] = set()
    fence: str | None = None
    start = raw_width = width = quote_level = empty_lines = 0
    for number, line in enumerate(lines):
        if fence is None:
            raw_width, prefix = _leading(line)
            match = _FENCE_START.match(line, raw_width)
            if match is not None and _header_is_valid(match):
                fence, start, width = match["fence"], number, len(prefix)
                quote_level, empty_lines = prefix.count(">"), 0
            continue
        prefix, content = _fence_line(line, width)
        level = prefix.count(">")
        is_end = re.match(re.escape(fence) + r"[ \t]*$", content) is not None
        if quote_level:  # superfences' eval_quoted (pymdownx.quotes not in use)
            if level > quote_level or (content and len(prefix) < raw_width):
                fence = None
            elif content == "":
                empty_lines += 1
            elif empty_lines and level < quote_level:
                fence = None
            elif is_end:
                code.update(range(start, number + 1))
                fence = None
            else:
                empty_lines = 0
        elif level:
            fence = None  # a quoted line in a fence that is not quoted
        elif (prefix + content).strip() == "":
            continue
        elif len(prefix) != width and content != "":
            fence = None  # not indented as far as the opening: no fence (nor is it rescanned)
        elif is_end and not content.startswith((" ", "\t")):
            code.update(range(start, number + 1))
            fence = None
    # A fence never closed is no fence: superfences leaves its lines to the rest of Markdown.
    return code


SUPERFENCES = "pymdownx.superfences"


def page_renderer(markdown_extensions: list) -> str:
    """How the site's pages decide what is code (`strip_admonitions`' `renderer`): by
    superfences' rules where the site uses it, else as no code at all. Without superfences a
    fence may be no fence (none without an extension for it; Python-Markdown's fenced_code
    takes none that is indented, in a list item say) and a solution in it is live: stripping
    every solution, even one shown in a fence, publishes none early."""
    names = [e if isinstance(e, str) else type(e).__module__ for e in markdown_extensions]
    return "superfences" if SUPERFENCES in names else "none"


def commonmark_code_lines(text: str) -> set[int]:
    """The 0-based line numbers of `text` that CommonMark (markdown-it-py, with the admonition
    plugin that notebook cells are rendered with) makes fenced or indented code."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin

    tokens = MarkdownIt("commonmark").use(admon_plugin).parse(text)
    code: set[int] = set()
    stack = list(tokens)
    while stack:
        token = stack.pop()
        if token.type in ("fence", "code_block") and token.map is not None:
            code.update(range(token.map[0], token.map[1]))
        stack.extend(token.children or [])
    return code
