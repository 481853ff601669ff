"""matplotlib figures for the docs: a function, loss curves, a fit, a 2-D classifier.

Every helper returns a `matplotlib.figure.Figure` made without pyplot, so no
window opens and nothing is kept alive by a global figure list. Figures have
a white background (they stay readable on a dark page) and large enough text
to read at the width of a documentation page. Use them through
`micrograd.viz`; `micrograd.viz.to_svg(fig)` gives the SVG markup.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from micrograd._checks import is_int, is_real
from micrograd._optional import import_extra
from micrograd.engine import Value

FIGSIZE = (6.0, 4.0)  # inches
# At a 390 px phone a 6-inch plot is drawn at ~59% of its size: 12 pt text stays above 9 px there.
TITLE_SIZE, LABEL_SIZE, TICK_SIZE = 14, 13, 12
DATA_COLOR = "#1f77b4"  # blue
MODEL_COLOR = "#d62728"  # red
# Classes in increasing label order; the first two match the regions below.
CLASS_COLORS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
REGION_COLORS = ("#f8d0d0", "#cfe0f3")  # score <= threshold, score > threshold


def _new_figure(title: str | None, xlabel: str, ylabel: str, figsize: tuple[float, float]) -> tuple[Any, Any]:
    """A white figure with one labelled axes."""
    figure_module = import_extra("matplotlib.figure")
    fig = figure_module.Figure(figsize=figsize, facecolor="white", layout="constrained")
    ax = fig.add_subplot()
    ax.set_facecolor("white")
    ax.set_xlabel(xlabel, fontsize=LABEL_SIZE)
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.grid(True, color="#e5e7eb", linewidth=0.8)
    ax.set_axisbelow(True)
    if title:
        ax.set_title(title, fontsize=TITLE_SIZE)
    return fig, ax


def _number(x: object, what: str) -> float:
    """A float from a real number or a Value's data; TypeError naming `what` otherwise."""
    if isinstance(x, Value):
        return x.data
    if is_real(x):
        return float(x)
    raise TypeError(f"{what} must be a number or a Value, got {type(x).__name__}: {x!r}")


def _output(model: Callable[[Any], Any], x: Any, what: str) -> float:
    """model(x) as a float; a one-element list (a Layer's output) counts as its element."""
    out = model(x)
    if isinstance(out, (list, tuple)) and len(out) == 1:
        out = out[0]
    return _number(out, what)


def _finite(x: object, what: str) -> float:
    value = _number(x, what)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return value


def _steps(steps: object, minimum: int = 2) -> int:
    if not is_int(steps) or steps < minimum:
        raise ValueError(f"steps must be an int >= {minimum}, got {steps!r}")
    return steps


def _grid(lo: float, hi: float, steps: int) -> list[float]:
    points: list[float] = import_extra("numpy").linspace(lo, hi, steps).tolist()  # numpy comes with matplotlib
    return points


def _x_grid(x_min: object, x_max: object, steps: object) -> list[float]:
    """`steps` evenly spaced xs from `x_min` to `x_max`, after checking the range and the count."""
    lo, hi = _finite(x_min, "x_min"), _finite(x_max, "x_max")
    if not lo < hi:
        raise ValueError(f"x_min must be less than x_max, got {lo!r} and {hi!r}")
    return _grid(lo, hi, _steps(steps))


