"""The project's two commands: build and serve the site, or run every test.

    python3 scripts/dev.py serve   # make/refresh .venv, build the site strictly, serve it on 127.0.0.1:8000
    python3 scripts/dev.py test    # make/refresh .venv, lint and type-check, run every test, then the browser suite

Each command creates the virtual environment `.venv` on first use and
reinstalls the project's pinned dependencies whenever `pyproject.toml` or
`docsite/pyproject.toml` changes, and runs `npm ci` whenever `package-lock.json`
changes, so a fresh clone on a machine with Python, Node.js and npm needs
nothing else.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
EXTRAS = {"serve": "viz,tensor", "test": "test,browser"}  # the site runs the tensor chapter: it needs NumPy
TORCH = "torch==2.13.0"  # the [torch] extra's pin; only a wheel already on this machine is ever installed
NO_TESTS_COLLECTED = 5  # pytest's exit code when a selection (-k, -m) matches nothing


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(*args: str | Path, **kwargs: object) -> int:
    return subprocess.run([str(a) for a in args], cwd=ROOT, **kwargs).returncode  # type: ignore[call-overload,no-any-return]


def stamp_matches(stamp: Path, *inputs: Path) -> tuple[bool, str]:
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in inputs if p.exists())).hexdigest()
    return stamp.exists() and stamp.read_text() == digest, digest


def torch_wheel_is_local() -> bool:
    """True when pip can install torch from this machine's own wheels (no download)."""
    probe = [PYTHON, "-m", "pip", "install", "--dry-run", "--no-index", "--no-deps", "-q", TORCH]
    return run(*probe, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0


def ensure_venv(extras: str) -> bool:
    """Create .venv if needed and install the project, its `extras` and the docs build; say if torch is there."""
    if not PYTHON.exists():
        say(f"creating virtual environment {VENV.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / f".installed-{extras.replace(',', '-')}"
    same, digest = stamp_matches(stamp, ROOT / "pyproject.toml", ROOT / "docsite" / "pyproject.toml")
    if not same:
        wanted = extras
        if "test" in extras:
            if torch_wheel_is_local():
                wanted += ",torch"
            else:
                say(f"no local {TORCH} wheel for Python {sys.version_info.major}.{sys.version_info.minor}: "
                    "the torch comparison tests will be skipped (to run them: .venv/bin/pip install torch==2.13.0, "
                    "which downloads several GB)")
        say(f"installing micrograd-literate[{wanted}] and the docs build (docsite/), pinned, into .venv ...")
        start = time.perf_counter()
        code = run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on",
                   "-e", f".[{wanted}]", "-e", "./docsite")
        if code != 0:
            sys.exit(f"[dev] pip install failed (exit {code})")
        stamp.write_text(digest)
        say(f"installed in {time.perf_counter() - start:.0f} s")
    return run(PYTHON, "-c", "import torch", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0


def ensure_node_modules() -> None:
    """Install the site's browser-side packages from package-lock.json (exact versions, no scripts)."""
    lock = ROOT / "package-lock.json"
    if not lock.exists():
        return
    stamp = ROOT / "node_modules" / ".installed-lock"
    same, digest = stamp_matches(stamp, lock)
    if same:
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("[dev] npm is missing: the site serves its math font and Python runtime from npm packages; "
                 "install Node.js and npm (apt-get install nodejs npm)")
    say("installing the site's npm packages (npm ci --ignore-scripts) ...")
    if run(npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund") != 0:
        sys.exit("[dev] npm ci failed")
    stamp.write_text(digest)


def serve(address: str) -> int:
    ensure_venv(EXTRAS["serve"])
    ensure_node_modules()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    say(f"building the site (strict) and serving it at http://{address}/ ; Ctrl-C stops")
    return run(PYTHON, "-m", "mkdocs", "serve", "--strict", "-a", address, env=env)


def pytest_part(name: str, args: list[str], env: dict[str, str]) -> int:
    """Run one part of the suite; a selection that picks nothing from this part is not a failure."""
    code = run(PYTHON, "-m", "pytest", *args, env=env)
    if code == NO_TESTS_COLLECTED:
        say(f"{name}: your selection picked no tests here")
        return 0
    return code


def test(browser_only: bool, pytest_args: list[str]) -> int:
    has_torch = ensure_venv(EXTRAS["test"])
    ensure_node_modules()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if not browser_only:
        say("lint (ruff) and types (mypy --strict) of micrograd/ and docsite/")
        if run(PYTHON, "-m", "ruff", "check", "micrograd", "docsite/src") != 0:
            return 1
        if run(PYTHON, "-m", "mypy") != 0:
            return 1
        say("running every test: unit, property, doctests (library, README), chapters (site build), notebooks"
            + (", PyTorch comparison" if has_torch else "; PyTorch comparison SKIPPED (no torch)"))
        code = pytest_part("main suite", ["-m", "not browser", *pytest_args], env)
        if code != 0:
            return code
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        say("browser suite NOT run: Chromium is missing (install it with: apt-get install chromium)")
        return 1
    say(f"running the browser suite in headless {chromium}")
    return pytest_part("browser suite", ["-m", "browser", "tests/browser", *pytest_args], env)


def main() -> int:
    parser = argparse.ArgumentParser(description="micrograd's two commands")
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="build the site and serve it locally")
    p_serve.add_argument("-a", "--address", default="127.0.0.1:8000")
    p_test = sub.add_parser("test", help="run every test (needs Chromium for the browser suite)")
    p_test.add_argument("--browser", action="store_true", help="run only the browser suite")
    # anything else after `test` (e.g. -k engine -x) goes to pytest
    args, pytest_args = parser.parse_known_args()
    if args.command == "serve":
        if pytest_args:
            parser.error(f"unrecognized arguments: {' '.join(pytest_args)}")
        return serve(args.address)
    return test(args.browser, pytest_args)


if __name__ == "__main__":
    sys.exit(main())
