"""Benchmark: every way this project can run classic micrograd's two-moons training step.

The step is classic micrograd's demo: 100 points, MLP 2-16-16-1 (ReLU, linear
output), SVM max-margin loss + 1e-4 * L2, full batch, forward + backward + SGD
with lr = 1.0 - 0.9 * k / 100. Every contender runs the same steps from the
same weights, each in its own subprocess, in one interleaved run (the order
alternates between rounds; a contender whose steps take less than 0.1 s a
round runs them again, from the same weights, for more samples); times are
CPU time (process_time) per step, medians, with Python's garbage collector
on, as users run it. The losses must
agree with the eager engine's to 1e-12 relative, and the compiled loss's must
be bit-identical; the exit status says whether they did.

Contenders: classic micrograd 0.1.0 (installed into .bench/, its name clashes
with ours); this engine, eager; a bare tape (floats in a list, one entry per
operation, replayed backwards: the pure-Python floor for recording a graph);
the gradient written out by hand on floats (no graph); micrograd.compile (the
loss traced once, run as generated Python); micrograd.tensor (NumPy autograd,
when installed); NumPy with the gradient by hand; PyTorch on the CPU, batched,
float64. NumPy and PyTorch run on one thread (OPENBLAS_NUM_THREADS=1 etc.).
Then: the demo's 100 steps with compiling included, a scaling table (batch
size and width) and the depth, memory and throughput probes.

Run:  .venv/bin/python scripts/bench.py            (a few minutes)
      .venv/bin/python scripts/bench.py --quick    (the step table only, 1 round of 2 steps: CI's smoke test)
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLASSIC_DIR = ROOT / ".bench" / "classic"
CLASSIC_SPEC = "micrograd==0.1.0"
ALPHA = 1e-4
ROUND_SECONDS = 0.1  # at least this much of each round on a fast contender's steps (see bench_step)
MAX_REPEATS = 50


def learning_rate(k: int) -> float:
    return 1.0 - 0.9 * k / 100


# ---------------------------------------------------------------- workers
# Each worker reads a job (weights, data, steps) as JSON on stdin and prints
# per-step times and losses as JSON. They run in fresh interpreters so that
# neither engine's garbage shapes the other's timings.


def _moons_model(job: dict):
    from micrograd.nn import MLP
    from micrograd.optim import SGD

    sizes = job["sizes"]
    model = MLP(sizes[0], sizes[1:], activation="relu", output_activation="linear", rng=0)
    params = model.parameters()
    for p, w in zip(params, job["weights"], strict=False):
        p.data = w
    return model, params, SGD(params, lr=learning_rate)


def worker_eager(job: dict) -> dict:
    from micrograd.losses import l2_regularization, svm_max_margin

    model, params, optimizer = _moons_model(job)
    X, y = job["X"], job["y"]
    times, losses = [], []
    for _ in range(job["steps"]):
        start = time.process_time()
        scores = [model(x) for x in X]
        loss = svm_max_margin(scores, y) + l2_regularization(params, ALPHA)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        times.append(time.process_time() - start)
        losses.append(loss.data)
    return {"times": times, "losses": losses}


def worker_compiled(job: dict) -> dict:
    """The eager step's loss compiled once by micrograd.compile (compile time reported apart)."""
    from micrograd.compile import compile_loss
    from micrograd.losses import l2_regularization

    model, params, optimizer = _moons_model(job)
    X, y = job["X"], job["y"]
    start = time.process_time()
    step = compile_loss(
        lambda x, t: (1 + -t * model(x)).relu(),  # svm_max_margin's term for one sample
        example=(X[0], y[0]),
        regularizer=lambda: l2_regularization(params, ALPHA),
    )
    compile_seconds = time.process_time() - start
    times, losses = [], []
    for _ in range(job["steps"]):
        start = time.process_time()
        optimizer.zero_grad()
        loss = step(X, y)
        optimizer.step()
        times.append(time.process_time() - start)
        losses.append(loss)
    return {"times": times, "losses": losses, "compile": compile_seconds}


