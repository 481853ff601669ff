"""The Python files the page's runtime needs, packed into one zip from their real source.

The reader's browser runs the library itself (`micrograd`), the build's own
executor (`docsite.examples` and what it imports, so a block means the same in
the page as in the build), and the pure-Python `graphviz` package (which writes
the DOT that viz.js draws). The zip is byte-identical for the same sources. A second zip holds the data
files chapters read (`data_files`), unpacked into the page's working directory.
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

PACKAGES = ("micrograd", "graphviz")
DOCSITE_MODULES = ("__init__.py", "page_blocks.py", "examples.py", "svg_figures.py", "page_session.py", "page_tools.py")
DATA_FOLDERS = ("docs/recorded",)
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # zip entries carry a date; a fixed one keeps builds identical


def bundle_files() -> dict[str, Path]:
    """Each file of the bundle: its path inside the zip, and the source file.

    Examples:
        >>> files = bundle_files()
        >>> "micrograd/engine.py" in files and "docsite/examples.py" in files and "graphviz/__init__.py" in files
        True
    """
    files: dict[str, Path] = {}
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError(f"{package} is not installed; the page's runtime needs it")
        folder = Path(next(iter(spec.submodule_search_locations)))
        for path in sorted(folder.rglob("*.py")):
            files[f"{package}/{path.relative_to(folder).as_posix()}"] = path
    here = Path(__file__).parent
    for name in DOCSITE_MODULES:
        files[f"docsite/{name}"] = here / name
    return files


def data_files(project: Path) -> dict[str, Path]:
    """Files chapters read from the project at run time, by their path relative to it.

    The page's Python runs in the project's place: a chapter that reads
    `docs/recorded/torch-neuron.json` (a recorded PyTorch run) finds it there.

    Examples:
        >>> sorted(data_files(Path(".")))
        ['docs/recorded/torch-neuron.json', 'docs/recorded/torch-softmax.json', 'docs/recorded/torch-steps.json']
    """
    files = {}
    for folder in DATA_FOLDERS:
        for path in sorted((project / folder).rglob("*")):
            if path.is_file():
                files[path.relative_to(project).as_posix()] = path
    return files


def bundle_zip(files: dict[str, Path] | None = None) -> bytes:
    """Files as zip bytes (stored sorted, with fixed dates): by default the Python bundle.

    Examples:
        >>> bundle_zip() == bundle_zip()
        True
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted((bundle_files() if files is None else files).items()):
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()
