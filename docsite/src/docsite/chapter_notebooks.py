"""Write a chapter as a Jupyter notebook that runs from top to bottom.

Prose and plain listings become Markdown cells (snippet includes expanded by
pymdownx.snippets, as on the page); each exec block becomes a code cell; a
pycon block becomes code cells without prompts or output, and an example that
is meant to raise gets a cell of its own tagged `raises-exception` (the tag
Jupyter honours), so "Run all" goes through. Built with nbformat and validated.

Given the site it is published on (`NotebookSite`), a notebook also starts with
cells that install the library (`install_cells`): PyPI's `micrograd` is the
classic library with the same import name, so a notebook must not rely on
whatever `micrograd` a reader has. Its links to other pages of the site become
absolute links to the published site, or plain text naming the page when the
site's address is unknown (`notebook_links`): a relative link has nothing to
point at in a notebook opened on its own.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import markdown
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .examples import is_flag_on, pycon_examples, uses_numpy, without_directives
from .page_blocks import Block, PageText

RAISES_TAG = "raises-exception"
SNIPPETS = "pymdownx.snippets"
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}
DISTRIBUTION = "micrograd-literate"


@dataclass(frozen=True)
class NotebookSite:
    """Where a page's notebook is published, for its install cells and links.

    Attributes:
        page: The page's source path in the docs folder, e.g. "value.md".
        notebook: The notebook's path in the site, e.g. "value/value.ipynb".
        wheel: The library wheel's path in the site, e.g. "assets/micrograd_literate-0.2.0-py3-none-any.whl".
        version: The library's version.
        files: Every file of the docs folder by source path: its URL in the site
            (relative to the site's root, e.g. "value/") and its title ("" for
            files that are not pages).
        site_url: The published site's address (MkDocs' `site_url`, ending in
            "/"), or None when it is not known.
        extras: The library's extras the notebook installs: "viz" always,
            "tensor" (NumPy) too for a page whose code uses `micrograd.tensor`.
    """

    page: str
    notebook: str
    wheel: str
    version: str
    files: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    site_url: str | None = None
    extras: tuple[str, ...] = ("viz",)

    def url(self, path: str) -> str | None:
        """The absolute URL of a path in the site, or None without `site_url`."""
        return None if self.site_url is None else self.site_url + path


def chapter_notebook(page: PageText, text: str, snippets: dict[str, Any] | None = None,
                     filename: str = "<page>", site: NotebookSite | None = None) -> nbformat.NotebookNode | None:
    """The notebook for a page, or None when it has nothing to run.

    Args:
        page: The page cut into blocks and prose (`page_blocks` of `text`).
        text: The page's Markdown, front matter removed.
        snippets: pymdownx.snippets' configuration, to expand `--8<--` includes;
            None leaves them as written.
        filename: How error messages name the page.
        site: Where the notebook is published: given, the notebook starts with
            `install_cells` and its links are made to work (`notebook_links`).

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
    cells = [] if site is None else install_cells(site)
    prose: list[str] = []
    anchors = {} if site is None else heading_anchors(text)

    def flush() -> None:
        chunk = "\n".join(prose).strip("\n")
        prose.clear()
        if snippets is not None:
            chunk = include_snippets(chunk, snippets)
        if site is not None:
            chunk = notebook_links(chunk, site, anchors)
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


# --- the first cells: install the library, show figures -------------------------------

# The install cell: the same checks either way; only where the wheel comes from differs.
_INSTALL = """\
# Installs {dist} {version} with its {extra_names} into this kernel's environment (skipped when it is there).
import importlib.metadata
import subprocess
import sys
<<IMPORTS>>

<<WHEEL>>


def installed(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


if installed("micrograd"):
    raise RuntimeError("PyPI's classic `micrograd` is installed here and has the same import name: "
                       "run `pip uninstall micrograd` (or use another environment), then this cell again.")
if not all(installed(name) for name in ("{dist}", {packages})):
<<FIND>>    subprocess.check_call([sys.executable, "-m", "pip", "install", f"{dist}[{extras}] @ {{<<URL>>}}"])
print("{dist}", installed("{dist}"))"""

_INSTALL_FROM_SITE = (
    _INSTALL.replace("<<IMPORTS>>\n", "")
    .replace("<<WHEEL>>", 'WHEEL = "{wheel_url}"')
    .replace("<<FIND>>", "")
    .replace("<<URL>>", "WHEEL")
)

_INSTALL_FROM_FILE = (
    _INSTALL.replace("<<IMPORTS>>", "from pathlib import Path")
    .replace("<<WHEEL>>", 'WHEEL = "{wheel_name}"\n'
             'PLACES = [Path(WHEEL), Path("{wheel_relative}")]  # next to this notebook; in a copy of the whole site')
    .replace("<<FIND>>", """\
    wheel = next((place.resolve() for place in PLACES if place.is_file()), None)
    if wheel is None:
        raise FileNotFoundError(f"{{WHEEL}} is not next to this notebook. Download it from the folder "
                                f"assets/ of the site this notebook comes from, put it next to the notebook "
                                f"and run this cell again, or run: pip install \\"path/to/{{WHEEL}}[{extras}]\\"")
""")
    .replace("<<URL>>", "wheel.as_uri()")
)

