"""micrograd.scratch, the engine the first chapters grow, against micrograd.engine.

The two engines are built differently (closures and a recursive sort here, a
rule table and an iterative sort there) but apply the same local rules to the
same graphs in the same order, so their gradients agree bit for bit.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from micrograd import engine, nn, scratch
from tests.conftest import OPERATIONS

# The operations the small engine has (no relu, sigmoid, log or Value exponents).
SCRATCH_OPERATIONS = (
    "add", "sub", "mul", "div", "pow_const", "neg", "tanh", "exp",
    "add_const", "rsub_const", "rmul_const", "rdiv_const",
)  # fmt: skip

leaf_lists = st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=1, max_size=4)
raw_steps = st.lists(
    st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
    min_size=1,
    max_size=14,
)


def scratch_steps(steps: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Raw steps whose operation index picks one of the small engine's operations."""
    return [(OPERATIONS.index(SCRATCH_OPERATIONS[op % len(SCRATCH_OPERATIONS)]), i, j, c) for op, i, j, c in steps]


def gradients(value_class: type, expression, leaf_values: list[float]) -> tuple[float, list[float]]:
    leaves = [value_class(v) for v in leaf_values]
    out = expression(leaves)
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


@settings(deadline=None, derandomize=True, max_examples=300)
@given(leaf_values=leaf_lists, steps=raw_steps)
def test_random_graphs_get_the_same_gradients_bit_for_bit(expressions, leaf_values, steps) -> None:
    # Steps reuse earlier nodes (a node may even meet itself, x * x), and the output sums every step.
    expression = expressions.resolve(leaf_values, scratch_steps(steps))
    note(repr(expression.steps))
    assert gradients(scratch.Value, expression, leaf_values) == gradients(engine.Value, expression, leaf_values)


def test_the_random_graphs_use_every_operation(expressions) -> None:
    rng = random.Random(0)
    used = set()
    for _ in range(200):
        raw = [(rng.randrange(100), rng.randrange(100), rng.randrange(100), rng.randrange(100)) for _ in range(8)]
        used |= {step.op for step in expressions.resolve([0.5, -1.0, 1.5], scratch_steps(raw)).steps}
    assert used == set(SCRATCH_OPERATIONS)


def test_every_node_of_a_shared_graph_matches() -> None:
    def build(value_class: type) -> list:
        a, b = value_class(2.0), value_class(-3.0)
        c = a * b
        d = c + a
        e = (d * c).tanh() + (a / b) ** 2 - 1 / d + (c - 2).exp() * 0.5 + 3 - a
        return [a, b, c, d, e]

    small, library = build(scratch.Value), build(engine.Value)
    small[-1].backward()
    library[-1].backward()
    assert [(v.data, v.grad) for v in small] == [(v.data, v.grad) for v in library]


def test_the_node_fields_are_the_lectures() -> None:
    a = scratch.Value(2.0, label="a")
    b = a * 3
    assert (a.data, a.grad, a._prev, a._op, a.label) == (2.0, 0.0, (), "", "a")
    assert b._op == "*" and b._prev[0] is a and b._prev[1].data == 3
    assert repr(b) == "Value(data=6.0, grad=0.0)"
    assert (a**2)._op == "**2" and a.tanh()._op == "tanh" and a.exp()._op == "exp"


def test_the_recursive_sort_has_a_depth_limit() -> None:
    x = scratch.Value(1.0)
    y = x
    for _ in range(5_000):
        y = y * 1.0
    with pytest.raises(RecursionError):
        y.backward()


def copy_weights(small: scratch.MLP, library: nn.MLP) -> None:
    for p, q in zip(small.parameters(), library.parameters(), strict=True):
        q.data = p.data


def test_the_mlp_computes_what_the_librarys_computes() -> None:
    random.seed(0)
    small = scratch.MLP(3, [4, 4, 1])
    for fused in (True, False):
        library = nn.MLP(3, [4, 4, 1], rng=0, fused=fused)
        copy_weights(small, library)
        for p in small.parameters():
            p.grad = 0.0
        out, reference = small([2.0, 3.0, -1.0]), library([2.0, 3.0, -1.0])
        out.backward()
        reference.backward()
        assert out.data == reference.data
        assert [p.grad for p in small.parameters()] == [q.grad for q in library.parameters()]


def lecture_training(seed: int, epochs: int = 20) -> list[float]:
    """The lecture's toy training: sum of squared errors, learning rate 0.1."""
    random.seed(seed)
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    n = scratch.MLP(3, [4, 4, 1])
    losses = []
    for _ in range(epochs):
        ypred = [n(x) for x in xs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))  # noqa: B905 (the lecture's line)
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()
        for p in n.parameters():
            p.data += -0.1 * p.grad
        losses.append(loss.data)
    return losses


@pytest.mark.parametrize("seed", range(5))
def test_the_toy_training_loss_falls(seed: int) -> None:
    losses = lecture_training(seed)
    assert len(losses) == 20
    assert losses[-1] < 0.1 * losses[0]
    assert losses[-1] < 0.2


def test_an_mlp_learns_the_sign_of_a_product() -> None:
    # Not linearly separable (XOR-like), so the hidden layers have to do the work.
    random.seed(0)
    model = scratch.MLP(2, [4, 4, 1])
    data = [([x, y], 1.0 if x * y > 0 else -1.0) for x in (-1.0, 1.0) for y in (-1.0, 1.0)]

    def loss() -> scratch.Value:
        return sum((model(x) - target) ** 2 for x, target in data) / len(data)

    first = loss().data
    for _ in range(100):
        current = loss()
        for p in model.parameters():
            p.grad = 0.0
        current.backward()
        for p in model.parameters():
            p.data -= 0.1 * p.grad
    assert loss().data < 0.02 * first
    assert all((model(x).data > 0) == (target > 0) for x, target in data)


def test_the_library_draws_the_small_engines_graphs() -> None:
    pytest.importorskip("graphviz")
    from micrograd.viz import draw_dot

    def body(value_class: type) -> list[str]:
        a = value_class(2.0, label="a")
        e = a * value_class(-3.0, label="b")
        e.label = "e"
        return draw_dot((e + a).tanh()).body

    assert body(scratch.Value) == body(engine.Value)


def test_the_early_chapters_use_nothing_before_it_is_introduced() -> None:
    # The neuron chapter is plain floats; the chapters that grow Value use their own, not the library's.
    from pathlib import Path

    from docsite.page_blocks import page_blocks

    docs = Path(__file__).resolve().parents[1] / "docs"

    def code(page: str) -> str:
        return "\n".join(block.code for block in page_blocks((docs / page).read_text(encoding="utf-8")).runnable)

    for page in ("derivatives.md", "neuron.md"):
        assert "Value" not in code(page) and "micrograd.nn" not in code(page), page
    for page in ("value.md", "chain-rule.md", "backward.md"):
        assert "micrograd.engine" not in code(page) and "micrograd.nn" not in code(page), page
        assert "class Value" in code(page), page
