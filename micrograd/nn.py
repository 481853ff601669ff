"""Neural networks out of `Value`s: `Neuron`, `Layer`, `MLP`, `Dropout` and `Sequential`.

Initialisation is reproducible: pass `rng` an int seed or a `random.Random`.
Without it, weights come from the `random` module's global generator, as in
classic micrograd (so `random.seed(1337)` reproduces the classic weights).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence, Set

from micrograd._checks import count, finite, flag, is_int
from micrograd.activations import ACTIVATIONS as _ACTIVATION_FUNCTIONS
from micrograd.activations import get_activation
from micrograd.engine import _NEURON_ACTIVATIONS, Value

RNG = int | random.Random | None
ACTIVATIONS = tuple(_ACTIVATION_FUNCTIONS)  # names: tanh, relu, sigmoid, leaky_relu, gelu, softplus, linear
_NEURON_NAMES = {
    "tanh": "Tanh", "relu": "ReLU", "sigmoid": "Sigmoid", "linear": "Linear",
    "leaky_relu": "LeakyReLU", "gelu": "GELU", "softplus": "Softplus",
}


# Activations that Value.weighted_sum folds into the sum's node (one node per neuron).
_ONE_NODE = frozenset(_NEURON_ACTIVATIONS)


def make_rng(rng: RNG) -> random.Random:
    """Turn a seed, a `random.Random` or None (the global generator) into a generator.

    Examples:
        >>> import random
        >>> from micrograd.nn import make_rng
        >>> make_rng(0).random() == random.Random(0).random()
        True
    """
    if rng is None:
        return random._inst  # the generator behind random.uniform and random.seed
    if isinstance(rng, random.Random):
        return rng
    if is_int(rng):
        return random.Random(rng)
    raise TypeError(f"rng must be an int seed, a random.Random or None, got {type(rng).__name__}")


def _check_activation(activation: str) -> str:
    get_activation(activation)  # a ValueError listing the valid names
    return activation


def _as_inputs(x: Value | float | Sequence[Value | float], nin: int) -> list[Value]:
    """Check an input vector's size and make every entry a Value (once per layer, not per neuron)."""
    if isinstance(x, (Value, int, float)):
        x = [x]
    elif isinstance(x, (Mapping, Set)):  # iterating would silently use a dict's keys, or a set's arbitrary order
        raise TypeError(f"inputs must be a list of numbers or Values, not a {type(x).__name__}")
    if len(x) != nin:
        raise ValueError(f"expected {nin} inputs, got {len(x)}")
    return [xi if isinstance(xi, Value) else Value(xi) for xi in x]