def worker_classic(job: dict) -> dict:
    sys.path.insert(0, str(CLASSIC_DIR))
    from micrograd.engine import Value  # classic 0.1.0, from its own folder
    from micrograd.nn import MLP

    assert "bench" in sys.modules["micrograd"].__file__, "classic micrograd was not the one imported"
    sizes = job["sizes"]
    model = MLP(sizes[0], sizes[1:])
    params = model.parameters()
    for p, w in zip(params, job["weights"], strict=False):
        p.data = w
    X, y = job["X"], job["y"]
    times, losses = [], []
    for k in range(job["steps"]):
        start = time.process_time()
        # classic micrograd's demo.ipynb loss and update, as users run it
        inputs = [list(map(Value, row)) for row in X]
        scores = list(map(model, inputs))
        sample_losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores, strict=False)]
        data_loss = sum(sample_losses) * (1.0 / len(sample_losses))
        reg_loss = ALPHA * sum(p * p for p in params)
        total = data_loss + reg_loss
        model.zero_grad()
        total.backward()
        lr = learning_rate(k)
        for p in params:
            p.data -= lr * p.grad
        times.append(time.process_time() - start)
        losses.append(total.data)
    return {"times": times, "losses": losses}


def worker_floor(job: dict) -> dict:
    """The same step written by hand on plain floats: no graph at all, the pure-Python floor."""
    W = job["weights"]
    sizes = job["sizes"]
    # unpack flat parameters (per neuron: weights then bias) into per-layer rows
    layers, i = [], 0
    for nin, nout in itertools.pairwise(sizes):
        rows = []
        for _ in range(nout):
            rows.append([W[i : i + nin], W[i + nin]])
            i += nin + 1
        layers.append(rows)
    X, y = job["X"], job["y"]
    n = len(X)
    times, losses = [], []
    for k in range(job["steps"]):
        start = time.process_time()
        gw = [[[0.0] * len(w) for w, _ in layer] for layer in layers]
        gb = [[0.0] * len(layer) for layer in layers]
        total = 0.0
        for xrow, yi in zip(X, y, strict=False):
            acts = [xrow]
            for li, layer in enumerate(layers):
                inp = acts[-1]
                out = []
                last = li == len(layers) - 1
                for w, b in layer:
                    s = b
                    for wj, xj in zip(w, inp, strict=False):
                        s += wj * xj
                    out.append(s if last else (s if s > 0 else 0.0))
                acts.append(out)
            score = acts[-1][0]
            margin = 1 + score * -yi
            if margin > 0:
                total += margin
                upstream = [-yi / n]  # d(mean hinge)/d(score)
            else:
                total += 0.0
                continue
            for li in range(len(layers) - 1, -1, -1):
                inp, out, layer = acts[li], acts[li + 1], layers[li]
                last = li == len(layers) - 1
                down = [0.0] * len(inp)
                for j, (w, _) in enumerate(layer):
                    g = upstream[j] if (last or out[j] > 0) else 0.0
                    if g == 0.0:
                        continue
                    gb[li][j] += g
                    row = gw[li][j]
                    for m, xm in enumerate(inp):
                        row[m] += xm * g
                        down[m] += w[m] * g
                upstream = down
        reg = 0.0
        for layer in layers:
            for w, b in layer:
                for wj in w:
                    reg += wj * wj
                reg += b * b
        loss = total * (1.0 / n) + reg * ALPHA
        lr = learning_rate(k)
        for li, layer in enumerate(layers):
            for j, (w, b) in enumerate(layer):
                row = gw[li][j]
                for m in range(len(w)):
                    w[m] -= lr * (row[m] + 2 * ALPHA * w[m])
                layer[j][1] = b - lr * (gb[li][j] + 2 * ALPHA * b)
        times.append(time.process_time() - start)
        losses.append(loss)
    return {"times": times, "losses": losses}


