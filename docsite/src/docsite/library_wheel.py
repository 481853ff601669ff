"""A wheel of the `micrograd` package, built from its source for the site to serve.

The chapters' notebooks install micrograd-literate from this wheel (PyPI's
`micrograd` is the classic library, which has the same import name). It is a
plain pure-Python wheel (`py3-none-any`) written with `zipfile`: the package's
`.py` files as setuptools would ship them (`[tool.setuptools] packages`), and a
`.dist-info` folder whose METADATA comes from the root `pyproject.toml` (name,
version, summary, license, Requires-Python, extras). Entries are sorted and
dated 1980-01-01, so building twice gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGE = "micrograd"
TAG = "py3-none-any"
_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
_GENERATOR = "docsite.library_wheel"
# docsite needs Python 3.11+ (tomllib); mypy checks the project as 3.10, where the module does not exist.
_toml: Any = importlib.import_module("tomllib")


@dataclass(frozen=True)
class Wheel:
    """A built wheel: its file name (e.g. "micrograd_literate-0.2.0-py3-none-any.whl"), version and bytes."""

    name: str
    version: str
    data: bytes


def library_root() -> Path:
    """The project folder of the `micrograd` this interpreter imports (its `pyproject.toml` is there)."""
    import micrograd

    return Path(micrograd.__file__).resolve().parents[1]


def build_wheel(root: Path | None = None) -> Wheel:
    """Build the wheel of the `micrograd` package found in `root` (default: `library_root()`).

    Args:
        root: The folder holding `pyproject.toml` and the `micrograd/` package.

    Returns:
        The wheel's file name and bytes; the same source gives the same bytes.

    Raises:
        FileNotFoundError: `root` has no `pyproject.toml` or no package folder.

    Examples:
        >>> import io, zipfile
        >>> from docsite.library_wheel import build_wheel
        >>> wheel = build_wheel()
        >>> wheel.name  # doctest: +ELLIPSIS
        'micrograd_literate-...-py3-none-any.whl'
        >>> wheel.data == build_wheel().data
        True
        >>> names = zipfile.ZipFile(io.BytesIO(wheel.data)).namelist()
        >>> "micrograd/engine.py" in names, names[-1].endswith(".dist-info/RECORD")
        (True, True)
    """
    root = library_root() if root is None else root
    project: dict[str, Any] = _toml.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name, version = project["name"], project["version"]
    dist_name = re.sub(r"[-_.]+", "_", name).lower()  # the wheel spec's escaped distribution name
    dist_info = f"{dist_name}-{version}.dist-info"
    package = root / PACKAGE
    sources = sorted(path for path in package.rglob("*.py") if "__pycache__" not in path.parts)
    if not sources:
        raise FileNotFoundError(f"no Python files in {package}")
    entries = [(path.relative_to(root).as_posix(), path.read_bytes()) for path in sources]
    entries.append((f"{dist_info}/METADATA", _metadata(project).encode()))
    wheel_file = f"Wheel-Version: 1.0\nGenerator: {_GENERATOR}\nRoot-Is-Purelib: true\nTag: {TAG}\n"
    entries.append((f"{dist_info}/WHEEL", wheel_file.encode()))
    record = "".join(f"{path},sha256={_digest(data)},{len(data)}\n" for path, data in entries)
    entries.append((f"{dist_info}/RECORD", (record + f"{dist_info}/RECORD,,\n").encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=_DATE)
            info.external_attr = 0o644 << 16  # rw-r--r--, whoever builds it
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    return Wheel(f"{dist_name}-{version}-{TAG}.whl", version, buffer.getvalue())


def _metadata(project: dict[str, Any]) -> str:
    """Core metadata 2.1 for the `[project]` table of a pyproject.toml."""
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}"]
    if "description" in project:
        lines.append(f"Summary: {project['description']}")
    license_text = project.get("license", {}).get("text")
    if license_text:
        lines.append(f"License: {license_text}")
    if "requires-python" in project:
        lines.append(f"Requires-Python: {project['requires-python']}")
    lines += [f"Requires-Dist: {requirement}" for requirement in project.get("dependencies", [])]
    for extra, requirements in project.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {requirement}; extra == "{extra}"' for requirement in requirements]
    return "\n".join(lines) + "\n"


def _digest(data: bytes) -> str:
    """RECORD's hash: urlsafe base64 of the sha256, without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
