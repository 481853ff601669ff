#!/usr/bin/env bash
# Check the library and the chapters on another Python (pyenv's), in .venv-<version>:
#   bash scripts/check_python.sh 3.13.0
# Runs the library's unit, property and doctests and a strict build of the site
# (which runs every chapter's examples). Not the browser or torch suites.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$1"
minor="${version%.*}"
venv=".venv-$version"
if ! PYENV_VERSION="$version" "python$minor" --version >/dev/null 2>&1; then
    echo "[check_python] Python $version is not available here (pyenv); nothing checked" >&2
    exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
    echo "[check_python] creating $venv"
    PYENV_VERSION="$version" "python$minor" -m venv "$venv"
fi
echo "[check_python] installing the library, its test extra and the site build into $venv ..."
"$venv/bin/python" -m pip install --disable-pip-version-check -q -e ".[test]" -e ./docsite
echo "[check_python] library tests on Python $version"
NO_MKDOCS_2_WARNING=1 "$venv/bin/python" -m pytest -q -p no:cacheprovider -m "not browser and not torch" \
    micrograd README.md tests/test_engine.py tests/test_nn.py tests/test_losses.py tests/test_optim.py \
    tests/test_data.py tests/test_gradcheck.py tests/test_viz.py tests/test_docstrings.py
echo "[check_python] strict site build (every chapter's examples) on Python $version"
site="$(mktemp -d)"
NO_MKDOCS_2_WARNING=1 "$venv/bin/python" -m mkdocs build --strict -d "$site"
rm -rf "$site"
echo "[check_python] Python $version: OK"
