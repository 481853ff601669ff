# %% [markdown]
# # Exercises: The chain rule, by hand
#
# For the chapter [The chain rule, by hand](../../chain-rule/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
from micrograd.engine import Value
from micrograd.exercises import check

# %% [markdown]
# ## 1. Backward by hand
#
# For `L = (a*b + c) * f` at `a = 2`, `b = -3`, `c = 10`, `f = -2`, find
# `dL/da`, `dL/db`, `dL/dc` and `dL/df` with the chain rule, by hand (plain
# numbers, no `backward()`). Name the middle results: `e = a*b`, `d = e + c`.

# %% tags=["starter"]
a, b, c, f = 2.0, -3.0, 10.0, -2.0
dL_da, dL_db, dL_dc, dL_df = ..., ..., ..., ...

# %% tags=["solution"]
a, b, c, f = 2.0, -3.0, 10.0, -2.0
e = a * b
d = e + c
dL_dd = f  # L = d * f
dL_df = d
dL_de = dL_dd * 1.0  # d = e + c passes the gradient through
dL_dc = dL_dd * 1.0
dL_da = dL_de * b  # e = a * b
dL_db = dL_de * a

# %% tags=["check"]
check([dL_da, dL_db, dL_dc, dL_df], [6.0, -4.0, -2.0, 4.0])

# %% [markdown]
# ## 2. One step along the gradient
#
# Build `L` from `Value`s, call `L.backward()`, then move every leaf by
# `0.01 * its gradient` and compute `L` again. It goes up: the gradient points
# uphill.

# %% tags=["starter"]
L_after = ...

# %% tags=["solution"]
leaves = [Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)]
a, b, c, f = leaves
L = (a * b + c) * f
L.backward()
a, b, c, f = [Value(leaf.data + 0.01 * leaf.grad) for leaf in leaves]
L_after = ((a * b + c) * f).data
print(L.data, "->", L_after)

# %% tags=["check"]
check(L_after, -7.286496)

# %% [markdown]
# ## 3. A neuron by hand
#
# The neuron `o = tanh(x1*w1 + x2*w2 + b)` at `x1 = 2`, `x2 = 0`, `w1 = -3`,
# `w2 = 1`, `b = 6.8813735870195432` outputs `o = 0.7071…`, and the derivative
# of `tanh` is `1 - o**2`. By hand, find `do/dx1`, `do/dw1` and `do/dw2`.

# %% tags=["starter"]
do_dx1, do_dw1, do_dw2 = ..., ..., ...

# %% tags=["solution"]
import math

x1, x2, w1, w2, b = 2.0, 0.0, -3.0, 1.0, 6.8813735870195432
o = math.tanh(x1 * w1 + x2 * w2 + b)
do_dn = 1 - o**2  # n = x1*w1 + x2*w2 + b
do_dx1, do_dw1, do_dw2 = do_dn * w1, do_dn * x1, do_dn * x2
print(do_dx1, do_dw1, do_dw2)

# %% tags=["check"]
check([do_dx1, do_dw1, do_dw2], [-1.5, 1.0, 0.0])
