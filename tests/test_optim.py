"""Tests for micrograd.optim: hand-computed steps, classic equality, schedules, validation."""

import math

import pytest

from micrograd.data import toy_dataset
from micrograd.engine import Value
from micrograd.losses import mean_squared_error
from micrograd.nn import MLP
from micrograd.optim import SGD, Adam, AdamW, CosineLR, RMSprop, StepLR, WarmupLR


def run_steps(optimizer, param, gradients):
    """Feed the given gradients one step at a time; return the parameter after each step."""
    history = []
    for g in gradients:
        param.grad = g
        optimizer.step()
        history.append(param.data)
    return history


# --- SGD -----------------------------------------------------------------------

def test_sgd_plain_steps_by_hand():
    p = Value(1.0)
    history = run_steps(SGD([p], lr=0.1), p, [0.5, -2.0, 1.0])
    # 1.0 - 0.1*0.5 = 0.95; 0.95 - 0.1*(-2.0) = 1.15; 1.15 - 0.1*1.0 = 1.05
    assert history == pytest.approx([0.95, 1.15, 1.05], abs=1e-15)


def test_sgd_plain_is_bit_identical_to_the_classic_loop():
    xs, ys = toy_dataset()
    ours, classic = MLP(3, [4, 4, 1], rng=3), MLP(3, [4, 4, 1], rng=3)
    optimizer = SGD(ours.parameters(), lr=lambda k: 1.0 - 0.9 * k / 100)
    for k in range(5):
        for model in (ours, classic):
            loss = mean_squared_error([model(x) for x in xs], ys, reduction="sum")
            model.zero_grad()
            loss.backward()
        optimizer.step()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in classic.parameters():
            p.data -= learning_rate * p.grad
    assert [p.data for p in ours.parameters()] == [p.data for p in classic.parameters()]


def test_sgd_momentum_steps_by_hand():
    p = Value(1.0)
    history = run_steps(SGD([p], lr=0.1, momentum=0.9), p, [1.0, 0.5, -1.0])
    # step 1: buf = g = 1.0;                 p = 1.0  - 0.1*1.0  = 0.9
    # step 2: buf = 0.9*1.0 + 0.5 = 1.4;     p = 0.9  - 0.1*1.4  = 0.76
    # step 3: buf = 0.9*1.4 - 1.0 = 0.26;    p = 0.76 - 0.1*0.26 = 0.734
    assert history == pytest.approx([0.9, 0.76, 0.734], abs=1e-14)


def test_sgd_weight_decay_steps_by_hand():
    p = Value(2.0)
    history = run_steps(SGD([p], lr=0.1, weight_decay=0.1), p, [0.5, 0.5])
    # step 1: g = 0.5 + 0.1*2.0  = 0.7;   p = 2.0  - 0.07   = 1.93
    # step 2: g = 0.5 + 0.1*1.93 = 0.693; p = 1.93 - 0.0693 = 1.8607
    assert history == pytest.approx([1.93, 1.8607], abs=1e-14)


def test_sgd_momentum_and_weight_decay_together():
    p = Value(1.0)
    history = run_steps(SGD([p], lr=0.1, momentum=0.5, weight_decay=0.5), p, [0.0, 0.0])
    # step 1: g = 0.5*1.0 = 0.5;    buf = 0.5;                  p = 1.0  - 0.05   = 0.95
    # step 2: g = 0.5*0.95 = 0.475; buf = 0.5*0.5 + 0.475 = 0.725; p = 0.95 - 0.0725 = 0.8775
    assert history == pytest.approx([0.95, 0.8775], abs=1e-14)


def test_momentum_buffers_are_per_parameter():
    a, b = Value(0.0), Value(0.0)
    optimizer = SGD([a, b], lr=1.0, momentum=0.5)
    a.grad, b.grad = 1.0, -2.0
    optimizer.step()
    optimizer.step()
    # a: -1, then -(0.5*1 + 1) = -1.5 -> -2.5; b: +2, then +(0.5*2 + 2) = 3 -> 5
    assert (a.data, b.data) == (-2.5, 5.0)


