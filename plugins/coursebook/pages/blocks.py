"""HTML blocks kept out of Python-Markdown.

coursebook's generated blocks (reading lists, checklists, the lecture header and actions, the
schedule table) are finished HTML. Passing them through Python-Markdown costs more than the
lecture's own prose (its HTML-block parser walks every tag), so the Markdown carries one
placeholder comment per block and the HTML is put back after conversion (on_page_content).
Headings stay Markdown, so they still feed the table of contents and permalinks.

Some blocks are held longer, until the page's final HTML (`late`): page furniture (the print
header, the buttons) and views that repeat the page (the readings by year). Other plugins,
the search index among them, read a page's content before it is put in the theme; these blocks
are not there yet, so searching "Present" does not find every lecture, a paper's title is not
found twice, and the search plugin's HTML parser does not walk them (on a 5,000-paper reading
list that parser was a tenth of the build).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

PLACEHOLDER = re.compile(r"<!--cb-block:(\d+)-->")
LATE_PLACEHOLDER = re.compile(r"<!--cb-late:(\d+)-->")


class HeldBlocks:
    """The blocks of one page, in order; `hold` returns the Markdown that stands for one."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.late: set[int] = set()

    def hold(self, html: str, late: bool = False) -> str:
        self.blocks.append(str(html).strip())
        if late:
            self.late.add(len(self.blocks) - 1)
        kind = "late" if late else "block"
        # Blank lines around it: an HTML comment alone is a raw block Markdown leaves as is.
        return f"\n\n<!--cb-{kind}:{len(self.blocks) - 1}-->\n\n"

    def fill(self, html: str) -> str:
        """The page's content with its blocks, but for the late ones."""
        if not self.blocks:
            return html
        filled = PLACEHOLDER.sub(lambda m: self.blocks[int(m.group(1))], html)
        # Only the late blocks are needed from now on: let the others go (megabytes).
        self.blocks = [block if i in self.late else "" for i, block in enumerate(self.blocks)]
        return filled

    def fill_late(self, html: str) -> tuple[str, int]:
        """The page's final HTML with its late blocks, and how many of them had no place in
        it (removed by another plugin)."""
        if not self.late:
            return html, 0
        filled, count = LATE_PLACEHOLDER.subn(lambda m: self.blocks[int(m.group(1))], html)
        return filled, len(self.late) - count


@dataclass
class LectureBlocks:
    """A lecture's generated blocks as Markdown (placeholders of `blocks` when held)."""

    header: str
    actions: str
    placed: list[tuple[str, str]]  # (marker, Markdown) for the readings and the checklists
    blocks: HeldBlocks | None


def block_holder(blocks: HeldBlocks | None) -> Callable[..., Markup]:
    """What templates call to keep a finished HTML block out of Python-Markdown (`late`: out
    of what other plugins read of the page too, see blocks.py); without `blocks`, the HTML
    stays inline (Markdown passes raw HTML through, only slower)."""
    if blocks is None:
        return lambda html, late=False: Markup(f"\n\n{html}\n\n")
    return lambda html, late=False: Markup(blocks.hold(html, late))
