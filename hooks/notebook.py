"""MkDocs hook: offer every page that has runnable code as a Jupyter notebook.

For each page with a pycon or exec block, `<page>.ipynb` (nbformat 4) is
written next to the page's HTML and a "Download this chapter as a notebook"
link is put under the page's title. Prose and plain listings become Markdown
cells (snippet includes are replaced by the code they include, exactly as
pymdownx.snippets does on the page); each exec block becomes a code cell; a
pycon block becomes code cells without prompts or output, with an example that
is meant to raise in a cell of its own tagged `raises-exception` (the tag
Jupyter's nbclient honours), so the notebook runs from top to bottom.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

import markdown as python_markdown
from fenced_blocks import FencedBlock, Prose, split_markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from page_runner import ExampleError, example_code, pycon_examples
from pymdownx.snippets import SnippetMissingError

LINK_TEXT = "Download this chapter as a notebook"
RAISES_TAG = "raises-exception"
SNIPPETS = "pymdownx.snippets"

_notebooks: dict[str, dict[str, Any]] = {}


def build_notebook(markdown: str, snippets: dict[str, Any] | None = None, filename: str = "<page>") -> dict[str, Any] | None:
    """The notebook for a page's Markdown, or None if it has nothing to run.

    Args:
        markdown: The page's Markdown (front matter removed).
        snippets: The pymdownx.snippets configuration to expand `--8<--`
            includes with; None leaves them as written.
        filename: How error messages name the page.

    Raises:
        ValueError: A fence is malformed or a pycon block is not a valid doctest.

    Examples:
        >>> page = '# Sums\\n\\n```pycon\\n>>> 1 + 1\\n2\\n\\n```\\n\\n```python exec="on"\\nprint(3)\\n```\\n'
        >>> notebook = build_notebook(page)
        >>> [(cell["cell_type"], "".join(cell["source"])) for cell in notebook["cells"]]
        [('markdown', '# Sums'), ('code', '1 + 1'), ('code', 'print(3)')]
        >>> build_notebook("# No code here") is None
        True
    """
    segments = split_markdown(markdown)
    if not any(isinstance(s, FencedBlock) and (s.is_pycon or s.is_exec) for s in segments):
        return None
    cells: list[dict[str, Any]] = []
    prose: list[str] = []

    def flush_prose() -> None:
        text = "\n".join(prose).strip("\n")
        prose.clear()
        if snippets is not None:
            text = include_snippets(text, snippets)
        if text.strip():
            cells.append(_cell("markdown", text))

    for segment in segments:
        if isinstance(segment, Prose):
            prose.append(segment.text)
        elif segment.is_pycon:
            flush_prose()
            for code, raises in _pycon_cells(segment, filename):
                cells.append(_cell("code", code, tags=[RAISES_TAG] if raises else []))
        elif segment.is_exec:
            flush_prose()
            cells.append(_cell("code", segment.code, hidden="hide_code" in segment.attrs))
        else:
            prose.append(segment.source)
    flush_prose()
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number}"
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def include_snippets(text: str, snippets: dict[str, Any]) -> str:
    """Expand `--8<--` includes with pymdownx.snippets itself, as the page build does.

    Examples:
        >>> listing = '```python\\n--8<-- "micrograd/engine.py:backward"\\n```'
        >>> include_snippets(listing, {"base_path": ["."], "check_paths": True, "dedent_subsections": True}).split("\\n")[1]
        'def backward(self) -> None:'
    """
    md = python_markdown.Markdown(extensions=[SNIPPETS], extension_configs={SNIPPETS: snippets})
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def write_notebook(notebook: dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Write a notebook as nbformat JSON (UTF-8, one-space indent as Jupyter does).

    Examples:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "page.ipynb"
        >>> write_notebook(build_notebook('```python exec="on"\\nx = 1\\n```'), path)
        >>> json.loads(path.read_text())["nbformat"]
        4
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def notebook_name(page: Page) -> str:
    """The notebook's file name: the page's source name with `.ipynb` (e.g. "engine.ipynb")."""
    return Path(page.file.src_uri).stem + ".ipynb"


@event_priority(100)  # before the execute hook replaces the blocks with their results
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Build the page's notebook from its Markdown as written."""
    try:
        notebook = build_notebook(markdown, config.mdx_configs.get(SNIPPETS), page.file.src_uri)
    except (ValueError, ExampleError, SnippetMissingError) as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None
    if notebook is not None and page.meta.get("notebook", True):
        _notebooks[page.file.src_uri] = notebook
    return markdown


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the download link under the page's title."""
    if page.file.src_uri not in _notebooks:
        return html_text
    link = (
        f'<p class="mg-notebook-link" data-search-exclude><a class="md-button" href="{html.escape(notebook_name(page))}" download>'
        f"{LINK_TEXT}</a></p>"
    )
    end_of_title = html_text.find("</h1>")
    if end_of_title < 0:
        return link + "\n" + html_text
    cut = end_of_title + len("</h1>")
    return html_text[:cut] + "\n" + link + html_text[cut:]


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Write the notebook next to the page's HTML (after MkDocs has cleaned the site directory)."""
    notebook = _notebooks.pop(page.file.src_uri, None)
    if notebook is not None:
        write_notebook(notebook, Path(page.file.abs_dest_path).parent / notebook_name(page))
    return output


def _pycon_cells(block: FencedBlock, filename: str) -> list[tuple[str, bool]]:
    """Group a pycon block's examples into cells; one meant to raise stands alone."""
    cells: list[tuple[str, bool]] = []
    for example in pycon_examples(block, filename):
        code = example_code(example)
        raises = example.exc_msg is not None
        if raises or not cells or cells[-1][1]:
            cells.append((code, raises))
        else:
            cells[-1] = (cells[-1][0] + code, False)
    return cells


def _cell(kind: str, text: str, tags: list[str] | None = None, hidden: bool = False) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    if tags:
        metadata["tags"] = tags
    if hidden:
        metadata["jupyter"] = {"source_hidden": True}
    cell: dict[str, Any] = {"cell_type": kind, "id": "", "metadata": metadata, "source": _source_lines(text)}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _source_lines(text: str) -> list[str]:
    """Jupyter's form: a list of lines, each with its newline except the last."""
    return text.rstrip("\n").splitlines(keepends=True)
