"""Read coursebook's settings from mkdocs.yml without MkDocs, for the command line."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

import yaml


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold `!!python/name:` and `!ENV` tags; their values do not matter here."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Settings:
    root: Path
    docs_dir: Path
    lectures: str = "lectures/*.md"
    references: str | None = None
    cache_dir: str = ".cache/coursebook"
    execute: bool | str = "cache"  # a mode as written (notebooks/runner.py `execute_mode`)
    render_only: tuple[str, ...] = ()
    site_dir: Path | None = None
    use_directory_urls: bool = True
    notebook_cache_dir: str = ".cache/coursebook/notebooks"
    slides: bool = True
    timezone: str | None = None
    term: str = "course.yml"  # the term file, beside mkdocs.yml (course/term.py)
    nav: list | None = None
    site_name: str = ""  # mkdocs.yml's; course.pdf's title
    # Pages the site does not publish, or keeps out of its nav (gitignore-style patterns, as
    # mkdocs.yml's exclude_docs, draft_docs and not_in_nav write them): no lectures.
    unpublished: tuple[str, ...] = ()
    # What every page loads besides the theme (`handouts` names them when they are off-site).
    extra_javascript: tuple = ()
    extra_css: tuple = ()
    # The announcements' posts (the first mkdocs-material `blog`'s post_dir), inside docs/.
    posts_dir: str | None = None
    site_url: str = ""  # mkdocs.yml's; the 404 page's links start with its path


def read_settings(config_file: Path) -> Settings:
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    root = config_file.resolve().parent
    options: dict = {}
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and "coursebook" in plugin:
            options = plugin["coursebook"] or {}
    return Settings(
        root=root,
        docs_dir=root / data.get("docs_dir", "docs"),
        lectures=options.get("lectures", "lectures/*.md"),
        references=options.get("references"),
        cache_dir=options.get("cache_dir", ".cache/coursebook"),
        execute=_execute(options),
        render_only=tuple((options.get("notebooks") or {}).get("render_only", [])),
        site_dir=root / data.get("site_dir", "site"),
        use_directory_urls=data.get("use_directory_urls", True),
        notebook_cache_dir=(options.get("notebooks") or {}).get(
            "cache_dir", ".cache/coursebook/notebooks"
        ),
        slides=(options.get("slides") or {}).get("enabled", True),
        timezone=options.get("timezone"),
        term=options.get("term", "course.yml"),
        nav=data.get("nav"),
        site_name=str(data.get("site_name") or ""),
        unpublished=tuple(
            line
            for name in ("exclude_docs", "draft_docs", "not_in_nav")
            for line in str(data.get(name) or "").splitlines()
            if line.strip()
        ),
        extra_javascript=tuple(data.get("extra_javascript") or ()),
        extra_css=tuple(data.get("extra_css") or ()),
        posts_dir=_posts_dir(data.get("plugins") or []),
        site_url=str(data.get("site_url") or ""),
    )


def _posts_dir(plugins: list) -> str | None:
    """The first blog's posts folder, as blog_settings.py finds it in a build."""
    for plugin in plugins:
        name, options = next(iter(plugin.items())) if isinstance(plugin, dict) else (plugin, {})
        options = options if isinstance(options, dict) else {}
        if name in ("blog", "material/blog") and options.get("enabled", True):
            root = posixpath.normpath(str(options.get("blog_dir", "blog")))
            post_dir = str(options.get("post_dir", "{blog}/posts"))
            return posixpath.normpath(post_dir.format(blog=root))
    return None


def _execute(options: dict) -> bool | str:
    """The notebooks' mode; a site that wrote mkdocs-jupyter's options at the top level has
    its meaning of them (jupyter_compat.py): its `execute`, by default false."""
    from .jupyter_compat import OPTION_NAMES

    notebooks = options.get("notebooks") or {}
    if "execute" in options or ("execute" not in notebooks and set(options) & set(OPTION_NAMES)):
        return bool(options.get("execute", False))
    return notebooks.get("execute", "cache")


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """The site path MkDocs gives a Markdown page: lectures/02.md -> lectures/02/."""
    stem = src_uri.removesuffix(".md")
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"
