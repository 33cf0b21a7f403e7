"""How tall a block of a lecture page stands on a slide: an estimate in CSS pixels of the deck's
1280×720 frame, made from the block's HTML, for splitting a section that cannot fit one slide
and naming a block that cannot fit any.

The numbers were measured in Chromium on a deck at full size (mkdocs-material's stylesheet,
then slides.css; `1rem` = 40 px): body text 32 px on 46 px lines, about 75 characters a line;
a code line 38 px, plus 43 px of padding per block; a table row about 98 px; a slide title
94 px for one line, 58 px more for each further line of about 44 characters. An image or inline SVG
is shown at most IMAGE_MAX_HEIGHT tall (slides.css). The estimate reads line counts, rows and items,
which are exact, and wraps prose at the measured width, so it errs on the short side for text
and is close for code, tables and figures, the blocks that decide whether a section must be
split. What the browser finds does not fit is still reported by the deck's own fit script.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

FRAME_HEIGHT = 644  # the 720 px slide less the frame's padding (36 px top, 40 px bottom)
TITLE_HEIGHT = 94  # one line of slide title and its rule and margin
TITLE_LINE = 58
TITLE_CHARACTERS = 44
TEXT_LINE = 46
TEXT_CHARACTERS = 75
BLOCK_MARGIN = 32
LIST_ITEM_MARGIN = 11
CODE_LINE = 38
CODE_PADDING = 43
TABLE_ROW = 98
IMAGE_MAX_HEIGHT = 440  # slides.css caps an image on a slide at this height
IMAGE_EXTRA = 44  # the line box under an image and the paragraph's margin
FRAME_WIDTH = 1168  # 1280 less the frame's side padding

# An image, or an inline SVG figure (its opening tag holds its size).
IMG = re.compile(r"<(?:img|svg)\b[^>]*>", re.I)
PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
LIST_ITEM = re.compile(r"<li\b", re.I)
TABLE_ROW_TAG = re.compile(r"<tr\b", re.I)
NUMBER = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(px)?\s*$")
ATTRIBUTE = re.compile(r"""\b(width|height)\s*=\s*["']?([^"'\s>]+)""", re.I)

# What a section may be split at: whole blocks that are big and stand alone on a slide.
SPLIT_KINDS = frozenset({"code", "figure", "table"})


@dataclass(frozen=True)
class BlockSize:
    """A block's estimated height on a slide, its kind and how a message names it."""

    height: int
    kind: str  # "code", "figure", "table", "list", "math", "heading", "text"
    label: str  # e.g. "a code block of 200 lines"

    @property
    def splits(self) -> bool:
        """Whether a section may be split before or after this block."""
        return self.kind in SPLIT_KINDS


def title_height(title_text: str) -> int:
    """The slide title's height with its rule and margin (0 for an untitled slide)."""
    if not title_text:
        return 0
    lines = max(1, math.ceil(len(title_text) / TITLE_CHARACTERS))
    return TITLE_HEIGHT + (lines - 1) * TITLE_LINE


def _text_lines(text: str) -> int:
    return max(1, math.ceil(len(text) / TEXT_CHARACTERS)) if text else 0


def _image_height(tag: str) -> float:
    """An image's height on a slide: from its width and height attributes where it has them,
    else as tall as a slide shows an image."""
    sizes = {}
    for name, value in ATTRIBUTE.findall(tag):
        number = NUMBER.match(value)
        if number:
            sizes[name.lower()] = float(number.group(1))
    height = sizes.get("height")
    if height is None:
        return IMAGE_MAX_HEIGHT
    width = sizes.get("width")
    if width and width > FRAME_WIDTH:
        height *= FRAME_WIDTH / width
    return min(height, IMAGE_MAX_HEIGHT)


def _code_lines(html: str) -> int:
    """Lines of the block's longest `<pre>` (with line numbers, a table holds two). Highlighted
    code keeps its newlines in text, never inside a tag, so counting them is enough."""
    lines = 0
    for pre in PRE.findall(html):
        text = pre.rstrip()
        while text.endswith(">") and "<" in text:  # the closing tags, and a newline before
            text = text[: text.rindex("<")].rstrip()
        lines = max(lines, text.count("\n") + 1)
    return lines


def estimate(tag: str, classes: set[str], html: str, plain: Callable[[], str]) -> BlockSize:
    """The size of one top-level block: `tag`, its classes, its HTML, and `plain()` its plain
    text (asked for only where the size depends on it: not for code)."""
    if tag == "pre" or (tag == "div" and "highlight" in classes and "<pre" in html):
        lines = _code_lines(html)
        return BlockSize(CODE_PADDING + CODE_LINE * lines, "code", f"a code block of {lines} lines")
    text = plain()
    images = IMG.findall(html)
    if images and (tag in ("p", "img", "figure") or len(text) < TEXT_CHARACTERS):
        height = sum(_image_height(image) + IMAGE_EXTRA for image in images)
        caption = _text_lines(text) * TEXT_LINE if tag == "figure" else 0
        label = "an image" if len(images) == 1 else f"{len(images)} images"
        return BlockSize(round(height + caption), "figure", label)
    if tag == "table" or (tag == "div" and "<table" in html and not images):
        rows = len(TABLE_ROW_TAG.findall(html))
        return BlockSize(TABLE_ROW * rows + BLOCK_MARGIN, "table", f"a table of {rows} rows")
    if tag in ("ul", "ol", "dl"):
        items = len(LIST_ITEM.findall(html)) or 1
        lines = max(items, _text_lines(text))
        height = TEXT_LINE * lines + LIST_ITEM_MARGIN * items + BLOCK_MARGIN
        return BlockSize(height, "list", f"a list of {items} items")
    if "arithmatex" in classes:
        lines = 1 + html.count("\\\\")
        return BlockSize(TEXT_LINE * lines + BLOCK_MARGIN, "math", "a formula")
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return BlockSize(TEXT_LINE * _text_lines(text) + BLOCK_MARGIN, "heading", "a heading")
    height = TEXT_LINE * _text_lines(text) + BLOCK_MARGIN + len(images) * IMAGE_MAX_HEIGHT
    return BlockSize(height, "text", f"a <{tag or 'text'}> block")
