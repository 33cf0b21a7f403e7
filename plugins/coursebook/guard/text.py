"""The text of a published file or of a withheld solution, reduced to one form in which the
two can be compared: letters and digits only, case folded.

Whatever a file format adds around text is punctuation, markup or white space: HTML tags
(Pygments wraps every token of highlighted code in a <span>), entities (`&lt;`), JSON string
escapes, the spaces a PDF's text extraction inserts or drops, Markdown's `*`, `#`, `|`. Keeping
letters and digits only makes the same text the same string in all of them; what it loses
(`x = 42` and `x42` are one) is paid for by looking only for long enough runs of it
(see scan.py)."""

from __future__ import annotations

import html
import re
import unicodedata

# Between the strings of a JSON file: text never runs across it.
SEPARATOR = "\x00"
_NOT_TEXT = re.compile(r"[^\w\x00]+|_+")
# A tag, a comment's delimiters, and a processing instruction or doctype; never across SEPARATOR.
_TAG = re.compile(r"<!--|-->|<[^>\x00]*>")
# Markdown that renders without some of its letters: a link's or image's target, an
# admonition's marker and type (`!!! note "Title"` shows "Title").
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]")
_ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?)\+?[ \t]*(?:[\w-]+[ \t]*)*", re.MULTILINE)


# ASCII text (most of a site: scripts, styles, most pages) takes a path ten times faster.
_ASCII_NOT_TEXT = bytes(c for c in range(128) if not (chr(c).isalnum() or c == 0))


def canonical(text: str) -> str:
    """`text` as letters and digits only, case folded (NFKC first: a PDF's `ﬁ` is `fi`)."""
    if text.isascii():
        return text.encode("ascii").lower().translate(None, _ASCII_NOT_TEXT).decode("ascii")
    folded = unicodedata.normalize("NFKC", text).casefold()
    # ASCII punctuation and spaces (most of what goes) by bytes, as above (UTF-8 leaves them
    # single bytes); the pattern then sees only the rest: a `·`, a curly quote.
    fewer = folded.encode("utf-8", "surrogatepass").translate(None, _ASCII_NOT_TEXT)
    return _NOT_TEXT.sub("", fewer.decode("utf-8", "surrogatepass"))


def html_text(markup: str) -> str:
    """The text of HTML (or XML, SVG): tags dropped, entities decoded. Text inside <script>
    and comments is kept: it is published too."""
    return html.unescape(_TAG.sub("", markup))


def rendered_forms(line: str) -> set[str]:
    """The canonical forms a line of a withheld solution can take once published: as written
    (a raw .md, .py or .ipynb), and as Markdown renders it (link targets, image sources,
    admonition markers, inline HTML and entities gone)."""
    return {canonical(line), canonical(markdown_text(line))}


def markdown_text(markdown: str) -> str:
    """Roughly the text Markdown renders `markdown` to, for what canonical() does not already
    drop: link targets, image sources, admonition markers, inline HTML, entities."""
    return html_text(_ADMONITION.sub("", _LINK_TARGET.sub("]", _IMAGE.sub("", markdown))))
