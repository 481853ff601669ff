"""Run the docs' PyTorch code and record what it computed, for builds (and pages) without torch.

    .venv/bin/python scripts/record_torch.py     # needs torch; rewrites docs/recorded/torch-*.json

Each piece of PyTorch code exists once: the exec block titled "torch_neuron.py"
in docs/gradcheck.md (recorded in docs/recorded/torch-neuron.json), and the
code cell defining `softmax_nll_in_torch` in the exercise notebook
docs/exercises/operations.py (recorded in docs/recorded/torch-softmax.json).
When the docs are built with torch installed, they run that code live; the docs
environment (`scripts/dev.py serve`) and the page's own Python have no torch, so
they show the recording instead, with the torch version and the date.
A third recording, docs/recorded/torch-steps.json, holds PyTorch's time per
training step for docs/tensors.md's chart (the block titled "torch_steps.py"),
with the machine it was timed on.
tests/test_recorded_torch.py re-runs the code with the installed torch and
checks that the recordings still say what torch computes.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Any

from docsite.exercise_notebooks import read_exercises  # the notebook reader the build itself uses
from docsite.page_blocks import Block, page_blocks  # the page reader the build itself uses
from mkdocs.utils.meta import get_data

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "gradcheck.md"
RECORDING = ROOT / "docs" / "recorded" / "torch-neuron.json"
BLOCK_TITLE = "torch_neuron.py"
FUNCTION = "lecture_neuron_in_torch"
SOFTMAX_PAGE = ROOT / "docs" / "exercises" / "operations.py"
SOFTMAX_RECORDING = ROOT / "docs" / "recorded" / "torch-softmax.json"
SOFTMAX_FUNCTION = "softmax_nll_in_torch"
# The second recording: PyTorch's step times on this machine, for docs/tensors.md's chart.
STEPS_PAGE = ROOT / "docs" / "tensors.md"
STEPS_RECORDING = ROOT / "docs" / "recorded" / "torch-steps.json"
STEPS_BLOCK_TITLE = "torch_steps.py"
STEPS_FUNCTION = "torch_step_times"

def torch_block(page: Path = PAGE, title: str = BLOCK_TITLE) -> Block:
    """The exec block of `page` that holds the PyTorch code (the block titled `title`).

    Raises:
        LookupError: The page has no exec block titled "torch_neuron.py", or more than one.

    Examples:
        >>> "import torch" in torch_block().code
        True
    """
    markdown = get_data(page.read_text(encoding="utf-8"))[0]
    blocks = [
        block
        for block in page_blocks(markdown).runnable
        if block.lang != "pycon" and block.options.get("title") == title
    ]
    if len(blocks) != 1:
        raise LookupError(f"{page} should have exactly one exec block titled {title!r}, found {len(blocks)}")
    return blocks[0]


def run_torch_code(page: Path = PAGE, title: str = BLOCK_TITLE, function: str = FUNCTION) -> dict[str, Any]:
    """Run the page's PyTorch code as the build does and return its result.

    Returns:
        `{"torch": version, "output": float, "grads": {leaf name: float},
        "as_in_the_lecture": {"b": float, "output": float, "grads": {leaf name: float}}}`:
        the neuron in float64, then as the lecture builds it (float32 tensors made double).

    Raises:
        ImportError: torch is not installed.
    """
    block = torch_block(page, title)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    # Blank lines in front keep the page's line numbers in tracebacks.
    exec(compile("\n" * block.line + block.code, str(page), "exec"), namespace)
    return namespace[function]()


def softmax_cell(page: Path = SOFTMAX_PAGE) -> tuple[int, str]:
    """The line and source of the exercise notebook's code cell that defines `softmax_nll_in_torch`.

    Raises:
        LookupError: No code cell defines it, or more than one does.

    Examples:
        >>> "import torch" in softmax_cell()[1]
        True
    """
    cells = read_exercises(page.read_text(encoding="utf-8"), str(page))
    found = [cell for cell in cells if cell.kind == "code" and f"def {SOFTMAX_FUNCTION}(" in cell.source]
    if len(found) != 1:
        raise LookupError(f"{page} should have exactly one code cell defining {SOFTMAX_FUNCTION}, found {len(found)}")
    return found[0].line, found[0].source


def run_softmax_torch_code(page: Path = SOFTMAX_PAGE) -> dict[str, Any]:
    """Run the exercise notebook's PyTorch softmax cell and return its result.

    Returns:
        `{"torch": version, "loss": float, "grads": [float, float, float, float]}`.

    Raises:
        ImportError: torch is not installed.
    """
    line, source = softmax_cell(page)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile("\n" * line + source, str(page), "exec"), namespace)
    return namespace[SOFTMAX_FUNCTION]()


def read_recording(path: Path = RECORDING) -> dict[str, Any]:
    """The recorded run: what `run_torch_code` returned, plus `recorded_on` (an ISO date).

    Examples:
        >>> sorted(read_recording())
        ['as_in_the_lecture', 'grads', 'output', 'recorded_on', 'torch']
    """
    return json.loads(path.read_text(encoding="utf-8"))


def record(path: Path = RECORDING, today: datetime.date | None = None, run: Any = run_torch_code) -> dict[str, Any]:
    """Run PyTorch code now (by default the gradcheck page's) and write the result, dated, to `path`."""
    result = run()
    result["recorded_on"] = (today or datetime.date.today()).isoformat()
    path.parent.mkdir(parents=True, exist_ok=True)
    # json writes floats with repr, so they read back bit for bit.
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return result


def main() -> int:
    try:
        results = [
            (RECORDING, record()),
            (SOFTMAX_RECORDING, record(SOFTMAX_RECORDING, run=run_softmax_torch_code)),
            (STEPS_RECORDING, record(STEPS_RECORDING, run=lambda: run_torch_code(STEPS_PAGE, STEPS_BLOCK_TITLE, STEPS_FUNCTION))),
        ]
    except ImportError:
        print("torch is not installed: install the [torch] extra (pip install -e '.[torch]') and run again")
        return 1
    for path, result in results:
        print(f"recorded torch {result['torch']} on {result['recorded_on']} into {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
