# %% [markdown]
# # Exercises: Derivatives by nudging
#
# For the chapter [Derivatives by nudging](../../derivatives/): the lecture's
# first exercise, in three steps. Fill in each starter cell, run it, then run
# the check under it: it prints `OK`, or `WRONG` with the value it expected.
# Stuck? Open the solution, run it, and run the check again.

# %%
from math import cos, sin

from micrograd.exercises import check


def f(a, b, c):
    return -a**3 + sin(3*b) - 1.0/c + b**2.5 - a**0.5


# %% [markdown]
# ## 1. The gradient by hand
#
# Differentiate `f(a, b, c) = -a**3 + sin(3*b) - 1.0/c + b**2.5 - a**0.5` with
# respect to each input, by hand, and write `gradf(a, b, c)` returning the
# three partial derivatives `[df/da, df/db, df/dc]`. The check evaluates it
# at `(2, 3, 4)`.

# %% tags=["starter"]
def gradf(a, b, c):
    return [0.0, 0.0, 0.0]  # replace with [df/da, df/db, df/dc]


# %% tags=["solution"]
def gradf(a, b, c):
    dfda = -3 * a**2 - 0.5 * a**-0.5
    dfdb = 3 * cos(3 * b) + 2.5 * b**1.5
    dfdc = 1.0 / c**2
    return [dfda, dfdb, dfdc]


# %% tags=["check"]
check(gradf(2, 3, 4), [-12.353553390593273, 10.25699027111255, 0.0625])

# %% [markdown]
# ## 2. The same gradient by nudging forward
#
# Now forget the calculus: estimate each partial derivative at `(2, 3, 4)`
# with a forward difference, `(f(..., x + h, ...) - f(...)) / h`, with
# `h = 0.000001`. The check accepts an error of about `1e-4`: a forward
# difference is only that close.

# %% tags=["starter"]
h = 0.000001
forward = [0.0, 0.0, 0.0]  # [df/da, df/db, df/dc], each from one step forward

# %% tags=["solution"]
h = 0.000001
a, b, c = 2.0, 3.0, 4.0
forward = [
    (f(a + h, b, c) - f(a, b, c)) / h,
    (f(a, b + h, c) - f(a, b, c)) / h,
    (f(a, b, c + h) - f(a, b, c)) / h,
]
print(forward)

# %% tags=["check"]
check(forward, [-12.353553390593273, 10.25699027111255, 0.0625], tol=1e-4)

# %% [markdown]
# ## 3. Symmetric differences, closer still
#
# A symmetric (central) difference steps both ways:
# `(f(x + h) - f(x - h)) / (2h)`. Estimate the gradient that way with the same
# `h`, and say whether it is closer to the exact gradient than the forward
# estimate for every input. The check now wants the gradient to about `1e-8`.

# %% tags=["starter"]
h = 0.000001
symmetric = [0.0, 0.0, 0.0]
closer = ...  # True or False: every symmetric estimate beats the forward one

# %% tags=["solution"]
h = 0.000001
a, b, c = 2.0, 3.0, 4.0
symmetric = [
    (f(a + h, b, c) - f(a - h, b, c)) / (2 * h),
    (f(a, b + h, c) - f(a, b - h, c)) / (2 * h),
    (f(a, b, c + h) - f(a, b, c - h)) / (2 * h),
]
exact = gradf(a, b, c)
forward = [
    (f(a + h, b, c) - f(a, b, c)) / h,
    (f(a, b + h, c) - f(a, b, c)) / h,
    (f(a, b, c + h) - f(a, b, c)) / h,
]
closer = all(abs(s - e) < abs(g - e) for s, g, e in zip(symmetric, forward, exact))
print(symmetric)

# %% tags=["check"]
exact = [-12.353553390593273, 10.25699027111255, 0.0625]
check([symmetric, closer], [exact, True], tol=1e-8)
