# %% [markdown]
# # Exercises: Common bugs
#
# For the chapter [Common bugs](../../common-bugs/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
from micrograd.engine import Value
from micrograd.exercises import check
from micrograd.gradcheck import gradcheck
from micrograd.optim import SGD

# %% [markdown]
# ## 1. Two steps without zero_grad
#
# Minimise `loss = (3*p - 2)**2` from `p = 1.0` with plain gradient descent,
# learning rate `0.01`, for two steps. Do it twice: once forgetting to reset
# the gradient between steps, once resetting it. Give `p` after the two steps
# in each case, the buggy one first.

# %% tags=["starter"]
p_without_zeroing = ...
p_with_zeroing = ...

# %% tags=["solution"]
def two_steps(zero_grad):
    p = Value(1.0)
    optimizer = SGD([p], lr=0.01)
    for _ in range(2):
        if zero_grad:
            optimizer.zero_grad()
        loss = (3 * p - 2) ** 2
        loss.backward()
        optimizer.step()
    return p.data


p_without_zeroing = two_steps(zero_grad=False)
p_with_zeroing = two_steps(zero_grad=True)
print(p_without_zeroing, p_with_zeroing)

# %% tags=["check"]
check([p_without_zeroing, p_with_zeroing], [0.8308, 0.8908])

# %% [markdown]
# ## 2. Subtraction without a minus
#
# Write `subtract(a, b)` for `Value`s using only `+` and `*` (no `-`), so
# that its gradients are right by construction: `+1` for `a`, `-1` for `b`.
# Confirm it with `gradcheck` at `(5, 2)`: keep `result.ok` and
# `result.analytic`.

# %% tags=["starter"]
def subtract(a, b):
    ...


result = None  # replace with gradcheck(...) of subtract at (5, 2)

# %% tags=["solution"]
def subtract(a, b):
    return a + b * -1.0


result = gradcheck(lambda v: subtract(v[0], v[1]), [5.0, 2.0])
print(result)

# %% tags=["check"]
answer = None if result is None else [result.ok, list(result.analytic)]
check(answer, [True, [1.0, -1.0]])
