"""MkDocs hook: render math to MathML at build time, so the site loads no math library.

pymdownx.arithmatex (generic mode) marks `$...$` as `<span class="arithmatex">\\(...\\)</span>`
and `$$...$$` as `<div class="arithmatex">\\[...\\]</div>`; this hook replaces each with
latex2mathml's MathML, which browsers render natively. Headings get the same
treatment in the table of contents; the page title keeps the bare LaTeX.

latex2mathml's output is tidied where browsers would space or place it badly
(see `tidy_mathml`), and the site serves the OpenType MATH font the
stylesheet renders `<math>` with (see `on_files`), so formulas look the same
on every system instead of depending on whichever math font is installed.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from latex2mathml.converter import convert
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

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
# latex2mathml writes \pm and \mp as identifiers (<mi>), which get no operator spacing.
_PLUS_MINUS_MI = re.compile(r"<mi>(&#x000B1;|&#x02213;)</mi>")
# f' comes out as <msup><mi>f</mi><mi>′</mi></msup>; a MATH font's prime glyph is already
# drawn raised and small, so as a superscript it is raised twice and floats away from the f.
_PRIMED = re.compile(r"<msup>(<mi>[^<]*</mi>)<mi>(&#x02032;|&#x02033;|&#x02034;|&#x02057;)</mi></msup>")
# \hat{y} comes out as an accent <mo>^</mo> over y, which stretches to whatever width the
# browser picks; TeX's \hat is one fixed-size circumflex accent (U+02C6), \widehat stretches.
_HAT = re.compile(r'(<mover accent="true">(?:<mrow>)?<mi>[^<]*</mi>(?:</mrow>)?)<mo>&#x0005E;</mo></mover>')

# The math font the site serves (OFL-1.1), from the npm package set-up installs
# (`npm ci --ignore-scripts`, see package.json), and where the site serves it;
# docs/stylesheets/micrograd.css names the served path in its @font-face.
MATH_FONT_PACKAGE = Path(__file__).resolve().parent.parent / "node_modules" / "@fontsource" / "noto-sans-math"
MATH_FONT_FILES = {
    "files/noto-sans-math-latin-400-normal.woff2": "assets/fonts/noto-sans-math.woff2",
    "LICENSE": "assets/fonts/noto-sans-math-OFL.txt",
}


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
        >>> latex_to_mathml("x^2")
        '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math>'
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

    Examples:
        >>> tidy_mathml('<math><mrow><mn>2</mn><mo>&#x000B7;</mo><mo stretchy="false">&#x00028;</mo>'
        ...             '<mo>&#x02212;</mo><mn>3</mn><mo stretchy="false">&#x00029;</mo><mo>&#x02212;</mo><mn>1</mn></mrow></math>')
        '<math><mrow><mn>2</mn><mo>&#x000B7;</mo><mo stretchy="false">&#x00028;</mo><mo form="prefix">&#x02212;</mo><mn>3</mn><mo stretchy="false">&#x00029;</mo><mo>&#x02212;</mo><mn>1</mn></mrow></math>'
        >>> tidy_mathml('<msup><mi>f</mi><mi>&#x02032;</mi></msup>')
        '<mrow><mi>f</mi><mi>&#x02032;</mi></mrow>'
        >>> tidy_mathml('<mover accent="true"><mrow><mi>y</mi></mrow><mo>&#x0005E;</mo></mover>')
        '<mover accent="true"><mrow><mi>y</mi></mrow><mo stretchy="false">&#x002C6;</mo></mover>'
    """
    mathml = _PLUS_MINUS_MI.sub(r"<mo>\1</mo>", mathml)
    mathml = _PRIMED.sub(r"<mrow>\1<mi>\2</mi></mrow>", mathml)
    mathml = _HAT.sub(r'\1<mo stretchy="false">&#x002C6;</mo></mover>', mathml)

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
        '<p>Area <math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><msup><mi>r</mi><mn>2</mn></msup></mrow></math></p>'
    """

    def inline(match: re.Match[str]) -> str:
        return latex_to_mathml(html.unescape(match[1]))

    def display(match: re.Match[str]) -> str:
        latex = html.unescape(match[1])
        wrapped = _DISPLAY_WRAP.match(latex)  # environments such as \begin{align} come unwrapped
        return f'<div class="mg-math">{latex_to_mathml(wrapped[1] if wrapped else latex, display=True)}</div>'

    return _DISPLAY.sub(display, _INLINE.sub(inline, html_text))


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the math font (and its licence) to the site, from the installed npm package."""
    for source, destination in MATH_FONT_FILES.items():
        path = MATH_FONT_PACKAGE / source
        if not path.is_file():
            raise PluginError(f"{path} is missing: run `npm ci --ignore-scripts` in the repository root")
        files.append(File.generated(config, destination, abs_src_path=str(path)))
    return files


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Render the page's math, and the math in its table of contents."""
    try:
        rendered = render_math(html_text)
        for item in page.toc:
            _render_toc_item(item)
    except MathError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None
    if page.title and "\\(" in page.title:
        page.title = _TEXT_INLINE.sub(lambda m: m[1].strip(), page.title)  # <title> cannot hold markup
    return rendered


def _render_toc_item(item: AnchorLink) -> None:
    item.title = _TEXT_INLINE.sub(lambda m: latex_to_mathml(html.unescape(m[1])), item.title)
    for child in item.children:
        _render_toc_item(child)
