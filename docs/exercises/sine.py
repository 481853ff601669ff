# %% [markdown]
# # Exercises: Fitting a noisy sine
#
# For the chapter [Fitting a noisy sine](../../sine/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
from micrograd.data import noisy_sine
from micrograd.engine import Value
from micrograd.exercises import check
from micrograd.losses import mean_squared_error
from micrograd.optim import SGD

xs, ys = noisy_sine(n=30, seed=0)

# %% [markdown]
# ## 1. The best straight line, in closed form
#
# Before a network: the straight line `y = w*x + b` closest to the data in
# squared error has `w = Σ(x - x̄)(y - ȳ) / Σ(x - x̄)²` and `b = ȳ - w*x̄`
# (x̄, ȳ the means). Compute both for `noisy_sine(n=30, seed=0)`.

# %% tags=["starter"]
w_best, b_best = ..., ...

# %% tags=["solution"]
n = len(xs)
x_mean, y_mean = sum(xs) / n, sum(ys) / n
covariance = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys))
w_best = covariance / sum((x - x_mean) ** 2 for x in xs)
b_best = y_mean - w_best * x_mean
print(w_best, b_best)

# %% tags=["check"]
check([w_best, b_best], [0.3224462094148441, -0.007828313833859962])

# %% [markdown]
# ## 2. The same line by gradient descent
#
# Now find the line the way the chapter trains a network: `w` and `b` as
# `Value`s starting at 0, the mean squared error, `SGD` with learning rate
# `0.1`, 300 steps. It should land on the closed-form line.

# %% tags=["starter"]
w, b = Value(0.0), Value(0.0)
# your training loop here

# %% tags=["solution"]
w, b = Value(0.0), Value(0.0)
optimizer = SGD([w, b], lr=0.1)
for _ in range(300):
    loss = mean_squared_error([w * x + b for x in xs], ys)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(w.data, b.data, loss.data)

# %% tags=["check"]
check([w.data, b.data], [0.3224462094148441, -0.007828313833859962])
