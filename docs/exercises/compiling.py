# %% [markdown]
# # Exercises: Compiling the graph
#
# For the chapter [Compiling the graph](../../compiling/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
from micrograd.compile import compile_loss
from micrograd.engine import Value
from micrograd.exercises import check

# %% [markdown]
# ## 1. The order of a sum
#
# Floating-point addition rounds after every step, which is why the compiled
# code adds each gradient's contributions in the engine's order. Add
# `[0.1, 0.2, 0.3]` to `0.0` one number at a time, first to last, then last
# to first, and give both totals as `[first_to_last, last_to_first]`.

# %% tags=["starter"]
totals = [..., ...]

# %% tags=["solution"]
first_to_last = 0.0
for term in [0.1, 0.2, 0.3]:
    first_to_last += term
last_to_first = 0.0
for term in [0.3, 0.2, 0.1]:
    last_to_first += term
totals = [first_to_last, last_to_first]
print(totals, first_to_last == last_to_first)

# %% tags=["check"]
check(totals, [0.6000000000000001, 0.6], tol=1e-17)

# %% [markdown]
# ## 2. Compile a loss
#
# A one-weight model predicts `w * x`; one sample's loss is
# $(w x - y)^2$. With `w = Value(0.5)`, compile that loss with `compile_loss`
# (the example sample `(1.0, 0.0)` will do), call it on the batch
# `xs = [1.0, 2.0]`, `ys = [1.0, 0.0]`, and give `[loss, w.grad]`. Work out by
# hand what the mean loss and its derivative with respect to $w$ should be.

# %%
w = Value(0.5)
xs, ys = [1.0, 2.0], [1.0, 0.0]

# %% tags=["starter"]
loss_and_grad = [..., ...]

# %% tags=["solution"]
compiled = compile_loss(lambda x, y: (w * x - y) ** 2, example=(1.0, 0.0))
loss = compiled(xs, ys)
loss_and_grad = [loss, w.grad]
print(loss_and_grad)  # ((0.5 - 1)**2 + (1 - 0)**2) / 2 and (2*(-0.5)*1 + 2*1*2) / 2
print(compiled.source)

# %% tags=["check"]
check(loss_and_grad, [0.625, 1.5])
