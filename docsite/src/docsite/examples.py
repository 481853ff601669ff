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
import dataclasses
import doctest
import io
import linecache
import random
import re
import symtable
import sys
import traceback
from collections.abc import Callable
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
# Code that needs NumPy, which the page's runtime (Pyodide, offline) does not have.
_NUMPY_CODE = re.compile(r"\bimport numpy\b|\bfrom numpy\b|\bmicrograd\.tensor|\bmicrograd import tensor")


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
        figure: Inline SVG HTML when an exec block's last value is a figure
            (in the page's runtime: the graph's DOT source, drawn by viz.js).
        options: The fence's options.
        differs: Indices of the pycon examples whose output differed from the
            written one or that raised unexpectedly (only when not `strict`);
            for an exec block, `[0]` when it raised.
        needs: What the page's runtime lacks to run the block, which only the build
            (or a reader's own Python) can: "numpy" when it uses NumPy or
            `micrograd.tensor`, or names an earlier such block made;
            otherwise "matplotlib" when it draws a plot.
    """

    lang: str
    code: str
    shown: str
    copy: str = ""
    figure: str = ""
    options: dict[str, str] = field(default_factory=dict)
    differs: list[int] = field(default_factory=list)
    needs: str = ""

    def with_needs(self, needs: str) -> BlockResult:
        """This result, marked as needing `needs` to run."""
        return dataclasses.replace(self, needs=needs)


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
    from_numpy: set[str] = set()  # names that blocks using NumPy bound: a block reading one needs NumPy too
    try:
        for block in blocks:
            had_matplotlib = "matplotlib" in sys.modules
            before = {name: id(value) for name, value in namespace.items()}
            if block.lang == "pycon":
                _check_options(block, PYCON_OPTIONS, filename)
                result = run_pycon(block, namespace, filename)
            else:
                _check_options(block, EXEC_OPTIONS, filename)
                result = run_exec(block, namespace, filename, f"mg-fig{figures}")
                figures += bool(result.figure)
            uses_plots = "mg-figure--plot" in result.figure or "plot" in block.code or "matplotlib" in block.code
            if uses_numpy(block.code) or names_read(block, filename) & from_numpy:
                from_numpy |= {name for name, value in namespace.items() if before.get(name) != id(value)}
                result = result.with_needs("numpy")
            elif uses_plots or (not had_matplotlib and "matplotlib" in sys.modules):
                result = result.with_needs("matplotlib")
            results.append(result)
    finally:
        close_figures()
    return results


def uses_numpy(code: str) -> bool:
    """True when code imports NumPy or `micrograd.tensor` (the page's runtime has neither).

    Examples:
        >>> uses_numpy("from micrograd.tensor_nn import MLP"), uses_numpy("from micrograd.nn import MLP")
        (True, False)
    """
    return _NUMPY_CODE.search(code) is not None


def names_read(block: Block, filename: str = "<page>") -> set[str]:
    """The page-level names a block's code reads, e.g. to tell whether it uses an earlier block's results.

    Names local to a function the block defines do not count; names its
    functions read from the page's namespace do.

    Examples:
        >>> from docsite.page_blocks import page_blocks
        >>> sorted(names_read(page_blocks("```pycon\\n>>> y = f(x) + 1\\n\\n```").blocks[0]))
        ['f', 'x']
        >>> code = "```python exec=\\"on\\"\\ndef g(a):\\n    b = a\\n    return b + c\\n```"
        >>> sorted(names_read(page_blocks(code).blocks[0]))
        ['c']
    """
    code = "".join(e.source for e in pycon_examples(block, filename)) if block.lang == "pycon" else block.code
    try:
        table = symtable.symtable(code, filename, "exec")
    except SyntaxError:  # the run reports it
        return set()
    names: set[str] = set()
    tables = [table]
    while tables:
        scope = tables.pop()
        module_level = scope.get_type() == "module"
        for symbol in scope.get_symbols():
            if symbol.is_referenced() and (module_level or symbol.is_global()):
                names.add(symbol.get_name())
        tables.extend(scope.get_children())
    return names


class _RecordingChecker(doctest.OutputChecker):
    """doctest's checker, remembering the output it was shown (the exception line too)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        self.seen.append(got)
        return super().check_output(want, got, optionflags)


Echo = Callable[[str], object]


class _PageDocTestRunner(doctest.DocTestRunner):
    """Runs one pycon block and keeps each example's produced output.

    Strict (the build): the first example that differs or raises unexpectedly
    stops the block with an `ExampleError`. Not strict (the page's runtime):
    it is recorded in `differs` and the block goes on, as a REPL would.
    """

    def __init__(self, checker: _RecordingChecker, strict: bool, echo: Echo | None) -> None:
        super().__init__(checker=checker, optionflags=OPTIONFLAGS)
        self.recorder = checker
        self.strict = strict
        self.echo = echo
        self.produced: list[str] = []
        self.differs: list[int] = []

    def report_start(self, out: Any, test: doctest.DocTest, example: doctest.Example) -> None:
        self.recorder.seen.clear()

    def report_success(self, out: Any, test: doctest.DocTest, example: doctest.Example, got: str) -> None:
        if example.exc_msg is not None:  # the checker saw the exception line that was raised
            got = _printed_before_exception(got) + EXCEPTION_HEADER + self.recorder.seen[0]
        self._keep(example, got)

    def report_failure(self, out: Any, test: doctest.DocTest, example: doctest.Example, got: str) -> None:
        if self.strict:
            difference = self.recorder.output_difference(example, got, self.optionflags)
            where = _where(test, example)
            raise ExampleError(f"{where}: the example's output differs:\n{_quote(example.source)}{difference}")
        if example.exc_msg is not None and self.recorder.seen and _TRACEBACK_START.search(got):  # raised otherwise
            got = _printed_before_exception(got) + EXCEPTION_HEADER + self.recorder.seen[-1]
        self._keep(example, got, differs=True)

    def report_unexpected_exception(self, out: Any, test: doctest.DocTest, example: doctest.Example,
                                    exc_info: Any) -> None:
        if self.strict:
            text = "".join(traceback.format_exception(*exc_info))
            where = _where(test, example)
            raise ExampleError(f"{where}: the example raised an exception:\n{_quote(example.source)}{text}")
        self._keep(example, "".join(traceback.format_exception_only(*exc_info[:2])), differs=True, raised=True)

    def _keep(self, example: doctest.Example, got: str, differs: bool = False, raised: bool = False) -> None:
        if raised:
            got = EXCEPTION_HEADER + got
        if differs:
            self.differs.append(len(self.produced))
        self.produced.append(got)
        if self.echo is not None:
            self.echo(_transcript(example, got))


def run_pycon(block: Block, namespace: dict[str, Any], filename: str, *, strict: bool = True,
              echo: Echo | None = None) -> BlockResult:
    """Run a pycon block as doctest does, in `namespace`; show the output it produced.

    Args:
        block: The block.
        namespace: The page's namespace; the block's definitions stay in it.
        filename: How messages name the page.
        strict: Stop at the first difference (the build) or record it and go on (the page).
        echo: Called with each example's transcript as soon as it has run.

    Raises:
        ExampleError: Strict and an output differs or an exception was not
            expected; or the block uses `+SKIP`.

    Examples:
        >>> from docsite.page_blocks import Block
        >>> result = run_pycon(Block("pycon", {}, ">>> 1 + 1\\n3\\n>>> 2 * 2\\n4\\n", 0), {}, "p.md", strict=False)
        >>> result.shown, result.differs
        ('>>> 1 + 1\\n2\\n>>> 2 * 2\\n4\\n', [0])
    """
    examples = pycon_examples(block, filename)
    test = doctest.DocTest(examples, namespace, filename, filename, block.line, None)
    # DocTest copies the namespace; run in the page's own instead, as a notebook does, so a function
    # defined in one block sees what later blocks redefine (a class grown step by step).
    test.globs = namespace
    runner = _PageDocTestRunner(_RecordingChecker(), strict, echo)
    runner.run(test, out=lambda text: None, clear_globs=False)
    transcript = ""
    for example, got in zip(examples, runner.produced, strict=True):
        if strict:
            _refuse_addresses(got, f"{filename}:{block.line + 1 + example.lineno}")
        transcript += _transcript(example, got)
    return BlockResult("pycon", block.code, transcript, copy_text(examples), options=block.options,
                       differs=runner.differs)


_TRACEBACK_START = re.compile(r"^Traceback \(most recent call last\):\n", re.MULTILINE)


def _printed_before_exception(got: str) -> str:
    """What an example printed before it raised: doctest appends the whole traceback to it."""
    match = _TRACEBACK_START.search(got)
    return got[: match.start()] if match else got


def _transcript(example: doctest.Example, got: str) -> str:
    """One example as a session shows it: prompts, code (without directives), its output."""
    lines = without_directives(example.source).rstrip("\n").split("\n")
    shown = [(">>> " if i == 0 else "... ") + line for i, line in enumerate(lines)]
    shown += got.rstrip("\n").split("\n") if got.strip() else []
    return "\n".join(shown) + "\n"


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


Draw = Callable[[object, str, str, str], str]


def run_exec(block: Block, namespace: dict[str, Any], filename: str, figure_id: str = "mg-fig", *,
             strict: bool = True, echo: Echo | None = None, draw: Draw = figure_html) -> BlockResult:
    """Run an exec block as a script; keep what it printed and its last value.

    The last statement's value is shown as a notebook shows it: None shows
    nothing, a figure becomes inline SVG, anything else its repr after the
    printed text; a trailing `;` hides it.

    Args:
        block: The block.
        namespace: The page's namespace.
        filename: How messages and tracebacks name the page.
        figure_id: The prefix of the figure's ids.
        strict: Raise when the block fails (the build), or show the traceback
            as its output and mark it in `differs` (the page).
        echo: Called with printed text as soon as it is printed.
        draw: Turns a figure into what the result holds (the build: inline SVG).

    Raises:
        ExampleError: Strict and the block raised, its output holds a memory
            address, or its alt text and figure do not go together.
    """
    where = f"{filename}:{block.line}"
    source = "\n" * block.line + block.code  # the code keeps its page line numbers
    stdout = _Tee(echo) if echo is not None else io.StringIO()
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
        if not strict:
            if echo is not None:
                echo(trace)
            return BlockResult("exec", block.code, stdout.getvalue() + trace, options=block.options, differs=[0])
        raise ExampleError(f"{where}: the exec block raised an exception:\n{trace}") from None
    output = stdout.getvalue()
    is_figure = figure_kind(value) is not None
    if value is not None and not is_figure:
        output += repr(value) + "\n"
        if echo is not None:
            echo(repr(value) + "\n")
    if strict:
        _refuse_addresses(output, where)
    alt = block.options.get("alt", "").strip()
    if strict and is_figure and not alt:
        raise ExampleError(f'{where}: this exec block draws a figure, so it needs alt="..." text on its fence')
    if strict and not is_figure and "alt" in block.options:
        raise ExampleError(f"{where}: alt text is given but the block's last expression is not a figure")
    figure = ""
    if is_figure:
        try:
            figure = draw(value, alt or "figure", block.options.get("caption", ""), figure_id)
        except Exception as error:
            raise ExampleError(f"{where}: drawing the figure failed: {type(error).__name__}: {error}") from None
    return BlockResult("exec", block.code, output, figure=figure, options=block.options)


class _Tee(io.StringIO):
    """stdout that keeps what is printed and hands each piece to `echo` at once."""

    def __init__(self, echo: Echo) -> None:
        super().__init__()
        self._echo = echo

    def write(self, text: str) -> int:
        self._echo(text)
        return super().write(text)


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
