"""Tests for micrograd.data: shapes, geometry, determinism and input checks."""

import math
import random
import statistics

import pytest

from micrograd.data import make_moons, make_spirals, noisy_sine, toy_dataset, train_val_test_split

# --- toy_dataset ---------------------------------------------------------------

def test_toy_dataset_is_the_lecture_data():
    xs, ys = toy_dataset()
    assert xs == [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    assert ys == [1.0, -1.0, -1.0, 1.0]


def test_toy_dataset_returns_fresh_lists():
    xs, ys = toy_dataset()
    xs[0][0] = 99.0
    ys.append(0.0)
    assert toy_dataset() == ([[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]],
                             [1.0, -1.0, -1.0, 1.0])


# --- noisy_sine ----------------------------------------------------------------

def test_noisy_sine_xs_are_evenly_spaced_and_inclusive():
    xs, ys = noisy_sine(n=7, x_min=-1.5, x_max=1.5)
    assert len(xs) == len(ys) == 7
    assert xs[0] == -1.5 and xs[-1] == 1.5
    gaps = [b - a for a, b in zip(xs, xs[1:])]
    assert gaps == pytest.approx([0.5] * 6, abs=1e-15)
    assert all(isinstance(x, float) for x in xs + ys)


def test_noisy_sine_defaults_are_small():
    xs, ys = noisy_sine()
    assert len(xs) == 30 and (xs[0], xs[-1]) == (-3.0, 3.0)


def test_noisy_sine_without_noise_is_the_sine():
    xs, ys = noisy_sine(n=11, noise=0.0)
    assert ys == [math.sin(x) for x in xs]


def test_noisy_sine_noise_has_the_requested_spread():
    xs, ys = noisy_sine(n=4000, noise=0.2, seed=1)
    residuals = [y - math.sin(x) for x, y in zip(xs, ys)]
    assert statistics.stdev(residuals) == pytest.approx(0.2, rel=0.05)
    assert abs(statistics.fmean(residuals)) < 0.02


def test_noisy_sine_is_deterministic_per_seed():
    assert noisy_sine(seed=4) == noisy_sine(seed=4)
    assert noisy_sine(seed=4) != noisy_sine(seed=5)
    assert noisy_sine(seed=random.Random(4)) == noisy_sine(seed=4)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"n": 1}, ValueError),
        ({"n": 0}, ValueError),
        ({"n": 2.5}, TypeError),
        ({"n": True}, TypeError),
        ({"noise": -0.1}, ValueError),
        ({"noise": math.inf}, ValueError),
        ({"x_min": 1.0, "x_max": 1.0}, ValueError),
        ({"x_min": 2.0, "x_max": -2.0}, ValueError),
        ({"x_max": math.nan}, ValueError),
        ({"x_min": "0"}, TypeError),
        ({"seed": "abc"}, TypeError),
    ],
)
def test_noisy_sine_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        noisy_sine(**kwargs)


# --- make_moons ----------------------------------------------------------------

def on_outer_moon(x0, x1):
    return math.isclose(x0**2 + x1**2, 1.0, abs_tol=1e-12) and x1 >= -1e-12


def on_inner_moon(x0, x1):
    return math.isclose((x0 - 1) ** 2 + (x1 - 0.5) ** 2, 1.0, abs_tol=1e-12) and x1 <= 0.5 + 1e-12


@pytest.mark.parametrize("n_samples", [2, 7, 100, 101])
def test_moons_split_like_sklearn(n_samples):
    X, y = make_moons(n_samples=n_samples)
    assert len(X) == len(y) == n_samples
    assert y.count(-1) == n_samples // 2
    assert y.count(1) == n_samples - n_samples // 2
    assert all(type(label) is int for label in y)
    assert all(len(x) == 2 and all(isinstance(c, float) for c in x) for x in X)


def test_moons_without_noise_lie_on_the_two_half_circles():
    X, y = make_moons(n_samples=41, noise=0.0)
    for (x0, x1), label in zip(X, y):
        assert on_outer_moon(x0, x1) if label == -1 else on_inner_moon(x0, x1)
    # t evenly spaced over [0, pi]: the outer moon's x0 values are cos(t)
    outer_x0 = sorted(x0 for (x0, _), label in zip(X, y) if label == -1)
    expected = sorted(math.cos(math.pi * i / 19) for i in range(20))
    assert outer_x0 == pytest.approx(expected, abs=1e-15)
    assert outer_x0[0] == -1.0 and outer_x0[-1] == 1.0


def test_moons_are_shuffled():
    _, y = make_moons(n_samples=100)
    assert y != sorted(y)
    assert y[:50].count(-1) not in (0, 50)


def test_moons_noise_moves_points_off_the_circles():
    X, y = make_moons(n_samples=2000, noise=0.1, seed=2)
    outer = [math.hypot(x0, x1) - 1.0 for (x0, x1), label in zip(X, y) if label == -1]
    # the radial offset of 2-D gaussian noise has standard deviation ~ noise
    assert statistics.stdev(outer) == pytest.approx(0.1, rel=0.1)


