"""Turn a figure an exec block returns into inline, accessible SVG HTML.

A figure is a matplotlib `Figure` or a graphviz graph (what
`micrograd.viz.to_svg` accepts); `to_svg` makes the markup byte-identical
between builds.
"""

from __future__ import annotations

import html
import re
import sys
from typing import Literal

FigureKind = Literal["graph", "plot"]

_ID = re.compile(r'(?<=\s)id="([^"]+)"')
_REFERENCE = re.compile(r'(href="#|url\(#)([^")]+)')


def figure_kind(value: object) -> FigureKind | None:
    """Say whether a value is a graph drawing, a plot, or not a figure at all.

    Only modules already imported are consulted: a value cannot be a matplotlib
    Figure unless matplotlib was imported, so nothing heavy is imported to ask.

    Examples:
        >>> figure_kind(42) is None
        True
        >>> import graphviz
        >>> figure_kind(graphviz.Digraph())
        'graph'
    """
    graphviz = sys.modules.get("graphviz")
    if graphviz is not None and isinstance(value, (graphviz.Digraph, graphviz.Graph, graphviz.Source)):
        return "graph"
    matplotlib_figure = sys.modules.get("matplotlib.figure")
    if matplotlib_figure is not None and isinstance(value, matplotlib_figure.Figure):
        return "plot"
    return None


def figure_html(value: object, alt: str, caption: str = "", id_prefix: str = "mg-fig") -> str:
    """Inline SVG for a figure, wrapped for accessibility, search and zooming.

    The figure is kept out of the search index (SVG text is noise there) and
    announced as one image named by `alt`. A graph keeps its natural size in a
    focusable box that scrolls (and the site's script adds a zoom button when it
    is wider than the column); a plot scales to the column width.

    Args:
        value: A matplotlib Figure or a graphviz graph.
        alt: What the figure shows, for people who cannot see it (required).
        caption: Optional visible caption (plain text).
        id_prefix: Put in front of every id inside the SVG; give each figure of
            a page its own (see `scope_ids`).

    Raises:
        TypeError: `value` is not a figure.
        ValueError: `alt` is empty.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.viz import draw_dot
        >>> markup = figure_html(draw_dot(Value(2.0, label="x") * 3), alt="x times 3")
        >>> markup.startswith('<figure class="mg-figure mg-figure--graph" data-search-exclude>')
        True
        >>> 'role="img" aria-label="x times 3"' in markup
        True
    """
    kind = figure_kind(value)
    if kind is None:
        raise TypeError(f"expected a matplotlib Figure or a graphviz graph, got {type(value).__name__}")
    if not alt.strip():
        raise ValueError("a figure needs alt text")
    from micrograd.viz import to_svg  # only pages that draw pay for the import

    svg = scope_ids(to_svg(value), id_prefix)
    # Only a graph's scrolling box takes keyboard focus, so it can be scrolled without a mouse.
    focus = ' tabindex="0"' if kind == "graph" else ""
    parts = [
        f'<figure class="mg-figure mg-figure--{kind}" data-search-exclude>',
        f'<div class="mg-figure__canvas" role="img" aria-label="{html.escape(alt)}"{focus}>{svg}</div>',
    ]
    if caption:
        parts.append(f"<figcaption>{html.escape(caption)}</figcaption>")
    parts.append("</figure>")
    return "\n".join(parts)


def scope_ids(svg: str, prefix: str) -> str:
    """Prefix the ids an SVG defines, and its references to them, with `prefix`.

    Every matplotlib figure defines the same ids for its glyphs and clip paths,
    and every graphviz drawing numbers its nodes from 1: two figures inlined in
    one page would share ids, and a reference could reach into the other figure
    (and break when that one is hidden, e.g. in a closed tab).

    Examples:
        >>> scope_ids('<clipPath id="c1"/><path clip-path="url(#c1)"/><use xlink:href="#g"/>', "f0")
        '<clipPath id="f0-c1"/><path clip-path="url(#f0-c1)"/><use xlink:href="#g"/>'
    """
    defined = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{prefix}-{m[1]}"', svg)
    return _REFERENCE.sub(lambda m: f"{m[1]}{prefix}-{m[2]}" if m[2] in defined else m[0], svg)


def close_figures() -> None:
    """Close every figure pyplot still holds, so one page's figures do not pile up.

    Examples:
        >>> close_figures()  # harmless when pyplot was never imported
    """
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
