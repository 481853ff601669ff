"""Every page with code becomes a notebook that runs top to bottom in a real Jupyter kernel.

The notebooks are built with the plugin's own functions (no site build), as the
site publishes them without a `site_url`, and all of them run at once in
ipykernel kernels driven by nbclient, in a scratch folder (as a downloaded
notebook would, in this environment, where micrograd-literate is installed, so
the install cell skips installing). A cell may fail only when it is tagged
`raises-exception`, and then it must. Every figure the page shows must come out
as an image, which a matplotlib Figure made without pyplot does only because
the notebook's first cells turn on `%matplotlib inline`.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import nbformat
import pytest
import yaml
from docsite.chapter_notebooks import (
    RAISES_TAG,
    NotebookSite,
    chapter_notebook,
    heading_anchors,
    notebook_extras,
    notebook_json,
)
from docsite.exercise_notebooks import exercise_notebook, read_exercises
from docsite.library_wheel import build_wheel
from docsite.page_blocks import page_blocks
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SNIPPETS = {"base_path": [str(ROOT)], "check_paths": True, "dedent_subsections": True}
PAGES = sorted([*DOCS.rglob("*.md"), *(ROOT / "tests" / "site_demo").glob("*.md")])
EXERCISES = sorted((DOCS / "exercises").glob("*.py"))  # exercise notebooks, jupytext sources
IMAGES = ("image/png", "image/svg+xml")
KERNELS_AT_ONCE = 3  # the chapters mostly wait on one another's CPU; more kernels than this only add start-up
WHEEL = build_wheel()


def page_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def nav_titles() -> dict[str, str]:
    """Page → title, from mkdocs.yml's nav (without the `!relative` tags, which the nav does not use)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = yaml.safe_load(text[text.index("nav:") : text.index("\ntheme:")])["nav"]
    titles: dict[str, str] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            for title, page in item.items():
                if isinstance(page, list):  # a section, e.g. "Exercises"
                    walk(page)
                else:
                    titles[page] = title

    walk(nav)
    return titles


def site_for(path: Path, site_url: str | None = None) -> NotebookSite:
    """The NotebookSite the plugin gives the page (every docs file, titles from the nav)."""
    docs = path.parent if path.parent != DOCS and DOCS not in path.parents else DOCS
    titles = nav_titles() if docs == DOCS else {}
    files = {}
    for source in sorted(p for p in docs.rglob("*") if p.is_file()):
        file = File(source.relative_to(docs).as_posix(), str(docs), "/site", use_directory_urls=True)
        files[file.src_uri] = (file.url, titles.get(file.src_uri, ""))
    page = File(path.relative_to(docs).as_posix(), str(docs), "/site", use_directory_urls=True)
    notebook = f"{Path(page.dest_uri).parent.as_posix()}/{path.stem}.ipynb".removeprefix("./")
    extras = notebook_extras(page_blocks(get_data(path.read_text(encoding="utf-8"))[0]).runnable)
    if path in EXERCISES:  # a page of its own in the site (mkdocs-jupyter), like a chapter
        notebook = f"exercises/{path.stem}/{path.stem}.ipynb"
        extras = ("viz",)
    return NotebookSite(page.src_uri, notebook, f"assets/{WHEEL.name}", WHEEL.version, files, site_url, extras)


def notebook_for(path: Path, site_url: str | None = None) -> Any:
    if path in EXERCISES:
        cells = read_exercises(path.read_text(encoding="utf-8"), page_id(path))
        return exercise_notebook(cells, site_for(path, site_url))
    text = get_data(path.read_text(encoding="utf-8"))[0]  # without front matter, as MkDocs passes it
    return chapter_notebook(page_blocks(text), text, SNIPPETS, page_id(path), site_for(path, site_url))


NOTEBOOK_PAGES = [path for path in PAGES if notebook_for(path) is not None] + EXERCISES


