"""The worker thread that writes slide decks into the site."""

from __future__ import annotations

import threading

import pytest
from coursebook.pages.site_writer import BackgroundWrites


def test_files_are_written_into_new_folders_and_counted(tmp_path):
    writes = BackgroundWrites()
    for n in range(20):
        writes.write(tmp_path / f"lecture-{n}" / "slides" / "index.html", f"deck {n}".encode())
    assert writes.finish() == 20
    assert (tmp_path / "lecture-7/slides/index.html").read_text() == "deck 7"
    assert not [t for t in threading.enumerate() if t.name.startswith("coursebook-write")]


def test_a_failed_write_is_raised_naming_its_file(tmp_path):
    (tmp_path / "taken").write_text("a file where a folder should be")
    writes = BackgroundWrites()
    writes.write(tmp_path / "fine" / "index.html", b"ok")
    writes.write(tmp_path / "taken" / "slides" / "index.html", b"deck")
    with pytest.raises(OSError, match=r"could not write .*taken/slides/index\.html"):
        writes.finish()
    assert (tmp_path / "fine/index.html").read_bytes() == b"ok"


def test_cancel_stops_the_worker(tmp_path):
    writes = BackgroundWrites()
    writes.write(tmp_path / "a" / "index.html", b"a")
    writes.cancel()
    assert not [t for t in threading.enumerate() if t.name.startswith("coursebook-write")]