_SHOW_FIGURES = """\
# The library draws matplotlib figures without pyplot; this makes Jupyter show them as images.
%matplotlib inline"""


# What each extra is called in the notebook's words, and the packages that show it is installed.
_EXTRAS = {"viz": ("drawing extra (matplotlib, graphviz)", ("matplotlib", "graphviz")),
           "tensor": ("tensor extra (NumPy)", ("numpy",))}


def notebook_extras(blocks: Sequence[Block]) -> tuple[str, ...]:
    """The library's extras a page's notebook installs: "viz", and "tensor" when its code uses NumPy.

    Examples:
        >>> from docsite.page_blocks import page_blocks
        >>> notebook_extras(page_blocks("```pycon\\n>>> import micrograd.tensor\\n\\n```").runnable)
        ('viz', 'tensor')
    """
    return ("viz", "tensor") if any(uses_numpy(block.code) for block in blocks) else ("viz",)


def _extras_text(extras: tuple[str, ...]) -> dict[str, str]:
    """The install cell's words for `extras`: their names, the pip extras and the packages to look for.

    Examples:
        >>> _extras_text(("viz", "tensor"))["packages"]
        '"matplotlib", "graphviz", "numpy"'
    """
    return {
        "extra_names": " and ".join(_EXTRAS[extra][0] for extra in extras),
        "extras": ",".join(extras),
        "packages": ", ".join(f'"{package}"' for extra in extras for package in _EXTRAS[extra][1]),
    }


def install_cells(site: NotebookSite, kind: str = "chapter", title: str | None = None) -> list[nbformat.NotebookNode]:
    """The notebook's first cells: what it needs, a cell that installs it, and one that shows figures.

    The install cell does nothing when micrograd-literate, matplotlib and
    graphviz are installed already. Otherwise it installs the wheel the site
    serves: from `site_url` when the site's address is known, else from a copy
    next to the notebook (or where the site keeps it, for a copy of the whole
    site), and when there is none it stops and says how to install it.

    Args:
        site: Where the notebook is published.
        kind: What the page is, as the first cell names it ("chapter", "exercise notebook").
        title: The page's title; by default its title in `site.files`.

    Examples:
        >>> site = NotebookSite("value.md", "value/value.ipynb", "assets/m-0.2.0-py3-none-any.whl", "0.2.0")
        >>> [cell.cell_type for cell in install_cells(site)]
        ['markdown', 'code', 'code']
        >>> 'PLACES = [Path(WHEEL), Path("../assets/m-0.2.0-py3-none-any.whl")]' in install_cells(site)[1].source
        True
    """
    wheel_name = posixpath.basename(site.wheel)
    title = site.files.get(site.page, ("", ""))[1] if title is None else title
    chapter = f"the {kind} “{title}”" if title else f"a {kind}"
    page_url = site.url(site.files.get(site.page, ("", ""))[0])
    where = f"{chapter} of micrograd's literate site" + (f", <{page_url}>" if page_url else "")
    wheel_url = site.url(site.wheel)
    extras = _extras_text(site.extras)
    if wheel_url is not None:
        source = f"the site's wheel, <{wheel_url}>"
        code = _INSTALL_FROM_SITE.format(dist=DISTRIBUTION, version=site.version, wheel_url=wheel_url, **extras)
    else:
        relative = posixpath.relpath(site.wheel, posixpath.dirname(site.notebook) or ".")
        source = (f"the site's wheel, `{wheel_name}`, when it is next to this notebook (the site serves it "
                  "in its `assets/` folder); without it, the cell says how to install it")
        code = _INSTALL_FROM_FILE.format(dist=DISTRIBUTION, version=site.version, wheel_name=wheel_name,
                                         wheel_relative=relative, **extras)
    intro = (
        f"**Before you run this notebook.** It is {where}. Its code needs **{DISTRIBUTION}** {site.version}, "
        f"the site's own library, with its {extras['extra_names']}.\n\n"
        f"It is not PyPI's `micrograd` (0.1.0, the classic library): both are imported as `micrograd`, but "
        f"the classic one is installed as `micrograd` and has only `micrograd.engine` and `micrograd.nn`, "
        f"while `{DISTRIBUTION}` adds `micrograd.data`, `micrograd.losses`, `micrograd.optim`, "
        "`micrograd.gradcheck` and `micrograd.viz`, so this notebook fails with the classic one. "
        "Keep the two out of one environment: they write the same files.\n\n"
        f"The next cell installs `{DISTRIBUTION}[{extras['extras']}]` with pip into this kernel's environment, "
        f"unless it is there already, from {source}. The cell after it makes figures show as images."
    )
    return [new_markdown_cell(intro), new_code_cell(code), new_code_cell(_SHOW_FIGURES)]


