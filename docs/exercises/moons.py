# %% [markdown]
# # Exercises: Two moons
#
# For the chapter [Two moons](../../moons/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
from micrograd.engine import Value
from micrograd.exercises import check
from micrograd.losses import accuracy, svm_max_margin

scores = [0.5, -2.0, 1.2]
labels = [1, -1, -1]

# %% [markdown]
# ## 1. The max-margin loss by hand
#
# A sample with label `y` (±1) and score `s` costs `max(0, 1 - y*s)`; the
# loss is the mean cost. Compute it for `scores = [0.5, -2.0, 1.2]` and
# `labels = [1, -1, -1]` from `Value`s with `relu()`, and compare with
# `svm_max_margin`.

# %% tags=["starter"]
loss = ...

# %% tags=["solution"]
costs = [(1 - y * Value(s)).relu() for s, y in zip(scores, labels)]
loss = sum(costs) * (1.0 / len(costs))
print(loss.data, svm_max_margin([Value(s) for s in scores], labels).data)

# %% tags=["check"]
check(loss, 0.9)

# %% [markdown]
# ## 2. Accuracy
#
# A score counts as class +1 when it is positive. What fraction of the three
# samples above is classified right? Compare with `accuracy(scores, labels)`.

# %% tags=["starter"]
right = ...

# %% tags=["solution"]
right = sum((s > 0) == (y > 0) for s, y in zip(scores, labels)) / len(labels)
print(right, accuracy(scores, labels))

# %% tags=["check"]
check(right, 2 / 3)

# %% [markdown]
# ## 3. The shrinking learning rate
#
# The chapter's schedule is `lr(k) = 1.0 - 0.9 * k / 100` for step `k` of
# 100. Write it as a function and give the rate at steps 0, 50 and 99.

# %% tags=["starter"]
def lr(k):
    ...


# %% tags=["solution"]
def lr(k):
    return 1.0 - 0.9 * k / 100


# %% tags=["check"]
check([lr(0), lr(50), lr(99)], [1.0, 0.55, 0.109])
