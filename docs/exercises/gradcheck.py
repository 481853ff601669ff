# %% [markdown]
# # Exercises: Checking gradients
#
# For the chapter [Checking gradients](../../gradcheck/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
from micrograd.engine import Value
from micrograd.exercises import check
from micrograd.gradcheck import gradcheck

# %% [markdown]
# ## 1. A numerical gradient
#
# Write `numeric_gradient(f, point, h=1e-6)`: the central-difference estimate
# of each partial derivative of `f` (a function of plain floats) at `point`
# (a list of floats). The check tries `f(x, y) = x*y + y**2` at `(2, 3)`.

# %% tags=["starter"]
def numeric_gradient(f, point, h=1e-6):
    ...


# %% tags=["solution"]
def numeric_gradient(f, point, h=1e-6):
    slopes = []
    for i in range(len(point)):
        up = list(point)
        down = list(point)
        up[i] += h
        down[i] -= h
        slopes.append((f(*up) - f(*down)) / (2 * h))
    return slopes


# %% tags=["check"]
check(numeric_gradient(lambda x, y: x * y + y**2, [2.0, 3.0]), [3.0, 8.0])

# %% [markdown]
# ## 2. How fast the error shrinks
#
# For `f(x) = x**3` at `x = 2` (exact slope 12), compute the error of the
# forward difference with `h = 0.01` and with `h = 0.001`, and the same for
# the central difference. Give the two ratios `error(0.01) / error(0.001)`:
# forward first, then central. A forward error shrinks like `h`, a central one
# like `h**2`.

# %% tags=["starter"]
ratios = [..., ...]  # [forward, central]

# %% tags=["solution"]
def f(x):
    return x**3


def forward_error(h):
    return abs((f(2 + h) - f(2)) / h - 12)


def central_error(h):
    return abs((f(2 + h) - f(2 - h)) / (2 * h) - 12)


ratios = [
    forward_error(0.01) / forward_error(0.001),
    central_error(0.01) / central_error(0.001),
]
print(ratios)

# %% tags=["check"]
check(ratios, [10.0, 100.0], tol=0.02)

# %% [markdown]
# ## 3. gradcheck on your own function
#
# Write `g(v)` taking a list of two `Value`s, `v = [x, y]`, and returning
# `tanh(x*y) + y**3`. Run `gradcheck(g, [0.5, -1.2])` and keep whether it
# passed (`result.ok`) and the gradients `backward()` found (`result.analytic`).

# %% tags=["starter"]
def g(v):
    ...


result = None  # replace with gradcheck(g, [0.5, -1.2])

# %% tags=["solution"]
def g(v):
    x, y = v
    return (x * y).tanh() + y**3


result = gradcheck(g, [0.5, -1.2])
print(result)

# %% tags=["check"]
answer = None if result is None else [result.ok, list(result.analytic)]
check(answer, [True, [-0.8538933151046674, 4.675788881293611]])
