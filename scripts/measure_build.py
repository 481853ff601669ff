"""Measure the site build: a cold strict build, a warm build, and `serve`'s rebuild after a prose edit.

    .venv/bin/python scripts/measure_build.py [--rounds N] [--without-exercises]

Works on a copy of docs/ in a temporary folder with its own empty results
cache, so neither the repository nor its cache is touched. "Cold" is a strict
build with an empty cache (every example runs, in parallel workers); "warm" is
the same build again (every example comes from the cache); "prose edit" is what
a reader of `mkdocs serve` waits for: from saving a changed sentence to the
rebuilt site being served. Prints the median of each over the rounds.
`--without-exercises` also times cold and warm builds of the same copy without
the exercise notebooks (their pages, mkdocs-jupyter, the chapters' links to
them), in the same run, to show what the exercise pages add.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
EDITED_PAGE = "value.md"


def make_copy(folder: Path, exercises: bool = True) -> Path:
    """docs/ copied into `folder`, with mkdocs.yml and a results cache of its own (optionally without exercises)."""
    shutil.copytree(ROOT / "docs", folder / "docs")
    if not exercises:
        shutil.rmtree(folder / "docs" / "exercises")
        for page in (folder / "docs").glob("*.md"):  # a link to an exercise notebook becomes its text
            text = page.read_text(encoding="utf-8")
            page.write_text(re.sub(r"\[([^\]]*)\]\(exercises/[^)]*\.py\)", r"\1", text), encoding="utf-8")
    for name in ("micrograd", "docsite", "node_modules"):
        if (ROOT / name).exists():
            (folder / name).symlink_to(ROOT / name)
    # The real config, with the results cache moved into the copy (INHERIT would replace the plugin list).
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if "\n  - micrograd-docsite\n" not in text:
        sys.exit("mkdocs.yml no longer lists `  - micrograd-docsite` as expected; update make_copy")
    if not exercises:  # the nav's "Exercises" section and the mkdocs-jupyter plugin, with its comments
        text = re.sub(r"\n  - Exercises:\n(?:      - [^\n]*\n)+", "\n", text)
        text = re.sub(r"\n(?:  #[^\n]*\n)*  - mkdocs-jupyter:\n(?:      [^\n]*\n)+", "\n", text)
        if "exercises/" in text or "mkdocs-jupyter" in text:
            sys.exit("could not take the exercises out of mkdocs.yml; update make_copy")
    config = folder / "mkdocs.yml"
    config.write_text(text.replace("\n  - micrograd-docsite\n", "\n  - micrograd-docsite:\n      cache_dir: cache\n"))
    return config


def timed_build(config: Path, site: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
                          env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stdout}{done.stderr}")
    return seconds


def prose_edit_rebuild(config: Path, edits: int) -> list[float]:
    """Start `mkdocs serve`, then time each rebuild from saving an edited sentence to serving the result."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "mkdocs", "serve", "--strict", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout or []], daemon=True).start()

    def wait_for(text: str, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1.0)
            except queue.Empty:
                continue
            if text in line:
                return
            if "Aborted" in line or "Error" in line:
                raise RuntimeError(line)
        raise TimeoutError(f"serve never printed {text!r}")

    page = config.parent / "docs" / EDITED_PAGE
    times = []
    try:
        wait_for("Serving on")
        for n in range(edits):
            time.sleep(1.0)
            page.write_text(page.read_text(encoding="utf-8") + f"\nAn edited sentence, number {n}.\n", encoding="utf-8")
            start = time.perf_counter()
            wait_for("Reloading browsers")
            times.append(time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="cold and warm builds to time (default 2)")
    parser.add_argument("--without-exercises", action="store_true",
                        help="also time builds without the exercise notebooks, alternating with the full ones")
    args = parser.parse_args()
    if args.without_exercises:
        timings: dict[bool, tuple[list[float], list[float]]] = {True: ([], []), False: ([], [])}
        for _ in range(args.rounds):
            for exercises in (False, True):
                with tempfile.TemporaryDirectory() as tmp:
                    config = make_copy(Path(tmp), exercises)
                    timings[exercises][0].append(timed_build(config, Path(tmp) / "site"))
                    timings[exercises][1].append(timed_build(config, Path(tmp) / "site"))
        print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load {os.getloadavg()[0]:.1f}")
        for exercises, label in ((False, "without exercises"), (True, "with exercises")):
            for kind, times in zip(("cold", "warm"), timings[exercises], strict=True):
                print(f"{kind} strict build, {label + ':':19} median {statistics.median(times):5.1f} s   "
                      f"{[round(t, 1) for t in times]}")
        return 0
    cold, warm = [], []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            config = make_copy(Path(tmp))
            cold.append(timed_build(config, Path(tmp) / "site"))
            warm.append(timed_build(config, Path(tmp) / "site"))
    with tempfile.TemporaryDirectory() as tmp:
        config = make_copy(Path(tmp))
        timed_build(config, Path(tmp) / "site")  # fill the cache, as a serve session's first build does
        edits = prose_edit_rebuild(config, 3)
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"cold strict build (empty cache):      median {statistics.median(cold):5.1f} s   {[round(t, 1) for t in cold]}")
    print(f"warm strict build (all cached):       median {statistics.median(warm):5.1f} s   {[round(t, 1) for t in warm]}")
    print(f"serve rebuild after a prose edit:     median {statistics.median(edits):5.1f} s   {[round(t, 1) for t in edits]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
