"""What a notebook page's Markdown carries in place of each finished HTML fragment: made by
to_markdown.py, filled in by notebook_site.py once Python-Markdown is done with the page."""

from __future__ import annotations

import re

FRAGMENT = "<!--cb-nb-fragment:{}-->"
FRAGMENT_PATTERN = re.compile(r"<!--cb-nb-fragment:(\d+)-->")
