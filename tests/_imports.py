"""Reading the package's imports from its source: module names and resolved targets."""

from __future__ import annotations

import ast
from pathlib import Path

import easify_async

PACKAGE = Path(easify_async.__file__).parent


def module_name(path: Path) -> str:
    """``easify_async/_bulk/__init__.py`` -> ``easify_async._bulk``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_targets(node: ast.Import | ast.ImportFrom, path: Path) -> list[str]:
    """What an import in ``path`` may load, relative forms resolved: each module of an
    ``import``; for ``from source import a, b``, ``source`` and ``source.a``, ``source.b``
    (each may be a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    module = module_name(path)
    base = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    source = node.module or ""
    if node.level:
        source = f"{base}.{source}" if source else base
    return [source, *(f"{source}.{alias.name}" for alias in node.names)]
