"""Batched neural networks on `Tensor`s: `Layer` and `MLP`, mirroring `micrograd.nn`.

A layer is one weight matrix `W` (`nin` x `nout`, column j holding neuron j's
weights) and one bias vector: `activation(X @ W + b)` computes the layer for a
whole batch `X` (one sample per row) in one node. Given the same seed, an
`MLP` here starts from exactly the weights of `micrograd.nn.MLP`: the random
numbers are drawn in the same order (neuron by neuron, weights then bias 0).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from micrograd._checks import count, is_int
from micrograd.nn import ACTIVATIONS, RNG, make_rng
from micrograd.tensor import Tensor, constant, tensor_node
from micrograd.tensor_rules import ACTIVATION_FUNCTIONS, CONSTANT, SLOPES, Array, accumulate_grad, define_rule


# --8<-- [start:linear]
def linear(x: Tensor, w: Tensor, b: Tensor, activation: str = "linear") -> Tensor:
    """`activation(x @ w + b)` as one node: a whole layer, for a whole batch.

    Args:
        x: The batch, one sample per row.
        w: The weights, `nin` x `nout`.
        b: The biases, `nout`.
        activation: "relu", "tanh", "sigmoid" or "linear" (none).

    Examples:
        >>> from micrograd.tensor import Tensor
        >>> from micrograd.tensor_nn import linear
        >>> linear(Tensor([[1.0, 2.0]]), Tensor([[1.0], [1.0]]), Tensor([0.5]))
        Tensor([[3.5]])
        >>> linear(Tensor([[1.0, 2.0]]), Tensor([[-1.0], [-1.0]]), Tensor([0.5]), "relu")
        Tensor([[0.]])
    """
    op = _OP_NAMES[activation]
    out = x.data @ w.data
    out += b.data  # in place: one array fewer per layer
    if op:
        out = ACTIVATION_FUNCTIONS[op](out)
    return tensor_node(out, (x, w, b), "linear", op)


def _linear_backward(out: Tensor, g: Array) -> None:
    x, w, b = out._prev
    if out._arg:  # through the activation first: its slope, from the layer's output
        g = g * SLOPES[out._arg](out.data)
    if x._op != CONSTANT:  # the input batch usually is one: skip its product
        accumulate_grad(x, g @ w.data.T)
    accumulate_grad(w, x.data.T @ g)
    accumulate_grad(b, np.add.reduce(g, axis=0))


define_rule("linear", _linear_backward)
_OP_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": ""}  # micrograd.nn's names -> ops
# --8<-- [end:linear]


class Module:
    """Anything with parameters (Tensors): they can be listed and their gradients zeroed.

    Examples:
        >>> from micrograd.tensor_nn import Layer
        >>> [p.label for p in Layer(2, 3, rng=0).parameters()]
        ['W', 'b']
    """

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (it reads as zeros until the next backward).

        Examples:
            >>> from micrograd.tensor_nn import Layer
            >>> layer = Layer(2, 1, rng=0)
            >>> layer([[1.0, 2.0]]).sum().backward()
            >>> layer.zero_grad()
            >>> layer.w.grad
            array([[0.],
                   [0.]])
        """
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Tensor]:
        """Every trainable Tensor, layer by layer: weights, then biases.

        Examples:
            >>> from micrograd.tensor_nn import MLP
            >>> [p.shape for p in MLP(3, [4, 1], rng=0).parameters()]
            [(3, 4), (4,), (4, 1), (1,)]
        """
        return []


# --8<-- [start:layer]
class Layer(Module):
    """`nout` neurons over `nin` inputs, for a batch at once: `activation(X @ W + b)`.

    Args:
        nin: Number of inputs.
        nout: Number of neurons (outputs).
        activation: "tanh", "relu", "sigmoid" or "linear".
        rng: Seed or generator; the weights are drawn as `micrograd.nn.Layer` draws them.

    Examples:
        >>> from micrograd.tensor_nn import Layer
        >>> layer = Layer(2, 3, rng=0)
        >>> layer.w.shape, layer.b.shape
        ((2, 3), (3,))
        >>> layer([[1.0, -1.0], [0.5, 0.5]]).shape   # two samples in, three outputs each
        (2, 3)
    """

    def __init__(self, nin: int, nout: int, activation: str = "tanh", rng: RNG = None):
        count(nin, "nin", 1)
        count(nout, "nout", 1)
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        rng = make_rng(rng)
        # Neuron by neuron, as micrograd.nn draws them: neuron j's weights become column j.
        rows = [[rng.uniform(-1, 1) for _ in range(nin)] for _ in range(nout)]
        self.w = Tensor(np.array(rows).T, label="W")
        self.b = Tensor(np.zeros(nout), label="b")
        self.activation = activation

    def __call__(self, x: Tensor | npt.ArrayLike) -> Tensor:
        return linear(constant(x), self.w, self.b, self.activation)

    def parameters(self) -> list[Tensor]:
        """`[W, b]`.

        Examples:
            >>> from micrograd.tensor_nn import Layer
            >>> [p.shape for p in Layer(2, 3, rng=0).parameters()]
            [(2, 3), (3,)]
        """
        return [self.w, self.b]

    def __repr__(self) -> str:
        return f"Layer({self.w.shape[0]} -> {self.w.shape[1]}, {self.activation})"
# --8<-- [end:layer]


# --8<-- [start:mlp]
class MLP(Module):
    """A batched multi-layer perceptron, with `micrograd.nn.MLP`'s arguments and, per seed, its weights.

    Examples:
        >>> from micrograd.nn import MLP as ScalarMLP
        >>> from micrograd.tensor_nn import MLP
        >>> batched, scalar = MLP(3, [4, 1], rng=42), ScalarMLP(3, [4, 1], rng=42)
        >>> x = [2.0, 3.0, -1.0]
        >>> round(float(batched([x]).data[0, 0]), 12) == round(scalar(x).data, 12)
        True
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "tanh",
        output_activation: str | None = None,
        rng: RNG = None,
    ):
        sizes = [nin, *nouts]
        if not nouts or not all(is_int(s) and s >= 1 for s in sizes):
            raise ValueError(f"layer sizes must be positive ints, got nin={nin!r}, nouts={list(nouts)!r}")
        rng = make_rng(rng)
        last = output_activation or activation
        self.layers = [
            Layer(sizes[i], sizes[i + 1], last if i == len(nouts) - 1 else activation, rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Tensor | npt.ArrayLike) -> Tensor:
        out = constant(x)  # an input batch is a constant: no gradient is computed for it
        for layer in self.layers:
            out = layer(out)
        return out

    def parameters(self) -> list[Tensor]:
        """Each layer's `[W, b]`, first layer first.

        Examples:
            >>> from micrograd.tensor_nn import MLP
            >>> len(MLP(2, [16, 16, 1], rng=0).parameters())
            6
        """
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
# --8<-- [end:mlp]
