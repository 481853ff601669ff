"""Benchmark: the tensor engine against NumPy by hand, PyTorch (CPU, float64) and the scalar engine.

The step is bench.py's two-moons step: 100 points, MLP 2-16-16-1 (ReLU, linear
output), SVM max-margin loss + 1e-4 * L2, full batch, forward + backward + SGD
with lr = 1.0 - 0.9 * k / 100, every engine from the same weights. Engines
alternate within one process, round after round; times are medians per step
of this process's CPU time (`time.process_time`: on a shared machine, time
spent waiting for a core is not the engine's); losses must agree to 1e-9.
A second table shows how each engine's time grows with batch size and width.

NumPy's OpenBLAS is limited to one thread (OPENBLAS_NUM_THREADS=1, set here
before NumPy is imported) and so is PyTorch (`torch.set_num_threads(1)`): on a
shared 2-core machine a second thread makes small matrix products erratic.

Run:  .venv/bin/python scripts/bench_tensor.py           (about a minute)
      .venv/bin/python scripts/bench_tensor.py --quick   (a few seconds)

`worker_tensor(job)` takes bench.py's job (weights, X, y, steps) and returns
its {"times", "losses"}, for bench.py to run as one more contender.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from micrograd.data import make_moons

ALPHA = 1e-4
clock = time.process_time  # CPU time: waiting for a core on a busy machine is not the engine's time
SIZES = [2, 16, 16, 1]


def learning_rate(k: int) -> float:
    return 1.0 - 0.9 * k / 100


def job_for(batch: int = 100, width: int = 16, steps: int = 20, seed: int = 1337) -> dict[str, Any]:
    """bench.py's job: moons data, and the weights of micrograd.nn.MLP(seed) flat, neuron by neuron."""
    from micrograd.nn import MLP

    X, y = make_moons(n_samples=batch, noise=0.1, seed=seed)
    model = MLP(2, [width, width, 1], activation="relu", output_activation="linear", rng=seed)
    return {"X": X, "y": [float(v) for v in y], "steps": steps, "weights": [p.data for p in model.parameters()],
            "sizes": [2, width, width, 1]}


def layer_arrays(job: dict[str, Any]) -> list[tuple[Any, Any]]:
    """The flat weights as (W, b) per layer: W is nin x nout, column j holding neuron j's weights."""
    sizes = job.get("sizes", SIZES)
    flat, arrays, i = job["weights"], [], 0
    for nin, nout in itertools.pairwise(sizes):
        block = np.array(flat[i : i + (nin + 1) * nout]).reshape(nout, nin + 1)
        arrays.append((block[:, :nin].T.copy(), block[:, nin].copy()))
        i += (nin + 1) * nout
    return arrays


# ---------------------------------------------------------------- the contenders
# Each runner gets a job and returns (step, state): calling step(k) runs training step k and returns the loss.


def tensor_runner(job: dict[str, Any]) -> Callable[[int], float]:
    """The tensor engine, written as a user would: model, loss, zero_grad, backward, SGD."""
    from micrograd.optim import SGD
    from micrograd.tensor_nn import MLP

    sizes = job.get("sizes", SIZES)
    model = MLP(sizes[0], sizes[1:], activation="relu", output_activation="linear", rng=0)
    for layer, (w, b) in zip(model.layers, layer_arrays(job), strict=True):
        layer.w.data[...], layer.b.data[...] = w, b
    X, y = np.array(job["X"]), np.array(job["y"])
    params = model.parameters()
    optimizer = SGD(params, lr=learning_rate)
    return lambda k: tensor_moons_step(model, X, y, optimizer)


def tensor_moons_step(model: Any, X: Any, y: Any, optimizer: Any) -> float:
    """One two-moons training step on the tensor engine; returns the loss before the update."""
    from micrograd.tensor_losses import l2_regularization, svm_max_margin

    loss = svm_max_margin(model(X), y) + l2_regularization(optimizer.params, ALPHA)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return float(loss.data)


