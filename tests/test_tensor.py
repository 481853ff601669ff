"""The tensor engine: every operation's gradient against finite differences and PyTorch (float64),
broadcasting, the batched MLP against the scalar one, stability, memory and depth."""

from __future__ import annotations

import gc
import random
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

np = pytest.importorskip("numpy")

from micrograd import losses as scalar_losses  # noqa: E402 (after the skip: these need NumPy)
from micrograd import nn as scalar_nn  # noqa: E402
from micrograd.data import make_moons  # noqa: E402
from micrograd.engine import Value  # noqa: E402
from micrograd.optim import SGD, Adam  # noqa: E402
from micrograd.tensor import Tensor, topological_order  # noqa: E402
from micrograd.tensor_losses import (  # noqa: E402
    accuracy,
    cross_entropy,
    l2_regularization,
    mean_squared_error,
    svm_max_margin,
)
from micrograd.tensor_nn import MLP, linear  # noqa: E402

# Shapes that broadcast against (3, 4): the same, fewer axes, stretched 1s, a scalar, one more axis.
SHAPES = [(3, 4), (4,), (1, 4), (3, 1), (), (2, 3, 4), (2, 1, 4)]
UNARY = [
    "tanh", "sigmoid", "exp", "log", "relu", "neg", "square", "cube", "sqrt", "sum0", "mean_keep", "sum_first_keep",
]
BINARY = ["add", "sub", "mul", "div"]


# ---------------------------------------------------------------- random programs
# A program is a list of steps over leaves of SHAPES; each step applies one operation to earlier nodes.
# Operations stay in their safe domain by construction (log and sqrt of x*x + 1, exp of tanh x,
# division by y*y + 1), so finite differences and PyTorch see the same smooth function.


def random_program(rng: random.Random, n_leaves: int, n_steps: int, smooth: bool) -> tuple[list[tuple[int, ...]], list]:
    shapes = [rng.choice(SHAPES) for _ in range(n_leaves)]
    unary = [u for u in UNARY if not (smooth and u == "relu")]
    steps = []
    for i in range(n_steps):
        n_nodes = n_leaves + i
        if rng.random() < 0.5:
            steps.append((rng.choice(BINARY), rng.randrange(n_nodes), rng.randrange(n_nodes)))
        else:
            steps.append((rng.choice(unary), rng.randrange(n_nodes), 0))
    return shapes, steps


def apply(op: str, x: Any, y: Any, torch_like: bool) -> Any:
    if op == "add":
        return x + y
    if op == "sub":
        return x - y
    if op == "mul":
        return x * y
    if op == "div":
        return x / (y * y + 1.0)
    if op in ("tanh", "sigmoid", "relu"):
        return getattr(x, op)()
    if op == "exp":
        return x.tanh().exp()
    if op == "log":
        return (x * x + 1.0).log()
    if op == "neg":
        return -x
    if op == "square":
        return x**2
    if op == "cube":
        return x**3
    if op == "sqrt":
        return (x * x + 1.0) ** 0.5
    if op == "sum0":  # sums away the first axis (a 0-d or 1-d tensor is summed whole)
        return x.sum() if len(x.shape) <= 1 else x.sum(0)
    keep = {"keepdim": True} if torch_like else {"keepdims": True}
    if op == "mean_keep":  # averages the last axis, kept as a 1
        return x.mean(-1, **keep) if len(x.shape) else x * 1.0
    if op == "sum_first_keep":
        return x.sum(0, **keep) if len(x.shape) else x + 0.0
    raise ValueError(op)


def run_program(shapes: Sequence[tuple[int, ...]], steps: Sequence[tuple[str, int, int]], leaves: list[Any],
                torch_like: bool = False) -> Any:
    nodes = list(leaves)
    for op, a, b in steps:
        nodes.append(apply(op, nodes[a], nodes[b], torch_like))
    # Every node reaches the output, each weighted differently so that no gradient is a plain count.
    total = nodes[0].sum() * 0.0
    for i, node in enumerate(nodes):
        total = total + (node * (0.5 + 0.25 * i)).sum()
    return total


def leaf_arrays(rng: random.Random, shapes: Sequence[tuple[int, ...]]) -> list[Any]:
    gen = np.random.default_rng(rng.randrange(2**32))
    return [gen.uniform(-1.5, 1.5, size=shape) for shape in shapes]


