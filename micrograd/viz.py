"""Pictures of computation graphs and training runs, as SVG for the docs site.

`draw_dot` draws the graph behind a `Value`; the `plot_*` helpers draw
functions, loss curves, fits and 2-D classifiers with matplotlib; `to_svg`
turns either kind of figure into SVG markup that is identical on every run.

matplotlib and graphviz are optional (`pip install "micrograd-literate[viz]"`)
and are imported only when a drawing is made.
"""

from __future__ import annotations

import io
import os
import pathlib
import re
import shutil
import sys
import sysconfig
from collections.abc import Sequence
from typing import Any

from micrograd._optional import INSTALL_HINT, import_extra
from micrograd._plots import (
    plot_activation,
    plot_class_regions,
    plot_confusion_matrix,
    plot_dataset,
    plot_decision_boundary,
    plot_fit,
    plot_fits,
    plot_function,
    plot_losses,
    plot_trajectories,
)
from micrograd.engine import _NEURON_ACTIVATIONS, Value, topological_order

__all__ = [
    "GraphvizNotFoundError",
    "configure_graphviz",
    "draw_dot",
    "to_svg",
    "plot_function",
    "plot_losses",
    "plot_fit",
    "plot_decision_boundary",
    "plot_dataset",
    "plot_activation",
    "plot_class_regions",
    "plot_confusion_matrix",
    "plot_trajectories",
    "plot_fits",
]

RANKDIRS = ("LR", "TB")
# Helvetica is one of the fonts graphviz-pure has built-in metrics for, so the
# layout does not depend on installed fonts; browsers fall back to sans-serif.
_FONT = "Helvetica"
_INK = "#1f2937"  # near-black text and borders: readable on the white background
_EDGE = "#6b7280"
_LEAF_FILL = "#dbeafe"  # inputs and parameters
_COMPUTED_FILL = "#f3f4f6"
_ROOT_FILL = "#dcfce7"  # the output that backward() starts from
_OP_FILL = "#fef3c7"
_RECORD_SPECIALS = re.compile(r"([\\{}|<>])")


class GraphvizNotFoundError(RuntimeError):
    """Neither a system Graphviz `dot` nor the `graphviz-pure` binary could be found.

    Examples:
        >>> from micrograd.viz import GraphvizNotFoundError
        >>> issubclass(GraphvizNotFoundError, RuntimeError)
        True
    """


