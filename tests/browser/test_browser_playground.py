"""The backward stepper and the playground, used as a reader uses them, in headless Chromium.

The stepper is stepped through expressions and every gradient it ends with is
compared with `backward()` run by CPython here. The playground is played for a
fixed number of steps and its losses are compared with `micrograd.playground`
run by CPython for the same settings; its link must reproduce its settings, and
its exported script must run and print the page's losses. Measurements (the
update rate, the page-vs-CPython differences) go to artifacts/runtime-report.json
and are printed; screenshots of both tools go to artifacts/screenshots/playground/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser_session import Browsing
from site_under_test import PROJECT_ROOT
from test_browser_runtime import save_report

from micrograd.engine import topological_order
from micrograd.playground import Settings, Trainer
from micrograd.stepper import expression_graph, parse_inputs

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

START_TIMEOUT_MS = 300_000
SHOTS = PROJECT_ROOT / "artifacts" / "screenshots" / "playground"
PLAYED_STEPS = 30
# The page's Python is CPython 3.14 in WebAssembly with its own libm: math.tanh, exp, log, cos,
# sin may differ from Linux's in the last digit, and training carries such a difference on
# (measured: up to a few 1e-15 over 30 steps). Where nothing calls them the page equals CPython.
TOLERANCE = 1e-12


def shot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- the stepper ---------------------------------------------------------------------

def draw_stepper(page: Page, expression: str, inputs: str, which: int = 0) -> int:
    """Type an expression and its inputs into a stepper, press Draw; return the number of steps."""
    stepper = page.locator(".mg-stepper").nth(which)
    stepper.get_by_label("Expression").fill(expression)
    stepper.get_by_label("Inputs").fill(inputs)
    stepper.get_by_role("button", name="Draw the graph").click()
    page.wait_for_function(
        """([i, e]) => { const s = document.querySelectorAll('.mg-stepper')[i];
                         return s.mgStepper.steps.length > 0 && s.querySelector('svg')
                                && s.mgStepper.expression === e; }""",
        arg=[which, expression],
        timeout=START_TIMEOUT_MS,
    )
    return page.evaluate("i => document.querySelectorAll('.mg-stepper')[i].mgStepper.steps.length", which)


def stepper_state(page: Page, which: int = 0) -> dict[str, Any]:
    return page.evaluate(
        """i => { const s = document.querySelectorAll('.mg-stepper')[i]; const m = s.mgStepper;
                  return {position: m.position, grads: m.grads, backward: m.backward,
                          highlighted: Array.from(s.querySelectorAll('.mg-step--node title')).map(t => t.textContent),
                          children: Array.from(s.querySelectorAll('.mg-step--child title')).map(t => t.textContent),
                          rule: s.querySelector('.mg-stepper__rule').innerText,
                          check: s.querySelector('.mg-stepper__check').innerText}; }""",
        which,
    )


def cpython_gradients(expression: str, inputs: str) -> list[float]:
    root = expression_graph(expression, parse_inputs(inputs))
    root.backward()
    return [node.grad for node in topological_order(root)]


STEPPED = [
    ("a*b + a", "a=2, b=-3", True),  # exact: only + and *
    ("a + a", "a=3", True),
    ("x*x*x - x/y + y**2", "x=1.5, y=-0.25", True),
    ("tanh(a*w + b) * a - b / a", "a=1.2, w=0.5, b=-0.2", False),  # tanh: the page's libm
    ("sigmoid(x) * exp(-x) + log(x) + relu(x - 1)", "x=1.7", False),
]


def step_through(page: Page, expression: str, inputs: str, exact: bool, screenshot: str | None = None) -> float:
    """Draw an expression, step to the end and back and forth; check every gradient. Returns the worst difference.

    With `screenshot`, the page is saved under that name two steps in.
    """
    steps = draw_stepper(page, expression, inputs)
    stepper = page.locator(".mg-stepper").first
    forward = stepper.get_by_role("button", name="Step ▶")
    back = stepper.get_by_role("button", name="◀ Back")
    reference = cpython_gradients(expression, inputs)
    assert back.is_disabled() and stepper_state(page)["grads"] == [0] * len(reference)
    order_seen = []
    for k in range(1, steps + 1):
        forward.click()
        state = stepper_state(page)
        assert state["position"] == k
        assert state["highlighted"], f"{expression}: step {k} highlights no node"
        order_seen.append(next(name for name in state["highlighted"] if name.startswith("v")))
        if expression == "a + a" and k == 2:
            # A child used twice: its one grad gets two += (two arrows), shown on the child node.
            assert "a.grad += 2.0" in state["rule"] and "2 arrows" in state["rule"], state["rule"]
            assert state["children"] == ["v0"]
        if k == 2 and screenshot:
            shot(page, screenshot)
    assert forward.is_disabled()
    # reverse topological order: node v{i} with falling i (the seed step and the root's step share the root)
    positions = [int(name[1:]) for name in order_seen]
    assert positions == sorted(positions, reverse=True), (expression, positions)
    end = stepper_state(page)
    back.click()
    back.click()
    assert stepper_state(page)["position"] == steps - 2
    forward.click()
    forward.click()
    assert stepper_state(page)["grads"] == end["grads"]
    page_grads = [float(g) for g in end["grads"]]
    assert [float(g) for g in end["backward"]] == pytest.approx(reference, rel=0 if exact else TOLERANCE)
    pairs = zip(page_grads, reference, strict=True)
    worst = max((abs(p - r) / max(abs(r), 1e-300) for p, r in pairs if p != r), default=0.0)
    if exact:
        assert page_grads == reference, (expression, page_grads, reference)
    else:
        assert page_grads == pytest.approx(reference, rel=TOLERANCE), expression
    assert "Every gradient equals what backward() gives" in end["check"]
    return worst


def test_stepping_through_expressions_ends_with_backwards_gradients(
    browsing: Browsing, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reader types one expression after another into the same stepper and steps each one through."""
    with browsing.open("stepper/", settle=False) as (page, traffic):
        for number, (expression, inputs, exact) in enumerate(STEPPED):
            worst = step_through(page, expression, inputs, exact, "stepper-desktop-light" if number == 0 else None)
            steps = page.evaluate("document.querySelector('.mg-stepper').mgStepper.steps.length")
            save_report(f"stepper {expression}", {"steps": steps, "max_relative_difference_from_cpython": worst})
            with capsys.disabled():
                print(f"\n[stepper] {expression} ({inputs}): {steps} steps, gradients vs CPython backward(): "
                      f"{'identical' if worst == 0 else f'max relative difference {worst:.1e}'}")
        assert not traffic.external and not traffic.problems(), traffic.problems()


