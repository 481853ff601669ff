# %% [markdown]
# # Exercises: Learning rates
#
# For the chapter [Learning rates](../../learning-rates/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
from micrograd.engine import Value
from micrograd.exercises import check
from micrograd.optim import SGD

# %% [markdown]
# ## 1. Too small, too big
#
# Minimise `loss = p**2` from `p = 1.0` with `SGD` for 10 steps, once with
# learning rate `0.1` and once with `1.1`. Give `p` at the end of each run.
# (Each step multiplies `p` by `1 - 2*lr`: see why one run shrinks and the
# other grows?)

# %% tags=["starter"]
p_small, p_big = ..., ...

# %% tags=["solution"]
def run(lr, steps=10):
    p = Value(1.0)
    optimizer = SGD([p], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        (p**2).backward()
        optimizer.step()
    return p.data


p_small, p_big = run(0.1), run(1.1)
print(p_small, p_big)

# %% tags=["check"]
check([p_small, p_big], [0.1073741824, 6.1917364224])

# %% [markdown]
# ## 2. Find the edge
#
# The loss `2 * p**2` is twice as curved. Try the learning rates `0.1, 0.2,
# …, 1.0` for 20 steps from `p = 1.0`, and give the smallest one at which `p`
# no longer shrinks (`abs(p) >= 1` at the end). The chapter says the edge is
# `2 / curvature`.

# %% tags=["starter"]
edge = ...

# %% tags=["solution"]
def final_p(lr, steps=20):
    p = Value(1.0)
    optimizer = SGD([p], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        (2 * p**2).backward()
        optimizer.step()
    return p.data


edge = next(lr for lr in [k / 10 for k in range(1, 11)] if abs(final_p(lr)) >= 1)
print(edge)

# %% tags=["check"]
check(edge, 0.5)
