"""micrograd: a tiny, fast scalar autograd engine and a neural-net library on top.

Examples:
    >>> from micrograd import Value
    >>> (Value(2.0) * 3 + 1).data
    7.0
"""

from micrograd.engine import Value
from micrograd.nn import MLP, Layer, Module, Neuron

__all__ = ["Value", "Module", "Neuron", "Layer", "MLP"]
__version__ = "0.2.0"
