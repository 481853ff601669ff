"""Benchmark: this engine against classic micrograd 0.1.0 on the two-moons training step.

The step is classic micrograd's demo: 100 points, MLP 2-16-16-1 (ReLU, linear
output), SVM max-margin loss + 1e-4 * L2, full batch, forward + backward + SGD
with lr = 1.0 - 0.9 * k / 100. Each engine runs in its own subprocess, A/B
alternating over several rounds, from identical weights; times are medians per
step, and the final losses must agree to 1e-12 relative. Python's garbage
collector stays on everywhere, as users run it.

Two floors run beside them on the same step and weights: a bare tape (floats in
a list, one entry per operation, replayed backwards: what recording a graph
costs in pure Python with no objects at all) and the gradient written out by
hand on plain floats (no graph).

Run:  .venv/bin/python scripts/bench.py            (about a minute)
      .venv/bin/python scripts/bench.py --quick    (a few seconds, for CI smoke tests)
"""

from __future__ import annotations

import argparse
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


def learning_rate(k: int) -> float:
    return 1.0 - 0.9 * k / 100


# ---------------------------------------------------------------- workers
# Each worker reads a job (weights, data, steps) as JSON on stdin and prints
# per-step times and losses as JSON. They run in fresh interpreters so that
# neither engine's garbage shapes the other's timings.


def worker_ours(job: dict) -> dict:
    from micrograd.losses import l2_regularization, svm_max_margin
    from micrograd.nn import MLP
    from micrograd.optim import SGD

    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", rng=0)
    params = model.parameters()
    for p, w in zip(params, job["weights"]):
        p.data = w
    X, y = job["X"], job["y"]
    optimizer = SGD(params, lr=learning_rate)
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


def worker_classic(job: dict) -> dict:
    sys.path.insert(0, str(CLASSIC_DIR))
    from micrograd.engine import Value  # classic 0.1.0, from its own folder
    from micrograd.nn import MLP

    assert "bench" in sys.modules["micrograd"].__file__, "classic micrograd was not the one imported"
    model = MLP(2, [16, 16, 1])
    params = model.parameters()
    for p, w in zip(params, job["weights"]):
        p.data = w
    X, y = job["X"], job["y"]
    times, losses = [], []
    for k in range(job["steps"]):
        start = time.process_time()
        # classic micrograd's demo.ipynb loss and update, as users run it
        inputs = [list(map(Value, row)) for row in X]
        scores = list(map(model, inputs))
        sample_losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(sample_losses) * (1.0 / len(sample_losses))
        reg_loss = ALPHA * sum((p * p for p in params))
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
    sizes = [2, 16, 16, 1]
    # unpack flat parameters (per neuron: weights then bias) into per-layer rows
    layers, i = [], 0
    for nin, nout in zip(sizes, sizes[1:]):
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
        for xrow, yi in zip(X, y):
            acts = [xrow]
            for li, layer in enumerate(layers):
                inp = acts[-1]
                out = []
                last = li == len(layers) - 1
                for w, b in layer:
                    s = b
                    for wj, xj in zip(w, inp):
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
    sizes = [2, 16, 16, 1]
    X, y = job["X"], job["y"]
    values = list(job["weights"])
    times, losses = [], []
    for k in range(job["steps"]):
        start = time.process_time()
        del values[n_params:]
        tape: list[tuple[int, tuple, tuple]] = []

        def record(value: float, children: tuple, local: tuple) -> int:
            values.append(value)
            tape.append((len(values) - 1, children, local))
            return len(values) - 1

        margins = []
        for xrow, yi in zip(X, y):
            inputs = []
            for xv in xrow:
                values.append(xv)
                inputs.append(len(values) - 1)
            p = 0
            for li, (nin, nout) in enumerate(zip(sizes, sizes[1:])):
                outputs = []
                for _ in range(nout):
                    w, b = list(range(p, p + nin)), p + nin
                    p += nin + 1
                    total = values[b]
                    for wi, xi in zip(w, inputs):
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
                for child, derivative in zip(children, local):
                    grads[child] += derivative * g
        lr = learning_rate(k)
        for i in range(n_params):
            values[i] -= lr * grads[i]
        times.append(time.process_time() - start)
        losses.append(values[root])
    return {"times": times, "losses": losses}


WORKERS = {"ours": worker_ours, "classic": worker_classic, "floor": worker_floor, "tape": worker_tape}