def test_sgd_nesterov_steps_by_hand():
    p = Value(1.0)
    history = run_steps(SGD([p], lr=0.1, momentum=0.9, nesterov=True), p, [1.0, 0.5])
    # step 1: buf = 1.0;               g = 1.0 + 0.9*1.0 = 1.9;  p = 1.0 - 0.19 = 0.81
    # step 2: buf = 0.9*1.0 + 0.5 = 1.4; g = 0.5 + 0.9*1.4 = 1.76; p = 0.81 - 0.176 = 0.634
    assert history == pytest.approx([0.81, 0.634], abs=1e-14)


def test_sgd_nesterov_needs_momentum_and_a_bool():
    with pytest.raises(ValueError, match="nesterov=True needs a momentum"):
        SGD([Value(1.0)], lr=0.1, nesterov=True)
    with pytest.raises(TypeError, match="nesterov must be True or False"):
        SGD([Value(1.0)], lr=0.1, momentum=0.9, nesterov=1)


# --- RMSprop -------------------------------------------------------------------

def test_rmsprop_steps_by_hand():
    p = Value(1.0)
    history = run_steps(RMSprop([p], lr=0.01, alpha=0.9, eps=1e-8), p, [2.0, -1.0])
    # step 1: v = 0.1*4 = 0.4;             p = 1.0 - 0.01*2/(sqrt(0.4) + 1e-8)
    # step 2: v = 0.9*0.4 + 0.1*1 = 0.46;  p = p1 + 0.01*1/(sqrt(0.46) + 1e-8)
    p1 = 1.0 - 0.01 * 2 / (math.sqrt(0.4) + 1e-8)
    assert history == pytest.approx([p1, p1 + 0.01 / (math.sqrt(0.46) + 1e-8)], abs=1e-15)


def test_rmsprop_momentum_and_weight_decay_by_hand():
    p = Value(1.0)
    history = run_steps(RMSprop([p], lr=0.1, alpha=0.5, eps=1e-8, weight_decay=0.5, momentum=0.5), p, [0.5, 0.5])
    g1 = 0.5 + 0.5 * 1.0                  # 1.0
    v1 = 0.5 * g1 * g1                    # 0.5
    buf1 = g1 / (math.sqrt(v1) + 1e-8)
    p1 = 1.0 - 0.1 * buf1
    g2 = 0.5 + 0.5 * p1
    v2 = 0.5 * v1 + 0.5 * g2 * g2
    buf2 = 0.5 * buf1 + g2 / (math.sqrt(v2) + 1e-8)
    assert history == pytest.approx([p1, p1 - 0.1 * buf2], abs=1e-15)


def test_rmsprop_equalises_step_sizes_across_gradient_scales():
    small, large = Value(0.0), Value(0.0)
    optimizer = RMSprop([small, large], lr=0.01)
    for _ in range(5):
        small.grad, large.grad = 1e-3, 1e3
        optimizer.step()
    assert small.data == pytest.approx(large.data, rel=1e-4)


# --- Adam ----------------------------------------------------------------------

def adam_by_hand(p, gradients, lr, b1, b2, eps, weight_decay=0.0):
    """The paper's form: m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t), p -= lr m_hat / (sqrt(v_hat) + eps)."""
    m = v = 0.0
    history = []
    for t, g in enumerate(gradients, start=1):
        g = g + weight_decay * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        p = p - lr * m_hat / (math.sqrt(v_hat) + eps)
        history.append(p)
    return history


def test_adam_steps_by_hand():
    p = Value(1.0)
    history = run_steps(Adam([p], lr=0.1), p, [2.0, -1.0, 0.5])
    # step 1: m = 0.2, v = 0.004; m_hat = 0.2/0.1 = 2, v_hat = 0.004/0.001 = 4
    #         p = 1.0 - 0.1 * 2/(2 + 1e-8) ~ 0.9   (Adam's first step is lr * sign(g))
    assert history[0] == pytest.approx(1.0 - 0.1 * 2 / (2 + 1e-8), abs=1e-15)
    # step 2: m = 0.9*0.2 - 0.1 = 0.08, v = 0.999*0.004 + 0.001 = 0.004996
    #         m_hat = 0.08/0.19, v_hat = 0.004996/0.001999
    step2 = history[0] - 0.1 * (0.08 / 0.19) / (math.sqrt(0.004996 / 0.001999) + 1e-8)
    assert history[1] == pytest.approx(step2, abs=1e-14)
    assert history[1] == pytest.approx(0.873366, abs=1e-6)
    assert history == pytest.approx(adam_by_hand(1.0, [2.0, -1.0, 0.5], 0.1, 0.9, 0.999, 1e-8), abs=1e-14)


