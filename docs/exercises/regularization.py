# %% [markdown]
# # Exercises: Overfitting and regularization
#
# For the chapter [Overfitting and regularization](../../regularization/). Fill in each starter cell, run it, then
# run the check under it: it prints `OK`, or `WRONG` with the value it
# expected. Stuck? Open the solution, run it, and run the check again.

# %%
import random

from micrograd.exercises import check
from micrograd.nn import Dropout

# %% [markdown]
# ## 1. When to stop
#
# Early stopping keeps the epoch with the lowest validation loss, and ends
# the run once that best epoch is `patience` epochs old. For the validation
# losses below (epochs 0 to 8) and a patience of 3, which epoch is the best,
# and at which epoch does the run stop? Give `[best, stop]`.

# %%
val_losses = [0.5, 0.4, 0.35, 0.36, 0.34, 0.37, 0.38, 0.39, 0.4]

# %% tags=["starter"]
best_and_stop = [..., ...]

# %% tags=["solution"]
best = 0
for epoch, loss in enumerate(val_losses):
    if loss < val_losses[best]:
        best = epoch
    elif epoch - best >= 3:
        stop = epoch
        break
best_and_stop = [best, stop]
print(best_and_stop)

# %% tags=["check"]
check(best_and_stop, [4, 7])

# %% [markdown]
# ## 2. Dropout by hand
#
# While training, `Dropout(p)` draws one random number $u$ per input: the
# input is zeroed when $u < p$, and otherwise multiplied by $1/(1 - p)$. Draw
# the numbers from `random.Random(0)` (its `random()`, one per input, in
# order) and apply dropout with $p = 0.3$ to `[1.0, 2.0, 3.0, 4.0]`. Compare
# with `Dropout(0.3, rng=0)` on the same inputs.

# %% tags=["starter"]
dropped = ...

# %% tags=["solution"]
draw = random.Random(0).random
p = 0.3
dropped = [0.0 if draw() < p else x / (1 - p) for x in [1.0, 2.0, 3.0, 4.0]]
print(dropped, [v.data for v in Dropout(0.3, rng=0)([1.0, 2.0, 3.0, 4.0])])

# %% tags=["check"]
check(dropped, [1 / 0.7, 2 / 0.7, 3 / 0.7, 0.0])