def numerical_grad(f: Callable[[list[Any]], float], arrays: list[Any], i: int, h: float = 1e-6) -> Any:
    grad = np.zeros_like(arrays[i])
    for index in np.ndindex(arrays[i].shape):
        plus = [a.copy() for a in arrays]
        minus = [a.copy() for a in arrays]
        plus[i][index] += h
        minus[i][index] -= h
        grad[index] = (f(plus) - f(minus)) / (2 * h)
    return grad


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_graphs_match_finite_differences(seed: int) -> None:
    rng = random.Random(seed)
    shapes, steps = random_program(rng, rng.randint(1, 3), rng.randint(1, 6), smooth=True)
    arrays = leaf_arrays(rng, shapes)
    leaves = [Tensor(a) for a in arrays]
    out = run_program(shapes, steps, leaves)
    out.backward()

    def f(values: list[Any]) -> float:
        return float(run_program(shapes, steps, [Tensor(v) for v in values]).data)

    for i, leaf in enumerate(leaves):
        assert leaf.grad.shape == arrays[i].shape  # un-broadcast back to the leaf's own shape
        np.testing.assert_allclose(leaf.grad, numerical_grad(f, arrays, i), rtol=1e-5, atol=1e-6)


def test_matmul_shapes_match_finite_differences() -> None:
    gen = np.random.default_rng(0)
    cases = [((3, 4), (4, 2)), ((4,), (4, 2)), ((3, 4), (4,)), ((4,), (4,)), ((2, 3, 4), (4, 5)),
             ((2, 3, 4), (2, 4, 5)), ((1, 3, 4), (2, 4, 5)), ((3, 4), (2, 4, 5))]
    for left, right in cases:
        arrays = [gen.normal(size=left), gen.normal(size=right)]
        a, b = Tensor(arrays[0]), Tensor(arrays[1])
        ((a @ b).tanh()).sum().backward()

        def f(values: list[Any]) -> float:
            return float(np.tanh(values[0] @ values[1]).sum())

        for i, leaf in enumerate((a, b)):
            np.testing.assert_allclose(leaf.grad, numerical_grad(f, arrays, i), rtol=1e-6, atol=1e-8)