def plot_function(
    f: Callable[[float], Any],
    x_min: float,
    x_max: float,
    *,
    steps: int = 200,
    title: str | None = None,
    xlabel: str = "x",
    ylabel: str = "f(x)",
    figsize: tuple[float, float] = FIGSIZE,
) -> Any:
    """Plot y = f(x) for x from `x_min` to `x_max`.

    Args:
        f: Takes a float, returns a number or a Value (e.g. `lambda x: Value(x).tanh()`).
        x_min: Left end of the range.
        x_max: Right end of the range (greater than `x_min`).
        steps: Number of points evaluated.
        title: Optional title.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        figsize: Size in inches.

    Returns:
        A matplotlib Figure with one curve.

    Raises:
        TypeError: `f` is not callable, or returns something that is not a number.
        ValueError: The range is empty or not finite, or `steps` < 2.

    Examples:
        >>> from micrograd.viz import plot_function
        >>> fig = plot_function(lambda x: 3 * x**2 - 4 * x + 5, -5, 5)
        >>> type(fig).__name__, len(fig.axes), len(fig.axes[0].lines)
        ('Figure', 1, 1)
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    xs = _x_grid(x_min, x_max, steps)
    ys = [_number(f(x), "f(x)") for x in xs]
    fig, ax = _new_figure(title, xlabel, ylabel, figsize)
    ax.plot(xs, ys, color=DATA_COLOR, linewidth=2)
    return fig


def plot_losses(
    losses: Sequence[Any] | Mapping[str, Sequence[Any]],
    *,
    log_scale: bool = False,
    title: str | None = None,
    xlabel: str = "step",
    ylabel: str = "loss",
    figsize: tuple[float, float] = FIGSIZE,
) -> Any:
    """Plot loss against step (step 0 first); several named runs side by side.

    Args:
        losses: One run's losses (numbers or Values), or a dict name -> losses
            to compare runs, e.g. learning rates; each run gets a legend entry.
        log_scale: Use a logarithmic loss axis (every loss must be positive).
        title: Optional title.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        figsize: Size in inches.

    Returns:
        A matplotlib Figure with one curve per run.

    Raises:
        TypeError: A loss is not a number.
        ValueError: No run, an empty run, or a loss <= 0 with `log_scale`.

    Examples:
        >>> from micrograd.viz import plot_losses
        >>> fig = plot_losses({"lr 0.1": [1.0, 0.5, 0.2], "lr 0.01": [1.0, 0.9, 0.8]}, log_scale=True)
        >>> len(fig.axes[0].lines), fig.axes[0].get_yscale()
        (2, 'log')
    """
    runs = dict(losses) if isinstance(losses, Mapping) else {None: losses}
    if not runs:
        raise ValueError("losses is an empty dict; give at least one run")
    fig, ax = _new_figure(title, xlabel, ylabel, figsize)
    for name, run in runs.items():
        values = [_number(v, "each loss") for v in run]
        if not values:
            raise ValueError(f"run {name!r} has no losses" if name is not None else "losses is empty")
        if log_scale and min(values) <= 0:
            raise ValueError(f"log_scale needs positive losses, got {min(values)!r}")
        ax.plot(range(len(values)), values, linewidth=2, label=name)
    ticker = import_extra("matplotlib.ticker")
    # steps and epochs are whole numbers: no ticks at 2.5
    ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    if log_scale:
        ax.set_yscale("log")
        # a loss range under a decade would otherwise label every minor tick
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    if isinstance(losses, Mapping):
        ax.legend(fontsize=TICK_SIZE)
    return fig


def plot_fit(
    xs: Sequence[Any],
    ys: Sequence[Any],
    predictions: Sequence[Any] | Callable[[float], Any],
    *,
    steps: int = 200,
    title: str | None = None,
    xlabel: str = "x",
    ylabel: str = "y",
    figsize: tuple[float, float] = FIGSIZE,
) -> Any:
    """Data as blue dots, a model's predictions as a red curve.

    Args:
        xs: Inputs (numbers or Values).
        ys: Targets, one per input.
        predictions: Either one prediction per input, or the model itself: a
            callable taking a float (an `MLP(1, ...)` does), evaluated on
            `steps` points spanning the data so the curve is smooth.
        steps: Number of points when `predictions` is a model.
        title: Optional title.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        figsize: Size in inches.

    Returns:
        A matplotlib Figure with one scatter of the data and one curve.

    Raises:
        TypeError: An entry is not a number, or the model returns a non-number.
        ValueError: No data, or lengths differ.

    Examples:
        >>> from micrograd.viz import plot_fit
        >>> fig = plot_fit([0.0, 1.0, 2.0], [0.1, 0.9, 2.2], lambda x: 1.05 * x)
        >>> ax = fig.axes[0]
        >>> len(ax.collections), len(ax.lines), len(ax.lines[0].get_xdata())
        (1, 1, 200)
    """
    x_data = [_finite(x, "each x") for x in xs]
    y_data = [_number(y, "each y") for y in ys]
    if not x_data or len(x_data) != len(y_data):
        raise ValueError(f"xs and ys must be non-empty and of equal length, got {len(x_data)} and {len(y_data)}")
    curve_x: Sequence[float]
    curve_y: Sequence[float]
    if callable(predictions):
        curve_x = _grid(min(x_data), max(x_data), _steps(steps))
        curve_y = [_output(predictions, x, "the model's output") for x in curve_x]
    else:
        guesses = [_number(p, "each prediction") for p in predictions]
        if len(guesses) != len(x_data):
            raise ValueError(f"need one prediction per x: {len(x_data)} xs, {len(guesses)} predictions")
        # a curve is drawn left to right
        curve_x, curve_y = zip(*sorted(zip(x_data, guesses, strict=True)), strict=True)
    fig, ax = _new_figure(title, xlabel, ylabel, figsize)
    ax.scatter(x_data, y_data, color=DATA_COLOR, s=25, label="data", zorder=2)
    ax.plot(curve_x, curve_y, color=MODEL_COLOR, linewidth=2, label="model", zorder=3)
    ax.legend(fontsize=TICK_SIZE)
    return fig


def _points_and_labels(X: Sequence[Sequence[Any]], y: Sequence[Any]) -> tuple[list[tuple[float, float]], list[float]]:
    points = []
    for row in X:
        if len(row) != 2:
            raise ValueError(f"each point of X must have 2 coordinates, got {len(row)}: {row!r}")
        points.append((_finite(row[0], "each coordinate"), _finite(row[1], "each coordinate")))
    labels = [_number(label, "each label") for label in y]
    if not points or len(points) != len(labels):
        raise ValueError(f"X and y must be non-empty and of equal length, got {len(points)} and {len(labels)}")
    return points, labels


def _scatter_classes(ax: Any, points: list[tuple[float, float]], labels: list[float]) -> None:
    """One scatter per class, coloured in increasing label order, with a legend."""
    classes = sorted(set(labels))
    if len(classes) > len(CLASS_COLORS):
        raise ValueError(f"at most {len(CLASS_COLORS)} classes can be told apart, got {len(classes)}")
    for cls, color in zip(classes, CLASS_COLORS, strict=False):  # fewer classes than colours
        members = [p for p, label in zip(points, labels, strict=True) if label == cls]
        name = f"y = {int(cls) if cls.is_integer() else cls}"
        ax.scatter([p[0] for p in members], [p[1] for p in members], color=color, s=25,
                   edgecolors="white", linewidths=0.5, label=name, zorder=2)
    ax.legend(fontsize=TICK_SIZE)


def plot_dataset(
    X: Sequence[Sequence[Any]],
    y: Sequence[Any],
    *,
    title: str | None = None,
    xlabel: str = "x₁",
    ylabel: str = "x₂",
    figsize: tuple[float, float] = FIGSIZE,
) -> Any:
    """Scatter 2-D points, one colour per label.

    Args:
        X: Points, each a pair of numbers.
        y: One label per point (e.g. -1/1 or 0/1).
        title: Optional title.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        figsize: Size in inches.

    Returns:
        A matplotlib Figure with one scatter per class.

    Raises:
        TypeError: An entry is not a number.
        ValueError: A point is not a pair, lengths differ, or too many classes.

    Examples:
        >>> from micrograd.viz import plot_dataset
        >>> fig = plot_dataset([[0, 0], [1, 1], [1, 0]], [-1, 1, 1])
        >>> [len(c.get_offsets()) for c in fig.axes[0].collections]
        [1, 2]
    """
    points, labels = _points_and_labels(X, y)
    fig, ax = _new_figure(title, xlabel, ylabel, figsize)
    _scatter_classes(ax, points, labels)
    return fig


def _margin(margin: object) -> float:
    pad = _finite(margin, "margin")
    if pad < 0:
        raise ValueError(f"margin must be >= 0, got {pad!r}")
    return pad


def _data_grid(points: list[tuple[float, float]], pad: float, n: int) -> tuple[list[float], list[float]]:
    """`n` evenly spaced values along each axis, spanning the points plus `pad` of their extent either side."""
    axes_ranges = []
    for coords in zip(*points, strict=True):
        lo, hi = min(coords), max(coords)
        extra = pad * (hi - lo) if hi > lo else 1.0  # one point or a flat line still gets room
        axes_ranges.append(_grid(lo - extra, hi + extra, n))
    return axes_ranges[0], axes_ranges[1]


def plot_decision_boundary(
    model: Callable[[list[float]], Any],
    X: Sequence[Sequence[Any]],
    y: Sequence[Any],
    *,
    steps: int = 40,
    threshold: float = 0.0,
    margin: float = 0.1,
    title: str | None = None,
    xlabel: str = "x₁",
    ylabel: str = "x₂",
    figsize: tuple[float, float] = FIGSIZE,
) -> Any:
    """A 2-D classifier's decision regions under its data.

    The model is run on a `steps` x `steps` grid covering the data; each grid
    point is shaded by whether its score is above `threshold` (blue) or not
    (red). That is `steps`² pure-Python forward passes, so keep it modest.

    Args:
        model: Takes a point `[x1, x2]`, returns a score (a Value or a number),
            e.g. an `MLP(2, [..., 1])`.
        X: Points, each a pair of numbers.
        y: One label per point; the lowest label is drawn red, the next blue.
        steps: Grid points per axis.
        threshold: Score at the boundary (0 for tanh/linear outputs, 0.5 for sigmoid).
        margin: Space around the data, as a fraction of its extent.
        title: Optional title.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        figsize: Size in inches.

    Returns:
        A matplotlib Figure: filled regions, then one scatter per class.

    Raises:
        TypeError: `model` is not callable, or an entry or score is not a number.
        ValueError: Bad `steps`/`margin`/`threshold`, or bad data (as `plot_dataset`).

    Examples:
        >>> from micrograd.viz import plot_decision_boundary
        >>> fig = plot_decision_boundary(lambda p: p[0] - p[1], [[0, 1], [1, 0]], [-1, 1], steps=5)
        >>> len(fig.axes[0].collections)  # the regions, then one scatter per class
        3
    """
    if not callable(model):
        raise TypeError(f"model must be callable, got {type(model).__name__}")
    points, labels = _points_and_labels(X, y)
    cut = _finite(threshold, "threshold")
    pad = _margin(margin)
    grid_x, grid_y = _data_grid(points, pad, _steps(steps))
    above = [[1 if _output(model, [gx, gy], "the model's score") > cut else 0 for gx in grid_x] for gy in grid_y]
    fig, ax = _new_figure(title, xlabel, ylabel, figsize)
    ax.contourf(grid_x, grid_y, above, levels=[-0.5, 0.5, 1.5], colors=REGION_COLORS)
    _scatter_classes(ax, points, labels)
    return fig


def plot_activation(
    f: Callable[[Value], Value],
    x_min: float = -4.0,
    x_max: float = 4.0,
    *,
    steps: int = 161,
    title: str | None = None,
    xlabel: str = "x",
    ylabel: str = "",
    figsize: tuple[float, float] = FIGSIZE,
) -> Any:
    """An activation function and its derivative, the derivative found by `backward()`.

    At each of `steps` points the function is applied to a fresh `Value`
    and backpropagated, so the dashed curve is the slope the engine will
    really pass back in training, not a formula written down separately.

    Args:
        f: Takes a Value, returns a Value (e.g. `Value.tanh`, `activations.gelu`).
        x_min: Left end of the range.
        x_max: Right end of the range (greater than `x_min`).
        steps: Number of points evaluated.
        title: Optional title.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        figsize: Size in inches.

    Returns:
        A matplotlib Figure with two curves: f(x) solid, f'(x) dashed.

    Raises:
        TypeError: `f` is not callable or does not return a Value.
        ValueError: The range is empty or not finite, or `steps` < 2.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd.viz import plot_activation
        >>> fig = plot_activation(Value.relu, -2, 2, steps=5)
        >>> [line.get_ydata().tolist() for line in fig.axes[0].lines]  # f, then f'
        [[0.0, 0.0, 0.0, 1.0, 2.0], [0.0, 0.0, 0.0, 1.0, 1.0]]
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    xs = _x_grid(x_min, x_max, steps)
    values, slopes = [], []
    for x in xs:
        v = Value(x)
        out = f(v)
        if not isinstance(out, Value):
            raise TypeError(f"f must return a Value to backpropagate from, got {type(out).__name__}")
        out.backward()
        values.append(out.data)
        slopes.append(v.grad)
    fig, ax = _new_figure(title, xlabel, ylabel, figsize)
    ax.plot(xs, values, color=DATA_COLOR, linewidth=2.2, label="f(x)", zorder=3)
    slope_label = "f\u2032(x), by backward()"  # \u2032 is a prime
    ax.plot(xs, slopes, color=MODEL_COLOR, linewidth=2, linestyle="--", label=slope_label, zorder=3)
    ax.legend(fontsize=TICK_SIZE)
    return fig


