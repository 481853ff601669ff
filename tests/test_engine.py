"""Tests of the autograd engine: every operation's value and gradient, against hand-derived numbers."""

from __future__ import annotations

import gc
import math
import subprocess
import sys
import textwrap
from typing import Callable

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from micrograd.engine import Value, topological_order
from micrograd.gradcheck import gradcheck

LN2 = math.log(2.0)


def exact(expected: float) -> object:
    """Equality up to the last couple of bits (hand formulas round differently from the engine)."""
    return pytest.approx(expected, rel=1e-12, abs=1e-15)


# --- single operations -------------------------------------------------------

# (name, leaf values, expression, expected output, expected leaf gradients)
BINARY_CASES: list[tuple[str, tuple[float, ...], Callable[..., Value], float, tuple[float, ...]]] = [
    ("add", (3.0, -2.0), lambda a, b: a + b, 1.0, (1.0, 1.0)),
    ("sub", (3.0, -2.0), lambda a, b: a - b, 5.0, (1.0, -1.0)),
    ("mul", (3.0, -2.0), lambda a, b: a * b, -6.0, (-2.0, 3.0)),
    ("div", (3.0, -2.0), lambda a, b: a / b, -1.5, (-0.5, -3.0 / 4.0)),  # d(a/b)/db = -a/b²
    ("value exponent", (2.0, 3.0), lambda a, k: a**k, 8.0, (12.0, 8.0 * LN2)),  # d/dk a^k = a^k ln a
    ("fractional value exponent", (4.0, 0.5), lambda a, k: a**k, 2.0, (0.25, 2.0 * math.log(4.0))),
    ("same node twice", (3.0, 3.0), lambda a, _: a * a, 9.0, (6.0, 0.0)),
]

UNARY_CASES: list[tuple[str, float, Callable[[Value], Value], float, float]] = [
    ("neg", 3.0, lambda v: -v, -3.0, -1.0),
    ("square, int exponent", 3.0, lambda v: v**2, 9.0, 6.0),
    ("cube", -2.0, lambda v: v**3, -8.0, 12.0),
    ("float exponent", 3.0, lambda v: v**2.0, 9.0, 6.0),
    ("zero exponent", 3.0, lambda v: v**0, 1.0, 0.0),
    ("negative exponent", 3.0, lambda v: v**-1, 1.0 / 3.0, -1.0 / 9.0),
    ("negative exponent, negative base", -2.0, lambda v: v**-2, 0.25, 0.25),  # -2 x^-3 at -2
    ("square root", 3.0, lambda v: v**0.5, math.sqrt(3.0), 0.5 / math.sqrt(3.0)),
    ("negative fractional exponent", 4.0, lambda v: v**-1.5, 0.125, -1.5 / 32.0),  # -1.5 x^-2.5
    ("right add", 3.0, lambda v: 2 + v, 5.0, 1.0),
    ("left add of a float", 3.0, lambda v: v + 2.5, 5.5, 1.0),
    ("right mul", 3.0, lambda v: 2 * v, 6.0, 2.0),
    ("left mul of a float", 3.0, lambda v: v * 0.5, 1.5, 0.5),
    ("right sub", 3.0, lambda v: 1 - v, -2.0, -1.0),
    ("left sub", 3.0, lambda v: v - 1, 2.0, 1.0),
    ("right div", 3.0, lambda v: 1 / v, 1.0 / 3.0, -1.0 / 9.0),
    ("left div", 3.0, lambda v: v / 2, 1.5, 0.5),
    ("right pow", 3.0, lambda v: 2**v, 8.0, 8.0 * LN2),
    ("right pow, float base", 2.0, lambda v: 0.5**v, 0.25, 0.25 * math.log(0.5)),
    ("tanh", 0.5, Value.tanh, math.tanh(0.5), 1.0 - math.tanh(0.5) ** 2),
    ("tanh, negative", -1.2, Value.tanh, math.tanh(-1.2), 1.0 - math.tanh(-1.2) ** 2),
    ("exp", 1.5, Value.exp, math.exp(1.5), math.exp(1.5)),
    ("log", 2.0, Value.log, LN2, 0.5),
    ("relu, positive", 3.0, Value.relu, 3.0, 1.0),
    ("relu, negative", -2.0, Value.relu, 0.0, 0.0),
    ("relu at zero", 0.0, Value.relu, 0.0, 0.0),  # the subgradient PyTorch uses too
    ("sigmoid", 0.7, Value.sigmoid, 1 / (1 + math.exp(-0.7)), math.exp(-0.7) / (1 + math.exp(-0.7)) ** 2),
    ("sigmoid, negative", -0.7, Value.sigmoid, 1 / (1 + math.exp(0.7)), math.exp(0.7) / (1 + math.exp(0.7)) ** 2),
    ("sigmoid at zero", 0.0, Value.sigmoid, 0.5, 0.25),
]


