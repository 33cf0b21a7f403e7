"""Split a lecture page's rendered HTML into reveal.js slides and speaker notes.

The page is the notes, the deck is its skeleton: a new slide starts at every heading down to the
slide level, and at every `<hr>` (titled as the slide it continues); lists, tables, figures,
code, display math and admonitions stay on the slide; prose paragraphs go to the slide's speaker
notes. Authors override per block with the classes `slide`, `notes`, `page-only` and
`slides-only`. Pages not written for slides (converted notebooks) get no empty or untitled
slides, and a section too tall for one slide is split at its figures and code blocks
(slide_sizes.py estimates the heights).

Only the page's top-level blocks are looked at (what Markdown makes of a page is a flat run of
blocks), so each block's HTML is kept byte for byte as the page has it: same highlighting, same
math markup, same admonitions. Nothing here knows MkDocs.
"""

from __future__ import annotations

import html
import itertools
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from urllib.parse import urlsplit

from .slide_sizes import FRAME_HEIGHT, BlockSize, estimate, title_height

VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
HEADINGS = {f"h{n}": n for n in range(1, 7)}
# coursebook's own page furniture: the handout header and the print/PDF/Present actions.
PAGE_FURNITURE = frozenset({"cb-handout-header", "cb-lecture-actions", "footnote"})
READINGS_CLASS = "cb-lecture-readings"
CHECKLIST_CLASS = "cb-checklist"
TAG_WITH_URL = re.compile(r"<[a-zA-Z][^<>]*?\s(?:href|src|poster|data)=[^<>]*>")
URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src|poster|data)=)(["'])(.*?)\2""", re.S)
HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
# What a page's content may load that a deck must not (see `_without_page_scripts`).
CONTENT_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.S | re.I)
CONTENT_LINK = re.compile(r"<link\b[^>]*>", re.I)
OFF_SITE_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?(?:[a-z][\w+.-]*:)?//[^;]*;""", re.I)
FIGURE_TAG = re.compile(r"<svg\b.*?</svg\s*>", re.S | re.I)


@dataclass(frozen=True)
class Block:
    """One top-level element of the page (or a run of text), with its HTML as the page has it."""

    tag: str  # "" for text between elements
    attrs: dict[str, str]
    html: str

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        return plain_text(self.html)


@dataclass(frozen=True)
class Item:
    """One block of a slide, in page order: shown on the slide, or said (the notes)."""

    html: str
    shown: bool
    size: BlockSize | None = None  # for a shown block


@dataclass
class Slide:
    title: str | None  # heading HTML without its permalink, None for an untitled slide
    title_tag: str = "h2"
    id: str | None = None
    kind: str = "content"  # "content", "section" (a heading directly followed by a subheading)
    items: list[Item] = field(default_factory=list)
    continued: bool = False  # its title carried on from the slide before (a break or a split)
    too_big: str | None = None  # the block that cannot fit even shrunk (see fit_slides)

    @property
    def body(self) -> list[str]:
        return [item.html for item in self.items if item.shown]

    @property
    def notes(self) -> list[str]:
        return [item.html for item in self.items if not item.shown]

    @property
    def title_text(self) -> str:
        return plain_text(self.title or "")

    def show(self, html: str, size: BlockSize | None = None) -> None:
        """Put `html` (one block) on the slide; `size`: its estimate, else made here."""
        if size is None:
            first = top_level_blocks(html)
            block = first[0] if len(first) == 1 else Block("div", {}, html)
            size = estimate(block.tag, block.classes, html, partial(plain_text, html))
        self.items.append(Item(html, True, size))

    def tell(self, html: str) -> None:
        self.items.append(Item(html, False))

    def carry_on(self) -> Slide:
        """An empty slide that continues this one's title."""
        return Slide(self.title, self.title_tag, continued=True)


@dataclass(frozen=True)
class CriteriaSlide:
    """A criteria group as the deck shows it: its title, items for the slide, notes."""

    title: str
    body: str
    notes: str


