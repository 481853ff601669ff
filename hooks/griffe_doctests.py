"""Griffe extension (used by mkdocstrings): show bare doctests in docstrings as code.

Google-style docstrings put examples under an `Examples:` heading, which
mkdocstrings renders as highlighted code. A short docstring often just ends
with a doctest instead: a line starting with three `>` and the output under it.
In Markdown that text is a nested block quote, and `[0.0, 0.0]` in its output
reads as a cross-reference (a warning, so a failed strict build). This
extension wraps each such top-level doctest in a ```` ```pycon ```` fence
before the docstring is rendered; examples inside sections are left alone.
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension, Object

_DIRECTIVE = re.compile(r"\s*#\s*doctest:\s*[^\n'\"]*$")


def fence_bare_doctests(docstring: str) -> str:
    """Put every unindented doctest (a `>>>` line up to the next blank line) in a pycon fence.

    Examples:
        >>> fence_bare_doctests("Sum.\\n\\n>>> 1 + 1\\n2").split("\\n")
        ['Sum.', '', '```pycon', '>>> 1 + 1', '2', '```']
    """
    lines = docstring.split("\n")
    out: list[str] = []
    in_fence = in_doctest = False
    for line in lines:
        if in_doctest and not line.strip():
            out.append("```")
            in_doctest = False
        if line.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and not in_doctest and line.startswith(">>>"):
            out.append("```pycon")
            in_doctest = True
        out.append(_DIRECTIVE.sub("", line) if in_doctest else line)
    if in_doctest:
        out.append("```")
    return "\n".join(out)


class FenceBareDoctests(Extension):
    """Rewrites each object's docstring with `fence_bare_doctests` once griffe has loaded it."""

    def on_object(self, *, obj: Object, **kwargs: Any) -> None:
        """Fence the bare doctests of one object's docstring."""
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_bare_doctests(obj.docstring.value)
