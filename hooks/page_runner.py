"""Run a page's code at build time: pycon blocks as doctests, exec blocks as scripts.

All blocks of one page run in order in one namespace (`__name__ == "__main__"`,
as pytest's doctest gives a Markdown file). Nothing here knows about MkDocs:
`PageRunner` takes blocks and returns what they produced, or raises
`ExampleError` naming the page line.

Code is compiled under the page's file name with the page's line numbers, so a
traceback points at the Markdown line that failed.
"""

from __future__ import annotations

import ast
import doctest
import io
import linecache
import os
import random
import re
import sys
import traceback
from contextlib import redirect_stdout
from dataclasses import dataclass
from typing import Sequence

from fenced_blocks import FencedBlock
from figures import figure_kind

# pytest's default `doctest_optionflags` is ELLIPSIS; using the same flags keeps
# the build and `pytest --doctest-glob='*.md'` in agreement about every example.
DEFAULT_OPTIONFLAGS = doctest.ELLIPSIS
# The seed Python's `random` gets at the top of each page, so a page that
# forgets to seed still builds the same way twice (readers should still seed).
PAGE_SEED = 0

_DIRECTIVE = re.compile(r"[ \t]*#\s*doctest:\s*[^\n'\"]*$")
# Figures are drawn off-screen: no window may open while a site builds.
os.environ.setdefault("MPLBACKEND", "Agg")
# A default repr such as <Foo object at 0x7f...> changes on every run.
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]{4,}")


class ExampleError(Exception):
    """A block failed: its message starts with `file:line:` and says what went wrong."""


@dataclass(frozen=True)
class PyconResult:
    """What a pycon block produced.

    Attributes:
        transcript: The block as the REPL showed it at build time: the
            author's prompts and code, the produced output under each example.
        code: The examples' code alone, without prompts or output (what the
            copy button copies).
    """

    transcript: str
    code: str


@dataclass(frozen=True)
class ExecResult:
    """What an exec block produced.

    Attributes:
        output: Text printed to stdout, then the repr of the last expression
            (unless that was None, a figure, or ended with `;`).
        figure: The last expression's value when it is a figure, else None.
    """

    output: str
    figure: object | None


def pycon_examples(block: FencedBlock, filename: str = "<page>") -> list[doctest.Example]:
    """Parse a pycon block into doctest examples, as pytest's doctest would.

    Raises:
        ExampleError: The block is not a valid doctest, does not end with a
            blank line, or uses `+SKIP` (every example must run).

    Examples:
        >>> from fenced_blocks import split_markdown
        >>> block = split_markdown("```pycon\\n>>> 6 * 7\\n42\\n\\n```")[0]
        >>> [(e.source, e.want) for e in pycon_examples(block)]
        [('6 * 7\\n', '42\\n')]
    """
    where = f"{filename}:{block.start_line}"
    lines = block.code.split("\n")
    if len(lines) < 2 or lines[-2].strip():
        raise ExampleError(
            f"{where}: a pycon block must end with a blank line before its closing fence "
            "(pytest's doctest would read the fence as expected output)"
        )
    try:
        examples = doctest.DocTestParser().get_examples(block.code, name=where)
    except ValueError as error:
        raise ExampleError(f"{where}: {error}") from None
    for example in examples:
        if example.options.get(doctest.SKIP):
            raise ExampleError(
                f"{filename}:{block.code_line + example.lineno}: +SKIP is not allowed: "
                "every example runs, so the page only shows output that was produced"
            )
    return examples


