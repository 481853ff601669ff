# %% [markdown]
# # Exercises: From scalars to tensors
#
# For the chapter [From scalars to tensors](../../tensors/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.
#
# These exercises need no NumPy: they work out by hand, on lists, what a
# tensor's backward rule does with whole arrays.

# %%
from micrograd.engine import Value
from micrograd.exercises import check

X = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]  # three samples, two features
G = [[1.0, 0.0], [2.0, 1.0], [0.0, 3.0]]  # the gradient arriving at X * w, one entry per product

# %% [markdown]
# ## 1. The gradient of a broadcast weight
#
# `X * w`, with `w` of two entries, uses `w` once per row of `X`. The rule for
# `*` first computes the gradient for the stretched shape, three rows of two,
# `G[i][j] * X[i][j]`, then sums it over the rows that broadcasting added.
# Compute `w.grad` that way, then check it with the scalar engine: the sum of
# `G[i][j] * X[i][j] * w[j]` over all `i, j`, built from `Value`s.

# %% tags=["starter"]
w_grad = ...

# %% tags=["solution"]
stretched = [[g * x for g, x in zip(g_row, x_row, strict=True)] for g_row, x_row in zip(G, X, strict=True)]
w_grad = [sum(row[j] for row in stretched) for j in range(2)]
w = [Value(0.5), Value(-1.0)]
Value.sum([G[i][j] * X[i][j] * w[j] for i in range(3) for j in range(2)]).backward()
print(w_grad, [wj.grad for wj in w])

# %% tags=["check"]
check(w_grad, [7.0, 22.0])

# %% [markdown]
# ## 2. Un-broadcasting by hand
#
# Write `unbroadcast(grad, shape)` for a gradient `grad` of three rows of two
# and the shape of the operand it belongs to: `(2,)`, a row used for every
# row (sum over the rows), or `(3, 1)`, a column used for every column (sum
# each row, and keep it as a row of one). Apply it to `G` for both shapes.

# %% tags=["starter"]
def unbroadcast(grad, shape):
    ...


# %% tags=["solution"]
def unbroadcast(grad, shape):
    if shape == (len(grad[0]),):
        return [sum(row[j] for row in grad) for j in range(len(grad[0]))]
    if shape == (len(grad), 1):
        return [[sum(row)] for row in grad]
    raise ValueError(f"shape {shape} is not handled here")


print(unbroadcast(G, (2,)), unbroadcast(G, (3, 1)))

# %% tags=["check"]
check([unbroadcast(G, (2,)), unbroadcast(G, (3, 1))], [[3.0, 4.0], [[1.0], [3.0], [3.0]]])
