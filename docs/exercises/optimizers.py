# %% [markdown]
# # Exercises: Optimizers
#
# For the chapter [Optimizers](../../optimizers/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
from micrograd.engine import Value
from micrograd.exercises import check
from micrograd.optim import SGD, Adam

# %% [markdown]
# ## 1. Momentum gathers speed
#
# SGD with momentum keeps a velocity: $v \leftarrow \mu v + g$, then
# $w \leftarrow w - \eta v$, with $v = 0$ at the start. A parameter starts at
# $w = 0$ and its gradient is $g = 1$ at every step. With $\eta = 0.1$ and
# $\mu = 0.9$, give $w$ after each of the first three steps, by hand, then
# compare with `SGD([w], lr=0.1, momentum=0.9)` on the loss `w * 1.0`.

# %% tags=["starter"]
after_each_step = [..., ..., ...]

# %% tags=["solution"]
w, v, after_each_step = 0.0, 0.0, []
for _ in range(3):
    v = 0.9 * v + 1.0
    w = w - 0.1 * v
    after_each_step.append(w)

param = Value(0.0)
optimizer = SGD([param], lr=0.1, momentum=0.9)
from_sgd = []
for _ in range(3):
    optimizer.zero_grad()
    (param * 1.0).backward()
    optimizer.step()
    from_sgd.append(param.data)
print(after_each_step, from_sgd)

# %% tags=["check"]
check(after_each_step, [-0.1, -0.29, -0.561])

# %% [markdown]
# ## 2. Adam's first step
#
# After its first step Adam's bias-corrected averages are $\hat m = g$ and
# $\hat s = g^2$, so it moves $w$ by $-\eta\, g / (\sqrt{g^2} + \epsilon)$ with
# $\epsilon = 10^{-8}$. For $\eta = 0.1$, give that first step for a gradient
# of $g = 1000$ and for $g = 0.001$ (from $w = 0$, on the loss `w * g`), then
# compare with one step of `Adam([w], lr=0.1)`. What do a million-fold
# different gradients change?

# %% tags=["starter"]
first_steps = [..., ...]  # for g = 1000, then g = 0.001

# %% tags=["solution"]
first_steps = [-0.1 * g / ((g * g) ** 0.5 + 1e-8) for g in (1000.0, 0.001)]
from_adam = []
for g in (1000.0, 0.001):
    param = Value(0.0)
    optimizer = Adam([param], lr=0.1)
    optimizer.zero_grad()
    (param * g).backward()
    optimizer.step()
    from_adam.append(param.data)
print(first_steps, from_adam)  # both about -0.1, the learning rate

# %% tags=["check"]
check(first_steps, [-0.099999999999, -0.0999990000099999])
