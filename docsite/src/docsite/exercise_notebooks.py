"""Exercise notebooks: jupytext percent-format `.py` files in `docs/exercises/`, one per chapter.

An exercise is a `##` section of the notebook with three code cells, tagged in
jupytext's cell header (`# %% tags=["starter"]`):

- `starter`: what the reader fills in (the answer is `...` until then);
- `solution`: the answer, hidden on the page until the reader opens it;
- `check`: `check(answer, expected)` from `micrograd.exercises`, printing `OK`
  or `WRONG: expected …, got …`.

The build runs every code cell in order with the chapters' executor
(`examples.run_page`, in the worker pool, cached like a chapter), so the
solution runs before its check; `failed_checks` then turns a check that did not
print `OK` into a build error naming the page and the exercise. mkdocs-jupyter
renders the notebook's prose, title and table of contents;
`exercise_page_html` keeps that and replaces each code cell with the site's own
runnable block (`fences.runnable`), so the reader runs, edits and checks cells
in the page exactly as in a chapter (a solution only when asked). The page
also offers the notebook itself (`exercise_notebook`: the install cells of a
chapter notebook, then the exercises, solutions collapsed) and its `.py` source.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import jupytext  # type: ignore[import-untyped]
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell

from .chapter_notebooks import KERNEL, NotebookSite, install_cells, notebook_links
from .examples import BlockResult, ExampleError
from .page_blocks import Block

FOLDER = "exercises/"  # in the docs folder
ROLES = ("starter", "solution", "check")
SOLUTION_SUMMARY = "Solution (run it, then the check again)"
_MARKER = re.compile(r"^# %%")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.MULTILINE)
_DIV = re.compile(r"<div\b[^>]*>|</div>")
_CODE = re.compile(r"(<code\b.*?</code>|<pre\b.*?</pre>)", re.DOTALL)
_DOLLARS = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\$)")


def is_exercise_file(src_uri: str) -> bool:
    """True for a notebook source of the exercises folder.

    Examples:
        >>> is_exercise_file("exercises/derivatives.py"), is_exercise_file("derivatives.md")
        (True, False)
    """
    return src_uri.startswith(FOLDER) and src_uri.endswith(".py") and "/" not in src_uri[len(FOLDER) :]


@dataclass(frozen=True)
class ExerciseCell:
    """One cell of an exercise notebook.

    Attributes:
        kind: "markdown" or "code".
        source: The cell's text.
        line: The line of the `# %%` marker that opens it in the `.py` file.
        role: "starter", "solution", "check" or "" (a code cell every exercise shares, or prose).
        exercise: The title of the `##` section the cell is in ("" before the first).
    """

    kind: str
    source: str
    line: int
    role: str
    exercise: str


def read_exercises(text: str, filename: str) -> list[ExerciseCell]:
    """Read a percent-format notebook and check its shape.

    Raises:
        ExampleError: No `# ...` title first, a cell with an unknown role, or an
            exercise without exactly one starter, solution and check in that order.

    Examples:
        >>> text = ('# %% [markdown]\\n# # Ex\\n\\n# %% [markdown]\\n# ## One\\n\\n'
        ...         '# %% tags=["starter"]\\nx = ...\\n\\n# %% tags=["solution"]\\nx = 1\\n\\n'
        ...         '# %% tags=["check"]\\ncheck(x, 1)\\n')
        >>> [(c.role, c.line, c.exercise) for c in read_exercises(text, "ex.py") if c.kind == "code"]
        [('starter', 7, 'One'), ('solution', 10, 'One'), ('check', 13, 'One')]
    """
    notebook = jupytext.reads(text, fmt="py:percent")
    markers = [number for number, row in enumerate(text.split("\n"), 1) if _MARKER.match(row)]
    if len(markers) != len(notebook.cells):
        raise ExampleError(f"{filename}: {len(notebook.cells)} cells but {len(markers)} `# %%` markers: "
                           "start every cell, the first too, with a `# %%` line")
    cells: list[ExerciseCell] = []
    exercise = ""
    for line, cell in zip(markers, notebook.cells, strict=True):
        roles = [tag for tag in cell.metadata.get("tags", []) if tag in ROLES]
        unknown = [tag for tag in cell.metadata.get("tags", []) if tag not in ROLES]
        if unknown or len(roles) > 1 or (roles and cell.cell_type != "code"):
            raise ExampleError(f"{filename}:{line}: a code cell takes one tag of {', '.join(ROLES)}, got "
                               f"{cell.metadata.get('tags')}")
        headings = _HEADING.findall(cell.source) if cell.cell_type == "markdown" else []
        if not cells and (not headings or headings[0][0] != "#"):
            raise ExampleError(f"{filename}:{line}: the notebook starts with a Markdown cell holding its "
                               "`# Title` (mkdocs-jupyter takes the page title and contents from it)")
        for level, title in headings:
            if "`" in title:  # mkdocs-jupyter's contents drop code from headings, so the link would miss
                raise ExampleError(f"{filename}:{line}: no `code` in a heading of an exercise notebook: {title}")
            if level == "##":
                exercise = title
        cells.append(ExerciseCell(cell.cell_type, cell.source, line, roles[0] if roles else "", exercise))
    _check_exercises(cells, filename)
    return cells


def _check_exercises(cells: list[ExerciseCell], filename: str) -> None:
    """Every exercise has exactly a starter, a solution and a check, in that order."""
    by_exercise: dict[str, list[ExerciseCell]] = {}
    for cell in cells:
        if cell.role:
            by_exercise.setdefault(cell.exercise, []).append(cell)
    if not by_exercise:
        raise ExampleError(f"{filename}: no exercise (a `##` section with starter, solution and check cells)")
    for name, found in by_exercise.items():
        if [cell.role for cell in found] != list(ROLES):
            raise ExampleError(f"{filename}:{found[0].line}: exercise “{name}” needs one starter, one solution "
                               f"and one check cell, in that order; it has {[cell.role for cell in found]}")


def code_blocks(cells: list[ExerciseCell]) -> list[Block]:
    """The notebook's code cells as exec blocks, in order, for the chapters' executor."""
    return [Block("python", {"exec": "on"}, cell.source + "\n", cell.line) for cell in cells if cell.kind == "code"]


def failed_checks(cells: list[ExerciseCell], results: list[BlockResult], filename: str) -> list[str]:
    """A message for each check cell that did not print `OK` after its solution ran.

    Examples:
        >>> cells = [ExerciseCell("code", "check(x, 2)", 9, "check", "1. Twice")]
        >>> failed_checks(cells, [BlockResult("exec", "check(x, 2)", "WRONG: expected 2, got 3\\n")], "e.py")
        ['e.py:9: exercise “1. Twice”: its solution fails its check: WRONG: expected 2, got 3']
    """
    code = [cell for cell in cells if cell.kind == "code"]
    failures = []
    for cell, result in zip(code, results, strict=True):
        if cell.role != "check":
            continue
        printed = result.shown.strip()
        if printed != "OK":
            said = printed or "nothing (a check cell must call check(answer, expected))"
            failures.append(f"{filename}:{cell.line}: exercise “{cell.exercise}”: its solution fails its check: "
                            f"{said}")
    return failures


Highlight = Callable[[str, str, list[str]], str]  # (code, language, classes) -> HTML, as the chapters' fences do


def exercise_page_html(rendered: str, cells: list[ExerciseCell], results: list[BlockResult],
                       highlight: Highlight) -> str:
    """mkdocs-jupyter's page with its scripts and styles dropped and each code cell made runnable.

    mkdocs-jupyter wraps the notebook in a page of its own: inline copies of
    JupyterLab's CSS, a clipboard script, a MathJax loader and a Mermaid loader
    that fetch from a CDN. The site needs none of them: prose cells keep their
    rendered HTML, code cells become the chapters' runnable blocks, showing
    what the build printed except for starters and checks (the reader's to run).

    Raises:
        ExampleError: The rendered page does not hold one cell per notebook cell.
    """
    start = rendered.find('<div class="jp-Notebook"')
    if start < 0:
        raise ExampleError("mkdocs-jupyter's page has no jp-Notebook element (has its template changed?)")
    notebook_end = _closing(rendered, start)
    inner_start = rendered.index(">", start) + 1
    pieces = _children(rendered, inner_start, notebook_end)
    if len(pieces) != len(cells):
        raise ExampleError(f"mkdocs-jupyter rendered {len(pieces)} cells for a notebook of {len(cells)}")
    code_results = iter(results)
    out = []
    for (begin, end), cell in zip(pieces, cells, strict=True):
        if cell.kind == "markdown":
            out.append(_markdown_html(rendered[begin:end]))
        else:
            out.append(_code_html(cell, next(code_results), highlight))
    return "\n".join(out)


def _markdown_html(cell_html: str) -> str:
    """The rendered Markdown inside a cell, with headings' anchors as MkDocs writes them."""
    start = cell_html.find('<div class="jp-RenderedHTMLCommon')
    inner = cell_html[cell_html.index(">", start) + 1 : _closing(cell_html, start) - len("</div>")]
    inner = inner.replace('class="anchor-link"', 'class="headerlink" title="Permanent link"').strip()
    # Inline `$...$` outside code, as pymdownx.arithmatex marks it, for the site's MathML (`latex_math`).
    pieces = _CODE.split(inner)
    for index in range(0, len(pieces), 2):
        pieces[index] = _DOLLARS.sub(r'<span class="arithmatex">\(\1\)</span>', pieces[index])
    return "".join(pieces)


def _code_html(cell: ExerciseCell, result: BlockResult, highlight: Highlight) -> str:
    from .fences import runnable

    pieces = [highlight(cell.source, "python", ["mg-exec"])]
    if result.shown and cell.role not in ("starter", "check"):
        pieces.append(highlight(result.shown, "text", ["mg-output"]))
    block = runnable("\n".join(pieces), result, role=cell.role)
    if cell.role == "solution":
        return f'<details class="success mg-solution">\n<summary>{html.escape(SOLUTION_SUMMARY)}</summary>\n' \
               f"{block}\n</details>"
    return block


def _closing(text: str, start: int) -> int:
    """The index just past the `</div>` that closes the `<div` at `start`."""
    depth = 0
    for match in _DIV.finditer(text, start):
        depth += -1 if match.group().startswith("</") else 1
        if depth == 0:
            return match.end()
    raise ExampleError("an unclosed <div> in mkdocs-jupyter's page")


def _children(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the `<div>` elements directly inside `text[start:end]`."""
    spans: list[tuple[int, int]] = []
    position = start
    while True:
        match = _DIV.search(text, position, end)
        if match is None or match.group().startswith("</"):
            return spans
        close = _closing(text, match.start())
        spans.append((match.start(), close))
        position = close


def exercise_notebook(cells: list[ExerciseCell], site: NotebookSite) -> nbformat.NotebookNode:
    """The notebook a reader downloads: the chapters' install cells, then the exercises.

    Solutions are collapsed (Jupyter's `source_hidden`) and keep their tag; links are made
    to work outside the site as in a chapter notebook.
    """
    title = _HEADING.findall(cells[0].source)[0][1]  # the "# Exercises: ..." heading (read_exercises checked it)
    notebook_cells = install_cells(site, kind="exercise notebook", title=title)
    for cell in cells:
        if cell.kind == "markdown":
            notebook_cells.append(new_markdown_cell(notebook_links(cell.source, site)))
            continue
        metadata: dict[str, object] = {"tags": [cell.role]} if cell.role else {}
        if cell.role == "solution":
            metadata["jupyter"] = {"source_hidden": True}
        notebook_cells.append(new_code_cell(cell.source, metadata=metadata))
    for number, notebook_cell in enumerate(notebook_cells):
        notebook_cell.id = f"cell-{number}"
    notebook: nbformat.NotebookNode = nbformat.v4.new_notebook(
        cells=notebook_cells, metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return notebook