class Module:
    """Anything with parameters: they can be listed and their gradients zeroed.

    Examples:
        >>> from micrograd.nn import Neuron
        >>> m = Neuron(2, rng=0)
        >>> [p.grad for p in m.parameters()]
        [0.0, 0.0, 0.0]
    """

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to zero (do it before each backward pass).

        Examples:
            >>> from micrograd.nn import Neuron
            >>> n = Neuron(2, rng=0)
            >>> n([1.0, 2.0]).backward()
            >>> n.zero_grad()
            >>> [p.grad for p in n.parameters()]
            [0.0, 0.0, 0.0]
        """
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        """Every trainable Value, in a fixed order (per neuron: its weights, then its bias).

        Examples:
            >>> from micrograd.nn import Layer
            >>> [p.label for p in Layer(2, 2, rng=0).parameters()]
            ['w0', 'w1', 'b', 'w0', 'w1', 'b']
        """
        return []

    # A class default, so subclasses need no __init__ call: modules start in training mode, as in torch.
    training = True

    def train(self, mode: bool = True) -> Module:
        """Put this module and every module inside it in training mode (`mode=False`: evaluation mode).

        Only modules that behave differently in the two modes (`Dropout`) look
        at it. Returns the module itself, so `model = MLP(...).eval()` works.

        Examples:
            >>> from micrograd.nn import Dropout, Layer, Sequential
            >>> model = Sequential(Layer(2, 2, rng=0), Dropout(0.5, rng=0))
            >>> model.eval().training, model.layers[1].training
            (False, False)
            >>> model.train().layers[1].training
            True
        """
        flag(mode, "mode")
        for module in self._tree():
            module.training = mode
        return self

    def eval(self) -> Module:
        """Put this module and every module inside it in evaluation mode: `train(False)`.

        Examples:
            >>> from micrograd.nn import Dropout
            >>> Dropout(0.5).eval().training
            False
        """
        return self.train(False)

    def _tree(self) -> list[Module]:
        """This module and every module held in its attributes (directly or in a list), depth first."""
        found: list[Module] = [self]
        for attribute in vars(self).values():
            items = attribute if isinstance(attribute, (list, tuple)) else [attribute]
            for item in items:
                if isinstance(item, Module):
                    found.extend(item._tree())
        return found


# --8<-- [start:neuron]
class Neuron(Module):
    """One neuron: `activation(w · x + b)`.

    Args:
        nin: Number of inputs.
        activation: "tanh", "relu", "sigmoid" or "linear", or one of
            `micrograd.activations`: "leaky_relu", "gelu", "softplus".
        rng: Seed or generator for the weights (uniform in `[-1, 1]`); the bias starts at 0.
        fused: Compute the neuron as one graph node, `activation(w · x + b)`
            (fast; for leaky_relu, gelu and softplus, `w · x + b` is one node
            and the activation's operations follow). False builds it from
            binary `*` and `+` nodes and an activation node, as classic
            micrograd does, for drawing.

    Examples:
        >>> from micrograd.nn import Neuron
        >>> n = Neuron(3, activation="relu", rng=1)
        >>> n
        ReLUNeuron(3)
        >>> n([1.0, 2.0, 3.0])
        Value(data=2.2411111498334173, grad=0.0)
    """

    def __init__(self, nin: int, activation: str = "tanh", rng: RNG = None, fused: bool = True):
        count(nin, "nin", 1)
        rng = make_rng(rng)
        self.w = [Value(rng.uniform(-1, 1), label=f"w{i}") for i in range(nin)]
        self.b = Value(0.0, label="b")
        self.activation = _check_activation(activation)
        self.fused = fused

    def __call__(self, x: Sequence[Value | float]) -> Value:
        return self._forward(_as_inputs(x, len(self.w)))

    def _forward(self, x: list[Value]) -> Value:
        if self.fused:
            if self.activation in _ONE_NODE:  # the whole neuron is one node
                return Value.weighted_sum(self.w, x, self.b, self.activation)
            act = Value.weighted_sum(self.w, x, self.b)
        else:
            act = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)
        if self.activation == "relu":
            return act.relu()
        if self.activation == "tanh":
            return act.tanh()
        if self.activation == "sigmoid":
            return act.sigmoid()
        if self.activation == "linear":
            return act
        return get_activation(self.activation)(act)  # leaky_relu, gelu, softplus

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"{_NEURON_NAMES[self.activation]}Neuron({len(self.w)})"
# --8<-- [end:neuron]


# --8<-- [start:layer]
class Layer(Module):
    """`nout` neurons that all see the same inputs; returns a list of `nout` Values.

    A layer of one neuron returns that neuron's Value itself, as in classic micrograd.

    Examples:
        >>> from micrograd.nn import Layer
        >>> layer = Layer(2, 3, rng=0)
        >>> len(layer([1.0, -1.0]))
        3
        >>> Layer(2, 1, rng=0)([1.0, -1.0])
        Value(data=0.17123131558442473, grad=0.0)
    """

    def __init__(self, nin: int, nout: int, activation: str = "tanh", rng: RNG = None, fused: bool = True):
        count(nin, "nin", 1)
        count(nout, "nout", 1)
        rng = make_rng(rng)
        self.nin = nin
        self.neurons = [Neuron(nin, activation, rng, fused) for _ in range(nout)]

    def __call__(self, x: Value | float | Sequence[Value | float]) -> Value | list[Value]:
        x = _as_inputs(x, self.nin)
        outs = [n._forward(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"
# --8<-- [end:layer]


# --8<-- [start:mlp]
class MLP(Module):
    """A multi-layer perceptron: layers of sizes `nouts`, each feeding the next.

    Args:
        nin: Number of inputs.
        nouts: Size of each layer, the last being the number of outputs.
        activation: Activation of every layer: "tanh", "relu", "sigmoid",
            "leaky_relu", "gelu", "softplus" or "linear".
        output_activation: Activation of the last layer, if different.
        rng: Seed or generator for the weights.
        fused: One node per neuron (fast) or classic binary nodes (for drawing).

    Examples:
        >>> from micrograd.nn import MLP
        >>> model = MLP(3, [4, 4, 1], rng=42)
        >>> len(model.parameters())
        41
        >>> model([2.0, 3.0, -1.0])
        Value(data=0.7343153652653036, grad=0.0)
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "tanh",
        output_activation: str | None = None,
        rng: RNG = None,
        fused: bool = True,
    ):
        if not isinstance(nouts, Iterable) or isinstance(nouts, (str, bytes, Mapping, Set)):
            kind = type(nouts).__name__
            raise TypeError(f"nouts must be a list of layer sizes, e.g. [16, 16, 1], got {kind}: {nouts!r}")
        nouts = list(nouts)
        sizes = [nin, *nouts]
        if not nouts or not all(is_int(s) and s >= 1 for s in sizes):
            raise ValueError(f"layer sizes must be positive ints, got nin={nin!r}, nouts={list(nouts)!r}")
        _check_activation(activation)
        last = _check_activation(output_activation or activation)
        rng = make_rng(rng)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], last if i == len(nouts) - 1 else activation, rng, fused)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Value | float | Sequence[Value | float]) -> Value | list[Value]:
        out = self.layers[0](x)
        for layer in self.layers[1:]:
            out = layer(out)
        return out  # a last layer of one neuron returns a single Value

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
# --8<-- [end:mlp]


