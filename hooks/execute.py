"""MkDocs hook: run every page's examples at build time and show what they produced.

Authoring contract for chapter pages
====================================

1. Doctest examples: a ```` ```pycon ```` block.

       ```pycon
       >>> from micrograd.engine import Value
       >>> a = Value(2.0)
       >>> (a * a).data
       4.0

       ```

   * `>>> ` starts an example, `... ` continues it, the expected output is
     written under it. The block MUST end with a blank line before the closing
     fence (otherwise pytest's doctest reads the fence as expected output and
     the build refuses the block).
   * pytest runs these (`--doctest-glob='*.md'`): the whole page is one
     namespace, pycon blocks only. The build runs them too, in page order, in
     one namespace per page shared with the exec blocks below; it compares
     each output exactly as doctest does (`doctest.OutputChecker`, ELLIPSIS on
     by default as in pytest; `# doctest: +NORMALIZE_WHITESPACE` and the other
     standard directives work and are not shown on the page; `+SKIP` is
     refused). A mismatch or an unexpected exception fails the build with
     page, line, expected and got. Expected exceptions work as in doctest
     (`Traceback (most recent call last):` / `...` / `ValueError: ...`).
   * The page shows the output produced at build time, not the one typed.
   * The copy button copies the code only: no prompts, no output.
   * Optional attribute: `title="..."` (a title bar over the block).
   * Never write `>>>` lines anywhere else in a page (prose, other fences):
     pytest's doctest finds them wherever they are in a .md file.
   * RULE: a pycon block must not depend on anything defined or changed only
     in an exec block (pytest runs pycon blocks without the exec blocks).
   * An output that shows a memory address (`<... at 0x7f...>`) fails the
     build (it would change every build): assign it (`_ = plt.plot(...)`).

2. Executed scripts: a ```` ```python exec="on" ```` block.

       ```python exec="on" alt="The graph of a*b + c" caption="Figure 1"
       from micrograd.viz import draw_dot
       draw_dot(a * b + c)
       ```

   * Runs at build time, after the blocks above it, in the page namespace.
     The code is shown, then whatever it printed (stdout) as an output block.
   * Attributes (double-quoted values; `exec` and `hide_code` may be bare):
     `exec="on"` (required), `hide_code` (show only the result),
     `alt="..."` (required when the block draws a figure, refused otherwise),
     `caption="..."` (optional, plain text), `title="..."` (a code block title).
   * The value of the block's last statement, if it is an expression, is shown
     as a notebook would: a matplotlib Figure or a graphviz graph becomes an
     inline SVG figure (via `micrograd.viz.to_svg`); None shows nothing; any
     other value is shown as its repr after the printed text (the least
     surprising choice: it is what the notebook cell shows too); ending the
     line with `;` hides it. Memory addresses in the output fail the build.
   * Any exception fails the build with page, line and traceback.
   * `python` and `py` both work as the language; without `exec="on"` a
     python block is a plain listing and does not run.
   * Python's `random` is seeded with 0 at the top of every page so builds
     repeat exactly; still seed explicitly (`rng=0`, `random.seed(...)`) so
     notebooks and readers get the same numbers.

3. Code from the library: include a named section of a real module with
   pymdownx.snippets inside a plain fence (never in a pycon/exec block):

       ```python
       --8<-- "micrograd/engine.py:backward"
       ```

   Sections are marked in the module by `# --8<-- [start:NAME]` and
   `# --8<-- [end:NAME]` comments; paths are relative to the directory of
   mkdocs.yml (the repository root). A missing file or section fails the build.

Blocks may sit inside admonitions and content tabs (indented fences work).

4. Math: `$...$` inline, `$$...$$` on their own lines for display. Rendered to
   MathML at build time (latex2mathml); unsupported LaTeX fails the build.

5. Other `>>>` blocks: code blocks this hook did not run, such as the
   docstring examples mkdocstrings renders on the API reference page, get
   the same copy text as pycon blocks (code only, no prompts, no output).
   Their examples are not run here: pytest's doctest runs them.

Every page with a pycon or exec block can be downloaded as a notebook (see
the `notebook` hook): code cells hold the pycon code (no prompts or output)
and the exec blocks; prose and listings become Markdown cells. Front matter
`notebook: false` turns that off for a page.
"""

from __future__ import annotations

import doctest
import html
import os
import re
from dataclasses import dataclass, field

from fenced_blocks import FencedBlock, Prose, split_markdown
from figures import close_figures, figure_html
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from page_runner import ExampleError, ExecResult, PageRunner, copy_text