def _lighter(color: str, amount: float = 0.72) -> str:
    """`color` mixed with white (a region's fill, pale enough for the points on it to stand out)."""
    channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 - c) * amount) for c in channels]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def plot_class_regions(
    model: Callable[[list[float]], Any],
    X: Sequence[Sequence[Any]],
    y: Sequence[int],
    *,
    steps: int = 40,
    margin: float = 0.1,
    title: str | None = None,
    xlabel: str = "x₁",
    ylabel: str = "x₂",
    figsize: tuple[float, float] = FIGSIZE,
) -> Any:
    """A many-class classifier's decision regions: each grid point coloured by its highest-scoring class.

    Args:
        model: Takes a point `[x1, x2]`, returns one score per class (Values
            or numbers), e.g. an `MLP(2, [..., n_classes])`.
        X: Points, each a pair of numbers.
        y: Class of each point, ints from 0; class k gets the k-th class colour.
        steps: Grid points per axis (`steps`² forward passes).
        margin: Space around the data, as a fraction of its extent.
        title: Optional title.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        figsize: Size in inches.

    Returns:
        A matplotlib Figure: a pale region per class, then one scatter per class.

    Raises:
        TypeError: `model` is not callable or does not return a list of scores.
        ValueError: Labels that are not ints from 0, more classes than colours,
            a model with fewer outputs than classes, or bad data (as `plot_dataset`).

    Examples:
        >>> from micrograd.viz import plot_class_regions
        >>> nearest = lambda p: [-abs(p[0]), -abs(p[0] - 1), -abs(p[0] - 2)]
        >>> fig = plot_class_regions(nearest, [[0, 0], [1, 1], [2, 0]], [0, 1, 2], steps=9)
        >>> len(fig.axes[0].collections)  # the regions, then one scatter per class
        4
    """
    if not callable(model):
        raise TypeError(f"model must be callable, got {type(model).__name__}")
    points, labels = _points_and_labels(X, y)
    if not all(label.is_integer() and label >= 0 for label in labels):
        raise ValueError("class labels must be ints from 0 (class k is the model's output k)")
    n_classes = int(max(labels)) + 1
    if n_classes > len(CLASS_COLORS):
        raise ValueError(f"at most {len(CLASS_COLORS)} classes can be told apart, got {n_classes}")
    grid_x, grid_y = _data_grid(points, _margin(margin), _steps(steps))
    winners = [[_best_class(model, [gx, gy], n_classes) for gx in grid_x] for gy in grid_y]
    fig, ax = _new_figure(title, xlabel, ylabel, figsize)
    fills = [_lighter(color) for color in CLASS_COLORS[:n_classes]]
    ax.contourf(grid_x, grid_y, winners, levels=[k - 0.5 for k in range(n_classes + 1)], colors=fills)
    _scatter_classes(ax, points, labels)
    return fig