def numpy_runner(job: dict[str, Any]) -> Callable[[int], float]:
    """The same step written by hand in NumPy: forward, the gradient worked out on paper, SGD."""
    params = [a for wb in layer_arrays(job) for a in wb]
    X, y = np.array(job["X"]), np.array(job["y"])
    n = len(y)

    def step(k: int) -> float:
        w1, b1, w2, b2, w3, b3 = params
        z1 = X @ w1 + b1
        h1 = np.maximum(z1, 0.0)
        z2 = h1 @ w2 + b2
        h2 = np.maximum(z2, 0.0)
        scores = (h2 @ w3 + b3).ravel()
        margins = 1.0 - y * scores
        loss = np.maximum(margins, 0.0).sum() / n + ALPHA * sum(float(np.vdot(p, p)) for p in params)
        d_scores = (np.where(margins > 0, -y, 0.0) / n)[:, None]
        d_z2 = (d_scores @ w3.T) * (z2 > 0)
        d_z1 = (d_z2 @ w2.T) * (z1 > 0)
        grads = [X.T @ d_z1, d_z1.sum(0), h1.T @ d_z2, d_z2.sum(0), h2.T @ d_scores, d_scores.sum(0)]
        lr = learning_rate(k)
        for p, g in zip(params, grads, strict=True):
            p -= lr * (g + 2 * ALPHA * p)
        return float(loss)

    return step


def torch_runner(job: dict[str, Any]) -> Callable[[int], float] | None:
    """PyTorch on the CPU in float64, one thread, written as its tutorials write it; None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    params = [torch.tensor(a, requires_grad=True) for wb in layer_arrays(job) for a in wb]
    X, y = torch.tensor(job["X"], dtype=torch.float64), torch.tensor(job["y"], dtype=torch.float64)

    def step(k: int) -> float:
        w1, b1, w2, b2, w3, b3 = params
        scores = (torch.relu(torch.relu(X @ w1 + b1) @ w2 + b2) @ w3 + b3)[:, 0]
        loss = torch.relu(1 - y * scores).mean() + ALPHA * sum((p * p).sum() for p in params)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            lr = learning_rate(k)
            for p in params:
                p -= lr * p.grad
        return loss.item()

    return step


def scalar_runner(job: dict[str, Any]) -> Callable[[int], float]:
    """The scalar engine (micrograd.engine), eager: one Value per number."""
    from micrograd.losses import l2_regularization, svm_max_margin
    from micrograd.nn import MLP
    from micrograd.optim import SGD

    sizes = job.get("sizes", SIZES)
    model = MLP(sizes[0], sizes[1:], activation="relu", output_activation="linear", rng=0)
    params = model.parameters()
    for p, w in zip(params, job["weights"], strict=True):
        p.data = w
    optimizer = SGD(params, lr=learning_rate)
    X, y = job["X"], job["y"]

    def step(k: int) -> float:
        loss = svm_max_margin([model(x) for x in X], y) + l2_regularization(params, ALPHA)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.data

    return step


RUNNERS: dict[str, Callable[[dict[str, Any]], Callable[[int], float] | None]] = {
    "tensor": tensor_runner,
    "numpy by hand": numpy_runner,
    "pytorch": torch_runner,
    "scalar eager": scalar_runner,
}


def worker_tensor(job: dict[str, Any]) -> dict[str, list[float]]:
    """bench.py's worker protocol: run `job["steps"]` tensor-engine steps, return per-step times and losses."""
    step = tensor_runner(job)
    times, losses = [], []
    for k in range(job["steps"]):
        start = time.perf_counter()
        losses.append(step(k))
        times.append(time.perf_counter() - start)
    return {"times": times, "losses": losses}


# ---------------------------------------------------------------- measuring


