"""HTML blocks kept out of Python-Markdown.

coursebook's generated blocks (reading lists, checklists, the lecture header and actions, the
schedule table) are finished HTML. Passing them through Python-Markdown costs more than the
lecture's own prose (its HTML-block parser walks every tag), so the Markdown carries one
placeholder comment per block and the HTML is put back after conversion (on_page_content).
Headings stay Markdown, so they still feed the table of contents and permalinks.
"""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"<!--cb-block:(\d+)-->")


class HeldBlocks:
    """The blocks of one page, in order; `hold` returns the Markdown that stands for one."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def hold(self, html: str) -> str:
        self.blocks.append(str(html).strip())
        # Blank lines around it: an HTML comment alone is a raw block Markdown leaves as is.
        return f"\n\n<!--cb-block:{len(self.blocks) - 1}-->\n\n"

    def fill(self, html: str) -> str:
        if not self.blocks:
            return html
        return PLACEHOLDER.sub(lambda m: self.blocks[int(m.group(1))], html)