def _best_class(model: Callable[[list[float]], Any], point: list[float], n_classes: int) -> int:
    scores = model(point)
    if not isinstance(scores, (list, tuple)):
        raise TypeError(f"the model must return one score per class (a list), got {type(scores).__name__}")
    if len(scores) < n_classes:
        raise ValueError(f"the model returns {len(scores)} scores, but the labels name {n_classes} classes")
    data = [_number(s, "each score") for s in scores]
    return max(range(len(data)), key=data.__getitem__)


def plot_confusion_matrix(
    matrix: Sequence[Sequence[int]],
    *,
    class_names: Sequence[str] | None = None,
    title: str | None = None,
    figsize: tuple[float, float] = (4.8, 4.0),
) -> Any:
    """A confusion matrix as a grid of counts, darker for more: true class down, predicted across.

    Args:
        matrix: Counts `matrix[true][predicted]`, e.g. from `metrics.confusion_matrix`.
        class_names: A name per class (default "0", "1", ...).
        title: Optional title.
        figsize: Size in inches.

    Returns:
        A matplotlib Figure with one labelled cell per count.

    Raises:
        ValueError: The matrix is not square, is empty, holds a negative
            count, or the names do not match it.
        TypeError: A count is not an int.

    Examples:
        >>> from micrograd.viz import plot_confusion_matrix
        >>> fig = plot_confusion_matrix([[5, 1], [0, 4]], class_names=["cat", "dog"])
        >>> [t.get_text() for t in fig.axes[0].texts]
        ['5', '1', '0', '4']
    """
    rows = [list(row) for row in matrix]
    n = len(rows)
    if not n or any(len(row) != n for row in rows):
        raise ValueError(f"the matrix must be square and non-empty, got rows of lengths {[len(r) for r in rows]}")
    for row in rows:
        for c in row:
            if not is_int(c):
                raise TypeError(f"counts must be ints, got {type(c).__name__}: {c!r}")
            if c < 0:
                raise ValueError(f"counts must be >= 0, got {c!r}")
    names = [str(k) for k in range(n)] if class_names is None else [str(name) for name in class_names]
    if len(names) != n:
        raise ValueError(f"need one class name per row: {n} rows, {len(names)} names")
    fig, ax = _new_figure(title, "predicted class", "true class", figsize)
    ax.grid(False)
    largest = max(max(row) for row in rows) or 1
    ax.imshow(rows, cmap="Blues", vmin=0, vmax=largest)
    for i, row in enumerate(rows):
        for j, c in enumerate(row):
            dark = c > 0.55 * largest  # white text on the darkest cells
            ax.text(j, i, str(c), ha="center", va="center", fontsize=LABEL_SIZE,
                    color="white" if dark else "#1f2937")
    ax.set_xticks(range(n), names)
    ax.set_yticks(range(n), names)
    ax.xaxis.set_label_position("top")
    ax.xaxis.tick_top()
    return fig


