"""The compiled moons loss against PyTorch's autograd (float64, batched): same loss, same gradients."""

from __future__ import annotations

import pytest

from micrograd.compile import compile_loss
from micrograd.data import make_moons
from micrograd.losses import l2_regularization
from micrograd.nn import MLP

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.torch


def test_compiled_moons_loss_and_gradients_match_torch() -> None:
    X, y = make_moons(n_samples=60, noise=0.1, seed=3)
    model = MLP(2, [8, 8, 1], activation="relu", output_activation="linear", rng=5)
    step = compile_loss(
        lambda x, t: (1 + -t * model(x)).relu(),
        example=(X[0], y[0]),
        regularizer=lambda: l2_regularization(model.parameters(), 1e-3),
    )
    loss = step(X, y)

    f64 = torch.float64
    layers = [
        (
            torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=f64, requires_grad=True),
            torch.tensor([n.b.data for n in layer.neurons], dtype=f64, requires_grad=True),
        )
        for layer in model.layers
    ]
    h = torch.tensor(X, dtype=f64)
    for i, (W, b) in enumerate(layers):
        h = h @ W.T + b
        if i < len(layers) - 1:
            h = torch.relu(h)
    reg = sum((W * W).sum() + (b * b).sum() for W, b in layers)
    expected = torch.relu(1 - torch.tensor(y, dtype=f64) * h[:, 0]).mean() + 1e-3 * reg
    expected.backward()

    assert loss == pytest.approx(expected.item(), rel=1e-12)
    for layer, (W, b) in zip(model.layers, layers, strict=True):
        for neuron, w_row, b_grad in zip(layer.neurons, W.grad, b.grad, strict=True):
            assert [w.grad for w in neuron.w] == pytest.approx(w_row.tolist(), rel=1e-9, abs=1e-12)
            assert neuron.b.grad == pytest.approx(b_grad.item(), rel=1e-9, abs=1e-12)