def test_the_stepper_is_keyboard_usable_and_reports_bad_input(browsing: Browsing) -> None:
    """Bad input is reported; Enter draws, Enter and Space step (in the dark scheme, which the screenshot shows)."""
    with browsing.open("stepper/", color_scheme="dark", settle=False) as (page, _):
        stepper = page.locator(".mg-stepper").first
        stepper.get_by_label("Expression").fill("a * (b")
        stepper.get_by_label("Expression").press("Enter")  # submits the form
        status = "document.querySelector('.mg-stepper .mg-run__status').textContent"
        page.wait_for_function(f"{status}.startsWith('Could not')", timeout=START_TIMEOUT_MS)
        assert "not a valid expression" in stepper.locator(".mg-run__status").inner_text()
        stepper.get_by_label("Expression").fill("a*b + a")
        stepper.get_by_label("Expression").press("Enter")
        page.wait_for_function("document.querySelector('.mg-stepper').mgStepper.steps.length === 3",
                               timeout=START_TIMEOUT_MS)
        forward = stepper.get_by_role("button", name="Step ▶")
        forward.focus()
        page.keyboard.press("Enter")
        page.keyboard.press("Space")
        assert stepper_state(page)["position"] == 2
        shot(page, "stepper-desktop-dark")


def test_the_backward_chapter_embeds_a_working_stepper(browsing: Browsing) -> None:
    with browsing.open("backward/", settle=False) as (page, traffic):
        assert page.locator(".mg-stepper").count() == 1
        which = page.evaluate("document.querySelectorAll('.mg-stepper').length - 1")
        steps = draw_stepper(page, "a*b + a", "a=2, b=-3", which)
        page.locator(".mg-stepper").nth(which).get_by_role("button", name="All steps").click()
        state = stepper_state(page, which)
        assert state["position"] == steps
        assert [float(g) for g in state["grads"]] == cpython_gradients("a*b + a", "a=2, b=-3")
        assert not traffic.external and not traffic.problems()


# --- the playground --------------------------------------------------------------------