EXEC_ATTRIBUTES = {"exec", "hide_code", "alt", "caption", "title"}
PYCON_ATTRIBUTES = {"title"}
_FLAG_VALUES = {"", "on", "true", "1"}
QUOTE, APOSTROPHE = '"', "'"
_SLOT = re.compile(r'(?:<p>)?<div class="mg-slot" data-mg-slot="(\d+)"></div>(?:</p>)?')
_COPY_MARK = re.compile(r'<div class="([^"]*?)\s*\bmg-copy-(\d+)\b([^"]*)"')
# A highlighted code block as Pygments writes it: the opening tag of its
# `div.highlight` (attributes included) up to the end of its <code> element.
_HIGHLIGHT = re.compile(
    r'(?P<open><div class="[^"]*\bhighlight\b[^"]*"(?P<attributes>[^>]*)>)'
    r"(?:(?!</div>).)*?<code[^>]*>(?P<code>.*?)</code>",
    re.DOTALL,
)
_TAG = re.compile(r"<[^>]+>")
_PROMPT_LINE = re.compile(r"^>>>(?: |$)", re.MULTILINE)


@dataclass
class PageExtras:
    """HTML that Markdown must not touch, put into the page after conversion.

    Attributes:
        figures: Figure HTML, one per `mg-slot` placeholder, by number.
        copy_texts: What each pycon block's copy button copies, by number.
    """

    figures: list[str] = field(default_factory=list)
    copy_texts: list[str] = field(default_factory=list)


_extras: dict[str, PageExtras] = {}


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Run the page's pycon and exec blocks and put what they produced in the Markdown."""
    first_line, page_text = _page_source(page, markdown)
    try:
        rendered, extras = execute_markdown(markdown, page_filename(page, config), first_line, page_text)
    except ExampleError as error:
        raise PluginError(str(error)) from None
    if extras.figures or extras.copy_texts:
        _extras[page.file.src_uri] = extras
    return rendered


def execute_markdown(markdown: str, filename: str, first_line: int = 1, page_text: str | None = None) -> tuple[str, PageExtras]:
    """Run a page's blocks in order; return its new Markdown and the HTML to put in afterwards.

    Args:
        markdown: The page's Markdown.
        filename: How messages and tracebacks name the page.
        first_line: The page line number of the Markdown's first line.
        page_text: The whole file (with any front matter), for tracebacks.

    Raises:
        ExampleError: A block failed or is malformed; the message names the page line.

    Examples:
        >>> page = '```python exec="on"\\nprint(6 * 7)\\n```\\n'
        >>> print(execute_markdown(page, "demo.md")[0])
        ``` { .python .mg-exec }
        print(6 * 7)
        ```
        <BLANKLINE>
        ``` { .text .mg-output }
        42
        ```
        <BLANKLINE>
    """
    try:
        segments = split_markdown(markdown, first_line)
    except ValueError as error:
        raise ExampleError(f"{filename}: {error}") from None
    extras = PageExtras()
    if not any(isinstance(s, FencedBlock) and (s.is_pycon or s.is_exec) for s in segments):
        return markdown, extras
    runner = PageRunner(filename, markdown if page_text is None else page_text)
    try:
        parts = [_render(segment, runner, extras) for segment in segments]
    finally:
        close_figures()
    return "\n".join(parts), extras


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the figures and the copy texts into the rendered page, then give other `>>>` blocks theirs."""
    filename = page_filename(page, config)
    extras = _extras.pop(page.file.src_uri, None)
    if extras is not None:
        html_text = _put_extras(html_text, extras, filename)
    try:
        return add_copy_texts(html_text)
    except ExampleError as error:
        raise PluginError(f"{filename}: {error}") from None


def add_copy_texts(html_text: str) -> str:
    """Give each highlighted `>>>` block without a `data-copy` attribute the code-only copy text.

    Material's copy button copies the `data-copy` attribute of the block when
    it has one (its text otherwise, prompts and output included). Blocks that
    already have one (the pycon blocks run by this hook) are left as they are.

    Raises:
        ExampleError: A block is not a valid doctest transcript.

    Examples:
        >>> prompt = '<span class="gp">&gt;&gt;&gt; </span>'
        >>> block = f'<div class="language-pycon highlight"><pre><code>{prompt}x = 6 * 7\\n{prompt}x\\n42\\n</code></pre></div>'
        >>> add_copy_texts(block).split("><pre>")[0]
        '<div class="language-pycon highlight" data-copy="x = 6 * 7\\nx\\n"'
        >>> listing = '<div class="language-python highlight"><pre><code>x = 6 * 7\\n</code></pre></div>'
        >>> add_copy_texts(listing) == listing
        True
    """

    def with_copy_text(match: re.Match[str]) -> str:
        if "data-copy=" in match["attributes"]:
            return match[0]
        transcript = html.unescape(_TAG.sub("", match["code"]))
        if not _PROMPT_LINE.search(transcript):
            return match[0]
        try:
            examples = doctest.DocTestParser().get_examples(transcript)
        except ValueError as error:
            first_line = transcript.strip().split("\n")[0]
            raise ExampleError(f"the code block starting `{first_line}` is not a valid >>> transcript: {error}") from None
        opening = f'{match["open"][:-1]} {_copy_attribute(copy_text(examples))}>'
        return opening + match[0][len(match["open"]) :]

    return _HIGHLIGHT.sub(with_copy_text, html_text)


def _put_extras(html_text: str, extras: PageExtras, filename: str) -> str:
    """Replace the figure and copy-text placeholders of the blocks this hook ran."""
    used_figures: set[int] = set()
    used_copies: set[int] = set()

    def put_figure(match: re.Match[str]) -> str:
        used_figures.add(int(match[1]))
        return extras.figures[int(match[1])]

    def put_copy_text(match: re.Match[str]) -> str:
        used_copies.add(int(match[2]))
        classes = f"{match[1]}{match[3]}".strip()
        return f'<div class="{classes}" {_copy_attribute(extras.copy_texts[int(match[2])])}'

    html_text = _COPY_MARK.sub(put_copy_text, html_text)
    html_text = _SLOT.sub(put_figure, html_text)
    if len(used_figures) != len(extras.figures) or len(used_copies) != len(extras.copy_texts):
        raise PluginError(
            f"{filename}: some executed blocks did not survive Markdown conversion "
            "(is a pycon or exec block inside raw HTML without `markdown`?)"
        )
    return html_text


def _copy_attribute(text: str) -> str:
    """The attribute whose value Material's copy button copies instead of the block's text."""
    return f'data-copy="{html.escape(text)}"'


def page_filename(page: Page, config: MkDocsConfig) -> str:
    """How messages name a page: its path relative to the config file (e.g. "docs/index.md")."""
    path = page.file.abs_src_path or page.file.src_uri
    relative = os.path.relpath(path, os.path.dirname(config.config_file_path or "."))
    return path if relative.startswith("..") else relative


def _page_source(page: Page, markdown: str) -> tuple[int, str]:
    """The file's first line number of `markdown` (MkDocs strips front matter) and the file text."""
    try:
        text = page.file.content_string
    except (OSError, TypeError):
        return 1, markdown
    if not text.endswith(markdown):
        return 1, markdown
    return text[: len(text) - len(markdown)].count("\n") + 1, text