class PageRunner:
    """Runs one page's blocks in order, in one shared namespace.

    Args:
        filename: How messages and tracebacks name the page (e.g. "docs/engine.md").
        page_text: The page's full text, so tracebacks can quote its lines.

    Examples:
        >>> from fenced_blocks import split_markdown
        >>> page = '```python exec="on"\\nx = 20\\nx + 22\\n```\\n\\n```pycon\\n>>> x  # doctest: +ELLIPSIS\\n2...\\n\\n```\\n'
        >>> exec_block, pycon_block = [s for s in split_markdown(page) if isinstance(s, FencedBlock)]
        >>> runner = PageRunner("demo.md", page)
        >>> runner.run_exec(exec_block).output
        '42\\n'
        >>> runner.run_pycon(pycon_block).transcript  # shows the output produced, not the one written
        '>>> x\\n20\\n'
    """

    def __init__(self, filename: str, page_text: str):
        self.filename = filename
        self.namespace: dict[str, object] = {"__name__": "__main__"}
        # Registered without a modification time, so linecache keeps it even
        # when no such file exists on disk (pages under test, moved docs dirs).
        linecache.cache[filename] = (len(page_text), None, page_text.splitlines(True), filename)
        random.seed(PAGE_SEED)

    def run_pycon(self, block: FencedBlock) -> PyconResult:
        """Run a pycon block's examples as doctest does and check their output.

        Raises:
            ExampleError: An example's output differs from the expected output,
                or it raised an exception it was not meant to.
        """
        examples = pycon_examples(block, self.filename)
        lines = block.code.split("\n")
        shown: dict[int, list[str]] = {}  # first want line -> produced output lines
        for example in examples:
            line = block.code_line + example.lineno
            got = self._check_example(example, line)
            first_want = example.lineno + example.source.count("\n")
            shown[first_want] = [" " * example.indent + out if out else "" for out in got.splitlines()]
        want_lengths = {e.lineno + e.source.count("\n"): e.want.count("\n") for e in examples}
        transcript: list[str] = []
        i = 0
        while i < len(lines):
            if i in shown:  # where an example's expected output starts: show the produced one instead
                transcript.extend(shown.pop(i))
                i += want_lengths[i]
                continue
            transcript.append(_without_directives(lines[i]))
            i += 1
        return PyconResult(
            transcript="\n".join(transcript).rstrip("\n ") + "\n",
            code=copy_text(examples),
        )

    def run_exec(self, block: FencedBlock) -> ExecResult:
        """Run an exec block as a script; keep what it printed and its last value.

        The last statement's value is shown the way a notebook shows it: None
        shows nothing, a figure becomes a figure, anything else is shown as its
        repr after the printed text, and a trailing `;` hides it. A repr that
        holds a memory address is refused, because it changes on every build.

        Raises:
            ExampleError: The block raised, or its output holds a memory address.
        """
        # Blank lines in front give the code its page line numbers.
        source = "\n" * (block.code_line - 1) + block.code
        stdout = io.StringIO()
        value = None
        try:
            tree = ast.parse(source, self.filename, "exec")
            last = tree.body[-1] if tree.body else None
            show_last = isinstance(last, ast.Expr) and not _followed_by_semicolon(source, last)
            body = ast.Module(tree.body[:-1] if show_last else tree.body, type_ignores=[])
            with redirect_stdout(stdout):
                exec(compile(body, self.filename, "exec", dont_inherit=True), self.namespace)
                if show_last:
                    expression = ast.Expression(last.value)
                    value = eval(compile(expression, self.filename, "eval", dont_inherit=True), self.namespace)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # SystemExit too: a page must not end the build by itself
            raise ExampleError(
                f"{self.filename}:{block.start_line}: the exec block raised an exception:\n{self._traceback(error)}"
            ) from None
        output = stdout.getvalue()
        figure = value if figure_kind(value) is not None else None
        if value is not None and figure is None:
            output += repr(value) + "\n"
        self._refuse_addresses(output, block.start_line)
        return ExecResult(output=output, figure=figure)

    def _check_example(self, example: doctest.Example, line: int) -> str:
        """Run one example; return the output to show, or raise ExampleError if it is wrong."""
        flags = DEFAULT_OPTIONFLAGS
        for flag, on in example.options.items():
            flags = flags | flag if on else flags & ~flag
        stdout = _DoctestOutput()
        exception = None
        saved_displayhook = sys.displayhook
        sys.displayhook = sys.__displayhook__  # echoes expression values into stdout, as doctest does
        try:
            source = "\n" * (line - 1) + example.source
            tree = ast.parse(source, self.filename, "single")
            with redirect_stdout(stdout):
                exec(compile(tree, self.filename, "single", dont_inherit=True), self.namespace)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # doctest catches SystemExit too
            exception = error
        finally:
            sys.displayhook = saved_displayhook
        got = stdout.getvalue()
        checker = doctest.OutputChecker()
        where = f"{self.filename}:{line}"
        quoted = _quote(example.source, ">>> ", "... ")
        if exception is None:
            if example.exc_msg is None and checker.check_output(example.want, got, flags):
                self._refuse_addresses(got, line)
                return got
            difference = checker.output_difference(example, got, flags)
            raise ExampleError(f"{where}: the example's output differs:\n{quoted}{difference}")
        exc_msg = traceback.format_exception_only(type(exception), exception)[-1]
        if example.exc_msg is None:
            raise ExampleError(f"{where}: the example raised an exception:\n{quoted}{self._traceback(exception)}")
        matches = checker.check_output(example.exc_msg, exc_msg, flags)
        if not matches and flags & doctest.IGNORE_EXCEPTION_DETAIL:
            strip = doctest._strip_exception_details  # the same relaxation doctest applies
            matches = checker.check_output(strip(example.exc_msg), strip(exc_msg), flags)
        if not matches:
            difference = checker.output_difference(example, got + "Traceback (most recent call last):\n  ...\n" + exc_msg, flags)
            raise ExampleError(f"{where}: the example raised a different exception:\n{quoted}{difference}")
        return got + "Traceback (most recent call last):\n  ...\n" + exc_msg

    def _traceback(self, error: BaseException) -> str:
        """The traceback from the page's own code down, without this module's frames."""
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != self.filename:
            tb = tb.tb_next
        return "".join(traceback.format_exception(type(error), error, tb or error.__traceback__))

    def _refuse_addresses(self, output: str, line: int) -> None:
        match = _ADDRESS.search(output)
        if match:
            raise ExampleError(
                f"{self.filename}:{line}: the output shows a memory address ({match.group()}), which changes "
                "on every build; assign the value to a name, end the line with ';', or print something stable"
            )


