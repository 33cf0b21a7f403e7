"""Images written without alt text, in a page's Markdown or a notebook's Markdown cell.

An image needs a text alternative (WCAG 1.1.1). Python-Markdown and markdown-it write
`![](x.png)` as `<img alt="">`, which tells a screen reader the image is decorative: so an
empty description is a problem unless the author says the image is decorative, with
`{ role=presentation }` after it (attr_list; `none` and `aria-hidden=true` too) or, in HTML,
with an explicit `alt=""`. An HTML `<img>` with no `alt` at all is always a problem.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..course.fences import commonmark_code_lines, split_lines

# `![alt](src "title")` or `![alt][ref]`, then an attr_list `{ ... }` if any. The alt may hold
# one level of brackets (`![a [b] c](x)`), as Python-Markdown allows. `\![...](x)` is no image:
# the backslash escapes the `!`, and the rest is a link.
_MARKDOWN_IMAGE = re.compile(
    r"(?<!\\)!\[(?P<alt>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"(?:\((?P<src><[^>\n]*>|[^)\s]*)[^)\n]*\)|\[(?P<ref>[^\]\n]*)\])"
    r"(?P<attrs>[ \t]*\{[^}\n]*\})?"
)
_HTML_IMAGE = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""",
)
_DECORATIVE = re.compile(
    r"""\b(?:role\s*=\s*["']?(?:presentation|none)\b|aria-hidden\s*=\s*["']?true\b)""",
    re.IGNORECASE,
)
_INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")  # within a line: a stray ` hides nothing
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class MissingAlt:
    """An image without alt text: where (0-based offset in the text scanned) and which."""

    offset: int
    src: str
    html: bool  # an <img> tag (else Markdown image syntax)
    attr_list: bool = True  # `{ role=presentation }` can mark it (not in Jupyter's Markdown)

    def message(self) -> str:
        if self.html:
            return (
                f'<img src="{self.src}"> has no alt attribute: add alt="what it shows", '
                'or alt="" if it is only decoration'
            )
        decorative = (
            f"![]({self.src}){{ role=presentation }}"
            if self.attr_list
            else f'<img src="{self.src}" alt="">'
        )
        return (
            f"image '{self.src}' has no alt text: write what it shows, "
            f"![what it shows]({self.src}), or mark it decorative, {decorative}"
        )


def html_attributes(text: str) -> dict[str, str | None]:
    """The attributes of a tag's inside (`src="x" alt=""`), names lower-cased, values
    unescaped; None for an attribute without a value."""
    found: dict[str, str | None] = {}
    for match in _ATTRIBUTE.finditer(text):
        value = match.group("value")
        if value is not None and value[:1] in "\"'":
            value = value[1:-1]
        found.setdefault(
            match.group("name").lower(), html.unescape(value) if value is not None else None
        )
    return found


def blank(text: str, pattern: re.Pattern) -> str:
    """`text` with each match of `pattern` made spaces, its line ends kept (so offsets and
    line numbers stay those of `text`)."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def images_without_alt(
    text: str, *, markdown: bool = True, attr_list: bool = True
) -> list[MissingAlt]:
    """The images of `text` (Markdown whose code is already blanked out) without alt text and
    not marked decorative; `markdown=False` looks only at HTML `<img>` tags. `attr_list=False`
    for Markdown without attribute lists (Jupyter's), where `{ ... }` is text on the page."""
    text = blank(blank(text, _COMMENT), _INLINE_CODE)
    found: list[MissingAlt] = []
    if markdown:
        for match in _MARKDOWN_IMAGE.finditer(text):
            if match.group("alt").strip():
                continue
            attrs = match.group("attrs") if attr_list else None
            if attrs and _DECORATIVE.search(attrs):
                continue
            if attrs and (html_attributes(attrs.strip().strip("{}")).get("alt") or "").strip():
                continue  # attr_list's `{ alt="..." }` is the image's alt attribute
            src = (match.group("src") or match.group("ref") or "").strip("<>")
            found.append(MissingAlt(match.start(), src, html=False, attr_list=attr_list))
    for match in _HTML_IMAGE.finditer(text):
        attributes = html_attributes(match.group("attrs"))
        if "alt" in attributes or _DECORATIVE.search(match.group("attrs")):
            continue  # alt="" written out is the author saying it is decorative
        found.append(MissingAlt(match.start(), attributes.get("src") or "", html=True))
    return sorted(found, key=lambda missing: missing.offset)


def line_of(text: str, offset: int) -> int:
    """The 1-based line of `offset` in `text`."""
    return text.count("\n", 0, offset) + 1


def cell_alt_problems(source: str) -> list[str]:
    """`line N: ...` for each image of a notebook Markdown cell without alt text. Jupyter's
    Markdown has no attr_list: a decorative image there is an `<img alt="">`."""
    if "![" not in source and "<img" not in source.lower():
        return []
    code = commonmark_code_lines(source)
    text = "".join(
        re.sub(r"[^\r\n]", " ", line) if number in code else line
        for number, line in enumerate(split_lines(source))
    )
    return [
        f"line {line_of(text, found.offset)}: {found.message()}"
        for found in images_without_alt(text, attr_list=False)
    ]
