"""`python -m coursebook browser` (run by `make test` and `make handouts`): which route it takes
with PATH stripped of every browser, that a second run installs nothing, and the message when no
route works.

Playwright's download really runs, pointed at a closed local port so that it fails the same way
everywhere (as it does on machines that cannot reach Playwright's host). apt-get and sudo are
stand-ins on PATH that log their arguments; the stand-in apt-get "installs" by linking the
machine's real Chromium, which then has to start for the route to count.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from coursebook.present.browser import find_chromium
from coursebook.present.browser_setup import NoBrowser, provide_chromium

REAL_CHROMIUM = find_chromium()

FAKE_APT = """#!/bin/sh
echo "apt-get $*" >> {log}
case "$1" in install) /bin/ln -sf {chromium} {bin}/chromium ;; esac
"""
FAKE_SUDO = """#!/bin/sh
echo "sudo $*" >> {log}
exec "$@"
"""


@pytest.fixture
def bare_machine(tmp_path, monkeypatch):
    """PATH with no browser on it, no Playwright browser, Playwright's host unreachable."""
    assert REAL_CHROMIUM, "the test needs a Chromium to stand in for the installed package"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "env").symlink_to("/usr/bin/env")
    log = tmp_path / "commands.log"
    log.touch()
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("COURSEBOOK_CHROMIUM", raising=False)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "playwright-browsers"))
    monkeypatch.setenv("PLAYWRIGHT_DOWNLOAD_HOST", "http://127.0.0.1:9")

    def add_tool(name: str, script: str) -> None:
        path = bin_dir / name
        path.write_text(
            script.format(log=log, bin=bin_dir, chromium=os.path.realpath(REAL_CHROMIUM))
        )
        path.chmod(0o755)

    def os_release(text: str) -> Path:
        path = tmp_path / "os-release"
        path.write_text(text)
        return path

    return {"bin": bin_dir, "log": log, "add_tool": add_tool, "os_release": os_release}


def test_bare_debian_machine_falls_back_from_playwright_to_apt_then_reuses_it(bare_machine):
    bare_machine["add_tool"]("apt-get", FAKE_APT)
    release = bare_machine["os_release"]('ID=debian\nVERSION_ID="12"\n')
    said: list[str] = []

    chromium = provide_chromium(say=said.append, os_release=release, euid=0)

    assert chromium.route == "apt"
    assert chromium.executable == str(bare_machine["bin"] / "chromium")
    assert bare_machine["log"].read_text().splitlines() == [
        "apt-get update -qq",
        "apt-get install -y -qq chromium",
    ]
    assert len(said) == 1
    assert "installing one" in said[0]

    said.clear()
    again = provide_chromium(say=said.append, os_release=release, euid=0)
    assert again.route == "found"
    assert again.executable == str(bare_machine["bin"] / "chromium")
    assert said == []
    assert len(bare_machine["log"].read_text().splitlines()) == 2, "second run installed again"


def test_not_root_installs_through_sudo(bare_machine):
    bare_machine["add_tool"]("apt-get", FAKE_APT)
    bare_machine["add_tool"]("sudo", FAKE_SUDO)
    release = bare_machine["os_release"]("ID=ubuntu\nID_LIKE=debian\n")

    chromium = provide_chromium(say=lambda _: None, os_release=release, euid=1000)

    assert chromium.route == "apt"
    commands = bare_machine["log"].read_text().splitlines()
    assert commands[0] == "sudo apt-get update -qq"
    assert commands[2] == "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"


def test_not_root_without_sudo_says_what_to_install(bare_machine):
    bare_machine["add_tool"]("apt-get", FAKE_APT)
    release = bare_machine["os_release"]("ID=debian\n")

    with pytest.raises(NoBrowser) as raised:
        provide_chromium(say=lambda _: None, os_release=release, euid=1000)

    message = str(raised.value)
    assert "sudo apt-get install chromium" in message
    assert "playwright install --with-deps chromium" in message
    assert "COURSEBOOK_CHROMIUM" in message
    assert "`playwright install chromium` failed" in message
    assert "apt: not root and no sudo" in message
    assert bare_machine["log"].read_text() == ""


def test_other_systems_get_one_message_and_no_install(bare_machine):
    bare_machine["add_tool"]("apt-get", FAKE_APT)
    release = bare_machine["os_release"]("ID=fedora\n")

    with pytest.raises(NoBrowser, match="apt: not a Debian or Ubuntu system"):
        provide_chromium(say=lambda _: None, os_release=release, euid=0)
    assert bare_machine["log"].read_text() == ""


def test_named_browser_is_used_without_installing(bare_machine, monkeypatch):
    monkeypatch.setenv("COURSEBOOK_CHROMIUM", REAL_CHROMIUM)
    release = bare_machine["os_release"]("ID=debian\n")
    said: list[str] = []

    chromium = provide_chromium(say=said.append, os_release=release, euid=0)

    assert (chromium.route, chromium.executable) == ("found", REAL_CHROMIUM)
    assert said == []


def test_command_on_this_machine_prints_nothing_when_a_browser_is_here():
    done = subprocess.run(
        [sys.executable, "-m", "coursebook", "browser"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
