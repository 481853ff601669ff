"""The one executor: what a page's `pycon` and `python exec` blocks mean.

A page's runnable blocks run in page order in one namespace (`__name__ ==
"__main__"`). A `pycon` block is a doctest, run by `doctest.DocTestRunner` with
ELLIPSIS on (as pytest runs doctests): its output must match what is written
under each example, and the page then shows the output that was produced. An
`exec` block is a script: the page shows what it printed and, as a notebook
would, the value of its last expression (a figure becomes inline SVG).

Nothing here knows about MkDocs or Markdown: `run_page` takes blocks and
returns results, or raises `ExampleError` naming `page:line`.
"""

from __future__ import annotations

import ast
import doctest
import io
import linecache
import random
import re
import traceback
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from typing import Any

from .page_blocks import Block
from .svg_figures import close_figures, figure_html, figure_kind

OPTIONFLAGS = doctest.ELLIPSIS
PAGE_SEED = 0  # Python's `random` gets this seed at the top of every page, so builds repeat
PYCON_OPTIONS = {"title"}
EXEC_OPTIONS = {"exec", "hide_code", "alt", "caption", "title"}
_FLAG_VALUES = {"on", "true", "1", "hide_code", "exec"}
_DIRECTIVE = re.compile(r"[ \t]*#\s*doctest:\s*[^\n'\"]*$")
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]{4,}")  # <Foo object at 0x7f...> changes every run
EXCEPTION_HEADER = "Traceback (most recent call last):\n  ...\n"


class ExampleError(Exception):
    """A block failed; the message starts with `page:line:` and says what went wrong."""


@dataclass(frozen=True)
class BlockResult:
    """What one block produced, ready to show.

    Attributes:
        lang: "pycon" or "exec".
        code: The block's code as written.
        shown: For pycon, the transcript with the produced output; for exec,
            what it printed (and the repr of its last value).
        copy: What the copy button copies (pycon: the code without prompts).
        figure: Inline SVG HTML when an exec block's last value is a figure.
        options: The fence's options.
    """

    lang: str
    code: str
    shown: str
    copy: str = ""
    figure: str = ""
    options: dict[str, str] = field(default_factory=dict)


def run_page(filename: str, page_text: str, blocks: list[Block]) -> list[BlockResult]:
    """Run a page's runnable blocks in order, in one namespace; return what each produced.

    Args:
        filename: How messages and tracebacks name the page, e.g. "docs/value.md".
        page_text: The page file's text, so tracebacks can quote its lines.
        blocks: The page's runnable blocks, in page order.

    Raises:
        ExampleError: A block failed or is malformed.

    Examples:
        >>> from docsite.page_blocks import page_blocks
        >>> page = '```python exec="on"\\nx = 20\\nx + 22\\n```\\n\\n```pycon\\n>>> x\\n2...\\n\\n```\\n'
        >>> [r.shown for r in run_page("demo.md", page, page_blocks(page).runnable)]
        ['42\\n', '>>> x\\n20\\n']
    """
    # Registered without a modification time, so linecache keeps it for tracebacks.
    linecache.cache[filename] = (len(page_text), None, page_text.splitlines(True), filename)
    random.seed(PAGE_SEED)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    figures = 0
    results = []
    try:
        for block in blocks:
            if block.lang == "pycon":
                _check_options(block, PYCON_OPTIONS, filename)
                results.append(run_pycon(block, namespace, filename))
            else:
                _check_options(block, EXEC_OPTIONS, filename)
                results.append(run_exec(block, namespace, filename, f"mg-fig{figures}"))
                figures += bool(results[-1].figure)
    finally:
        close_figures()
    return results


