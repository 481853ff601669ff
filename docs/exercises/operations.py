# %% [markdown]
# # Exercises: More operations
#
# For the chapter [More operations](../../operations/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
import json
import math
from pathlib import Path

from micrograd.engine import Value
from micrograd.exercises import check

# %% [markdown]
# ## 1. Division's gradients
#
# `a / b` is `a * b**-1`. From that, work out by hand the gradients of
# `a / b` with respect to `a` and `b` at `a = 6`, `b = 3`.

# %% tags=["starter"]
d_da, d_db = ..., ...

# %% tags=["solution"]
a, b = 6.0, 3.0
d_da = b**-1  # the product rule's first half
d_db = a * -1 * b**-2  # the power rule on b**-1
av, bv = Value(a), Value(b)
(av / bv).backward()
print(d_da, d_db, "engine:", av.grad, bv.grad)

# %% tags=["check"]
check([d_da, d_db], [1 / 3, -2 / 3])

# %% [markdown]
# ## 2. tanh from exp
#
# Write `my_tanh(x)` for a `Value` `x` using only `exp` and arithmetic:
# `tanh(x) = (exp(2x) - 1) / (exp(2x) + 1)`. Its value and its gradient must
# match the engine's own `tanh` at `x = 0.5`.

# %% tags=["starter"]
def my_tanh(x):
    ...


# %% tags=["solution"]
def my_tanh(x):
    e = (2 * x).exp()
    return (e - 1) / (e + 1)


# %% tags=["check"]
x = Value(0.5)
y = my_tanh(x)
if y is not None:
    y.backward()
answer = None if y is None else [y.data, x.grad]
check(answer, [math.tanh(0.5), 1 - math.tanh(0.5) ** 2])

# %% [markdown]
# ## 3. Softmax and negative log-likelihood
#
# The lecture's second exercise. Four logits, `[0, 3, -2, 1]`, become
# probabilities with a softmax: each `exp(logit)` divided by the sum of all
# four. The loss for the correct class 3 is the negative log of its
# probability. Build it from `Value` operations (`exp`, `/`, `log`, `+`,
# unary `-`), call `backward()`, and collect the four logits' gradients.

# %% tags=["starter"]
logits = [Value(x) for x in [0.0, 3.0, -2.0, 1.0]]
loss = ...
grads = ...  # the gradient of each logit

# %% tags=["solution"]
logits = [Value(x) for x in [0.0, 3.0, -2.0, 1.0]]
counts = [logit.exp() for logit in logits]
total = sum(counts)
probabilities = [count / total for count in counts]
loss = -probabilities[3].log()
loss.backward()
grads = [logit.grad for logit in logits]
print(loss.data)
print(grads)

# %% tags=["check"]
check(grads, [0.041772570515350445, 0.8390245074625319,
              0.005653302662216329, -0.8864503806400986])

# %% [markdown]
# ### Checked against PyTorch
#
# PyTorch's cross-entropy computes the same loss. The next cell is the one
# copy of the PyTorch code. The cell after it runs that code when torch is
# installed; where it is not (the page, and builds without torch) it reads the
# run that `scripts/record_torch.py` recorded from the same cell. Then it
# checks your gradients against PyTorch's.

# %%
def softmax_nll_in_torch():
    """The lecture's softmax and NLL in PyTorch: the loss, each logit's gradient."""
    import torch

    logits = torch.tensor([0.0, 3.0, -2.0, 1.0], dtype=torch.float64,
                          requires_grad=True)
    loss = torch.nn.functional.cross_entropy(logits.unsqueeze(0), torch.tensor([3]))
    loss.backward()
    return {"torch": str(torch.__version__), "loss": loss.item(),
            "grads": logits.grad.tolist()}


# %%
try:
    reference = softmax_nll_in_torch()
    print(f"run live with torch {reference['torch']}")
except ImportError:  # no torch here: read the recorded run
    places = [Path("docs/recorded/torch-softmax.json"),  # where the site is built
              Path("../../recorded/torch-softmax.json")]  # a copy of the site
    recorded = next((place for place in places if place.exists()), None)
    if recorded is None:
        raise FileNotFoundError("no torch, and the site's recorded/torch-softmax.json "
                                "is not where this notebook looks for it") from None
    reference = json.loads(recorded.read_text())
    print(f"recorded with torch {reference['torch']} on {reference['recorded_on']}",
          "(torch is not installed here)")
print("PyTorch's gradients:", reference["grads"])
check(grads, reference["grads"], tol=1e-12)