def start_playground(page: Page) -> None:
    page.locator(".mg-playground").get_by_role("button", name="Start the playground").click()
    page.wait_for_function("document.querySelector('.mg-playground').mgPlayground.drawing !== null",
                           timeout=START_TIMEOUT_MS)


def playground(page: Page) -> dict[str, Any]:
    return page.evaluate(
        """() => { const s = document.querySelector('.mg-playground').mgPlayground;
                   return {losses: s.losses, accuracies: s.accuracies, query: s.query, times: s.updateTimes,
                           playing: s.playing, busy: s.busy}; }"""
    )


def play(page: Page, steps: int) -> dict[str, Any]:
    """Press Play, wait until `steps` steps have run, press Pause and wait for the loop to stop."""
    bar = page.locator(".mg-playground__bar")
    bar.get_by_role("button", name="Play").click()
    page.wait_for_function(f"document.querySelector('.mg-playground').mgPlayground.losses.length >= {steps}",
                           timeout=START_TIMEOUT_MS, polling=20)
    bar.get_by_role("button", name="Pause").click()
    page.wait_for_function("!document.querySelector('.mg-playground').mgPlayground.busy", timeout=START_TIMEOUT_MS)
    return playground(page)


def cpython_losses(settings: Settings, steps: int, X: list[list[float]] | None = None) -> list[float]:
    """CPython's losses for the same settings; with `X`, trained on those points instead of its own."""
    trainer = Trainer(settings)
    if X is not None:
        trainer.X = X
    return [trainer.step().loss for _ in range(steps)]


def worst_difference(got: list[float], reference: list[float]) -> float:
    """The largest relative difference between two loss curves (0.0 when identical)."""
    pairs = zip(got, reference, strict=True)
    return max((abs(a - b) / abs(b) for a, b in pairs if a != b), default=0.0)


# (query, whether training itself calls no libm function: ReLU or linear units, hinge or squared error,
#  SGD or Adam; then, given the same points, the page must equal CPython bit for bit)
#  then the colour scheme it is played (and its screenshot taken) in, and whether its run is exported
#  as a Python script that must print the page's losses)
PLAYED = [
    ("", True, "light", False),  # the moons chapter's run: ReLU, hinge, SGD with a linear schedule
    ("data=sine&hidden=8-8&act=tanh&loss=mse&opt=adam&lr=0.01&sched=constant&batch=10&l2=0&seed=2",
     False, "dark", False),
    ("loss=bce&act=tanh&opt=momentum&lr=0.2&sched=cosine&batch=20&seed=7", False, "light", True),
]