@dataclass(frozen=True)
class CourseBlocks:
    """Course objects rendered for the deck (HTML), put where the page has them."""

    readings: str | None = None  # replaces the page's reading list
    notebooks: str | None = None  # a slide of its own after the readings (or the title)
    criteria: dict[str, CriteriaSlide] = field(default_factory=dict)  # by checklist id


@dataclass
class Deck:
    """The title slide's notes, then the slides in order (the title slide is the template's)."""

    title_notes: list[str]
    slides: list[Slide]


# A tag or a comment; attribute values may hold ">" only inside quotes.
TOKEN = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
RAW_TEXT = frozenset({"script", "style", "textarea"})


def _attributes(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in ATTRIBUTE.finditer(text)
    }


def top_level_blocks(source: str) -> list[Block]:
    """The page HTML as a list of top-level blocks; text between them becomes text blocks
    (whitespace and comments are dropped).

    A scan of tags rather than a full parse: Markdown's HTML is well formed and escapes "<" in
    text and attributes, and this is the part of a deck's build that grows with the page."""
    blocks: list[Block] = []
    depth = 0
    position = 0  # end of the last top-level block
    opened: tuple[int, str, str] | None = None
    search = 0
    while match := TOKEN.search(source, search):
        search = match.end()
        closing, name, rest = match.group(1), match.group(2), match.group(3)
        if name is None:  # a comment
            continue
        name = name.lower()
        if closing:
            depth -= 1
            if depth == 0 and opened is not None:
                begin, tag, attributes = opened
                _add_text(blocks, source[position:begin])
                blocks.append(Block(tag, _attributes(attributes), source[begin : match.end()]))
                position = match.end()
                opened = None
            depth = max(depth, 0)
            continue
        if name in RAW_TEXT:
            end = source.lower().find(f"</{name}", search)
            search = end if end >= 0 else len(source)
        if name in VOID_TAGS or rest.rstrip().endswith("/"):
            if depth == 0:
                _add_text(blocks, source[position : match.start()])
                blocks.append(Block(name, _attributes(rest.rstrip().rstrip("/")), match.group(0)))
                position = match.end()
            continue
        if depth == 0:
            opened = (match.start(), name, rest)
        depth += 1
    _add_text(blocks, source[position:])
    return blocks


def _add_text(blocks: list[Block], text: str) -> None:
    if not text or text.isspace():
        return
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S).strip()
    if text:
        blocks.append(Block("", {}, text))


