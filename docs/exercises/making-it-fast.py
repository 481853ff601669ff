# %% [markdown]
# # Exercises: Making it fast
#
# For the chapter [Making it fast](../../making-it-fast/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
from micrograd.engine import Value, topological_order
from micrograd.exercises import check

# %% [markdown]
# ## 1. Nodes per neuron
#
# A neuron with `n` inputs computes $b + w_0 x_0 + \dots + w_{n-1} x_{n-1}$.
# Build it for `n = 16` twice: once from `*` and `+` as
# `sum((w * x for w, x in zip(ws, xs)), b)`, once as one fused node with
# `Value.weighted_sum(ws, xs, b)`. How many nodes that are not leaves (they
# have inputs, `_prev`) does each graph hold? Count them in
# `topological_order(out)`; give `[unfused, fused]`.

# %%
n = 16
ws = [Value(0.1 * (i + 1)) for i in range(n)]
xs = [Value(1.0 - 0.05 * i) for i in range(n)]
b = Value(0.5)

# %% tags=["starter"]
counts = [..., ...]

# %% tags=["solution"]
def inner_nodes(out):
    return sum(1 for node in topological_order(out) if node._prev)


unfused = sum((w * x for w, x in zip(ws, xs)), b)
fused = Value.weighted_sum(ws, xs, b)
counts = [inner_nodes(unfused), inner_nodes(fused)]
print(counts)

# %% tags=["check"]
check(counts, [2 * n, 1])

# %% [markdown]
# ## 2. The fused rule by hand
#
# The fused node's backward rule: each weight's gradient is its input times
# the sum's gradient `g`, each input's is its weight times `g`, and the bias
# gets `g`. For `w = [2.0, -1.0]`, `x = [3.0, 0.5]` and `g = 2.0`, write the
# gradients as `[w0, w1, x0, x1, b]` from that rule, then compare with
# `backward()` on `2 * Value.weighted_sum(...)`.

# %% tags=["starter"]
grads = ...

# %% tags=["solution"]
w, x, g = [2.0, -1.0], [3.0, 0.5], 2.0
grads = [xi * g for xi in x] + [wi * g for wi in w] + [g]
wv, xv, bv = [Value(v) for v in w], [Value(v) for v in x], Value(0.0)
(g * Value.weighted_sum(wv, xv, bv)).backward()
print(grads, [v.grad for v in (*wv, *xv, bv)])

# %% tags=["check"]
check(grads, [6.0, 1.0, 4.0, -2.0, 2.0])
