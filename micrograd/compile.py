"""Compile a training loss: trace it once on real `Value`s, then run it as generated Python.

`compile_loss` calls your per-sample loss once on `Value`s, records the graph
it builds, and writes that graph out as a plain Python function over floats:
the forward pass, then the backward pass as one statement per chain-rule step,
looped over the samples of a batch. No `Value` is created when it runs, so a
training step takes a small fraction of the eager engine's time, and because
every statement is the engine's own arithmetic in the engine's own order, the
loss and the gradients are the same floats, to the last bit.

The compiled loss is `Value.sum(terms) * (1.0 / n) + regularizer()` (or
without `* (1.0 / n)` for `reduction="sum"`), where `terms` are the per-sample
losses: the same arithmetic as `svm_max_margin(...) + l2_regularization(...)`
or `mean_squared_error(...)`.
"""

from __future__ import annotations

import itertools
import linecache
import math
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from micrograd._codegen import GraphCode, names_for
from micrograd._tracing import TracingError, trace
from micrograd.engine import Value, _power, _slope_power, _to_float, topological_order

__all__ = ["compile_loss", "CompiledLoss", "TracingError"]

Sample = float | Sequence[float]
SampleLoss = Callable[[Any, Any], Value]

_REDUCTIONS = ("mean", "sum")
_NAMESPACE: dict[str, object] = {
    "exp": math.exp,
    "log": math.log,
    "tanh": math.tanh,
    "inf": math.inf,
    "nan": math.nan,
    "_power": _power,
    "_slope_power": _slope_power,
    "isfinite": math.isfinite,
}
# Names the generated code uses; a parameter labelled like one of them is named p0, p1, ... instead.
_RESERVED = {"rows", "targets", "leaves", "values", "n", "i", "terms", "total", "term", "loss", "loss_and_grads"}
_RESERVED |= {"len", "range", "sum"}
_RESERVED |= set(_NAMESPACE)
_serial = itertools.count(1)
_LossAndGrads = Callable[[list[Any], list[Any], list[Value]], "tuple[float, list[float]] | None"]


def _shape(sample: object, name: str) -> int | None:
    """None for one number, the length for a sequence of numbers."""
    if isinstance(sample, (list, tuple)):
        return len(sample)
    _to_float(sample)  # a number, or a TypeError naming what it is
    return None


def _wrap(sample: Any, shape: int | None) -> Any:
    """A sample as the traced function sees it: one Value, or a list of Values."""
    if shape is None:
        return Value(sample)
    return [Value(v) for v in sample]


def _floats(samples: Sequence[Any], shape: int | None, name: str) -> list[Any]:
    """Every sample as floats (a tuple of `shape` floats each), checking its size.

    A list of lists (or tuples) of floats, the usual batch, passes as it is
    after two checks that run in C; anything else is converted sample by sample.
    """
    if type(samples) is list:
        if shape is None:
            if set(map(type, samples)) <= {float}:
                return samples
        elif (
            set(map(type, samples)) <= {list, tuple}
            and set(map(len, samples)) <= {shape}
            and set(map(type, itertools.chain.from_iterable(samples))) <= {float}
        ):
            return samples
    if shape is None:
        return [_to_float(s) for s in samples]
    rows = []
    for i, row in enumerate(samples):
        if not isinstance(row, (list, tuple)) or len(row) != shape:
            raise ValueError(f"{name}[{i}] should be a list of {shape} numbers like the example, got {row!r}")
        rows.append(tuple(map(_to_float, row)))
    return rows


def _unpack(names: list[str], shape: int | None, source: str) -> str:
    if shape is None:
        return f"{names[0]} = {source}"
    if not names:
        return f"_ = {source}"
    return f"{', '.join(names)}{',' if len(names) == 1 else ''} = {source}"