def test_adam_custom_betas_and_weight_decay():
    p = Value(1.5)
    gradients = [0.3, -0.7, 0.2, 0.0]
    history = run_steps(Adam([p], lr=0.05, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1), p, gradients)
    expected = adam_by_hand(1.5, gradients, 0.05, 0.8, 0.95, 1e-6, weight_decay=0.1)
    assert history == pytest.approx(expected, rel=1e-13)


def test_adam_minimises_a_quadratic():
    x, y = Value(0.0), Value(0.0)
    optimizer = Adam([x, y], lr=0.1)
    for _ in range(300):
        loss = (x - 3.0) ** 2 + (y + 1.0) ** 2
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert (x.data, y.data) == pytest.approx((3.0, -1.0), abs=1e-3)


def test_adamw_decays_the_weight_before_the_adam_step():
    p = Value(1.5)
    gradients = [0.3, -0.7, 0.2]
    history = run_steps(AdamW([p], lr=0.05, weight_decay=0.2), p, gradients)
    # AdamW = Adam on the plain gradients, with p *= (1 - lr * wd) before each update
    m = v = 0.0
    expected, value = [], 1.5
    for t, g in enumerate(gradients, start=1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        value = value * (1 - 0.05 * 0.2) - 0.05 / (1 - 0.9**t) * m / (math.sqrt(v) / math.sqrt(1 - 0.999**t) + 1e-8)
        expected.append(value)
    assert history == pytest.approx(expected, rel=1e-14)


def test_adamw_defaults_follow_pytorch():
    optimizer = AdamW([Value(1.0)])
    assert (optimizer.lr, optimizer.betas, optimizer.eps, optimizer.weight_decay) == (0.001, (0.9, 0.999), 1e-8, 0.01)


@pytest.mark.torch
def test_update_rules_match_pytorch():
    torch = pytest.importorskip("torch")
    start, gradients = [0.5, -1.25], [[0.3, -0.2], [1.1, 0.4], [-0.6, 0.9], [0.05, -0.7]]
    cases = [
        (lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01),
         lambda ts: torch.optim.SGD(ts, lr=0.1, momentum=0.9, weight_decay=0.01)),
        (lambda ps: Adam(ps, lr=0.01, betas=(0.85, 0.99), eps=1e-8, weight_decay=0.02),
         lambda ts: torch.optim.Adam(ts, lr=0.01, betas=(0.85, 0.99), eps=1e-8, weight_decay=0.02)),
    ]
    for ours_factory, torch_factory in cases:
        params = [Value(s) for s in start]
        tensors = [torch.tensor(s, dtype=torch.float64, requires_grad=True) for s in start]
        ours, theirs = ours_factory(params), torch_factory(tensors)
        for step_grads in gradients:
            for p, t, g in zip(params, tensors, step_grads, strict=True):
                p.grad = g
                t.grad = torch.tensor(g, dtype=torch.float64)
            ours.step()
            theirs.step()
        assert [p.data for p in params] == pytest.approx([t.item() for t in tensors], rel=1e-12)


# --- learning rates and schedules ------------------------------------------------

@pytest.mark.parametrize("make", [lambda ps, lr: SGD(ps, lr=lr), lambda ps, lr: Adam(ps, lr=lr)])
def test_schedule_is_called_with_step_indices(make):
    seen = []

    def schedule(k):
        seen.append(k)
        return 0.01

    p = Value(0.0)
    optimizer = make([p], schedule)
    run_steps(optimizer, p, [1.0, 1.0, 1.0])
    assert seen == [0, 1, 2]
    assert optimizer.step_count == 3


def test_two_moons_schedule_sets_each_step():
    p = Value(0.0)
    optimizer = SGD([p], lr=lambda k: 1.0 - 0.9 * k / 100)
    history = run_steps(optimizer, p, [1.0, 1.0, 1.0])
    # rates 1.0, 0.991, 0.982
    assert history == pytest.approx([-1.0, -1.991, -2.973], abs=1e-14)
    assert optimizer.current_lr() == pytest.approx(0.973)


