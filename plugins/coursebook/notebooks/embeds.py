"""Replace embedded third-party players (`<iframe>`) by click-to-load placeholders, so that
opening a page requests nothing from YouTube, Vimeo or any other host until the reader asks.

The original iframe is kept, unchanged, inside an inert `<template>`; coursebook.js puts it in
place on click. In print the placeholder shows its thumbnail (or title) and the player's address.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

IFRAME = re.compile(r"<iframe\b(?P<attrs>[^>]*)>.*?</iframe\s*>", re.IGNORECASE | re.DOTALL)
ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
YOUTUBE_HOSTS = ("youtube.com", "youtube-nocookie.com", "youtu.be")


def _attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in ATTRIBUTE.findall(text):
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        found.setdefault(name.lower(), html.unescape(value))
    return found


def _host(netloc: str) -> str:
    return netloc.lower().removeprefix("www.")


def page_url(src: str) -> str:
    """Where a reader (or a printed page) can watch the player's content outside the page."""
    parts = urlsplit(src)
    host = _host(parts.netloc)
    if host.endswith(YOUTUBE_HOSTS) and parts.path.startswith("/embed/"):
        video = parts.path.removeprefix("/embed/").split("/")[0]
        start = parse_qs(parts.query).get("start")
        return f"https://www.youtube.com/watch?v={video}" + (f"&t={start[0]}s" if start else "")
    if host == "player.vimeo.com" and parts.path.startswith("/video/"):
        return "https://vimeo.com/" + parts.path.removeprefix("/video/")
    # Neuromatch's Bilibili players: player.bilibili.com/player.html?bvid=BV…&page=1
    bvid = parse_qs(parts.query).get("bvid")
    if host == "player.bilibili.com" and bvid:
        return f"https://www.bilibili.com/video/{bvid[0]}"
    return src


def _kind(host: str) -> str:
    if host.endswith(YOUTUBE_HOSTS):
        return "YouTube video"
    if host.endswith("vimeo.com"):
        return "Vimeo video"
    if host.endswith("bilibili.com"):
        return "Bilibili video"
    return f"Embedded page from {host}"


def _size_style(attrs: dict[str, str]) -> str:
    width, height = attrs.get("width", ""), attrs.get("height", "")
    if width.isdigit() and height.isdigit() and int(height):
        return f' style="max-width: {int(width)}px; aspect-ratio: {int(width)} / {int(height)}"'
    return ""


def placeholder(iframe_html: str, thumbnail: str | None = None) -> str:
    """The click-to-load block for one `<iframe>` (its complete HTML); `thumbnail` is an image
    URL shown in its place, else the title and the host are."""
    match = IFRAME.match(iframe_html)
    attrs = _attributes(match["attrs"]) if match else {}
    src = attrs.get("src", "")
    parts = urlsplit(src)
    if not parts.scheme.startswith("http"):
        return iframe_html  # same-site or inline (srcdoc) frames load nothing from elsewhere
    host = _host(parts.netloc)
    title = attrs.get("title") or _kind(host)
    address = page_url(src)
    # The button's name is its visible text (title, host), so speech input users can say it.
    if thumbnail:
        face = (
            f'<img class="cb-embed__thumbnail" src="{html.escape(thumbnail)}" alt="">'
            f'<span class="cb-embed__title cb-embed__title--hidden">{html.escape(title)}</span>'
        )
    else:
        face = f'<span class="cb-embed__title">{html.escape(title)}</span>'
    return (
        f'<div class="cb-embed" data-cb-embed{_size_style(attrs)}>'
        f'<button type="button" class="cb-embed__load">{face}'
        f'<span class="cb-embed__play" aria-hidden="true"></span>'
        f'<span class="cb-embed__host">{html.escape(host)} · click to load</span></button>'
        f'<template class="cb-embed__player">{iframe_html}</template>'
        f'<p class="cb-embed__address">{html.escape(title)}: '
        f'<a href="{html.escape(address)}" rel="noopener">{html.escape(address)}</a></p>'
        "</div>"
    )


def defer_iframes(text: str, thumbnail: str | None = None) -> str:
    """`text` (HTML) with every iframe replaced by its placeholder; a `thumbnail` is used only
    when there is exactly one iframe (it is that output's own picture)."""
    if "<iframe" not in text.lower():
        return text
    frames = _iframe_spans(text)
    picture = thumbnail if len(frames) == 1 else None
    parts, done = [], 0
    for start, end in frames:
        parts += [text[done:start], placeholder(text[start:end], picture)]
        done = end
    parts.append(text[done:])
    return "".join(parts)


IFRAME_OPEN = re.compile(r"<iframe\b", re.IGNORECASE)
IFRAME_CLOSE = re.compile(r"</iframe\s*>", re.IGNORECASE)


def _iframe_spans(text: str) -> list[tuple[int, int]]:
    """Where IFRAME matches in `text`, found in one pass. The regular expression itself tries
    every unclosed `<iframe` to the end of the text (quadratic: 257 KiB of them took 39 s);
    but when an opening tag has no `>` or no `</iframe>` after it, no later one has either."""
    spans = []
    position = 0
    while (opening := IFRAME_OPEN.search(text, position)) is not None:
        tag_end = text.find(">", opening.end())
        if tag_end == -1:
            break
        closing = IFRAME_CLOSE.search(text, tag_end + 1)
        if closing is None:
            break
        spans.append((opening.start(), closing.end()))
        position = closing.end()
    return spans


IMAGE_TAG = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.IGNORECASE)
# "Open in Colab/Binder/Kaggle" badges and shields: pictures from elsewhere that only label a
# link, so they are shown by their text instead of being fetched when the page opens.
BADGE = re.compile(
    r"^https?://(colab\.research\.google\.com/assets/|mybinder\.org/badge|img\.shields\.io/"
    r"|kaggle\.com/static/images/open-in-kaggle|studiolab\.sagemaker\.aws/studiolab\.svg)"
)


def badges_as_text(text: str) -> str:
    """`text` (HTML) with every off-site badge image replaced by its alt text."""
    if "<img" not in text.lower():
        return text

    def replace(match: re.Match) -> str:
        attrs = _attributes(match["attrs"])
        if not BADGE.match(attrs.get("src", "")):
            return match.group(0)
        label = attrs.get("alt") or "badge"
        return f'<span class="cb-badge">{html.escape(label)}</span>'

    return IMAGE_TAG.sub(replace, text)
