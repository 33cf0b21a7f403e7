"""Replace embedded third-party players (`<iframe>`) by click-to-load placeholders, so that
opening a page requests nothing from YouTube, Vimeo or any other host until the reader asks.

The original iframe is kept, unchanged, inside an inert `<template>`; coursebook.js puts it in
place on click. In print the placeholder shows its thumbnail (or title) and the player's address.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from .templates import render_template

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


@dataclass(frozen=True)
class VideoDetails:
    """What an author says about a player: its title (the button's and the frame's name), a
    transcript's address, and captions (True, or the language to show them in)."""

    title: str | None = None
    transcript: str | None = None
    captions: bool | str = False
    # Where the player sits (its Colab form's title, the heading above it): a name used when
    # neither the author nor the iframe gives one.
    context_title: str | None = None

    @classmethod
    def from_metadata(cls, *sources: object, context_title: str | None = None) -> VideoDetails:
        """From the first `coursebook.video` mapping among `sources` (output, then cell
        metadata), e.g. `{"title": "Video 1", "transcript": "https://...", "captions": "en"}`."""
        found: dict = {}
        for source in sources:
            video = ((source or {}).get("coursebook") or {}) if isinstance(source, dict) else {}
            video = video.get("video") if isinstance(video, dict) else None
            if isinstance(video, dict):
                found = video
                break
        title = found.get("title") if isinstance(found.get("title"), str) else None
        transcript = found.get("transcript")
        captions = found.get("captions", False)
        return cls(
            title=(title or "").strip() or None,
            transcript=transcript if isinstance(transcript, str) and transcript else None,
            captions=captions if isinstance(captions, bool | str) else False,
            context_title=context_title,
        )


def _fallback_title(host: str, src: str) -> str:
    """A name that tells untitled players apart: the kind of player and the video's id."""
    parts = urlsplit(src)
    if host.endswith(YOUTUBE_HOSTS) and parts.path.startswith("/embed/"):
        return f"YouTube video {parts.path.removeprefix('/embed/').split('/')[0]}"
    return _kind(host)


def _with_captions(iframe_html: str, src: str, host: str, captions: bool | str) -> str:
    """The iframe asking YouTube to show captions from the start, in the language given."""
    if not captions or not host.endswith(YOUTUBE_HOSTS):
        return iframe_html
    query = {"cc_load_policy": "1"}
    if isinstance(captions, str) and captions.strip():
        query["cc_lang_pref"] = captions.strip()
    joined = src + ("&" if "?" in src else "?") + urlencode(query)
    # The attribute as written: plain, or with its ampersands escaped.
    for written, replacement in ((src, joined), (html.escape(src), html.escape(joined))):
        if any(f"{q}{written}" in iframe_html for q in ('"', "'", "=")):
            return iframe_html.replace(written, replacement, 1)
    return iframe_html


def _safe_address(address: str | None) -> str | None:
    """A transcript's address as a link can take it: web or relative, never `javascript:` or
    `data:` (a notebook's metadata is an author's text, and the link is clicked by readers)."""
    if not address or not address.strip():
        return None
    scheme = urlsplit(address.strip()).scheme.lower()
    return address.strip() if scheme in ("", "http", "https") else None


def _titled(iframe_html: str, attrs: dict[str, str], title: str) -> str:
    """The iframe with a `title` (axe frame-title): the player's name once it is loaded."""
    if attrs.get("title"):
        return iframe_html
    return re.sub(r"<iframe\b", f'<iframe title="{html.escape(title)}"', iframe_html, count=1)


def placeholder(
    iframe_html: str, thumbnail: str | None = None, video: VideoDetails | None = None
) -> str:
    """The click-to-load block for one `<iframe>` (its complete HTML); `thumbnail` is an image
    URL shown in its place, else the title and the host are. `video` is what the author said
    about it; the iframe's own `title`, `data-cb-transcript` and `data-cb-captions` count too."""
    match = IFRAME.match(iframe_html)
    attrs = _attributes(match["attrs"]) if match else {}
    src = attrs.get("src", "")
    parts = urlsplit(src)
    if not parts.scheme.startswith("http"):
        return iframe_html  # same-site or inline (srcdoc) frames load nothing from elsewhere
    host = _host(parts.netloc)
    video = video or VideoDetails()
    title = (
        video.title
        or attrs.get("title", "").strip()
        or video.context_title
        or _fallback_title(host, src)
    )
    transcript = _safe_address(attrs.get("data-cb-transcript") or video.transcript)
    captions: bool | str = attrs.get("data-cb-captions") or video.captions
    if isinstance(captions, str) and captions.strip().lower() in ("true", "yes"):
        captions = True
    # YAML's and HTML's words for "none": they are no captions, and the audit asks for them.
    if isinstance(captions, str) and captions.strip().lower() in ("", "false", "no", "off"):
        captions = False
    is_video = not _kind(host).startswith("Embedded page")
    width, height = attrs.get("width", ""), attrs.get("height", "")
    return render_template(
        "notebook_embed.html",
        is_video=is_video,
        title=title,
        host=host,
        thumbnail=thumbnail,
        captions="true" if captions is True else (captions or ""),
        transcript=transcript or "",
        size=(int(width), int(height))
        if width.isdigit() and height.isdigit() and int(height)
        else None,
        frame=_titled(_with_captions(iframe_html, src, host, captions), attrs, title),
        address=page_url(src),
    )


def defer_iframes(
    text: str, thumbnail: str | None = None, video: VideoDetails | None = None
) -> str:
    """`text` (HTML) with every iframe replaced by its placeholder; a `thumbnail` and the
    author's `video` details are used only when there is exactly one iframe (they are that
    output's own)."""
    if "<iframe" not in text.lower():
        return text
    frames = _iframe_spans(text)
    picture = thumbnail if len(frames) == 1 else None
    details = video if len(frames) == 1 else None
    parts, done = [], 0
    for start, end in frames:
        parts += [text[done:start], placeholder(text[start:end], picture, details)]
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
