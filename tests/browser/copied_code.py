"""Check what a `>>>` example's copy button yields: plain code that runs as the page says.

A page shows each example as a REPL transcript (prompts, code, output). The
copy button must yield the code alone. Run as a script, this file executes a
page's copied snippets in order in one namespace, statement by statement as a
REPL would after a paste, and prints (as JSON) the exceptions each snippet
raised, so the test can compare them with the tracebacks the page shows.

    python copied_code.py < snippets.json   # ["code of block 1", "code of block 2", ...]
"""

from __future__ import annotations

import ast
import doctest
import io
import json
import re
import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

PS1, PS2 = ">>>", "..."
TRACEBACK_HEADER = "Traceback (most recent call last):"
_DIRECTIVE = re.compile(r"\s*#\s*doctest:.*$")


@dataclass(frozen=True)
class Example:
    """One example of a transcript.

    Attributes:
        source: Its code, prompts removed (several lines for a `...` continuation).
        output: What the transcript shows under it ("" if nothing).
    """

    source: str
    output: str

    @property
    def expected_exception(self) -> str | None:
        """The exception line ("ValueError: ...") the transcript shows for this example, if any.

        Examples:
            >>> Example("1/0", "Traceback (most recent call last):\\n  ...\\nZeroDivisionError: division by zero").expected_exception
            'ZeroDivisionError: division by zero'
            >>> Example("1 + 1", "2").expected_exception is None
            True
        """
        lines = self.output.splitlines()
        if not lines or lines[0].strip() != TRACEBACK_HEADER:
            return None
        for line in lines[1:]:
            if line and not line[0].isspace():
                return line.strip()
        return None


def _is_prompt(line: str, prompt: str) -> bool:
    return line == prompt or line.startswith(prompt + " ")


def parse_transcript(text: str) -> list[Example]:
    """Split a REPL transcript into examples, with doctest's grammar.

    `>>> ` starts an example, `... ` right after continues it, anything else up
    to the next `>>> ` is its output.

    Examples:
        >>> parse_transcript(">>> for i in range(2):\\n...     print(i)\\n0\\n1\\n>>> x = 3\\n")
        [Example(source='for i in range(2):\\n    print(i)', output='0\\n1'), Example(source='x = 3', output='')]
    """
    examples: list[Example] = []
    source: list[str] = []
    output: list[str] = []
    in_source = False

    def flush() -> None:
        if source:
            examples.append(Example("\n".join(source), "\n".join(output).rstrip("\n")))

    for line in text.splitlines():
        if _is_prompt(line, PS1):
            flush()
            source, output, in_source = [line[4:]], [], True
        elif in_source and _is_prompt(line, PS2):
            source.append(line[4:])
        elif source:
            in_source = False
            output.append(line)
    flush()
    return examples


def prompt_lines(copied: str) -> list[str]:
    """Lines of copied text that still carry a REPL prompt (they would not run as Python).

    Examples:
        >>> prompt_lines("x = 1\\n>>> y = 2\\n...     z\\n")
        ['>>> y = 2', '...     z']
    """
    return [line for line in copied.splitlines() if _is_prompt(line, PS1) or _is_prompt(line, PS2)]


def code_lines(code: str) -> list[str]:
    """Non-blank lines of code, doctest directives dropped, for comparing a copy with its transcript.

    Examples:
        >>> code_lines("x = 1  # doctest: +ELLIPSIS\\n\\n    y\\n")
        ['x = 1', '    y']
    """
    return [_DIRECTIVE.sub("", line).rstrip() for line in code.splitlines() if line.strip()]


def same_exception(expected: str, got: str) -> bool:
    """Whether a raised exception matches the one a transcript shows.

    Types compare by their last dotted name (a traceback may qualify it);
    the message may use doctest's `...` wildcard.

    Examples:
        >>> same_exception("ValueError: bad ... value", "ValueError: bad input value")
        True
        >>> same_exception("micrograd.engine.ShapeError: x", "ShapeError: x")
        True
        >>> same_exception("TypeError: x", "ValueError: x")
        False
    """

    def split(line: str) -> tuple[str, str]:
        name, _, message = line.partition(":")
        return name.strip().rsplit(".", 1)[-1], message.strip()

    (expected_type, expected_message), (got_type, got_message) = split(expected), split(got)
    checker = doctest.OutputChecker()
    return expected_type == got_type and checker.check_output(expected_message + "\n", got_message + "\n", doctest.ELLIPSIS)


def run_snippets(snippets: list[str]) -> list[list[dict[str, str]]]:
    """Run snippets in order in one namespace, each statement on its own; the exceptions each raised.

    Every statement runs even after an earlier one raised, as when the code is
    pasted into a REPL. Printed output is discarded. Each exception comes with
    the first line of the statement that raised it.

    Examples:
        >>> run_snippets(["x = 2", "y = x * 3\\n1 / 0\\nz = y + 1", "z"])
        [[], [{'code': '1 / 0', 'error': 'ZeroDivisionError: division by zero'}], []]
    """
    namespace: dict[str, object] = {"__name__": "__main__"}
    raised_per_snippet: list[list[dict[str, str]]] = []
    for snippet in snippets:
        raised: list[dict[str, str]] = []
        try:
            statements = ast.parse(snippet, "<copied example>").body
        except SyntaxError as error:
            raised_per_snippet.append([{"code": (error.text or "").strip(), "error": _exception_line(error)}])
            continue
        for statement in statements:
            code = compile(ast.Module([statement], type_ignores=[]), "<copied example>", "exec")
            try:
                with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
                    exec(code, namespace)  # noqa: S102 - running the page's own example is the point
            except Exception as error:  # any exception is a finding to report, not a crash
                first_line = (ast.get_source_segment(snippet, statement) or "").splitlines()[:1]
                raised.append({"code": first_line[0] if first_line else "?", "error": _exception_line(error)})
        raised_per_snippet.append(raised)
    return raised_per_snippet


def _exception_line(error: BaseException) -> str:
    return traceback.format_exception_only(type(error), error)[-1].strip()


def main() -> None:
    """Read a JSON list of snippets on stdin; print the exceptions per snippet as JSON."""
    snippets = json.load(sys.stdin)
    if not isinstance(snippets, list) or not all(isinstance(s, str) for s in snippets):
        raise TypeError("expected a JSON list of code strings on stdin")
    results = run_snippets(snippets)
    sys.stdout.write(json.dumps(results))


if __name__ == "__main__":
    main()