def _render(segment: Prose | FencedBlock, runner: PageRunner, extras: PageExtras) -> str:
    if isinstance(segment, Prose):
        return segment.text
    if segment.is_pycon:
        _check_attributes(segment, PYCON_ATTRIBUTES, runner.filename)
        result = runner.run_pycon(segment)
        extras.copy_texts.append(result.code)
        marker = f"mg-copy-{len(extras.copy_texts) - 1}"
        return _fence(segment, "pycon", result.transcript, f".mg-pycon .{marker}", title=segment.attrs.get("title"))
    if segment.is_exec:
        _check_attributes(segment, EXEC_ATTRIBUTES, runner.filename)
        return _render_exec(segment, runner.run_exec(segment), extras, runner.filename)
    return segment.source


def _render_exec(block: FencedBlock, result: ExecResult, extras: PageExtras, filename: str) -> str:
    where = f"{filename}:{block.start_line}"
    alt = block.attrs.get("alt", "").strip()
    if result.figure is not None and not alt:
        raise ExampleError(f'{where}: this exec block draws a figure, so it needs alt="..." text on its fence')
    if result.figure is None and "alt" in block.attrs:
        raise ExampleError(f"{where}: alt text is given but the block's last expression is not a figure")
    pieces = []
    if not _flag(block, "hide_code", filename):
        pieces.append(_fence(block, "python", block.code, ".mg-exec", title=block.attrs.get("title")))
    if result.output:
        pieces.append(_fence(block, "text", result.output, ".mg-output"))
    if result.figure is not None:
        try:
            figure = figure_html(result.figure, alt, block.attrs.get("caption", ""), f"mg-fig{len(extras.figures)}")
            extras.figures.append(figure)
        except Exception as error:
            raise ExampleError(f"{where}: drawing the figure failed: {type(error).__name__}: {error}") from None
        pieces.append(f'{block.indent}<div class="mg-slot" data-mg-slot="{len(extras.figures) - 1}"></div>')
    return "\n\n".join(pieces)


def _fence(block: FencedBlock, lang: str, code: str, classes: str, title: str | None = None) -> str:
    """A superfences block holding `code`, fenced longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    # The title sits inside "..." in the fence's attribute list, so it cannot hold a double quote.
    title_attribute = f' title="{title.replace(QUOTE, APOSTROPHE)}"' if title else ""
    lines = [f"{block.indent}{fence} {{ .{lang} {classes}{title_attribute} }}"]
    lines += [f"{block.indent}{line}" if line else "" for line in code.rstrip("\n").split("\n")]
    lines.append(f"{block.indent}{fence}")
    return "\n".join(lines)


def _flag(block: FencedBlock, name: str, filename: str) -> bool:
    value = block.attrs.get(name)
    if value is None:
        return False
    if value.lower() not in _FLAG_VALUES:
        raise ExampleError(f'{filename}:{block.start_line}: {name} is a flag: write `{name}` or `{name}="on"`')
    return True


def _check_attributes(block: FencedBlock, allowed: set[str], filename: str) -> None:
    unknown = sorted(set(block.attrs) - allowed)
    if unknown:
        raise ExampleError(
            f"{filename}:{block.start_line}: unknown fence attribute(s) {', '.join(unknown)}; "
            f"a {block.lang} block takes {', '.join(sorted(allowed))}"
        )
    if block.is_exec:
        _flag(block, "exec", filename)
