"""Split a page's Markdown into prose and fenced code blocks, keeping line numbers.

Shared by the hooks that run a page's examples (`execute`) and turn it into a
notebook (`notebook`), so both agree on what a block is and where it starts.
Only fenced blocks (backticks or tildes) count; a fence may be indented (inside
an admonition or a content tab) and is closed by a fence of the same character,
at least as long, at the same indentation.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

_OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*?)[ \t]*$")
_ATTRIBUTE = re.compile(r"^(?P<name>[A-Za-z_][\w-]*)(?:=(?P<value>.*))?$", re.DOTALL)


@dataclass(frozen=True)
class Prose:
    """Markdown between fenced blocks.

    Attributes:
        text: The lines, joined with newlines (no trailing newline).
        start_line: 1-based line number of its first line in the page.
    """

    text: str
    start_line: int


@dataclass(frozen=True)
class FencedBlock:
    """One fenced code block.

    Attributes:
        lang: The first word of the info string ("pycon", "python", ...), or "".
        attrs: The rest of the info string as `name="value"` pairs; a bare
            `name` maps to "".
        code: The lines between the fences, with the fence's indentation removed.
        indent: The whitespace before the opening fence.
        fence: The opening fence itself, e.g. "```".
        start_line: 1-based line number of the opening fence in the page.
        source: The block exactly as written, both fences included.
    """

    lang: str
    attrs: dict[str, str] = field(hash=False)
    code: str
    indent: str
    fence: str
    start_line: int
    source: str

    @property
    def code_line(self) -> int:
        """1-based page line number of the first line of `code`.

        >>> split_markdown("text\\n```py\\nx = 1\\n```")[1].code_line
        3
        """
        return self.start_line + 1

    @property
    def is_pycon(self) -> bool:
        """True for a ```` ```pycon ```` block: a doctest run at build time and by pytest.

        >>> split_markdown("```pycon\\n>>> 1\\n1\\n\\n```")[0].is_pycon
        True
        """
        return self.lang == "pycon"

    @property
    def is_exec(self) -> bool:
        """True for a ```` ```python exec="on" ```` block: a script run at build time.

        >>> split_markdown('```python exec="on"\\nprint(1)\\n```')[0].is_exec
        True
        """
        return self.lang in ("python", "py") and "exec" in self.attrs


Segment = Prose | FencedBlock


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """Split a fence's info string into its language and its attributes.

    Values may be quoted with double or single quotes (shell rules), so an alt
    text can hold spaces. A superfences `{ ... }` info string is not parsed
    (it has no language of ours) and comes back as language "".

    Raises:
        ValueError: A quote is not closed or an attribute is malformed.

    Examples:
        >>> parse_info('python exec="on" hide_code alt="A loss curve"')
        ('python', {'exec': 'on', 'hide_code': '', 'alt': 'A loss curve'})
        >>> parse_info("pycon")
        ('pycon', {})
    """
    if not info or info.startswith("{"):
        return "", {}
    words = shlex.split(info, posix=True)
    lang, attrs = words[0], {}
    for word in words[1:]:
        match = _ATTRIBUTE.match(word)
        if match is None:
            raise ValueError(f"cannot read the fence attribute {word!r} (write name=\"value\" or a bare name)")
        attrs[match["name"]] = match["value"] or ""
    return lang, attrs


def split_markdown(markdown: str, first_line: int = 1) -> list[Segment]:
    """Cut Markdown into `Prose` and `FencedBlock` segments, in page order.

    Args:
        markdown: The page text.
        first_line: The page line number of the text's first line (front
            matter that MkDocs strips shifts it).

    Raises:
        ValueError: A fence is never closed, or its info string cannot be
            read; the message names the line.

    Examples:
        >>> page = "# Title\\n\\n```pycon\\n>>> 1 + 1\\n2\\n\\n```\\nMore."
        >>> [type(s).__name__ for s in split_markdown(page)]
        ['Prose', 'FencedBlock', 'Prose']
        >>> split_markdown(page)[1].code
        '>>> 1 + 1\\n2\\n\\n'
    """
    lines = markdown.split("\n")
    segments: list[Segment] = []
    prose_start = 0
    i = 0
    while i < len(lines):
        opening = _OPENING.match(lines[i])
        if opening is None:
            i += 1
            continue
        end = _closing_line(lines, i, opening["indent"], opening["fence"])
        line_number = first_line + i
        if end is None:
            raise ValueError(f"line {line_number}: the code fence {opening['fence']} is never closed")
        try:
            lang, attrs = parse_info(opening["info"])
        except ValueError as error:
            raise ValueError(f"line {line_number}: {error}") from None
        if i > prose_start:
            segments.append(Prose("\n".join(lines[prose_start:i]), first_line + prose_start))
        indent = opening["indent"]
        body = [line[len(indent) :] if line.startswith(indent) else line.lstrip() for line in lines[i + 1 : end]]
        segments.append(
            FencedBlock(
                lang=lang,
                attrs=attrs,
                code="\n".join(body) + "\n" if body else "",
                indent=indent,
                fence=opening["fence"],
                start_line=line_number,
                source="\n".join(lines[i : end + 1]),
            )
        )
        i = prose_start = end + 1
    if prose_start < len(lines):
        segments.append(Prose("\n".join(lines[prose_start:]), first_line + prose_start))
    return segments


def _closing_line(lines: list[str], opening: int, indent: str, fence: str) -> int | None:
    closing = re.compile(rf"^{re.escape(indent)}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for j in range(opening + 1, len(lines)):
        if closing.match(lines[j]):
            return j
    return None
