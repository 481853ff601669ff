"""LaTeX to MathML at build time, so the site loads no math library.

pymdownx.arithmatex (generic mode) marks `$...$` as `<span class="arithmatex">\\(...\\)</span>`
and `$$...$$` as `<div class="arithmatex">\\[...\\]</div>`; `render_math` replaces each
with latex2mathml's MathML, tidied where browsers would space or place it badly
(`tidy_mathml`), which browsers render natively in the math font the site serves.
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
# Unary signs: an <mo> holding one of these is a prefix operator (no space after it) when
# nothing in its row precedes it or the thing before it is an operator other than a closing
# fence: `2·(−3)`, `= −6`, `[−1, 1]`. Browsers infer prefix only for the first child of a row.
_SIGNS = ("&#x02212;", "&#x0002B;", "&#x000B1;", "&#x02213;")  # minus, plus, plus-minus, minus-plus
_SIGN = re.compile(r"<mo>(" + "|".join(_SIGNS) + r")</mo>")
_CLOSERS = frozenset({")", "]", "}", "|", "&#x00029;", "&#x0005D;", "&#x0007D;", "&#x0007C;", "&#x02016;", "&#x027E9;"})
_BEFORE_SIGN = re.compile(r"(?:<mo[^>]*>([^<]*)</mo>|<(?:mrow|math|msub|msup|msubsup|mfrac|msqrt|mtd)\b[^>]*>)$")
# `\tanh x` comes out as <mi>tanh</mi><mi>x</mi>, which reads "tanhx": TeX puts a thin space
# between a function's name and an argument written without parentheses.
_NAMED_FUNCTION = r"<mi>(?:tanh|sinh|cosh|sin|cos|tan|exp|log|ln|max|min)</mi>"
_FUNCTION_THEN_ARGUMENT = re.compile(rf"({_NAMED_FUNCTION}|<msup>{_NAMED_FUNCTION}<mn>[^<]*</mn></msup>)(?=<mi>|<mn>)")
# TeX spaces `/` as an ordinary symbol; browsers give it an operator's spaces: "∂L / ∂x".
_SLASH = "<mo>&#x0002F;</mo>"
# latex2mathml writes \pm and \mp as identifiers (<mi>), which get no operator spacing.
_PLUS_MINUS_MI = re.compile(r"<mi>(&#x000B1;|&#x02213;)</mi>")
# f' comes out as <msup><mi>f</mi><mi>′</mi></msup>; a MATH font's prime glyph is already
# drawn raised and small, so as a superscript it is raised twice and floats away from the f.
_PRIMED = re.compile(r"<msup>(<mi>[^<]*</mi>)<mi>(&#x02032;|&#x02033;|&#x02034;|&#x02057;)</mi></msup>")
# \hat{y} comes out as an accent <mo>^</mo> over y, which stretches to whatever width the
# browser picks; TeX's \hat is one fixed-size circumflex accent (U+02C6), \widehat stretches.
_HAT = re.compile(r'(<mover accent="true">(?:<mrow>)?<mi>[^<]*</mi>(?:</mrow>)?)<mo>&#x0005E;</mo></mover>')


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
    return tidy_mathml(mathml)


def tidy_mathml(mathml: str) -> str:
    """Fix latex2mathml markup that browsers space or place badly.

    - A sign that starts a term (`2·(−3)`, `= −6`, `[−1, 1]`) is marked
      `form="prefix"`, so it hugs its operand instead of getting a binary
      operator's spaces; `a − b` keeps them.
    - `\\pm` and `\\mp` become operators (`<mo>`), spaced like `+`.
    - A primed letter (`f'`, `f''`) is the letter followed by the prime glyph,
      which math fonts already draw raised, instead of a superscript prime.
    - `\\hat` on one letter is a fixed-size circumflex accent (U+02C6).
    - A named function (`\\tanh x`) is followed by a thin space before its argument,
      and `/` gets no spaces around it, as in TeX.

    Examples:
        >>> tidy_mathml("<mrow><mo>(</mo><mo>&#x02212;</mo><mn>3</mn><mo>)</mo><mo>&#x02212;</mo><mn>1</mn></mrow>")
        '<mrow><mo>(</mo><mo form="prefix">&#x02212;</mo><mn>3</mn><mo>)</mo><mo>&#x02212;</mo><mn>1</mn></mrow>'
        >>> tidy_mathml("<mi>tanh</mi><mi>x</mi>")
        '<mi>tanh</mi><mspace width="0.1667em"></mspace><mi>x</mi>'
        >>> tidy_mathml('<msup><mi>f</mi><mi>&#x02032;</mi></msup>')
        '<mrow><mi>f</mi><mi>&#x02032;</mi></mrow>'
        >>> tidy_mathml('<mover accent="true"><mrow><mi>y</mi></mrow><mo>&#x0005E;</mo></mover>')
        '<mover accent="true"><mrow><mi>y</mi></mrow><mo stretchy="false">&#x002C6;</mo></mover>'
    """
    mathml = _PLUS_MINUS_MI.sub(r"<mo>\1</mo>", mathml)
    mathml = _PRIMED.sub(r"<mrow>\1<mi>\2</mi></mrow>", mathml)
    mathml = _HAT.sub(r'\1<mo stretchy="false">&#x002C6;</mo></mover>', mathml)
    mathml = _FUNCTION_THEN_ARGUMENT.sub(r'\1<mspace width="0.1667em"></mspace>', mathml)
    mathml = mathml.replace(_SLASH, '<mo lspace="0" rspace="0">&#x0002F;</mo>')

    def sign(match: re.Match[str]) -> str:
        before = _BEFORE_SIGN.search(mathml, 0, match.start())
        if before is None or (before[1] is not None and before[1] in _CLOSERS):
            return match[0]
        return f'<mo form="prefix">{match[1]}</mo>'

    return _SIGN.sub(sign, mathml)


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

