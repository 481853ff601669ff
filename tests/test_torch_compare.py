"""Cross-checks against PyTorch (float64): same expressions, same values, same gradients."""

from __future__ import annotations

import random
from typing import Sequence

import pytest

from micrograd.engine import Value
from micrograd.nn import MLP

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.torch


def close(expected: float) -> object:
    """Relative 1e-9, absolute 1e-9 near zero: the libraries round differently, never by more."""
    return pytest.approx(expected, rel=1e-9, abs=1e-9)


def leaf_tensors(values: Sequence[float]) -> list:
    return [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]


def torch_grad(t) -> float:
    return 0.0 if t.grad is None else t.grad.item()  # torch leaves an unused leaf's grad as None


@pytest.mark.parametrize("seed", range(40))
def test_random_expressions_match_torch(expressions, seed: int) -> None:
    rng = random.Random(seed)
    leaf_values = [rng.uniform(-2.0, 2.0) for _ in range(rng.randint(1, 4))]
    expression = expressions.resolve(leaf_values, expressions.random_raw_steps(rng, rng.randint(1, 20)))

    values = [Value(v) for v in leaf_values]
    out = expression(values)
    out.backward()

    tensors = leaf_tensors(leaf_values)
    reference = expression(tensors)
    reference.backward()

    assert out.data == close(reference.item()), expression.steps
    assert [v.grad for v in values] == [close(torch_grad(t)) for t in tensors], expression.steps


def test_every_operation_appears_in_the_random_expressions(expressions) -> None:
    # Guards the comparison above against silently testing only the fallback (tanh).
    used = set()
    for seed in range(40):
        rng = random.Random(seed)
        leaf_values = [rng.uniform(-2.0, 2.0) for _ in range(rng.randint(1, 4))]
        expression = expressions.resolve(leaf_values, expressions.random_raw_steps(rng, rng.randint(1, 20)))
        used.update(step.op for step in expression.steps)
    assert used == set(expressions.operations)


def test_lecture_neuron_matches_torch(lecture_neuron) -> None:
    names = ("x1", "x2", "w1", "w2", "b")
    tensors = dict(zip(names, leaf_tensors([getattr(lecture_neuron, n) for n in names])))
    t = tensors
    o = torch.tanh(t["x1"] * t["w1"] + t["x2"] * t["w2"] + t["b"])
    o.backward()
    values = {n: Value(getattr(lecture_neuron, n)) for n in names}
    v = values
    out = (v["x1"] * v["w1"] + v["x2"] * v["w2"] + v["b"]).tanh()
    out.backward()
    assert out.data == close(o.item())
    for name in names:
        assert values[name].grad == close(tensors[name].grad.item()), name


def test_readme_example_matches_torch() -> None:
    def build(a, b):
        c = a + b
        d = a * b + b**3
        c = c + c + 1
        c = c + 1 + c + (-a)
        d = d + d * 2 + (b + a).relu()
        d = d + 3 * d + (b - a).relu()
        e = c - d
        f = e**2
        g = f / 2.0
        return g + 10.0 / f

    a, b = Value(-4.0), Value(2.0)
    g = build(a, b)
    g.backward()
    ta, tb = leaf_tensors([-4.0, 2.0])
    tg = build(ta, tb)
    tg.backward()
    assert g.data == close(tg.item())
    assert (a.grad, b.grad) == (close(ta.grad.item()), close(tb.grad.item()))


@pytest.mark.parametrize("x", [-1000.0, -30.0, -0.5, 0.0, 0.5, 30.0, 1000.0])
def test_saturating_activations_match_torch(x: float) -> None:
    for name in ("tanh", "sigmoid"):
        v = Value(x)
        out = getattr(v, name)()
        out.backward()
        (t,) = leaf_tensors([x])
        reference = getattr(t, name)()
        reference.backward()
        assert out.data == close(reference.item()), name
        assert v.grad == close(t.grad.item()), name


def torch_forward(model: MLP, x, activations: Sequence[str]):
    """The model's forward pass as matrix products on copies of its weights."""
    parameters = []
    h = x
    for layer, activation in zip(model.layers, activations):
        weight = torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        bias = torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        parameters.append((weight, bias))
        h = weight @ h + bias[:, None]  # h holds one column per example
        if activation != "linear":
            h = getattr(torch, activation)(h)
    return h, parameters


@pytest.mark.parametrize(
    ("activation", "output_activation"), [("tanh", None), ("relu", "linear"), ("sigmoid", "sigmoid")]
)
def test_mlp_forward_and_backward_match_torch(activation: str, output_activation: str | None) -> None:
    model = MLP(3, [8, 6, 1], activation=activation, output_activation=output_activation, rng=99)
    for layer in model.layers:  # nonzero biases, so a wrong bias gradient would show
        for neuron in layer.neurons:
            neuron.b.data = 0.1
    rng = random.Random(5)
    xs = [[rng.uniform(-2, 2) for _ in range(3)] for _ in range(5)]
    ys = [rng.choice([-1.0, 1.0]) for _ in xs]

    inputs = [[Value(a) for a in x] for x in xs]
    loss = Value.sum([(model(x) - y) ** 2 for x, y in zip(inputs, ys)])
    loss.backward()

    activations = [activation] * (len(model.layers) - 1) + [output_activation or activation]
    x_t = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    out_t, parameters = torch_forward(model, x_t.T, activations)
    loss_t = ((out_t[0] - torch.tensor(ys, dtype=torch.float64)) ** 2).sum()
    loss_t.backward()

    assert loss.data == close(loss_t.item())
    for layer, (weight, bias) in zip(model.layers, parameters):
        for row, neuron in enumerate(layer.neurons):
            assert [w.grad for w in neuron.w] == [close(g) for g in weight.grad[row].tolist()]
            assert neuron.b.grad == close(bias.grad[row].item())
    assert [[v.grad for v in x] for x in inputs] == [[close(g) for g in row] for row in x_t.grad.tolist()]