@pytest.mark.parametrize(("query", "libm_free", "scheme", "export"), PLAYED)
def test_playing_the_playground_equals_cpython(
    query: str, libm_free: bool, scheme: str, export: bool, browsing: Browsing, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Play a fixed number of steps; the loss falls and equals CPython's for the same settings.

    The data sets are generated with math.cos, math.sin and random.gauss (math.log), whose last
    digit can differ between the page's libm and Linux's: so the page's losses are compared with
    CPython's within TOLERANCE, and, trained on the page's own points, bit for bit where training
    calls no libm function.
    """
    settings = Settings.from_query(query)
    with browsing.open(f"playground/?{query}", color_scheme=scheme, settle=False) as (page, traffic):
        start_playground(page)
        assert playground(page)["query"] == settings.to_query()
        played = play(page, PLAYED_STEPS)
        page_points = page.evaluate("document.querySelector('.mg-playground').mgPlayground.data.X")
        shot(page, f"playground-{settings.dataset}-{settings.activation}-desktop-{scheme}")
        script = exported_script(page) if export else None
        assert not traffic.external and not traffic.problems(), traffic.problems()
    losses = [float(x) for x in played["losses"]]
    if script is not None:
        assert run_exported(script, tmp_path) == pytest.approx(losses, rel=TOLERANCE)
    assert min(losses[-5:]) < losses[0], "the loss does not fall"
    started = time.perf_counter()
    own_data = cpython_losses(settings, len(losses))
    cpython_rate = len(losses) / (time.perf_counter() - started)  # steps/s here, for scale, under the same load
    assert losses == pytest.approx(own_data, rel=TOLERANCE)
    same_data = cpython_losses(settings, len(losses), page_points)
    if libm_free:
        assert losses == same_data
    else:
        assert losses == pytest.approx(same_data, rel=TOLERANCE)
    points = Trainer(settings).X
    data_differs = sum(a != b for p, q in zip(page_points, points, strict=True) for a, b in zip(p, q, strict=True))
    times = played["times"]
    rate = (len(times) - 1) / ((times[-1] - times[0]) / 1000)
    load = os.getloadavg()
    result = {
        "steps_compared": len(losses),
        "max_relative_difference_vs_cpython": worst_difference(losses, own_data),
        "max_relative_difference_vs_cpython_on_the_pages_points": worst_difference(losses, same_data),
        "coordinates_that_differ_from_cpythons_data": f"{data_differs} of {sum(len(p) for p in points)}",
        "updates_per_second": round(rate, 2),
        "cpython_steps_per_second_same_load": round(cpython_rate, 2),
        "loadavg_1min": round(load[0], 2),
    }
    save_report(f"playground {settings.to_query()}", result)
    with capsys.disabled():
        print(f"\n[playground] {settings.dataset}, {settings.activation}, {settings.loss}, {settings.optimizer}, "
              f"batch {settings.batch_size or 'all'}: {result}")


def test_the_link_reproduces_the_settings(browsing: Browsing) -> None:
    query = "data=moons&hidden=6-4&act=tanh&loss=bce&opt=adam&lr=0.05&sched=cosine&steps=40&batch=25&l2=0.001&seed=9"
    with browsing.open(f"playground/?{query}", settle=False) as (page, _):
        start_playground(page)
        assert page.evaluate("location.search") == f"?{query}"
        form = page.locator(".mg-playground__form")
        assert form.get_by_label("Hidden layers").input_value() == "6, 4"
        assert form.get_by_label("Optimizer").input_value() == "adam"
        assert form.get_by_label("Batch size").input_value() == "25"
        form.get_by_label("Optimizer").select_option("momentum")
        page.wait_for_function("location.search.includes('opt=momentum')", timeout=START_TIMEOUT_MS)
        page.wait_for_function("!document.querySelector('.mg-playground').mgPlayground.busy")
        changed = page.evaluate("location.href")
        first = play(page, 3)["losses"][:3]
    with browsing.open(changed.removeprefix(browsing.base_url), settle=False) as (page, _):
        start_playground(page)
        assert page.evaluate("location.href") == changed
        assert page.locator(".mg-playground__form").get_by_label("Optimizer").input_value() == "momentum"
        assert play(page, 3)["losses"][:3] == first


def exported_script(page: Page) -> str:
    """Press "Export as Python" and return the script the page shows."""
    page.locator(".mg-playground__bar").get_by_role("button", name="Export as Python").click()
    script = page.locator(".mg-playground__script code")
    script.wait_for(timeout=START_TIMEOUT_MS)
    return script.inner_text()


def run_exported(script: str, folder: Path) -> list[float]:
    """Run an exported script with CPython here; return the loss it prints at each step.

    CPython makes the data with its own libm (see above): compare with the page within TOLERANCE.
    """
    path = folder / "playground_run.py"
    path.write_text(script, encoding="utf-8")
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, check=True, cwd=folder)
    return [float(line.split()[3]) for line in run.stdout.splitlines()]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_playground_fits_a_phone_and_works_from_the_keyboard(scheme: str, browsing: Browsing) -> None:
    with browsing.open("playground/", viewport="mobile", color_scheme=scheme, settle=False) as (page, traffic):
        start = page.locator(".mg-playground").get_by_role("button", name="Start the playground")
        start.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('.mg-playground').mgPlayground.drawing !== null",
                               timeout=START_TIMEOUT_MS)
        step = page.locator(".mg-playground__bar").get_by_role("button", name="Step")
        step.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('.mg-playground').mgPlayground.losses.length === 1")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways: {width} px"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "the focused button shows no focus ring"
        shot(page, f"playground-mobile-{scheme}")
        assert not traffic.external and not traffic.problems()
    with browsing.open("stepper/", viewport="mobile", color_scheme=scheme, settle=False) as (page, _):
        steps = draw_stepper(page, "tanh(a*w + b) * a", "a=1.2, w=0.5, b=-0.2")
        page.locator(".mg-stepper").first.get_by_role("button", name="Step ▶").click()
        page.locator(".mg-stepper").first.get_by_role("button", name="Step ▶").click()
        assert steps > 2
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the stepper page scrolls sideways: {width} px"
        shot(page, f"stepper-mobile-{scheme}")
