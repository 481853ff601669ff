"""Tests for the plots of the optimizers and regularization chapters: plot_trajectories and plot_fits."""

from __future__ import annotations

import pytest

from micrograd.engine import Value
from micrograd.viz import plot_fits, plot_trajectories, to_svg

pytest.importorskip("matplotlib.figure")


def bowl(x: float, y: float) -> float:
    return x * x + 10 * y * y


def test_trajectories_draw_contours_paths_start_dots_and_the_minimum() -> None:
    paths = {"a": [(1.0, 1.0), (0.5, 0.2), (0.1, 0.0)], "b": [(Value(-1.0), Value(0.5)), (-0.2, 0.1)]}
    ax = plot_trajectories(bowl, paths, (-1.5, 1.5), (-1.0, 1.5), minimum=(0.0, 0.0), levels=6).axes[0]
    labels = [line.get_label() for line in ax.lines]
    assert [label for label in labels if not label.startswith("_")] == ["a", "b", "minimum"]
    assert list(ax.lines[0].get_xdata()) == [1.0, 0.5, 0.1]
    assert len(ax.collections[0].get_paths()) > 0  # the contour lines
    assert ax.get_xlim() == (-1.5, 1.5)


def test_long_paths_are_thinned_keeping_both_ends() -> None:
    path = [(i / 1000, 0.0) for i in range(1001)]
    line = plot_trajectories(bowl, {"long": path}, (-0.1, 1.1), (-1.0, 1.0)).axes[0].lines[0]
    xs = list(line.get_xdata())
    assert len(xs) <= 400 and xs[0] == 0.0 and xs[-1] == 1.0


def test_trajectories_svg_renders() -> None:
    svg = to_svg(plot_trajectories(bowl, {"p": [(1, 1), (0, 0)]}, (-1, 1.2), (-1, 1.2)))
    assert svg.startswith("<svg")


def test_fits_draw_filled_training_and_hollow_validation_points() -> None:
    fig = plot_fits(([0.0, 1.0], [0.0, 1.0]), ([0.5, 2.0], [0.6, 1.8]),
                    {"line": lambda x: x, "as a Value": lambda x: Value(2 * x)}, steps=5)
    ax = fig.axes[0]
    train, validation = ax.collections
    assert train.get_label() == "training data" and validation.get_label() == "validation data"
    assert [line.get_label() for line in ax.lines] == ["line", "as a Value"]
    assert list(ax.lines[0].get_xdata()) == [0.0, 0.5, 1.0, 1.5, 2.0]  # spans both sets
    assert list(ax.lines[1].get_ydata()) == [0.0, 1.0, 2.0, 3.0, 4.0]


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: plot_trajectories("f", {"p": [(0, 0)]}, (0, 1), (0, 1)), TypeError, "callable"),
        (lambda: plot_trajectories(bowl, {}, (0, 1), (0, 1)), ValueError, "paths is empty"),
        (lambda: plot_trajectories(bowl, {"p": []}, (0, 1), (0, 1)), ValueError, "'p' is empty"),
        (lambda: plot_trajectories(bowl, {"p": [(0, 0)]}, (1, 0), (0, 1)), ValueError, "x_range"),
        (lambda: plot_trajectories(bowl, {str(i): [(0, 0)] for i in range(9)}, (0, 1), (0, 1)), ValueError, "at most"),
        (lambda: plot_trajectories(bowl, {"p": [(0, "y")]}, (0, 1), (0, 1)), TypeError, "each y"),
        (lambda: plot_trajectories(bowl, {"p": [(0, 0)]}, (0, 1), (0, 1), levels=1), ValueError, "2"),
        (lambda: plot_fits(([], []), ([1.0], [1.0]), {"m": abs}), ValueError, "train"),
        (lambda: plot_fits(([1.0], [1.0]), ([1.0], []), {"m": abs}), ValueError, "validation"),
        (lambda: plot_fits(([1.0], [1.0]), ([2.0], [1.0]), {}), ValueError, "models is empty"),
        (lambda: plot_fits(([1.0], [1.0]), ([2.0], [1.0]), {"m": lambda x: "y"}), TypeError, "output"),
    ],
)
def test_bad_arguments_are_refused(make, error, match) -> None:
    with pytest.raises(error, match=match):
        make()
