"""Each optimizer and schedule against torch.optim, step for step, in float64.

Both sides start from the same parameters and minimise the same loss, so each
step's gradients depend on every earlier step: a rule that differs anywhere
drifts away. Tolerance: relative 1e-10 (absolute 1e-12 near zero) on every
parameter after every one of 300 steps; the two libraries round the same
formulas in a different order, which costs a few ulps per step, never more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from micrograd.engine import Value
from micrograd.optim import SGD, Adam, AdamW, CosineLR, RMSprop, StepLR, WarmupLR

torch = pytest.importorskip("torch")
lr_scheduler = torch.optim.lr_scheduler

pytestmark = pytest.mark.torch

START = [0.8, -1.3, 0.4, 2.1, -0.6]
STEPS = 300


def loss_of(p: Sequence[Any]) -> Any:
    """A bumpy, coupled loss that works on Values and tensors alike (a narrow valley plus tanh terms)."""
    valley = (1 - p[0]) ** 2 + 5 * (p[1] - p[0] ** 2) ** 2
    bumps = (p[2] * p[3]).tanh() + 0.5 * (p[4] - p[2]).tanh() ** 2
    return valley + bumps + 0.1 * (p[3] ** 2 + p[4] ** 2)


def close(expected: Sequence[float]) -> object:
    return pytest.approx(expected, rel=1e-10, abs=1e-12)


def run_both(ours_factory: Callable[[list[Value]], Any], torch_factory: Callable[[list[Any]], Any],
             scheduler_factory: Callable[[Any], Any] | None = None) -> None:
    params = [Value(s) for s in START]
    tensors = [torch.tensor(s, dtype=torch.float64, requires_grad=True) for s in START]
    ours, theirs = ours_factory(params), torch_factory(tensors)
    scheduler = scheduler_factory(theirs) if scheduler_factory else None
    for step in range(STEPS):
        assert ours.current_lr() == pytest.approx(theirs.param_groups[0]["lr"], rel=1e-12, abs=1e-15), step
        loss = loss_of(params)
        ours.zero_grad()
        loss.backward()
        ours.step()
        theirs.zero_grad()
        loss_of(tensors).backward()
        theirs.step()
        if scheduler is not None:
            scheduler.step()
        assert [p.data for p in params] == close([t.item() for t in tensors]), f"after step {step}"


OPTIMIZERS = {
    "sgd": (lambda ps: SGD(ps, lr=0.01), lambda ts: torch.optim.SGD(ts, lr=0.01)),
    "sgd, momentum and weight decay": (
        lambda ps: SGD(ps, lr=0.01, momentum=0.9, weight_decay=0.05),
        lambda ts: torch.optim.SGD(ts, lr=0.01, momentum=0.9, weight_decay=0.05)),
    "sgd, nesterov": (
        lambda ps: SGD(ps, lr=0.01, momentum=0.9, nesterov=True),
        lambda ts: torch.optim.SGD(ts, lr=0.01, momentum=0.9, nesterov=True)),
    "sgd, nesterov and weight decay": (
        lambda ps: SGD(ps, lr=0.02, momentum=0.5, weight_decay=0.1, nesterov=True),
        lambda ts: torch.optim.SGD(ts, lr=0.02, momentum=0.5, weight_decay=0.1, nesterov=True)),
    "rmsprop": (lambda ps: RMSprop(ps, lr=0.01), lambda ts: torch.optim.RMSprop(ts, lr=0.01)),
    # A small lr: with momentum 0.8 and lr 0.003 the run reaches a point where RMSprop's near-sign
    # steps oscillate chaotically, and any rounding difference then grows ~2.5x per step.
    "rmsprop, all options": (
        lambda ps: RMSprop(ps, lr=0.001, alpha=0.9, eps=1e-6, weight_decay=0.05, momentum=0.8),
        lambda ts: torch.optim.RMSprop(ts, lr=0.001, alpha=0.9, eps=1e-6, weight_decay=0.05, momentum=0.8)),
    "adam": (lambda ps: Adam(ps, lr=0.02), lambda ts: torch.optim.Adam(ts, lr=0.02)),
    "adam, l2 weight decay": (
        lambda ps: Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-7, weight_decay=0.1),
        lambda ts: torch.optim.Adam(ts, lr=0.02, betas=(0.8, 0.99), eps=1e-7, weight_decay=0.1)),
    "adamw, default decay": (lambda ps: AdamW(ps, lr=0.02), lambda ts: torch.optim.AdamW(ts, lr=0.02)),
    "adamw, strong decay": (
        lambda ps: AdamW(ps, lr=0.02, betas=(0.85, 0.995), eps=1e-7, weight_decay=0.5),
        lambda ts: torch.optim.AdamW(ts, lr=0.02, betas=(0.85, 0.995), eps=1e-7, weight_decay=0.5)),
}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_matches_torch_step_for_step(name: str) -> None:
    run_both(*OPTIMIZERS[name])


def test_adamw_and_adam_differ_when_decaying() -> None:
    # Guards the AdamW case above against testing Adam twice.
    a, b = Value(1.0), Value(1.0)
    adam, adamw = Adam([a], lr=0.1, weight_decay=0.5), AdamW([b], lr=0.1, weight_decay=0.5)
    a.grad = b.grad = 0.2
    adam.step()
    adamw.step()
    assert a.data != pytest.approx(b.data, rel=1e-3)


PEAK = 0.01  # the rate every schedule below starts from (or warms up to)
SCHEDULES = {
    "step": (lambda: StepLR(PEAK, step_size=40, gamma=0.5),
             lambda opt: lr_scheduler.StepLR(opt, step_size=40, gamma=0.5)),
    "cosine": (lambda: CosineLR(PEAK, total_steps=STEPS, min_lr=0.0005),
               lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=STEPS, eta_min=0.0005)),
    "cosine to zero": (lambda: CosineLR(PEAK, total_steps=STEPS),
                       lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=STEPS)),
    "warm-up to a constant": (lambda: WarmupLR(PEAK, warmup_steps=50, start_factor=0.1),
                              lambda opt: lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=50)),
    "warm-up, then cosine": (
        lambda: WarmupLR(CosineLR(PEAK, total_steps=STEPS - 30), warmup_steps=30, start_factor=0.2),
        lambda opt: lr_scheduler.SequentialLR(opt, [
            lr_scheduler.LinearLR(opt, start_factor=0.2, total_iters=30),
            lr_scheduler.CosineAnnealingLR(opt, T_max=STEPS - 30)], milestones=[30])),
    "warm-up, then steps": (
        lambda: WarmupLR(StepLR(PEAK, step_size=25, gamma=0.8), warmup_steps=20, start_factor=0.5),
        lambda opt: lr_scheduler.SequentialLR(opt, [
            lr_scheduler.LinearLR(opt, start_factor=0.5, total_iters=20),
            lr_scheduler.StepLR(opt, step_size=25, gamma=0.8)], milestones=[20])),
}


@pytest.mark.parametrize("name", SCHEDULES)
@pytest.mark.parametrize("optimizer", ["sgd, momentum and weight decay", "adam"])
def test_schedule_matches_torch_scheduler_step_for_step(name: str, optimizer: str) -> None:
    make_schedule, make_scheduler = SCHEDULES[name]
    ours_factory, torch_factory = OPTIMIZERS[optimizer]
    run_both(
        lambda ps: _with_lr(ours_factory(ps), make_schedule()),
        lambda ts: _with_lr(torch_factory(ts), PEAK),
        make_scheduler,
    )


def _with_lr(optimizer: Any, lr: Any) -> Any:
    """Replace an optimizer's rate (ours: a schedule; torch's: the base rate its scheduler scales)."""
    if isinstance(optimizer, torch.optim.Optimizer):
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"] = lr
    else:
        optimizer.lr = lr
    return optimizer
