"""A page's Markdown with its pymdownx.snippets includes (`--8<--`) expanded, exactly as the
renderer will expand them, so that the solutions stripping sees what the page will show.

Why expand rather than refuse an include of a file holding a solution: a course keeps one
exercise's solution in `snippets/` and includes it in the lecture and in its handout page;
refusing would take that habit away, and a snippet file is not published by itself unless it
is under docs/ (where it is a page of its own and is stripped as one). Expanding is exact only
if it is done by pymdownx's own code with the site's own settings: `base_path` (a list),
`restrict_base_path`, `check_paths`, line ranges (`file.md:3:8`), sections
(`file.md:name`), nested includes, block (`--8<--` ... `--8<--`) and escaped (`;--8<--`)
forms. So the site's `SnippetPreprocessor` does it here, once, and what remains in the text
for the renderer's own pass is nothing to include: every snippet line that the expansion
left (the escaped ones, now unescaped) is escaped again, so the renderer shows it as the
author wrote it and includes nothing a second time.

`auto_append` files are appended by the renderer to every page whatever the page says: they
are not expanded here (the renderer would append them again) but checked; one that holds a
solution stops the build (see `check_auto_append`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

SNIPPETS = "pymdownx.snippets"
# Every snippet notation holds one of these: a page without them has no include (most pages).
_NOTATION = "8<"


class IncludeError(ValueError):
    """An include that cannot be expanded (pymdownx would fail the same way); names the page."""


def snippet_settings(markdown_extensions: list[Any], mdx_configs: dict[str, Any]) -> dict | None:
    """The site's pymdownx.snippets settings (from mkdocs.yml's markdown_extensions), or None
    when the site does not include snippets."""
    names = [e if isinstance(e, str) else type(e).__module__ for e in markdown_extensions]
    if SNIPPETS not in names:
        return None
    return dict(mdx_configs.get(SNIPPETS) or {})


def _preprocessor(settings: dict, auto_append: bool):
    """pymdownx's own preprocessor with the site's settings (imported only when a page
    includes something)."""
    import markdown
    from pymdownx.snippets import SnippetExtension

    options = dict(settings)
    if not auto_append:
        options["auto_append"] = []
    md = markdown.Markdown(extensions=[SnippetExtension(**options)])
    return md.preprocessors["snippet"]


def _escape_left_notation(lines: list[str], processor) -> list[str]:
    """Escape every line the renderer's own snippets pass would act on: after the expansion,
    those are only lines the author escaped (`;--8<-- "x"`, now `--8<-- "x"`) or section
    markers of an included section. Escaped, the renderer prints them as written."""
    out = []
    for line in lines:
        found = processor.RE_ALL_SNIPPETS.match(line)
        if found is not None and not found.group("escape"):
            space = found.group("space")
            out.append(f"{space};{line[len(space) :]}")
            continue
        section = processor.match_section(line)
        if section is not None and not section.group("escape"):
            cut = len(section.group("pre"))
            out.append(f"{line[:cut]};{line[cut:]}")
            continue
        out.append(line)
    return out


def expand_includes(markdown: str, settings: dict | None, where: str) -> tuple[str, bool]:
    """`markdown` with its includes expanded as the site's pymdownx.snippets expands them, and
    whether there were any. `settings`: `snippet_settings` (None: the site has no snippets,
    nothing is expanded). Raises IncludeError naming `where` for an include pymdownx cannot
    read when the site asks it to check (`check_paths`)."""
    if settings is None or _NOTATION not in markdown:
        return markdown, False
    from pymdownx.snippets import SnippetMissingError

    processor = _preprocessor(settings, auto_append=False)
    lines = markdown.split("\n")
    try:
        expanded = processor.run(lines)
    except SnippetMissingError as error:
        raise IncludeError(f"{where}: {error}") from error
    if expanded == lines:
        return markdown, False
    return "\n".join(_escape_left_notation(expanded, processor)), True


def included_files(markdown: str, settings: dict | None) -> set[Path]:
    """Every file the site's pymdownx.snippets reads to expand `markdown`, nested includes
    too. A file under docs/ that a withheld solution includes is a static file of the site as
    well: the course withholds it with the solution (`CoursePages.withheld_files`)."""
    if settings is None or _NOTATION not in markdown:
        return set()
    processor = _preprocessor(settings, auto_append=False)
    read: set[Path] = set()
    find = processor.get_snippet_path

    def recorded(path):
        found = find(path)
        if found is not None:
            read.add(Path(found).resolve())
        return found

    # The instance's own lookup, recorded: the expansion's rules stay pymdownx's.
    processor.get_snippet_path = recorded
    # The page's own expansion has read the same files already: none is missing.
    processor.run(markdown.split("\n"))
    return read


def check_auto_append(settings: dict | None, holds_solution: Callable[[str], bool]) -> str | None:
    """The problem with the site's `auto_append` snippets, if one holds a solution: they are
    added to every page by the renderer, after any stripping, so they cannot be withheld."""
    if settings is None or not settings.get("auto_append"):
        return None
    processor = _preprocessor(settings, auto_append=True)
    appended = "\n".join(processor.run([]))
    if holds_solution(appended):
        names = ", ".join(map(str, settings["auto_append"]))
        return (
            f"mkdocs.yml: markdown_extensions: pymdownx.snippets: auto_append: {names} holds a "
            "solution, which would be appended to every page unreleased: include it from the "
            "lecture page with `--8<--` instead"
        )
    return None
