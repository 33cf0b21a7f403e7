"""Math in notebook Markdown found the way Jupyter finds it: taken out of the cell before the
Markdown parser sees it and put back into the HTML after, so a formula is math wherever it
stands (after an HTML block line, inside a list item's continuation, continuing a paragraph),
and CommonMark never reads its backslashes, underscores or stars.

`remove_math` follows JupyterLab's `removeMath` (@jupyterlab/rendermime, latex.ts, itself from
the classic Notebook's mathjaxutils.js) step for step; `restore_math` is its `replaceMath`,
except that each formula comes back wrapped as pymdownx.arithmatex (generic) writes math, since
the site's MathJax typesets only `.arithmatex` elements.

Why not mdit-py-plugins' dollarmath (which the renderer used before): it parses math *inside*
the Markdown grammar, so math in an HTML block or an indented continuation stays raw, and its
escape check reads `state.src[-1]` (the last character of the paragraph) when a `$` is the
first character: `MarkdownIt().use(dollarmath_plugin).render("$x$ a \\\\")` gives
`<p>$x$ a \\</p>` (mdit-py-plugins 0.7.0, `is_escaped` in dollarmath/index.py). That is
upstream's bug; nothing here depends on it any more.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# JupyterLab's MATHSPLIT: delimiters, escaped braces and dollars, braces, line breaks, markers.
MATH_SPLIT = re.compile(
    r"(\$\$?|\\(?:begin|end)\{[a-z]*\*?\}|\\[{}$]|[{}]|(?:\n\s*)+|@@\d+@@|\\\\(?:\(|\)|\[|\]))",
    re.IGNORECASE,
)
# What will be code (fenced blocks, code spans): its dollars are not math delimiters.
_FENCED = re.compile(r"^(?P<fence>`{3,}|(?:~T){3,})[^`\n]*\n[\s\S]*?^(?P=fence)`*$", re.MULTILINE)
_CODE_SPAN = re.compile(r"(^|[^\\])(`+)([^\n]*?[^`\n])\2(?!`)", re.MULTILINE)
_TILDE = re.compile(r"~([TD])")
PLACEHOLDER = re.compile(r"@@(\d+)@@")


@dataclass(frozen=True)
class Stored:
    """One piece taken out of the cell: a formula (HTML-escaped, with its delimiters), or text
    that only looked like a placeholder (`is_math` false) and goes back as it was."""

    source: str
    is_math: bool


def remove_math(text: str) -> tuple[str, list[Stored]]:
    """`text` with every formula replaced by `@@N@@`, and the formulas, in order."""
    math: list[Stored] = []
    has_code = "`" in text or "~~~" in text
    if has_code:
        text = text.replace("~", "~T")
        text = _FENCED.sub(lambda m: m.group(0).replace("$", "~D"), text)
        text = _CODE_SPAN.sub(lambda m: m.group(0).replace("$", "~D"), text)

    def de_tilde(value: str) -> str:
        if not has_code:
            return value
        return _TILDE.sub(lambda m: "~" if m.group(1) == "T" else "$", value)

    blocks = MATH_SPLIT.split(text.replace("\r\n", "\n").replace("\r", "\n"))

    def process(i: int, j: int) -> None:
        block = "".join(blocks[i : j + 1])
        block = block.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for k in range(i + 1, j + 1):
            blocks[k] = ""
        blocks[i] = f"@@{len(math)}@@"
        math.append(Stored(de_tilde(block), True))

    start: int | None = None
    end: str | None = None
    last: int | None = None
    braces = 0
    i = 1
    while i < len(blocks):
        block = blocks[i]
        if block.startswith("@"):
            blocks[i] = f"@@{len(math)}@@"
            math.append(Stored(block, False))
        elif start is not None:
            if block == end:
                if braces:
                    last = i
                else:
                    process(start, i)
                    start = end = last = None
            elif re.search(r"\n.*\n", block):
                # A blank line ends a paragraph, and so any formula still open in it.
                if last is not None:
                    i = last
                    process(start, i)
                start = end = last = None
                braces = 0
            elif block == "{":
                braces += 1
            elif block == "}" and braces:
                braces -= 1
        elif block in ("$", "$$"):
            start, end, braces = i, block, 0
        elif block in ("\\\\(", "\\\\["):
            start, end, braces = i, "\\\\)" if block.endswith("(") else "\\\\]", 0
        elif block[1:6] == "begin":
            start, end, braces = i, "\\end" + block[6:], 0
        i += 2
    if start is not None and last is not None:
        process(start, last)
    return de_tilde("".join(blocks)), math


def _delimited(source: str) -> tuple[str, bool] | None:
    """The formula with arithmatex's delimiters, and whether it is display math; None for
    text that is not math."""
    if source.startswith("$$") and source.endswith("$$") and len(source) >= 4:
        return f"\\[{source[2:-2]}\\]", True
    if source.startswith("$") and source.endswith("$") and len(source) >= 2:
        return f"\\({source[1:-1]}\\)", False
    if source.startswith("\\\\(") and source.endswith("\\\\)"):
        return f"\\({source[3:-3]}\\)", False
    if source.startswith("\\\\[") and source.endswith("\\\\]"):
        return f"\\[{source[3:-3]}\\]", True
    if source.startswith("\\begin"):
        return source, True
    return None


def as_text(source: str) -> str:
    """A stored formula as the reader typed it (JupyterLab's `replaceMath`, unescaped)."""
    if source.startswith("\\\\(") and source.endswith("\\\\)"):
        source = f"\\({source[3:-3]}\\)"
    elif source.startswith("\\\\[") and source.endswith("\\\\]"):
        source = f"\\[{source[3:-3]}\\]"
    return html.unescape(source)


def math_html(stored: Stored) -> str:
    """A formula as arithmatex writes it, for the site's MathJax (inline `span`; display math
    too is a `span` here, since it may stand inside a paragraph: MathJax makes it a block)."""
    found = _delimited(stored.source) if stored.is_math else None
    if found is None:
        return stored.source
    return f'<span class="arithmatex">{found[0]}</span>'


# Tags, comments, and text between them; code and preformatted text get their math as text.
# A quoted attribute value may hold `>` (`alt="a > $x$"`): the tag ends after the quote.
_HTML_PART = re.compile(
    r"""<!--.*?-->|<[A-Za-z/!?](?:[^>"']|"[^"]*"|'[^']*')*>|[^<]+|<""", re.DOTALL
)
_RAW_TEXT_TAGS = {"code", "pre", "script", "style", "textarea", "title"}
_TAG_NAME = re.compile(r"^</?([A-Za-z][A-Za-z0-9-]*)")
_LONE_DISPLAY = re.compile(r"<p>\s*@@(\d+)@@\s*</p>")


def restore_math(rendered: str, math: list[Stored]) -> str:
    """`rendered` (HTML made from `remove_math`'s text) with each placeholder back: as
    typesettable math in text, as the plain formula in code, preformatted text and attributes
    (where Jupyter's MathJax would not typeset it either)."""
    if not math or "@@" not in rendered:
        return rendered

    def lone_display(match: re.Match) -> str:
        stored = math[int(match.group(1))] if int(match.group(1)) < len(math) else None
        found = _delimited(stored.source) if stored and stored.is_math else None
        if found is None or not found[1]:
            return match.group(0)
        return f'<div class="arithmatex">{found[0]}</div>'

    rendered = _LONE_DISPLAY.sub(lone_display, rendered)
    parts: list[str] = []
    raw_depth = 0
    for part in _HTML_PART.findall(rendered):
        if part.startswith("<") and len(part) > 1:
            name = _TAG_NAME.match(part)
            if name and name.group(1).lower() in _RAW_TEXT_TAGS and not part.endswith("/>"):
                raw_depth += -1 if part.startswith("</") else 1
                raw_depth = max(raw_depth, 0)
            parts.append(PLACEHOLDER.sub(lambda m: _plain(m, math, attribute=True), part))
        elif raw_depth:
            parts.append(PLACEHOLDER.sub(lambda m: _plain(m, math, attribute=False), part))
        else:
            parts.append(PLACEHOLDER.sub(lambda m: _typeset(m, math), part))
    return "".join(parts)


def _typeset(match: re.Match, math: list[Stored]) -> str:
    index = int(match.group(1))
    return math_html(math[index]) if index < len(math) else match.group(0)


def _plain(match: re.Match, math: list[Stored], *, attribute: bool) -> str:
    index = int(match.group(1))
    if index >= len(math):
        return match.group(0)
    return html.escape(as_text(math[index].source), quote=attribute)


def restore_text(text: str, math: list[Stored]) -> str:
    """Plain text (a heading's, for its id) with each formula back as typed."""
    return PLACEHOLDER.sub(
        lambda m: as_text(math[int(m.group(1))].source) if int(m.group(1)) < len(math) else m[0],
        text,
    )


def formula_text(text: str, math: list[Stored]) -> str:
    """Plain text with each formula as the text it reads as (`\\alpha_i` -> `α_i`), for places
    MathJax does not reach: the table of contents, the page title."""

    def plain(match: re.Match) -> str:
        index = int(match.group(1))
        if index >= len(math):
            return match.group(0)
        stored = math[index]
        found = _delimited(stored.source) if stored.is_math else None
        if found is None:
            return as_text(stored.source)
        tex = html.unescape(found[0])
        if tex.startswith(("\\(", "\\[")):
            tex = tex[2:-2]
        return tex_as_text(tex)

    return PLACEHOLDER.sub(plain, text)


def tex_as_text(tex: str) -> str:
    """TeX as Unicode text, by pylatexenc (a dependency already, for BibTeX fields)."""
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        return LatexNodes2Text(math_mode="text").latex_to_text(tex).strip()
    except Exception:  # noqa: BLE001 - pylatexenc raises many kinds on broken TeX
        return tex


# `\(`, `\)`, `\[`, `\]` written once: in HTML (an output's, a widget's) no Markdown doubled
# their backslash, and MathJax reads them as delimiters.
_SINGLE_DELIMITER = re.compile(r"(?<!\\)\\([()\[\]])")
_DOUBLED_DELIMITER = re.compile(r"\\\\([()\[\]])")
# Scripts and styles, kept apart before the tags are read: their code may hold `<` and `$`.
_SCRIPT_OR_STYLE = re.compile(
    r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL
)
_TYPESET_SKIPPED = {"code", "pre", "textarea", "title", "svg", "math"}


def _text_formulas(text: str) -> tuple[str, list[Stored]]:
    """remove_math for a text MathJax reads as is: single-backslash delimiters count (those
    left unpaired go back as written)."""
    found, math = remove_math(_SINGLE_DELIMITER.sub(r"\\\\\1", text))
    return _DOUBLED_DELIMITER.sub(r"\\\1", found), math


def typeset_text(text: str) -> str:
    """Plain text (a Label widget's) as HTML, its formulas typesettable as MathJax finds
    them: the text around them escaped, each formula once (by remove_math)."""
    found, math = _text_formulas(text)
    return restore_math(html.escape(found), math)


def typeset_html(value: str) -> str:
    """HTML (an output's, an HTMLMath widget's) with the formulas MathJax finds in it made
    typesettable: JupyterLab sets the HTML, then MathJax reads each text of it, and finds a
    formula only inside one text (MathJax 3 does not join texts across tags: a price in each
    cell of a table is no formula), never in scripts, styles, code or preformatted text."""
    if not any(mark in value for mark in ("$", "\\(", "\\[", "\\begin")):
        return value
    parts: list[str] = []
    skipped = 0
    position = 0
    for script in [*_SCRIPT_OR_STYLE.finditer(value), None]:
        end = script.start() if script else len(value)
        for part in _HTML_PART.findall(value[position:end]):
            if part.startswith("<") and len(part) > 1:
                name = _TAG_NAME.match(part)
                if name and name.group(1).lower() in _TYPESET_SKIPPED and not part.endswith("/>"):
                    skipped = max(skipped + (-1 if part.startswith("</") else 1), 0)
                parts.append(part)
            elif skipped or ("$" not in part and "\\" not in part):
                parts.append(part)
            else:
                found, math = _text_formulas(part)
                # remove_math escaped each formula as Markdown source; here it is HTML text
                # already (`&lt;` is `<`): decoded once more, then escaped for the page.
                decoded = [
                    Stored(html.escape(html.unescape(html.unescape(s.source)), quote=False), True)
                    if s.is_math
                    else s
                    for s in math
                ]
                parts.append(restore_math(found, decoded))
        if script:
            parts.append(script.group(0))
            position = script.end()
    return "".join(parts)
