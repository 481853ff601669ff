"""Activations, softmax and cross-entropy against PyTorch in float64: values and gradients to 1e-12."""

from __future__ import annotations

import random

import pytest

from micrograd.activations import gelu, leaky_relu, log_softmax, softmax, softplus
from micrograd.engine import Value
from micrograd.losses import cross_entropy
from micrograd.nn import MLP

torch = pytest.importorskip("torch")
F = torch.nn.functional

pytestmark = pytest.mark.torch


def close(expected: float) -> object:
    return pytest.approx(expected, rel=1e-12, abs=1e-14)


ACTIVATIONS = {
    "tanh": (Value.tanh, torch.tanh),
    "relu": (Value.relu, torch.relu),
    "sigmoid": (Value.sigmoid, torch.sigmoid),
    "leaky_relu": (leaky_relu, F.leaky_relu),
    "gelu": (gelu, lambda t: F.gelu(t, approximate="tanh")),
    "softplus": (softplus, F.softplus),
}

# PyTorch's softplus returns x itself above its threshold of 20; below it both compute log1p(e^x).
# GELU's formula 0.5 x (1 + tanh u) loses relative digits past x < -3 in PyTorch, not here.
GRID = [x / 8 for x in range(-24, 25)]  # -3 .. 3 in steps of 1/8, including 0
WIDE = [-19.5, -12.0, -7.25, 6.5, 11.0, 19.5]


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_values_and_gradients_match_torch(name):
    ours, theirs = ACTIVATIONS[name]
    points = GRID + (WIDE if name not in ("gelu",) else [])
    for x in points:
        v = Value(x)
        out = ours(v)
        out.backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        ref = theirs(t)
        ref.backward()
        assert out.data == close(ref.item()), (name, x)
        assert v.grad == close(t.grad.item()), (name, x)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_mlp_with_each_activation_matches_torch(name):
    model = MLP(3, [4, 4, 2], activation=name, output_activation="linear", rng=7)
    x = [0.4, -1.1, 0.9]
    out = Value.sum([o * w for o, w in zip(model(x), [1.0, -0.5], strict=True)])
    out.backward()

    _, theirs = ACTIVATIONS[name]
    layers = []
    for layer in model.layers:
        w = torch.tensor([[p.data for p in n.w] for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        b = torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        layers.append((w, b))
    h = torch.tensor(x, dtype=torch.float64)
    for i, (w, b) in enumerate(layers):
        h = w @ h + b
        if i < len(layers) - 1:
            h = theirs(h)
    ref = (h * torch.tensor([1.0, -0.5], dtype=torch.float64)).sum()
    ref.backward()

    assert out.data == close(ref.item())
    for layer, (w, b) in zip(model.layers, layers, strict=True):
        for i, neuron in enumerate(layer.neurons):
            assert [p.grad for p in neuron.w] == [close(g) for g in w.grad[i].tolist()]
            assert neuron.b.grad == close(b.grad[i].item())


LOGIT_ROWS = [
    [2.0, 1.0, 0.1],
    [-0.5, 0.3, 2.2],
    [0.0, 0.0, 0.0],
    [5.0, -4.0, 1.0],
    [30.0, -25.0, 12.5],
    [1000.0, 999.0, -1000.0],
]


@pytest.mark.parametrize("row", LOGIT_ROWS)
def test_softmax_and_log_softmax_match_torch(row):
    weights = [0.7, -1.3, 2.1]
    for ours, theirs in ((softmax, F.softmax), (log_softmax, F.log_softmax)):
        values = [Value(z) for z in row]
        outs = ours(values)
        Value.sum([w * o for w, o in zip(weights, outs, strict=True)]).backward()
        t = torch.tensor(row, dtype=torch.float64, requires_grad=True)
        ref = theirs(t, dim=0)
        (ref * torch.tensor(weights, dtype=torch.float64)).sum().backward()
        assert [o.data for o in outs] == [close(r) for r in ref.tolist()], ours.__name__
        assert [v.grad for v in values] == [close(g) for g in t.grad.tolist()], ours.__name__


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("seed", range(5))
def test_cross_entropy_matches_torch(seed, reduction):
    rng = random.Random(seed)
    n, c = rng.randint(1, 12), rng.randint(2, 6)
    rows = [[rng.uniform(-6.0, 6.0) for _ in range(c)] for _ in range(n)]
    targets = [rng.randrange(c) for _ in range(n)]

    values = [[Value(z) for z in row] for row in rows]
    loss = cross_entropy(values, targets, reduction=reduction)
    loss.backward()

    t = torch.tensor(rows, dtype=torch.float64, requires_grad=True)
    ref = F.cross_entropy(t, torch.tensor(targets), reduction=reduction)
    ref.backward()

    assert loss.data == close(ref.item())
    for row, grads in zip(values, t.grad.tolist(), strict=True):
        assert [v.grad for v in row] == [close(g) for g in grads]


def test_cross_entropy_of_extreme_logits_matches_torch():
    rows = LOGIT_ROWS
    targets = [2, 0, 1, 1, 1, 2]
    values = [[Value(z) for z in row] for row in rows]
    loss = cross_entropy(values, targets)
    loss.backward()
    t = torch.tensor(rows, dtype=torch.float64, requires_grad=True)
    ref = F.cross_entropy(t, torch.tensor(targets))
    ref.backward()
    assert loss.data == close(ref.item())
    for row, grads in zip(values, t.grad.tolist(), strict=True):
        assert [v.grad for v in row] == [close(g) for g in grads]
