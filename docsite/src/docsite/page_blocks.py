"""Find a page's fenced blocks, and the prose between them, with pymdownx.superfences itself.

The site's pages are rendered by superfences, so it alone decides what a fenced
block is: here its preprocessor runs over the page with one custom fence that
matches every language and only records what it was given. Each fence comes
back as one placeholder line; counting the lines each placeholder stands for
gives every block its line number in the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: the page's own Python runtime has no Markdown
    import markdown

SUPERFENCES = "pymdownx.superfences"
_PROSE_DOCTEST = re.compile(r"^[ \t]*>>>(?: |$)")


@dataclass(frozen=True)
class Block:
    """One fenced block as superfences reads it.

    Attributes:
        lang: The language after the fence ("pycon", "python", ...), or "".
        options: The fence's `name="value"` options; a bare `name` maps to itself.
        code: The lines between the fences, without the fence's indentation.
        line: 1-based page line of the opening fence.
    """

    lang: str
    options: dict[str, str] = field(hash=False)
    code: str
    line: int

    @property
    def end_line(self) -> int:
        """1-based page line of the closing fence."""
        return self.line + len(self.code.split("\n")) + 1

    @property
    def runs(self) -> bool:
        """True for blocks the executor runs: `pycon`, and `python` with `exec="on"`.

        Examples:
            >>> [b.runs for b in page_blocks('```pycon\\n>>> 1\\n1\\n\\n```\\n```python\\nx\\n```').blocks]
            [True, False]
        """
        return self.lang == "pycon" or (self.lang in ("python", "py") and "exec" in self.options)


@dataclass(frozen=True)
class PageText:
    """A page cut into blocks and prose.

    Attributes:
        blocks: Every fenced block, in page order.
        prose: `(first_line, text)` for each stretch of lines outside blocks.
    """

    blocks: list[Block]
    prose: list[tuple[int, str]]

    @property
    def runnable(self) -> list[Block]:
        """The blocks the executor runs, in page order."""
        return [block for block in self.blocks if block.runs]


def page_blocks(text: str, first_line: int = 1) -> PageText:
    """Cut a page's Markdown into blocks and prose, exactly as superfences reads it.

    Args:
        text: The page's Markdown (front matter removed).
        first_line: The page line number of `text`'s first line.

    Examples:
        >>> page = page_blocks('# Sums\\n\\n```pycon\\n>>> 1 + 1\\n2\\n\\n```\\nMore.')
        >>> [(b.lang, b.line, b.end_line) for b in page.blocks]
        [('pycon', 3, 7)]
        >>> page.prose
        [(1, '# Sums\\n'), (8, 'More.')]
    """
    recorded: list[tuple[str, dict[str, str], str]] = []
    md = _recording_markdown(recorded)
    lines = text.split("\n")
    out = md.preprocessors["fenced_code_block"].run(lines)
    stash = {md.htmlStash.get_placeholder(i): i for i in range(md.htmlStash.html_counter)}
    blocks: list[Block] = []
    prose: list[tuple[int, str]] = []
    pending: list[str] = []
    pending_start = line = first_line
    for row in out:
        index = stash.get(row.strip().lstrip(">").strip())
        if index is None:
            if not pending:
                pending_start = line
            pending.append(row)
            line += 1
            continue
        if pending:
            prose.append((pending_start, "\n".join(pending)))
            pending = []
        lang, options, code = recorded[int(md.htmlStash.rawHtmlBlocks[index])]
        block = Block(lang, options, code, line)
        blocks.append(block)
        line = block.end_line + 1
    if pending:
        prose.append((pending_start, "\n".join(pending)))
    return PageText(blocks, prose)


def prose_doctests(page: PageText) -> list[int]:
    """Page lines outside any block that start with `>>>`: examples nobody would run.

    Examples:
        >>> prose_doctests(page_blocks("Try this:\\n\\n>>> 1 + 1\\n2\\n"))
        [3]
    """
    found = []
    for start, text in page.prose:
        found += [start + i for i, row in enumerate(text.split("\n")) if _PROSE_DOCTEST.match(row)]
    return found


def _recording_markdown(recorded: list[tuple[str, dict[str, str], str]]) -> markdown.Markdown:
    import markdown

    def validator(language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any],
                  md: Any) -> bool:
        options.update(inputs)
        return True

    def formatter(src: str, language: str, class_name: str, options: dict[str, str], md: Any, **kwargs: Any) -> str:
        recorded.append((language, dict(options), src))
        return str(len(recorded) - 1)

    fence = {"name": "*", "class": "recorded", "validator": validator, "format": formatter}
    return markdown.Markdown(extensions=[SUPERFENCES], extension_configs={SUPERFENCES: {"custom_fences": [fence]}})