class CompiledLoss:
    """A loss compiled by `compile_loss`: call it on a batch for the loss and the gradients.

    Attributes:
        source: The generated Python code (forward and backward, written out).
        parameters: The Values that receive gradients: every leaf the loss uses
            that existed before tracing (the model's weights), in order of first use.

    Examples:
        >>> from micrograd.compile import compile_loss
        >>> from micrograd.engine import Value
        >>> w = Value(0.5, label="w")
        >>> loss = compile_loss(lambda x, y: (w * x - y) ** 2, example=(1.0, 2.0))
        >>> loss([1.0, 2.0], [2.0, 0.0])
        1.625
        >>> w.grad
        0.5
    """

    def __init__(
        self,
        sample_loss: SampleLoss,
        example: tuple[Sample, Sample],
        reduction: str = "mean",
        regularizer: Callable[[], Value] | None = None,
    ):
        if reduction not in _REDUCTIONS:
            raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
        if not isinstance(example, tuple) or len(example) != 2:
            raise TypeError("example must be one sample as a tuple (x, y), e.g. (X[0], y[0])")
        self._sample_loss = sample_loss
        self._regularizer = regularizer
        self.reduction = reduction
        self._x_shape = _shape(example[0], "x")
        self._y_shape = _shape(example[1], "y")
        self._example = example
        first, parameters, self._skips = self._generate(example)
        second, _, _ = self._generate(example)
        if first != second:
            raise TracingError(
                "the loss built a different graph when traced a second time on the same sample: it uses "
                "random numbers (dropout?) or state that changes between calls, which compiled code would "
                "freeze at the first trace. Compile a deterministic loss, or run this step eagerly."
            )
        self.source = first
        self.parameters = parameters
        self._function = _compiled(first)
        self._exact_function: _LossAndGrads | None = None  # without skipped zeros; made when first needed

    def __call__(self, xs: Sequence[Sample], ys: Sequence[Sample]) -> float:
        """The loss over a batch, as a float; adds its gradient to every parameter's `grad`.

        Like `loss.backward()`, it adds: zero the gradients between steps.

        Examples:
            >>> from micrograd.compile import compile_loss
            >>> from micrograd.engine import Value
            >>> a = Value(3.0)
            >>> square = compile_loss(lambda x, y: (a * x) ** 2, example=(1.0, 0.0), reduction="sum")
            >>> square([1.0, 2.0], [0.0, 0.0]), a.grad
            (45.0, 30.0)
        """
        rows = _floats(xs, self._x_shape, "xs")
        targets = _floats(ys, self._y_shape, "ys")
        if not rows or len(rows) != len(targets):
            raise ValueError(f"need as many xs as ys (at least one), got {len(rows)} and {len(targets)}")
        try:
            result = self._function(rows, targets, self.parameters)
            if result is None or (self._skips and not math.isfinite(sum(result[1]))):
                # A skipped 0.0 times an infinite or NaN weight or gradient is NaN in the engine: redo it all.
                result = self._exact()(rows, targets, self.parameters)
            assert result is not None  # the exact code has no early return
            loss, grads = result
        except Exception as error:  # re-raised below by the eager engine, in its own words
            failure = error
        else:
            for leaf, grad in zip(self.parameters, grads, strict=True):
                leaf.grad += grad
            return loss
        self._raise_as_eager(rows, targets, failure)

    def eager_loss(self, xs: Sequence[Sample], ys: Sequence[Sample]) -> Value:
        """The same loss built by the eager engine, as a Value (for checking, or for drawing).

        Examples:
            >>> from micrograd.compile import compile_loss
            >>> from micrograd.engine import Value
            >>> w = Value(0.5)
            >>> loss = compile_loss(lambda x, y: (w * x - y) ** 2, example=(1.0, 2.0))
            >>> loss.eager_loss([1.0, 2.0], [2.0, 0.0]).data == loss([1.0, 2.0], [2.0, 0.0])
            True
        """
        pairs = zip(xs, ys, strict=True)
        terms = [self._sample_loss(_wrap(x, self._x_shape), _wrap(y, self._y_shape)) for x, y in pairs]
        loss = Value.sum(terms)
        if self.reduction == "mean":
            loss = loss * (1.0 / len(terms))
        if self._regularizer is not None:
            loss = loss + self._regularizer()
        return loss

    def __repr__(self) -> str:
        return f"CompiledLoss({len(self.parameters)} parameters, {self.source.count(chr(10)) + 1} lines)"

    # ------------------------------------------------------------ internals

    def _raise_as_eager(self, xs: Sequence[Sample], ys: Sequence[Sample], failure: Exception) -> NoReturn:
        """Run the eager step to raise the engine's own error (its message names the culprit)."""
        saved = [p.grad for p in self.parameters]
        self.eager_loss(xs, ys).backward()  # raises here, as an eager step would
        for p, grad in zip(self.parameters, saved, strict=True):
            p.grad = grad
        raise RuntimeError(
            f"the compiled loss failed ({type(failure).__name__}: {failure}) where the eager engine did not; "
            "please report this"
        ) from failure

    def _exact(self) -> _LossAndGrads:
        """The generated code without the skipped zeros: every statement the engine runs."""
        if self._exact_function is None:
            source, _, _ = self._generate(self._example, skip_zeros=False)
            self._exact_function = _compiled(source)
        return self._exact_function

    def _generate(self, example: tuple[Sample, Sample], skip_zeros: bool = True) -> tuple[str, list[Value], bool]:
        """Trace the per-sample loss (and the regularizer) once.

        Returns the generated source, the parameters, and whether the code
        skips statements when a ReLU output is zero (see `GraphCode`).
        """
        x, y = _wrap(example[0], self._x_shape), _wrap(example[1], self._y_shape)
        x_inputs = [x] if self._x_shape is None else list(x)
        y_inputs = [y] if self._y_shape is None else list(y)
        sample = trace(self._sample_loss, x, y, inputs=x_inputs + y_inputs)
        root = _check_result(sample.result, "the per-sample loss")
        parameters = _parameters(root, sample.created, sample.inputs)
        reg_root = None
        if self._regularizer is not None:
            regularizer = trace(self._regularizer, inputs=[])
            reg_root = _check_result(regularizer.result, "the regularizer")
            seen = {id(p) for p in parameters}
            parameters += [p for p in _parameters(reg_root, regularizer.created, {}) if id(p) not in seen]

        x_names = ["x"] if self._x_shape is None else [f"x{i}" for i in range(len(x_inputs))]
        y_names = ["y"] if self._y_shape is None else [f"y{i}" for i in range(len(y_inputs))]
        p_names = names_for(parameters, "p", _RESERVED | set(x_names) | set(y_names))
        leaf_names = {id(p): name for p, name in zip(parameters, p_names, strict=True)}
        grad_names = {id(p): f"d_{name}" for p, name in zip(parameters, p_names, strict=True)}
        inputs = {id(v): name for v, name in zip(x_inputs + y_inputs, x_names + y_names, strict=True)}

        body: list[str] = []
        if parameters:
            body.append(_unpack(p_names, 0, "[leaf.data for leaf in leaves]"))
            unpack_at = len(body) - 1
            body.append(" = ".join(grad_names.values()) + " = 0.0")
        body.append("n = len(rows)")
        mean = self.reduction == "mean"
        body.append("d_term = 1.0 / n  # d loss / d (one sample's term)" if mean else "d_term = 1.0")
        if reg_root is not None:
            reg = GraphCode(reg_root, leaf_names, grad_names, "r", skip_zeros)
            body.append("# the regularizer: forward, then backward from d loss / d regularizer = 1")
            body += reg.forward() + reg.backward("1.0")
        per_sample = GraphCode(root, {**leaf_names, **inputs}, grad_names, "t", skip_zeros)
        body.append("terms = [0.0] * n")
        body.append("for i in range(n - 1, -1, -1):  # the engine's backward meets the samples last to first")
        loop = [
            _unpack(x_names, self._x_shape, "rows[i]"),
            _unpack(y_names, self._y_shape, "targets[i]"),
            *per_sample.forward(),
            f"terms[i] = {per_sample.value[id(per_sample.root)]}",
            *per_sample.backward("d_term"),
        ]
        body += [f"    {line}" for line in loop]
        body += ["total = 0.0", "for term in terms:  # first to last, as Value.sum adds them", "    total += term"]
        loss = "total * (1.0 / n)" if mean else "total"
        if reg_root is not None:
            loss += f" + {reg.value[id(reg.root)]}"
        body.append(f"loss = {loss}")
        body.append(f"return loss, [{', '.join(grad_names.values())}]")
        skips = per_sample.guarded or (reg_root is not None and reg.guarded)
        if skips and parameters:  # code that skips 0.0 * w is exact only for finite weights
            body[unpack_at : unpack_at + 1] = [
                "values = [leaf.data for leaf in leaves]",
                "if not isfinite(sum(values)):  # an infinite or NaN weight: the caller runs the exact code",
                "    return None",
                _unpack(p_names, 0, "values"),
            ]
        hot = [*x_names, *y_names, "i"]
        hot += [per_sample.value[id(n)] for n in per_sample.computed()]
        hot += [per_sample.grad[id(n)] for n in per_sample.computed() if id(n) in per_sample.grad]
        if len(hot) + 4 * len(parameters) > 256:
            # Python numbers a function's variables in order of first appearance, and only the first 256
            # are read and written with one-byte indices: the names used for every sample go first.
            body.insert(0, " = ".join(hot) + " = 0.0  # the per-sample variables first: the fastest to reach")
        source = "\n".join(["def loss_and_grads(rows, targets, leaves):", *(f"    {line}" for line in body)])
        return source, parameters, skips