def configure_graphviz() -> str:
    """Point the `graphviz` package at a layout program that exists, and return it.

    A system `dot` (or whatever `graphviz.backend.dot_command.DOT_BINARY` was
    set to) is kept when it can be found. Otherwise the `graphviz-pure`
    binary is used, looked up on PATH and then in this interpreter's scripts
    directory (a virtualenv that was not activated is not on PATH). In the
    browser (Pyodide) there is no program to run: the site's page draws the
    graph's DOT with viz.js, so nothing is needed.

    Returns:
        The program the `graphviz` package will run.

    Raises:
        GraphvizNotFoundError: Neither program exists; the message names both fixes.
        ImportError: The `graphviz` package is not installed.

    Examples:
        >>> from micrograd.viz import configure_graphviz
        >>> import os
        >>> os.path.basename(configure_graphviz()) in ("dot", "graphviz-pure", "graphviz-pure.exe")
        True
    """
    if sys.platform == "emscripten":  # Python in the browser: the page lays DOT out with viz.js
        return "viz.js"
    dot_command: Any = import_extra("graphviz.backend.dot_command")  # untyped; DOT_BINARY is set below
    current: str = os.fspath(dot_command.DOT_BINARY)
    if shutil.which(current):
        return current
    fallback = shutil.which("graphviz-pure") or shutil.which("graphviz-pure", path=sysconfig.get_path("scripts"))
    if fallback is None:
        raise GraphvizNotFoundError(
            f"rendering a graph needs Graphviz's {current!r} program, which is not on PATH, "
            "or the graphviz-pure binary, which was not found either. Install one of them: "
            "system Graphviz (e.g. `apt-get install graphviz` or `brew install graphviz`), "
            f"or `pip install graphviz-pure` (included in `{INSTALL_HINT}`)."
        )
    dot_command.DOT_BINARY = pathlib.Path(fallback)
    return fallback


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR") -> Any:
    """Draw the computation graph that produced `root`.

    Each Value is a box `label | data | grad` (no label part when the label
    is empty); each computed Value is fed by a small oval naming its
    operation. Nodes are named by their position in topological order, so
    the same graph gives the same drawing, byte for byte, on every run. A
    child used twice (`a + a`) gets two arrows. The children of `**` (with a
    Value exponent) and `wx+b` play different roles, so their arrows are
    labelled: `base`/`exponent`, and `w0, w1, ..., x0, x1, ..., b`.

    Args:
        root: The Value whose graph to draw (usually a loss or an output);
            a `micrograd.scratch.Value` works too.
        format: Output format used by `.render()`/`.pipe()`, e.g. "svg" or "png".
        rankdir: "LR" (inputs on the left) or "TB" (inputs on top).

    Returns:
        A `graphviz.Digraph`, ready to render: `to_svg(draw_dot(root))`.

    Raises:
        TypeError: `root` is not a Value.
        ValueError: Unknown `format` or `rankdir`.
        GraphvizNotFoundError: No program to render with (see `configure_graphviz`).
        ImportError: The `graphviz` package is not installed.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.viz import draw_dot
        >>> a = Value(2.0, label="a")
        >>> b = Value(-3.0, label="b")
        >>> e = a * b; e.label = "e"
        >>> dot = draw_dot(e)
        >>> type(dot).__name__
        'Digraph'
        >>> for line in dot.body:  # the nodes and edges, after the style settings
        ...     print(line.strip())
        v0 [label="{ a | data 2.0000 | grad 0.0000 }" fillcolor="#dbeafe"]
        v1 [label="{ b | data -3.0000 | grad 0.0000 }" fillcolor="#dbeafe"]
        v2 [label="{ e | data -6.0000 | grad 0.0000 }" fillcolor="#dcfce7"]
        op2 [label="*" fillcolor="#fef3c7" shape=ellipse]
        v0 -> op2
        v1 -> op2
        op2 -> v2
    """
    # Any node with the five fields is drawn: micrograd.scratch.Value as well as this library's.
    if not isinstance(root, Value) and not all(hasattr(root, f) for f in ("data", "grad", "_prev", "_op", "label")):
        raise TypeError(f"draw_dot draws a Value's graph, got {type(root).__name__}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    graphviz = import_extra("graphviz")
    if format not in graphviz.FORMATS:
        raise ValueError(f"unknown graphviz output format {format!r}; try 'svg' or 'png'")
    configure_graphviz()

    dot = graphviz.Digraph(
        format=format,
        graph_attr={"rankdir": rankdir, "bgcolor": "white", "fontname": _FONT},
        node_attr={"shape": "record", "style": "filled", "fontname": _FONT, "fontsize": "12",
                   "color": _INK, "fontcolor": _INK},
        edge_attr={"color": _EDGE, "fontname": _FONT, "fontsize": "9", "fontcolor": _EDGE},
    )
    order = topological_order(root)
    name_of = {node: f"v{i}" for i, node in enumerate(order)}  # Values hash by identity
    for i, node in enumerate(order):
        name = name_of[node]
        fill = _ROOT_FILL if node is root else _COMPUTED_FILL if node._prev else _LEAF_FILL
        dot.node(name, label=_record_label(node), fillcolor=fill)
        if node._prev:
            op = f"op{i}"
            dot.node(op, label=node._op, shape="ellipse", fillcolor=_OP_FILL)
            # not strict: a node made by hand may have more or fewer children than its op's roles
            for child, role in zip(node._prev, _child_roles(node), strict=False):
                dot.edge(name_of[child], op, label=role)
            dot.edge(op, name)
    return dot


def _record_label(node: Value) -> str:
    """`label | data | grad`, escaped for a record shape.

    Braces turn a record's fields across the rank direction: side by side in
    LR (the classic look), stacked in TB, which keeps tall drawings narrow.
    """
    fields = [f"data {node.data:.4f}", f"grad {node.grad:.4f}"]
    if node.label:
        fields.insert(0, _RECORD_SPECIALS.sub(r"\\\1", node.label))
    return "{ " + " | ".join(fields) + " }"


# A weighted sum's node, and a whole neuron's (the sum with its activation): children (w..., x..., b).
_WEIGHTED_SUM_OPS = {"wx+b", *(neuron_op for _, neuron_op, _ in _NEURON_ACTIVATIONS.values())}


def _child_roles(node: Value) -> Sequence[str | None]:
    """Edge labels for children whose order matters; None for interchangeable ones."""
    if node._op == "**":
        return ["base", "exponent"]
    if node._op in _WEIGHTED_SUM_OPS:
        n = len(node._prev) // 2  # (w0..wn-1, x0..xn-1, bias)
        return [f"w{i}" for i in range(n)] + [f"x{i}" for i in range(n)] + ["b"]
    return [None] * len(node._prev)


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def to_svg(figure: Any) -> str:
    """SVG markup for a graphviz graph or a matplotlib Figure, ready to embed in a page.

    The markup starts at `<svg` (no XML prolog, DOCTYPE or comments), has no
    blank lines (so Markdown keeps it as one HTML block), keeps `width`,
    `height` and `viewBox`, and is byte-identical across runs and processes
    for the same figure: matplotlib's date stamp and random ids are pinned.
    A matplotlib figure is closed afterwards if pyplot was managing it.

    Args:
        figure: A `graphviz.Digraph`/`Graph`/`Source`, or a `matplotlib.figure.Figure`.

    Returns:
        The `<svg ...>...</svg>` element as a string.

    Raises:
        TypeError: `figure` is neither kind.
        GraphvizNotFoundError: A graph was given and there is no program to render it.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.viz import draw_dot, plot_function, to_svg
        >>> svg = to_svg(draw_dot(Value(1.0, label="x") * 2))
        >>> svg.startswith("<svg"), svg.endswith("</svg>"), "\\n\\n" in svg
        (True, True, False)
        >>> to_svg(plot_function(abs, -1.0, 1.0)).startswith("<svg")
        True
    """
    graphviz = sys.modules.get("graphviz")  # a graph can only exist if graphviz was imported
    figure_module = sys.modules.get("matplotlib.figure")
    if graphviz is not None and isinstance(figure, (graphviz.Digraph, graphviz.Graph, graphviz.Source)):
        configure_graphviz()
        markup = figure.pipe(format="svg", encoding="utf-8")
    elif figure_module is not None and isinstance(figure, figure_module.Figure):
        markup = _matplotlib_svg(figure)
    else:
        raise TypeError(f"to_svg takes a graphviz graph or a matplotlib Figure, got {type(figure).__name__}")
    start = markup.find("<svg")
    if start < 0:
        raise ValueError("the renderer produced no <svg> element")
    body = _COMMENT.sub("", markup[start:])
    return "\n".join(line for line in body.splitlines() if line.strip())


def _matplotlib_svg(figure: Any) -> str:
    matplotlib = import_extra("matplotlib")
    buffer = io.StringIO()
    # The hash salt seeds the ids of clip paths and the like (random by
    # default); no date and no creator keep the metadata stable across runs
    # and matplotlib versions; glyphs as paths look the same without the font.
    settings = {"svg.hashsalt": "micrograd", "svg.fonttype": "path"}
    try:
        with matplotlib.rc_context(settings):
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:  # only pyplot keeps figures alive; never import it just to close
            pyplot.close(figure)
    return buffer.getvalue()