class _DoctestOutput(io.StringIO):
    """stdout as doctest captures it: output that does not end a line gets a newline."""

    def getvalue(self) -> str:
        text = super().getvalue()
        return text + "\n" if text and not text.endswith("\n") else text


def example_code(example: doctest.Example) -> str:
    """An example's code as a reader would run it: no prompts, no `# doctest:` directives.

    Examples:
        >>> (example,) = doctest.DocTestParser().get_examples(">>> print(1)  # doctest: +ELLIPSIS\\n1\\n")
        >>> example_code(example)
        'print(1)\\n'
    """
    return _without_directives(example.source)


def copy_text(examples: Sequence[doctest.Example]) -> str:
    """What a `>>>` block's copy button copies: its examples' code, without prompts or output.

    Used for the chapters' pycon blocks and for the docstring examples that
    mkdocstrings renders, so both copy the same kind of text. A compound
    statement is followed by a blank line, which a REPL needs to end it when
    the text is pasted.

    Examples:
        >>> examples = doctest.DocTestParser().get_examples(">>> for i in range(2):\\n...     i\\n0\\n1\\n>>> 6 * 7\\n42\\n")
        >>> copy_text(examples)
        'for i in range(2):\\n    i\\n\\n6 * 7\\n'
    """
    parts = []
    for example in examples:
        code = example_code(example)
        parts.append(code + ("\n" if code.count("\n") > 1 else ""))
    return "".join(parts).rstrip("\n") + "\n"


def _without_directives(code: str) -> str:
    """Drop `# doctest: ...` comments: readers and the copy button do not need them."""
    return "\n".join(_DIRECTIVE.sub("", line) for line in code.split("\n"))


def _quote(source: str, first: str, rest: str) -> str:
    lines = source.rstrip("\n").split("\n")
    return "".join(f"    {first if i == 0 else rest}{text}\n" for i, text in enumerate(lines))


def _followed_by_semicolon(source: str, node: ast.stmt) -> bool:
    """True if the statement ends with `;`, which hides its value as in a notebook."""
    line = source.split("\n")[node.end_lineno - 1].encode()
    rest = line[node.end_col_offset :].decode().lstrip()
    return rest.startswith(";")
