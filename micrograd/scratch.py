"""The small engine the first chapters grow from an empty class, step by step.

It is the lecture's design, kept plain on purpose:

* Each operation makes a node and gives it a closure, `_backward`, that
  applies that operation's local chain rule to the node's children.
* `backward()` orders the graph depth first, recursively, and calls the
  closures from the output back. Recursion is the shortest way to write the
  sort, but Python stops it at about a thousand nested calls
  (`sys.getrecursionlimit()`), so a chain deeper than that raises
  `RecursionError`.
* Children are kept in a tuple, where the lecture uses a set, so gradients
  are summed in the same order, and agree to the last digit, on every run;
  tanh's slope is `1 - t * t` rather than `1 - t**2` for the same reason
  (`t * t` is exactly rounded, `t**2` calls `pow`). With both,
  `micrograd.engine` computes the same gradients bit for bit.
* It is slow and memory-hungry: every node carries a `__dict__` and a
  closure that refers back to the node, a reference cycle that only Python's
  cycle collector can free. "Making it fast" starts from here.

Examples:
    >>> from micrograd.scratch import Value
    >>> a, b = Value(2.0), Value(-3.0)
    >>> d = a * b + a
    >>> d.backward()
    >>> a.grad, b.grad
    (-2.0, 2.0)
"""

from __future__ import annotations

import math
import random


# --8<-- [start:value]
class Value:
    """A number that remembers the operation and inputs it came from."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None  # a leaf has nothing to pass on
        self._prev = tuple(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"
    # --8<-- [end:value]

    # --8<-- [start:add_mul]
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # d(a+b)/da = 1
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad  # d(a*b)/da = b
            other.grad += self.data * out.grad

        out._backward = _backward
        return out
    # --8<-- [end:add_mul]

    # --8<-- [start:tanh]
    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out
    # --8<-- [end:tanh]

    # --8<-- [start:backward]
    def backward(self):
        order, visited = [], set()

        def visit(node):  # depth first: a node goes in after all its children
            if node not in visited:
                visited.add(node)
                for child in node._prev:
                    visit(child)
                order.append(node)

        visit(self)
        self.grad = 1.0  # d(self)/d(self)
        for node in reversed(order):
            node._backward()
    # --8<-- [end:backward]

    # --8<-- [start:pow_exp]
    def __pow__(self, k):
        assert isinstance(k, (int, float)), "only constant powers"
        out = Value(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad  # d(e^x)/dx = e^x

        out._backward = _backward
        return out
    # --8<-- [end:pow_exp]

    # --8<-- [start:compositions]
    def __neg__(self):  # -self
        return self * -1

    def __sub__(self, other):  # self - other
        return self + (-other)

    def __truediv__(self, other):  # self / other
        return self * other**-1

    def __radd__(self, other):  # other + self
        return self + other

    def __rmul__(self, other):  # other * self
        return self * other

    def __rsub__(self, other):  # other - self
        return Value(other) + (-self)

    def __rtruediv__(self, other):  # other / self
        return Value(other) * self**-1
    # --8<-- [end:compositions]


# --8<-- [start:nn]
class Neuron:
    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)  # b + w.x
        return act.tanh()

    def parameters(self):
        return self.w + [self.b]


class Layer:
    def __init__(self, nin, nout):
        self.neurons = [Neuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    def __init__(self, nin, nouts):
        sizes = [nin] + nouts
        self.layers = [Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]
# --8<-- [end:nn]