def _compiled(source: str) -> _LossAndGrads:
    """The function `source` defines, compiled under a name that tracebacks can show the lines of."""
    filename = f"<micrograd.compile {next(_serial)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # readable tracebacks
    namespace = dict(_NAMESPACE)
    exec(compile(source, filename, "exec"), namespace)
    function: _LossAndGrads = namespace["loss_and_grads"]  # type: ignore[assignment]
    return function


def _check_result(result: object, what: str) -> Value:
    if not isinstance(result, Value):
        raise TypeError(f"{what} must return a Value, got {type(result).__name__}")
    return result


def _parameters(root: Value, created: dict[int, Value], inputs: dict[int, Value]) -> list[Value]:
    """The leaves that existed before tracing, in order of first use; refuse outside non-leaf nodes."""
    found = []
    for node in topological_order(root):
        if id(node) in created or id(node) in inputs:
            continue
        if node._prev:
            raise TracingError(
                f"the loss uses a node computed before it was called ({node!r}, operation {node._op!r}); "
                "compute it inside the function, so that the compiled code recomputes it at every call"
            )
        found.append(node)
    return found


def compile_loss(
    sample_loss: SampleLoss,
    example: tuple[Sample, Sample],
    *,
    reduction: str = "mean",
    regularizer: Callable[[], Value] | None = None,
) -> CompiledLoss:
    """Trace a per-sample loss once and compile it into straight-line Python over a batch.

    Args:
        sample_loss: `f(x, y) -> Value`, one sample's loss. `x` and `y` arrive as
            Values (a list of Values for a list), so every number that changes
            between samples is part of the graph.
        example: One sample `(x, y)` to trace on, e.g. `(X[0], y[0])`.
        reduction: "mean" divides the sum of the terms by the batch size, "sum" does not.
        regularizer: Optional `g() -> Value` added to the loss, e.g. an L2 penalty.

    Returns:
        A `CompiledLoss`: `compiled(X, y)` returns the loss and adds its
        gradient to every parameter, like `loss.backward()` on the eager loss
        `Value.sum(terms) * (1.0 / n) + regularizer()`, with the same floats.

    Raises:
        TracingError: the loss reads `.data` of a Value that varies (an `if` on
            a number, a clamp), writes `.data`, uses a node computed outside it,
            builds a different graph when traced twice (random numbers), or uses
            an operation without a compiled form.

    Examples:
        >>> from micrograd.compile import compile_loss
        >>> from micrograd.nn import MLP
        >>> model = MLP(2, [4, 1], activation="relu", output_activation="linear", rng=0)
        >>> X, y = [[1.0, 2.0], [-1.0, 0.5]], [1.0, -1.0]
        >>> hinge = compile_loss(lambda x, t: (1 + -t * model(x)).relu(), example=(X[0], y[0]))
        >>> hinge(X, y) == hinge.eager_loss(X, y).data
        True
    """
    return CompiledLoss(sample_loss, example, reduction, regularizer)
