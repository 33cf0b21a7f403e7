"""Join tagged PDFs into one that is still tagged: structure trees, bookmarks, links, language.

A page-level merge (pypdf's `append`) keeps pages and bookmarks but drops each file's structure
tree, `/Lang` and title: the result is an untagged PDF a screen reader reads as one run of text.
Here every part's structure tree is copied under one `/Document` (each part's own `/Document`
becomes a `/Part`, with its `/Lang` when it differs), its parent-tree keys are moved past the
previous parts' (pages' `/StructParents`, annotations' `/StructParent` and the `/ParentTree`
entries together), its named destinations get a prefix so two lectures' `#introduction` stay
apart, and its bookmarks go under one bookmark per part.
"""

from __future__ import annotations

import warnings
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from .pdf_tags import UntaggedPdf, describe_document, tree_elements


@dataclass(frozen=True)
class Part:
    label: str  # its top-level bookmark, e.g. "Lecture 2 · Intro to theory"
    path: Path


def number_tree_items(node) -> list[tuple[int, object]]:
    """(key, value) pairs of a PDF number tree (a /Nums array, or /Kids of such nodes)."""
    items = []
    nums = node.get("/Nums")
    if nums is not None:
        items += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in node.get("/Kids", []):
        items += number_tree_items(kid)
    return items


def name_tree_items(node) -> list[tuple[str, object]]:
    """(key, value) pairs of a PDF name tree (a /Names array, or /Kids of such nodes)."""
    items = []
    names = node.get("/Names")
    if names is not None:
        items += [(str(names[i]), names[i + 1]) for i in range(0, len(names), 2)]
    for kid in node.get("/Kids", []):
        items += name_tree_items(kid)
    return items


def _prefix_ids(copied_tree, prefix: str) -> list[tuple[str, object]]:
    """The part's element ids (Chromium's "node00000283", which another part may use too)
    given `prefix`, in the elements' /ID and in the table cells' /Headers that name them;
    return the part's /IDTree entries with the new ids."""
    import pikepdf

    for element in tree_elements(copied_tree):
        if "/ID" in element:
            element.ID = pikepdf.String(prefix + str(element.ID))
        attributes = element.get("/A")
        for attribute in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
            if isinstance(attribute, pikepdf.Dictionary) and "/Headers" in attribute:
                attribute.Headers = pikepdf.Array(
                    [pikepdf.String(prefix + str(header)) for header in attribute.Headers]
                )
    return [
        (prefix + key, element)
        for key, element in name_tree_items(copied_tree.get("/IDTree", pikepdf.Dictionary()))
    ]


def _prefixed(destination, prefix: str):
    """A named destination (name or string) with `prefix`; an explicit one unchanged."""
    import pikepdf

    if isinstance(destination, pikepdf.Name):
        return pikepdf.Name("/" + prefix + str(destination)[1:])
    if isinstance(destination, pikepdf.String):
        return pikepdf.String(prefix + str(destination))
    return destination


def _move_page(page, offset: int, prefix: str) -> None:
    """A copied page's parent-tree keys moved by `offset`, its links' named destinations
    given `prefix`."""
    if "/StructParents" in page:
        page.StructParents = int(page.StructParents) + offset
    for annotation in page.get("/Annots", []):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset
        if "/Dest" in annotation:
            annotation.Dest = _prefixed(annotation.Dest, prefix)
        action = annotation.get("/A")
        if action is not None and action.get("/S") == "/GoTo" and "/D" in action:
            action.D = _prefixed(action.D, prefix)


