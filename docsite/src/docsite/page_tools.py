"""What the playground and the backward stepper ask the page's Python for (runs in Pyodide).

The page's worker (docs/javascripts/python-worker.mjs) calls `call(name,
args_json)` with the name of one of `TOOLS`; the answer is JSON. The numbers
come from the library itself: `micrograd.stepper` runs the engine's own
backward rules one node at a time, and `micrograd.playground` trains the
network exactly as the exported script does. The playground's run lives here
between calls, one per page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from micrograd.engine import topological_order
from micrograd.playground import DATASETS, LOSSES, Settings, Trainer, choices, export_script, predict_many
from micrograd.stepper import backward_steps, expression_graph, parse_inputs

_run: dict[str, Trainer] = {}  # the playground's current run, under "trainer"


def call(name: str, args_json: str) -> str:
    """Run the tool `name` with keyword arguments from JSON; its result, or `{"error": ...}`, as JSON.

    Non-finite numbers (a loss that blew up) become the strings "nan", "inf", "-inf".

    Examples:
        >>> json.loads(call("stepper", '{"expression": "a + a", "inputs": "a=3"}'))["backward"]
        [2.0, 1.0]
        >>> json.loads(call("stepper", '{"expression": "a +", "inputs": "a=3"}'))["error"]
        'not a valid expression: invalid syntax'
    """
    tool = TOOLS.get(name)
    if tool is None:
        return json.dumps({"error": f"no page tool named {name!r}"})
    try:
        result = tool(**json.loads(args_json))
    except ValueError as error:  # the reader's input: say what is wrong
        result = {"error": str(error)}
    return json.dumps(_finite(result), allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def stepper(expression: str, inputs: str) -> dict[str, Any]:
    """The graph of `expression`, its DOT drawing, every backward step, and `backward()`'s gradients.

    Node `i` is the i-th in topological order, named `v{i}` in the DOT (as
    `micrograd.viz.draw_dot` names it). Each step lists the node whose rule
    ran and, per child, its grad before and after.
    """
    from micrograd.viz import draw_dot  # needs the graphviz package, which the page has

    values = parse_inputs(inputs)
    root = expression_graph(expression, values)
    order = topological_order(root)
    index = {node: i for i, node in enumerate(order)}  # Values hash by identity
    dot = str(draw_dot(root, rankdir="TB").source)  # top to bottom: narrow enough for a phone
    steps = backward_steps(root)
    reference = expression_graph(expression, values)
    reference.backward()
    return {
        "dot": dot,
        "nodes": [{"label": node.label, "data": node.data, "op": str(node._op),
                   "children": [index[c] for c in node._prev]} for node in order],
        "steps": [{"node": index[step.node], "op": str(step.node._op), "rule": step.rule,
                   "changes": [{"child": index[c.child], "before": c.before, "after": c.after, "times": c.times}
                               for c in step.changes]}
                  for step in steps],
        "stepped": [node.grad for node in order],
        "backward": [node.grad for node in topological_order(reference)],
    }


def playground_start(query: str) -> dict[str, Any]:
    """Start a run from the link's query: its settings, the form's choices, the data, the first drawing."""
    settings = Settings.from_query(query)
    trainer = _run["trainer"] = Trainer(settings)
    return {
        "settings": {**settings.__dict__, "hidden": list(settings.hidden)},
        "query": settings.to_query(),
        "choices": choices(),
        "kind": DATASETS[settings.dataset].kind,
        "X": trainer.X,
        "y": trainer.y,
        "bounds": _bounds(trainer.X),
        "threshold": LOSSES[settings.loss].threshold,
    }


def playground_advance(steps: int, grid: int) -> dict[str, Any]:
    """Train `steps` more steps; the new results, the model's drawing (`grid` points a side) and its weights."""
    trainer = _run.get("trainer")
    if trainer is None:
        raise ValueError("no run: start one first")
    results = [trainer.step() for _ in range(steps)]
    return {
        "results": [[r.step, r.loss, r.accuracy, r.lr] for r in results],
        "drawing": _drawing(trainer, grid),
        "network": [[[*(w.data for w in n.w), n.b.data] for n in layer.neurons] for layer in trainer.model.layers],
    }


def _drawing(trainer: Trainer, grid: int) -> dict[str, Any]:
    """Scores over a grid covering the data (minus the threshold: the boundary is at 0), or the fitted curve."""
    bounds = _bounds(trainer.X)
    if len(bounds) == 1:
        (low, high), count = bounds[0], 4 * grid
        xs = [low + (high - low) * i / (count - 1) for i in range(count)]
        return {"xs": xs, "curve": predict_many(trainer.model, [[x] for x in xs])}
    (x0, x1), (y0, y1) = bounds
    threshold = trainer.loss.threshold
    xs = [x0 + (x1 - x0) * (i + 0.5) / grid for i in range(grid)]
    ys = [y0 + (y1 - y0) * (j + 0.5) / grid for j in range(grid)]
    scores = predict_many(trainer.model, [[x, y] for y in ys for x in xs])
    return {"grid": grid, "scores": [score - threshold for score in scores]}


def _bounds(X: list[list[float]]) -> list[list[float]]:
    """Per input, the range the drawing covers: the data's, widened by 15 % on each side."""
    spans = [(min(x[d] for x in X), max(x[d] for x in X)) for d in range(len(X[0]))]
    return [[low - 0.15 * (high - low), high + 0.15 * (high - low)] for low, high in spans]


def playground_export(steps: int) -> dict[str, Any]:
    """The exported script for the current run's settings, running `steps` steps."""
    trainer = _run.get("trainer")
    if trainer is None:
        raise ValueError("no run: start one first")
    return {"script": export_script(trainer.settings, steps)}


TOOLS: dict[str, Callable[..., dict[str, Any]]] = {
    "stepper": stepper,
    "playground.start": playground_start,
    "playground.advance": playground_advance,
    "playground.export": playground_export,
}
