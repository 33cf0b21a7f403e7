"""Why a printed page asked for a file from outside the site, and what to change so that it
does not: handouts print from the built site alone, so such a request is refused at once (never
waited for) and reported with the setting that causes it.

Plain functions over the URLs a page requested and the few mkdocs.yml settings that load files
(`extra_javascript`, `extra_css`); no browser here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Requests whose refusal changes nothing on paper: counted visits and the repository's star
# count in the header (not printed). Refused silently rather than failing every handout of a
# site with analytics or a GitHub `repo_url`.
UNPRINTED = (
    re.compile(r"^https?://(www\.)?(googletagmanager|google-analytics)\.com/"),
    re.compile(r"^https?://api\.github\.com/repos/"),
    re.compile(r"^https?://gitlab\.com/api/"),
)

MATHJAX_FIX = (
    "serve MathJax from the site: copy it into docs/ and list the local file instead (the "
    'README\'s "Math" step: docs/assets/vendor/mathjax/, mathjax-config.js and '
    "pymdownx.arithmatex)"
)


POLYFILL = re.compile(r"polyfill\.io", re.IGNORECASE)
POLYFILL_FIX = "remove it: the browsers that print handouts need no polyfill"


@dataclass(frozen=True)
class KnownSource:
    """Files a theme or a common setup loads from a CDN: how to recognise them, why they are
    loaded, and the fix."""

    pattern: re.Pattern[str]
    cause: str
    fix: str


KNOWN_SOURCES = (
    KnownSource(
        re.compile(r"^https?://fonts\.(googleapis|gstatic)\.com/"),
        "mkdocs-material's Google Fonts (mkdocs.yml `theme.font`, on unless set to false)",
        "set `font: false` under `theme:` in mkdocs.yml (the system's fonts), or serve the "
        "fonts from the site (mkdocs-material's privacy plugin)",
    ),
    KnownSource(
        re.compile(r"mermaid", re.IGNORECASE),
        "mermaid, which mkdocs-material loads from unpkg.com for a page with a diagram unless "
        "the page already has `window.mermaid`",
        "download mermaid.min.js (the npm package mermaid, dist/) into docs/javascripts/ and "
        "list it under `extra_javascript:` in mkdocs.yml: mkdocs-material then uses that one",
    ),
    KnownSource(
        re.compile(r"mathjax", re.IGNORECASE),
        "MathJax from a CDN (a template override or a page's own <script>)",
        MATHJAX_FIX,
    ),
    KnownSource(POLYFILL, "a polyfill service (an old MathJax setup step)", POLYFILL_FIX),
    KnownSource(
        re.compile(r"thebe", re.IGNORECASE),
        "thebe (live code cells) from a CDN",
        "load it from the site (download it into docs/ and list the copy) or leave it out: "
        "it does nothing on paper",
    ),
    KnownSource(
        re.compile(r"require(\.min)?\.js|requirejs", re.IGNORECASE),
        "require.js from a CDN (mkdocs-jupyter's pages load it)",
        "load it from the site, or leave it out",
    ),
)


def is_unprinted(url: str) -> bool:
    """A request the handout does without: refused, and not reported."""
    return any(pattern.search(url) for pattern in UNPRINTED)


def _listed(entries: Iterable) -> set[str]:
    """The URLs of mkdocs.yml's `extra_javascript`/`extra_css` (strings, or `path:` items)."""
    found = set()
    for entry in entries or ():
        path = entry.get("path") if isinstance(entry, dict) else entry
        if isinstance(path, str):
            found.add(path)
    return found


def _naming(site: Path | None, path: str, url: str) -> bool:
    """Whether the site's file `path` (a listed stylesheet or script) names `url`, as a
    stylesheet's `@import url(…)` does: the browser's Referer names only the site then."""
    if site is None or "://" in path:
        return False
    try:
        return url in (site / path.lstrip("/")).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def explain(
    url: str, extra_javascript: Iterable = (), extra_css: Iterable = (), site: Path | None = None
) -> str:
    """Why a page asked for `url` and what to change: the mkdocs.yml setting that lists it (or
    lists a file of the built `site` that names it), else a file a theme or common setup loads
    from a CDN, else where to look."""
    settings = (("extra_javascript", extra_javascript), ("extra_css", extra_css))
    for setting, entries in settings:
        if url in _listed(entries):
            if re.search("mathjax", url, re.IGNORECASE):
                return f"MathJax from a CDN, listed in mkdocs.yml `{setting}`: {MATHJAX_FIX}"
            if POLYFILL.search(url):  # mkdocs-material's MathJax recipe lists it: no copy
                return f"a polyfill service, listed in mkdocs.yml `{setting}`: {POLYFILL_FIX}"
            return (
                f"listed in mkdocs.yml `{setting}`: download it into docs/ and list the local "
                "copy instead"
            )
    for setting, entries in settings:
        for path in sorted(_listed(entries)):
            if _naming(site, path, url):
                return (
                    f"requested by {path}, listed in mkdocs.yml `{setting}`: download it into "
                    f"docs/ and change {path} to use the copy"
                )
    for source in KNOWN_SOURCES:
        if source.pattern.search(url):
            return f"{source.cause}: {source.fix}"
    return (
        "loaded by a page, a template override or a plugin: serve it from the site (download "
        "it into docs/ and link the copy) or remove it"
    )


def describe_offsite(
    requests: dict[str, list[str]],
    extra_javascript: Iterable = (),
    extra_css: Iterable = (),
    site: Path | None = None,
) -> str:
    """One message for every off-site URL of every page printed: `requests` maps each URL to
    the site paths of the pages that asked for it, in order; `site`: the built site folder."""
    pages = {page for asking in requests.values() for page in asking}
    lines = [
        f"{len(pages)} page(s) request files from outside the site; a handout prints from the "
        "site alone, so these were refused (nothing was waited for):"
    ]
    for url, asking in requests.items():
        shown = ", ".join(asking[:3]) + (f" and {len(asking) - 3} more" if len(asking) > 3 else "")
        lines.append(f"- {url} (from {shown})")
        lines.append(f"  {explain(url, extra_javascript, extra_css, site)}")
    return "\n".join(lines)
