"""The wheel the site serves: the notebooks' install cell installs it with pip, and it imports as micrograd-literate."""

from __future__ import annotations

import json
import os
import subprocess
import venv
from pathlib import Path

import tomllib
from docsite.chapter_notebooks import NotebookSite, install_cells
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


def test_the_notebooks_install_cell_installs_the_wheel_into_a_fresh_venv(tmp_path: Path) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wheel = build_wheel()
    assert library_root() == ROOT
    assert wheel.name == f"micrograd_literate-{project['version']}-py3-none-any.whl"
    assert wheel.data == build_wheel(ROOT).data  # byte-identical builds
    venv.create(tmp_path / "venv", with_pip=True)
    python = str(tmp_path / "venv" / "bin" / "python")
    site = NotebookSite("value.md", "value/value.ipynb", f"assets/{wheel.name}", wheel.version)
    cell = install_cells(site)[1].source  # plain Python: the magic is in the next cell
    # Offline: pip may install only the wheel itself (the extra's matplotlib and graphviz need the network).
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_NO_DEPS": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("VIRTUAL_ENV", None)
    alone = tmp_path / "alone"  # a notebook downloaded on its own: the cell says how to install
    alone.mkdir()
    done = subprocess.run([python, "-I", "-c", cell], cwd=alone, env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "FileNotFoundError" in done.stderr
    assert f'pip install "path/to/{wheel.name}[viz]"' in done.stderr
    notebook = tmp_path / "site" / "value"  # a copy of the site: the wheel in assets/, one up
    notebook.mkdir(parents=True)
    (tmp_path / "site" / "assets").mkdir()
    (tmp_path / "site" / "assets" / wheel.name).write_bytes(wheel.data)
    done = subprocess.run([python, "-I", "-c", cell], cwd=notebook, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"micrograd-literate {project['version']}")
    done = subprocess.run([python, "-I", "-c", PROBE], cwd=tmp_path, check=True, capture_output=True, text=True)
    found = json.loads(done.stdout)
    assert found["version"] == project["version"] and found["python"] == project["requires-python"]
    assert "viz" in found["extras"]
    assert found["file"].startswith(str(tmp_path / "venv")) and found["value"].startswith("Value(data=6.0")
