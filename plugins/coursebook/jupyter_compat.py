"""mkdocs-jupyter's options, read as coursebook's settings: a site switches plugins by renaming
`- mkdocs-jupyter:` to `- coursebook:` and keeps its options (docs/authoring/adopt.md has the
table). Options with a meaning here become notebook settings; the others are named in one
notice, which is not a warning: each concerns nbconvert's own HTML, which coursebook does not
make, so nothing a reader sees is lost, and a strict build that passed before still passes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from .errors import BuildError
from .notebooks.cell_tags import TAG_RULE_NAMES, TagRules

WHERE = "mkdocs.yml: plugins.coursebook"

# Options that do nothing here, and why (the notice quotes these).
NO_EFFECT = {
    "include_source": "the .ipynb is always published, at its own path, as the page's download",
    "include_requirejs": "outputs are rendered without nbconvert's RequireJS",
    "custom_mathjax_url": "notebook math is typeset by the site's own MathJax (arithmatex)",
    "toc_depth": "the table of contents follows the site's `toc` extension",
    "theme": "notebook pages follow the site's theme and palette",
    "highlight_extra_classes": "code is highlighted by the site's own highlighter",
    "data_files": "every file under docs/ is published as it is",
}

# Options with a meaning here; with NO_EFFECT, every option mkdocs-jupyter has.
MAPPED = (
    "include",
    "ignore",
    "execute",
    "execute_ignore",
    "allow_errors",
    "kernel_name",
    "remove_tag_config",
    "show_input",
    "no_input",
    "ignore_h1_titles",
)
OPTION_NAMES = (*MAPPED, *NO_EFFECT)


@dataclass
class AdoptedOptions:
    """What a site's mkdocs-jupyter options mean here."""

    notebooks: object  # the `notebooks:` settings with the options applied (NotebookOptions)
    include: tuple[str, ...] | None = None  # globs of the notebooks made pages; None: all
    ignore: tuple[str, ...] = ()
    tag_rules: TagRules = field(default_factory=TagRules)
    # mkdocs-jupyter's `ignore_h1_titles`: the nav's titles for notebooks win over their own.
    keep_nav_titles: bool = False
    no_effect: list[str] = field(default_factory=list)  # written, but nothing here uses them

    def notice(self) -> str | None:
        if not self.no_effect:
            return None
        reasons = "; ".join(f"{name}: {NO_EFFECT[name]}" for name in self.no_effect)
        return (
            f"{WHERE}: mkdocs-jupyter option(s) with no effect in coursebook: {reasons} "
            "(see 'Adopt coursebook' in the authoring docs)"
        )


def right_anchored(patterns: list[str]) -> list[str]:
    """mkdocs-jupyter matches its globs from the right of the path (`PurePath.match`):
    `week-*.ipynb` matches `notebooks/week-1.ipynb`. coursebook's globs match whole paths
    inside docs/, so each is also tried below any folder."""
    return [form for pattern in patterns for form in (pattern, f"*/{pattern}")]


def _tag_rules(value: dict) -> TagRules:
    tags: dict[str, tuple[str, ...]] = {}
    for name, listed in value.items():
        if name not in TAG_RULE_NAMES:
            raise BuildError(
                f"{WHERE}.remove_tag_config: unknown key {name!r}; expected one of "
                + ", ".join(TAG_RULE_NAMES)
            )
        listed = [listed] if isinstance(listed, str) else listed
        if not isinstance(listed, list) or not all(isinstance(tag, str) for tag in listed):
            raise BuildError(
                f"{WHERE}.remove_tag_config.{name}: expected a list of tags, got {listed!r}"
            )
        tags[name] = tuple(listed)
    return TagRules(**tags)


def adopt_options(config) -> AdoptedOptions:
    """`config`: the plugin's settings (config.CourseConfig). A site that wrote any
    mkdocs-jupyter option gets mkdocs-jupyter's defaults for the rest (notebooks rendered as
    saved, errors allowed when executing), so that switching changes no page."""
    written = {name: config[name] for name in OPTION_NAMES if config[name] is not None}
    notebooks = copy.copy(config.notebooks)
    adopted = AdoptedOptions(notebooks)
    if not written:
        return adopted
    adopted.keep_nav_titles = bool(written.get("ignore_h1_titles"))
    execute = written.get("execute", False)
    if "execute" in written or notebooks["execute"] is None:
        # The top-level option wins; unwritten, mkdocs-jupyter's default, unless the site
        # chose a mode under `notebooks:`.
        notebooks["execute"] = "cache" if execute else "off"
    if execute:
        notebooks["allow_errors"] = written.get("allow_errors", True)
    elif "allow_errors" in written:
        notebooks["allow_errors"] = written["allow_errors"]
    if written.get("execute_ignore"):
        globs = dict.fromkeys(right_anchored(written["execute_ignore"]), "off")
        notebooks["execute_globs"] = {**globs, **notebooks["execute_globs"]}
    if written.get("kernel_name"):
        notebooks["kernel_name"] = written["kernel_name"]
    if "include" in written:
        adopted.include = tuple(written["include"])
    adopted.ignore = tuple(written.get("ignore", ()))
    rules = _tag_rules(written.get("remove_tag_config") or {})
    # nbconvert's exclude_input: show_input false, or no_input true, hide every code input.
    rules.hide_all_inputs = written.get("show_input") is False or bool(written.get("no_input"))
    adopted.tag_rules = rules
    adopted.no_effect = [name for name in NO_EFFECT if name in written]
    return adopted