def worker_tape(job: dict) -> dict:
    """The same step on a bare tape: floats in a list, one (output, children, local derivatives)
    entry per operation (a neuron's weighted sum is one entry, as in our engine), replayed
    backwards. No objects per node: the floor for any pure-Python autograd that records a graph."""
    n_params = len(job["weights"])
    sizes = job["sizes"]
    X, y = job["X"], job["y"]
    values = list(job["weights"])
    times, losses = [], []
    for k in range(job["steps"]):
        start = time.process_time()
        del values[n_params:]
        tape: list[tuple[int, tuple, tuple]] = []

        def record(value: float, children: tuple, local: tuple, tape: list = tape) -> int:
            values.append(value)
            tape.append((len(values) - 1, children, local))
            return len(values) - 1

        margins = []
        for xrow, yi in zip(X, y, strict=False):
            inputs = []
            for xv in xrow:
                values.append(xv)
                inputs.append(len(values) - 1)
            p = 0
            for li, (nin, nout) in enumerate(itertools.pairwise(sizes)):
                outputs = []
                for _ in range(nout):
                    w, b = list(range(p, p + nin)), p + nin
                    p += nin + 1
                    total = values[b]
                    for wi, xi in zip(w, inputs, strict=False):
                        total += values[wi] * values[xi]
                    local = tuple(values[xi] for xi in inputs) + tuple(values[wi] for wi in w) + (1.0,)
                    s = record(total, (*w, *inputs, b), local)
                    if li < len(sizes) - 2:
                        s = record(values[s] if values[s] > 0 else 0.0, (s,), (1.0 if values[s] > 0 else 0.0,))
                    outputs.append(s)
                inputs = outputs
            score = inputs[0]
            m = record(values[score] * -yi + 1, (score,), (-yi,))
            margins.append(record(values[m] if values[m] > 0 else 0.0, (m,), (1.0 if values[m] > 0 else 0.0,)))
        data_sum = 0.0
        for m in margins:
            data_sum += values[m]
        d = record(data_sum, tuple(margins), (1.0,) * len(margins))
        d = record(values[d] * (1.0 / len(margins)), (d,), (1.0 / len(margins),))
        squares = [record(values[i] * values[i], (i, i), (values[i], values[i])) for i in range(n_params)]
        reg_sum = 0.0
        for sq in squares:
            reg_sum += values[sq]
        r = record(reg_sum, tuple(squares), (1.0,) * len(squares))
        r = record(values[r] * ALPHA, (r,), (ALPHA,))
        root = record(values[d] + values[r], (d, r), (1.0, 1.0))
        grads = [0.0] * len(values)
        grads[root] = 1.0
        for out, children, local in reversed(tape):
            g = grads[out]
            if g:
                for child, derivative in zip(children, local, strict=False):
                    grads[child] += derivative * g
        lr = learning_rate(k)
        for i in range(n_params):
            values[i] -= lr * grads[i]
        times.append(time.process_time() - start)
        losses.append(values[root])
    return {"times": times, "losses": losses}


def _layer_rows(job: dict) -> list[tuple[list[list[float]], list[float]]]:
    """The flat weights (per neuron: its weights, then its bias) as (weight rows, biases) per layer."""
    W, sizes, layers, i = job["weights"], job["sizes"], [], 0
    for nin, nout in itertools.pairwise(sizes):
        rows, biases = [], []
        for _ in range(nout):
            rows.append(W[i : i + nin])
            biases.append(W[i + nin])
            i += nin + 1
        layers.append((rows, biases))
    return layers


def worker_numpy(job: dict) -> dict:
    """The batched step with NumPy, gradients written by hand (float64)."""
    try:
        import numpy as np
    except ImportError:
        return {"unavailable": "NumPy not installed (pip install numpy==2.4.6)"}
    layers = [(np.array(w, dtype=np.float64), np.array(b, dtype=np.float64)) for w, b in _layer_rows(job)]
    X, y = np.array(job["X"], dtype=np.float64), np.array(job["y"], dtype=np.float64)
    n, last = len(y), len(layers) - 1
    times, losses = [], []
    for k in range(job["steps"]):
        start = time.process_time()
        acts, pre = [X], []
        for li, (W, b) in enumerate(layers):
            z = acts[-1] @ W.T + b
            pre.append(z)
            acts.append(z if li == last else np.maximum(z, 0.0))
        margin = 1.0 + -y * acts[-1][:, 0]
        reg = sum(float((W * W).sum() + (b * b).sum()) for W, b in layers)
        loss = float(np.maximum(margin, 0.0).sum()) * (1.0 / n) + reg * ALPHA
        g = np.where(margin > 0, -y / n, 0.0)[:, None]  # d loss / d score
        grads = []
        for li in range(last, -1, -1):
            W, b = layers[li]
            if li != last:
                g = g * (pre[li] > 0)
            grads.append((g.T @ acts[li], g.sum(axis=0)))
            g = g @ W
        lr = learning_rate(k)
        for (W, b), (gW, gb) in zip(layers, reversed(grads), strict=False):
            W -= lr * (gW + 2 * ALPHA * W)
            b -= lr * (gb + 2 * ALPHA * b)
        times.append(time.process_time() - start)
        losses.append(loss)
    return {"times": times, "losses": losses}


