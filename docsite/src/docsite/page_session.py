"""A page's Python session in the reader's browser (runs inside Pyodide, in a Web Worker).

The page's runtime (docs/javascripts/python-worker.mjs) calls `run_block` for
each block the reader runs, in page order. Blocks mean exactly what they mean
at build time, because they run through the build's own executor
(`docsite.examples`), with two differences: an example that differs from the
page does not stop the block (it is reported in `differs`), and a graph comes
back as its DOT source, which the page draws with viz.js.
"""

from __future__ import annotations

import json
import random
from typing import Any

from .examples import EXCEPTION_HEADER, PAGE_SEED, Echo, pycon_examples, run_exec, run_pycon
from .page_blocks import Block
from .svg_figures import figure_kind

PAGE_NAME = "page"
_namespace: dict[str, Any] = {}


def reset() -> None:
    """Start the page over: an empty namespace and `random` seeded as at the top of a build.

    Examples:
        >>> reset(); sorted(_namespace)
        ['__name__']
    """
    _namespace.clear()
    _namespace["__name__"] = "__main__"
    random.seed(PAGE_SEED)


def run_block(lang: str, code: str, options_json: str, echo: Echo | None = None) -> str:
    """Run one block in the page's session; return its result as JSON.

    Args:
        lang: "pycon" or "exec".
        code: The block's code (for pycon, the session as written, expected output included).
        options_json: The fence's options, as JSON.
        echo: Called with output as soon as it is produced.

    Returns:
        JSON of `{"shown", "differs", "dot", "error", "parts"}`: the output, the
        indices of examples that differ from the written output (or `[0]` for
        an exec block that raised), a graph's DOT source or "", a message when
        the block could not run at all, and for pycon each example's transcript
        with the output the page expected (`{"text", "want", "differs"}`).

    Examples:
        >>> reset()
        >>> json.loads(run_block("pycon", ">>> x = 6\\n>>> x * 7\\n41\\n", "{}"))["differs"]
        [1]
        >>> json.loads(run_block("exec", "print(x)", '{"exec": "on"}'))["shown"]
        '6\\n'
    """
    if not _namespace:
        reset()
    block = Block("pycon" if lang == "pycon" else "python", json.loads(options_json), code, 0)
    chunks: list[str] = []

    def keep(text: str) -> None:
        chunks.append(text)
        if echo is not None:
            echo(text)

    parts = []
    try:
        if block.lang == "pycon":
            examples = pycon_examples(block, PAGE_NAME)  # a malformed session is reported, not run
            result = run_pycon(block, _namespace, PAGE_NAME, strict=False, echo=keep)
            parts = [{"text": text, "want": _expected(example), "differs": i in result.differs}
                     for i, (example, text) in enumerate(zip(examples, chunks, strict=True))]
        else:
            result = run_exec(block, _namespace, PAGE_NAME, strict=False, echo=echo, draw=_dot_source)
    except Exception as error:  # the reader's edit may be anything: say what is wrong, keep the session
        message = f"{type(error).__name__}: {error}"
        return json.dumps({"shown": "", "differs": [], "dot": "", "parts": [], "error": message})
    reply = {"shown": result.shown, "differs": result.differs, "dot": result.figure, "parts": parts, "error": ""}
    return json.dumps(reply)


def _expected(example: Any) -> str:
    """The output the page wrote under an example."""
    if example.exc_msg is not None:
        return EXCEPTION_HEADER + str(example.exc_msg)
    return str(example.want)


def _dot_source(value: object, alt: str, caption: str, figure_id: str) -> str:
    if figure_kind(value) != "graph":
        raise RuntimeError("only graph drawings can be drawn in the page (plots need matplotlib)")
    return str(value.source)  # type: ignore[attr-defined]

