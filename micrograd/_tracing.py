"""Tracing: run a function once on real `Value`s and keep the graph it builds, or fail loudly.

A traced graph stands for every later call only if the function did the same
arithmetic whatever the numbers were. The one way Python code can see a
number inside a `Value` is its `.data`; while tracing, reading `.data` of a
node that depends on the inputs or the parameters from anywhere but the
engine raises `TracingError` (an `if`, a clamp or a number copied out would
be frozen at the traced sample's value), and so does writing `.data`.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from micrograd import engine
from micrograd.engine import Value

_DATA = Value.__dict__["data"]  # the slot's own descriptor, put back after tracing
_ENGINE_GLOBALS = vars(engine)


class TracingError(RuntimeError):
    """The traced function cannot be compiled: its arithmetic depends on the numbers, or it is not pure.

    Raised by `micrograd.compile.compile_loss` (and shown as `micrograd.compile.TracingError`).

    Examples:
        >>> from micrograd.compile import TracingError, compile_loss
        >>> from micrograd.engine import Value
        >>> w = Value(1.0)
        >>> try:
        ...     compile_loss(lambda x, y: w * x if x.data > 0 else w, example=(1.0, 0.0))
        ... except TracingError as error:
        ...     print("refused:", str(error).split(" reads ")[1][:24])
        refused: .data of a Value that de
    """

    __module__ = "micrograd.compile"  # where users import it from


class Trace:
    """What one traced call built: its result and which nodes were made during it.

    Attributes:
        result: What the function returned.
        created: ids of every node made during the call (operations and constants).
        inputs: ids of the input Values the call was given.
    """

    def __init__(self, result: Any, created: dict[int, Value], inputs: dict[int, Value]):
        self.result = result
        self.created = created
        self.inputs = inputs


class _Guard:
    """The `data` property installed while tracing: records new nodes, refuses outside reads."""

    def __init__(self, inputs: dict[int, Value]):
        self.inputs = inputs
        self.created: dict[int, Value] = {}
        self.thread = threading.get_ident()

    def get(self, node: Value) -> float:
        value: float = _DATA.__get__(node, Value)
        caller = sys._getframe(1)
        outside = caller.f_globals is not _ENGINE_GLOBALS and threading.get_ident() == self.thread
        if outside and not self.is_constant(node):  # the traceback's last line shows where
            raise TracingError(
                "the loss reads .data of a Value that depends on the inputs or the parameters while "
                "compiling; the compiled code would freeze the number read (or the branch taken) at the "
                "traced sample's value. Write it with Value operations (e.g. .relu() instead of an if), "
                "or run this step with the eager engine."
            )
        return value

    def set(self, node: Value, value: float) -> None:
        try:
            _DATA.__get__(node, Value)
        except AttributeError:  # a node being made: its data is set for the first time
            if threading.get_ident() == self.thread:
                self.created[id(node)] = node
        else:
            if threading.get_ident() == self.thread:
                raise TracingError(
                    "the traced function changes .data of an existing Value; compiled code cannot "
                    "repeat that. Change parameters outside the function (e.g. in the optimizer)."
                )
        _DATA.__set__(node, value)

    def delete(self, node: Value) -> None:
        _DATA.__delete__(node)

    def is_constant(self, node: Value) -> bool:
        """A leaf made during the trace that is not an input: the same number on every call."""
        return id(node) in self.created and not node._prev and id(node) not in self.inputs


_LOCK = threading.RLock()  # one trace at a time: the guard is installed on the class


@contextmanager
def _guarded(inputs: dict[int, Value]) -> Iterator[_Guard]:
    guard = _Guard(inputs)
    with _LOCK:
        previous = Value.__dict__["data"]  # the slot, or an outer trace's guard
        setattr(Value, "data", property(guard.get, guard.set, guard.delete))  # noqa: B010
        try:
            yield guard
        finally:
            setattr(Value, "data", previous)  # noqa: B010


def trace(function: Callable[..., Any], *args: Any, inputs: list[Value]) -> Trace:
    """Call `function(*args)` with `.data` guarded; return its result and the nodes it made.

    Examples:
        >>> from micrograd.engine import Value
        >>> from micrograd._tracing import trace, TracingError
        >>> x = Value(2.0)
        >>> t = trace(lambda v: v * 3 + 1, x, inputs=[x])
        >>> t.result.data, len(t.created)
        (7.0, 4)
        >>> try:
        ...     trace(lambda v: v if v.data > 0 else -v, x, inputs=[x])
        ... except TracingError as error:
        ...     print(str(error).split(" reads ")[1][:24])
        .data of a Value that de
    """
    ids = {id(v): v for v in inputs}
    with _guarded(ids) as guard:
        result = function(*args)
    return Trace(result, guard.created, ids)