def test_lr_can_be_reassigned_between_steps():
    p = Value(0.0)
    optimizer = SGD([p], lr=0.1)
    p.grad = 1.0
    optimizer.step()
    optimizer.lr = 0.5
    optimizer.step()
    assert p.data == pytest.approx(-0.6, abs=1e-15)
    assert optimizer.lr == 0.5
    with pytest.raises(ValueError, match="lr"):
        optimizer.lr = -0.1
    optimizer.lr = lambda k: 2.0
    optimizer.step()
    assert p.data == pytest.approx(-2.6, abs=1e-15)


def test_schedule_returning_a_bad_rate_fails_at_that_step():
    p = Value(0.0)
    optimizer = SGD([p], lr=lambda k: 0.1 - 0.1 * k)
    optimizer.step()
    optimizer.step()  # rate 0.0 is allowed
    with pytest.raises(ValueError, match="lr schedule at step 2"):
        optimizer.step()


def test_step_lr_drops_every_step_size_steps():
    schedule = StepLR(1.0, step_size=3, gamma=0.5)
    assert [schedule(k) for k in range(7)] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]


def test_cosine_lr_ends_at_min_lr_and_stays():
    schedule = CosineLR(0.2, total_steps=10, min_lr=0.02)
    assert schedule(0) == 0.2
    assert schedule(5) == pytest.approx(0.11, abs=1e-15)  # halfway: the mean of 0.2 and 0.02
    assert schedule(10) == schedule(11) == schedule(1000) == pytest.approx(0.02, abs=1e-15)
    rates = [schedule(k) for k in range(11)]
    assert rates == sorted(rates, reverse=True)


def test_warmup_ramps_linearly_then_hands_over():
    schedule = WarmupLR(StepLR(1.0, step_size=2, gamma=0.1), warmup_steps=4, start_factor=0.2)
    assert [schedule(k) for k in range(4)] == pytest.approx([0.2, 0.4, 0.6, 0.8], abs=1e-15)
    assert [schedule(k) for k in range(4, 9)] == pytest.approx([1.0, 1.0, 0.1, 0.1, 0.01], abs=1e-15)
    assert WarmupLR(0.5, warmup_steps=2, start_factor=0.5)(1) == 0.375
    assert WarmupLR(0.5, warmup_steps=2)(2) == 0.5


@pytest.mark.parametrize("cls", [SGD, RMSprop, Adam, AdamW])
def test_schedules_drive_every_optimizer(cls):
    p = Value(0.0)
    optimizer = cls([p], lr=WarmupLR(CosineLR(0.1, total_steps=5), warmup_steps=2))
    rates = []
    for _ in range(8):
        rates.append(optimizer.current_lr())
        p.grad = 1.0
        optimizer.step()
    assert rates == [optimizer.lr(k) for k in range(8)]
    assert rates[0] == pytest.approx(0.01) and rates[2] == 0.1 and rates[-1] == 0.0


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: StepLR(-0.1, step_size=1), ValueError, "lr"),
        (lambda: StepLR(0.1, step_size=0), ValueError, "step_size must be at least 1"),
        (lambda: StepLR(0.1, step_size=2.0), TypeError, "step_size must be an int"),
        (lambda: StepLR(0.1, step_size=1, gamma=math.inf), ValueError, "gamma"),
        (lambda: CosineLR(0.1, total_steps=0), ValueError, "total_steps"),
        (lambda: CosineLR(0.1, total_steps=5, min_lr=-1.0), ValueError, "min_lr"),
        (lambda: WarmupLR(0.1, warmup_steps=0), ValueError, "warmup_steps"),
        (lambda: WarmupLR(0.1, warmup_steps=3, start_factor=0.0), ValueError, r"start_factor must be in \(0, 1\]"),
        (lambda: WarmupLR(0.1, warmup_steps=3, start_factor=1.5), ValueError, "start_factor"),
        (lambda: WarmupLR("fast", warmup_steps=3), TypeError, "after"),
        (lambda: StepLR(0.1, step_size=1)(-1), ValueError, "step must be at least 0"),
        (lambda: CosineLR(0.1, total_steps=5)(True), TypeError, "step must be an int"),
    ],
)
def test_bad_schedule_arguments_are_refused(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_schedule_reprs():
    schedule = WarmupLR(CosineLR(0.1, total_steps=90), warmup_steps=10)
    assert repr(schedule) == "WarmupLR(CosineLR(lr=0.1, total_steps=90, min_lr=0.0), warmup_steps=10, start_factor=0.1)"
    assert repr(StepLR(0.1, step_size=30)) == "StepLR(lr=0.1, step_size=30, gamma=0.1)"


# --- zero_grad -----------------------------------------------------------------

@pytest.mark.parametrize("cls", [SGD, RMSprop, Adam, AdamW])
def test_zero_grad_clears_accumulated_gradients(cls):
    x = Value(2.0)
    optimizer = cls([x], lr=0.1, weight_decay=0.0)  # AdamW's default decay would move x anyway
    (x * x).backward()
    (x * x).backward()
    assert x.grad == 8.0  # gradients accumulate
    optimizer.zero_grad()
    assert x.grad == 0.0
    before = x.data
    optimizer.step()  # a zero gradient moves nothing
    assert x.data == before


# --- validation ----------------------------------------------------------------

@pytest.mark.parametrize("cls", [SGD, RMSprop, Adam, AdamW])
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"lr": -0.1}, ValueError, "lr"),
        ({"lr": math.nan}, ValueError, "lr"),
        ({"lr": "fast"}, TypeError, "lr"),
        ({"lr": 0.1, "weight_decay": -1.0}, ValueError, "weight_decay"),
    ],
)
def test_bad_hyperparameters_are_refused(cls, kwargs, error, message):
    with pytest.raises(error, match=message):
        cls([Value(1.0)], **kwargs)