class _RecordingChecker(doctest.OutputChecker):
    """doctest's checker, remembering the output it was shown (the exception line too)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        self.seen.append(got)
        return super().check_output(want, got, optionflags)


class _PageDocTestRunner(doctest.DocTestRunner):
    """Runs one pycon block; keeps each example's produced output and stops at the first failure."""

    def __init__(self, checker: _RecordingChecker) -> None:
        super().__init__(checker=checker, optionflags=OPTIONFLAGS)
        self.recorder = checker
        self.produced: list[str] = []

    def report_start(self, out: Any, test: doctest.DocTest, example: doctest.Example) -> None:
        self.recorder.seen.clear()

    def report_success(self, out: Any, test: doctest.DocTest, example: doctest.Example, got: str) -> None:
        if example.exc_msg is not None:  # the checker saw the exception line that was raised
            got += EXCEPTION_HEADER + self.recorder.seen[0]
        self.produced.append(got)

    def report_failure(self, out: Any, test: doctest.DocTest, example: doctest.Example, got: str) -> None:
        raise ExampleError(f"{_where(test, example)}: the example's output differs:\n"
                           f"{_quote(example.source)}{self.recorder.output_difference(example, got, self.optionflags)}")

    def report_unexpected_exception(self, out: Any, test: doctest.DocTest, example: doctest.Example,
                                    exc_info: Any) -> None:
        text = "".join(traceback.format_exception(*exc_info))
        raise ExampleError(f"{_where(test, example)}: the example raised an exception:\n{_quote(example.source)}{text}")


def run_pycon(block: Block, namespace: dict[str, Any], filename: str) -> BlockResult:
    """Run a pycon block as doctest does, in `namespace`; show the output it produced.

    Raises:
        ExampleError: An output differs, an exception was not expected, or the
            block uses `+SKIP`.
    """
    examples = pycon_examples(block, filename)
    test = doctest.DocTest(examples, namespace, filename, filename, block.line, None)
    runner = _PageDocTestRunner(_RecordingChecker())
    runner.run(test, out=lambda text: None, clear_globs=False)
    namespace.clear()  # DocTest ran in a copy of the namespace; the page goes on with what it left
    namespace.update(test.globs)
    transcript: list[str] = []
    for example, got in zip(examples, runner.produced, strict=True):
        _refuse_addresses(got, f"{filename}:{block.line + 1 + example.lineno}")
        lines = without_directives(example.source).rstrip("\n").split("\n")
        transcript += [(">>> " if i == 0 else "... ") + line for i, line in enumerate(lines)]
        transcript += got.rstrip("\n").split("\n") if got.strip() else []
    return BlockResult("pycon", block.code, "\n".join(transcript) + "\n", copy_text(examples), options=block.options)


def pycon_examples(block: Block, filename: str = "<page>") -> list[doctest.Example]:
    """Parse a pycon block into doctest examples, as pytest's doctest would.

    Raises:
        ExampleError: The block is not a valid doctest or uses `+SKIP` (every
            example must run).

    Examples:
        >>> from docsite.page_blocks import page_blocks
        >>> block = page_blocks("```pycon\\n>>> 6 * 7\\n42\\n\\n```").blocks[0]
        >>> [(e.source, e.want) for e in pycon_examples(block)]
        [('6 * 7\\n', '42\\n')]
    """
    where = f"{filename}:{block.line}"
    try:
        examples = doctest.DocTestParser().get_examples(block.code, name=where)
    except ValueError as error:
        raise ExampleError(f"{where}: {error}") from None
    for example in examples:
        if example.options.get(doctest.SKIP):
            raise ExampleError(f"{filename}:{block.line + 1 + example.lineno}: +SKIP is not allowed: every "
                               "example runs, so the page only shows output that was produced")
    return examples


