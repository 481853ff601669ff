"""Write a chapter as a Jupyter notebook that runs from top to bottom.

Prose and plain listings become Markdown cells (snippet includes expanded by
pymdownx.snippets, as on the page); each exec block becomes a code cell; a
pycon block becomes code cells without prompts or output, and an example that
is meant to raise gets a cell of its own tagged `raises-exception` (the tag
Jupyter honours), so "Run all" goes through. Built with nbformat and validated.
"""

from __future__ import annotations

from typing import Any

import markdown
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .examples import is_flag_on, pycon_examples, without_directives
from .page_blocks import PageText

RAISES_TAG = "raises-exception"
SNIPPETS = "pymdownx.snippets"
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def chapter_notebook(page: PageText, text: str, snippets: dict[str, Any] | None = None,
                     filename: str = "<page>") -> nbformat.NotebookNode | None:
    """The notebook for a page, or None when it has nothing to run.

    Args:
        page: The page cut into blocks and prose (`page_blocks` of `text`).
        text: The page's Markdown, front matter removed.
        snippets: pymdownx.snippets' configuration, to expand `--8<--` includes;
            None leaves them as written.
        filename: How error messages name the page.

    Examples:
        >>> from docsite.page_blocks import page_blocks
        >>> text = '# Sums\\n\\n```pycon\\n>>> 1 + 1\\n2\\n\\n```\\n\\n```python exec="on"\\nprint(3)\\n```\\n'
        >>> notebook = chapter_notebook(page_blocks(text), text)
        >>> [(cell.cell_type, cell.source) for cell in notebook.cells]
        [('markdown', '# Sums'), ('code', '1 + 1'), ('code', 'print(3)')]
    """
    if not page.runnable:
        return None
    lines = text.split("\n")
    pieces: list[tuple[int, str, Any]] = [(start, "prose", chunk) for start, chunk in page.prose]
    pieces += [(block.line, "block", block) for block in page.blocks]
    cells = []
    prose: list[str] = []

    def flush() -> None:
        chunk = "\n".join(prose).strip("\n")
        prose.clear()
        if snippets is not None:
            chunk = include_snippets(chunk, snippets)
        if chunk.strip():
            cells.append(new_markdown_cell(chunk))

    for _, kind, item in sorted(pieces, key=lambda piece: piece[0]):
        if kind == "prose":
            prose.append(item)
        elif not item.runs:
            prose.append("\n".join(lines[item.line - 1 : item.end_line]))
        elif item.lang == "pycon":
            flush()
            for code, raises in _pycon_cells(item, filename):
                cells.append(new_code_cell(code, metadata={"tags": [RAISES_TAG]} if raises else {}))
        else:
            flush()
            hidden = {"jupyter": {"source_hidden": True}} if is_flag_on(item, "hide_code") else {}
            cells.append(new_code_cell(item.code.rstrip("\n"), metadata=hidden))
    flush()
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # nbformat's ids are random; fixed ones keep builds identical
    notebook: nbformat.NotebookNode = new_notebook(
        cells=cells, metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return notebook


def include_snippets(text: str, snippets: dict[str, Any]) -> str:
    """Expand `--8<--` includes with pymdownx.snippets itself, as the page build does."""
    md = markdown.Markdown(extensions=[SNIPPETS], extension_configs={SNIPPETS: snippets})
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def notebook_json(notebook: nbformat.NotebookNode) -> str:
    """The notebook as Jupyter writes it (one-space indent, UTF-8 text)."""
    return str(nbformat.writes(notebook)) + "\n"


def _pycon_cells(block: Any, filename: str) -> list[tuple[str, bool]]:
    """Group a pycon block's examples into cells; one meant to raise stands alone."""
    cells: list[tuple[str, bool]] = []
    for example in pycon_examples(block, filename):
        code = without_directives(example.source)
        raises = example.exc_msg is not None
        if raises or not cells or cells[-1][1]:
            cells.append((code, raises))
        else:
            cells[-1] = (cells[-1][0] + code, False)
    return [(code.rstrip("\n"), raises) for code, raises in cells]
