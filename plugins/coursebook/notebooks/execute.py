"""Execute one notebook with nbclient and report failures by notebook, cell and exception."""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from .notebook import Notebook

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
TRACEBACK_TAIL_LINES = 12


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes that IPython puts into tracebacks."""
    return ANSI_ESCAPE.sub("", text)


@dataclass
class NotebookFailure(Exception):
    """A notebook that could not be executed: which one, which cell, and why."""

    notebook: str
    cell: int | None
    error_type: str
    message: str
    traceback_tail: str = ""

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "before any cell ran"
        text = f"{self.notebook}: {where}: {self.error_type}: {self.message}"
        if self.traceback_tail:
            text += "\n" + self.traceback_tail
        return text


def _tail(lines: list[str], count: int = TRACEBACK_TAIL_LINES) -> str:
    flat = strip_ansi("\n".join(lines)).rstrip().splitlines()
    return "\n".join("    " + line for line in flat[-count:])


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def kernel_environment() -> dict[str, str]:
    """The kernel's environment: ours, with numeric libraries on one thread each unless the
    user set a limit. Kernels run side by side (one per core), and BLAS libraries that each
    start one thread per core spin against each other: the course notebook's training cell
    took 170 s instead of 12 s on two busy cores, and no longer with one thread."""
    environment = dict(os.environ)
    for name in THREAD_VARIABLES:
        environment.setdefault(name, "1")
    return environment


def with_cell_ids(nb: Notebook) -> Notebook:
    """`nb`, or a copy whose cells all have ids when its format (4.5+) requires them: older
    tools wrote 4.5 notebooks without, and nbformat would print a warning with a stack for it."""
    if (nb.get("nbformat", 4), nb.get("nbformat_minor", 0)) < (4, 5):
        return nb
    cells = nb.get("cells", [])
    if all(isinstance(cell.get("id"), str) for cell in cells):
        return nb
    taken = {cell["id"] for cell in cells if isinstance(cell.get("id"), str)}
    fixed = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell.get("id"), str):
            new_id = f"cell-{number}"
            while new_id in taken:
                new_id += "-x"
            taken.add(new_id)
            cell = {**cell, "id": new_id}
        fixed.append(cell)
    return {**nb, "cells": fixed}


MISSING_MODULE = re.compile(r"No module named '([^'.]+)")


def missing_package_hint(message: str, display_path: str) -> str:
    """What to do when a notebook imports a package the build's environment lacks: install
    it there, or render the notebook as saved (its stored outputs shown, nothing run)."""
    found = MISSING_MODULE.search(message)
    package = f"'{found.group(1)}'" if found else "the package"
    return (
        f" ({package} is not installed where the site is built: install it there, or render "
        f'this notebook as saved with `render_only: ["{display_path}"]` under the '
        'plugin\'s `notebooks:` settings, or `"coursebook": {"execute": "off"}` in the '
        "notebook's metadata)"
    )


KERNEL_FIGURES = Path(__file__).with_name("kernel_figures.py")


def describe_figures_line() -> str:
    """The kernel option that makes every matplotlib figure describe itself in its output's
    metadata (kernel_figures.py), for the alt text of its image. IPython runs `exec_lines`
    at start-up, before the first cell, outside the history and the user's namespace."""
    code = f"import runpy as _cb; _cb.run_path({str(KERNEL_FIGURES)!r}); del _cb"
    return f"--IPKernelApp.exec_lines={code}"


def kernel_name_of(nb: Notebook, override: str | None = None) -> str:
    return override or nb.get("metadata", {}).get("kernelspec", {}).get("name") or "python3"