def test_reshape_transpose_and_reductions_route_gradients_back() -> None:
    gen = np.random.default_rng(1)
    x0 = gen.normal(size=(2, 3, 4))
    x = Tensor(x0)
    out = (x.transpose(2, 0, 1).reshape(4, 6) * np.arange(24.0).reshape(4, 6)).sum()
    out.backward()
    expected = np.arange(24.0).reshape(4, 6).reshape(4, 2, 3).transpose(1, 2, 0)
    np.testing.assert_array_equal(x.grad, expected)
    y = Tensor(x0)
    (y.mean(axis=(0, 2)) * np.array([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_allclose(y.grad, np.broadcast_to(np.array([1.0, 2.0, 3.0])[None, :, None] / 8, (2, 3, 4)))
    z = Tensor(x0)
    z.T.sum(axis=0, keepdims=True).sum().backward()
    np.testing.assert_array_equal(z.grad, np.ones((2, 3, 4)))


# ---------------------------------------------------------------- PyTorch


@pytest.mark.torch
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_graphs_match_torch(seed: int) -> None:
    torch = pytest.importorskip("torch")
    rng = random.Random(seed)
    shapes, steps = random_program(rng, rng.randint(1, 4), rng.randint(1, 12), smooth=False)
    arrays = leaf_arrays(rng, shapes)
    leaves = [Tensor(a) for a in arrays]
    out = run_program(shapes, steps, leaves)
    out.backward()
    t_leaves = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    t_out = run_program(shapes, steps, t_leaves, torch_like=True)
    t_out.backward()
    np.testing.assert_allclose(float(out.data), t_out.item(), rtol=1e-12, atol=1e-12)
    for leaf, t_leaf in zip(leaves, t_leaves, strict=True):
        expected = np.zeros(leaf.shape) if t_leaf.grad is None else t_leaf.grad.numpy()
        np.testing.assert_allclose(leaf.grad, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.torch
def test_matmul_linear_and_losses_match_torch() -> None:
    torch = pytest.importorskip("torch")
    gen = np.random.default_rng(2)
    x0, w0, b0 = gen.normal(size=(5, 3)), gen.normal(size=(3, 4)), gen.normal(size=4)
    x, w, b = Tensor(x0), Tensor(w0), Tensor(b0)
    logits = linear(x, w, b).tanh() @ Tensor(gen.normal(size=(4, 3)))
    targets = np.array([0, 2, 1, 1, 0])
    loss = cross_entropy(logits * 3.0, targets) + l2_regularization([w, b], 1e-2)
    loss.backward()
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x0, w0, b0))
    t_logits = torch.tanh(tx @ tw + tb) @ torch.tensor(logits._prev[1].data)
    t_loss = torch.nn.functional.cross_entropy(t_logits * 3.0, torch.tensor(targets)) + 1e-2 * (
        (tw * tw).sum() + (tb * tb).sum())
    t_loss.backward()
    assert float(loss.data) == pytest.approx(t_loss.item(), rel=1e-12)
    for ours, theirs in ((x, tx), (w, tw), (b, tb)):
        np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-10, atol=1e-13)

    scores = Tensor(gen.normal(size=(6, 1)))
    labels = np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
    svm_max_margin(scores, labels).backward()
    t_scores = torch.tensor(scores.data, requires_grad=True)
    torch.relu(1 - torch.tensor(labels) * t_scores[:, 0]).mean().backward()
    np.testing.assert_allclose(scores.grad, t_scores.grad.numpy(), rtol=1e-12)


@pytest.mark.torch
def test_softmax_cross_entropy_is_stable_on_huge_logits() -> None:
    torch = pytest.importorskip("torch")
    logits0 = np.array([[1e4, 0.0, -1e4], [5e3, 5e3, 0.0], [-800.0, 800.0, 0.0]])
    targets = np.array([1, 0, 1])
    logits = Tensor(logits0)
    loss = cross_entropy(logits, targets)
    loss.backward()
    assert np.isfinite(loss.data) and np.all(np.isfinite(logits.grad))
    t_logits = torch.tensor(logits0, requires_grad=True)
    t_loss = torch.nn.functional.cross_entropy(t_logits, torch.tensor(targets))
    t_loss.backward()
    assert float(loss.data) == pytest.approx(t_loss.item(), rel=1e-12)
    np.testing.assert_allclose(logits.grad, t_logits.grad.numpy(), rtol=1e-12, atol=1e-300)


def test_softmax_cross_entropy_is_stable_without_torch() -> None:
    loss = cross_entropy(Tensor([[1e308, 0.0], [0.0, -1e308]]), [0, 1])
    assert float(loss.data) == pytest.approx(0.5e308, rel=1e-12)  # (0 + 1e308) / 2, no overflow or NaN
    with pytest.raises(ValueError, match="class indices"):
        cross_entropy(Tensor([[0.0, 1.0]]), [2])


# ---------------------------------------------------------------- the batched MLP and the scalar one


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_batched_mlp_trains_like_the_scalar_mlp(activation: str) -> None:
    X, y = make_moons(n_samples=30, noise=0.1, seed=3)
    scalar = scalar_nn.MLP(2, [8, 8, 1], activation=activation, output_activation="linear", rng=7)
    batched = MLP(2, [8, 8, 1], activation=activation, output_activation="linear", rng=7)
    for layer, scalar_layer in zip(batched.layers, scalar.layers, strict=True):  # the same initial weights
        np.testing.assert_array_equal(layer.w.data, np.array([[w.data for w in n.w] for n in scalar_layer.neurons]).T)
    s_opt, b_opt = Adam(scalar.parameters(), lr=0.05), Adam(batched.parameters(), lr=0.05)
    for _ in range(5):
        s_loss = scalar_losses.svm_max_margin([scalar(x) for x in X], y) + scalar_losses.l2_regularization(
            scalar.parameters(), 1e-3)
        b_loss = svm_max_margin(batched(X), y) + l2_regularization(batched.parameters(), 1e-3)
        assert float(b_loss.data) == pytest.approx(s_loss.data, rel=1e-12)
        for opt, loss in ((s_opt, s_loss), (b_opt, b_loss)):
            opt.zero_grad()
            loss.backward()
            opt.step()
    flat = np.concatenate([np.vstack([layer.w.data, layer.b.data]).T.ravel() for layer in batched.layers])
    np.testing.assert_allclose(flat, [p.data for p in scalar.parameters()], rtol=1e-10, atol=1e-12)
    assert accuracy(batched(X), y) == scalar_losses.accuracy([scalar(x) for x in X], y)


def test_mean_squared_error_pairs_rows_with_targets() -> None:
    predictions = Tensor([[1.0], [2.0], [4.0]])
    loss = mean_squared_error(predictions, [1.0, 1.0, 1.0])
    assert float(loss.data) == pytest.approx((0 + 1 + 9) / 3)
    loss.backward()
    np.testing.assert_allclose(predictions.grad, [[0.0], [2 / 3], [2.0]])
    assert float(mean_squared_error(predictions, [0.0, 0.0, 0.0], reduction="sum").data) == 21.0


def test_sgd_with_momentum_updates_tensors_in_place() -> None:
    w = Tensor([1.0, -2.0])
    data = w.data
    opt = SGD([w], lr=0.1, momentum=0.9, weight_decay=0.01)
    for _ in range(3):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    v = [Value(1.0), Value(-2.0)]
    s_opt = SGD(v, lr=0.1, momentum=0.9, weight_decay=0.01)
    for _ in range(3):
        s_opt.zero_grad()
        (v[0] * v[0] + v[1] * v[1]).backward()
        s_opt.step()
    assert w.data is data  # updated in place
    np.testing.assert_allclose(w.data, [p.data for p in v], rtol=1e-15)


# ---------------------------------------------------------------- engine properties


def test_backward_twice_doubles_and_zero_grad_forgets() -> None:
    x = Tensor([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    y.backward()
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])
    x.grad = 0.0
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])
    x.grad = 1.5
    np.testing.assert_array_equal(x.grad, [1.5, 1.5])
    with pytest.raises(ValueError, match="single number"):
        (x * x).backward()


