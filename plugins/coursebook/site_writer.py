"""Copy files into the built site on a worker thread, while MkDocs renders the next pages.

A lecture's slide deck is a file of the site that MkDocs does not know about. Writing 500 of
them in the page loop (each in a directory of its own, which the cleaned site no longer has)
cost most of coursebook's share of a warm build; the copies wait on the disk, not on Python,
so a thread does them beside the rendering.
"""

from __future__ import annotations

import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


class BackgroundCopies:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coursebook-copy")
        self._copies: list[tuple[Path, Future]] = []

    def copy(self, source: Path, target: Path) -> None:
        self._copies.append((target, self._pool.submit(_copy, source, target)))

    def finish(self) -> int:
        """Wait for every copy; raise the first that failed, naming its file. The number of
        files copied."""
        self._pool.shutdown(wait=True)
        for target, copied in self._copies:
            error = copied.exception()
            if error is not None:
                raise OSError(f"could not write {target}: {error}") from error
        return len(self._copies)

    def cancel(self) -> None:
        """The build failed: copy nothing more."""
        self._pool.shutdown(wait=True, cancel_futures=True)
