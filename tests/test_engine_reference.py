"""Speed work must not change a single bit: training runs against numbers recorded before it.

The reference numbers below were printed by this file's own `moons_run` and
`smooth_run` (run as a script: `python tests/test_engine_reference.py`) with the
engine of commit f63894a, before the zero-gradient shortcut and the faster
topological sort. They record the loss every 10 steps and a digest of every
parameter's exact value after 30 steps, so any change to a gradient's last bit,
or to the order in which gradients are added, shows.
"""

from __future__ import annotations

import hashlib

from micrograd.data import make_moons
from micrograd.engine import Value
from micrograd.losses import l2_regularization, mean_squared_error, svm_max_margin
from micrograd.nn import MLP
from micrograd.optim import SGD, Adam

STEPS = 30

# (loss at steps 0, 10, 20 as repr, loss at step 29 as repr, digest of the parameters after step 29)
MOONS_REFERENCE = (
    ["0.9128546778968707", "0.18721181489638064", "0.18114269798134008"],
    "0.07807128094911486",
    "bc016751d2a2308c",
)
SMOOTH_REFERENCE = (
    ["0.7133921396719541", "0.5691628721858333", "0.5489634487096076"],
    "0.5209697365189135",
    "aa4c2ac0270a292a",
)


def digest(params: list[Value]) -> str:
    return hashlib.sha256(" ".join(repr(p.data) for p in params).encode()).hexdigest()[:16]


def summary(losses: list[float], params: list[Value]) -> tuple[list[str], str, str]:
    return [repr(loss) for loss in losses[::10]], repr(losses[-1]), digest(params)


def moons_run() -> tuple[list[str], str, str]:
    """Classic micrograd's two-moons demo: ReLU MLP, hinge loss + L2, SGD with a decaying rate."""
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", rng=1337)
    params = model.parameters()
    optimizer = SGD(params, lr=lambda k: 1.0 - 0.9 * k / 100)
    losses = []
    for _ in range(STEPS):
        loss = svm_max_margin([model(x) for x in X], y) + l2_regularization(params, 1e-4)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
    return summary(losses, params)


def smooth_run() -> tuple[list[str], str, str]:
    """tanh and sigmoid layers, squared error plus log, exp and power terms, Adam."""
    X, y = make_moons(n_samples=40, noise=0.2, seed=7)
    model = MLP(2, [8, 8, 1], activation="tanh", output_activation="sigmoid", rng=3)
    params = model.parameters()
    optimizer = Adam(params, lr=0.05)
    losses = []
    for _ in range(STEPS):
        predictions = [model(x) for x in X]
        extra = Value.sum([(p * 0.5 + 1.0).log() + (p * -0.1).exp() ** 0.5 for p in predictions]) * 0.01
        loss = mean_squared_error(predictions, [(v + 1) / 2 for v in y]) + extra
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
    return summary(losses, params)


def test_moons_training_is_bit_identical_to_the_recorded_run() -> None:
    assert moons_run() == MOONS_REFERENCE


def test_smooth_training_is_bit_identical_to_the_recorded_run() -> None:
    assert smooth_run() == SMOOTH_REFERENCE


if __name__ == "__main__":
    print(moons_run())
    print(smooth_run())
