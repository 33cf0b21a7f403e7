"""Headless Chromium for handouts and browser tests: find it, launch it, serve a site to it.

Uses the Chromium named by COURSEBOOK_CHROMIUM, else one on PATH (Debian's `chromium`), else
the browser Playwright installed for itself. Nothing here downloads a browser: browser_setup.py
does, once, for `make test` and `make handouts`.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Without the networking flags Chromium tries to reach Google services at start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class BrowserUnavailable(RuntimeError):
    """No Chromium could be started; the message says how to get one."""


def find_chromium() -> str | None:
    named = os.environ.get("COURSEBOOK_CHROMIUM")
    if named:
        return named
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


def launch_chromium(playwright, executable: str | None = None):
    """A headless Chromium from `playwright` (a started sync_playwright()): `executable`, else
    the one find_chromium() names, else Playwright's own."""
    from playwright.sync_api import Error as PlaywrightError

    executable = executable or find_chromium()
    try:
        return playwright.chromium.launch(
            headless=True, executable_path=executable, args=CHROMIUM_ARGS
        )
    except PlaywrightError as error:
        raise BrowserUnavailable(
            "cannot start Chromium"
            + (f" at {executable}" if executable else " (none found on PATH)")
            + f": {error}\n`.venv/bin/python -m coursebook browser` finds or installs one "
            "(`make test` and `make handouts` run it first)."
        ) from error


class PlaywrightMissing(BrowserUnavailable):
    """Playwright is not installed (a plugin-only install: `pip install coursebook`)."""


def require_playwright() -> None:
    """PlaywrightMissing, saying what to install, unless Playwright can be imported."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        raise PlaywrightMissing(
            "PDF handouts need Playwright, which `pip install coursebook` alone does not "
            "install: run `pip install 'coursebook[handouts]'`, then `python -m coursebook "
            "browser` (finds or installs the headless Chromium that prints them)"
        ) from error


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        """Requests are not logged: the build log stays readable."""


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def is_local(url: str) -> bool:
    """Requests a page may make: to the local server, or inline data."""
    return url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:"))
