"""The documentation site builds with --strict, and its reference names every public name."""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PUBLIC_MODULES = [
    "easify_async",
    "easify_async.errors",
    "easify_async.models",
    "easify_async.bulk",
    "easify_async.limiters",
    "easify_async.ledgers",
    "easify_async.webhooks",
    "easify_async.webhooks.fastapi",
    "easify_async.webhooks.aiohttp",
    "easify_async.sandbox",
]


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The names the built site documents (its objects.inv), after a --strict build."""
    site = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        # Not --quiet: it hides the warnings, which --strict then does not count.
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert built.returncode == 0, built.stderr
    return _names(site / "objects.inv")


def _names(path: Path) -> set[str]:
    """The object names of a Sphinx inventory (version 2: four text lines, then zlib)."""
    data = path.read_bytes()
    header_end = 0
    for _ in range(4):
        header_end = data.index(b"\n", header_end) + 1
    lines = zlib.decompress(data[header_end:]).decode().splitlines()
    return {line.split(" ", 1)[0] for line in lines if line}


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_name_of_a_public_module_is_in_the_reference(
    inventory: set[str], module_name: str
) -> None:
    """Each name of ``__all__`` is documented, under its module or, for a re-export (the
    errors and models ``easify_async`` names too), under the public module it comes from."""
    module = importlib.import_module(module_name)
    missing = []
    for name in module.__all__:
        value = getattr(module, name)
        homes = [m for m in PUBLIC_MODULES if getattr(_module(m), name, None) is value]
        if not any(f"{home}.{name}" in inventory for home in homes):
            missing.append(name)
    assert not missing, f"{module_name}: not in the reference: {missing}"


def test_every_call_of_every_endpoint_group_is_in_the_reference(inventory: set[str]) -> None:
    """Every endpoint group (a class whose docstring says "reach it as ``easify.…``", the
    client's properties' among them) and each public method of theirs."""
    from easify_async import AsyncEasify

    groups = _endpoint_groups()
    assert set(_properties(AsyncEasify, groups)) <= set(groups.values())
    assert len(groups) == 10  # nine properties of the client, and easify.v3.email
    missing = [
        f"{group.__module__}.{group.__qualname__}.{name}"
        for group in groups.values()
        for name, _ in inspect.getmembers(group, inspect.isfunction)
        if not name.startswith("_")
        and f"{group.__module__}.{group.__qualname__}.{name}" not in inventory
    ]
    assert not missing, missing


def _module(name: str) -> object:
    return importlib.import_module(name)


def _endpoint_groups() -> dict[str, type]:
    import pkgutil

    import easify_async._endpoints as endpoints

    groups: dict[str, type] = {}
    for info in pkgutil.iter_modules(endpoints.__path__):
        module = importlib.import_module(f"{endpoints.__name__}.{info.name}")
        groups |= {
            name: value
            for name, value in vars(module).items()
            if inspect.isclass(value) and "reach it as ``easify." in (value.__doc__ or "")
        }
    return groups


def _properties(cls: type, groups: dict[str, type]) -> list[type]:
    """The endpoint groups the public properties of ``cls`` (cached ones too) return."""
    found = []
    for name, member in vars(cls).items():
        getter = getattr(member, "func", getattr(member, "fget", None))
        if name.startswith("_") or getter is None:
            continue
        returned = getter.__annotations__.get("return")  # a string: annotations are lazy
        if returned in groups:
            found.append(groups[returned])
    return found