def worker_torch(job: dict) -> dict:
    """The batched step with PyTorch's autograd on the CPU, float64, one thread."""
    try:
        import torch
    except ImportError:
        return {"unavailable": "PyTorch not installed (pip install torch==2.13.0)"}
    torch.set_num_threads(1)
    f64 = torch.float64
    layers = [
        (torch.tensor(w, dtype=f64, requires_grad=True), torch.tensor(b, dtype=f64, requires_grad=True))
        for w, b in _layer_rows(job)
    ]
    tensors = [t for layer in layers for t in layer]
    X, y = torch.tensor(job["X"], dtype=f64), torch.tensor(job["y"], dtype=f64)
    times, losses = [], []
    for k in range(job["steps"]):
        start = time.process_time()
        h = X
        for li, (W, b) in enumerate(layers):
            h = h @ W.T + b
            if li != len(layers) - 1:
                h = torch.relu(h)
        reg = sum((W * W).sum() + (b * b).sum() for W, b in layers)
        loss = torch.relu(1 + -y * h[:, 0]).mean() + reg * ALPHA
        for t in tensors:
            t.grad = None
        loss.backward()
        lr = learning_rate(k)
        with torch.no_grad():
            for t in tensors:
                t -= lr * t.grad
        times.append(time.process_time() - start)
        losses.append(loss.item())
    return {"times": times, "losses": losses}


def worker_tensor(job: dict) -> dict:
    """The batched step with micrograd.tensor, written as a user would: model, loss, zero_grad, backward, SGD."""
    try:
        import numpy as np

        from micrograd.optim import SGD
        from micrograd.tensor_losses import l2_regularization, svm_max_margin
        from micrograd.tensor_nn import MLP
    except ImportError:
        return {"unavailable": "micrograd.tensor needs NumPy (pip install -e '.[tensor]')"}
    sizes = job["sizes"]
    model = MLP(sizes[0], sizes[1:], activation="relu", output_activation="linear", rng=0)
    for layer, (rows, biases) in zip(model.layers, _layer_rows(job), strict=True):
        layer.w.data[...] = np.array(rows, dtype=np.float64).T  # the tensor layer's W is nin x nout
        layer.b.data[...] = np.array(biases, dtype=np.float64)
    X, y = np.array(job["X"], dtype=np.float64), np.array(job["y"], dtype=np.float64)
    optimizer = SGD(model.parameters(), lr=learning_rate)
    times, losses = [], []
    for _ in range(job["steps"]):
        start = time.process_time()
        loss = svm_max_margin(model(X), y) + l2_regularization(optimizer.params, ALPHA)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        times.append(time.process_time() - start)
        losses.append(float(loss.data))
    return {"times": times, "losses": losses}


WORKERS = {
    "classic": worker_classic,
    "eager": worker_eager,
    "tape": worker_tape,
    "floor": worker_floor,
    "compiled": worker_compiled,
    "tensor": worker_tensor,
    "numpy": worker_numpy,
    "torch": worker_torch,
}
LABELS = {
    "classic": "classic micrograd 0.1.0",
    "eager": "this engine (eager)",
    "tape": "bare tape (pure-Python floor)",
    "floor": "hand-written floats (no graph)",
    "compiled": "micrograd.compile (traced once)",
    "tensor": "micrograd.tensor (NumPy autograd)",
    "numpy": "NumPy by hand",
    "torch": "PyTorch CPU, batched, float64",
}


def worker_main(name: str) -> None:
    jobs = json.load(sys.stdin)
    json.dump([WORKERS[name](job) for job in jobs], sys.stdout)


# ---------------------------------------------------------------- driver


def ensure_classic() -> None:
    if (CLASSIC_DIR / "micrograd" / "engine.py").exists():
        return
    print(f"installing classic {CLASSIC_SPEC} into {CLASSIC_DIR.relative_to(ROOT)} (its name clashes with ours) ...")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--target", str(CLASSIC_DIR), CLASSIC_SPEC],
        check=True,
    )


def run_worker(name: str, jobs: list[dict]) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(THREADS)
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", name],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        env=env,
        cwd=str(ROOT / "scripts"),  # keep the project root off sys.path[0] for the classic worker
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{name} worker failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


