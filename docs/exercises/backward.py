# %% [markdown]
# # Exercises: Topological sort and backward()
#
# For the chapter [Topological sort and backward()](../../backward/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
from micrograd.engine import Value
from micrograd.exercises import check

# %% [markdown]
# ## 1. A topological order
#
# Write `topo(root)`: every node of `root`'s graph once, each after all of its
# inputs (`_prev`), `root` last. Depth first from the root works: add a node
# after its inputs have been added. The check tests the order it returns for
# `L = (a*b + c) * f`.

# %% tags=["starter"]
def topo(root):
    ...


# %% tags=["solution"]
def topo(root):
    order, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for child in node._prev:
                visit(child)
            order.append(node)

    visit(root)
    return order


# %% tags=["check"]
a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
L = (a * b + c) * f
order = topo(L) or []
position = {id(node): i for i, node in enumerate(order)}
inputs_first = all(position[id(child)] < position[id(node)]
                   for node in order for child in node._prev)
check([len(order), bool(order) and order[-1] is L, inputs_first], [7, True, True])

# %% [markdown]
# ## 2. Why += and not =
#
# `a` is used twice in `y = a*a + a`. Predict `a.grad` at `a = 3` after
# `y.backward()`, from the two paths from `y` to `a`, then confirm it with the
# engine.

# %% tags=["starter"]
prediction = ...

# %% tags=["solution"]
prediction = 2 * 3 + 1  # through a*a: 2a; through + a: 1; the two paths add up
a = Value(3.0)
y = a * a + a
y.backward()
print(prediction, a.grad)

# %% tags=["check"]
check(prediction, 7.0)

# %% [markdown]
# ## 3. Calling backward() twice
#
# Gradients accumulate. With `a = Value(3.0)` and `L = a * a`, what is
# `a.grad` after calling `L.backward()` twice? And after setting `a.grad = 0.0`
# and calling it once more?

# %% tags=["starter"]
after_twice = ...
after_zeroing = ...

# %% tags=["solution"]
a = Value(3.0)
L = a * a
L.backward()
L.backward()
after_twice = a.grad
a.grad = 0.0
L.backward()
after_zeroing = a.grad

# %% tags=["check"]
check([after_twice, after_zeroing], [12.0, 6.0])