def test_moons_are_deterministic_per_seed():
    assert make_moons(seed=11) == make_moons(seed=11)
    assert make_moons(seed=11) != make_moons(seed=12)
    shared = random.Random(3)
    first, second = make_moons(seed=shared), make_moons(seed=shared)
    assert first != second  # a generator passed in is advanced
    assert first == make_moons(seed=3)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"n_samples": 1}, ValueError),
        ({"n_samples": -5}, ValueError),
        ({"n_samples": 10.0}, TypeError),
        ({"noise": -1.0}, ValueError),
        ({"noise": None}, TypeError),
        ({"seed": 1.5}, TypeError),
    ],
)
def test_moons_reject_bad_arguments(kwargs, error):
    with pytest.raises(error):
        make_moons(**kwargs)


# --- train_val_test_split --------------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 5, 10, 99, 300])
def test_split_puts_every_sample_in_exactly_one_part(n):
    X = [[float(i), -float(i)] for i in range(n)]
    y = [i % 3 for i in range(n)]
    parts = train_val_test_split(X, y, seed=7)
    indices = [int(x[0]) for X_part, _ in parts for x in X_part]
    assert sorted(indices) == list(range(n))
    for X_part, y_part in parts:  # each label travels with its input
        assert y_part == [int(x[0]) % 3 for x in X_part]


@pytest.mark.parametrize(
    "n, fractions, sizes",
    [
        (10, (0.6, 0.2, 0.2), (6, 2, 2)),
        (300, (0.6, 0.2, 0.2), (180, 60, 60)),
        (7, (0.5, 0.25, 0.25), (4, 1, 2)),
        (10, (0.8, 0.2, 0.0), (8, 2, 0)),
        (10, (1.0, 0.0, 0.0), (10, 0, 0)),
    ],
)
def test_split_sizes_follow_the_fractions(n, fractions, sizes):
    parts = train_val_test_split(list(range(n)), list(range(n)), fractions, seed=0)
    assert tuple(len(X_part) for X_part, _ in parts) == sizes


def test_split_is_shuffled_and_deterministic_per_seed():
    X, y = list(range(100)), list(range(100))
    first = train_val_test_split(X, y, seed=3)
    assert first == train_val_test_split(X, y, seed=3)
    assert first != train_val_test_split(X, y, seed=4)
    assert first[0][0] != sorted(first[0][0])
    assert train_val_test_split(X, y, seed=random.Random(3)) == first
    assert list(range(100)) == X  # inputs untouched


@pytest.mark.parametrize(
    "X, y, fractions, error",
    [
        ([], [], (0.6, 0.2, 0.2), ValueError),
        ([1, 2], [1], (0.6, 0.2, 0.2), ValueError),
        ([1, 2], [1, 2], (0.6, 0.2), ValueError),
        ([1, 2], [1, 2], (0.6, 0.3, 0.3), ValueError),
        ([1, 2], [1, 2], (1.2, -0.1, -0.1), ValueError),
        ([1, 2], [1, 2], (0.6, math.nan, 0.4), ValueError),
        ([1, 2], [1, 2], (0.6, "0.2", 0.2), TypeError),
    ],
)
def test_split_rejects_bad_arguments(X, y, fractions, error):
    with pytest.raises(error):
        train_val_test_split(X, y, fractions)


# --- make_spirals ----------------------------------------------------------------

@pytest.mark.parametrize("n_samples, n_classes", [(3, 3), (150, 3), (100, 3), (50, 5), (2, 2)])
def test_spirals_sizes_and_labels(n_samples, n_classes):
    X, y = make_spirals(n_samples, n_classes)
    assert len(X) == len(y) == n_samples
    counts = [y.count(k) for k in range(n_classes)]
    assert sum(counts) == n_samples and max(counts) - min(counts) <= 1
    assert all(type(label) is int for label in y)
    assert all(len(x) == 2 and math.hypot(*x) <= 1.0 + 1e-12 for x in X)


def test_spirals_without_noise_lie_on_their_arms():
    X, y = make_spirals(30, 3, noise=0.0)
    for (x0, x1), k in zip(X, y, strict=True):
        r = math.hypot(x0, x1)
        if r > 1e-9:  # every arm starts at the centre
            angle = 4.0 * (k + r)
            assert (x0, x1) == pytest.approx((r * math.sin(angle), r * math.cos(angle)), abs=1e-12)


def test_spirals_are_shuffled_and_deterministic_per_seed():
    X, y = make_spirals(seed=5)
    assert (X, y) == make_spirals(seed=5)
    assert (X, y) != make_spirals(seed=6)
    assert y != sorted(y)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"n_classes": 1}, ValueError),
        ({"n_samples": 2, "n_classes": 3}, ValueError),
        ({"n_samples": 10.0}, TypeError),
        ({"noise": -1.0}, ValueError),
        ({"seed": "x"}, TypeError),
    ],
)
def test_spirals_reject_bad_arguments(kwargs, error):
    with pytest.raises(error):
        make_spirals(**kwargs)