def worker_main(name: str) -> None:
    job = json.load(sys.stdin)
    json.dump(WORKERS[name](job), sys.stdout)


# ---------------------------------------------------------------- driver


def ensure_classic() -> None:
    if (CLASSIC_DIR / "micrograd" / "engine.py").exists():
        return
    print(f"installing classic {CLASSIC_SPEC} into {CLASSIC_DIR.relative_to(ROOT)} (its name clashes with ours) ...")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--target", str(CLASSIC_DIR), CLASSIC_SPEC],
        check=True,
    )


def run_worker(name: str, job: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", name],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        env=env,
        cwd=str(ROOT / "scripts"),  # keep the project root off sys.path[0] for the classic worker
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{name} worker failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


def initial_job(steps: int) -> dict:
    from micrograd.data import make_moons
    from micrograd.nn import MLP

    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", rng=1337)
    return {"X": X, "y": [float(v) for v in y], "steps": steps, "weights": [p.data for p in model.parameters()]}


def compare_losses(name: str, ours: list[float], theirs: list[float]) -> float:
    worst = max(abs(a - b) / max(abs(b), 1e-300) for a, b in zip(ours, theirs))
    verdict = "agree" if worst <= 1e-12 else "DISAGREE"
    print(f"  final loss  ours {ours[-1]!r}  {name} {theirs[-1]!r}  worst relative difference {worst:.1e} ({verdict} to 1e-12)")
    return worst


def bench_step(rounds: int, steps: int) -> dict:
    job = initial_job(steps)
    engines = ("classic", "ours", "tape", "floor")
    print(f"two-moons step: {rounds} rounds x {steps} steps per engine, A/B alternating, GC on")
    samples: dict[str, list[float]] = {name: [] for name in engines}
    last: dict[str, dict] = {}
    for r in range(rounds):
        for name in engines if r % 2 == 0 else reversed(engines):
            result = run_worker(name, job)
            samples[name] += result["times"]
            last[name] = result
        so_far = ", ".join(f"{k} {statistics.median(v) * 1e3:.1f} ms" for k, v in samples.items())
        print(f"  round {r + 1}/{rounds}: {so_far} per step (medians so far)", flush=True)
    med = {k: statistics.median(v) for k, v in samples.items()}
    print(
        f"  median per step: classic {med['classic'] * 1e3:.1f} ms | ours {med['ours'] * 1e3:.2f} ms | "
        f"bare tape {med['tape'] * 1e3:.2f} ms | hand-written floats {med['floor'] * 1e3:.2f} ms"
    )
    print(f"  SPEEDUP ours vs classic: {med['classic'] / med['ours']:.1f}x")
    print(
        f"  floors: the bare tape is {med['classic'] / med['tape']:.1f}x classic, hand-written floats "
        f"{med['classic'] / med['floor']:.1f}x; ours takes {med['ours'] / med['tape']:.2f}x the tape's time"
    )
    worst = compare_losses("classic", last["ours"]["losses"], last["classic"]["losses"])
    for floor in ("tape", "floor"):
        compare_losses(floor, last["ours"]["losses"], last[floor]["losses"])
    return {"speedup": med["classic"] / med["ours"], "worst": worst}


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
    print(f"  memory: {(after - before) / nodes:.0f} bytes per node (chain of v * c, {nodes:,} nodes incl. constants; classic {classic_bytes} measured the same way)")
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
    print(f"  {n:,}-node graph: built at {n / (built - start) / 1e6:.2f} M nodes/s, backward (sort + chain rule) at {n / (done - built) / 1e6:.2f} M nodes/s")


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
    parser.add_argument("--rounds", type=int, default=5, help="A/B rounds (default 5)")
    parser.add_argument("--steps", type=int, default=4, help="training steps per engine per round (default 4)")
    parser.add_argument("--quick", action="store_true", help="1 round of 2 steps, skip the depth and memory probes")
    args = parser.parse_args()
    if args.worker:
        worker_main(args.worker)
        return 0
    ensure_classic()
    if args.quick:
        result = bench_step(1, 2)
    else:
        result = bench_step(args.rounds, args.steps)
        print("depth, memory and throughput:")
        bench_depth_and_memory(classic_bytes_per_node())
    return 0 if result["worst"] <= 1e-12 else 1


if __name__ == "__main__":
    sys.exit(main())
