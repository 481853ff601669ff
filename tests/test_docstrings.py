"""Every public name of the library has a docstring with a runnable example.

The examples themselves run as doctests (pytest's --doctest-modules); this test
makes sure none is missing, so the API reference never shows a bare signature.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import micrograd


# micrograd.scratch is the engine the first chapters grow, kept to about a hundred lines the way the
# lecture writes it: the chapters explain each method, its module docstring carries the example,
# and the API reference does not list it.
NOT_IN_THE_REFERENCE = {"scratch"}


def _public_modules() -> list[str]:
    names = [m.name for m in pkgutil.iter_modules(micrograd.__path__) if not m.name.startswith("_")]
    return sorted(f"micrograd.{name}" for name in names if name not in NOT_IN_THE_REFERENCE)


def test_the_modules_left_out_of_the_reference_still_have_an_example() -> None:
    for name in NOT_IN_THE_REFERENCE:
        doc = importlib.import_module(f"micrograd.{name}").__doc__
        assert doc and ">>>" in doc, name


def _public_objects():
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        exported = getattr(module, "__all__", None)
        for name, obj in vars(module).items():
            if exported is not None:
                if name not in exported:
                    continue
            elif name.startswith("_") or getattr(obj, "__module__", module_name) != module_name:
                continue  # private, or imported from elsewhere (documented there)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                yield f"{module_name}.{name}", obj
                if inspect.isclass(obj):
                    for attr, member in vars(obj).items():
                        if attr.startswith("_"):
                            continue
                        function = getattr(member, "__func__", member)  # staticmethod / classmethod
                        if inspect.isfunction(function):
                            # through the class, so an override inherits its base's docstring
                            yield f"{module_name}.{name}.{attr}", getattr(obj, attr)


PUBLIC = dict(_public_objects())


def test_the_public_api_is_found() -> None:
    assert "micrograd.engine.Value" in PUBLIC and "micrograd.nn.MLP" in PUBLIC
    assert "micrograd.engine.Value.backward" in PUBLIC


@pytest.mark.parametrize("qualified_name", sorted(PUBLIC))
def test_public_name_has_a_docstring_with_an_example(qualified_name: str) -> None:
    doc = inspect.getdoc(PUBLIC[qualified_name])
    assert doc, f"{qualified_name} has no docstring"
    assert ">>>" in doc, f"{qualified_name}'s docstring has no runnable example"