def test_dropped_graph_leaves_no_garbage_for_the_cycle_collector() -> None:
    gc.collect()
    gc.disable()
    try:
        model = MLP(2, [4, 1], rng=0)
        for _ in range(3):
            loss = svm_max_margin(model([[1.0, 2.0], [-1.0, 0.5]]), [1, -1]) + l2_regularization(
                model.parameters(), 1e-4)
            loss.backward()
            del loss
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_deep_chain_backward_is_iterative() -> None:
    x = Tensor([0.5, -0.5])
    y = x
    for _ in range(20_000):
        y = y * 1.0 + 0.0
    out = y.sum()
    assert len(topological_order(out)) == 80_002  # x, and per round: two constants, * and +; then sum
    out.backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])


def test_arrays_on_the_left_and_bad_operands() -> None:
    x = Tensor([1.0, 2.0])
    assert isinstance(np.array([1.0, 1.0]) + x, Tensor)  # NumPy defers to the Tensor
    np.testing.assert_array_equal((2.0 - x).data, [1.0, 0.0])
    np.testing.assert_array_equal((2.0 / x).data, [2.0, 1.0])
    with pytest.raises(TypeError, match="Tensor, a number or an array"):
        x + "a"
    with pytest.raises(TypeError, match="exponent must be a number"):
        x ** Tensor(2.0)
    with pytest.raises(ValueError, match="positive"):
        Tensor([1.0, 0.0]).log()
    with pytest.raises(ValueError, match="-1 or \\+1"):
        svm_max_margin(Tensor([1.0]), [0])


def test_an_operation_name_keeps_its_first_rule() -> None:
    from micrograd.tensor_rules import define_rule

    with pytest.raises(ValueError, match="'\\+' already has a backward rule"):
        define_rule("+", lambda out, grad: None)


def test_core_does_not_import_numpy_and_the_tensor_module_names_its_extra() -> None:
    code = ("import sys, micrograd, micrograd.nn, micrograd.optim, micrograd.losses, micrograd.gradcheck\n"
            "assert 'numpy' not in sys.modules, 'numpy was imported'\n"
            "sys.modules['numpy'] = None\n"
            "try:\n    import micrograd.tensor\nexcept ImportError as e:\n    print(e)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 'pip install "micrograd-literate[tensor]"' in result.stdout, result.stdout + result.stderr