@pytest.mark.parametrize("momentum", [1.0, -0.1, 2.0])
def test_momentum_must_be_in_0_1(momentum):
    with pytest.raises(ValueError, match="momentum"):
        SGD([Value(1.0)], lr=0.1, momentum=momentum)


@pytest.mark.parametrize(
    "betas, message",
    [((0.9, 1.0), r"betas\[1\]"), ((-0.1, 0.9), r"betas\[0\]"), ((0.9,), "pair"), ((0.9, 0.99, 0.5), "pair")],
)
def test_betas_must_be_a_pair_in_0_1(betas, message):
    with pytest.raises(ValueError, match=message):
        Adam([Value(1.0)], betas=betas)


@pytest.mark.parametrize("cls", [RMSprop, Adam, AdamW])
@pytest.mark.parametrize("eps", [-1e-8, 0, 0.0])
def test_eps_must_be_positive(cls, eps):
    # eps=0 would divide 0 by 0 at the first step whose gradient is 0 (a bare ZeroDivisionError)
    with pytest.raises(ValueError, match="eps must be > 0"):
        cls([Value(1.0)], eps=eps)


@pytest.mark.parametrize("alpha", [1.0, -0.1])
def test_rmsprop_alpha_and_momentum_must_be_in_0_1(alpha):
    with pytest.raises(ValueError, match="alpha"):
        RMSprop([Value(1.0)], alpha=alpha)
    with pytest.raises(ValueError, match="momentum"):
        RMSprop([Value(1.0)], momentum=alpha)


def test_adam_with_a_zero_gradient_leaves_the_parameter_alone():
    x = Value(1.0)
    optimizer = Adam([x], lr=0.1, eps=1e-300)
    optimizer.step()  # x.grad is 0
    assert x.data == 1.0


@pytest.mark.parametrize("cls", [SGD, RMSprop, Adam, AdamW])
def test_parameters_must_be_a_non_empty_list_of_distinct_values(cls):
    with pytest.raises(ValueError, match="empty"):
        cls([], lr=0.1)
    with pytest.raises(TypeError, match=r"must be Values or Tensors, got float at index 1"):
        cls([Value(1.0), 2.0], lr=0.1)
    with pytest.raises(TypeError, match=r"model\.parameters"):
        cls(MLP(2, [1], rng=0), lr=0.1)
    v = Value(1.0)
    with pytest.raises(ValueError, match="more than once"):
        cls([v, v], lr=0.1)


def test_parameters_may_be_any_iterable():
    model = MLP(2, [3, 1], rng=0)
    optimizer = SGD((p for p in model.parameters()), lr=0.1)
    assert optimizer.params == model.parameters()
