"""Small datasets for the tutorials, generated in pure Python.

Everything random comes from a `random.Random` built from `seed`, so a given
seed always gives the same data (on any machine, with no numpy or sklearn).
`seed` may be an int, a `random.Random` (which is advanced), or None for the
`random` module's global generator.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TypeVar

from micrograd._checks import count, finite
from micrograd.nn import make_rng

Seed = int | random.Random | None
_X = TypeVar("_X")
_Y = TypeVar("_Y")


def _rng(seed: Seed) -> random.Random:
    try:
        return make_rng(seed)
    except TypeError:
        raise TypeError(f"seed must be an int, a random.Random or None, got {type(seed).__name__}") from None


def _check_count(n: object, name: str, minimum: int) -> int:
    return count(n, name, minimum)


def _check_noise(noise: object) -> float:
    return finite(noise, "noise", minimum=0)


def _evenly_spaced(start: float, stop: float, n: int) -> list[float]:
    """`n` numbers from `start` to `stop` inclusive (like `numpy.linspace`); `[start]` when `n` is 1."""
    if n == 1:
        return [start]
    span = stop - start
    return [start + span * i / (n - 1) for i in range(n - 1)] + [stop]


def toy_dataset() -> tuple[list[list[float]], list[float]]:
    """The four-example dataset of the lecture: 3 inputs each, targets +1 or -1.

    Returns new lists at every call, so changing them is safe.

    Examples:
        >>> from micrograd.data import toy_dataset
        >>> xs, ys = toy_dataset()
        >>> xs[0], ys
        ([2.0, 3.0, -1.0], [1.0, -1.0, -1.0, 1.0])
    """
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    return xs, ys


def noisy_sine(
    n: int = 30,
    noise: float = 0.1,
    x_min: float = -3.0,
    x_max: float = 3.0,
    seed: Seed = 0,
) -> tuple[list[float], list[float]]:
    """Samples of `sin(x)` plus gaussian noise, for a regression example.

    Args:
        n: Number of samples, at least 2.
        noise: Standard deviation of the noise added to each `sin(x)`.
        x_min: Smallest x.
        x_max: Largest x, greater than `x_min`.
        seed: Seed or generator for the noise.

    Returns:
        (xs, ys): xs evenly spaced from `x_min` to `x_max` inclusive, in
        increasing order (plain floats, one input each); `ys = sin(x) + noise`.

    Examples:
        >>> from micrograd.data import noisy_sine
        >>> xs, ys = noisy_sine(n=5, noise=0.0)
        >>> xs
        [-3.0, -1.5, 0.0, 1.5, 3.0]
        >>> [round(y, 4) for y in ys]
        [-0.1411, -0.9975, 0.0, 0.9975, 0.1411]
    """
    _check_count(n, "n", 2)
    noise = _check_noise(noise)
    for name, bound in (("x_min", x_min), ("x_max", x_max)):
        finite(bound, name)
    if not x_min < x_max:
        raise ValueError(f"x_min must be less than x_max, got x_min={x_min!r} and x_max={x_max!r}")
    rng = _rng(seed)
    xs = _evenly_spaced(float(x_min), float(x_max), n)
    ys = [math.sin(x) + rng.gauss(0.0, noise) for x in xs]
    return xs, ys


def make_moons(n_samples: int = 100, noise: float = 0.1, seed: Seed = 0) -> tuple[list[list[float]], list[int]]:
    """Two interleaving half circles, a classic non-linearly separable dataset.

    The outer moon is `(cos t, sin t)`, the inner one `(1 - cos t, 1 - sin t - 0.5)`,
    `t` evenly spaced over `[0, pi]`. As in scikit-learn, the outer moon gets
    `n_samples // 2` points and the inner one the rest. Gaussian noise of
    standard deviation `noise` is added to every coordinate, then the samples
    are shuffled with the same generator.

    Args:
        n_samples: Total number of points, at least 2.
        noise: Standard deviation of the noise.
        seed: Seed or generator.

    Returns:
        (X, y): X a list of `[x0, x1]` floats; y ints, -1 for the outer moon
        and +1 for the inner one (the labels of classic micrograd's demo).

    Examples:
        >>> from micrograd.data import make_moons
        >>> X, y = make_moons(n_samples=7, noise=0.0)
        >>> len(X), sorted(y)
        (7, [-1, -1, -1, 1, 1, 1, 1])
        >>> all(round(x0**2 + x1**2, 12) == 1.0 for (x0, x1), label in zip(X, y) if label == -1)
        True
    """
    _check_count(n_samples, "n_samples", 2)
    noise = _check_noise(noise)
    rng = _rng(seed)
    n_outer = n_samples // 2
    outer = [[math.cos(t), math.sin(t)] for t in _evenly_spaced(0.0, math.pi, n_outer)]
    inner = [[1.0 - math.cos(t), 1.0 - math.sin(t) - 0.5] for t in _evenly_spaced(0.0, math.pi, n_samples - n_outer)]
    samples = [(point, -1) for point in outer] + [(point, 1) for point in inner]
    for point, _ in samples:
        point[0] += rng.gauss(0.0, noise)
        point[1] += rng.gauss(0.0, noise)
    rng.shuffle(samples)
    return [point for point, _ in samples], [label for _, label in samples]


def make_spirals(
    n_samples: int = 150, n_classes: int = 3, noise: float = 0.2, seed: Seed = 0
) -> tuple[list[list[float]], list[int]]:
    """Interleaved spiral arms, one per class: a small data set no straight line can split.

    Class `k` gets points at radius `r` evenly spaced over `[0, 1]` and angle
    `4 (k + r)` radians (plus Gaussian noise of standard deviation `noise`),
    at `(r sin θ, r cos θ)`; the arms start together at the centre and wind
    apart. This is the spiral of Stanford's CS231n notes. Points are shuffled.

    Args:
        n_samples: Total number of points, at least `n_classes`; the first
            `n_samples % n_classes` classes get one point more.
        n_classes: Number of arms and labels, at least 2.
        noise: Standard deviation of the noise on each point's angle, in radians.
        seed: Seed or generator.

    Returns:
        (X, y): X a list of `[x0, x1]` floats inside the unit disc; y ints
        from 0 to `n_classes - 1`.

    Examples:
        >>> from micrograd.data import make_spirals
        >>> X, y = make_spirals(n_samples=9, n_classes=3, noise=0.0)
        >>> len(X), sorted(y)
        (9, [0, 0, 0, 1, 1, 1, 2, 2, 2])
        >>> max(round(x0**2 + x1**2, 12) for x0, x1 in X)
        1.0
    """
    _check_count(n_classes, "n_classes", 2)
    _check_count(n_samples, "n_samples", n_classes)
    noise = _check_noise(noise)
    rng = _rng(seed)
    samples = []
    for k in range(n_classes):
        size = n_samples // n_classes + (1 if k < n_samples % n_classes else 0)
        for r in _evenly_spaced(0.0, 1.0, size):
            angle = 4.0 * (k + r) + rng.gauss(0.0, noise)
            samples.append(([r * math.sin(angle), r * math.cos(angle)], k))
    rng.shuffle(samples)
    return [point for point, _ in samples], [label for _, label in samples]


def train_val_test_split(
    X: Sequence[_X],
    y: Sequence[_Y],
    fractions: tuple[float, float, float] = (0.6, 0.2, 0.2),
    seed: Seed = 0,
) -> tuple[tuple[list[_X], list[_Y]], tuple[list[_X], list[_Y]], tuple[list[_X], list[_Y]]]:
    """Shuffle samples and cut them into a training, a validation and a test set.

    The model learns from the training set; the validation set picks settings
    (when to stop, which activation); the test set is looked at once, at the
    end, for an estimate nobody tuned. A fraction of 0 gives an empty set, so
    `fractions=(0.8, 0.2, 0.0)` is a plain train/validation split.

    Args:
        X: Inputs, one per sample (any objects: lists of floats, numbers).
        y: Labels or targets, one per input.
        fractions: Shares of the training, validation and test sets: three
            numbers >= 0 adding up to 1. The cuts are rounded, so the sizes
            differ from `fractions * len(X)` by less than one sample each.
        seed: Seed or generator for the shuffle.

    Returns:
        `(train, val, test)`, each a pair `(X_part, y_part)` of new lists
        (the samples themselves are not copied). Every sample lands in exactly
        one of them.

    Raises:
        ValueError: X and y differ in length or are empty, or bad fractions.

    Examples:
        >>> from micrograd.data import train_val_test_split
        >>> X = [[float(i)] for i in range(10)]
        >>> y = list(range(10))
        >>> train, val, test = train_val_test_split(X, y, seed=0)
        >>> len(train[0]), len(val[0]), len(test[0])
        (6, 2, 2)
        >>> sorted(train[1] + val[1] + test[1]) == y
        True
        >>> (X_train, y_train), (X_val, y_val), _ = train_val_test_split(X, y, (0.8, 0.2, 0.0))
        >>> len(y_train), len(y_val)
        (8, 2)
    """
    if len(X) != len(y) or not X:
        raise ValueError(f"X and y must be non-empty and of equal length, got {len(X)} and {len(y)}")
    shares = _check_fractions(fractions)
    order = list(range(len(X)))
    _rng(seed).shuffle(order)
    # Cut at rounded cumulative shares: the three sizes always add up to len(X).
    first = round(len(X) * shares[0])
    second = round(len(X) * (shares[0] + shares[1]))
    parts = (order[:first], order[first:second], order[second:])
    return (
        ([X[i] for i in parts[0]], [y[i] for i in parts[0]]),
        ([X[i] for i in parts[1]], [y[i] for i in parts[1]]),
        ([X[i] for i in parts[2]], [y[i] for i in parts[2]]),
    )


def _check_fractions(fractions: object) -> tuple[float, float, float]:
    if not isinstance(fractions, (tuple, list)) or len(fractions) != 3:
        raise ValueError(f"fractions must be three numbers (train, validation, test), got {fractions!r}")
    shares = tuple(finite(f, "each fraction", minimum=0) for f in fractions)
    if not math.isclose(sum(shares), 1.0, abs_tol=1e-9):
        raise ValueError(f"fractions must add up to 1, got {fractions!r} (sum {sum(shares)!r})")
    return shares[0], shares[1], shares[2]


def train_val_split(
    xs: Sequence[_X], ys: Sequence[_Y], val_fraction: float = 0.25, seed: Seed = 0
) -> tuple[tuple[list[_X], list[_Y]], tuple[list[_X], list[_Y]]]:
    """Hold out a random part of a dataset for validation.

    Which samples are held out is random (from `seed`); within each part the
    samples keep their original order, so sorted inputs stay sorted.

    Args:
        xs: Inputs.
        ys: Targets, one per input.
        val_fraction: Fraction held out for validation, in `(0, 1)`; the count
            is rounded, and both parts keep at least one sample.
        seed: Seed or generator choosing the held-out samples.

    Returns:
        `((train_xs, train_ys), (val_xs, val_ys))`, new lists.

    Examples:
        >>> from micrograd.data import train_val_split
        >>> (train_x, train_y), (val_x, val_y) = train_val_split([0, 1, 2, 3, 4, 5, 6, 7], list("abcdefgh"))
        >>> train_x, val_x
        ([0, 2, 3, 5, 6, 7], [1, 4])
        >>> val_y
        ['b', 'e']
    """
    xs, ys = list(xs), list(ys)
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError(f"need as many xs as ys, at least 2, got {len(xs)} xs and {len(ys)} ys")
    fraction = finite(val_fraction, "val_fraction")
    if not 0 < fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction!r}")
    n_val = min(max(round(len(xs) * fraction), 1), len(xs) - 1)
    order = list(range(len(xs)))
    _rng(seed).shuffle(order)
    held_out = set(order[:n_val])
    train = [i for i in range(len(xs)) if i not in held_out]
    val = sorted(held_out)
    return ([xs[i] for i in train], [ys[i] for i in train]), ([xs[i] for i in val], [ys[i] for i in val])
