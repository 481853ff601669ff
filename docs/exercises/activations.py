# %% [markdown]
# # Exercises: Activation functions
#
# For the chapter [Activation functions](../../activations/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
import math

from micrograd.activations import leaky_relu, softplus
from micrograd.engine import Value
from micrograd.exercises import check

# %% [markdown]
# ## 1. Slopes from the formulas
#
# Give the slope of `tanh` and of the sigmoid at $x = 2$ from their formulas,
# $1 - \tanh^2 x$ and $\sigma(x)(1 - \sigma(x))$, and the slope of ReLU and
# of leaky ReLU ($\alpha = 0.01$) at $x = -1.5$. Then check all four with
# `backward()` on a fresh `Value`.

# %% tags=["starter"]
slopes = [..., ..., ..., ...]  # tanh, sigmoid, relu, leaky_relu

# %% tags=["solution"]
s = 1 / (1 + math.exp(-2.0))
slopes = [1 - math.tanh(2.0) ** 2, s * (1 - s), 0.0, 0.01]
from_backward = []
for f, x in ((Value.tanh, 2.0), (Value.sigmoid, 2.0), (Value.relu, -1.5), (leaky_relu, -1.5)):
    v = Value(x)
    f(v).backward()
    from_backward.append(v.grad)
print(slopes, from_backward)

# %% tags=["check"]
check(slopes, [0.07065082485316443, 0.10499358540350662, 0.0, 0.01])

# %% [markdown]
# ## 2. Softplus far to the left
#
# For very negative $x$, $\log(1 + e^x) \approx e^x$. Written as it stands,
# `math.log(1 + math.exp(x))` rounds $1 + e^x$ to 1 there and returns 0.
# Write `stable_softplus(x)` on floats as the chapter does,
# $\max(x, 0) + \log(1 + e^{-|x|})$ with `math.log1p`, and give
# `stable_softplus(x) / math.exp(x)` for $x = -40$ and $x = -100$. Compare
# with the library's `softplus`.

# %% tags=["starter"]
def stable_softplus(x):
    return math.log(1 + math.exp(x))  # rounds to 0 for very negative x


ratios = [stable_softplus(x) / math.exp(x) for x in (-40.0, -100.0)]

# %% tags=["solution"]
def stable_softplus(x):
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


ratios = [stable_softplus(x) / math.exp(x) for x in (-40.0, -100.0)]
print(ratios, [softplus(Value(x)).data / math.exp(x) for x in (-40.0, -100.0)])

# %% tags=["check"]
check(ratios, [1.0, 1.0])
