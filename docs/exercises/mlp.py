# %% [markdown]
# # Exercises: Neuron, Layer, MLP
#
# For the chapter [Neuron, Layer, MLP](../../mlp/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
import math

from micrograd.exercises import check
from micrograd.nn import MLP

# %% [markdown]
# ## 1. Counting parameters
#
# A neuron with `n` inputs has `n` weights and a bias. Write
# `count(nin, nouts)`: the number of parameters of `MLP(nin, nouts)`, from
# that rule alone. The check tries the chapter's `MLP(3, [4, 4, 1])` and the
# two-moons model `MLP(2, [16, 16, 1])`, and compares with the library.

# %% tags=["starter"]
def count(nin, nouts):
    ...


# %% tags=["solution"]
def count(nin, nouts):
    total, inputs = 0, nin
    for size in nouts:
        total += size * (inputs + 1)  # each neuron: one weight per input, one bias
        inputs = size
    return total


# %% tags=["check"]
library = [len(MLP(3, [4, 4, 1]).parameters()),
           len(MLP(2, [16, 16, 1]).parameters())]
check([count(3, [4, 4, 1]), count(2, [16, 16, 1]), library], [41, 337, [41, 337]])

# %% [markdown]
# ## 2. A forward pass by hand
#
# `model = MLP(2, [3, 1], rng=0)` has two tanh layers. Its `parameters()`
# come layer by layer, neuron by neuron, each neuron's weights then its bias.
# Compute the model's output at `[1.0, -1.0]` with plain floats and
# `math.tanh`, reading the numbers from `model.parameters()`.

# %% tags=["starter"]
model = MLP(2, [3, 1], rng=0)
numbers = [p.data for p in model.parameters()]
output = ...

# %% tags=["solution"]
model = MLP(2, [3, 1], rng=0)
numbers = [p.data for p in model.parameters()]


def layer(inputs, numbers, size):
    """A tanh layer of `size` neurons: its outputs, and the numbers it left."""
    outputs = []
    for _ in range(size):
        weights, bias = numbers[: len(inputs)], numbers[len(inputs)]
        numbers = numbers[len(inputs) + 1 :]
        total = sum(w * x for w, x in zip(weights, inputs)) + bias
        outputs.append(math.tanh(total))
    return outputs, numbers


hidden, rest = layer([1.0, -1.0], numbers, 3)
(output,), rest = layer(hidden, rest, 1)
print(output)

# %% tags=["check"]
check(output, model([1.0, -1.0]).data)
