"""Code from classic micrograd and from Karpathy's lecture, run unchanged on this library.

Each test is a transcription of code readers bring with them: classic
micrograd's README example, its two-moons demo's training loop, and the cells
of the lecture "The spelled-out intro to neural networks and backpropagation".
Only the data source differs where the original used sklearn.
"""

from __future__ import annotations

import gc
import math
import random

import pytest

from micrograd.data import make_moons
from micrograd.engine import Value
from micrograd.nn import MLP, Layer, Neuron
from tests.test_engine import readme_example


# --- classic micrograd's README ------------------------------------------------------


def test_classic_readme_example() -> None:
    a, b, g = readme_example()  # the README's lines, transcribed once in tests/test_engine.py
    assert f"{g.data:.4f}" == "24.7041"  # the outcome of this forward pass
    assert g.data == pytest.approx(24.70408163265306, rel=1e-9)
    g.backward()
    assert f"{a.grad:.4f}" == "138.8338"  # i.e. the numerical value of dg/da
    assert f"{b.grad:.4f}" == "645.5773"  # i.e. the numerical value of dg/db
    assert a.grad == pytest.approx(138.83381924198252, rel=1e-9)
    assert b.grad == pytest.approx(645.5772594752186, rel=1e-9)


# --- classic micrograd's demo.ipynb (two moons), sklearn replaced by micrograd.data ------


def test_classic_demo_training_loop() -> None:
    random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)

    model = MLP(2, [16, 16, 1])  # 2-layer neural network
    assert len(model.parameters()) == 337

    def loss(batch_size: int | None = None) -> tuple[Value, float]:
        # inline DataLoader :)
        if batch_size is None:
            Xb, yb = X, y
        else:
            ri = random.sample(range(len(X)), batch_size)
            Xb, yb = [X[i] for i in ri], [y[i] for i in ri]
        inputs = [list(map(Value, xrow)) for xrow in Xb]

        # forward the model to get scores
        scores = list(map(model, inputs))

        # svm "max-margin" loss
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss

        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    total_loss, acc = loss()
    first_loss = total_loss.data

    for k in range(100):
        # forward
        total_loss, acc = loss()

        # backward
        model.zero_grad()
        total_loss.backward()

        # update (sgd)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad

    total_loss, acc = loss()
    assert total_loss.data < 0.5 * first_loss
    assert acc >= 0.9


# --- the lecture's cells ---------------------------------------------------------------


def lecture_neuron() -> dict[str, Value]:
    # inputs x1,x2
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    # weights w1,w2
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    # bias of the neuron
    b = Value(6.8813735870195432, label="b")
    # x1*w1 + x2*w2 + b
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return {v.label: v for v in (x1, x2, w1, w2, b, x1w1, x2w2, x1w1x2w2, n, o)}


def assert_lecture_gradients(v: dict[str, Value]) -> None:
    assert v["o"].data == pytest.approx(0.7071067811865476, abs=1e-12)
    assert v["n"].grad == pytest.approx(0.5, abs=1e-6)
    assert v["x1"].grad == pytest.approx(-1.5, abs=1e-6)
    assert v["w1"].grad == pytest.approx(1.0, abs=1e-6)
    assert v["x2"].grad == pytest.approx(0.5, abs=1e-6)
    assert v["w2"].grad == pytest.approx(0.0, abs=1e-6)


def test_lecture_manual_backward_calls_in_reverse_topological_order() -> None:
    v = lecture_neuron()
    o, n, b = v["o"], v["n"], v["b"]
    x1w1x2w2, x2w2, x1w1 = v["x1*w1 + x2*w2"], v["x2*w2"], v["x1*w1"]
    o.grad = 1.0
    o._backward()
    assert n.grad == pytest.approx(0.5, abs=1e-6)
    n._backward()
    b._backward()  # a leaf: does nothing
    x1w1x2w2._backward()
    x2w2._backward()
    x1w1._backward()
    assert_lecture_gradients(v)
    assert b.grad == pytest.approx(0.5, abs=1e-6)


def test_lecture_topo_build_up_then_backward_calls() -> None:
    v = lecture_neuron()
    o = v["o"]

    topo: list[Value] = []
    visited = set()

    def build_topo(v: Value) -> None:
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)

    build_topo(o)
    assert [node.label for node in topo][-2:] == ["n", "o"]
    assert len(topo) == 10

    o.grad = 1.0
    for node in reversed(topo):
        node._backward()
    assert_lecture_gradients(v)


def test_lecture_backward_method_and_tanh_broken_into_exp() -> None:
    v = lecture_neuron()
    v["o"].backward()
    assert_lecture_gradients(v)

    w = lecture_neuron()
    n = w["n"]
    # ----
    e = (2 * n).exp()
    o = (e - 1) / (e + 1)
    # ----
    o.label = "o"
    o.backward()
    assert o.data == pytest.approx(0.7071067811865476, abs=1e-12)
    assert_lecture_gradients({**w, "o": o})


def test_lecture_operations() -> None:
    a = Value(2.0)
    b = Value(4.0)
    assert (a + 1).data == 3.0
    assert (2 * a).data == 4.0
    assert (a / b).data == 0.5
    assert (a - b).data == -2.0
    assert a.exp().data == pytest.approx(math.exp(2.0))
    assert (a**2).data == 4.0


def test_backward_method_leaves_no_reference_cycle() -> None:
    gc.collect()
    gc.disable()
    try:
        x = Value(0.5)
        for _ in range(1_000):
            x = x * 0.9
        x.grad = 1.0
        x._backward()  # a bound method: made on access, never stored on the node
        del x
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert "_backward" not in Value.__slots__


def test_lecture_neuron_layer_and_mlp_classes() -> None:
    x = [2.0, 3.0]
    n = Neuron(2)
    assert type(n(x)) is Value
    layer = Layer(2, 3)
    outs = layer(x)
    assert isinstance(outs, list) and len(outs) == 3
    assert type(Layer(2, 1)(x)) is Value

    x = [2.0, 3.0, -1.0]
    n = MLP(3, [4, 4, 1])
    assert type(n(x)) is Value
    assert len(n.parameters()) == 41


def test_lecture_training_loop() -> None:
    random.seed(42)
    n = MLP(3, [4, 4, 1])
    xs = [
        [2.0, 3.0, -1.0],
        [3.0, -1.0, 0.5],
        [0.5, 1.0, 1.0],
        [1.0, 1.0, -1.0],
    ]
    ys = [1.0, -1.0, -1.0, 1.0]  # desired targets

    losses = []
    for k in range(20):
        # forward pass
        ypred = [n(x) for x in xs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))

        # backward pass
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()

        # update
        for p in n.parameters():
            p.data += -0.1 * p.grad

        losses.append(loss.data)

    assert losses[-1] < losses[0] / 5
    assert sum(b < a for a, b in zip(losses, losses[1:])) >= 17  # falls at (almost) every step
    ypred = [n(x) for x in xs]
    assert all((yout.data > 0) == (ygt > 0) for ygt, yout in zip(ys, ypred))