def figure_blocks(path: Path) -> list[str]:
    """The code of the page's exec blocks that show a figure (they need `alt=`); exercise notebooks draw none."""
    if path in EXERCISES:
        return []
    text = get_data(path.read_text(encoding="utf-8"))[0]
    return [b.code.rstrip("\n") for b in page_blocks(text).runnable if b.lang != "pycon" and "alt" in b.options]


# --- running them all in real kernels ------------------------------------------------------

async def _run_all(tmp: Path) -> dict[Path, tuple[Any, BaseException | None, float]]:
    limit = asyncio.Semaphore(KERNELS_AT_ONCE)

    async def run(path: Path) -> tuple[Any, BaseException | None, float]:
        nb = nbformat.reads(notebook_json(notebook_for(path)), as_version=4)
        site = tmp / page_id(path).replace("/", "_")  # laid out as the site: pages' files one up
        folder = site / ("exercises" if path in EXERCISES else "") / path.stem
        folder.mkdir(parents=True)
        if DOCS in path.parents:  # the files the site publishes besides pages (recorded PyTorch runs)
            for source in DOCS.rglob("*.json"):
                (site / source.relative_to(DOCS)).parent.mkdir(parents=True, exist_ok=True)
                (site / source.relative_to(DOCS)).write_bytes(source.read_bytes())
        async with limit:
            start = time.perf_counter()
            client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=False,
                                    resources={"metadata": {"path": str(folder)}})
            try:
                await client.async_execute()
            except Exception as error:  # a failing cell: reported by the page's own test
                return nb, error, time.perf_counter() - start
            return nb, None, time.perf_counter() - start

    # Slowest first, so the long chapters do not start last.
    order = sorted(NOTEBOOK_PAGES, key=lambda p: -len(p.read_text(encoding="utf-8")))
    results = await asyncio.gather(*(run(path) for path in order))
    return dict(zip(order, results, strict=True))


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, tuple[Any, BaseException | None, float]]:
    return asyncio.run(_run_all(tmp_path_factory.mktemp("notebooks")))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOK_PAGES, ids=page_id)
def test_notebook_runs_in_a_kernel_and_shows_every_figure(path: Path, executed: dict[Path, Any]) -> None:
    nb, error, seconds = executed[path]
    assert error is None, f"{page_id(path)} failed in the kernel after {seconds:.1f} s:\n{error}"
    install, show = nb.cells[1], nb.cells[2]
    assert [o.get("text") for o in install.outputs] == [f"micrograd-literate {WHEEL.version}\n"]  # no install
    assert "%matplotlib inline" in show.source and show.outputs == []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if RAISES_TAG in cell.metadata.get("tags", []):
            assert errors, f"{page_id(path)}: a cell tagged {RAISES_TAG} did not raise:\n{cell.source}"
        else:
            assert not errors, cell.source
    figures = figure_blocks(path)
    by_source = {cell.source: cell for cell in nb.cells if cell.cell_type == "code"}
    for code in figures:
        shown = [o for o in by_source[code].outputs if any(kind in o.get("data", {}) for kind in IMAGES)]
        assert len(shown) == 1, f"{page_id(path)}: no image for the figure of\n{code}"
    images = sum(1 for cell in nb.cells for o in cell.get("outputs", []) if any(k in o.get("data", {}) for k in IMAGES))
    if path in EXERCISES:  # "Run all" runs each solution before its check: every check says OK
        checks = [cell for cell in nb.cells if "check" in cell.metadata.get("tags", [])]
        # The kernel may send one print as several stream messages.
        printed = ["".join(o.get("text", "") for o in cell.outputs) for cell in checks]
        assert checks and printed == ["OK\n"] * len(checks), (page_id(path), printed)
        solutions = [cell for cell in nb.cells if "solution" in cell.metadata.get("tags", [])]
        assert all(cell.metadata["jupyter"] == {"source_hidden": True} for cell in solutions)
    assert images == len(figures)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain", "")
            assert "<Figure size" not in text or set(output["data"]) & set(IMAGES)  # a figure shown as text


