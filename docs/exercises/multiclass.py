# %% [markdown]
# # Exercises: Many classes: softmax and cross-entropy
#
# For the chapter [Many classes: softmax and cross-entropy](../../multiclass/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
import math

from micrograd.activations import softmax
from micrograd.engine import Value
from micrograd.exercises import check
from micrograd.losses import cross_entropy

# %% [markdown]
# ## 1. A softmax that does not overflow
#
# Write `stable_softmax(scores)` on plain floats: subtract the largest score
# $m$ from every score, then $p_i = e^{z_i - m} / \sum_j e^{z_j - m}$. Give
# it `[1000.0, 999.0, 0.0]`, where `math.exp(1000.0)` overflows, and compare
# with the library's `softmax`.

# %% tags=["starter"]
def stable_softmax(scores):
    ...


# %% tags=["solution"]
def stable_softmax(scores):
    m = max(scores)
    exps = [math.exp(z - m) for z in scores]
    total = sum(exps)
    return [e / total for e in exps]


print(stable_softmax([1000.0, 999.0, 0.0]), [p.data for p in softmax([1000.0, 999.0, 0.0])])

# %% tags=["check"]
check(stable_softmax([1000.0, 999.0, 0.0]), [0.7310585786300049, 0.2689414213699951, 0.0])

# %% [markdown]
# ## 2. Softmax minus one-hot
#
# The gradient of the cross-entropy of one sample with respect to its scores
# is $p_i - [i = t]$: the probabilities minus the one-hot vector of the right
# class $t$. Compute it from the formula for the scores `[0.5, 2.0, -1.0]` and
# the right class `t = 2`, then compare with `backward()` on
# `cross_entropy([z], [2])`.

# %% tags=["starter"]
grads = ...

# %% tags=["solution"]
p = stable_softmax([0.5, 2.0, -1.0])
grads = [p_i - (1.0 if i == 2 else 0.0) for i, p_i in enumerate(p)]
z = [Value(0.5), Value(2.0), Value(-1.0)]
cross_entropy([z], [2]).backward()
print(grads, [zi.grad for zi in z])

# %% tags=["check"]
check(grads, [0.1752903921400367, 0.7855970345892759, -0.9608874267293126])
