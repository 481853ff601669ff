"""LaTeX to MathML at build time, so the site loads no math library.

pymdownx.arithmatex (generic mode) marks `$...$` as `<span class="arithmatex">\\(...\\)</span>`
and `$$...$$` as `<div class="arithmatex">\\[...\\]</div>`; `render_math` replaces each
with latex2mathml's MathML, which browsers render natively in the math font the
site serves.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

_INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.DOTALL)
_DISPLAY = re.compile(r'<div class="arithmatex">(.*?)</div>', re.DOTALL)
_DISPLAY_WRAP = re.compile(r"^\s*\\\[(.*)\\\]\s*$", re.DOTALL)
_TEXT_INLINE = re.compile(r"\\\((.*?)\\\)", re.DOTALL)
# latex2mathml keeps a command it does not know as text, e.g. <mi>\foo</mi>.
_UNKNOWN_COMMAND = re.compile(r">[^<]*(\\[A-Za-z]+)")


class MathError(ValueError):
    """LaTeX that latex2mathml cannot render."""


def latex_to_mathml(latex: str, display: bool = False) -> str:
    """Render one formula as a MathML `<math>` element.

    Args:
        latex: The formula, without delimiters and with HTML entities decoded.
        display: A display (block) formula rather than an inline one.

    Raises:
        MathError: The LaTeX is malformed or uses a command latex2mathml lacks.

    Examples:
        >>> latex_to_mathml("x^2")  # doctest: +ELLIPSIS
        '<math ... display="inline"><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math>'
        >>> try:
        ...     latex_to_mathml(r"\\nosuchcommand")
        ... except MathError as error:
        ...     print(error)
        unsupported LaTeX command \\nosuchcommand in $\\nosuchcommand$
    """
    try:
        mathml = convert(latex.strip(), display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises many kinds, all meaning "cannot parse"
        raise MathError(f"cannot render ${latex}$: {type(error).__name__} {error}".rstrip()) from None
    unknown = _UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise MathError(f"unsupported LaTeX command {unknown[1]} in ${latex}$")
    return mathml


def render_math(html_text: str) -> str:
    """Replace arithmatex's generic-mode spans and divs in a page with MathML.

    Examples:
        >>> render_math('<p>Area <span class="arithmatex">\\\\(r^2\\\\)</span></p>')
        '<p>Area <math ... display="inline"><mrow><msup><mi>r</mi><mn>2</mn></msup></mrow></math></p>'
    """

    def inline(match: re.Match[str]) -> str:
        return latex_to_mathml(html.unescape(match[1]))

    def display(match: re.Match[str]) -> str:
        latex = html.unescape(match[1])
        wrapped = _DISPLAY_WRAP.match(latex)  # environments such as \begin{align} come unwrapped
        return f'<div class="mg-math">{latex_to_mathml(wrapped[1] if wrapped else latex, display=True)}</div>'

    return _DISPLAY.sub(display, _INLINE.sub(inline, html_text))


def render_title(title: str) -> str:
    """A heading's text for the table of contents: its `\\(...\\)` math as MathML.

    Examples:
        >>> render_title(r"Slope \\(x\\)")
        'Slope <math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><mi>x</mi></mrow></math>'
    """
    return _TEXT_INLINE.sub(lambda m: latex_to_mathml(html.unescape(m[1])), title)


def plain_title(title: str) -> str:
    """A page title for `<title>`, which cannot hold markup: the bare LaTeX.

    Examples:
        >>> plain_title(r"Slope \\( x \\)")
        'Slope x'
    """
    return _TEXT_INLINE.sub(lambda m: m[1].strip(), title)

