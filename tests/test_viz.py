"""Tests for micrograd.viz: graph drawings, SVG export and the matplotlib helpers."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
import sysconfig
import textwrap

import pytest

from micrograd.engine import Value, topological_order
from micrograd.nn import MLP
from micrograd.viz import (
    GraphvizNotFoundError,
    configure_graphviz,
    draw_dot,
    plot_activation,
    plot_class_regions,
    plot_confusion_matrix,
    plot_dataset,
    plot_decision_boundary,
    plot_fit,
    plot_function,
    plot_losses,
    to_svg,
)

# matplotlib and graphviz come with the [viz] extra; without them this module is skipped.
graphviz = pytest.importorskip("graphviz")
dot_command = pytest.importorskip("graphviz.backend.dot_command")
matplotlib_figure = pytest.importorskip("matplotlib.figure")

EDGE = re.compile(r"^(\w+) -> (\w+)(?: \[label=(\w+)\])?$")
NODE = re.compile(r"^(\w+) \[label=(\"(?:[^\"\\]|\\.)*\"|\S+) ")


def structure(dot: graphviz.Digraph) -> tuple[dict[str, str], list[tuple[str, str, str | None]]]:
    """The graph's nodes (name -> label) and edges (tail, head, label), read from its DOT source."""
    nodes, edges = {}, []
    for line in dot.body:
        line = line.strip()
        if edge := EDGE.match(line):
            edges.append(edge.groups())
        elif node := NODE.match(line):
            nodes[node[1]] = node[2].strip('"')
    return nodes, edges


def small_graph() -> Value:
    """d = a*b + a: a is used twice, in different nodes."""
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = c + a
    d.label = "d"
    d.backward()
    return d


