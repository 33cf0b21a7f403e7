"""Write files into the built site on a worker thread, while MkDocs renders the next pages.

A lecture's slide deck is a file of the site that MkDocs does not know about. Writing 500 of
them in the page loop (each in a directory of its own, which the cleaned site no longer has)
cost most of coursebook's share of a warm build; the writes wait on the disk, not on Python,
so a thread does them beside the rendering. The bytes are read on the build's own thread:
nothing the worker needs can be taken away by another build pruning the cache meanwhile.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


class BackgroundWrites:
    """Files written in order by one worker thread; `finish` waits for them all."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coursebook-write")
        self._writes: list[tuple[Path, Future]] = []

    def write(self, target: Path, data: bytes) -> None:
        self._writes.append((target, self._pool.submit(_write, target, data)))

    def finish(self) -> int:
        """Wait for every write; raise the first that failed, naming its file. The number of
        files written."""
        self._pool.shutdown(wait=True)
        for target, written in self._writes:
            error = written.exception()
            if error is not None:
                raise OSError(f"could not write {target}: {error}") from error
        return len(self._writes)

    def cancel(self) -> None:
        """The build failed: write nothing more."""
        self._pool.shutdown(wait=True, cancel_futures=True)
