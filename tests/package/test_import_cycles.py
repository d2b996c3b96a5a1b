"""No import cycle in the package, at module level or inside functions.

Every ``import``/``from ... import`` in a module's AST is an edge, wherever it sits (a
function's lazy import included), but for those under ``if TYPE_CHECKING:``, which never
run. ``from package import name`` is an edge to ``package`` (whose namespace it reads)
and to ``package.name`` when that is a module. ``from .module import name`` is no edge
to the package itself: it is loaded before any of its modules, and not read.
"""

from __future__ import annotations

import ast

from tests._imports import PACKAGE, import_targets, module_name

ROOT = "easify_async"


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import in ``tree`` but those in an ``if TYPE_CHECKING:`` body."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def edges(name: str) -> set[str]:
    path = MODULES[name]
    targets = {
        target
        for node in runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
        # `from source import x` runs `source`'s __init__ if not run yet, and reads it
        for target in import_targets(node, path)
    }
    return {t for t in targets if t in MODULES and t != name}


def cycles() -> list[list[str]]:
    """Each strongly connected component of more than one module (Tarjan's algorithm)."""
    graph = {name: sorted(edges(name)) for name in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            connect(name)
    return found


def test_the_package_has_no_import_cycle() -> None:
    assert cycles() == []


def test_the_walk_sees_imports_inside_functions_and_skips_type_checking_ones() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import a\n"
        "def f():\n    import b\n"
        "if x:\n    import c\n"
    )
    assert sorted(alias.name for node in runtime_imports(tree) for alias in node.names) == [
        "TYPE_CHECKING",
        "b",
        "c",
    ]
