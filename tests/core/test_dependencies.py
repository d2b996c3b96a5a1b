"""pyproject's dependency lists match what the code imports."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")

ROOT = Path(__file__).parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def imported_top_names(files: Iterable[Path]) -> set[str]:
    """The top-level modules that ``files`` import, relative imports left out."""
    names: set[str] = set()
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def distributions(top_names: set[str]) -> set[str]:
    """The distributions (canonical names) providing these top-level modules.

    A third-party module that is not installed here (aiolimiter outside the bench group)
    is taken to be its own distribution's name, so that the check does not depend on
    which groups this environment installed.
    """
    provided = importlib.metadata.packages_distributions()
    found: set[str] = set()
    for name in top_names - set(sys.stdlib_module_names) - {"easify_async", "__future__"}:
        found.update(canonicalize_name(dist) for dist in provided.get(name, [name]))
    return found


def names(requirements: Iterable[str | dict[str, str]]) -> set[str]:
    """Canonical distribution names of requirement strings (group includes left out)."""
    return {canonicalize_name(Requirement(r).name) for r in requirements if isinstance(r, str)}


#: Core dependencies the package does not import itself, each with the module of a
#: dependency that imports it: httpcore looks sniffio up on every request, and without
#: it installed a failed import is tried each time (httpx and anyio no longer require it).
FOR_A_DEPENDENCY = {"sniffio": "httpcore._synchronization"}


def test_every_core_dependency_is_imported_by_the_package() -> None:
    """No core dependency the package does not use (aiolimiter is the benchmarks' only),
    but those declared for a dependency's sake."""
    core = names(PYPROJECT["project"]["dependencies"])
    used = distributions(imported_top_names((ROOT / "easify_async").rglob("*.py")))
    assert core - used == set(FOR_A_DEPENDENCY)
    assert "aiolimiter" not in core


@pytest.mark.parametrize(("dependency", "module"), FOR_A_DEPENDENCY.items())
def test_a_core_dependency_declared_for_another_is_imported_by_it(
    dependency: str, module: str
) -> None:
    """The dependency that needs it does import it (else it is dead weight)."""
    spec = importlib.util.find_spec(module)
    assert spec is not None
    assert spec.origin is not None
    assert dependency in imported_top_names([Path(spec.origin)])


def test_the_benchmarks_imports_are_declared() -> None:
    """Each benchmark's third-party imports come from the core, an extra, or a dev group."""
    groups = PYPROJECT["dependency-groups"]
    declared = names(PYPROJECT["project"]["dependencies"])
    for extra in PYPROJECT["project"]["optional-dependencies"].values():
        declared |= names(extra)
    declared |= names(groups["test"]) | names(groups["bench"])
    scripts = list((ROOT / "benchmarks").glob("*.py"))
    # A benchmark may import a sibling benchmark (shared payloads): that is no distribution.
    used = distributions(imported_top_names(scripts) - {script.stem for script in scripts})
    assert "aiolimiter" in used
    assert used - declared == set()
