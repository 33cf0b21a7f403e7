"""Check the external links of a built site: `make linkcheck` (needs the network).

Internal links and anchors are checked by every `mkdocs build --strict`; this script covers
the http(s) links that leave the site. Exit status 1 when any link is broken.

    python scripts/linkcheck.py site [--ignore REGEX ...] [--timeout 15]
"""

from __future__ import annotations

import argparse
import re
import sys
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

USER_AGENT = "coursebook-linkcheck/1.0 (+https://github.com/CIS-522/coursebook)"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith(("http://", "https://")):
                self.found.append(href.split("#", 1)[0])


def external_links(site: Path) -> dict[str, list[str]]:
    """{url: [pages linking to it]} for every http(s) link in the site's HTML."""
    pages: dict[str, list[str]] = defaultdict(list)
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in dict.fromkeys(parser.found):
            pages[url].append(page.relative_to(site).as_posix())
    return dict(pages)


def check_link(url: str, timeout: float) -> str | None:
    """None when the link answers with a success; else what went wrong."""
    for method in ("HEAD", "GET"):  # some servers refuse HEAD
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout):  # only http(s) URLs get here
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return f"HTTP {error.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            return f"unreachable: {getattr(error, 'reason', error)}"
    return "no answer"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--ignore", action="append", default=[], help="regex of URLs to skip")
    parser.add_argument("--timeout", type=float, default=15.0)
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        parser.error(f"{args.site} is not a built site (no index.html); run `make site` first")
    links = {
        url: pages
        for url, pages in external_links(args.site).items()
        if not any(re.search(pattern, url) for pattern in args.ignore)
    }
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = dict(
            zip(links, pool.map(lambda u: check_link(u, args.timeout), links), strict=True)
        )
    broken = {url: problem for url, problem in results.items() if problem}
    for url, problem in sorted(broken.items()):
        print(f"{url}: {problem} (linked from {', '.join(links[url])})", file=sys.stderr)
    print(f"{len(links)} external link(s) checked, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