def plain_text(fragment: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", HEADERLINK.sub("", fragment)))
    return " ".join(text.split())


def _on_slide(block: Block) -> bool:
    """Whether a block shows on the slide (else it goes to the notes), before overrides."""
    classes = block.classes
    if "notes" in classes:
        return False
    if classes & {"slide", "slides-only"}:
        return True
    if block.tag == "p":
        # A paragraph that is only an image or an inline SVG (a figure without a caption) is
        # not prose.
        figure = "<img" in block.html or "<svg" in block.html
        return figure and not plain_text(FIGURE_TAG.sub("", block.html))
    return block.tag != ""


# Wrappers whose content is one thing on a slide, even when it holds a heading.
KEEP_WHOLE = PAGE_FURNITURE | {
    "notes",
    "slides-only",
    "page-only",
    "admonition",
    "tabbed-set",
    READINGS_CLASS,  # replaced whole by the course's reading list
    CHECKLIST_CLASS,
}
WRAPPERS = frozenset({"div", "section", "article"})
HEADING_TAG = re.compile(r"<h[1-6]\b", re.I)


def _unwrapped(blocks: list[Block], level: int) -> list[Block]:
    """`blocks`, with each plain wrapper that holds a heading down to the slide level (a
    `<div markdown>` around a section, a converter's `<div class="cell">`) replaced by its
    content: its headings start slides as they would outside it. Without this the whole
    wrapper, every section in it, was one slide."""
    found: list[Block] = []
    for block in blocks:
        if (
            block.tag in WRAPPERS
            and not block.classes & KEEP_WHOLE
            and HEADING_TAG.search(block.html)
        ):
            inner = top_level_blocks(block.html[block.html.index(">") + 1 : block.html.rindex("<")])
            if any(HEADINGS.get(child.tag, 7) <= level for child in inner):
                found.extend(_unwrapped(inner, level))
                continue
        found.append(block)
    return found


def _without_page_scripts(content: str) -> str:
    """The page's content without what it would load into a deck beyond the deck's own files:
    scripts anywhere in it (a plotly or bokeh output wraps its `<script src=...cdn...>` in a
    `<div>`; the notes are in the deck too), stylesheet links, and a `<style>`'s `@import` of
    another site (a web font)."""
    if "<script" in content or "<SCRIPT" in content:
        content = CONTENT_SCRIPT.sub("", content)
    if "<link" in content or "<LINK" in content:
        content = CONTENT_LINK.sub("", content)
    if "@import" in content:
        content = OFF_SITE_IMPORT.sub("", content)
    return content


def _heading(block: Block) -> tuple[str, str]:
    """The heading's inner HTML without its permalink, and its id."""
    inner = block.html[block.html.index(">") + 1 : block.html.rindex("<")]
    return HEADERLINK.sub("", inner).strip(), block.attrs.get("id", "")


def _for_slide(block: Block) -> str:
    """Block HTML as the deck shows it: collapsible blocks open."""
    if block.tag == "details" and "open" not in block.attrs:
        return "<details open" + block.html[len("<details") :]
    return block.html


def split_slides(
    page_html: str,
    level: int,
    course: CourseBlocks | None = None,
    *,
    page_title: str | None = None,
    min_scale: float = 0.6,
) -> Deck:
    """The deck of a lecture page: everything up to its first heading is the title slide's
    (prose to its notes, anything else on a slide after it, titled with the page's title: its
    H1, else `page_title`, HTML); then a slide per heading down to `level`. A thematic break
    (`<hr>`) starts a slide that carries on the title of the one before, and a section too tall
    for one slide is split at its figures, code blocks and tables (`fit_slides`); no slide is
    left empty. `min_scale`: how far the deck may shrink a slide's text, for naming the blocks
    that cannot fit even so."""
    course = course or CourseBlocks()
    title_notes: list[str] = []
    slides: list[Slide] = []
    current: Slide | None = None  # None: still on the title slide
    preamble = Slide(page_title)
    notebooks_placed = False

    def start(slide: Slide) -> Slide:
        nonlocal current
        if current is None and preamble.items:
            slides.append(preamble)
        slides.append(slide)
        current = slide
        return slide

    def notebooks_slide() -> Slide:
        slide = Slide("Notebooks", id="cb-notebooks")
        slide.show(course.notebooks)
        return slide

    def add_notebooks() -> None:
        nonlocal notebooks_placed
        if course.notebooks and not notebooks_placed:
            notebooks_placed = True
            slides.append(notebooks_slide())

    blocks = _unwrapped(top_level_blocks(_without_page_scripts(page_html)), level)
    seen_title = False
    previous: Block | None = None
    pending_readings = False
    for block in blocks:
        classes = block.classes
        if classes & PAGE_FURNITURE or "page-only" in classes:
            continue
        if block.tag == "h1" and not seen_title:
            # The page title: the deck's title slide says it (with course, number and date),
            # and a slide of what comes before the first heading carries it.
            seen_title = True
            preamble.title = _heading(block)[0] or preamble.title
            previous = block
            continue
        if pending_readings and (block.tag in HEADINGS or block.tag == "hr"):
            add_notebooks()
            pending_readings = False
        if block.tag in HEADINGS and (
            HEADINGS[block.tag] <= level
            or (current is not None and _is_fresh(current) and current.continued)
        ):
            title, anchor = _heading(block)
            if current is not None and _is_fresh(current) and current.continued:
                # After a break: the heading that opens the slide is its title.
                current.title, current.title_tag, current.id = title, block.tag, anchor or None
                current.continued = False
            else:
                if (
                    current is not None
                    and previous is not None
                    and previous.tag in HEADINGS
                    and HEADINGS[previous.tag] < HEADINGS[block.tag]
                    and _is_fresh(current)
                ):
                    current.kind = "section"
                start(Slide(title, block.tag, anchor or None))
            previous = block
            continue
        if block.tag == "hr":
            # A break on a slide that shows nothing yet (right after a heading or another
            # break, or before anything but the title, or after prose only, which is said)
            # breaks nothing: no empty slides.
            opened = current if current is not None else preamble
            if opened.body:
                start(opened.carry_on())
                previous = block
            continue
        target = current if current is not None else preamble
        if READINGS_CLASS in classes and course.readings is not None:
            target.show(course.readings)
            pending_readings = True
        elif CHECKLIST_CLASS in classes:
            group = course.criteria.get(block.attrs.get("data-cb-checklist", ""))
            if group is None:
                target.show(block.html)
            else:
                if target.body:
                    target = start(Slide(html.escape(group.title), f"h{min(level, 6)}"))
                target.show(group.body)
                target.tell(group.notes)
        elif _on_slide(block):
            size = estimate(block.tag, classes, block.html, partial(plain_text, block.html))
            target.show(_for_slide(block), size)
        elif current is None and not preamble.body:
            title_notes.append(block.html)
        else:
            target.tell(block.html)
        previous = block
    if current is None and preamble.items:
        slides.append(preamble)
    if not notebooks_placed and course.notebooks:
        if pending_readings:
            add_notebooks()
        else:
            # No reading list on the page: the notebooks come right after the title.
            notebooks_placed = True
            index = 1 if slides and slides[0] is preamble else 0
            slides.insert(index, notebooks_slide())
    return Deck(title_notes, fit_slides(slides, min_scale))


def _is_fresh(slide: Slide) -> bool:
    return not slide.items


def fit_slides(slides: list[Slide], min_scale: float) -> list[Slide]:
    """The slides as shown: a continuing slide (after a break) that shows nothing is dropped
    and its notes join the slide before; a section taller than the frame is split at its
    figures, code blocks and tables; continuing slides are titled "Title (2/3)"; a slide with a
    block that cannot fit even with its text shrunk to `min_scale` says so in `too_big`."""
    kept: list[Slide] = []
    for slide in slides:
        if slide.continued and not slide.body:
            if kept:
                kept[-1].items.extend(slide.items)
            continue
        kept.extend(_split_by_size(slide))
    _number_continuations(kept)
    room = FRAME_HEIGHT / min_scale
    for slide in kept:
        shown = [item.size for item in slide.items if item.shown and item.size]
        biggest = max(shown, key=lambda size: size.height, default=None)
        title = title_height(slide.title_text)
        total = sum(size.height for size in shown)
        where = (
            f"where a slide has {FRAME_HEIGHT} px ({room:,.0f} px with its text shrunk to "
            f"{round(min_scale * 100)} %)"
        )
        if biggest and title + biggest.height > room:
            slide.too_big = f"{biggest.label}, about {biggest.height:,} px tall {where}"
        elif title + total > room:
            # Nothing to split it at (lists, formulas, boxes): shrinking is all the deck can
            # do, and it is not enough.
            slide.too_big = (
                f"{len(shown)} blocks with no figure, code block or table between them to split "
                f"at, about {total:,} px tall together {where}"
            )
    return kept


def _may_break(before: BlockSize | None, after: BlockSize | None) -> bool:
    """Whether a section may go on to a new slide between two blocks it shows: next to a
    figure, a code block or a table, and never right after a heading (it stays with what it
    heads)."""
    if before is None or after is None or before.kind == "heading":
        return False
    return before.splits or after.splits


def _split_by_size(slide: Slide) -> list[Slide]:
    """`slide`, or its pieces when its blocks are estimated taller than the frame: each piece
    filled with as many whole blocks as fit, breaking only where `_may_break`. Prose (the
    notes) goes with the block after it, which it usually introduces."""
    shown = [index for index, item in enumerate(slide.items) if item.shown]
    sizes = [slide.items[index].size for index in shown]
    heights = [size.height if size else 0 for size in sizes]
    budget = FRAME_HEIGHT - title_height(slide.title_text)
    if slide.kind != "content" or sum(heights) <= budget:
        return [slide]
    cuts: list[int] = []  # where a new piece starts, as positions in `shown`
    start, height, candidate = 0, 0, None
    for position, block_height in enumerate(heights):
        if position > start and _may_break(sizes[position - 1], sizes[position]):
            candidate = position
        if height + block_height > budget and candidate is not None:
            cuts.append(candidate)
            height = sum(heights[candidate:position])
            start, candidate = candidate, None
        height += block_height
    if not cuts:
        return [slide]
    bounds = [0, *(shown[position - 1] + 1 for position in cuts), len(slide.items)]
    pieces = [replace(slide, items=slide.items[: bounds[1]])]
    for begin, end in itertools.pairwise(bounds[1:]):
        piece = slide.carry_on()
        piece.items = slide.items[begin:end]
        pieces.append(piece)
    return pieces


def _number_continuations(slides: list[Slide]) -> None:
    """Title each continuing slide "Title (n/total)", counting the slide it continues."""
    start = 0
    while start < len(slides):
        end = start + 1
        while end < len(slides) and slides[end].continued:
            end += 1
        for part, slide in enumerate(slides[start + 1 : end], start=2):
            if slide.title:
                slide.title = f"{slide.title} ({part}/{end - start})"
        start = end


def rebase_urls(fragment: str, rebase: Callable[[str], str]) -> str:
    """Rewrite every URL attribute inside the tags of `fragment` with `rebase`; text is left
    alone (Markdown escapes `<` in text, so every `<` starts a tag). Only tags with a URL
    attribute reach Python: a page has thousands of tags and a few dozen links."""

    def tag(match: re.Match) -> str:
        return URL_ATTRIBUTE.sub(
            lambda m: m.group(1) + m.group(2) + rebase(html.unescape(m.group(3))) + m.group(2),
            match.group(0),
        )

    return TAG_WITH_URL.sub(tag, fragment)


def page_url_rebaser(page_url: str, deck_url: str) -> Callable[[str], str]:
    """`rebase(url)`: a URL written for the page at `page_url`, as seen from the deck at
    `deck_url` (both site-relative, e.g. lectures/02/ and lectures/02/slides/). In-page
    anchors point back at the page; absolute URLs are kept."""
    page_dir = url_folder(page_url)
    deck_dir = url_folder(deck_url)
    to_page = relative_url(page_url, deck_dir)

    seen: dict[str, str] = {}  # a page links the same few targets many times

    def rebase(url: str) -> str:
        if url not in seen:
            seen[url] = _rebase(url)
        return seen[url]

    def _rebase(url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme or url.startswith(("/", "//")):
            return html.escape(url)
        if not parts.path:
            return html.escape(to_page + url)
        target = posixpath.normpath(posixpath.join(page_dir or ".", parts.path))
        if parts.path.endswith("/") and not target.endswith("/"):
            target += "/"
        rest = url[len(parts.path) :]
        return html.escape(relative_url(target, deck_dir) + rest)

    return rebase


def url_folder(url: str) -> str:
    """The folder a site-relative URL is in: `lectures/02/` itself, `lectures/02.html` ->
    `lectures`."""
    return url if url.endswith("/") else posixpath.dirname(url)


def relative_url(target: str, from_dir: str) -> str:
    """Site-relative `target` as seen from the folder `from_dir` ("" is the site root)."""
    relative = posixpath.relpath(target or ".", from_dir or ".")
    if target.endswith("/") or target in ("", "."):
        relative = relative.rstrip("/") + "/"
    return "./" if relative == "./" else relative.removeprefix("./")


def deck_url(page_url: str) -> str:
    """Where a page's deck lives: `lectures/02/` -> `lectures/02/slides/`;
    `lectures/02.html` -> `lectures/02/slides/index.html`."""
    if page_url.endswith("/") or page_url == "":
        return f"{page_url}slides/"
    stem = page_url.removesuffix(".html")
    if stem.endswith("/index"):
        return f"{stem.removesuffix('index')}slides/index.html"
    return f"{stem}/slides/index.html"