# One thread for NumPy's BLAS and PyTorch: on a shared 2-core machine, two threads make small matmuls erratic.
THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def make_job(steps: int, n: int = 100, width: int = 16) -> dict:
    from micrograd.data import make_moons
    from micrograd.nn import MLP

    X, y = make_moons(n_samples=n, noise=0.1, seed=1337)
    sizes = [2, width, width, 1]
    model = MLP(2, sizes[1:], activation="relu", output_activation="linear", rng=1337)
    weights = [p.data for p in model.parameters()]
    return {"X": X, "y": [float(v) for v in y], "steps": steps, "sizes": sizes, "weights": weights}


def worst_difference(ours: list[float], theirs: list[float]) -> float:
    return max(abs(a - b) / max(abs(b), 1e-300) for a, b in zip(ours, theirs, strict=False))


def bench_step(rounds: int, steps: int) -> dict:
    """Every contender on the same step and weights, interleaved (A/B order alternating) over `rounds`."""
    job = make_job(steps)
    names = list(WORKERS)
    print(
        f"two-moons step: 100 points, MLP 2-16-16-1 (ReLU), hinge loss + 1e-4 L2, SGD; {rounds} rounds x {steps} "
        f"steps per contender (fast ones repeat them, from the same weights, for {ROUND_SECONDS} s a round), "
        "order alternating; CPU time (process_time) per step, median; GC on"
    )
    samples: dict[str, list[float]] = {name: [] for name in names}
    last: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    compile_times: list[float] = []
    # A contender whose steps take well under a millisecond runs its steps again, from the same weights,
    # until a round spends about ROUND_SECONDS on it: more samples for the median where one step is
    # short enough for the machine's hiccups to matter. Every contender gets at least `steps` per round.
    repeats = dict.fromkeys(names, 1)
    for r in range(rounds):
        for name in names if r % 2 == 0 else reversed(names):
            if name in skipped:
                continue
            results = run_worker(name, [job] * repeats[name])
            if "unavailable" in results[0]:
                skipped[name] = results[0]["unavailable"]
                continue
            for result in results:
                samples[name] += result["times"]
                compile_times += [result["compile"]] if "compile" in result else []
            last[name] = results[-1]
            round_seconds = sum(sum(result["times"]) for result in results) / repeats[name]
            repeats[name] = max(1, min(MAX_REPEATS, round(ROUND_SECONDS / max(round_seconds, 1e-9))))
        print(f"  round {r + 1}/{rounds} done", flush=True)
    med = {k: statistics.median(v) for k, v in samples.items() if v}
    eager = last["eager"]["losses"]
    worst = 0.0
    print(f"  {'contender':<34} {'ms/step':>9} {'x classic':>10}   final loss, agreement with eager")
    for name in names:
        if name in skipped:
            print(f"  {LABELS[name]:<34} not available ({skipped[name]})")
            continue
        losses = last[name]["losses"]
        if name == "compiled":
            same = losses == eager
            verdict = "bit-identical" if same else "DIFFERS"
            worst = max(worst, 0.0 if same else 1.0)
        elif name == "eager":
            verdict = "(reference)"
        else:
            diff = worst_difference(losses, eager)
            worst = max(worst, diff)
            verdict = f"{'agrees' if diff <= 1e-12 else 'DISAGREES'} (worst relative difference {diff:.1e})"
        ratio = med["classic"] / med[name] if "classic" in med else float("nan")
        print(f"  {LABELS[name]:<34} {med[name] * 1e3:>9.3f} {ratio:>9.0f}x   {losses[-1]!r} {verdict}")
    if "compiled" in med:
        print(f"  compile time (trace twice, generate, compile): {statistics.median(compile_times) * 1e3:.1f} ms")
    return {"median": med, "worst": worst}


def bench_demo(classic_step: float) -> None:
    """Classic micrograd's demo: 100 steps, compile included, against 100 of classic's median steps."""
    (result,) = run_worker("compiled", [make_job(100)])
    total = result["compile"] + sum(result["times"])
    classic = 100 * classic_step
    print(
        f"  demo, 100 steps: compiled {total:.3f} s including {result['compile'] * 1e3:.1f} ms of compiling; "
        f"classic ~{classic:.0f} s (100 x its median step) -> {classic / total:.0f}x"
    )


