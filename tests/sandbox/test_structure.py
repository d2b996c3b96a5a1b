"""The sandbox's shape (issue 19.2): state + app, handlers on the state, no import cycle."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import easify_async.sandbox as sandbox_package
from easify_async._routes import ROUTES
from easify_async.sandbox import Sandbox
from easify_async.sandbox._routes import ENDPOINTS
from easify_async.sandbox._store import SandboxState

PACKAGE = "easify_async.sandbox"
ROOT = Path(sandbox_package.__file__).parent
MODULES = sorted(f"{PACKAGE}.{m.name}" for m in pkgutil.iter_modules([str(ROOT)]))


def imports_of(module: str) -> set[str]:
    """The sandbox modules ``module`` imports anywhere: at module level, in functions,
    under ``TYPE_CHECKING`` (a cycle there is a cycle in the design)."""
    path = ROOT / f"{module.rsplit('.', 1)[1]}.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:  # from . import x / from ._y import z
                base = f"{PACKAGE}.{node.module}" if node.module else PACKAGE
            elif node.level == 0 and node.module:
                base = node.module
            else:
                continue  # from .. (the SDK): outside the sandbox
            names = [f"{base}.{a.name}" for a in node.names] if not node.module else []
            found.update(n for n in [base, *names] if n in MODULES)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in MODULES)
    found.discard(module)
    return found


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph``, or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for nxt in sorted(graph[node]):
            found = visit(nxt, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def test_no_sandbox_module_imports_itself_back() -> None:
    """The import graph of the sandbox's modules (every import, anywhere) has no cycle;
    the package's ``__init__`` only gathers names and is left out."""
    graph = {m: imports_of(m) - {PACKAGE} for m in MODULES}
    assert cycle(graph) is None


def test_the_cycle_finder_finds_one() -> None:
    """The check above would see a cycle (a ring through three modules)."""
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_every_module_imports_alone() -> None:
    """Each module imported first, the sandbox unloaded before each (no import-order luck;
    the SDK's core stays loaded, which keeps this to one interpreter's start)."""
    script = (
        "import importlib, sys\n"
        "import easify_async\n"
        f"for name in {MODULES!r}:\n"
        f"    for loaded in [m for m in sys.modules if m.startswith({PACKAGE!r})]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_handlers_take_the_state_and_the_parsed_request() -> None:
    """Every route's handler is ``(state, request)``, and the app is that state."""
    for endpoint in ENDPOINTS:
        parameters = list(inspect.signature(endpoint.handler).parameters)
        assert parameters == ["state", "request"], endpoint.path
    assert issubclass(Sandbox, SandboxState)


def test_no_context_variable_carries_the_request() -> None:
    """Request data reaches a handler as its argument, never through a ContextVar."""
    for module in MODULES:
        source = (ROOT / f"{module.rsplit('.', 1)[1]}.py").read_text()
        assert "ContextVar" not in source, module


def test_each_row_of_the_route_table_has_one_handler() -> None:
    """The sandbox serves the SDK's table, row by row in its order: no row without a
    handler, none twice; and every handler (``(state, request)`` in an ``_api_*``
    module) is paired with a row."""
    assert tuple(endpoint.route for endpoint in ENDPOINTS) == ROUTES
    paired = {endpoint.handler for endpoint in ENDPOINTS}
    for module in MODULES:
        if not module.rsplit(".", 1)[1].startswith("_api_"):
            continue
        for name, value in vars(importlib.import_module(module)).items():
            handler = inspect.isfunction(value) and value.__module__ == module
            if handler and list(inspect.signature(value).parameters) == ["state", "request"]:
                assert value in paired, f"{module}.{name} serves no row"
