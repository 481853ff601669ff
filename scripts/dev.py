"""The project's two commands: build and serve the site, or run every test.

    python3 scripts/dev.py serve   # make/refresh .venv, build the site strictly, serve it on 127.0.0.1:8000
    python3 scripts/dev.py test    # make/refresh .venv, run every test (then the browser suite)

Each command creates the virtual environment `.venv` on first use and
reinstalls the project's pinned extras whenever pyproject.toml changes, so a
fresh clone on a machine with only Python needs nothing else.
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
EXTRAS = {"serve": "docs", "test": "test,torch,browser"}


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(*args: str | Path, **kwargs) -> int:
    return subprocess.run([str(a) for a in args], cwd=ROOT, **kwargs).returncode


def ensure_venv(extras: str) -> None:
    """Create .venv if needed and install the project with `extras`, unless already done for this pyproject."""
    if not PYTHON.exists():
        say(f"creating virtual environment {VENV.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / f".installed-{extras.replace(',', '-')}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"installing micrograd-literate[{extras}] (pinned versions) into .venv ...")
    start = time.perf_counter()
    code = run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", f".[{extras}]")
    if code != 0:
        sys.exit(f"[dev] pip install failed (exit {code})")
    stamp.write_text(digest)
    say(f"installed in {time.perf_counter() - start:.0f} s")


def serve(address: str) -> int:
    ensure_venv(EXTRAS["serve"])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    say(f"building the site (strict) and serving it at http://{address}/ ; Ctrl-C stops")
    return run(PYTHON, "-m", "mkdocs", "serve", "--strict", "-a", address, env=env)


def test(browser_only: bool, pytest_args: list[str]) -> int:
    ensure_venv(EXTRAS["test"])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if not browser_only:
        say("running every test: unit, property, doctests (library and chapters), PyTorch comparison, site build")
        code = run(PYTHON, "-m", "pytest", "-m", "not browser", *pytest_args, env=env)
        if code != 0:
            return code
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        say("browser suite NOT run: Chromium is missing (install it with: apt-get install chromium)")
        return 1
    say(f"running the browser suite in headless {chromium}")
    code = run(PYTHON, "-m", "pytest", "-m", "browser", "tests/browser", *pytest_args, env=env)
    return code


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