PATH_COLORS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
# Each path is thinned to at most this many points: a line of thousands of points bloats the SVG
# while looking the same; the first and last points are always kept.
MAX_PATH_POINTS = 400


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    if len(points) <= MAX_PATH_POINTS:
        return points
    stride = math.ceil(len(points) / MAX_PATH_POINTS)
    return points[::stride] + ([points[-1]] if (len(points) - 1) % stride else [])


def plot_trajectories(
    f: Callable[[float, float], Any],
    paths: Mapping[str, Sequence[Sequence[Any]]],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    *,
    minimum: tuple[float, float] | None = None,
    steps: int = 120,
    levels: int = 14,
    legend_loc: str = "best",
    title: str | None = None,
    xlabel: str = "x",
    ylabel: str = "y",
    figsize: tuple[float, float] = FIGSIZE,
) -> Any:
    """Paths of optimizers over the contour lines of a function of two variables.

    Contour lines are spaced evenly in `log(1 + f - min f)` over the drawn
    region, so both a steep wall and a nearly flat valley floor get lines.
    Each path starts at a dot and ends at a cross; where paths overlap, the
    earlier ones are drawn wider, so they show at the edges of the later ones.

    Args:
        f: Takes `(x, y)` floats, returns a number or a Value.
        paths: Name -> the points `(x, y)` visited, first to last; each gets a
            colour, a dot at its start and a legend entry. Paths longer than
            400 points are thinned evenly (first and last kept).
        x_range: `(x_min, x_max)` of the drawn region.
        y_range: `(y_min, y_max)` of the drawn region.
        minimum: Where to draw a star (the function's minimum), if given.
        steps: Grid points per axis for the contours.
        levels: Number of contour lines.
        legend_loc: Where the legend goes, as matplotlib's `loc` (e.g. "lower right").
        title: Optional title.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        figsize: Size in inches.

    Returns:
        A matplotlib Figure: contour lines, then one line per path.

    Raises:
        TypeError: `f` is not callable, or a coordinate or value is not a number.
        ValueError: An empty range, an empty path, or `steps`/`levels` too small.

    Examples:
        >>> from micrograd.viz import plot_trajectories
        >>> bowl = lambda x, y: x * x + 4 * y * y
        >>> fig = plot_trajectories(bowl, {"descent": [(1, 1), (0.8, 0.2), (0.6, 0.04)]}, (-1, 1.2), (-1, 1.2))
        >>> [line.get_label() for line in fig.axes[0].lines][:1]
        ['descent']
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    if not paths:
        raise ValueError("paths is empty; give at least one path")
    if len(paths) > len(PATH_COLORS):
        raise ValueError(f"at most {len(PATH_COLORS)} paths can be told apart, got {len(paths)}")
    ranges = []
    for name, (lo, hi) in (("x_range", x_range), ("y_range", y_range)):
        lo, hi = _finite(lo, name), _finite(hi, name)
        if not lo < hi:
            raise ValueError(f"{name} must be (low, high) with low < high, got {(lo, hi)!r}")
        ranges.append((lo, hi))
    grid_x, grid_y = (_grid(lo, hi, _steps(steps)) for lo, hi in ranges)
    heights = [[_finite(f(gx, gy), "f(x, y)") for gx in grid_x] for gy in grid_y]
    lowest = min(min(row) for row in heights)
    shaped = [[math.log1p(h - lowest) for h in row] for row in heights]
    top = max(max(row) for row in shaped)
    count = _steps(levels, minimum=2)
    fig, ax = _new_figure(title, xlabel, ylabel, figsize)
    ax.contour(grid_x, grid_y, shaped, levels=[top * (i + 0.5) / count for i in range(count)],
               colors="#9ca3af", linewidths=0.8)
    for i, ((name, path), color) in enumerate(zip(paths.items(), PATH_COLORS, strict=False)):  # fewer paths
        points = [(_finite(p[0], "each x"), _finite(p[1], "each y")) for p in path]
        if not points:
            raise ValueError(f"path {name!r} is empty")
        points = _thin(points)
        width = 1.4 + 1.4 * (len(paths) - 1 - i)
        ax.plot([p[0] for p in points], [p[1] for p in points], color=color, linewidth=width, label=name, zorder=3)
        ax.plot(*points[0], marker="o", color=color, markersize=6, zorder=4)
        ax.plot(*points[-1], marker="X", color=color, markersize=9, markeredgecolor="white", zorder=4)
    if minimum is not None:
        ax.plot(_finite(minimum[0], "minimum"), _finite(minimum[1], "minimum"), marker="*", color="black",
                markersize=14, linestyle="none", label="minimum", zorder=5)
    ax.set_xlim(*ranges[0])
    ax.set_ylim(*ranges[1])
    ax.legend(fontsize=TICK_SIZE, loc=legend_loc)
    return fig


def plot_fits(
    train: tuple[Sequence[Any], Sequence[Any]],
    validation: tuple[Sequence[Any], Sequence[Any]],
    models: Mapping[str, Callable[[float], Any]],
    *,
    steps: int = 200,
    title: str | None = None,
    xlabel: str = "x",
    ylabel: str = "y",
    figsize: tuple[float, float] = FIGSIZE,
) -> Any:
    """Training points (filled), validation points (hollow) and one curve per model.

    Args:
        train: `(xs, ys)` the models were trained on.
        validation: `(xs, ys)` held out.
        models: Name -> a callable taking a float (an `MLP(1, ...)` in evaluation mode does),
            evaluated on `steps` points spanning all the data.
        steps: Points per curve.
        title: Optional title.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        figsize: Size in inches.

    Returns:
        A matplotlib Figure: two scatters, then one curve per model.

    Raises:
        TypeError: An entry or a model's output is not a number.
        ValueError: Empty or mismatched data, or no model.

    Examples:
        >>> from micrograd.viz import plot_fits
        >>> fig = plot_fits(([0, 1, 2], [0, 1, 2]), ([0.5], [0.4]), {"y = x": lambda x: x})
        >>> ax = fig.axes[0]
        >>> len(ax.collections), len(ax.lines)
        (2, 1)
    """
    if not models:
        raise ValueError("models is empty; give at least one model")
    parts = []
    for name, (xs, ys) in (("train", train), ("validation", validation)):
        x_data, y_data = [_finite(x, "each x") for x in xs], [_number(y, "each y") for y in ys]
        if not x_data or len(x_data) != len(y_data):
            sizes = f"{len(x_data)} and {len(y_data)}"
            raise ValueError(f"{name} xs and ys must be non-empty and of equal length, got {sizes}")
        parts.append((x_data, y_data))
    every_x = parts[0][0] + parts[1][0]
    curve_x = _grid(min(every_x), max(every_x), _steps(steps))
    fig, ax = _new_figure(title, xlabel, ylabel, figsize)
    ax.scatter(*parts[0], color=DATA_COLOR, s=28, label="training data", zorder=2)
    ax.scatter(*parts[1], facecolors="white", edgecolors=DATA_COLOR, linewidths=1.5, s=28,
               label="validation data", zorder=2)
    for (name, model), color in zip(models.items(), (MODEL_COLOR, *PATH_COLORS[2:]), strict=False):
        ax.plot(curve_x, [_output(model, x, "the model's output") for x in curve_x],
                color=color, linewidth=2, label=name, zorder=3)
    ax.legend(fontsize=TICK_SIZE)
    return fig
