"""Every page with code becomes a notebook that runs from top to bottom.

The notebooks are built with the hook's own function (no site build), then
their code cells run in order in a fresh namespace, as "Run all" would. A cell
tagged `raises-exception` must raise (Jupyter carries on after it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from mkdocs.utils.meta import get_data

matplotlib.use("Agg")  # before anything imports pyplot

from docsite.chapter_notebooks import RAISES_TAG, chapter_notebook, notebook_json
from docsite.page_blocks import page_blocks
from docsite.svg_figures import close_figures

ROOT = Path(__file__).resolve().parents[1]

SNIPPETS = {"base_path": [str(ROOT)], "check_paths": True, "dedent_subsections": True}
PAGES = sorted([*(ROOT / "docs").rglob("*.md"), *(ROOT / "tests" / "site_demo").glob("*.md")])


def page_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def notebook_for(path: Path) -> Any:
    markdown = get_data(path.read_text(encoding="utf-8"))[0]  # without front matter, as MkDocs passes it
    return chapter_notebook(page_blocks(markdown), markdown, SNIPPETS, page_id(path))


def code_cells(nb: dict[str, Any]) -> list[tuple[str, bool]]:
    return [
        ("".join(cell["source"]), RAISES_TAG in cell["metadata"].get("tags", []))
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
    ]


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_notebook_runs_top_to_bottom(path: Path) -> None:
    nb = notebook_for(path)
    if nb is None:
        assert "```pycon" not in path.read_text() and 'exec="on"' not in path.read_text()
        return  # a page without code gets no notebook (and no link)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    try:
        for number, (code, raises) in enumerate(code_cells(nb)):
            compiled = compile(code, f"{page_id(path)}[cell {number}]", "exec")
            if raises:
                with pytest.raises(Exception):
                    exec(compiled, namespace)
            else:
                exec(compiled, namespace)
    finally:
        close_figures()


@pytest.mark.parametrize("path", [p for p in PAGES if notebook_for(p) is not None], ids=page_id)
def test_notebook_is_valid_nbformat_4(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "page.ipynb"
    target.write_text(notebook_json(notebook_for(path)), encoding="utf-8")
    nb = json.loads(target.read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4 and nb["nbformat_minor"] == 5
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    ids = [cell["id"] for cell in nb["cells"]]
    assert len(set(ids)) == len(ids)
    for cell in nb["cells"]:
        assert cell["cell_type"] in ("markdown", "code")
        assert isinstance(cell["metadata"], dict)
        assert all(isinstance(line, str) for line in cell["source"])
        assert all(line.endswith("\n") for line in cell["source"][:-1])
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
            assert not any(line.startswith((">>> ", "... ")) for line in cell["source"])
    assert "--8<--" not in target.read_text()  # snippet includes became the code they include


def test_notebook_cells_follow_the_page() -> None:
    page = (
        "# Title\n\nProse with $x^2$.\n\n"
        "```pycon\n>>> a = 1\n>>> a + 1\n2\n>>> int('x')\nTraceback (most recent call last):\nValueError: ...\n>>> a\n1\n\n```\n\n"
        '```python exec="on" hide_code alt="a plot"\nprint(a)\n```\n\n'
        "```python\nlisting_only = True\n```\n"
    )
    nb = chapter_notebook(page_blocks(page), page)
    cells = [(c["cell_type"], "".join(c["source"]), c["metadata"]) for c in nb["cells"]]
    assert cells == [
        ("markdown", "# Title\n\nProse with $x^2$.", {}),
        ("code", "a = 1\na + 1", {}),
        ("code", "int('x')", {"tags": ["raises-exception"]}),
        ("code", "a", {}),
        ("code", "print(a)", {"jupyter": {"source_hidden": True}}),
        ("markdown", "```python\nlisting_only = True\n```", {}),
    ]