def measure(job: dict[str, Any], names: list[str], rounds: int, steps: dict[str, int]) -> dict[str, Any]:
    """Median seconds per step of each engine, engines alternating (reversed every other round).

    Every round starts each engine afresh from the job's weights and runs its
    first `steps[name]` training steps, so all engines see the same steps.
    """
    samples: dict[str, list[float]] = {name: [] for name in names}
    losses: dict[str, list[float]] = {}
    for r in range(rounds):
        for name in names if r % 2 == 0 else list(reversed(names)):
            step = RUNNERS[name](job)
            assert step is not None
            got = []
            for k in range(steps[name]):
                start = clock()
                got.append(step(k))
                samples[name].append(clock() - start)
            losses[name] = got
    return {"median": {name: statistics.median(v) for name, v in samples.items()}, "losses": losses}


def available(names: list[str]) -> list[str]:
    return [name for name in names if RUNNERS[name](job_for(batch=4, steps=1)) is not None]


def moons_table(rounds: int, fast_steps: int, scalar_steps: int) -> bool:
    names = available(list(RUNNERS))
    job = job_for()
    steps = {name: scalar_steps if name == "scalar eager" else fast_steps for name in names}
    print(f"two-moons step (100 points, 2-16-16-1): {rounds} rounds, engines alternating, "
          f"{fast_steps} steps per round ({scalar_steps} for the scalar engine), GC on")
    result = measure(job, names, rounds, steps)
    med = result["median"]
    reference = med["numpy by hand"]
    for name in names:
        print(f"  {name:<14} {med[name] * 1e3:9.3f} ms/step   {med[name] / reference:7.2f}x NumPy by hand")
    ok = med["tensor"] <= 1.5 * reference
    print(f"  target tensor <= 1.5x NumPy by hand: {med['tensor'] / reference:.2f}x -> {'MET' if ok else 'NOT MET'}")
    if "pytorch" in med:
        faster = med["tensor"] < med["pytorch"]
        print(f"  target tensor faster than PyTorch: PyTorch takes {med['pytorch'] / med['tensor']:.2f}x the "
              f"tensor engine's time -> {'MET' if faster else 'NOT MET'}")
        ok = ok and faster
    print(f"  scalar eager takes {med['scalar eager'] / med['tensor']:.0f}x the tensor engine's time")
    first = result["losses"]["tensor"]
    for name in names:
        theirs = result["losses"][name]
        n = min(len(first), len(theirs))
        worst = max(abs(a - b) / abs(b) for a, b in zip(first[:n], theirs[:n], strict=True))
        print(f"  losses over {n} steps, tensor vs {name}: worst relative difference {worst:.1e}"
              f" ({'agree' if worst <= 1e-9 else 'DISAGREE'} to 1e-9)")
        ok = ok and worst <= 1e-9
    return ok


def scaling_table(rounds: int, steps: int, quick: bool) -> None:
    names = available(list(RUNNERS))
    configs = [(b, 16) for b in ((10, 100, 1000) if quick else (10, 100, 1000, 10000))]
    configs += [(100, w) for w in ((64,) if quick else (64, 256))]
    print(f"\nscaling: median ms per step ({rounds} rounds of {steps} steps; scalar eager 1 step per round, "
          "only up to 2e6 weight uses per step)")
    print(f"  {'batch':>6} {'width':>6} " + " ".join(f"{name:>14}" for name in names))
    for batch, width in configs:
        job = job_for(batch=batch, width=width)
        run = [n for n in names if n != "scalar eager" or batch * (2 * width + width * width + width) <= 2e6]
        med = measure(job, run, rounds, {n: 1 if n == "scalar eager" else steps for n in run})["median"]
        cells = [f"{med[n] * 1e3:14.3f}" if n in med else f"{'-':>14}" for n in names]
        print(f"  {batch:>6} {width:>6} " + " ".join(cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and sizes (a few seconds)")
    args = parser.parse_args()
    print(f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, NumPy {np.__version__}, "
          f"Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f}")
    ok = moons_table(rounds=3 if args.quick else 7, fast_steps=30 if args.quick else 100,
                     scalar_steps=1 if args.quick else 3)
    scaling_table(rounds=2 if args.quick else 3, steps=5 if args.quick else 10, quick=args.quick)
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
