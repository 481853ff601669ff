# %% [markdown]
# # Exercises: A neuron, intuitively
#
# For the chapter [A neuron, intuitively](../../neuron/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
import math

from micrograd.exercises import check

# %% [markdown]
# ## 1. A neuron's output
#
# A neuron with inputs `x = [2.0, 0.0]`, weights `w = [-3.0, 1.0]` and bias
# `b = 6.8813735870195432` outputs `tanh(x·w + b)`. Compute it with plain
# Python (`math.tanh`).

# %% tags=["starter"]
x = [2.0, 0.0]
w = [-3.0, 1.0]
b = 6.8813735870195432
o = ...  # tanh(x·w + b)

# %% tags=["solution"]
x = [2.0, 0.0]
w = [-3.0, 1.0]
b = 6.8813735870195432
o = math.tanh(sum(xi * wi for xi, wi in zip(x, w)) + b)
print(o)

# %% tags=["check"]
check(o, 0.7071067811865476)

# %% [markdown]
# ## 2. How wrong: a squared-error loss
#
# A model predicted `[0.8, -0.5, 0.3]` where the targets were
# `[1.0, -1.0, 1.0]`. Compute the mean of the squared differences.

# %% tags=["starter"]
predictions = [0.8, -0.5, 0.3]
targets = [1.0, -1.0, 1.0]
loss = ...

# %% tags=["solution"]
predictions = [0.8, -0.5, 0.3]
targets = [1.0, -1.0, 1.0]
loss = sum((p - t) ** 2 for p, t in zip(predictions, targets)) / len(targets)
print(loss)

# %% tags=["check"]
check(loss, 0.26)

# %% [markdown]
# ## 3. Which way to move a weight
#
# Take the neuron of exercise 1 and the loss `(o - 1)**2` (the target is 1).
# Estimate the slope of the loss with respect to the first weight `w[0]` by
# nudging it by `h = 0.000001` both ways. Its sign says which way to move
# `w[0]` to make the loss smaller.

# %% tags=["starter"]
def loss_at(w0):
    ...  # the loss when the first weight is w0 (the rest as in exercise 1)


slope = ...

# %% tags=["solution"]
def loss_at(w0):
    o = math.tanh(2.0 * w0 + 0.0 * 1.0 + 6.8813735870195432)
    return (o - 1) ** 2


h = 0.000001
slope = (loss_at(-3.0 + h) - loss_at(-3.0 - h)) / (2 * h)
print(slope, "so increase w[0]" if slope < 0 else "so decrease w[0]")

# %% tags=["check"]
check(slope, -0.5857864376269049, tol=1e-6)