def execute_notebook(
    nb: Notebook,
    *,
    workdir: Path,
    display_path: str,
    timeout: int,
    kernel_name: str | None = None,
    allow_errors: bool = False,
) -> Notebook:
    """Run every code cell of a copy of `nb` with `workdir` as the current folder.

    Raises NotebookFailure naming `display_path` and the cell (numbered from 1, as
    Jupyter shows them) when a cell raises, hangs past `timeout` seconds, or the kernel dies.
    Cells tagged `raises-exception` may raise, as in Jupyter Book; with `allow_errors`, any may.
    """
    # Imported here: a build whose notebooks all come from the cache never needs them.
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    # Also joins multi-line sources.
    try:
        nb = nbformat.reads(json.dumps(with_cell_ids(nb)), as_version=4)
    except nbformat.ValidationError as error:
        # The checks of read_notebook cover what the build relies on; nbformat's schema more.
        raise NotebookFailure(
            display_path, None, "NotebookFormatError", error.message.splitlines()[0]
        ) from error
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name_of(nb, kernel_name),
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(workdir)}},
        # The outputs are complete once the last cell ran; a graceful shutdown only adds
        # a third of a second per notebook.
        shutdown_kernel="immediate",
        # Keeps the kernel's own start-up notices (e.g. about its local TCP transport) out of
        # the build log; warnings raised by notebook code still reach the outputs.
        extra_arguments=["--IPKernelApp.log_level=ERROR", describe_figures_line()],
    )
    running: dict[str, int] = {}

    def remember_cell(cell, cell_index, **_kwargs):
        running["index"] = cell_index

    client.on_cell_execute = remember_cell
    if not KERNELS.add(client):
        raise NotebookFailure(display_path, None, "Interrupted", "the run was interrupted")
    try:
        client.execute(env=kernel_environment())
    except NoSuchKernel as error:
        raise NotebookFailure(
            display_path, None, "NoSuchKernel", unknown_kernel_message(error.name)
        ) from error
    except CellTimeoutError as error:
        raise NotebookFailure(
            display_path,
            running.get("index", -1) + 1 if "index" in running else None,
            "TimeoutError",
            f"cell did not finish within {timeout} s",
        ) from error
    except CellExecutionError as error:
        index = running.get("index")
        traceback: list[str] = []
        if index is not None:
            for output in nb.cells[index].get("outputs", []):
                if output.get("output_type") == "error":
                    traceback = output.get("traceback", [])
        message = strip_ansi(error.evalue)
        if error.ename == "ModuleNotFoundError":
            message += missing_package_hint(message, display_path)
        raise NotebookFailure(
            display_path,
            index + 1 if index is not None else None,
            error.ename,
            message,
            _tail(traceback),
        ) from error
    except DeadKernelError as error:
        if KERNELS.stopping:
            raise NotebookFailure(
                display_path, None, "Interrupted", "the run was interrupted"
            ) from error
        raise NotebookFailure(
            display_path,
            running["index"] + 1 if "index" in running else None,
            "DeadKernelError",
            str(error),
        ) from error
    finally:
        KERNELS.discard(client)
    return nb


class RunningKernels:
    """The clients executing notebooks now, so that Ctrl-C can stop their kernels. Kernels
    run in a session of their own (jupyter_client), so the terminal's Ctrl-C never reaches
    them: without this a build waited for every running notebook to finish."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: set = set()
        self.stopping = False

    def add(self, client) -> bool:
        """Register `client`; False once `stop_all` was called (then start nothing)."""
        with self._lock:
            if self.stopping:
                return False
            self._clients.add(client)
            return True

    def discard(self, client) -> None:
        with self._lock:
            self._clients.discard(client)

    def stop_all(self) -> None:
        """Kill every running kernel: its notebook then ends at once with a dead kernel."""
        with self._lock:
            self.stopping = True
            clients = list(self._clients)
        for client in clients:
            provisioner = getattr(getattr(client, "km", None), "provisioner", None)
            process = getattr(provisioner, "process", None)
            if process is not None and process.poll() is None:
                process.kill()

    def busy(self) -> bool:
        with self._lock:
            return bool(self._clients)

    def reset(self) -> None:
        """Allow runs again (a `mkdocs serve` rebuild after an interrupted one)."""
        with self._lock:
            self.stopping = False


KERNELS = RunningKernels()


def unknown_kernel_message(name: str) -> str:
    """What to do when no Jupyter kernel is installed under `name`."""
    from jupyter_client.kernelspec import KernelSpecManager

    installed = sorted(KernelSpecManager().find_kernel_specs())
    return (
        f"no Jupyter kernel named {name!r} is installed here (installed: "
        f"{', '.join(installed) or 'none'}): set `kernel_name:` under the coursebook "
        "plugin's `notebooks:` options in mkdocs.yml to run the notebooks with one of those, "
        "or install the kernel (for Python: `pip install ipykernel`, then "
        f"`python -m ipykernel install --user --name {name}`)"
    )
