"""Run pages' examples in parallel, each in a worker process started for this build.

Fresh processes (the `spawn` start method) import the library as it is on disk
now, so `mkdocs serve` never shows results of a library it imported earlier.
Pages run longest first (by the time they took last build), so the slowest
page starts at once instead of ending the build alone.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from .examples import BlockResult, ExampleError, run_page
from .page_blocks import Block

Outcome = tuple[list[BlockResult] | None, str, float]  # (results, error message, seconds)


def execute_page(filename: str, page_text: str, blocks: list[Block]) -> Outcome:
    """Run one page in this process; failures come back as a message, not an exception.

    Examples:
        >>> from docsite.page_blocks import page_blocks
        >>> page = "```pycon\\n>>> 1 + 1\\n3\\n```"
        >>> results, error, seconds = execute_page("p.md", page, page_blocks(page).runnable)
        >>> results, error.splitlines()[0]
        (None, "p.md:2: the example's output differs:")
    """
    start = time.perf_counter()
    try:
        results = run_page(filename, page_text, blocks)
    except ExampleError as error:
        return None, str(error), time.perf_counter() - start
    return results, "", time.perf_counter() - start


# Python's cyclic garbage collector scans young objects every 700 allocations; the
# engine makes no reference cycles, so in a worker those scans only cost time
# (about 18 % of the training chapters). Results are the same either way.
WORKER_GC_THRESHOLDS = (100_000, 50, 1000)


def _start_worker() -> None:
    os.environ["MPLBACKEND"] = "Agg"  # figures are drawn off-screen: no window opens during a build
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


class PagePool:
    """A pool of worker processes for one build, with last build's page timings.

    Args:
        timings: A JSON file of seconds per page from earlier builds (created if missing).
        workers: How many processes; defaults to the number of CPUs, at most 4.
    """

    def __init__(self, timings: Path, workers: int | None = None):
        self.timings_path = timings
        try:
            self.timings: dict[str, float] = json.loads(timings.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.timings = {}
        self.workers = workers or min(4, os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def submit_all(self, jobs: list[tuple[str, str, list[Block]]]) -> dict[str, Future[Outcome]]:
        """Start every job, slowest first; return a future per page name."""
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_worker)
        ordered = sorted(jobs, key=lambda job: -self.timings.get(job[0], 1.0))
        return {name: self._pool.submit(execute_page, name, text, blocks) for name, text, blocks in ordered}

    def record(self, filename: str, seconds: float) -> None:
        """Remember how long a page took, for the next build's order."""
        self.timings[filename] = round(seconds, 3)

    def close(self) -> None:
        """Stop the workers and save the timings."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        try:
            self.timings_path.parent.mkdir(parents=True, exist_ok=True)
            self.timings_path.write_text(json.dumps(self.timings, indent=1, sort_keys=True), encoding="utf-8")
        except OSError:
            pass  # timings only order the next build; losing them costs nothing else
