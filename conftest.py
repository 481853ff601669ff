"""Repository-wide pytest setup: the core library is testable without its extras.

`micrograd` runs on the standard library alone; the drawing modules' doctests
need matplotlib and graphviz (the `viz` extra). When either is missing, those
doctests are skipped with a reason instead of failing, just as tests/test_viz.py
skips itself through `pytest.importorskip`.
"""

from __future__ import annotations

import importlib.util

import pytest

_DRAWING_MODULES = {"viz.py", "_plots.py"}
_VIZ_EXTRA = ("matplotlib", "graphviz")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = [name for name in _VIZ_EXTRA if importlib.util.find_spec(name) is None]
    if not missing:
        return
    skip = pytest.mark.skip(reason=f"needs the [viz] extra: {', '.join(missing)} not installed")
    for item in items:
        if (
            isinstance(item, pytest.DoctestItem)
            and item.path.name in _DRAWING_MODULES
            and item.path.parent.name == "micrograd"
        ):
            item.add_marker(skip)