def bench_scaling() -> None:
    """Time per step as the batch and the hidden width grow (one run of 3 steps per cell, the median)."""
    configs = [(25, 16), (100, 16), (400, 16), (100, 8), (100, 32), (100, 64)]
    names = ["eager", "compiled", "tensor", "numpy", "torch"]
    print("scaling: ms per step (CPU time) by batch size n and hidden width w (MLP 2-w-w-1)")
    header = "".join(f"{f'n={n} w={w}':>13}" for n, w in configs)
    print(f"  {'':<34}{header}")
    jobs = [make_job(3, n, w) for n, w in configs]
    for name in names:
        results = run_worker(name, jobs)
        if "unavailable" in results[0]:
            print(f"  {LABELS[name]:<34} not available ({results[0]['unavailable']})")
            continue
        cells = "".join(f"{statistics.median(r['times']) * 1e3:>13.2f}" for r in results)
        print(f"  {LABELS[name]:<34}{cells}", flush=True)


def bench_depth_and_memory(classic_bytes: str) -> None:
    import tracemalloc

    from micrograd.engine import Value, topological_order

    for depth in (10**6, 2 * 10**6):
        v = leaf = Value(1.0)
        for _ in range(depth):
            v = v + 1.0
        try:
            v.backward()
            ok = leaf.grad == 1.0
        except RecursionError:
            ok = False
        print(f"  chain {depth:>9,} ops deep: backward {'works' if ok else 'FAILS'}")
        del v, leaf
    classic = subprocess.run(
        [sys.executable, "-c", CLASSIC_DEPTH_PROBE], capture_output=True, text=True, cwd=str(CLASSIC_DIR)
    ).stdout.strip()
    print(f"  classic: deepest chain whose backward works = {classic} ops")

    n_ops = 100_000
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    v = Value(1.0)
    for _ in range(n_ops):
        v = v * 1.0000001
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    nodes = len(topological_order(v))
    per_node = (after - before) / nodes
    print(
        f"  memory: {per_node:.0f} bytes per node (chain of v * c, {nodes:,} nodes incl. constants; "
        f"classic {classic_bytes} measured the same way)"
    )
    del v

    # nodes per second on a graph of about 10^6 nodes
    start = time.process_time()
    v = Value(0.5)
    for _ in range(250_000):
        v = (v * 0.999 + 0.001).tanh()  # 4 nodes per round: 2 constants, *, +, tanh
    built = time.process_time()
    order = topological_order(v)
    v.backward()
    done = time.process_time()
    n = len(order)
    print(
        f"  {n:,}-node graph: built at {n / (built - start) / 1e6:.2f} M nodes/s, "
        f"backward (sort + chain rule) at {n / (done - built) / 1e6:.2f} M nodes/s"
    )


CLASSIC_DEPTH_PROBE = """
import sys
from micrograd.engine import Value
def works(depth):
    v = leaf = Value(1.0)
    for _ in range(depth):
        v = v + 1.0
    try:
        v.backward()
        return True
    except RecursionError:
        return False
lo, hi = 1, 5000
while lo < hi:
    mid = (lo + hi + 1) // 2
    lo, hi = (mid, hi) if works(mid) else (lo, mid - 1)
print(lo)
"""


def classic_bytes_per_node() -> str:
    probe = (
        "import tracemalloc\nfrom micrograd.engine import Value\n"
        "tracemalloc.start(); b = tracemalloc.get_traced_memory()[0]\n"
        "v = Value(1.0)\nfor _ in range(100000): v = v * 1.0000001\n"
        "print(round((tracemalloc.get_traced_memory()[0] - b) / 200001))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=str(CLASSIC_DIR))
    return out.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds (default 4)")
    parser.add_argument("--steps", type=int, default=4, help="training steps per contender per round (default 4)")
    parser.add_argument("--quick", action="store_true", help="1 round of 2 steps; no demo, scaling or depth probes")
    args = parser.parse_args()
    if args.worker:
        worker_main(args.worker)
        return 0
    ensure_classic()
    threads = ", ".join(f"{k}={v}" for k, v in THREADS.items())
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load_average()}; {threads}")
    result = bench_step(1, 2) if args.quick else bench_step(args.rounds, args.steps)
    if not args.quick:
        bench_demo(result["median"]["classic"])
        bench_scaling()
        print("depth, memory and throughput:")
        bench_depth_and_memory(classic_bytes_per_node())
        print(f"load average at the end: {load_average()}")
    return 0 if result["worst"] <= 1e-12 else 1


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
