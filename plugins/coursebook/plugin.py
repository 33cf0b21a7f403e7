"""MkDocs event glue for coursebook: every decision lives in the plain modules it calls."""

from __future__ import annotations

import posixpath
import time
from pathlib import Path
from urllib.parse import quote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .config import CourseConfig
from .notebooks.execute import NotebookFailure
from .notebooks.pages import build_notebook_page, colab_url
from .templating import make_environment

log = get_plugin_logger("coursebook")

# Notebook actions and checklists are written as Markdown inside HTML blocks.
REQUIRED_MARKDOWN_EXTENSIONS = ("attr_list", "md_in_html")


class CoursebookPlugin(BasePlugin[CourseConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        for extension in REQUIRED_MARKDOWN_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        custom_dir = config.theme.custom_dir
        self.templates = make_environment(Path(custom_dir) if custom_dir else None)
        self.repo_root = Path(config.config_file_path or ".").resolve().parent
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        notebooks = [f for f in files if f.src_uri.endswith(".ipynb") and f.abs_src_path]
        self._add_notebook_pages(notebooks, files, config)
        return files

    def _add_notebook_pages(self, notebooks: list[File], files: Files, config: MkDocsConfig):
        options = self.config.notebooks
        failures: list[NotebookFailure] = []
        started = time.monotonic()
        for number, notebook in enumerate(notebooks, start=1):
            verb = "executing" if options.execute else "rendering"
            log.info(f"{verb} {number}/{len(notebooks)} {notebook.src_uri} …")
            one_started = time.monotonic()
            repo_path = Path(notebook.abs_src_path).resolve().relative_to(self.repo_root)

            def render_actions(notebook=notebook, repo_path=repo_path) -> str:
                return self.templates.get_template("notebook_actions.html").render(
                    download_path=quote(posixpath.basename(notebook.src_uri)),
                    colab_url=colab_url(
                        config.repo_url, options.colab_branch, repo_path.as_posix()
                    ),
                )

            try:
                page = build_notebook_page(
                    Path(notebook.abs_src_path),
                    notebook.src_uri,
                    execute=options.execute,
                    timeout=options.timeout,
                    kernel_name=options.kernel_name,
                    render_actions=render_actions,
                )
            except NotebookFailure as failure:
                failures.append(failure)
                log.info(f"failed {notebook.src_uri} after {time.monotonic() - one_started:.1f} s")
                continue
            log.info(f"{verb} {notebook.src_uri} took {time.monotonic() - one_started:.1f} s")
            page_file = File.generated(config, page.page_uri, content=page.markdown)
            # "Edit this page" opens the notebook, not the Markdown made from it.
            page_file.edit_uri = notebook.src_uri
            files.append(page_file)
            for uri, data in page.images.items():
                files.append(File.generated(config, uri, content=data))
        log.info(
            f"notebooks: {len(notebooks) - len(failures)} ok, {len(failures)} failed, "
            f"{time.monotonic() - started:.1f} s"
        )
        if failures:
            for failure in failures:
                log.error(str(failure))
            raise PluginError(
                f"{len(failures)} notebook(s) failed to execute: "
                + ", ".join(f.notebook for f in failures)
            )