@pytest.mark.parametrize(("name", "leaves", "build", "value", "grads"), BINARY_CASES, ids=[c[0] for c in BINARY_CASES])
def test_binary_operation_value_and_gradients(
    name: str, leaves: tuple[float, ...], build: Callable[..., Value], value: float, grads: tuple[float, ...]
) -> None:
    nodes = [Value(v) for v in leaves]
    out = build(*nodes)
    out.backward()
    assert out.data == exact(value)
    assert [n.grad for n in nodes] == [exact(g) for g in grads]


@pytest.mark.parametrize(("name", "x", "build", "value", "grad"), UNARY_CASES, ids=[c[0] for c in UNARY_CASES])
def test_unary_operation_value_and_gradient(
    name: str, x: float, build: Callable[[Value], Value], value: float, grad: float
) -> None:
    v = Value(x)
    out = build(v)
    out.backward()
    assert out.data == exact(value)
    assert v.grad == exact(grad)


def test_results_are_float_values_whatever_the_operand_types() -> None:
    v = Value(3)
    assert type(v.data) is float
    for result in (v + 1, 1 + v, v * 2, 2 * v, v - 1, 1 - v, v / 2, 2 / v, v**2, 2**v, -v):
        assert type(result) is Value
        assert type(result.data) is float


def test_value_exponent_of_zero_base_has_zero_exponent_gradient() -> None:
    # 0**k for k > 0 is flat in k (PyTorch agrees); the base slope is k * 0**(k-1).
    a, k = Value(0.0), Value(2.0)
    out = a**k
    out.backward()
    assert (out.data, a.grad, k.grad) == (0.0, 0.0, 0.0)


def test_square_root_at_zero_has_infinite_slope_not_an_error() -> None:
    v = Value(0.0)
    out = v**0.5
    out.backward()
    assert out.data == 0.0
    assert v.grad == math.inf


@pytest.mark.parametrize("x", [0.0, -2.0, 3.0])
def test_zero_power_is_flat_everywhere(x: float) -> None:
    # x**0 is the constant 1, even at 0 where the textbook slope 0 * x**-1 is 0 * inf.
    v = Value(x)
    out = v**0
    out.backward()
    assert (out.data, v.grad) == (1.0, 0.0)
    w, k = Value(x), Value(0.0)
    out = w**k
    out.backward()
    assert (out.data, w.grad) == (1.0, 0.0)


def test_relu_keeps_nan() -> None:
    assert math.isnan(Value(math.nan).relu().data)


def test_operation_names_and_children() -> None:
    a, b = Value(2.0), Value(3.0)
    assert ((a + b)._op, (a + b)._prev) == ("+", (a, b))
    assert ((a * b)._op, (a * b)._prev) == ("*", (a, b))
    assert ((a**b)._op, (a**b)._prev) == ("**", (a, b))
    assert [(a**k)._op for k in (2, 2.0, -1, 0.5, -1.5)] == ["**2", "**2", "**-1", "**0.5", "**-1.5"]
    assert [getattr(a, f)()._op for f in ("tanh", "relu", "sigmoid", "exp", "log")] == [
        "tanh",
        "ReLU",
        "sigmoid",
        "exp",
        "log",
    ]
    assert a._op == "" and a._prev == ()
    assert Value(1.0, label="x").label == "x"


# --- worked examples ------------------------------------------------------------


def test_lecture_neuron(lecture_neuron) -> None:
    x1, x2 = Value(lecture_neuron.x1), Value(lecture_neuron.x2)
    w1, w2 = Value(lecture_neuron.w1), Value(lecture_neuron.w2)
    b = Value(lecture_neuron.b)
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    o.backward()
    leaves = {"x1": x1, "x2": x2, "w1": w1, "w2": w2}
    assert o.data == pytest.approx(lecture_neuron.output, abs=1e-9)
    for name, grad in lecture_neuron.grads:
        assert leaves[name].grad == pytest.approx(grad, abs=1e-9), name


