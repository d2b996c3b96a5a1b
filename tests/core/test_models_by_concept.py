"""Models by concept: one private module each, one public door, the package's lazy names
derived from it."""

from __future__ import annotations

import importlib
import pkgutil

import easify_async
import easify_async._models
from easify_async import models

# Not public: the bare reply of a call that returns no data.
PRIVATE = {"easify_async._models.common"}


def _concepts() -> list[str]:
    found = pkgutil.iter_modules(easify_async._models.__path__, "easify_async._models.")
    return sorted(m.name for m in found if m.name not in PRIVATE)


def test_the_public_door_lists_every_concept_module_s_names_and_no_more() -> None:
    """`easify_async.models.__all__` is the union of the concept modules' `__all__`."""
    names = [n for c in _concepts() for n in importlib.import_module(c).__all__]
    assert len(names) == len(set(names))  # each model in one concept
    assert sorted(names) == models.__all__


def test_each_name_is_its_concept_module_s_class_and_the_package_s() -> None:
    """Lazily found in its concept module; the same object from every import path."""
    for concept in _concepts():
        module = importlib.import_module(concept)
        for name in module.__all__:
            assert getattr(models, name) is getattr(module, name)
            assert getattr(easify_async, name) is getattr(module, name)
    assert set(models.__all__) <= set(easify_async.__all__)
