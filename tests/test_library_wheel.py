"""The wheel the site serves installs with pip and imports as micrograd-literate."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import tomllib
from docsite.library_wheel import build_wheel, library_root

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import importlib.metadata, json, micrograd, micrograd.data
from micrograd.engine import Value
meta = importlib.metadata.distribution("micrograd-literate").metadata
print(json.dumps({"version": meta["Version"], "python": meta["Requires-Python"],
                  "extras": meta.get_all("Provides-Extra"), "file": micrograd.__file__,
                  "value": repr(Value(2.0) * 3)}))
"""


def test_the_wheel_installs_into_a_fresh_venv_and_imports(tmp_path: Path) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wheel = build_wheel()
    assert library_root() == ROOT
    assert wheel.name == f"micrograd_literate-{project['version']}-py3-none-any.whl"
    assert wheel.data == build_wheel(ROOT).data  # byte-identical builds
    path = tmp_path / wheel.name
    path.write_bytes(wheel.data)
    venv.create(tmp_path / "venv", with_pip=False)  # this interpreter's pip installs into it (fast)
    python = tmp_path / "venv" / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    subprocess.run([*pip, "install", "-q", "--no-index", "--no-deps", str(path)], check=True, capture_output=True)
    done = subprocess.run([str(python), "-I", "-c", PROBE], cwd=tmp_path, check=True, capture_output=True, text=True)
    found = json.loads(done.stdout)
    assert found["version"] == project["version"] and found["python"] == project["requires-python"]
    assert "viz" in found["extras"]
    assert found["file"].startswith(str(tmp_path / "venv")) and found["value"].startswith("Value(data=6.0")
