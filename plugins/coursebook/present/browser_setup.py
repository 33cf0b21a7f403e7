"""Provide a headless Chromium for the browser tests and handouts: use one that is here, else
install one, else say exactly what to install.

Routes, in order:
  found       COURSEBOOK_CHROMIUM, a Chromium/Chrome on PATH, or Playwright's own browser
  playwright  `playwright install chromium` (Playwright's download host; most machines)
  apt         the distribution's `chromium` package on Debian/Ubuntu (through sudo when not
              root), for machines that cannot reach Playwright's download host
A browser that is already here is used silently, so a second run installs nothing; an install
is announced in one line before it starts, and its result in one line after.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .browser import (
    BrowserUnavailable,
    PlaywrightMissing,
    find_chromium,
    launch_chromium,
    require_playwright,
)

WHAT_TO_INSTALL = (
    "no usable Chromium for the browser tests and handouts. Install one of: Debian/Ubuntu's "
    "`chromium` package (`sudo apt-get install chromium`); Playwright's browser "
    "(`.venv/bin/python -m playwright install --with-deps chromium`); or any Chromium/Chrome, "
    "named by the COURSEBOOK_CHROMIUM environment variable."
)


class NoBrowser(RuntimeError):
    """Every route failed; the message says what was tried and what to install."""


@dataclass
class Chromium:
    """The browser to use: `executable` None means Playwright's own."""

    route: str
    executable: str | None


Runner = Callable[[list[str]], subprocess.CompletedProcess]


def _run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _in_own_thread(function, *args):
    """Playwright's sync API refuses to start in a thread whose asyncio loop runs (another
    sync_playwright() that is still open, as in a test session): a fresh thread has none."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def _playwright_chromium() -> str | None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if path and Path(path).exists() else None


def playwright_chromium() -> str | None:
    """Playwright's own Chromium, when `playwright install chromium` has put it here."""
    return _in_own_thread(_playwright_chromium)


def find_usable_path() -> Chromium | None:
    """A browser already on this machine, without starting it (this runs before every test
    run, so it must be cheap)."""
    executable = find_chromium()
    if executable:
        return Chromium("found", executable)
    if playwright_chromium():
        return Chromium("found", None)
    return None


def starts(executable: str | None) -> str | None:
    """None when the browser starts headless and opens a page, else why not."""
    return _in_own_thread(_starts, executable)


def _starts(executable: str | None) -> str | None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright, executable)
        except BrowserUnavailable as error:
            return str(error)
        try:
            browser.new_page().set_content("<p>ok</p>")
        finally:
            browser.close()
    return None


def read_os_release(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip('"')
    return fields


def is_debian_like(os_release: dict[str, str]) -> bool:
    ids = {os_release.get("ID", "")} | set(os_release.get("ID_LIKE", "").split())
    return bool(ids & {"debian", "ubuntu"})


def privilege_prefix(euid: int) -> list[str] | None:
    """[] as root, ["sudo"] when sudo is there, None when packages cannot be installed."""
    if euid == 0:
        return []
    return ["sudo"] if shutil.which("sudo") else None


def _tail(done: subprocess.CompletedProcess, lines: int = 5) -> str:
    text = (done.stderr or done.stdout or "").strip().splitlines()
    return "\n".join(text[-lines:])


def install_with_playwright(run: Runner) -> str | None:
    """None when Playwright's Chromium was downloaded, else why not."""
    done = run([sys.executable, "-m", "playwright", "install", "chromium"])
    if done.returncode != 0:
        return f"`playwright install chromium` failed: {_tail(done, 2)}"
    return None


def install_with_apt(run: Runner, sudo: list[str]) -> str | None:
    """None when the distribution's chromium package was installed, else why not."""
    for command in (
        [*sudo, "apt-get", "update", "-qq"],
        [
            *sudo,
            "env",
            "DEBIAN_FRONTEND=noninteractive",
            "apt-get",
            "install",
            "-y",
            "-qq",
            "chromium",
        ],
    ):
        done = run(command)
        if done.returncode != 0:
            return f"`{' '.join(command)}` failed: {_tail(done)}"
    return None


def provide_chromium(
    *,
    run: Runner = _run,
    say: Callable[[str], None] = print,
    os_release: Path = Path("/etc/os-release"),
    euid: int | None = None,
) -> Chromium:
    """Find a Chromium, else install one by the first route that works; NoBrowser if none."""
    here = find_usable_path()
    if here is not None:
        return here
    say(
        "coursebook: no Chromium found; installing one for the browser tests and handouts "
        "(Playwright's download, else the distribution's `chromium` package)"
    )
    debian = is_debian_like(read_os_release(os_release))
    sudo = privilege_prefix(os.geteuid() if euid is None else euid)
    tried = []
    why = install_with_playwright(run)
    if why is None:
        why = starts(None)
        if why is None:
            return Chromium("playwright", None)
        # Downloaded, but its system libraries are missing: Playwright installs them with apt.
        if sudo is not None and debian:
            done = run([*sudo, sys.executable, "-m", "playwright", "install-deps", "chromium"])
            if done.returncode == 0 and starts(None) is None:
                return Chromium("playwright", None)
    tried.append(why)
    if debian:
        if sudo is None:
            tried.append("apt: not root and no sudo")
        else:
            why = install_with_apt(run, sudo)
            if why is None:
                executable = find_chromium()
                why = starts(executable) if executable else "apt installed no `chromium`"
                if why is None:
                    return Chromium("apt", executable)
            tried.append(why)
    else:
        tried.append("apt: not a Debian or Ubuntu system")
    raise NoBrowser(WHAT_TO_INSTALL + "\nTried:\n" + "\n".join(f"- {t}" for t in tried))


def main() -> int:
    try:
        require_playwright()
        chromium = provide_chromium()
    except (NoBrowser, PlaywrightMissing) as error:
        print(f"coursebook: {error}", file=sys.stderr)
        return 1
    if chromium.route != "found":
        where = chromium.executable or "Playwright's own Chromium"
        print(f"coursebook: Chromium ready ({chromium.route}): {where}")
    return 0
