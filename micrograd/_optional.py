"""Import the optional libraries only when something that needs them is asked for.

`micrograd` itself runs on the standard library alone; matplotlib and graphviz
come with the `viz` extra, NumPy with the `tensor` extra. Importing them inside
the functions (or the one module) that need them keeps `import micrograd`
working, and fast, without them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

INSTALL_HINT = 'pip install "micrograd-literate[viz]"'


def missing_extra(package: str, extra: str, purpose: str) -> str:
    """The message for a missing optional `package`: what needs it and which extra installs it.

    Examples:
        >>> from micrograd._optional import missing_extra
        >>> missing_extra("numpy", "tensor", "micrograd.tensor")
        'numpy is needed for micrograd.tensor; install it with: pip install "micrograd-literate[tensor]"'
    """
    return f'{package} is needed for {purpose}; install it with: pip install "micrograd-literate[{extra}]"'


def import_extra(module_name: str) -> ModuleType:
    """Import `module_name`, or explain which extra to install when it is missing.

    Args:
        module_name: A dotted module name, e.g. "matplotlib.figure".

    Returns:
        The imported module.

    Raises:
        ImportError: The module is not installed; the message names the extra.

    Examples:
        >>> from micrograd._optional import import_extra
        >>> import_extra("math").sqrt(4.0)
        2.0
        >>> import_extra("no_such_module_xyz")
        Traceback (most recent call last):
        ...
        ImportError: no_such_module_xyz is needed for drawing; install it with: pip install "micrograd-literate[viz]"
    """
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        raise ImportError(missing_extra(module_name.partition(".")[0], "viz", "drawing")) from error