def test_some_notebooks_have_figures_of_both_kinds(executed: dict[Path, Any]) -> None:
    kinds = {kind for nb, _, _ in executed.values() for cell in nb.cells for o in cell.get("outputs", [])
             for kind in o.get("data", {}) if kind in IMAGES}
    assert kinds == set(IMAGES)  # matplotlib (PNG) and graphviz (SVG)


# --- links ----------------------------------------------------------------------------------

class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value or "" for name, value in attrs if name in ("href", "src")]


def notebook_links(nb: Any) -> list[str]:
    parser = Links()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parser.feed(markdown.markdown(cell.source, extensions=["fenced_code", "tables", "attr_list", "md_in_html"]))
    return parser.links


def jupyter_ids(nb: Any) -> set[str]:
    """The ids Jupyter gives the notebook's headings."""
    markdown_cells = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    return {jupyter for source in markdown_cells for jupyter in heading_anchors(source).values()}


@pytest.mark.parametrize("site_url", [None, "https://example.org/micrograd/"])
def test_every_link_in_every_notebook_works_outside_the_site(site_url: str | None) -> None:
    checked = 0
    for path in NOTEBOOK_PAGES:
        nb = notebook_for(path, site_url)
        ids = jupyter_ids(nb)
        for link in notebook_links(nb):
            if link.startswith("#"):
                assert link[1:] in ids, f"{page_id(path)}: {link} is no heading of the notebook"
            else:
                assert re.match(r"https?://", link), f"{page_id(path)}: {link} is not absolute"
                if site_url:
                    assert link.startswith(site_url) and ".md" not in link, link
            checked += 1
    assert checked >= (30 if site_url else 1)  # with site_url, every cross-page link became a link


def test_without_site_url_links_to_other_pages_become_text_naming_the_page() -> None:
    nb = notebook_for(DOCS / "training.md")
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    assert "`micrograd.optim.SGD` (see “API reference”)" in text
    assert "reference.md" not in text and "backward.md" not in text


def test_the_first_cells_say_what_the_notebook_needs_and_install_it() -> None:
    for site_url in (None, "https://example.org/micrograd/"):
        nb = notebook_for(DOCS / "value.md", site_url)
        intro, install, show = nb.cells[:3]
        assert intro.cell_type == "markdown" and "micrograd-literate" in intro.source
        assert "PyPI's `micrograd`" in intro.source and "micrograd.data" in intro.source
        assert "“The Value object and its graph”" in intro.source
        assert 'installed("micrograd-literate")' in install.source and "pip" in install.source
        assert show.source.endswith("%matplotlib inline")
        if site_url:
            assert f'WHEEL = "{site_url}assets/{WHEEL.name}"' in install.source
            assert f"<{site_url}value/>" in intro.source
        else:
            assert f'Path("../assets/{WHEEL.name}")' in install.source and "https://" not in install.source


def test_a_chapter_using_numpy_installs_the_tensor_extra() -> None:
    intro, install = notebook_for(DOCS / "tensors.md").cells[:2]
    assert "tensor extra (NumPy)" in intro.source and "[viz,tensor]" in intro.source
    assert '"matplotlib", "graphviz", "numpy"' in install.source and "[viz,tensor] @" in install.source
    intro, install = notebook_for(DOCS / "value.md").cells[:2]
    assert "numpy" not in install.source and "tensor" not in intro.source


# --- the notebook file itself ---------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOK_PAGES, ids=page_id)
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


def test_pages_without_code_get_no_notebook() -> None:
    for path in PAGES:
        if path not in NOTEBOOK_PAGES:
            assert "```pycon" not in path.read_text() and 'exec="on"' not in path.read_text(), path


def test_notebook_cells_follow_the_page() -> None:
    page = (
        "# Title\n\nProse with $x^2$.\n\n"
        "```pycon\n>>> a = 1\n>>> a + 1\n2\n>>> int('x')\n"
        "Traceback (most recent call last):\nValueError: ...\n>>> a\n1\n\n```\n\n"
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