def merge_tagged(parts: list[Part], output: Path, *, title: str) -> None:
    """Write `output`: the pages of every part in order, with one structure tree, one parent
    tree, the parts' named destinations and a bookmark per part over its own bookmarks."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    merged = pikepdf.new()
    tree = merged.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = merged.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array())
    )
    tree.K = Array([document])
    outlines = merged.make_indirect(Dictionary(Type=Name.Outlines, Count=0))
    parents: list[tuple[int, object]] = []  # the merged parent tree's entries
    dests = Dictionary()
    role_map = Dictionary()
    ids: list[tuple[str, object]] = []  # the merged /IDTree's entries (table headers' ids)
    next_key = 0
    lang = None
    previous_item = None
    # Streams are copied from the parts when `merged` is written: they stay open until then.
    with ExitStack() as open_files:
        for number, part in enumerate(parts, start=1):
            source = open_files.enter_context(pikepdf.open(part.path))
            source_tree = source.Root.get("/StructTreeRoot")
            if source_tree is None:
                raise UntaggedPdf(f"{part.path}: not a tagged PDF (no structure tree)")
            first = len(merged.pages)
            # Pages first: copy_foreign below then finds them already copied (one copier per
            # source), so /Pg and outline destinations point at these pages.
            with warnings.catch_warnings():
                # pikepdf warns that extend() drops named destinations: they are copied below
                # (with a prefix, which its add_pages_from() would not give them).
                warnings.simplefilter("ignore", pikepdf.exceptions.PageCopyWarning)
                merged.pages.extend(source.pages)
            copied_tree = merged.copy_foreign(source_tree)
            offset = next_key
            prefix = f"part{number}-"
            for page in merged.pages[first:]:
                _move_page(page.obj, offset, prefix)
            ids += _prefix_ids(copied_tree, prefix)
            items = sorted(
                number_tree_items(copied_tree.get("/ParentTree", Dictionary())),
                key=lambda kv: kv[0],
            )
            parents += [(key + offset, value) for key, value in items]
            last_key = max((key for key, _ in items), default=-1)
            next_key = offset + max(int(copied_tree.get("/ParentTreeNextKey", 0)), last_key + 1)
            for name, role in copied_tree.get("/RoleMap", Dictionary()).items():
                role_map[name] = role
            part_lang = str(source.Root.Lang) if "/Lang" in source.Root else None
            lang = lang or part_lang
            kids = copied_tree.K if isinstance(copied_tree.K, Array) else [copied_tree.K]
            for kid in kids:
                if kid.get("/S") == Name.Document:
                    kid.S = Name.Part
                    kid.T = pikepdf.String(part.label)
                    if part_lang and part_lang != lang:
                        kid.Lang = pikepdf.String(part_lang)
                kid.P = document
                document.K.append(kid)
            # Chromium names its destinations in /Dests (not a /Names tree).
            if "/Dests" in source.Root:
                for name, target in merged.copy_foreign(source.Root.Dests).items():
                    dests[Name("/" + prefix + name[1:])] = target
            previous_item = _add_bookmark(
                merged, outlines, previous_item, part.label, first, source
            )
        # Keys only grow from part to part: the entries are in order, as a /Nums must be.
        tree.ParentTree = merged.make_indirect(
            Dictionary(Nums=Array([item for entry in parents for item in entry]))
        )
        tree.ParentTreeNextKey = next_key
        if role_map:
            tree.RoleMap = role_map
        if ids:
            # A name tree's keys are in byte order.
            ids.sort(key=lambda entry: entry[0].encode("utf-8"))
            tree.IDTree = merged.make_indirect(
                Dictionary(Names=Array([item for key, e in ids for item in (key, e)]))
            )
        merged.Root.StructTreeRoot = tree
        merged.Root.Outlines = outlines
        merged.Root.PageMode = Name.UseOutlines
        if dests:
            merged.Root.Dests = merged.make_indirect(dests)
        describe_document(merged, title=title, lang=lang)
        merged.save(output)


def _add_bookmark(merged, outlines, previous, label: str, first_page: int, source):
    """Append a bookmark `label` (to the part's first page) to `outlines`, with the part's
    own bookmarks under it, copied whole (their /Dest and /SE point into the copied pages and
    structure); return it."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    item = merged.make_indirect(
        Dictionary(
            Title=pikepdf.String(label),
            Parent=outlines,
            Dest=Array([merged.pages[first_page].obj, Name.Fit]),
        )
    )
    children = 0
    source_outlines = source.Root.get("/Outlines")
    if source_outlines is not None and "/First" in source_outlines:
        copied = merged.copy_foreign(source_outlines)
        item.First, item.Last = copied.First, copied.Last
        child = copied.First
        while child is not None:
            child.Parent = item
            child = child.get("/Next")
        # Open, as the part had its own: its visible descendants count.
        children = abs(int(copied.get("/Count", 0)))
        item.Count = children
    if previous is None:
        outlines.First = item
    else:
        previous.Next = item
        item.Prev = previous
    outlines.Last = item
    outlines.Count = int(outlines.Count) + 1 + children
    return item
