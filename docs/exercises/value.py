# %% [markdown]
# # Exercises: The Value object and its graph
#
# For the chapter [The Value object and its graph](../../value/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
from micrograd.engine import Value
from micrograd.exercises import check

# %% [markdown]
# ## 1. Build an expression
#
# With `a = 2`, `b = -3`, `c = 10` and `f = -2` as `Value`s, build
# `L = (a*b + c) * f`. The check looks at `L`'s number and at the operation
# that made it (`L._op`).

# %% tags=["starter"]
a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
L = Value(0.0)  # replace with the expression

# %% tags=["solution"]
a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
L = (a * b + c) * f
print(L)

# %% tags=["check"]
check([L.data, L._op], [-8.0, "*"])

# %% [markdown]
# ## 2. Count the nodes
#
# Write `count_nodes(v)`: how many distinct `Value`s the graph of `v` holds,
# `v` included, following each node's inputs (`_prev`). A node used twice
# counts once. The check counts the graph of a fresh `L` from exercise 1 and
# of `x*x + x`.

# %% tags=["starter"]
def count_nodes(v):
    ...


# %% tags=["solution"]
def count_nodes(v):
    seen = set()
    stack = [v]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            stack.extend(node._prev)
    return len(seen)


# %% tags=["check"]
a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
x = Value(3.0)
check([count_nodes((a * b + c) * f), count_nodes(x * x + x)], [7, 3])
