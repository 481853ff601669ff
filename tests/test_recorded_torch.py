"""The PyTorch run recorded for docs/gradcheck.md is real, current, and shown honestly.

The page's PyTorch code is one exec block; scripts/record_torch.py runs it and
stores the result in docs/recorded/torch-neuron.json, which the page shows when
it is built without torch. These tests re-run that block with the installed
torch and compare, check the recording against micrograd's own gradients (the
page says they agree), and build the page with torch hidden to see that it then
shows the recording and says so.
"""

from __future__ import annotations

import doctest
import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

from micrograd.engine import Value

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("x1", "x2", "w1", "w2", "b")
POINT = (2.0, 0.0, -3.0, 1.0, 6.8813735870195432)


def load_recorder() -> ModuleType:
    """scripts/record_torch.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("record_torch", ROOT / "scripts" / "record_torch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def recorder() -> ModuleType:
    return load_recorder()


def micrograd_neuron(point: tuple[float, ...] = POINT) -> tuple[float, dict[str, float]]:
    leaves = [Value(x) for x in point]
    x1, x2, w1, w2, b = leaves
    out = (x1 * w1 + x2 * w2 + b).tanh()
    out.backward()
    return out.data, {name: leaf.grad for name, leaf in zip(NAMES, leaves)}


@pytest.mark.torch
def test_the_recording_is_what_torch_computes_now(recorder: ModuleType) -> None:
    torch = pytest.importorskip("torch")
    live = recorder.run_torch_code()
    recorded = recorder.read_recording()
    assert live["torch"] == str(torch.__version__)
    close = lambda x: pytest.approx(x, rel=1e-12, abs=1e-15)  # noqa: E731 (same rules; other versions may round differently)
    assert recorded["output"] == close(live["output"])
    assert recorded["grads"] == {name: close(grad) for name, grad in live["grads"].items()}
    lecture, live_lecture = recorded["as_in_the_lecture"], live["as_in_the_lecture"]
    assert lecture["b"] == live_lecture["b"]  # float32 rounding does not depend on the version
    assert lecture["output"] == close(live_lecture["output"])
    assert lecture["grads"] == {name: close(grad) for name, grad in live_lecture["grads"].items()}
    if recorded["torch"] == live["torch"]:  # same torch, same floats: bit for bit
        assert (recorded["output"], recorded["grads"], lecture) == (live["output"], live["grads"], live_lecture)


def test_the_recording_agrees_with_micrograd(recorder: ModuleType) -> None:
    recorded = recorder.read_recording()
    output, grads = micrograd_neuron()
    assert set(recorded["grads"]) == set(NAMES)
    assert recorded["output"] == pytest.approx(output, rel=1e-12)
    for name in NAMES:
        assert recorded["grads"][name] == pytest.approx(grads[name], rel=1e-12, abs=1e-15), name
    assert recorded["torch"] and recorded["recorded_on"]


def test_the_lectures_float32_bias_explains_its_gradients(recorder: ModuleType) -> None:
    # The lecture's torch.Tensor([...]).double() rounds to float32 first; only the bias changes.
    lecture = recorder.read_recording()["as_in_the_lecture"]
    float32 = tuple(struct.unpack("f", struct.pack("f", x))[0] for x in POINT)
    assert float32[:4] == POINT[:4] and float32[4] == lecture["b"] != POINT[4]
    output, grads = micrograd_neuron(float32)
    assert lecture["output"] == pytest.approx(output, rel=1e-12)
    assert lecture["grads"] == {name: pytest.approx(grads[name], rel=1e-12, abs=1e-15) for name in NAMES}
    assert grads["x1"] == -1.5000003851533106  # the number the lecture prints


def test_without_torch_the_page_shows_the_recording(recorder: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    from docsite.examples import run_page  # noqa: PLC0415
    from docsite.page_blocks import page_blocks  # noqa: PLC0415

    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    monkeypatch.chdir(ROOT)  # the page reads the recording relative to the project, as the build does
    page = recorder.PAGE.read_text(encoding="utf-8")
    rendered = "".join(r.shown for r in run_page("docs/gradcheck.md", page, page_blocks(page).runnable))
    recorded = recorder.read_recording()
    assert f"recorded with torch {recorded['torch']} on {recorded['recorded_on']}" in rendered
    assert f"run live with torch {recorded['torch']}" not in rendered
    assert f"{recorded['grads']['x1']:20.16f}" in rendered


def test_the_recorder_examples() -> None:
    # scripts/ is outside pytest's doctest paths; its examples still have to be true.
    results = doctest.testmod(load_recorder())
    assert results.attempted > 0 and results.failed == 0


# --- the softmax and negative log-likelihood of the exercise notebook docs/exercises/operations.py ---

LOGITS = (0.0, 3.0, -2.0, 1.0)
TARGET = 3


def micrograd_softmax_nll() -> tuple[float, list[float]]:
    logits = [Value(x) for x in LOGITS]
    counts = [logit.exp() for logit in logits]
    total = Value.sum(counts)
    loss = -(counts[TARGET] / total).log()
    loss.backward()
    return loss.data, [logit.grad for logit in logits]


@pytest.mark.torch
def test_the_softmax_recording_is_what_torch_computes_now(recorder: ModuleType) -> None:
    torch = pytest.importorskip("torch")
    live = recorder.run_softmax_torch_code()
    recorded = recorder.read_recording(recorder.SOFTMAX_RECORDING)
    assert live["torch"] == str(torch.__version__)
    assert recorded["loss"] == pytest.approx(live["loss"], rel=1e-12)
    assert recorded["grads"] == pytest.approx(live["grads"], rel=1e-12, abs=1e-15)
    if recorded["torch"] == live["torch"]:
        assert (recorded["loss"], recorded["grads"]) == (live["loss"], live["grads"])


def test_the_softmax_recording_agrees_with_micrograd_and_the_lecture(recorder: ModuleType) -> None:
    recorded = recorder.read_recording(recorder.SOFTMAX_RECORDING)
    loss, grads = micrograd_softmax_nll()
    assert recorded["loss"] == pytest.approx(loss, rel=1e-12)
    assert recorded["grads"] == pytest.approx(grads, rel=1e-12, abs=1e-15)
    # The lecture's numbers, which the exercise's check expects.
    lecture = [0.041772570515350445, 0.8390245074625319, 0.005653302662216329, -0.8864503806400986]
    assert recorded["grads"] == pytest.approx(lecture, rel=1e-12)
    assert recorded["torch"] and recorded["recorded_on"]


def test_the_step_times_recording_covers_the_page_and_says_where_it_was_made(recorder: ModuleType) -> None:
    recorded = recorder.read_recording(recorder.STEPS_RECORDING)
    namespace: dict[str, object] = {}
    exec(recorder.torch_block(recorder.STEPS_PAGE, recorder.STEPS_BLOCK_TITLE).code, namespace)  # defines only
    assert sorted(recorded["batch"], key=int) == [str(n) for n in namespace["BATCHES"]]
    assert sorted(recorded["width"], key=int) == [str(n) for n in namespace["WIDTHS"]]
    assert all(0 < t < 1 for axis in ("batch", "width") for t in recorded[axis].values())
    assert recorded["torch"] and recorded["recorded_on"] and "cores" in recorded["machine"]
