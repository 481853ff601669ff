"""Run the PyTorch code of the chapters and record what it returned, for builds without torch.

    .venv/bin/python scripts/record_torch.py     # needs torch; rewrites both recordings below

Two chapters have PyTorch code: docs/gradcheck.md (a neuron's gradients,
recorded in docs/recorded/torch-neuron.json) and docs/tensors.md (PyTorch's
time per training step, recorded in docs/recorded/torch-steps.json with the
machine it was timed on).

The PyTorch code exists once: the exec block titled "torch_neuron.py" in
docs/gradcheck.md. When the docs are built with torch installed, the page runs
that block live; the docs environment (`scripts/dev.py serve`) has no torch, so
the page shows this recording instead, with the torch version and the date.
tests/test_recorded_torch.py re-runs the block with the installed torch and
checks that the recording still says what torch computes.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Any

from docsite.page_blocks import Block, page_blocks  # the page reader the build itself uses
from mkdocs.utils.meta import get_data

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "gradcheck.md"
RECORDING = ROOT / "docs" / "recorded" / "torch-neuron.json"
BLOCK_TITLE = "torch_neuron.py"
FUNCTION = "lecture_neuron_in_torch"
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
        `{"torch": version, "output": float, "grads": {leaf name: float}}`.

    Raises:
        ImportError: torch is not installed.
    """
    block = torch_block(page, title)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    # Blank lines in front keep the page's line numbers in tracebacks.
    exec(compile("\n" * block.line + block.code, str(page), "exec"), namespace)
    return namespace[function]()


def read_recording(path: Path = RECORDING) -> dict[str, Any]:
    """The recorded run: what `run_torch_code` returned, plus `recorded_on` (an ISO date).

    Examples:
        >>> sorted(read_recording())
        ['grads', 'output', 'recorded_on', 'torch']
    """
    return json.loads(path.read_text(encoding="utf-8"))


def record(path: Path = RECORDING, today: datetime.date | None = None, page: Path = PAGE,
           title: str = BLOCK_TITLE, function: str = FUNCTION) -> dict[str, Any]:
    """Run the page's PyTorch code now and write the result, dated, to `path`."""
    result = run_torch_code(page, title, function)
    result["recorded_on"] = (today or datetime.date.today()).isoformat()
    path.parent.mkdir(parents=True, exist_ok=True)
    # json writes floats with repr, so they read back bit for bit.
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return result


def main() -> int:
    try:
        result = record()
        steps = record(STEPS_RECORDING, page=STEPS_PAGE, title=STEPS_BLOCK_TITLE, function=STEPS_FUNCTION)
    except ImportError:
        print("torch is not installed: install the [torch] extra (pip install -e '.[torch]') and run again")
        return 1
    print(f"recorded torch {result['torch']} on {result['recorded_on']} into {RECORDING.relative_to(ROOT)}")
    print(f"recorded torch {steps['torch']} step times on {steps['machine']} into {STEPS_RECORDING.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