# --- links -----------------------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# A code span, or an inline link or image whose text may hold code spans and one level of brackets.
_LINK_OR_CODE = re.compile(
    r"(?P<code>(`+)(?:.|\n)*?(?<!`)\2(?!`))"
    r"|(?P<bang>!?)\[(?P<label>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
    r"\(\s*(?P<target><[^>\n]*>|(?:[^\s()]|\([^\s()]*\))+)(?P<title>\s+\"[^\"]*\")?\s*\)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def heading_anchors(text: str) -> dict[str, str]:
    """The page's heading ids as MkDocs makes them, mapped to the ids Jupyter gives the same headings.

    Jupyter's id is the heading's text with spaces turned into hyphens.

    Examples:
        >>> heading_anchors("# Calling backward twice\\n\\n```python\\n# not a heading\\n```\\n## Why `zero_grad`")
        {'calling-backward-twice': 'Calling-backward-twice', 'why-zero_grad': 'Why-zero_grad'}
    """
    md = markdown.Markdown(extensions=["toc", "fenced_code"])
    md.convert(text)
    anchors: dict[str, str] = {}

    def walk(tokens: list[dict[str, Any]]) -> None:
        for token in tokens:
            anchors[token["id"]] = html.unescape(token["name"]).replace(" ", "-")
            walk(token["children"])

    walk(md.toc_tokens)
    return anchors


def notebook_links(text: str, site: NotebookSite, anchors: Mapping[str, str] | None = None) -> str:
    """Markdown whose relative links work in a notebook: absolute URLs, in-notebook anchors, or plain text.

    A link to another file of the site becomes an absolute link when the
    site's address is known; otherwise it becomes its text, followed by the
    page's title when the text does not say it. A link to a heading of this
    page points at the id Jupyter gives that heading. Code is left alone.

    Args:
        text: Markdown from the page `site.page`.
        site: Where the notebook is published.
        anchors: The page's `heading_anchors`.

    Examples:
        >>> files = {"mlp.md": ("mlp/", "Neuron, Layer, MLP"), "value.md": ("value/", "The Value object")}
        >>> site = NotebookSite("value.md", "value/value.ipynb", "assets/w.whl", "0.2.0", files)
        >>> notebook_links("See [the `MLP`](mlp.md#layers), not `[x](mlp.md)`.", site)
        'See the `MLP` (see “Neuron, Layer, MLP”), not `[x](mlp.md)`.'
        >>> site = NotebookSite("value.md", "value/value.ipynb", "assets/w.whl", "0.2.0", files, "https://x.org/mg/")
        >>> notebook_links("[Neuron, Layer, MLP](mlp.md#layers) and [below](#why)", site, {"why": "Why"})
        '[Neuron, Layer, MLP](https://x.org/mg/mlp/#layers) and [below](#Why)'
    """
    anchors = anchors or {}
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence is None and opening:
            if prose:
                out.append(_prose_links("\n".join(prose), site, anchors))
                prose.clear()
            fence = opening.group(1)
            out.append(line)
        elif fence is not None:
            out.append(line)
            if line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
                fence = None
        else:
            prose.append(line)
    if prose:
        out.append(_prose_links("\n".join(prose), site, anchors))
    return "\n".join(out)


def _prose_links(text: str, site: NotebookSite, anchors: Mapping[str, str]) -> str:
    """`notebook_links` for Markdown without fenced blocks: rewrite links, leave code spans alone."""

    def replace(match: re.Match[str]) -> str:
        return match.group(0) if match.group("code") else _link(match, site, anchors)

    return _LINK_OR_CODE.sub(replace, text)


def _link(match: re.Match[str], site: NotebookSite, anchors: Mapping[str, str]) -> str:
    bang, label, title = match.group("bang"), match.group("label"), match.group("title") or ""
    target = match.group("target").strip("<>")
    if _SCHEME.match(target):
        return match.group(0)
    path, _, anchor = target.partition("#")
    source = posixpath.normpath(posixpath.join(posixpath.dirname(site.page), path)) if path else site.page
    if source == site.page and anchor in anchors:
        jupyter_id = anchors[anchor]
        destination = f"<#{jupyter_id}>" if re.search(r"[\s()<>]", jupyter_id) else f"#{jupyter_id}"
        return f"{bang}[{label}]({destination}{title})"
    url, page_title = site.files.get(source, (None, ""))
    absolute = None if url is None else site.url(url + (f"#{anchor}" if anchor else ""))
    if absolute is not None:
        return f"{bang}[{label}]({absolute}{title})"
    said = label.strip("`").casefold()
    if page_title and source != site.page and said not in page_title.casefold() and page_title.casefold() not in said:
        return f"{label} (see “{page_title}”)"
    return label
