"""Remember what a page's blocks produced, keyed by everything that could change it.

The key hashes the page's runnable blocks (not its prose: editing a sentence
re-runs nothing), the library's source, this package's source and the Python
version. A change to `micrograd/` therefore re-runs every page with code. The
cache is a folder of JSON files, one per key; a damaged file is a miss.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import json
import sys
from pathlib import Path

from .examples import BlockResult
from .page_blocks import Block

LIBRARY = "micrograd"
OPTIONAL = ("torch", "matplotlib", "graphviz", "graphviz-pure", "numpy")


def source_digest(package: str) -> str:
    """A hash of every `.py` file of an importable package, found without importing it.

    Examples:
        >>> len(source_digest("docsite"))
        64
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"cannot find the package {package!r} to hash its source")
    return folder_digest([Path(folder) for folder in spec.submodule_search_locations])


def folder_digest(folders: list[Path]) -> str:
    """A hash of the names and contents of every `.py` file under `folders`."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def environment_digest() -> str:
    """What every page's results depend on besides its own code: library, build code, Python, extras.

    Optional packages count by version, or by their absence: a page shows a
    recording when torch is missing and runs torch when it is there.
    """
    extras = []
    for name in OPTIONAL:
        try:
            extras.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            extras.append(f"{name} absent")
    parts = [source_digest(LIBRARY), source_digest(__package__ or "docsite"), sys.version, *extras]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def page_key(filename: str, blocks: list[Block], environment: str) -> str:
    """The cache key of one page's results: its name, its runnable blocks in order, the environment.

    Line numbers are left out, so adding a line of prose re-runs nothing (only
    failures report line numbers, and failures are never stored).
    """
    code = [(b.lang, sorted(b.options.items()), b.code) for b in blocks]
    payload = json.dumps([filename, environment, code], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def text_key(*parts: object) -> str:
    """A cache key for anything built from JSON-able inputs (e.g. a notebook from its page and site).

    Examples:
        >>> text_key("a", {"b": 1}) == text_key("a", {"b": 1}) != text_key("a", {"b": 2})
        True
    """
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


class ResultsCache:
    """A folder of executed results (and other texts built from a page), one file per key.

    How long a page took is kept apart, by `workers.PagePool`, to order the next build.

    Examples:
        >>> import tempfile
        >>> cache = ResultsCache(Path(tempfile.mkdtemp()))
        >>> cache.load("k") is None
        True
        >>> cache.store("k", [BlockResult("exec", "print(1)", "1\\n")])
        >>> cache.load("k")[0].shown
        '1\\n'
    """

    def __init__(self, folder: Path):
        self.folder = folder

    def load(self, key: str) -> list[BlockResult] | None:
        """The stored results for `key`, or None (a damaged file too)."""
        text = self._read(f"{key}.json")
        try:
            return None if text is None else [BlockResult(**item) for item in json.loads(text)["results"]]
        except (ValueError, TypeError, KeyError):
            return None

    def store(self, key: str, results: list[BlockResult]) -> None:
        """Save results atomically (a half-written file is never read)."""
        self._write(f"{key}.json", json.dumps({"results": [dataclasses.asdict(r) for r in results]}))

    def load_text(self, key: str) -> str | None:
        """A stored text (e.g. a notebook) for `key`, or None."""
        return self._read(f"{key}.txt")

    def store_text(self, key: str, text: str) -> None:
        """Save a text atomically."""
        self._write(f"{key}.txt", text)

    def _read(self, name: str) -> str | None:
        try:
            return (self.folder / name).read_text(encoding="utf-8")
        except OSError:
            return None

    def _write(self, name: str, text: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f"{name}.partial"
        partial.write_text(text, encoding="utf-8")
        partial.replace(self.folder / name)