@pytest.fixture
def fallback_only(tmp_path, monkeypatch):
    """No `dot` anywhere on PATH and graphviz left at its default: the graphviz-pure fallback must kick in."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(dot_command, "DOT_BINARY", pathlib.Path("dot"))
    return tmp_path


# --- draw_dot: structure ---------------------------------------------------------------------

def test_small_graph_has_one_box_per_value_one_oval_per_operation_and_every_edge():
    nodes, edges = structure(draw_dot(small_graph()))
    assert nodes == {
        "v0": "{ a | data 2.0000 | grad -2.0000 }",
        "v1": "{ b | data -3.0000 | grad 2.0000 }",
        "v2": "{ c | data -6.0000 | grad 1.0000 }",
        "op2": "*",
        "v3": "{ d | data -4.0000 | grad 1.0000 }",
        "op3": "+",
    }
    assert sorted(edges) == sorted([
        ("v0", "op2", None), ("v1", "op2", None), ("op2", "v2", None),
        ("v2", "op3", None), ("v0", "op3", None), ("op3", "v3", None),
    ])


def test_names_follow_topological_order_not_object_ids():
    root = small_graph()
    order = topological_order(root)
    nodes, _ = structure(draw_dot(root))
    for i, value in enumerate(order):
        assert f"data {value.data:.4f}" in nodes[f"v{i}"]
    # Two separately built copies of a graph (different ids) give the same source.
    assert draw_dot(small_graph()).source == draw_dot(small_graph()).source


def test_child_used_twice_gets_two_edges():
    a = Value(3.0, label="a")
    b = a + a
    _, edges = structure(draw_dot(b))
    assert edges.count(("v0", "op1", None)) == 2
    assert len(edges) == 3


def test_empty_label_is_left_out_and_fields_turn_with_the_layout():
    y = Value(1.5) * 2
    # braces flip a record's fields across the rank direction: side by side
    # in LR, stacked (narrow) in TB
    nodes, _ = structure(draw_dot(y, rankdir="TB"))
    assert nodes["v0"] == "{ data 1.5000 | grad 0.0000 }"
    assert nodes["v2"] == "{ data 3.0000 | grad 0.0000 }"


def test_arrows_into_order_sensitive_operations_are_labelled():
    base, exponent = Value(2.0, label="base"), Value(3.0, label="k")
    _, edges = structure(draw_dot(base**exponent))
    assert ("v0", "op2", "base") in edges and ("v1", "op2", "exponent") in edges

    w = [Value(0.5), Value(-1.0)]
    x = [Value(1.0), Value(2.0)]
    s = Value.weighted_sum(w, x, Value(0.1))
    nodes, edges = structure(draw_dot(s))
    op = next(name for name, label in nodes.items() if label == "wx+b")
    assert sorted(label for _, head, label in edges if head == op) == ["b", "w0", "w1", "x0", "x1"]


def test_record_special_characters_in_labels_are_shown_literally():
    odd = Value(1.0, label='a|b{c}<d>"e\\')
    svg = to_svg(draw_dot(odd))
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert texts == ["a|b{c}&lt;d&gt;&quot;e\\", "data 1.0000", "grad 0.0000"]


def test_graph_has_white_background_and_a_known_font():
    source = draw_dot(small_graph()).source
    assert "bgcolor=white" in source
    assert "fontname=Helvetica" in source


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"rankdir": "RL"}, ValueError),
        ({"rankdir": "lr"}, ValueError),
        ({"format": "svgz2"}, ValueError),
    ],
)
def test_draw_dot_rejects_bad_options(kwargs, error):
    with pytest.raises(error, match="rankdir|format"):
        draw_dot(Value(1.0), **kwargs)


def test_draw_dot_rejects_a_non_value():
    with pytest.raises(TypeError, match="float"):
        draw_dot(1.0)


def test_format_is_kept_for_rendering():
    assert draw_dot(Value(1.0), format="png").format == "png"


# --- finding a Graphviz program ----------------------------------------------------------------

def test_without_dot_rendering_falls_back_to_graphviz_pure(fallback_only):
    svg = to_svg(draw_dot(small_graph()))
    used = dot_command.DOT_BINARY
    assert used.name.startswith("graphviz-pure")
    # PATH holds nothing but an empty folder, so it came from the interpreter's scripts folder.
    assert used.parent == pathlib.Path(sysconfig.get_path("scripts"))
    assert svg.startswith("<svg") and "data &#45;4.0000" in svg  # graphviz writes "-" as &#45;


def test_a_system_dot_is_preferred(fallback_only):
    fake_dot = fallback_only / "dot"
    fake_dot.write_text("#!/bin/sh\nexit 0\n")
    fake_dot.chmod(0o755)
    assert configure_graphviz() == "dot"
    assert dot_command.DOT_BINARY == pathlib.Path("dot")


def test_neither_program_gives_an_error_naming_both_fixes(fallback_only, monkeypatch):
    monkeypatch.setattr(sysconfig, "get_path", lambda name: str(fallback_only))
    with pytest.raises(GraphvizNotFoundError) as caught:
        draw_dot(Value(1.0))
    message = str(caught.value)
    assert "apt-get install graphviz" in message and "pip install graphviz-pure" in message


# --- to_svg --------------------------------------------------------------------------------

def assert_embeddable(svg: str) -> None:
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<!--" not in svg
    assert all(line.strip() for line in svg.split("\n")), "a blank line would end the HTML block in Markdown"
    opening = svg[: svg.index(">")]
    assert all(f'{attribute}="' in opening for attribute in ("width", "height", "viewBox"))


def test_graph_svg_is_embeddable_and_repeatable():
    svg = to_svg(draw_dot(small_graph()))
    assert_embeddable(svg)
    assert svg == to_svg(draw_dot(small_graph()))


def test_figure_svg_is_embeddable_repeatable_and_white():
    def figure():
        return plot_losses([3.0, 2.0, 1.5], title="loss")

    svg = to_svg(figure())
    assert_embeddable(svg)
    assert svg == to_svg(figure())
    assert "fill: #ffffff" in svg


def test_a_pyplot_figure_is_closed_after_export():
    import matplotlib

    matplotlib.use("Agg")  # never a window
    import matplotlib.pyplot as plt

    fig = plt.figure()
    fig.add_subplot().plot([0, 1], [1, 0])
    to_svg(fig)
    assert not plt.fignum_exists(fig.number)


def test_to_svg_rejects_other_objects():
    with pytest.raises(TypeError, match="str"):
        to_svg("<svg></svg>")


# Builds one graph and one figure, prints both SVGs; run in fresh processes with different hash seeds.
RENDER_BOTH = textwrap.dedent(
    """
    import sys
    from micrograd.engine import Value
    from micrograd.nn import MLP
    from micrograd.viz import draw_dot, plot_decision_boundary, to_svg

    model = MLP(2, [3, 1], rng=7, fused=False)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    graph_svg = to_svg(draw_dot(loss))
    figure_svg = to_svg(plot_decision_boundary(model, [[0, 0], [1, 1], [0, 1]], [-1, 1, 1], steps=6))
    assert "matplotlib.pyplot" not in sys.modules  # the helpers never touch pyplot
    sys.stdout.write(graph_svg + "\\n=====\\n" + figure_svg)
    """
)


def start_python(code: str, hash_seed: str = "0") -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def finish(process: subprocess.Popen) -> subprocess.CompletedProcess:
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def run_python(code: str) -> subprocess.CompletedProcess:
    return finish(start_python(code))


def test_svg_is_byte_identical_across_processes():
    running = [start_python(RENDER_BOTH, "1"), start_python(RENDER_BOTH, "2")]  # side by side: faster
    first, second = (finish(process) for process in running)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert first.stdout == second.stdout
    graph_svg, figure_svg = first.stdout.split("\n=====\n")
    assert graph_svg.startswith("<svg") and figure_svg.startswith("<svg")
    assert first.stderr == "", "rendering should not print warnings"


# --- optional dependencies ------------------------------------------------------------------

def test_micrograd_imports_without_the_drawing_libraries():
    code = textwrap.dedent(
        """
        import sys
        import micrograd, micrograd.viz
        from micrograd.engine import Value
        loaded = sorted(m for m in ("graphviz", "matplotlib", "numpy") if m in sys.modules)
        assert not loaded, f"imported eagerly: {loaded}"
        for name in ("graphviz", "matplotlib"):
            sys.modules[name] = None  # any later import of them now fails, as if not installed
        for draw in (lambda: micrograd.viz.draw_dot(Value(1.0)), lambda: micrograd.viz.plot_losses([1.0])):
            try:
                draw()
            except ImportError as error:
                assert 'pip install "micrograd-literate[viz]"' in str(error), error
            else:
                raise AssertionError("drawing worked without its libraries")
        try:
            micrograd.viz.to_svg(object())
        except TypeError:
            pass
        print("ok")
        """
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"


# --- plot helpers ---------------------------------------------------------------------------

def test_plot_function_samples_f_over_the_range():
    fig = plot_function(lambda x: 3 * x**2 - 4 * x + 5, -5, 5, steps=11, title="f")
    assert isinstance(fig, matplotlib_figure.Figure)
    (ax,) = fig.axes
    (line,) = ax.lines
    assert list(line.get_xdata()) == [float(x) for x in range(-5, 6)]
    assert list(line.get_ydata()) == [3 * x**2 - 4 * x + 5 for x in range(-5, 6)]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("f", "x", "f(x)")
    assert fig.get_facecolor() == (1.0, 1.0, 1.0, 1.0)


def test_plot_function_accepts_a_function_returning_values():
    fig = plot_function(lambda x: Value(x).tanh(), -3, 3, steps=7)
    ys = fig.axes[0].lines[0].get_ydata()
    assert ys[3] == 0.0 and -1 < ys[0] < ys[-1] < 1


def test_plot_losses_one_run_or_several():
    single = plot_losses([Value(2.0), Value(1.0), 0.5]).axes[0]
    assert len(single.lines) == 1 and single.get_legend() is None
    assert list(single.lines[0].get_xdata()) == [0, 1, 2]
    assert list(single.lines[0].get_ydata()) == [2.0, 1.0, 0.5]

    runs = {"lr 0.1": [1.0, 0.1], "lr 0.01": [1.0, 0.9, 0.8]}
    ax = plot_losses(runs, log_scale=True).axes[0]
    assert [line.get_label() for line in ax.lines] == list(runs)
    assert [text.get_text() for text in ax.get_legend().get_texts()] == list(runs)
    assert ax.get_yscale() == "log"


def test_plot_fit_with_predictions_draws_them_left_to_right():
    ax = plot_fit([2.0, 0.0, 1.0], [4.0, 0.0, 1.0], [3.9, 0.2, 1.1]).axes[0]
    (dots,) = ax.collections
    assert len(dots.get_offsets()) == 3
    assert list(ax.lines[0].get_xdata()) == [0.0, 1.0, 2.0]
    assert list(ax.lines[0].get_ydata()) == [0.2, 1.1, 3.9]


def test_plot_fit_with_a_model_evaluates_it_on_a_fine_grid():
    model = MLP(1, [4, 1], rng=3)
    ax = plot_fit([-1.0, 0.0, 1.0], [0.0, 0.5, 1.0], model, steps=25).axes[0]
    (curve,) = ax.lines
    xs, ys = curve.get_xdata(), curve.get_ydata()
    assert len(xs) == 25 and xs[0] == -1.0 and xs[-1] == 1.0
    assert list(ys) == [model(x).data for x in xs]


def test_plot_dataset_colours_points_by_label():
    ax = plot_dataset([[0, 0], [1, 1], [1, 0], [2, 2]], [1, -1, 1, 1]).axes[0]
    assert [len(c.get_offsets()) for c in ax.collections] == [1, 3]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["y = -1", "y = 1"]


def test_plot_decision_boundary_runs_the_model_once_per_grid_point():
    calls = []

    def score(point):
        calls.append(point)
        return Value(point[0] - 0.5)

    X, y = [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]], [-1, 1, -1]
    ax = plot_decision_boundary(score, X, y, steps=8, margin=0.0).axes[0]
    assert len(calls) == 64
    assert min(p[0] for p in calls) == 0.0 and max(p[1] for p in calls) == 1.0  # margin 0: just the data
    regions, *classes = ax.collections
    below, above = regions.get_paths()  # one band per side of the threshold
    assert len(below.vertices) and len(above.vertices)
    assert [len(c.get_offsets()) for c in classes] == [2, 1]


def test_plot_decision_boundary_threshold_moves_the_boundary():
    X, y = [[0.0, 0.0], [1.0, 1.0]], [0, 1]
    always_07 = lambda point: 0.7  # noqa: E731
    below, above = plot_decision_boundary(always_07, X, y, steps=4, threshold=0.5).axes[0].collections[0].get_paths()
    assert len(below.vertices) == 0 and len(above.vertices) > 0
    below, above = plot_decision_boundary(always_07, X, y, steps=4, threshold=0.9).axes[0].collections[0].get_paths()
    assert len(below.vertices) > 0 and len(above.vertices) == 0


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: plot_function(abs, 1, 1), ValueError, "x_min"),
        (lambda: plot_function(abs, 0, float("inf")), ValueError, "finite"),
        (lambda: plot_function(abs, 0, 1, steps=1), ValueError, "steps"),
        (lambda: plot_function("abs", 0, 1), TypeError, "callable"),
        (lambda: plot_function(lambda x: "y", 0, 1), TypeError, "f\\(x\\)"),
        (lambda: plot_losses([]), ValueError, "empty"),
        (lambda: plot_losses({}), ValueError, "empty"),
        (lambda: plot_losses({"run": []}), ValueError, "run"),
        (lambda: plot_losses([1.0, 0.0], log_scale=True), ValueError, "positive"),
        (lambda: plot_losses([1.0, None]), TypeError, "loss"),
        (lambda: plot_fit([1.0, 2.0], [1.0], [1.0, 2.0]), ValueError, "equal length"),
        (lambda: plot_fit([1.0, 2.0], [1.0, 2.0], [1.0]), ValueError, "one prediction"),
        (lambda: plot_fit([1.0], [1.0], lambda x: [1.0, 2.0]), TypeError, "model"),
        (lambda: plot_dataset([[0, 0, 0]], [1]), ValueError, "2 coordinates"),
        (lambda: plot_dataset([[0, 0]], [True]), TypeError, "label"),
        (lambda: plot_dataset([[i, i] for i in range(7)], list(range(7))), ValueError, "classes"),
        (lambda: plot_decision_boundary(None, [[0, 0]], [1]), TypeError, "callable"),
        (lambda: plot_decision_boundary(abs, [[0, 0]], [1], margin=-1.0), ValueError, "margin"),
        (lambda: plot_decision_boundary(abs, [[0, 0]], [1], steps=2.5), ValueError, "steps"),
    ],
)
def test_plot_helpers_reject_bad_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()


# --- activations, class regions, confusion matrix ---------------------------------------------

def test_plot_activation_draws_the_function_and_the_slope_backward_found():
    from micrograd.activations import leaky_relu

    ax = plot_activation(leaky_relu, -1.0, 1.0, steps=5).axes[0]
    curve, slope = ax.lines
    assert curve.get_ydata().tolist() == [-0.01, -0.005, 0.0, 0.5, 1.0]
    assert slope.get_ydata().tolist() == [0.01, 0.01, 0.01, 1.0, 1.0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["f(x)", "f\u2032(x), by backward()"]


def test_plot_class_regions_colours_each_grid_point_by_its_best_class():
    calls = []

    def nearest_column(point):
        calls.append(point)
        return [-abs(point[0]), Value(-abs(point[0] - 1.0)), -abs(point[0] - 2.0)]

    X, y = [[0.0, 0.0], [1.0, 1.0], [2.0, 0.0], [2.0, 1.0]], [0, 1, 2, 2]
    ax = plot_class_regions(nearest_column, X, y, steps=7, margin=0.0).axes[0]
    assert len(calls) == 49
    regions, *classes = ax.collections
    assert all(len(path.vertices) for path in regions.get_paths())  # every class owns a region
    assert [len(c.get_offsets()) for c in classes] == [1, 1, 2]


def test_plot_confusion_matrix_labels_every_cell():
    fig = plot_confusion_matrix([[3, 0, 1], [0, 5, 0], [2, 0, 4]])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["3", "0", "1", "0", "5", "0", "2", "0", "4"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: plot_activation(abs, 0, 1), TypeError, "Value"),
        (lambda: plot_activation(Value.tanh, 1, 0), ValueError, "x_min"),
        (lambda: plot_class_regions(lambda p: 1.0, [[0, 0], [1, 1]], [0, 1]), TypeError, "one score per class"),
        (lambda: plot_class_regions(lambda p: [1.0], [[0, 0], [1, 1]], [0, 1]), ValueError, "1 scores"),
        (lambda: plot_class_regions(lambda p: [1.0, 2.0], [[0, 0], [1, 1]], [0, -1]), ValueError, "ints from 0"),
        (lambda: plot_confusion_matrix([[1, 2]]), ValueError, "square"),
        (lambda: plot_confusion_matrix([[1.5]]), TypeError, "ints"),
        (lambda: plot_confusion_matrix([[-1]]), ValueError, ">= 0"),
        (lambda: plot_confusion_matrix([[1]], class_names=["a", "b"]), ValueError, "one class name"),
    ],
)
def test_new_plot_helpers_reject_bad_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()