class Dropout(Module):
    """Zero each input with probability `p` while training; pass inputs through unchanged in evaluation.

    Kept inputs are multiplied by `1 / (1 - p)` ("inverted dropout"), so each
    output's expected value equals its input and nothing needs rescaling at
    evaluation time. A new random mask is drawn at every call, from `rng`.

    Args:
        p: Probability of zeroing each input, in `[0, 1)`.
        rng: Seed or generator for the masks (None: the `random` module's global generator).

    Examples:
        >>> from micrograd.nn import Dropout
        >>> drop = Dropout(0.5, rng=0)
        >>> [v.data for v in drop([1.0, 2.0, 3.0, 4.0])]  # kept inputs doubled
        [2.0, 4.0, 0.0, 0.0]
        >>> [v.data for v in drop.eval()([1.0, 2.0, 3.0, 4.0])]
        [1.0, 2.0, 3.0, 4.0]
    """

    def __init__(self, p: float, rng: RNG = None):
        self.p = finite(p, "p", minimum=0)
        if self.p >= 1:
            raise ValueError(f"p must be in [0, 1) (p = 1 would drop every input), got {p!r}")
        self.rng = make_rng(rng)

    # --8<-- [start:dropout]
    def __call__(self, x: Value | float | Sequence[Value | float]) -> Value | list[Value]:
        single = isinstance(x, (Value, int, float))
        values = _as_inputs(x, 1 if single else len(x))  # type: ignore[arg-type]
        if self.training and self.p:
            scale, p, draw = 1.0 / (1.0 - self.p), self.p, self.rng.random
            values = [v * (0.0 if draw() < p else scale) for v in values]
        return values[0] if single else values
    # --8<-- [end:dropout]

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"


class Sequential(Module):
    """Modules applied one after another, each to the previous one's output.

    Its parameters are its modules' parameters, in order, so
    `Sequential(Layer(1, 8, rng=r), Layer(8, 1, rng=r))` built from one
    generator `r` holds the same weights as `MLP(1, [8, 1], rng=r)` would.

    Args:
        *layers: The modules, first to last.

    Examples:
        An MLP with dropout after its hidden layer; in evaluation mode it
        computes exactly what the MLP with the same weights computes:

        >>> import random
        >>> from micrograd.nn import MLP, Dropout, Layer, Sequential
        >>> rng = random.Random(0)
        >>> model = Sequential(Layer(2, 4, rng=rng), Dropout(0.25, rng=1), Layer(4, 1, activation="linear", rng=rng))
        >>> model.layers[1], len(model.parameters())
        (Dropout(p=0.25), 17)
        >>> mlp = MLP(2, [4, 1], output_activation="linear", rng=0)
        >>> model.eval()([1.0, -1.0]).data == mlp([1.0, -1.0]).data
        True
    """

    def __init__(self, *layers: Module):
        if not layers:
            raise ValueError("Sequential needs at least one module")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential takes modules, got {type(layer).__name__} at position {i}")
        self.layers = list(layers)

    def __call__(self, x: Value | float | Sequence[Value | float]) -> Value | list[Value]:
        out = x
        for layer in self.layers:
            out = layer(out)  # type: ignore[operator]
        return out  # type: ignore[return-value]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"Sequential({', '.join(repr(layer) for layer in self.layers)})"