def test_lecture_neuron_with_tanh_built_from_exp(lecture_neuron) -> None:
    x1, x2 = Value(lecture_neuron.x1), Value(lecture_neuron.x2)
    w1, w2 = Value(lecture_neuron.w1), Value(lecture_neuron.w2)
    n = x1 * w1 + x2 * w2 + Value(lecture_neuron.b)
    e = (2 * n).exp()
    o = (e - 1) / (e + 1)
    o.backward()
    leaves = {"x1": x1, "x2": x2, "w1": w1, "w2": w2}
    assert o.data == pytest.approx(lecture_neuron.output, abs=1e-9)
    for name, grad in lecture_neuron.grads:
        assert leaves[name].grad == pytest.approx(grad, abs=1e-9), name


def readme_example() -> tuple[Value, Value, Value]:
    """Classic micrograd's README expression; returns (a, b, g)."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return a, b, g


def test_lecture_L_example() -> None:
    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    e = a * b
    d = e + c
    L = d * f
    L.backward()
    assert L.data == -8.0
    assert {name: v.grad for name, v in dict(a=a, b=b, c=c, d=d, e=e, f=f, L=L).items()} == {
        "a": 6.0,
        "b": -4.0,
        "c": -2.0,
        "d": -2.0,
        "e": -2.0,
        "f": 4.0,
        "L": 1.0,
    }


# --- gradient accumulation --------------------------------------------------------


def test_node_used_twice_accumulates() -> None:
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0


def test_backward_twice_doubles_every_gradient() -> None:
    _, _, g = readme_example()
    g.backward()
    nodes = topological_order(g)
    once = [n.grad for n in nodes]
    g.backward()
    assert [n.grad for n in nodes] == [2 * grad for grad in once]
    assert g.grad == 2.0


def test_backward_twice_doubles_a_leaf_reached_by_several_paths() -> None:
    # Three contributions (1, 1 and 1 - tanh²) reach x; the second call must add
    # the same total again, not add the three terms one by one onto the first total.
    x = Value(1.0)
    out = x.tanh() + (x + x)
    out.backward()
    once = x.grad
    out.backward()
    assert x.grad == 2 * once


def test_backward_of_a_leaf() -> None:
    x = Value(3.0)
    x.backward()
    assert x.grad == 1.0
    x.backward()
    assert x.grad == 2.0


def test_backward_adds_to_gradients_already_there() -> None:
    x = Value(3.0)
    x.grad = 1.5
    (x * x).backward()
    assert x.grad == 7.5


# --- bad inputs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "type_name"),
    [("3", "str"), (None, "NoneType"), (True, "bool"), ([1], "list"), ({}, "dict"), (1 + 2j, "complex")],
)
def test_value_refuses_non_numbers_naming_the_type(bad: object, type_name: str) -> None:
    with pytest.raises(TypeError, match=type_name):
        Value(bad)


@pytest.mark.parametrize(
    "operation",
    [
        lambda: Value(1) + "a",
        lambda: "a" + Value(1),
        lambda: Value(1) * None,
        lambda: None * Value(1),
        lambda: Value(1) - "a",
        lambda: "a" - Value(1),
        lambda: Value(1) / None,
        lambda: [1] / Value(1),
        lambda: Value(1) ** "2",
        lambda: "2" ** Value(1),
        lambda: Value(1) + True,
        lambda: Value(1) ** True,
        lambda: Value.sum([Value(1), "a"]),
    ],
    ids=["+str", "str+", "*None", "None*", "-str", "str-", "/None", "list/", "**str", "str**", "+bool", "**bool", "sum"],
)
def test_arithmetic_with_non_numbers_raises_type_error(operation: Callable[[], object]) -> None:
    with pytest.raises(TypeError):
        operation()


@pytest.mark.parametrize("x", [1000.0, -1000.0])
def test_tanh_and_sigmoid_saturate_without_overflow(x: float) -> None:
    v = Value(x)
    t = v.tanh()
    t.backward()
    assert (t.data, v.grad) == (math.copysign(1.0, x), 0.0)
    w = Value(x)
    s = w.sigmoid()
    s.backward()
    assert (s.data, w.grad) == (1.0 if x > 0 else 0.0, 0.0)


def test_exp_overflow_names_the_input() -> None:
    with pytest.raises(OverflowError, match="1000"):
        Value(1000).exp()


@pytest.mark.parametrize(("x", "shown"), [(0, "0"), (-1, "-1")])
def test_log_of_non_positive_names_the_input(x: float, shown: str) -> None:
    with pytest.raises(ValueError, match=shown):
        Value(x).log()


@pytest.mark.parametrize(
    "operation",
    [lambda: Value(-8) ** (1 / 3), lambda: Value(-8) ** Value(1 / 3)],
    ids=["number exponent", "Value exponent"],
)
def test_fractional_power_of_negative_raises_value_error(operation: Callable[[], Value]) -> None:
    with pytest.raises(ValueError, match="-8"):
        operation()


@pytest.mark.parametrize(
    "operation",
    [lambda: Value(0) ** -1, lambda: Value(0) ** Value(-1), lambda: 1 / Value(0), lambda: Value(1) / Value(0)],
    ids=["0**-1", "0**Value(-1)", "1/Value(0)", "Value(1)/Value(0)"],
)
def test_zero_to_a_negative_power_raises_zero_division(operation: Callable[[], Value]) -> None:
    with pytest.raises(ZeroDivisionError):
        operation()


def test_errors_are_raised_under_python_optimize_flag() -> None:
    # `python -O` strips assert statements; validation must not depend on them.
    script = textwrap.dedent(
        """
        from micrograd.engine import Value
        checks = [
            (lambda: Value("3"), TypeError),
            (lambda: Value(True), TypeError),
            (lambda: Value(1) + "a", TypeError),
            (lambda: Value(1000).exp(), OverflowError),
            (lambda: Value(0).log(), ValueError),
            (lambda: Value(-8) ** (1 / 3), ValueError),
            (lambda: Value(0) ** -1, ZeroDivisionError),
            (lambda: Value.weighted_sum([Value(1)], [], Value(0)), ValueError),
        ]
        for operation, error in checks:
            try:
                operation()
            except error:
                continue
            raise SystemExit(f"no {error.__name__} from check {checks.index((operation, error))}")
        print("all raised")
        """
    )
    result = subprocess.run([sys.executable, "-O", "-c", script], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.strip()) == (0, "all raised"), result.stderr


# --- n-ary nodes ------------------------------------------------------------------------


def test_sum_matches_chained_addition_bit_for_bit() -> None:
    numbers = [0.1, 0.2, 0.3, 1e16, -1e16, 1.0 / 3.0]
    terms = [Value(x) for x in numbers]
    chained = terms[0]
    for t in terms[1:]:
        chained = chained + t
    total = Value.sum(terms)
    assert total.data == chained.data
    assert (total._op, total._prev) == ("+", tuple(terms))
    total.backward()
    assert [t.grad for t in terms] == [1.0] * len(terms)


def test_sum_accepts_numbers_and_repeated_terms() -> None:
    a = Value(2.0)
    total = Value.sum([a, 3, a, 0.5])
    total.backward()
    assert (total.data, a.grad) == (7.5, 2.0)
    assert Value.sum([]).data == 0.0


def test_weighted_sum_matches_classic_neuron_sum_bit_for_bit() -> None:
    ws = [Value(w) for w in (0.1, -0.7, 0.33)]
    xs = [Value(x) for x in (1.0 / 3.0, 2.2, -5.1)]
    b = Value(0.3)
    fused = Value.weighted_sum(ws, xs, b)
    classic = sum((w * x for w, x in zip(ws, xs)), b)
    assert fused.data == classic.data
    assert (fused._op, fused._prev) == ("wx+b", (*ws, *xs, b))
    fused.backward()
    assert [w.grad for w in ws] == [x.data for x in xs]
    assert [x.grad for x in xs] == [w.data for w in ws]
    assert b.grad == 1.0


def bits(x: float) -> str:
    return "nan" if math.isnan(x) else repr(x)


@settings(deadline=None, derandomize=True, max_examples=200)
@given(
    activation=st.sampled_from(["relu", "tanh", "sigmoid"]),
    numbers=st.lists(st.one_of(st.floats(-3, 3), st.just(0.0), st.just(-0.0)), min_size=7, max_size=7),
    upstream=st.one_of(st.floats(-2, 2), st.just(0.0), st.sampled_from([math.inf, math.nan])),
)
def test_a_one_node_neuron_equals_its_two_nodes_bit_for_bit(activation: str, numbers: list, upstream: float) -> None:
    """`weighted_sum(..., activation)` gives the data and every gradient of the sum node plus the activation node."""
    results = []
    for one_node in (True, False):
        ws, xs, b = [Value(v) for v in numbers[:3]], [Value(v) for v in numbers[3:6]], Value(numbers[6])
        if one_node:
            out = Value.weighted_sum(ws, xs, b, activation)
        else:
            out = getattr(Value.weighted_sum(ws, xs, b), activation)()
        (out * upstream).backward()
        results.append([bits(out.data)] + [bits(v.grad) for v in (*ws, *xs, b)])
    assert results[0] == results[1]


def test_a_one_node_neuron_names_its_activation() -> None:
    neuron = Value.weighted_sum([Value(1.0)], [Value(2.0)], Value(0.5), activation="tanh")
    assert neuron._op == "tanh(wx+b)" and neuron.data == math.tanh(2.5)
    with pytest.raises(ValueError, match="relu.*sigmoid.*tanh.*got 'gelu'"):
        Value.weighted_sum([Value(1.0)], [Value(2.0)], Value(0.5), activation="gelu")


def test_weighted_sum_with_a_node_as_weight_and_input() -> None:
    a, b = Value(3.0), Value(1.0)
    out = Value.weighted_sum([a], [a], b)  # a² + b
    out.backward()
    assert (out.data, a.grad, b.grad) == (10.0, 6.0, 1.0)


def test_weighted_sum_refuses_plain_numbers() -> None:
    with pytest.raises(TypeError, match="Value"):
        Value.weighted_sum([1.0], [Value(1.0)], Value(0.0))
    with pytest.raises(TypeError, match="Value"):
        Value.weighted_sum([Value(1.0)], [Value(1.0)], 0.5)


def test_weighted_sum_length_mismatch_names_both_lengths() -> None:
    with pytest.raises(ValueError, match=r"2 and 1"):
        Value.weighted_sum([Value(1.0), Value(2.0)], [Value(1.0)], Value(0.0))


# --- graph shape: deep, wide, freed --------------------------------------------------------


def test_million_node_deep_chain() -> None:
    depth = 10**6
    x, one = Value(1.0), Value(1.0)
    v = x
    # The cyclic collector would repeatedly scan the million live nodes; it is
    # switched off only to keep this test fast (the graph has no cycles anyway).
    gc.disable()
    try:
        for _ in range(depth):
            v = v + one
        v.backward()
        assert v.data == depth + 1.0
        assert (x.grad, one.grad) == (1.0, float(depth))
        del v  # freeing a million-deep chain must not overflow the C stack
    finally:
        gc.enable()


def test_wide_graph() -> None:
    width = 50_000
    xs = [Value(float(i)) for i in range(width)]
    shared = Value(2.0)
    out = Value.sum([x * x for x in xs]) + Value.sum([shared * float(i) for i in range(width)])
    out.backward()
    assert all(x.grad == 2.0 * i for i, x in enumerate(xs))
    assert shared.grad == float(sum(range(width)))


def test_dropped_graph_leaves_no_garbage_for_the_cycle_collector() -> None:
    gc.collect()
    gc.disable()
    try:
        _, _, g = readme_example()
        g.backward()
        x = Value(0.5)
        h = Value.sum([(x * w).tanh() for w in range(100)])
        h.backward()
        del g, h, x
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_value_uses_slots() -> None:
    v = Value(1.0)
    assert not hasattr(v, "__dict__")
    with pytest.raises(AttributeError):
        v.anything = 1  # type: ignore[attr-defined]


def test_repr() -> None:
    v = Value(6)
    assert repr(v) == "Value(data=6.0, grad=0.0)"
    v.grad = 1.0
    assert repr(v) == "Value(data=6.0, grad=1.0)"


# --- topological order ------------------------------------------------------------------------


def reachable(root: Value) -> set[int]:
    """ids of all nodes reachable from root, found independently of topological_order."""
    seen: set[int] = set()
    frontier = [root]
    while frontier:
        node = frontier.pop()
        if id(node) not in seen:
            seen.add(id(node))
            frontier.extend(node._prev)
    return seen


def test_topological_order_lists_each_node_once_after_its_children() -> None:
    _, _, g = readme_example()
    order = topological_order(g)
    position = {id(n): i for i, n in enumerate(order)}
    assert len(position) == len(order)  # each node once
    assert set(position) == reachable(g)
    assert order[-1] is g
    for node in order:
        assert all(position[id(child)] < position[id(node)] for child in node._prev)


def test_topological_order_tells_equal_values_apart() -> None:
    a, b = Value(1.0), Value(1.0)
    assert topological_order(a + b)[:2] == [a, b]
    assert len(topological_order(a + b)) == 3


def test_topological_order_of_a_leaf() -> None:
    a = Value(1.0)
    assert topological_order(a) == [a]


def test_topological_order_is_iterative() -> None:
    depth = 100_000  # far past the recursion limit
    v = x = Value(0.5)
    for _ in range(depth):
        v = v.relu()
    order = topological_order(v)
    assert len(order) == depth + 1
    assert order[0] is x and order[-1] is v


# --- property-based: random expression graphs with reused nodes ---------------------------------

leaf_lists = st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=1, max_size=4)
# Raw integers; the `expressions` fixture maps them to operations, operands and constants.
raw_steps = st.lists(
    st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
    min_size=1,
    max_size=12,
)
property_settings = settings(deadline=None, derandomize=True, max_examples=50)


@property_settings
@given(leaf_values=leaf_lists, steps=raw_steps)
def test_random_expression_gradients_match_finite_differences(expressions, leaf_values, steps) -> None:
    expression = expressions.resolve(leaf_values, steps)
    note(repr(expression.steps))
    result = gradcheck(expression, leaf_values, eps=1e-6, atol=1e-5, rtol=1e-4)
    assert result.ok, result


@property_settings
@given(leaf_values=leaf_lists, steps=raw_steps)
def test_random_expression_backward_twice_doubles_every_node(expressions, leaf_values, steps) -> None:
    expression = expressions.resolve(leaf_values, steps)
    out = expression([Value(v) for v in leaf_values])
    out.backward()
    nodes = topological_order(out)
    once = [n.grad for n in nodes]
    out.backward()
    assert [n.grad for n in nodes] == [2 * g for g in once]


@property_settings
@given(leaf_values=leaf_lists, steps=raw_steps)
def test_random_expression_topological_order(expressions, leaf_values, steps) -> None:
    out = expressions.resolve(leaf_values, steps)([Value(v) for v in leaf_values])
    order = topological_order(out)
    position = {id(n): i for i, n in enumerate(order)}
    assert len(position) == len(order)
    assert set(position) == reachable(out)
    assert all(position[id(c)] < position[id(n)] for n in order for c in n._prev)


@property_settings
@given(numbers=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=20))
def test_sum_equals_chained_addition(numbers: list[float]) -> None:
    terms = [Value(x) for x in numbers]
    chained = terms[0]
    for t in terms[1:]:
        chained = chained + t
    assert Value.sum(terms).data == chained.data


# --- copying and pickling -------------------------------------------------------------------------


def deep_chain(depth: int) -> tuple[Value, Value]:
    leaf = Value(0.5, label="leaf")
    x = leaf
    for _ in range(depth):
        x = x * 1.0 + 0.0
    return leaf, x


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_pickle_and_deepcopy_handle_a_100_000_deep_graph(how: str) -> None:
    import copy
    import pickle

    _, root = deep_chain(50_000)  # 100,000 operations deep (plus the constants)
    root.backward()
    copied = pickle.loads(pickle.dumps(root)) if how == "pickle" else copy.deepcopy(root)
    original_order, copied_order = topological_order(root), topological_order(copied)
    assert len(copied_order) == len(original_order)
    assert not {id(n) for n in original_order} & {id(n) for n in copied_order}
    for a, b in zip(original_order, copied_order):
        assert (a.data, a.grad, a._op, a.label, len(a._prev)) == (b.data, b.grad, b._op, b.label, len(b._prev))
    copied.grad = 0.0
    for node in copied_order:
        node.grad = 0.0
    copied.backward()  # the copy is a working graph
    assert [n.grad for n in copied_order] == [n.grad for n in original_order]


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_copies_keep_shared_nodes_shared(how: str) -> None:
    import copy
    import pickle

    from micrograd.nn import MLP

    model = MLP(2, [3, 1], rng=0)
    x = [Value(1.0), Value(-2.0)]
    y = model(x)
    h = y._prev[0]  # an inner node of y's graph (the output's weighted sum)
    y2_model, y2, x2 = (
        pickle.loads(pickle.dumps((model, y, x))) if how == "pickle" else copy.deepcopy((model, y, x))
    )
    leaves = {id(n) for n in topological_order(y2) if not n._prev}
    assert {id(p) for p in y2_model.parameters()} <= leaves  # the model's parameters are the graph's leaves
    assert {id(v) for v in x2} <= leaves
    assert y2.data == y.data
    if how == "deepcopy":  # deepcopy shares its memo, so inner nodes copied together stay shared too
        y3, h3 = copy.deepcopy((y, h))
        assert h3 is y3._prev[0] and h3 is not h


def test_pickled_graph_after_unpickling_trains_the_unpickled_model() -> None:
    import pickle

    from micrograd.nn import MLP

    model = MLP(2, [3, 1], rng=0)
    loss = (model([1.0, -2.0]) - 1.0) ** 2
    model2, loss2 = pickle.loads(pickle.dumps((model, loss)))
    loss2.backward()
    loss.backward()
    assert [p.grad for p in model2.parameters()] == [p.grad for p in model.parameters()]


def test_shallow_copy_shares_the_children() -> None:
    import copy

    a = Value(2.0, label="a")
    b = a * 3.0
    b.label = "b"
    c = copy.copy(b)
    assert c is not b and c._prev is b._prev and (c.data, c._op, c.label) == (6.0, "*", "b")


def test_pickled_leaf_keeps_its_fields() -> None:
    import pickle

    a = Value(2.0, label="a")
    a.grad = 3.0
    b = pickle.loads(pickle.dumps(a))
    assert (b.data, b.grad, b._op, b.label, b._prev) == (2.0, 3.0, "", "a", ())


# --- the lecture's node._backward() ---------------------------------------------------------------


def test_backward_method_applies_one_local_rule() -> None:
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    d = c + a
    d.grad = 1.0
    d._backward()
    assert (c.grad, a.grad, b.grad) == (1.0, 1.0, 0.0)
    c._backward()
    assert (a.grad, b.grad) == (1.0 + -3.0, 2.0)
    a._backward()  # a leaf: nothing to pass on
    assert (a.grad, b.grad) == (-2.0, 2.0)


def test_backward_method_is_not_stored_on_the_node() -> None:
    a = Value(2.0)
    y = a * a
    assert y._backward is not y._backward  # made afresh on every access
    with pytest.raises(AttributeError):
        y.__dict__  # noqa: B018 (slotted: nothing can be stored on a node)


# --- a power's exponent is data ---------------------------------------------------------------------


def test_power_op_carries_its_exponent_as_a_number() -> None:
    from micrograd.engine import _PowerOp

    for k, name in [(2, "**2"), (-1.0, "**-1"), (0.5, "**0.5"), (1e20, "**1e+20")]:
        op = (Value(1.0) ** k)._op
        assert (op, type(op), op.exponent) == (name, _PowerOp, float(k))


def test_power_rule_reads_the_exponent_not_the_name() -> None:
    from micrograd.engine import _PowerOp

    x = Value(2.0)
    y = Value(8.0, (x,), "")
    y._op = _PowerOp("cube", 3.0)  # a name that says nothing about the exponent
    y.backward()
    assert x.grad == 12.0


def test_hand_made_power_node_is_named_like_classic_micrograd() -> None:
    x = Value(1.5)
    y = Value(x.data**3, (x,), "**2")  # the gradcheck chapter's deliberate bug: the square's rule
    y.backward()
    assert (y._op, y._op.exponent, x.grad) == ("**2", 2.0, 3.0)  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match=r"'\*\*' and a number, like '\*\*2', got '\*\*two'"):
        Value(1.0, (x,), "**two")


def test_power_ops_survive_pickling_and_copying() -> None:
    import copy
    import pickle

    x = Value(2.0)
    y = (x**3) ** 0.5
    for y2 in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y)):
        y2.backward()
        assert y2._op.exponent == 0.5 and y2._prev[0]._op.exponent == 3.0
        assert y2.data == y.data