def run_exec(block: Block, namespace: dict[str, Any], filename: str, figure_id: str = "mg-fig") -> BlockResult:
    """Run an exec block as a script; keep what it printed and its last value.

    The last statement's value is shown as a notebook shows it: None shows
    nothing, a figure becomes inline SVG, anything else its repr after the
    printed text; a trailing `;` hides it.

    Raises:
        ExampleError: The block raised, its output holds a memory address, or
            its alt text and figure do not go together.
    """
    where = f"{filename}:{block.line}"
    source = "\n" * block.line + block.code  # the code keeps its page line numbers
    stdout = io.StringIO()
    value = None
    try:
        tree = ast.parse(source, filename, "exec")
        last = tree.body[-1] if tree.body else None
        show_last = isinstance(last, ast.Expr) and not _followed_by_semicolon(source, last)
        body = ast.Module(tree.body[:-1] if show_last else tree.body, type_ignores=[])
        with redirect_stdout(stdout):
            exec(compile(body, filename, "exec", dont_inherit=True), namespace)
            if isinstance(last, ast.Expr) and show_last:
                value = eval(compile(ast.Expression(last.value), filename, "eval", dont_inherit=True), namespace)
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # SystemExit too: a page must not end the build by itself
        trace = _page_traceback(error, filename)
        raise ExampleError(f"{where}: the exec block raised an exception:\n{trace}") from None
    output = stdout.getvalue()
    is_figure = figure_kind(value) is not None
    if value is not None and not is_figure:
        output += repr(value) + "\n"
    _refuse_addresses(output, where)
    alt = block.options.get("alt", "").strip()
    if is_figure and not alt:
        raise ExampleError(f'{where}: this exec block draws a figure, so it needs alt="..." text on its fence')
    if not is_figure and "alt" in block.options:
        raise ExampleError(f"{where}: alt text is given but the block's last expression is not a figure")
    figure = ""
    if is_figure:
        try:
            figure = figure_html(value, alt, block.options.get("caption", ""), figure_id)
        except Exception as error:
            raise ExampleError(f"{where}: drawing the figure failed: {type(error).__name__}: {error}") from None
    return BlockResult("exec", block.code, output, figure=figure, options=block.options)


def copy_text(examples: list[doctest.Example]) -> str:
    """What a `>>>` block's copy button copies: the code alone, no prompts or output.

    A compound statement is followed by a blank line, which a REPL needs to end it.

    Examples:
        >>> session = ">>> for i in range(2):\\n...     i\\n0\\n1\\n>>> 6 * 7\\n42\\n"
        >>> examples = doctest.DocTestParser().get_examples(session)
        >>> copy_text(examples)
        'for i in range(2):\\n    i\\n\\n6 * 7\\n'
    """
    parts = []
    for example in examples:
        code = without_directives(example.source)
        parts.append(code + ("\n" if code.count("\n") > 1 else ""))
    return "".join(parts).rstrip("\n") + "\n"


def without_directives(code: str) -> str:
    """Drop `# doctest: ...` comments: readers and the copy button do not need them.

    Examples:
        >>> without_directives("print(1)  # doctest: +ELLIPSIS")
        'print(1)'
    """
    return "\n".join(_DIRECTIVE.sub("", line) for line in code.split("\n"))


def is_flag_on(block: Block, name: str) -> bool:
    """True when a bare `name` or `name="on"` is on the fence.

    Examples:
        >>> from docsite.page_blocks import page_blocks
        >>> is_flag_on(page_blocks('```python exec="on" hide_code\\nx\\n```').blocks[0], "hide_code")
        True
    """
    value = block.options.get(name)
    return value is not None and value.lower() in _FLAG_VALUES


def _check_options(block: Block, allowed: set[str], filename: str) -> None:
    unknown = sorted(set(block.options) - allowed)
    if unknown:
        raise ExampleError(f"{filename}:{block.line}: unknown fence option {', '.join(unknown)} "
                           f"(a {block.lang} block takes {', '.join(sorted(allowed))})")
    for flag in ("exec", "hide_code"):
        if flag in block.options and not is_flag_on(block, flag):
            raise ExampleError(f'{filename}:{block.line}: {flag} is a flag: write `{flag}` or `{flag}="on"`')


def _where(test: doctest.DocTest, example: doctest.Example) -> str:
    return f"{test.filename}:{(test.lineno or 0) + 1 + example.lineno}"


def _quote(source: str) -> str:
    lines = source.rstrip("\n").split("\n")
    return "".join(f"    {'>>> ' if i == 0 else '... '}{text}\n" for i, text in enumerate(lines))


def _refuse_addresses(output: str, where: str) -> None:
    match = _ADDRESS.search(output)
    if match:
        raise ExampleError(f"{where}: the output shows a memory address ({match.group()}), which changes on every "
                           "build; assign the value to a name, end the line with ';', or print something stable")


def _page_traceback(error: BaseException, filename: str) -> str:
    """The traceback from the page's own code down, without the executor's frames."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb or error.__traceback__))


def _followed_by_semicolon(source: str, node: ast.stmt) -> bool:
    """True if the statement ends with `;`, which hides its value as in a notebook."""
    line = source.split("\n")[(node.end_lineno or 1) - 1].encode()
    return line[node.end_col_offset or 0 :].decode().lstrip().startswith(";")
