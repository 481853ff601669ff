# %% [markdown]
# # Exercises: The training loop
#
# For the chapter [The training loop](../../training/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
from micrograd.data import toy_dataset
from micrograd.engine import Value
from micrograd.exercises import check
from micrograd.losses import mean_squared_error
from micrograd.nn import MLP
from micrograd.optim import SGD

# %% [markdown]
# ## 1. One step by hand
#
# A model with one parameter `p = 1.0` has the loss `(3*p - 2)**2`. Work out
# its gradient by hand and take one gradient-descent step with learning rate
# `0.01`. What is `p` now?

# %% tags=["starter"]
p = 1.0
p_after = ...

# %% tags=["solution"]
p = 1.0
gradient = 2 * (3 * p - 2) * 3  # the chain rule through the square and the 3*p
p_after = p - 0.01 * gradient
print(gradient, p_after)

# %% tags=["check"]
check(p_after, 0.94)

# %% [markdown]
# ## 2. Twenty steps on four examples
#
# Train `MLP(3, [4, 4, 1], rng=42)` on `toy_dataset()` for 20 steps: each
# step predicts all four examples, takes the **summed** squared error
# (`mean_squared_error(..., reduction="sum")`), zeroes the gradients,
# backpropagates and steps `SGD` with learning rate `0.05`. Give the loss of
# the last step (computed before its update).

# %% tags=["starter"]
last_loss = ...

# %% tags=["solution"]
xs, ys = toy_dataset()
model = MLP(3, [4, 4, 1], rng=42)
optimizer = SGD(model.parameters(), lr=0.05)
for step in range(20):
    loss = mean_squared_error([model(x) for x in xs], ys, reduction="sum")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step in (0, 19):
        print(f"step {step:2d}: loss {loss.data:.6f}")
last_loss = loss.data

# %% tags=["check"]
check(last_loss, 0.12068723405308555)
